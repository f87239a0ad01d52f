import { Component, type ErrorInfo, type ReactNode } from "react";

/** Catches a screen that fails to render and offers a way back instead of a blank window. */
export class ErrorBoundary extends Component<{ children: ReactNode; resetKey?: string }, { error: Error | null }> {
  state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  componentDidCatch(error: Error, info: ErrorInfo) {
    console.error("screen failed to render", error, info.componentStack);
  }

  componentDidUpdate(prev: { resetKey?: string }) {
    if (prev.resetKey !== this.props.resetKey && this.state.error) this.setState({ error: null });
  }

  render() {
    if (!this.state.error) return this.props.children;
    return (
      <div role="alert" data-testid="render-error" className="m-8 rounded-lg border border-rose-300 bg-rose-50 p-6 text-rose-900 dark:border-rose-800 dark:bg-rose-950 dark:text-rose-100">
        <h2 className="text-lg font-semibold">This screen could not be shown</h2>
        <p className="mt-2 font-mono text-sm">{this.state.error.message}</p>
        <p className="mt-2 text-sm">Your data is safe. Go back to the dashboard, or restart the app if this keeps happening.</p>
        <a className="mt-4 inline-block font-medium underline" href="#/" onClick={() => this.setState({ error: null })}>
          Back to the dashboard
        </a>
      </div>
    );
  }
}

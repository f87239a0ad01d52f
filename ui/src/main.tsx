import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import App from "./App";
import { ToastProvider } from "./lib/toast";
import { applyTheme, storedTheme } from "./lib/theme";
import "./index.css";

applyTheme(storedTheme());
const queryClient = new QueryClient({
  defaultOptions: { queries: { staleTime: 5_000, retry: false, refetchOnWindowFocus: false } },
});

const root = document.getElementById("root")!;
createRoot(root, {
  // A failure outside any screen still says something instead of leaving a blank window.
  onUncaughtError: (error) => {
    root.innerHTML = "";
    const p = document.createElement("pre");
    p.setAttribute("role", "alert");
    p.style.cssText = "margin:2rem;white-space:pre-wrap;font:14px system-ui;color:#9f1239";
    p.textContent = `QoderResume could not start its window: ${error instanceof Error ? error.message : String(error)}`;
    root.append(p);
  },
}).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <ToastProvider>
        <App />
      </ToastProvider>
    </QueryClientProvider>
  </StrictMode>,
);

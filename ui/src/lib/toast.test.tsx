import { act, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ToastProvider, UNDO_WINDOW_MS, useToast } from "./toast";

function Deleter({ commit, undo }: { commit: () => Promise<unknown>; undo: () => void }) {
  const t = useToast();
  return <button onClick={() => t.undoable("Deleted “X”.", commit, undo)}>delete</button>;
}

describe("undoable delete", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("commits after the undo window", async () => {
    const commit = vi.fn().mockResolvedValue(undefined);
    const undo = vi.fn();
    render(<ToastProvider><Deleter commit={commit} undo={undo} /></ToastProvider>);
    fireEvent.click(screen.getByText("delete"));
    expect(screen.getByText("Deleted “X”.")).toBeInTheDocument();
    expect(commit).not.toHaveBeenCalled();
    await act(async () => {
      vi.advanceTimersByTime(UNDO_WINDOW_MS + 10);
    });
    expect(commit).toHaveBeenCalledTimes(1);
    expect(undo).not.toHaveBeenCalled();
  });

  it("never commits when Undo is pressed", async () => {
    const commit = vi.fn().mockResolvedValue(undefined);
    const undo = vi.fn();
    render(<ToastProvider><Deleter commit={commit} undo={undo} /></ToastProvider>);
    fireEvent.click(screen.getByText("delete"));
    fireEvent.click(screen.getByRole("button", { name: "Undo" }));
    await act(async () => {
      vi.advanceTimersByTime(UNDO_WINDOW_MS * 2);
    });
    expect(undo).toHaveBeenCalledTimes(1);
    expect(commit).not.toHaveBeenCalled();
  });
});

import { fireEvent, screen, waitFor } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { JobForm, emptyForm } from "./JobForm";
import { mockCommands, renderWithProviders } from "../test/render";

describe("JobForm", () => {
  it("walks the three steps and submits every field", async () => {
    mockCommands({ resume_versions: () => [] });
    const onSubmit = vi.fn().mockResolvedValue(undefined);
    renderWithProviders(<JobForm initial={emptyForm()} submitLabel="Add job" onSubmit={onSubmit} onCancel={() => {}} />);
    fireEvent.change(screen.getByTestId("job-title"), { target: { value: "Platform Engineer" } });
    fireEvent.change(screen.getByTestId("job-company"), { target: { value: "Globex" } });
    fireEvent.click(screen.getByTestId("job-next"));
    expect(screen.getByLabelText("Vendor / agency")).toBeInTheDocument();
    fireEvent.change(screen.getByLabelText("Rate"), { target: { value: "95" } });
    fireEvent.click(screen.getByTestId("job-next"));
    expect(screen.getByLabelText(/Job description/)).toBeInTheDocument();
    fireEvent.click(screen.getByTestId("job-save"));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    const sent = onSubmit.mock.calls[0][0];
    expect(sent.title).toBe("Platform Engineer");
    expect(sent.company).toBe("Globex");
    expect(sent.rate).toEqual({ amount: 95, currency: "USD", period: "hour", kind: "pay" });
  });

  it("refuses an empty title and goes back to it", async () => {
    mockCommands({ resume_versions: () => [] });
    const onSubmit = vi.fn();
    renderWithProviders(<JobForm initial={emptyForm()} submitLabel="Add job" onSubmit={onSubmit} onCancel={() => {}} />);
    fireEvent.click(screen.getByTestId("job-next"));
    fireEvent.click(screen.getByTestId("job-save"));
    expect(await screen.findByRole("alert")).toHaveTextContent("Give the job a title.");
    expect(screen.getByTestId("job-title")).toBeInTheDocument();
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it("shows the core's validation error", async () => {
    mockCommands({ resume_versions: () => [] });
    const onSubmit = vi.fn().mockRejectedValue(new Error("source_url: must be an http:// or https:// URL without spaces"));
    renderWithProviders(<JobForm initial={{ ...emptyForm(), title: "X", source_url: "ftp://x" }} submitLabel="Add job" onSubmit={onSubmit} onCancel={() => {}} />);
    fireEvent.click(screen.getByTestId("job-save"));
    expect(await screen.findByRole("alert")).toHaveTextContent("source_url");
  });
});

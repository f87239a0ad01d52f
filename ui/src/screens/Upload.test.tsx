import { fireEvent, screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { Upload } from "./Upload";
import { version } from "../test/fixtures";
import { mockCommands, renderWithProviders } from "../test/render";

function pick(file: File) {
  fireEvent.change(screen.getByTestId("file-input"), { target: { files: [file] } });
}

describe("Upload", () => {
  it("sends the file's bytes and opens the analysis", async () => {
    const calls = mockCommands({
      resume_families: () => [],
      resume_upload_bytes: () => ({ status: "done", outcome: { version, duplicate: false, removed: [] } }),
    });
    window.location.hash = "#/upload";
    renderWithProviders(<Upload />);
    pick(new File(["Jane Doe\njane@example.com"], "jane.txt", { type: "text/plain" }));
    await waitFor(() => expect(window.location.hash).toBe(`#/analysis/${version.id}`));
    // The bytes travel as the raw IPC body; the name (URI-encoded) and the id as headers.
    const up = calls.find((c) => c.cmd === "resume_upload_bytes")!;
    expect(up.body).toBeInstanceOf(Uint8Array);
    expect(up.body!.length).toBe(25);
    expect(decodeURIComponent(up.headers!["x-file-name"])).toBe("jane.txt");
    expect(up.headers!["x-upload-id"]).toBeTruthy();
    expect(await screen.findByText(/ATS score 82\/100/)).toBeInTheDocument();
  });

  it("refuses a file over 10 MB before sending it", async () => {
    const calls = mockCommands({ resume_families: () => [] });
    renderWithProviders(<Upload />);
    const big = new File([new Uint8Array(11 * 1024 * 1024)], "huge.pdf", { type: "application/pdf" });
    pick(big);
    expect(await screen.findByRole("alert")).toHaveTextContent("huge.pdf is 11.0 MB");
    expect(calls.some((c) => c.cmd === "resume_upload_bytes")).toBe(false);
  });

  it("explains a scanned PDF", async () => {
    mockCommands({
      resume_families: () => [],
      resume_upload_bytes: () => {
        throw { code: "no_text_layer", message: "scan.pdf has no text layer" };
      },
    });
    renderWithProviders(<Upload />);
    pick(new File(["%PDF-1.4"], "scan.pdf", { type: "application/pdf" }));
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("no text layer");
    expect(alert).toHaveTextContent("This looks like a scan");
  });
});

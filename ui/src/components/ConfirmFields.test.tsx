import { fireEvent, screen, within } from "@testing-library/react";
import { useQuery } from "@tanstack/react-query";
import { describe, expect, it } from "vitest";
import { api } from "../api";
import { ConfirmFields, fieldLabel } from "./ConfirmFields";
import type { ParsedResume } from "../bindings/ParsedResume";
import type { VersionDetail } from "../bindings/VersionDetail";
import { version } from "../test/fixtures";
import { mockCommands, renderWithProviders } from "../test/render";

function resume(over: Partial<ParsedResume> = {}): ParsedResume {
  return {
    contact: { name: "Lisbon Portugal", email: "ana@example.com", phone: null, location: null, links: [] },
    summary: null,
    sections: [],
    experience: [{ employer: "Acme", title: "Plumbing Wizardry", location: null, start: { year: 2019, month: 1 }, end: null, current: true, bullets: [] }],
    education: [],
    skills: [],
    document: { format: "txt", pages: null, extractor: "txt", file_name: "ana.txt", link_targets: [] } as unknown as ParsedResume["document"],
    text: "",
    confidence: [
      { field: "name", value: "Lisbon Portugal", confidence: 0.55, source_line: "Lisbon Portugal", reason: "the name was not at the top of the resume" },
      { field: "email", value: "ana@example.com", confidence: 0.99, source_line: "ana@example.com", reason: "a well-formed address in the header" },
      { field: "experience[0].title", value: "Plumbing Wizardry", confidence: 0.65, source_line: "Plumbing Wizardry, Acme, 2019 – Present", reason: "no role word (engineer, manager…) in the title" },
    ],
    ...over,
  };
}

/** The analysis screen's way of showing the list: the version detail from the query cache. */
function Screen() {
  const q = useQuery({ queryKey: ["versions", "detail", version.id], queryFn: () => api.versionDetail(version.id) });
  return q.data ? <ConfirmFields versionId={version.id} resume={q.data.resume} /> : null;
}

function detail(r: ParsedResume): VersionDetail {
  return { version, family_name: "ana", text: "", resume: r, ats: { score: 80, checks: [], engine: "test" } };
}

describe("ConfirmFields", () => {
  it("lists the uncertain fields with the line they came from and why", () => {
    mockCommands({});
    renderWithProviders(<ConfirmFields versionId={version.id} resume={resume()} />);
    const rows = within(screen.getByTestId("confirm-list")).getAllByTestId("confirm-field");
    expect(rows.map((r) => r.getAttribute("data-field"))).toEqual(["name", "experience[0].title"]);
    // The sure ones are there too, folded away, for a correction the parser did not ask for.
    expect(within(screen.getByTestId("confirm-others")).getAllByTestId("confirm-field").map((r) => r.getAttribute("data-field"))).toEqual(["email"]);
    const name = within(rows[0]);
    expect(name.getByText("Name", { selector: "span" })).toBeInTheDocument();
    expect(name.getByLabelText("Name")).toHaveValue("Lisbon Portugal");
    expect(name.getByTestId("confirm-source")).toHaveTextContent("Lisbon Portugal");
    expect(name.getByText("The name was not at the top of the resume.")).toBeInTheDocument();
    expect(name.getByText("55% sure")).toBeInTheDocument();
    expect(name.getByTestId("confirm-input")).toHaveValue("Lisbon Portugal");
    expect(within(rows[1]).getByText("Job title · position 1 (Acme)", { selector: "span" })).toBeInTheDocument();
    expect(screen.getByText("2 to check")).toBeInTheDocument();
  });

  it("saves a correction and shows the field as confirmed", async () => {
    const fixed = resume({
      contact: { name: "Ana Souza", email: "ana@example.com", phone: null, location: null, links: [] },
      confidence: [
        { field: "name", value: "Ana Souza", confidence: 1, source_line: "Lisbon Portugal", reason: "confirmed by you" },
        ...resume().confidence.slice(1),
      ],
    });
    const allDone = resume({
      ...fixed,
      confidence: fixed.confidence.map((c) => (c.field === "experience[0].title" ? { ...c, confidence: 1, reason: "confirmed by you" } : c)),
    });
    const calls = mockCommands({ resume_detail: () => detail(resume()), version_correct: (a) => detail(a.field === "name" ? fixed : allDone) });
    renderWithProviders(<Screen />);
    const row = (await screen.findAllByTestId("confirm-field"))[0];
    const save = within(row).getByTestId("confirm-save");
    expect(save).toBeDisabled();
    fireEvent.change(within(row).getByTestId("confirm-input"), { target: { value: "Ana Souza " } });
    fireEvent.click(save);
    expect(await screen.findByTestId("confirmed-field")).toHaveTextContent("Name: Ana Souza — confirmed");
    expect(calls.find((c) => c.cmd === "version_correct")!.args).toEqual({ versionId: version.id, field: "name", value: "Ana Souza " });
    // The version as now read replaces the cached one: the name left the list to check and
    // shows as confirmed among the other fields.
    expect(screen.getByText("1 to check")).toBeInTheDocument();
    expect(within(screen.getByTestId("confirm-list")).getAllByTestId("confirm-field").map((r) => r.getAttribute("data-field"))).toEqual(["experience[0].title"]);
    expect(within(screen.getByTestId("confirm-others")).getByText("✓ Confirmed by you")).toBeInTheDocument();
    fireEvent.click(within(screen.getByTestId("confirm-list")).getByTestId("confirm-keep"));
    expect(await screen.findByTestId("confirm-empty")).toHaveTextContent("Nothing left to check: 2 fields confirmed by you");
  });

  it("confirms the value as read, and explains a refused correction", async () => {
    const calls = mockCommands({
      version_correct: (a) => {
        if (a.field === "experience[0].title") return detail(resume());
        throw { code: "validation", message: 'experience[0].dates: "last summer" is not a date range' };
      },
    });
    renderWithProviders(<ConfirmFields versionId={version.id} resume={resume()} />);
    const row = screen.getAllByTestId("confirm-field")[1];
    fireEvent.click(within(row).getByTestId("confirm-keep"));
    expect(await screen.findByTestId("confirmed-field")).toHaveTextContent("Plumbing Wizardry");
    expect(calls.find((c) => c.cmd === "version_correct")!.args).toMatchObject({ field: "experience[0].title", value: "Plumbing Wizardry" });

    const other = resume({
      confidence: [{ field: "experience[0].dates", value: null, confidence: 0.3, source_line: null, reason: "no dates found for this position" }],
    });
    renderWithProviders(<ConfirmFields versionId={version.id} resume={other} />);
    const dates = screen.getAllByTestId("confirm-field").find((r) => r.getAttribute("data-field") === "experience[0].dates")!;
    expect(within(dates).getByText("not found")).toBeInTheDocument();
    expect(within(dates).getByTestId("confirm-input")).toHaveAttribute("placeholder", "e.g. Jan 2020 – Present");
    fireEvent.change(within(dates).getByTestId("confirm-input"), { target: { value: "last summer" } });
    fireEvent.click(within(dates).getByTestId("confirm-save"));
    expect(await within(dates).findByRole("alert")).toHaveTextContent("is not a date range");
  });

  it("says so when nothing needs checking, and still lets any field be corrected", () => {
    mockCommands({});
    const sure = resume({ confidence: [resume().confidence[1]] });
    renderWithProviders(<ConfirmFields versionId={version.id} resume={sure} />);
    expect(screen.getByTestId("confirm-empty")).toHaveTextContent("Everything we read looks certain");
    expect(screen.getByTestId("confirm-others")).toHaveTextContent("Correct any field we read (1)");
  });

  it("names experience fields by their position", () => {
    const r = resume();
    expect(fieldLabel("experience[0].employer", r)).toBe("Employer · position 1 (Plumbing Wizardry)");
    expect(fieldLabel("experience[0].dates", r)).toBe("Dates · position 1 (Acme)");
    expect(fieldLabel("phone", r)).toBe("Phone");
  });
});

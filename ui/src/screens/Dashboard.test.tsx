import { screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { Dashboard } from "./Dashboard";
import { emptyDashboard, version } from "../test/fixtures";
import { mockCommands, renderWithProviders } from "../test/render";

describe("Dashboard", () => {
  it("guides a new user to their first resume", async () => {
    mockCommands({ dashboard: () => emptyDashboard });
    renderWithProviders(<Dashboard />);
    expect(await screen.findByText("No resume yet")).toBeInTheDocument();
    expect(screen.getByText("No applications tracked")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Analyze your resume" })).toBeInTheDocument();
  });

  it("shows the latest score and the pipeline", async () => {
    mockCommands({
      dashboard: () => ({
        ...emptyDashboard,
        latest: version,
        latest_name: "Jane Doe",
        jobs: { ...emptyDashboard.jobs, total: 3, applied: 2, responded: 1, response_rate: 0.5, by_status: { applied: 2, interviewing: 1 } },
      }),
    });
    renderWithProviders(<Dashboard />);
    expect(await screen.findByRole("img", { name: "ATS score 82 out of 100" })).toBeInTheDocument();
    expect(screen.getByText("Jane Doe")).toBeInTheDocument();
    expect(screen.getByText(/3 tracked · 2 applied · response rate 50%/)).toBeInTheDocument();
  });

  it("explains a failure and offers a retry", async () => {
    mockCommands({
      dashboard: () => {
        throw { code: "incompatible_database", message: "the database was written by a newer version" };
      },
    });
    renderWithProviders(<Dashboard />);
    expect(await screen.findByRole("alert")).toHaveTextContent("newer version");
    expect(screen.getByRole("button", { name: "Try again" })).toBeInTheDocument();
  });
});

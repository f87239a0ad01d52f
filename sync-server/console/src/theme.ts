// Light or dark: the admin's choice, remembered in localStorage; the system's until then.
import { createContext, useContext } from "react";

export type Theme = "light" | "dark";
const KEY = "qoder-admin-theme";

export function initialTheme(): Theme {
  const saved = localStorage.getItem(KEY);
  if (saved === "light" || saved === "dark") return saved;
  return window.matchMedia?.("(prefers-color-scheme: dark)").matches ? "dark" : "light";
}

export function applyTheme(t: Theme) {
  localStorage.setItem(KEY, t);
  document.documentElement.classList.toggle("dark", t === "dark");
}

export const ThemeContext = createContext<Theme>("light");
export const useTheme = () => useContext(ThemeContext);

/** Chart colours that read on either background. */
export function chartColors(t: Theme) {
  return t === "dark"
    ? { grid: "#334155", axis: "#94a3b8", tooltipBg: "#0f172a", tooltipBorder: "#334155", text: "#e2e8f0", actual: "#818cf8", forecast: "#fbbf24", band: "rgba(251, 191, 36, 0.22)" }
    : { grid: "#e2e8f0", axis: "#64748b", tooltipBg: "#ffffff", tooltipBorder: "#cbd5e1", text: "#0f172a", actual: "#4f46e5", forecast: "#d97706", band: "rgba(245, 158, 11, 0.2)" };
}

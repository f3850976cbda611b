import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

/** Flags for headless Chromium on a closed network (no background fetches that would be refused). */
export const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

/** CHROMIUM_PATH, else the Debian / Ubuntu package names on PATH; null when absent, so browser tests skip. */
export function chromiumPath(): string | null {
  if (process.env.CHROMIUM_PATH && existsSync(process.env.CHROMIUM_PATH)) return process.env.CHROMIUM_PATH;
  for (const name of ["chromium", "chromium-browser", "google-chrome"]) {
    try {
      const found = execFileSync("which", [name], { encoding: "utf8" }).trim();
      if (found) return found;
    } catch {
      /* not on PATH */
    }
  }
  return null;
}

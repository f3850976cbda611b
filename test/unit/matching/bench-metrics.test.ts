import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path, { join } from "node:path";
import { describe, expect, it } from "vitest";
import { report, runTasks } from "../../../src/bench/matching-eval.ts";
import { bootstrapIntervals, calibration, scoreLiteral, scoreTrack, summarize } from "../../../src/bench/matching-metrics.ts";
import { loadMatchingTasks } from "../../../src/bench/matching-tasks.ts";

const labels = {
  dls_pairs: [["a1", "b1"]] as [string, string][],
  // a2 and a3 are one lesion measured on two series; b3 is its follow-up.
  track: { a1: "T1", a2: "T2", a3: "T2", b1: "T1", b3: "T2", b9: "T9" } as Record<string, string>,
};

describe("matching metrics", () => {
  it("track scoring counts each shared track once and ignores a second right pair", () => {
    const c = scoreTrack([["a1", "b1"], ["a2", "b3"], ["a3", "b9"]], labels, ["a1", "a2", "a3"], ["b1", "b3", "b9"]);
    expect(c).toEqual({ tp: 2, fp: 1, fn: 0 });
    expect(scoreTrack([["a1", "b1"]], labels, ["a1", "a2", "a3"], ["b1", "b3", "b9"])).toEqual({ tp: 1, fp: 0, fn: 1 });
  });

  it("literal scoring uses only the DLS pairs", () => {
    expect(scoreLiteral([["a1", "b1"], ["a2", "b3"]], labels)).toEqual({ tp: 1, fp: 1, fn: 0 });
  });

  it("summarises micro-averaged P/R/F1 and exact accuracy", () => {
    const s = summarize([{ tp: 2, fp: 0, fn: 0 }, { tp: 1, fp: 1, fn: 1 }]);
    expect(s.precision).toBeCloseTo(3 / 4, 12);
    expect(s.recall).toBeCloseTo(3 / 4, 12);
    expect(s.exact).toBe(0.5);
    expect(s.wrongTasks).toBe(1);
  });

  it("bootstrap intervals are reproducible and contain the point estimate", () => {
    const counts = Array.from({ length: 40 }, (_, i) => ({ tp: 2, fp: i % 5 === 0 ? 1 : 0, fn: i % 7 === 0 ? 1 : 0 }));
    const x = bootstrapIntervals(counts, 500, 3);
    expect(bootstrapIntervals(counts, 500, 3)).toEqual(x);
    const f1 = summarize(counts).f1;
    expect(x.f1[0]).toBeLessThanOrEqual(f1);
    expect(x.f1[1]).toBeGreaterThanOrEqual(f1);
  });

  it("calibration error is 0 for confidences equal to bin precision", () => {
    const links = [...Array(8).fill({ confidence: 0.75, correct: true }), ...Array(2).fill({ confidence: 0.75, correct: false })];
    expect(calibration(links).ece).toBeCloseTo(0.05, 12);
    expect(calibration([{ confidence: 1, correct: true }]).ece).toBe(0);
  });
});

const validFile = path.resolve(process.cwd(), "../shared/data/matching/valid_tasks.json");
const haveData = existsSync(validFile);
if (!haveData) console.log(`matching regression guard skipped: ${validFile} not found`);

describe.skipIf(!haveData)("matcher on DLS valid tasks (regression guard)", () => {
  it("keeps track F1 and exact accuracy near the recorded values (0.977 / 0.955)", () => {
    const tasks = loadMatchingTasks(validFile);
    const r = report(tasks, runTasks(tasks));
    expect(r.tasks).toBe(269);
    expect(r.track!.all.f1).toBeGreaterThanOrEqual(0.97);
    expect(r.track!.all.exact).toBeGreaterThanOrEqual(0.94);
    expect(r.calibration!.ece).toBeLessThan(0.05);
  });

  it("accepts a task file without gt labels: counts and timing, no scores", () => {
    const raw = JSON.parse(readFileSync(validFile, "utf8")) as { tasks: Record<string, unknown>[] };
    const file = join(mkdtempSync(join(tmpdir(), "lt-bench-")), "unlabelled.json");
    writeFileSync(file, JSON.stringify({ ...raw, tasks: raw.tasks.slice(0, 20).map(({ gt: _gt, ...t }) => t) }));
    const tasks = loadMatchingTasks(file);
    const r = report(tasks, runTasks(tasks));
    expect(r.tasks).toBe(20);
    expect(r.links).toBeGreaterThan(0);
    expect(r.track).toBeNull();
    expect(r.calibration).toBeNull();
  });

  it("never lets labels reach the matcher", () => {
    const [task] = loadMatchingTasks(validFile);
    for (const o of [...task!.a, ...task!.b]) expect(Object.keys(o).sort()).toEqual(["id", "longAxisMm", "nodal", "positionMm", "shortAxisMm", "source"]);
  });
});

import { describe, expect, it } from "vitest";
import { generateDemoCohort } from "../../src/domain/demo/cohort.ts";
import { studyInput } from "../../src/service/inputs/study.ts";

describe("demo cohort generator", () => {
  it("is deterministic for a seed and different across seeds", () => {
    expect(generateDemoCohort({ seed: 3, patients: 5 })).toEqual(generateDemoCohort({ seed: 3, patients: 5 }));
    expect(generateDemoCohort({ seed: 3, patients: 5 })).not.toEqual(generateDemoCohort({ seed: 4, patients: 5 }));
  });

  it("produces valid studies within the documented ranges for many seeds", () => {
    for (let seed = 1; seed <= 40; seed++) {
      for (const p of generateDemoCohort({ seed, patients: 10 })) {
        expect(p.studies.length).toBeGreaterThanOrEqual(2);
        expect(p.studies.length).toBeLessThanOrEqual(12);
        const dates = p.studies.map((s) => s.input.date);
        expect([...dates].sort()).toEqual(dates);
        for (const s of p.studies) {
          const parsed = studyInput.safeParse(s.input);
          expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
          expect(s.input.observations.length).toBeLessThanOrEqual(10);
        }
      }
    }
  });

  it("includes growth, shrinkage, new and vanished lesions across a cohort", () => {
    const patients = generateDemoCohort({ seed: 42, patients: 24 });
    let grew = 0, shrank = 0, appeared = 0, vanished = 0;
    for (const p of patients) {
      const byLesion = new Map<string, number[]>();
      p.studies.forEach((s, i) => s.input.observations.forEach((o) => byLesion.set(p.truth[o.id]!, [...(byLesion.get(p.truth[o.id]!) ?? []), i])));
      for (const [lesion, seen] of byLesion) {
        const sizes = p.studies.flatMap((s) => s.input.observations.filter((o) => p.truth[o.id] === lesion).map((o) => o.longAxisMm));
        if (sizes.at(-1)! > sizes[0]! * 1.2) grew++;
        if (sizes.at(-1)! < sizes[0]! * 0.7) shrank++;
        if (seen[0]! > 0) appeared++;
        if (seen.at(-1)! < p.studies.length - 1) vanished++;
      }
    }
    expect(Math.min(grew, shrank, appeared, vanished)).toBeGreaterThan(0);
  });
});

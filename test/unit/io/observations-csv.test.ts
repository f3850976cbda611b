import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { readObservationRows, readObservationsCsv, writeObservationsCsv, type ObservationRow } from "../../../src/io/observations-csv.ts";

const id = fc.stringMatching(/^[A-Za-z0-9._:~-]{1,12}$/);
const text = fc.string({ minLength: 1, maxLength: 12 }).filter((s) => s.trim() === s && s.length > 0);
const num = fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }).map((x) => (Object.is(x, -0) ? 0 : x));
const pos = fc.double({ min: 0.001, max: 2000, noNaN: true, noDefaultInfinity: true });
const unit = fc.double({ min: 0, max: 1, noNaN: true }).map((x) => (Object.is(x, -0) ? 0 : x));
const vec = (n: fc.Arbitrary<number>) => fc.tuple(n, n, n);
const json: fc.Arbitrary<Record<string, unknown>> = fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }).map((o) => JSON.parse(JSON.stringify(o)) as Record<string, unknown>);

const observation = fc.record({
  id: fc.option(id, { nil: null }),
  positionMm: fc.option(vec(num), { nil: null }),
  positionNormalized: fc.option(vec(unit), { nil: null }),
  longAxisMm: pos,
  shortAxisMm: pos,
  organ: fc.option(text, { nil: null }),
  lesionType: fc.option(text, { nil: null }),
  nodal: fc.boolean(),
  noisy: fc.boolean(),
  embedding: fc.option(fc.array(num, { minLength: 1, maxLength: 5 }), { nil: null }),
  source: fc.option(json, { nil: null }),
});

const row: fc.Arbitrary<ObservationRow> = fc.record({
  patientId: id,
  sex: fc.constantFrom("F", "M", "U", null),
  birthYear: fc.option(fc.integer({ min: 1900, max: 2020 }), { nil: null }),
  referenceDate: fc.option(fc.constantFrom("2024-01-02", "2023-12-31"), { nil: null }),
  studyKey: id,
  date: fc.option(fc.constantFrom("2024-02-19", "2025-06-30"), { nil: null }),
  dayOffset: fc.option(num, { nil: null }),
  orderIndex: fc.option(fc.integer({ min: 0, max: 1000 }), { nil: null }),
  ageYears: fc.option(fc.double({ min: 0, max: 150, noNaN: true }).map((x) => (Object.is(x, -0) ? 0 : x)), { nil: null }),
  modality: fc.option(text, { nil: null }),
  sliceThicknessMm: fc.option(pos, { nil: null }),
  observation: fc.option(observation, { nil: null, freq: 6 }),
});

async function readRows(csv: string): Promise<ObservationRow[]> {
  const out: ObservationRow[] = [];
  for await (const ev of readObservationRows(csv)) {
    if (ev.kind === "rejected") throw new Error(`line ${ev.line}: ${ev.reason}`);
    out.push(ev.row);
  }
  return out;
}

describe("observations CSV reader/writer pair", () => {
  it("read -> write -> read gives the same values; write -> read -> write the same bytes", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(row, { maxLength: 8 }), async (rows) => {
        const csv = writeObservationsCsv(rows);
        const back = await readRows(csv);
        expect(back).toEqual(rows);
        expect(writeObservationsCsv(back)).toBe(csv);
      }),
      { numRuns: 200 },
    );
  });

  it("groups contiguous rows into one patient batch per patient, a lesion-free study as one empty row", async () => {
    const csv = [
      "patient_id,study_key,date,long_axis_mm,short_axis_mm,observation_id,x_mm,y_mm,z_mm,organ,nodal,embedding",
      "P1,S1,2024-01-01,20,12,a,1,2,3,liver,false,0.5 -1",
      "P1,S1,2024-01-01,15,15,b,4,5,6,lymph node,true,1 2",
      "P1,S2,2024-03-01,,,,,,,,,",
      "P2,S1,2024-01-05,11,7,c,,,,lung,,",
    ].join("\n");
    const events = [];
    for await (const ev of readObservationsCsv(csv)) events.push(ev);
    expect(events.map((e) => e.kind)).toEqual(["patient", "patient"]);
    const p1 = events[0] as Extract<(typeof events)[number], { kind: "patient" }>;
    expect(p1.lines).toEqual([2, 3, 4]);
    expect(p1.batch.studies.map((s) => [s.studyKey, s.input.observations.length])).toEqual([["S1", 2], ["S2", 0]]);
    expect(p1.batch.studies[0]!.input.observations[1]).toEqual({ id: "b", positionMm: [4, 5, 6], longAxisMm: 15, shortAxisMm: 15, organ: "lymph node", nodal: true, noisy: false, embedding: [1, 2] });
  });

  it("rejects a row naming the column, a study contradicting itself, and rows of a patient that come back", async () => {
    const csv = [
      "patient_id,study_key,date,long_axis_mm,short_axis_mm,x_mm,y_mm,z_mm",
      "P1,S1,2024-01-01,20,12,1,2,3",
      "P1,S1,2024-01-01,twenty,12,1,2,3",
      "P1,S1,2024-01-01,20,12,1,2,",
      "P1,S1,2024-02-01,20,12,1,2,3",
      "P2,S1,2024-01-01,20,12,1,2,3",
      "P1,S2,2024-05-01,20,12,1,2,3",
    ].join("\n");
    const rejected = [];
    for await (const ev of readObservationsCsv(csv)) if (ev.kind === "rejected") rejected.push(ev);
    expect(rejected.map((r) => [r.line, r.reason])).toEqual([
      [3, 'long_axis_mm: expected a number, got "twenty"'],
      [4, "z_mm: give all of x_mm, y_mm, z_mm or none"],
      [5, "study S1: study columns differ from line 2"],
      [7, "out of order: rows of patient P1 must be contiguous"],
    ]);
  });
});

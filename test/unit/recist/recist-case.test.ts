// The JSON reader of RECIST cases: contract shapes accepted, problems named by their JSON path.
import { describe, expect, it } from "vitest";
import { parseRecistDocument } from "../../../src/io/recist-case.ts";

const valid = () => ({
  id: "c1",
  params: { criteria: "iRECIST" },
  input: {
    baseline: { date: "2024-01-01", targets: [{ id: "a", organ: "liver", nodal: false, value: 20 }], nonTargets: [] },
    followUps: [{ date: "2024-02-12", targets: [{ id: "a", status: "measured", fragments: [5, 6.5] }], nonTargets: [], newLesions: [] }],
  },
});

const message = (doc: unknown): string => {
  const r = parseRecistDocument(JSON.stringify(doc));
  if (r.ok) throw new Error("expected a problem");
  return r.message;
};

describe("parseRecistDocument", () => {
  it("accepts one case and an array of cases, keeping order and ids", () => {
    const one = parseRecistDocument(JSON.stringify(valid()));
    expect(one).toMatchObject({ ok: true, isArray: false });
    const many = parseRecistDocument(JSON.stringify([valid(), { ...valid(), id: "c2" }]));
    if (!many.ok) throw new Error(many.message);
    expect(many.isArray).toBe(true);
    expect(many.cases.map((c) => c.id)).toEqual(["c1", "c2"]);
    expect(many.cases[0]!.input.followUps[0]!.targets[0]).toEqual({ id: "a", status: "measured", fragments: [5, 6.5] });
  });

  it("treats missing params as no overrides", () => {
    const { params: _omit, ...rest } = valid();
    const r = parseRecistDocument(JSON.stringify(rest));
    if (!r.ok) throw new Error(r.message);
    expect(r.cases[0]!.params).toEqual({});
  });

  it("names the path of a wrong type", () => {
    const doc = valid() as unknown as { input: { followUps: { targets: Record<string, unknown>[] }[] } };
    doc.input.followUps[0]!.targets[0] = { id: "a", status: "measured", value: "12" };
    expect(message(doc)).toBe("input.followUps[0].targets[0].value: expected number");
  });

  it("names a missing measured value, a missing mergedInto and an unknown status", () => {
    const doc = valid() as unknown as { input: { followUps: { targets: Record<string, unknown>[] }[] } };
    doc.input.followUps[0]!.targets[0] = { id: "a", status: "measured" };
    expect(message(doc)).toMatch(/^input\.followUps\[0\]\.targets\[0\]\.value: /);
    doc.input.followUps[0]!.targets[0] = { id: "a", status: "merged" };
    expect(message(doc)).toMatch(/^input\.followUps\[0\]\.targets\[0\]\.mergedInto: /);
    doc.input.followUps[0]!.targets[0] = { id: "a", status: "gone" };
    expect(message(doc)).toMatch(/^input\.followUps\[0\]\.targets\[0\]\.status: /);
  });

  it("names problems inside an array, in params and in dates", () => {
    const second = valid() as unknown as { input: { baseline: { date: string } } };
    second.input.baseline.date = "01/01/2024";
    expect(message([valid(), second])).toMatch(/^\[1\]\.input\.baseline\.date: /);
    expect(message({ ...valid(), params: { pdThresholdPct: "20" } })).toBe("params.pdThresholdPct: expected number");
    expect(message({ params: {} })).toBe("input: expected object");
  });

  it("reports invalid JSON", () => {
    const r = parseRecistDocument("{");
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/^invalid JSON/);
  });
});

describe("parseRecistDocument leniency", () => {
  it("reads omitted non-target and new-lesion lists as empty", () => {
    const doc = valid() as unknown as { input: { baseline: Record<string, unknown>; followUps: Record<string, unknown>[] } };
    delete doc.input.baseline.nonTargets;
    delete doc.input.followUps[0]!.nonTargets;
    delete doc.input.followUps[0]!.newLesions;
    const r = parseRecistDocument(JSON.stringify(doc));
    if (!r.ok) throw new Error(r.message);
    expect(r.cases[0]!.input.baseline.nonTargets).toEqual([]);
    expect(r.cases[0]!.input.followUps[0]!.newLesions).toEqual([]);
  });
});

// Confirmation and best overall response (spec §12.2), worked by hand from the spec's wording.
import { describe, expect, it } from "vitest";
import { bestResponse, confirmingIndex, type Assessment, type Kind } from "../../../src/domain/recist/best-response.ts";
import { DEFAULT_PARAMS } from "../../../src/domain/recist/protocol.ts";
import type { Params } from "../../../src/domain/recist/types.ts";

/** "CR@0 NE@10 CR@40" -> assessments. */
const seq = (s: string): Assessment[] => s.split(" ").map((x) => { const [kind, day] = x.split("@"); return { kind: kind as Kind, day: Number(day) }; });
const p = (over: Partial<Params> = {}): Params => ({ ...DEFAULT_PARAMS, ...over });

describe("confirmingIndex (§12.2; confirmMinDays 28, one NE between allowed, no SD between by default)", () => {
  it.each([
    ["CR@0 CR@28", 0, 1],
    ["CR@0 CR@27", 0, null],
    ["CR@0 CR@27 CR@28", 0, 2], // a CR too early to confirm may stand between
    ["CR@0 NE@10 CR@40", 0, 2],
    ["CR@0 NE@10 NE@20 CR@40", 0, null], // two NE between: more than confirmMaxInterveningNe
    ["CR@0 PR@10 CR@40", 0, null], // only CR or NE may stand between a CR and its confirmation
    ["PR@0 PR@28", 0, 1],
    ["PR@0 CR@28", 0, 1],
    ["PR@0 PR@10 PR@40", 0, 2], // an early PR between
    ["PR@0 CR@10 CR@40", 0, 2], // an early CR between
    ["PR@0 CR@10 PR@40", 0, null], // no PR after a CR inside (k, j]
    ["PR@0 SD@10 PR@40", 0, null], // SD between only when confirmAcceptInterveningSd
    ["PR@0 PD@10 PR@40", 0, null],
    ["SD@0 PR@40", 0, null], // only a CR or PR is confirmed
    ["NE@0 CR@40", 0, null],
    ["PR@0 PR@40", 1, null], // the last one has nothing after it
    ["PR@0", 3, null], // out of range
  ] as const)("%s, at index %d -> %s", (s, k, expected) => {
    expect(confirmingIndex(seq(s), k, p())).toBe(expected);
  });

  it.each([
    ["PR@0 SD@10 PR@40", 2],
    ["PR@0 SD@10 SD@20 PR@40", null], // at most one SD
    ["PR@0 SD@10 NE@20 PR@40", 3],
  ] as const)("with confirmAcceptInterveningSd: %s -> %s", (s, expected) => {
    expect(confirmingIndex(seq(s), 0, p({ confirmAcceptInterveningSd: true }))).toBe(expected);
  });

  it("takes the NE allowance from the parameters", () => {
    expect(confirmingIndex(seq("CR@0 NE@10 NE@20 CR@40"), 0, p({ confirmMaxInterveningNe: 2 }))).toBe(3);
    expect(confirmingIndex(seq("CR@0 NE@10 CR@40"), 0, p({ confirmMaxInterveningNe: 0 }))).toBeNull();
  });
});

describe("bestResponse: target disease back after a CR (§12.2, RECIST only)", () => {
  const recist = (rawTargets: (string | null)[]) => ({ stable: "SD" as const, progression: ["PD"] as const, rawTargets });
  it("a CR followed by a raw target PR, before the SD minimum, is confirmed PD", () => {
    expect(bestResponse(seq("CR@30 PR@35"), 0, p(), recist(["CR", "PR"]))).toEqual({ unconfirmed: "CR", confirmed: "PD" });
    expect(bestResponse(seq("CR@30 SD@35"), 0, p(), recist(["CR", "SD"]))).toEqual({ unconfirmed: "CR", confirmed: "PD" });
  });

  it("looks after the first CR only, and at any later assessment, not only the next", () => {
    // A raw target PR before the CR is not disease back after it.
    expect(bestResponse(seq("PR@10 CR@30 NE@36"), 0, p(), recist(["PR", "CR", "NE"]))).toEqual({ unconfirmed: "CR", confirmed: "NE" });
    expect(bestResponse(seq("CR@30 NE@35 PR@40"), 0, p(), recist(["CR", "NE", "PR"]))).toEqual({ unconfirmed: "CR", confirmed: "PD" });
  });

  it("an overall PR after a CR without target disease (raw target still CR) is not progression", () => {
    expect(bestResponse(seq("CR@30 PR@35"), 0, p(), recist(["CR", "CR"]))).toEqual({ unconfirmed: "CR", confirmed: "NE" });
  });

  it("is not applied without raw targets (iBOR, §13.4 decision)", () => {
    expect(bestResponse(seq("CR@30 PR@35"), 0, p(), { stable: "SD", progression: ["UPD", "CPD"] })).toEqual({ unconfirmed: "CR", confirmed: "NE" });
  });
});

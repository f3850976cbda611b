// Continued PR (spec §10.2): when is PR "established" before an assessment, worked by hand.
import { describe, expect, it } from "vitest";
import type { Assessment, Kind } from "../../../src/domain/recist/best-response.ts";
import { prEstablished } from "../../../src/domain/recist/labels.ts";
import { DEFAULT_PARAMS } from "../../../src/domain/recist/protocol.ts";

const seq = (s: string): Assessment[] => s.split(" ").map((x) => { const [kind, day] = x.split("@"); return { kind: kind as Kind, day: Number(day) }; });

describe("prEstablished", () => {
  const plain = { ...DEFAULT_PARAMS, requireConfirmation: false };
  const confirmed = { ...DEFAULT_PARAMS, requireConfirmation: true };

  it.each([
    ["PR@0 SD@30", 1, true],
    ["CR@0 SD@30", 1, true],
    ["SD@0 SD@30", 1, false],
    ["PR@0 PD@20 SD@60", 2, false], // a progression between ends it
    ["PR@0 UPD@20 SD@60", 2, false],
    ["PR@0 NE@20 SD@60", 2, true],
    ["SD@0 PR@30", 0, false], // nothing before the first assessment
  ] as const)("without confirmation: %s, at %d -> %s", (s, t, expected) => {
    expect(prEstablished(seq(s), t, plain)).toBe(expected);
  });

  it.each([
    ["PR@0 PR@30 SD@60", 2, true], // PR@0 confirmed by PR@30, before t
    ["PR@0 PR@30", 1, false], // the confirmation is t itself, not before it
    ["PR@0 SD@10", 1, false], // never confirmed
    ["PR@0 PR@10 SD@20", 2, false], // PR@10 came too early to confirm PR@0
  ] as const)("with confirmation required: %s, at %d -> %s", (s, t, expected) => {
    expect(prEstablished(seq(s), t, confirmed)).toBe(expected);
  });
});

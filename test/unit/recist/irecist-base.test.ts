// iRECIST base response (spec §13.3), the table written out from the spec text, one row per case.
import { describe, expect, it } from "vitest";
import { baseResponse } from "../../../src/domain/recist/irecist.ts";
import type { IResp, NonTargetResp, TargetResp } from "../../../src/domain/recist/types.ts";

type Row = [target: TargetResp | null, nonTarget: NonTargetResp | null, newLesionPresent: boolean, expected: IResp];

const rows: Row[] = [
  // "target CR, non-target CR/null, all new lesions absent -> iCR; target CR otherwise -> iPR"
  ["CR", "CR", false, "iCR"],
  ["CR", null, false, "iCR"],
  ["CR", "CR", true, "iPR"],
  ["CR", null, true, "iPR"],
  ["CR", "NON-CR/NON-PD", false, "iPR"],
  ["CR", "NE", false, "iPR"],
  // "target PR -> iPR; target SD -> iSD; target NE -> NE", whatever the non-targets and known new lesions
  ["PR", "CR", false, "iPR"],
  ["PR", "NON-CR/NON-PD", true, "iPR"],
  ["PR", "NE", false, "iPR"],
  ["SD", "CR", false, "iSD"],
  ["SD", "NON-CR/NON-PD", true, "iSD"],
  ["SD", "NE", false, "iSD"],
  ["NE", "CR", false, "NE"],
  ["NE", "NON-CR/NON-PD", true, "NE"],
  ["NE", null, false, "NE"],
  // "non-target-only: CR and no new lesion present -> iCR, otherwise NON-iCR/NON-iUPD (NE if non-target NE)"
  [null, "CR", false, "iCR"],
  [null, "CR", true, "NON-iCR/NON-iUPD"],
  [null, "NON-CR/NON-PD", false, "NON-iCR/NON-iUPD"],
  [null, "NON-CR/NON-PD", true, "NON-iCR/NON-iUPD"],
  [null, "NE", false, "NE"],
  [null, "NE", true, "NE"],
];

describe("baseResponse (spec §13.3)", () => {
  it.each(rows)("target %s, non-target %s, new lesion present %s -> %s", (target, nonTarget, present, expected) => {
    expect(baseResponse(target, nonTarget, present)).toBe(expected);
  });
});

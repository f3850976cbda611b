import { describe, expect, it } from "vitest";
import { MATCHER_CONFIG, matcherConfigFor } from "../../../src/domain/matching/weights.ts";

describe("matcherConfigFor", () => {
  it("returns the fitted configuration when no body size is given", () => {
    expect(matcherConfigFor()).toBe(MATCHER_CONFIG);
    expect(matcherConfigFor({})).toBe(MATCHER_CONFIG);
  });

  it("replaces only the body size, leaving the shared configuration untouched", () => {
    const before = structuredClone(MATCHER_CONFIG);
    const cfg = matcherConfigFor({ bodySizeMm: [400, 300, 1000] });
    expect(cfg.cost.bodySizeMm).toEqual([400, 300, 1000]);
    expect({ ...cfg, cost: { ...cfg.cost, bodySizeMm: MATCHER_CONFIG.cost.bodySizeMm } }).toEqual(MATCHER_CONFIG);
    expect(MATCHER_CONFIG).toEqual(before);
  });
});

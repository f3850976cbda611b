// The service's protocol keys beside the engine's (spec §2 plus missingTargetMeans).
import { describe, expect, it } from "vitest";
import { PROTOCOL_KEYS, SERVICE_PROTOCOL_DEFAULTS, tracksProtocol } from "../../../src/domain/recist/follow-up-flags.ts";

describe("tracksProtocol", () => {
  it("takes missingTargetMeans out of the engine's parameters", () => {
    expect(tracksProtocol({ criteria: "iRECIST", missingTargetMeans: "disappeared" })).toEqual({ params: { criteria: "iRECIST" }, missingTargetMeans: "disappeared" });
  });

  it("reads a missing or unknown setting as not evaluated, the reader-fed default", () => {
    expect(SERVICE_PROTOCOL_DEFAULTS.missingTargetMeans).toBe("not_evaluated");
    expect(tracksProtocol({ pdThresholdPct: 20 })).toEqual({ params: { pdThresholdPct: 20 }, missingTargetMeans: "not_evaluated" });
    expect(tracksProtocol({ missingTargetMeans: "not_evaluated" }).missingTargetMeans).toBe("not_evaluated");
    expect(tracksProtocol({ missingTargetMeans: "gone" }).missingTargetMeans).toBe("not_evaluated");
  });

  it("lists the service's key among the known protocol keys", () => {
    expect(PROTOCOL_KEYS).toContain("missingTargetMeans");
    expect(PROTOCOL_KEYS).toContain("pdThresholdPct");
  });
});

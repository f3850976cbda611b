import { describe, expect, it } from "vitest";
import { rankReviewQueue, type ReviewItem } from "../../../src/domain/timeline/review-queue.ts";

const link = (id: string, confidence: number, margin: number | null): ReviewItem => ({
  patientId: "P",
  reasons: [],
  kind: "link",
  trackId: "t",
  trackLabel: "T01",
  fromObservationId: `a${id}`,
  toObservationId: `b${id}`,
  fromStudyKey: "S1",
  toStudyKey: "S2",
  fromDiameterMm: 10,
  toDiameterMm: 11,
  cost: 1,
  confidence,
  margin,
  distance: 3,
  moveTargets: [],
});
const candidate = (id: string, distance: number): ReviewItem => ({ ...link(id, 0, null), kind: "candidate", cost: null, confidence: null, distance });

describe("review queue ranking", () => {
  it("takes the lowest confidence, the smallest margin and the nearest vanished/new pair in turn, each item once", () => {
    const items = [link("1", 0.9, 0.1), link("2", 0.2, 3), link("3", 0.5, 0.05), candidate("4", 40), candidate("5", 8), link("6", 0.1, 0.01)];
    const q = rankReviewQueue(items, 10);
    expect(q.map((i) => [i.toObservationId, i.reasons])).toEqual([
      ["b6", ["lowest confidence", "smallest margin"]],
      ["b5", ["vanished and new in one scan"]],
      ["b2", ["lowest confidence"]],
      ["b3", ["smallest margin"]],
      ["b4", ["vanished and new in one scan"]],
      ["b1", ["smallest margin"]],
    ]);
    expect(rankReviewQueue(items, 2).map((i) => i.toObservationId)).toEqual(["b6", "b5"]);
  });

  it("without margins (older timelines) ranks by confidence alone", () => {
    const q = rankReviewQueue([link("1", 0.7, null), link("2", 0.3, null)], 5);
    expect(q.map((i) => [i.toObservationId, i.reasons])).toEqual([["b2", ["lowest confidence"]], ["b1", ["lowest confidence"]]]);
  });
});

import type { QuantileModelParams } from "../domain/growth/quantile-model.ts";

/** File names inside a model directory. */
export const MODEL_FILE = "growth.onnx";
export const CARD_FILE = "growth.card.json";

/** What the loader needs from models/growth.card.json (train writes more: data hash, metrics). */
export interface GrowthModelCard {
  modelVersion: string;
  featureVersion: string;
  featureNames: string[];
  io: {
    input: { name: string; shape: (string | number)[]; [key: string]: unknown };
    output: { name: string; shape: (string | number)[]; columns: string[]; [key: string]: unknown };
  };
  onnx: { sha256: string; opset: number; [key: string]: unknown };
  params: QuantileModelParams;
  [key: string]: unknown;
}

/** Minimal shape check of a parsed card; throws with the missing field's name. */
export function assertModelCard(value: unknown): asserts value is GrowthModelCard {
  const card = value as Partial<GrowthModelCard> | null;
  for (const key of ["modelVersion", "featureVersion", "featureNames", "io", "onnx", "params"] as const) {
    if (!card || card[key] === undefined) throw new Error(`growth model card: missing "${key}"`);
  }
}

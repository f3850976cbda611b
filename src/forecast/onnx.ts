import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import ort from "onnxruntime-node";
import { FEATURE_COUNT, FEATURE_VERSION } from "../domain/growth/features.ts";
import type { GrowthPredictor } from "../domain/growth/predictor.ts";
import type { LogRatioQuantiles } from "../domain/growth/quantile-model.ts";
import { assertModelCard, CARD_FILE, MODEL_FILE, type GrowthModelCard } from "./model-card.ts";

export interface OnnxPredictor extends GrowthPredictor {
  readonly kind: "onnx";
  readonly card: GrowthModelCard;
}

/**
 * Runs a quantile-model ONNX graph with onnxruntime-node: one session, one run per batch.
 * Input [N, F] float32 feature rows, output [N, 3] log-ratio quantiles q10, q50, q90.
 */
export async function createOnnxPredictor(bytes: Uint8Array, card: GrowthModelCard): Promise<OnnxPredictor> {
  if (card.featureVersion !== FEATURE_VERSION) {
    throw new Error(
      `growth model: card feature version "${card.featureVersion}" != code FEATURE_VERSION "${FEATURE_VERSION}"; retrain (npm run train)`,
    );
  }
  const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1, interOpNumThreads: 1 });
  const inputName = card.io.input.name;
  const outputName = card.io.output.name;
  return {
    version: card.modelVersion,
    kind: "onnx",
    card,
    async predict(rows: Float32Array[]): Promise<LogRatioQuantiles[]> {
      if (rows.length === 0) return [];
      const data = new Float32Array(rows.length * FEATURE_COUNT);
      rows.forEach((r, i) => {
        if (r.length !== FEATURE_COUNT) throw new Error(`growth model: row ${i} has ${r.length} features, expected ${FEATURE_COUNT}`);
        data.set(r, i * FEATURE_COUNT);
      });
      const out = await session.run({ [inputName]: new ort.Tensor("float32", data, [rows.length, FEATURE_COUNT]) });
      const y = out[outputName]?.data as Float32Array | undefined;
      if (!y) throw new Error(`growth model: output "${outputName}" missing`);
      return rows.map((_, i) => ({ q10: y[3 * i]!, q50: y[3 * i + 1]!, q90: y[3 * i + 2]! }));
    },
  };
}

/**
 * Loads models/growth.onnx + growth.card.json once. Throws if the card's feature version
 * differs from the code's or the ONNX bytes do not match the card's hash.
 */
export async function loadOnnxPredictor(dir: string): Promise<OnnxPredictor> {
  const card: unknown = JSON.parse(await readFile(path.join(dir, CARD_FILE), "utf8"));
  assertModelCard(card);
  const bytes = await readFile(path.join(dir, MODEL_FILE));
  const sha = createHash("sha256").update(bytes).digest("hex");
  if (sha !== card.onnx.sha256) throw new Error(`growth model: ${MODEL_FILE} sha256 ${sha} does not match the card`);
  return createOnnxPredictor(bytes, card);
}

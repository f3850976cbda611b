import { access } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { GrowthPredictor } from "../domain/growth/predictor.ts";
import { createBaselinePredictor } from "./baseline.ts";
import { MODEL_FILE } from "./model-card.ts";

/** The repository's models/ folder, found from this file rather than from the working directory. */
export const DEFAULT_MODEL_DIR = fileURLToPath(new URL("../../models/", import.meta.url));

/**
 * The ONNX predictor when `dir`/growth.onnx exists, else the LOCF baseline (forecasts then
 * say method "baseline"). A present but incompatible model throws: it is never skipped silently.
 */
export async function loadPredictor(dir: string = DEFAULT_MODEL_DIR): Promise<GrowthPredictor> {
  try {
    await access(path.join(dir, MODEL_FILE));
  } catch {
    return createBaselinePredictor();
  }
  const { loadOnnxPredictor } = await import("./onnx.ts");
  return loadOnnxPredictor(dir);
}

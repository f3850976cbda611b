import { mkdtempSync, readFileSync, writeFileSync, mkdirSync, copyFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { FEATURE_COUNT, FEATURE_NAMES, FEATURE_VERSION, growthFeatures } from "../../../src/domain/growth/features.ts";
import { evaluateQuantileModel, type QuantileModelParams } from "../../../src/domain/growth/quantile-model.ts";
import { loadPredictor, DEFAULT_MODEL_DIR } from "../../../src/forecast/load.ts";
import { CARD_FILE, MODEL_FILE, type GrowthModelCard } from "../../../src/forecast/model-card.ts";
import { createOnnxPredictor, loadOnnxPredictor } from "../../../src/forecast/onnx.ts";
import { exportQuantileModelOnnx } from "../../../src/train/onnx-export.ts";
import { forecastSeries } from "../../../src/domain/growth/forecast.ts";

const featureRow = fc.array(fc.float({ min: -3, max: 3, noNaN: true }), { minLength: FEATURE_COUNT, maxLength: FEATURE_COUNT }).map((v) => Float32Array.from(v));

describe("committed model (models/growth.onnx) under onnxruntime-node", () => {
  it("equals the TypeScript reference of the card's parameters to 1e-4", async () => {
    const p = await loadOnnxPredictor(DEFAULT_MODEL_DIR);
    expect(p.kind).toBe("onnx");
    expect(p.card.featureVersion).toBe(FEATURE_VERSION);
    const realistic = [
      growthFeatures({ timesDays: [0, 42, 84], sizesMm: [30, 20, 25] }, 60),
      growthFeatures({ timesDays: [0, 40, 80, 120], sizesMm: [12, 0, 0, 3] }, 400),
      growthFeatures({ timesDays: [-20, 40], sizesMm: [55, 61] }, 1),
    ];
    await fc.assert(
      fc.asyncProperty(fc.array(featureRow, { minLength: 1, maxLength: 40 }), async (rows) => {
        const all = [...realistic, ...rows];
        const got = await p.predict(all);
        all.forEach((x, i) => {
          const want = evaluateQuantileModel(p.card.params, x);
          expect(Math.abs(got[i]!.q10 - want.q10)).toBeLessThan(1e-4);
          expect(Math.abs(got[i]!.q50 - want.q50)).toBeLessThan(1e-4);
          expect(Math.abs(got[i]!.q90 - want.q90)).toBeLessThan(1e-4);
        });
      }),
      { numRuns: 20 },
    );
  });
  it("drives forecastSeries: method model, the card's version, ordered interval", async () => {
    const p = await loadOnnxPredictor(DEFAULT_MODEL_DIR);
    const out = await forecastSeries([{ timesDays: [0, 42, 84, 126], sizesMm: [40, 30, 28, 33] }], [[42, 84, 365]], p);
    for (const f of out[0]!) {
      expect(f.method).toBe("model");
      expect(f.modelVersion).toBe(p.card.modelVersion);
      expect(f.q10Mm).toBeLessThanOrEqual(f.predMm);
      expect(f.predMm).toBeLessThanOrEqual(f.q90Mm);
    }
  });
  it("is what loadPredictor picks when the file exists", async () => {
    const p = await loadPredictor();
    expect(p.kind).toBe("onnx");
    expect(await p.predict([])).toEqual([]);
  });
});

describe("export -> onnxruntime round trip with crossing heads", () => {
  it("uncrosses exactly as the reference: q10 = min(raw10, q50), q90 = max(raw90, q50)", async () => {
    // Heads that cross for some inputs: q10 weight positive, q90 weight negative.
    const params: QuantileModelParams = {
      featureVersion: FEATURE_VERSION,
      featureNames: [...FEATURE_NAMES],
      quantiles: [0.1, 0.5, 0.9],
      weights: FEATURE_NAMES.map((_, f) => [Math.fround(0.3 * (f + 1)), Math.fround(0.1), Math.fround(-0.2 * f)] as const),
      bias: [-0.5, 0, 0.5],
    };
    const card = { modelVersion: "t", featureVersion: FEATURE_VERSION, featureNames: [...FEATURE_NAMES], io: { input: { name: "features", shape: ["N", FEATURE_COUNT] }, output: { name: "quantiles", shape: ["N", 3], columns: ["q10", "q50", "q90"] } }, onnx: { sha256: "", opset: 13 }, params } satisfies GrowthModelCard;
    const p = await createOnnxPredictor(exportQuantileModelOnnx(params, "test"), card);
    await fc.assert(
      fc.asyncProperty(fc.array(featureRow, { minLength: 1, maxLength: 20 }), async (rows) => {
        const got = await p.predict(rows);
        rows.forEach((x, i) => {
          const want = evaluateQuantileModel(params, x);
          expect(got[i]!.q10).toBeLessThanOrEqual(got[i]!.q50 + 1e-6);
          expect(got[i]!.q90).toBeGreaterThanOrEqual(got[i]!.q50 - 1e-6);
          expect(Math.abs(got[i]!.q10 - want.q10)).toBeLessThan(1e-4);
          expect(Math.abs(got[i]!.q90 - want.q90)).toBeLessThan(1e-4);
        });
      }),
      { numRuns: 20 },
    );
  });
});

describe("loading refuses what it cannot trust", () => {
  const made: string[] = [];
  const tempDir = (prefix: string): string => {
    const dir = mkdtempSync(path.join(tmpdir(), prefix));
    made.push(dir);
    return dir;
  };
  afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
  const copyModel = (edit: (card: GrowthModelCard) => void): string => {
    const dir = tempDir("growth-model-");
    copyFileSync(path.join(DEFAULT_MODEL_DIR, MODEL_FILE), path.join(dir, MODEL_FILE));
    const card = JSON.parse(readFileSync(path.join(DEFAULT_MODEL_DIR, CARD_FILE), "utf8")) as GrowthModelCard;
    edit(card);
    writeFileSync(path.join(dir, CARD_FILE), JSON.stringify(card));
    return dir;
  };
  it("throws on a feature version mismatch", async () => {
    const dir = copyModel((c) => {
      c.featureVersion = "growth-features-v0";
    });
    await expect(loadOnnxPredictor(dir)).rejects.toThrow(/feature version/);
    await expect(loadPredictor(dir)).rejects.toThrow(/feature version/);
  });
  it("throws when the ONNX bytes do not match the card's hash", async () => {
    const dir = copyModel((c) => {
      c.onnx.sha256 = "0".repeat(64);
    });
    await expect(loadOnnxPredictor(dir)).rejects.toThrow(/sha256/);
  });
  it("falls back to the baseline predictor when there is no model file", async () => {
    const dir = tempDir("growth-empty-");
    mkdirSync(dir, { recursive: true });
    const p = await loadPredictor(dir);
    expect(p.kind).toBe("baseline");
    const [q] = await p.predict([growthFeatures({ timesDays: [0, 30], sizesMm: [10, 12] }, 30)]);
    expect(q!.q50).toBe(0);
  });
});

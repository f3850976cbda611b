import { z } from "zod";
import { firstDimensionMismatch } from "../../domain/matching/cost.ts";
import { jsonObject, text } from "./json-guard.ts";

/** Positions and body sizes beyond this are not a human body in a scanner (mm). */
export const MAX_BODY_EXTENT_MM = 5000;
const coordinateMm = z.number().min(-MAX_BODY_EXTENT_MM).max(MAX_BODY_EXTENT_MM);
const vec3 = z.tuple([coordinateMm, coordinateMm, coordinateMm]);
/** Keeps squared norms (4096 x 1e12 at most) far from overflow; real embeddings are near unit scale. */
const embeddingValue = z.number().min(-1e6).max(1e6);
const unit = z.number().min(0).max(1);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "expected a date YYYY-MM-DD").refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), "not a calendar date");
export const IDENTIFIER_RULE = "1 to 128 letters, digits and . _ : ~ - only";
export const identifier = z.string().min(1).max(128).regex(/^[A-Za-z0-9._:~-]+$/, "letters, digits and . _ : ~ - only");

export const observationInput = z
  .object({
    id: identifier.optional().describe("client id of the observation, unique within the patient; default `<studyKey>/<n>`"),
    positionMm: vec3.optional().describe("position in mm in this study's patient frame (x, y, z)"),
    positionNormalized: z.tuple([unit, unit, unit]).optional().describe("normalised body coordinates in [0, 1] (DeepLesion)"),
    longAxisMm: z.number().positive().max(2000).describe("longest diameter, mm"),
    shortAxisMm: z.number().min(0).max(2000).describe("longest perpendicular diameter, mm"),
    organ: text().min(1).max(64).optional(),
    lesionType: text().min(1).max(64).optional(),
    nodal: z.boolean().default(false).describe("lymph node: RECIST uses the short axis"),
    embedding: z.array(embeddingValue).min(1).max(4096).optional().describe("vector from an upstream image model"),
    source: jsonObject().optional().describe("series, slice, file, ..."),
    noisy: z.boolean().default(false).describe("annotation may be wrong (DeepLesion Possibly_noisy)"),
  })
  .strict()
  .superRefine((o, ctx) => {
    if (o.shortAxisMm > o.longAxisMm) ctx.addIssue({ code: "custom", path: ["shortAxisMm"], message: "short axis must not exceed long axis" });
  });

export const studyInput = z
  .object({
    date: isoDate.optional().describe("study date"),
    dayOffset: z.number().min(-73050).max(73050).optional().describe("days from the patient's reference point"),
    orderIndex: z.number().int().min(0).max(100000).optional().describe("chronological index (DeepLesion Study_index)"),
    ageYears: z.number().min(0).max(150).optional().describe("patient age at the study, years"),
    modality: text().min(1).max(16).default("CT"),
    sliceThicknessMm: z.number().positive().max(50).optional(),
    observations: z.array(observationInput).max(500),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.date === undefined && s.dayOffset === undefined && s.orderIndex === undefined && s.ageYears === undefined)
      ctx.addIssue({ code: "custom", path: ["date"], message: "one of date, dayOffset, ageYears or orderIndex is required" });
    const clash = firstDimensionMismatch(s.observations.map((o) => o.embedding));
    if (clash) ctx.addIssue({ code: "custom", path: ["observations", clash.index, "embedding"], message: `embedding dimension ${clash.dimension} differs from the study's other embeddings (${clash.expected})` });
    const ids = new Set<string>();
    s.observations.forEach((o, i) => {
      if (o.id) {
        if (ids.has(o.id)) ctx.addIssue({ code: "custom", path: ["observations", i, "id"], message: `duplicate observation id ${o.id}` });
        ids.add(o.id);
      }
    });
  });

export type StudyInput = z.infer<typeof studyInput>;
export type ObservationInput = z.infer<typeof observationInput>;

export const patientInput = z
  .object({
    sex: z.enum(["F", "M", "U"]).optional(),
    birthYear: z.number().int().min(1880).max(2100).optional(),
    referenceDate: isoDate.optional().describe("treatment start / randomisation (RECIST reference date)"),
    metadata: jsonObject().default({}),
  })
  .strict();
export type PatientInput = z.infer<typeof patientInput>;

export const cohortSettings = z
  .object({
    scanIntervalDays: z.number().positive().max(3650).default(56).describe("expected days between scans: default forecast horizons"),
    forecastHorizonsDays: z.array(z.number().positive().max(3650)).max(8).optional().describe("override: forecast horizons after the last scan"),
    bodySizeMm: z.tuple([z.number().positive().max(MAX_BODY_EXTENT_MM), z.number().positive().max(MAX_BODY_EXTENT_MM), z.number().positive().max(MAX_BODY_EXTENT_MM)]).default([350, 300, 900]).describe("scale of normalised body coordinates, mm"),
    annotations: z.enum(["complete", "partial"]).optional().describe('"partial": only some lesions per study are annotated (DeepLesion imports set it); responses are then reported as size change of tracked lesions, not RECIST categories'),
  })
  .strict();

export const cohortInput = z
  .object({
    cohortId: identifier.optional().describe("chosen id; generated when absent"),
    name: text().min(1).max(200),
    description: text().max(2000).optional(),
    protocol: jsonObject().default({}).describe("RECIST protocol parameters (overrides of recist.md §2), plus missingTargetMeans: \"not_evaluated\" (default) | \"disappeared\" for a target with no observation and no flag"),
    settings: cohortSettings.default({ scanIntervalDays: 56, bodySizeMm: [350, 300, 900] }),
  })
  .strict();
export type CohortInput = z.infer<typeof cohortInput>;

/** Converts a zod error path to `a.b[2].c`, the form problem+json reports. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const p of path) out += typeof p === "number" ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out || "(body)";
}

import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { importDeepLesion } from "../../service/import-deeplesion.ts";
import { importObservationsCsv } from "../../service/import-csv.ts";
import { AppError } from "../../service/errors.ts";
import { ctxFor } from "../access.ts";
import type { AppEnv } from "../env.ts";
import { problem } from "../errors.ts";
import { CohortParams, errorResponses, json } from "./common.ts";
import { router } from "./router.ts";

/** Upload bodies are streamed into the import, never buffered; this bounds one upload. */
export const IMPORT_BODY_LIMIT_BYTES = 256 * 1024 * 1024;

/** Routes whose CSV bodies stream past the JSON body limit and content-type rule (see app.ts). */
export const isStreamedUpload = (path: string): boolean => /^\/v1\/cohorts\/[^/]+\/imports\/(deeplesion|csv|sr)$/.test(path);

export const ImportSummarySchema = z
  .object({
    format: z.enum(["deeplesion", "csv", "dicom-sr"]),
    cohortId: z.string(),
    rowsRead: z.number().int(),
    rowsImported: z.number().int(),
    rowsRejected: z.number().int(),
    patients: z.number().int(),
    patientsChanged: z.number().int().describe("0 when the same file is imported again"),
    studies: z.number().int(),
    lesions: z.number().int().describe("observations stored, after merging duplicate series"),
    duplicatesMerged: z.number().int(),
    rejected: z.array(z.object({ line: z.number().int(), reason: z.string() })).describe("first 1000 rejected rows"),
    aborted: z.object({ line: z.number().int().nullable(), reason: z.string() }).nullable(),
    seconds: z.number(),
    rowsPerSecond: z.number(),
    sr: z
      .object({
        groupsSkipped: z.array(z.object({ line: z.number().int(), reason: z.string() })).describe("measurement groups not imported (not lesions, or not in mm): file/part number and reason"),
        observationsWithoutPosition: z.number().int().describe("2-D coordinates on images whose geometry was not given"),
        confirmedLinks: z.number().int().describe("confirmed links stored from Tracking Unique Identifiers shared across studies"),
      })
      .optional()
      .describe("DICOM SR imports only (rows are reports: one file or multipart part each)"),
  })
  .openapi("ImportSummary");

const csvBody = (description: string) => ({ required: true, description, content: { "text/csv": { schema: z.string().openapi({ format: "binary" }) } } });

const deeplesion = createRoute({
  method: "post",
  path: "/v1/cohorts/{cohortId}/imports/deeplesion",
  tags: ["imports"],
  summary: "Import DeepLesion DL_info.csv as released (streamed; one transaction per patient; rerun changes nothing)",
  request: { params: CohortParams, body: csvBody("DL_info.csv, text/csv") },
  responses: { 200: json(ImportSummarySchema, "import summary with rejected rows"), 415: { ...errorResponses[400], description: "body is not text/csv" }, ...errorResponses },
});

const csv = createRoute({
  method: "post",
  path: "/v1/cohorts/{cohortId}/imports/csv",
  tags: ["imports"],
  summary: "Import the flat observations CSV (one row per observation; streamed)",
  request: { params: CohortParams, body: csvBody("observations CSV, text/csv") },
  responses: { 200: json(ImportSummarySchema, "import summary with rejected rows"), 415: { ...errorResponses[400], description: "body is not text/csv" }, ...errorResponses },
});

/** The request body as a byte stream that fails once it passes the upload limit. */
async function* limitedBody(body: ReadableStream<Uint8Array>, limit: number): AsyncGenerator<Uint8Array> {
  let size = 0;
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.length;
    if (size > limit) throw new AppError("payload_too_large", `upload exceeds ${limit} bytes`);
    yield chunk;
  }
}

function uploadSource(c: Context<AppEnv>): AsyncGenerator<Uint8Array> | Response {
  const type = (c.req.header("content-type") ?? "").toLowerCase();
  if (!/^(text\/csv|text\/plain|application\/octet-stream)\b/.test(type)) return problem(c, "unsupported_media_type", "send the body as text/csv");
  const declared = Number(c.req.header("content-length") ?? "0");
  if (declared > IMPORT_BODY_LIMIT_BYTES) return problem(c, "payload_too_large", `upload exceeds ${IMPORT_BODY_LIMIT_BYTES} bytes`);
  const body = c.req.raw.body;
  if (!body) throw new AppError("validation_failed", "(body): empty body, expected CSV", [{ path: "(body)", message: "empty body, expected CSV" }]);
  return limitedBody(body, IMPORT_BODY_LIMIT_BYTES);
}

export const importRoutes = router()
  .openapi(deeplesion, async (c) => {
    const { cohortId } = c.req.valid("param");
    const ctx = ctxFor(c, cohortId, "write");
    const source = uploadSource(c);
    if (source instanceof Response) return source as never;
    return c.json(await importDeepLesion({ ctx, cohortId, source }), 200);
  })
  .openapi(csv, async (c) => {
    const { cohortId } = c.req.valid("param");
    const ctx = ctxFor(c, cohortId, "write");
    const source = uploadSource(c);
    if (source instanceof Response) return source as never;
    return c.json(await importObservationsCsv({ ctx, cohortId, source }), 200);
  });

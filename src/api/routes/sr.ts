import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { boundaryOf, splitMultipart } from "../../io/dicom-sr/multipart.ts";
import { exportStudySr } from "../../service/export-sr.ts";
import { importSr, type SrInput } from "../../service/import-sr.ts";
import { AppError } from "../../service/errors.ts";
import { ctxFor } from "../access.ts";
import type { AppEnv } from "../env.ts";
import { problem } from "../errors.ts";
import { CohortParams, StudyParams, errorResponses, json } from "./common.ts";
import { IMPORT_BODY_LIMIT_BYTES, ImportSummarySchema } from "./imports.ts";
import { router } from "./router.ts";

const binary = z.string().openapi({ format: "binary" });

const importSrRoute = createRoute({
  method: "post",
  path: "/v1/cohorts/{cohortId}/imports/sr",
  tags: ["imports"],
  summary: "Import DICOM SR TID 1500 measurement reports (one study per report; Tracking UIDs shared across studies become confirmed links)",
  request: {
    params: CohortParams,
    query: z.object({ patientId: z.string().optional().openapi({ description: "patient of reports that carry no PatientID" }) }),
    body: {
      required: true,
      description: "one Part 10 file (application/dicom), several as multipart/related; type=\"application/dicom\" (STOW-RS style), or DICOM JSON (application/dicom+json: a dataset or an array; image headers in it give 2-D coordinates their geometry)",
      content: {
        "application/dicom": { schema: binary },
        'multipart/related; type="application/dicom"': { schema: binary },
        // A plain schema object, not zod: the handler parses DICOM JSON itself (a zod schema would make the router consume the body).
        "application/dicom+json": { schema: { description: "DICOM JSON (PS3.18 F.2): a dataset object, or an array of them" } },
      },
    },
  },
  responses: {
    200: json(ImportSummarySchema, "import summary: rows are reports; refused reports with the reason; skipped measurement groups under sr"),
    415: { ...errorResponses[400], description: "body is not application/dicom, multipart/related or application/dicom+json" },
    ...errorResponses,
  },
});

const exportSrRoute = createRoute({
  method: "get",
  path: "/v1/cohorts/{cohortId}/patients/{patientId}/studies/{studyKey}/sr",
  tags: ["studies"],
  summary: "The study as a DICOM SR TID 1500 Imaging Measurement Report (Part 10): one measurement group per track, RECIST role and response",
  request: { params: StudyParams },
  responses: { 200: { description: "Comprehensive SR (Comprehensive 3D SR when lesions have positions)", content: { "application/dicom": { schema: binary } } }, ...errorResponses },
});

async function bodyBytes(c: Context<AppEnv>): Promise<Uint8Array> {
  const declared = Number(c.req.header("content-length") ?? "0");
  if (declared > IMPORT_BODY_LIMIT_BYTES) throw new AppError("payload_too_large", `upload exceeds ${IMPORT_BODY_LIMIT_BYTES} bytes`);
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  if (bytes.length > IMPORT_BODY_LIMIT_BYTES) throw new AppError("payload_too_large", `upload exceeds ${IMPORT_BODY_LIMIT_BYTES} bytes`);
  if (bytes.length === 0) throw bad("(body)", "empty body");
  return bytes;
}

const bad = (path: string, message: string) => new AppError("validation_failed", `${path}: ${message}`, [{ path, message }]);

/** The upload as named inputs, by media type; null = a media type this route does not take. */
async function inputsOf(c: Context<AppEnv>): Promise<SrInput[] | null> {
  const type = (c.req.header("content-type") ?? "").toLowerCase();
  if (/^application\/dicom\s*(;|$)/.test(type)) return [{ name: "(body)", part10: await bodyBytes(c) }];
  if (/^application\/dicom\+json\b/.test(type)) {
    const text = new TextDecoder().decode(await bodyBytes(c));
    try {
      return [{ name: "(body)", json: JSON.parse(text) }];
    } catch {
      throw bad("(body)", "not valid JSON");
    }
  }
  if (/^multipart\/related\b/.test(type)) {
    const boundary = boundaryOf(c.req.header("content-type") ?? "");
    if (!boundary) throw bad("content-type", "multipart/related needs a boundary parameter");
    let parts;
    try {
      parts = splitMultipart(await bodyBytes(c), boundary, "application/dicom");
    } catch (e) {
      if (e instanceof AppError) throw e;
      throw bad("(body)", (e as Error).message);
    }
    if (parts.length === 0) throw bad("(body)", "multipart body without parts");
    return parts.map((p, i) => {
      const name = `part ${i + 1}`;
      if (/^application\/dicom\+json\b/i.test(p.type)) {
        try {
          return { name, json: JSON.parse(new TextDecoder().decode(p.bytes)) as unknown };
        } catch {
          throw bad(name, "not valid JSON");
        }
      }
      if (!/^application\/(dicom|octet-stream)\s*(;|$)/i.test(p.type)) throw bad(name, `media type ${p.type}: expected application/dicom`);
      return { name, part10: p.bytes };
    });
  }
  return null;
}

export const srRoutes = router()
  .openapi(importSrRoute, async (c) => {
    const { cohortId } = c.req.valid("param");
    const { patientId } = c.req.valid("query");
    const ctx = ctxFor(c, cohortId, "write");
    const inputs = await inputsOf(c);
    if (!inputs) return problem(c, "unsupported_media_type", 'send application/dicom, multipart/related; type="application/dicom" or application/dicom+json') as never;
    const summary = await importSr({ ctx, cohortId, inputs, ...(patientId !== undefined ? { patientId } : {}) });
    // Nothing could be imported: the upload as a whole is refused, each report's reason named.
    if (summary.rowsImported === 0 && summary.rowsRejected > 0) {
      const issues = summary.rejected.map((r) => ({ path: r.reason.split(": ")[0] ?? "(body)", message: r.reason.split(": ").slice(1).join(": ") }));
      throw new AppError("validation_failed", `no report imported: ${summary.rejected.map((r) => r.reason).join("; ")}`, issues);
    }
    return c.json(summary, 200);
  })
  .openapi(exportSrRoute, async (c) => {
    const { cohortId, patientId, studyKey } = c.req.valid("param");
    const ctx = ctxFor(c, cohortId, "read");
    const file = await exportStudySr({ ctx, cohortId, patientId, studyKey });
    return c.body(file.bytes as never, 200, { "content-type": "application/dicom", "content-disposition": `attachment; filename="${file.sopInstanceUid}.dcm"` }) as never;
  });

import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { exportObservationsCsv } from "../../service/export-csv.ts";
import { exportSdtm } from "../../service/export-sdtm.ts";
import { getCohort } from "../../service/read-cohort.ts";
import { observationCsvLine, observationsCsvHeader } from "../../io/observations-csv.ts";
import { RS, TR, TU } from "../../io/sdtm/columns.ts";
import { datasetJsonHead, datasetJsonRow, datasetJsonTail } from "../../io/sdtm/dataset-json.ts";
import { ctxFor } from "../access.ts";
import type { AppEnv } from "../env.ts";
import { CohortParams, errorResponses } from "./common.ts";
import { router } from "./router.ts";

const DOMAINS = { tu: TU, tr: TR, rs: RS } as const;

const csv = createRoute({
  method: "get",
  path: "/v1/cohorts/{cohortId}/export/csv",
  tags: ["exports"],
  summary: "The cohort's observations as the flat CSV (streamed; the same file as `lesiontrack export csv`)",
  request: { params: CohortParams },
  responses: { 200: { description: "observations CSV, one row per observation", content: { "text/csv": { schema: z.string() } } }, ...errorResponses },
});

const sdtm = createRoute({
  method: "get",
  path: "/v1/cohorts/{cohortId}/export/sdtm",
  tags: ["exports"],
  summary: "One CDISC SDTM domain (TU, TR or RS) of the cohort as Dataset-JSON 1.1 (streamed)",
  request: { params: CohortParams, query: z.object({ domain: z.enum(["tu", "tr", "rs"]).openapi({ description: "TU tumour identification, TR tumour results, RS responses" }) }) },
  responses: { 200: { description: "Dataset-JSON 1.1 of the domain", content: { "application/json": { schema: z.object({ datasetJSONVersion: z.string(), rows: z.array(z.array(z.unknown())), records: z.number().int() }).passthrough() } } }, ...errorResponses },
});

/**
 * Streams what `produce` writes; the export reads one snapshot, so a failure midway can only
 * abort the body (the status was sent), which a client sees as a truncated transfer.
 */
function streamed(c: Context<AppEnv>, contentType: string, filename: string, produce: (write: (text: string) => Promise<void>) => Promise<void>): Response {
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  const writer = writable.getWriter();
  const encoder = new TextEncoder();
  void produce(async (text) => {
    await writer.ready;
    await writer.write(encoder.encode(text));
  }).then(() => writer.close(), (e: unknown) => {
    console.error(`[${c.get("requestId" as never) ?? "-"}] export aborted`, e);
    return writer.abort(e);
  });
  return new Response(readable, { status: 200, headers: { "content-type": contentType, "content-disposition": `attachment; filename="${filename}"` } });
}

export const exportRoutes = router()
  .openapi(csv, async (c) => {
    const { cohortId } = c.req.valid("param");
    const ctx = ctxFor(c, cohortId, "read");
    await getCohort({ ctx, cohortId }); // a 404 before the body starts
    return streamed(c, "text/csv; charset=utf-8", `${cohortId}-observations.csv`, async (write) => {
      await write(observationsCsvHeader());
      await exportObservationsCsv({ ctx, cohortId, sink: async (rows) => write(rows.map(observationCsvLine).join("")) });
    }) as never;
  })
  .openapi(sdtm, async (c) => {
    const { cohortId } = c.req.valid("param");
    const domain = DOMAINS[c.req.valid("query").domain];
    const ctx = ctxFor(c, cohortId, "read");
    await getCohort({ ctx, cohortId });
    const key = domain.name.toLowerCase() as keyof typeof DOMAINS;
    return streamed(c, "application/json", `${cohortId}-${key}.json`, async (write) => {
      await write(datasetJsonHead(domain, { createdAt: ctx.clock.now().toISOString(), studyId: cohortId, sourceSystem: { name: "lesiontrack", version: "0.1.0" } }));
      let records = 0;
      await exportSdtm({
        ctx, cohortId,
        sink: async (rows) => {
          let text = "";
          for (const r of rows[key]) text += datasetJsonRow(domain, r, records++);
          if (text) await write(text);
        },
      });
      await write(datasetJsonTail(records));
    }) as never;
  });

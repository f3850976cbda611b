import { createRoute, z } from "@hono/zod-openapi";
import { readAudit } from "../../service/read-audit.ts";
import { ctxFor } from "../access.ts";
import { PatientParams, errorResponses, json } from "./common.ts";
import { router } from "./router.ts";

/** Keyset pagination of audit pages. */
export const AuditQuery = z.object({
  cursor: z.string().max(32).optional().openapi({ description: "nextCursor of the previous page" }),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

export const AuditEntry = z
  .object({
    auditId: z.number().int(),
    at: z.string(),
    actor: z.string().openapi({ description: "key:<keyId>, jwt:<subject>, or the CLI/import that wrote" }),
    action: z.string().openapi({ example: "study.replace" }),
    route: z.string().nullable(),
    requestId: z.string().nullable(),
    before: z.unknown(),
    after: z.unknown(),
  })
  .openapi("AuditEntry");

const list = createRoute({
  method: "get",
  path: "/v1/cohorts/{cohortId}/patients/{patientId}/audit",
  tags: ["audit"],
  summary: "The patient's audit trail, newest first (admins of the cohort only)",
  request: {
    params: PatientParams,
    query: AuditQuery,
  },
  responses: { 200: json(z.object({ items: z.array(AuditEntry), nextCursor: z.string().nullable() }), "a page of entries"), ...errorResponses },
});

export const auditRoutes = router().openapi(list, async (c) => {
  const { cohortId, patientId } = c.req.valid("param");
  const { cursor, limit } = c.req.valid("query");
  return c.json(await readAudit({ ctx: ctxFor(c, cohortId, "admin"), cohortId, patientId, limit, ...(cursor !== undefined ? { cursor } : {}) }), 200);
});

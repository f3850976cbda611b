import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { z } from "@hono/zod-openapi";
import { HTTPException } from "hono/http-exception";
import { AppError, type ErrorCode, type FieldIssue } from "../service/errors.ts";
import { formatPath } from "../service/inputs/study.ts";
import { jsonFault, MAX_BODY_DEPTH } from "../service/inputs/json-guard.ts";

/** The one code -> HTTP status map (exhaustive: a new code will not compile until mapped). */
export const STATUS_OF: Record<ErrorCode, ContentfulStatusCode> = {
  validation_failed: 400,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unauthorized: 401,
  forbidden: 403,
  rate_limited: 429,
  internal: 500,
};

const TITLE_OF: Record<ErrorCode, string> = {
  validation_failed: "Invalid request",
  not_found: "Not found",
  conflict: "Conflict",
  payload_too_large: "Payload too large",
  unsupported_media_type: "Unsupported media type",
  unauthorized: "Unauthorized",
  forbidden: "Forbidden",
  rate_limited: "Too many requests",
  internal: "Internal error",
};

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string(),
    code: z.string(),
    requestId: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .openapi("Problem");

/** RFC 9457 problem+json; never a stack trace. */
export function problem(c: Context, code: ErrorCode, detail: string, issues: FieldIssue[] = []): Response {
  const status = STATUS_OF[code];
  const body = {
    type: `https://lesiontrack.dev/problems/${code}`,
    title: TITLE_OF[code],
    status,
    detail,
    instance: c.req.path,
    code,
    requestId: (c.get("requestId" as never) as string | undefined) ?? "",
    ...(issues.length > 0 ? { errors: issues } : {}),
  };
  return c.body(JSON.stringify(body), status, { "content-type": "application/problem+json" });
}

export function problemFromError(c: Context, err: unknown): Response {
  if (err instanceof AppError) return problem(c, err.code, err.message, err.issues);
  if (err instanceof z.ZodError) {
    const issues = err.issues.map((i) => ({ path: formatPath(i.path), message: i.message }));
    return problem(c, "validation_failed", issues.map((i) => `${i.path}: ${i.message}`).join("; "), issues);
  }
  if (err instanceof HTTPException) {
    if (err.status === 413) return problem(c, "payload_too_large", "request body exceeds the configured limit");
    if (err.status === 400) return problem(c, "validation_failed", `(body): ${err.message}`, [{ path: "(body)", message: err.message }]);
  }
  console.error(`[${(c.get("requestId" as never) as string | undefined) ?? "-"}]`, err);
  return problem(c, "internal", "an unexpected error occurred; it has been logged with the request id");
}

/** Hook for @hono/zod-openapi: a failed schema becomes problem+json naming the field. */
export function validationHook(result: { success: boolean; data?: unknown; error?: unknown; target?: string }, c: Context): Response | undefined {
  const prefix = result.target && result.target !== "json" ? `${result.target}.` : "";
  if (result.success) {
    // A net under every schema: no field of any route may carry NUL or nest without bound.
    const fault = jsonFault(result.data, MAX_BODY_DEPTH);
    if (!fault) return undefined;
    const issue = { path: prefix + formatPath(fault.path), message: fault.message };
    return problem(c, "validation_failed", `${issue.path}: ${issue.message}`, [issue]);
  }
  const err = result.error as z.ZodError;
  const issues = err.issues.map((i) => ({ path: prefix + formatPath(i.path), message: i.message }));
  return problem(c, "validation_failed", issues.map((i) => `${i.path}: ${i.message}`).join("; "), issues);
}

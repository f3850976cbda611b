import { z } from "@hono/zod-openapi";
import { ProblemSchema } from "../errors.ts";

const id = (name: string, example: string) =>
  z.string().min(1).max(128).regex(/^[A-Za-z0-9._:~-]+$/).openapi({ param: { name, in: "path" }, example });

/** Timelines may be kept by the caller but must be revalidated (ETag) before use. */
export const TIMELINE_CACHE_CONTROL = "private, no-cache";

export const CohortParams = z.object({ cohortId: id("cohortId", "demo") });
export const PatientParams = CohortParams.extend({ patientId: id("patientId", "P0001") });
export const StudyParams = PatientParams.extend({ studyKey: id("studyKey", "S01") });

const problemContent = { "application/problem+json": { schema: ProblemSchema } };
/** The error responses every route documents (bodies are RFC 9457 problem+json). */
export const errorResponses = {
  400: { description: "invalid input (the offending field is named)", content: problemContent },
  401: { description: "missing or invalid credentials", content: problemContent },
  403: { description: "credential lacks the needed role", content: problemContent },
  404: { description: "unknown id (or a cohort this credential cannot see)", content: problemContent },
  413: { description: "body over the configured limit", content: problemContent },
  429: { description: "rate limit exceeded (see Retry-After)", content: problemContent },
} as const;

export const conflictResponse = { description: "the id is already taken", content: problemContent } as const;

export const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { "application/json": { schema } } });

import { DEFAULT_PARAMS } from "../domain/recist/protocol.ts";
import { AppError, type FieldIssue } from "./errors.ts";

/**
 * Checks a cohort's RECIST protocol overrides against the parameters of recist.md §2:
 * known keys only, each of its default's type (numbers finite and >= 0).
 */
export function validateProtocol(protocol: Record<string, unknown>): Record<string, unknown> {
  const issues: FieldIssue[] = [];
  for (const [key, value] of Object.entries(protocol)) {
    const path = `protocol.${key}`;
    if (!(key in DEFAULT_PARAMS)) {
      issues.push({ path, message: `unknown protocol parameter; known: ${Object.keys(DEFAULT_PARAMS).join(", ")}` });
      continue;
    }
    const def = (DEFAULT_PARAMS as unknown as Record<string, unknown>)[key];
    if (key === "criteria") {
      if (value !== "RECIST1.1" && value !== "iRECIST") issues.push({ path, message: 'expected "RECIST1.1" or "iRECIST"' });
    } else if (typeof def === "boolean") {
      if (typeof value !== "boolean") issues.push({ path, message: "expected boolean" });
    } else if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
      issues.push({ path, message: "expected a finite number >= 0" });
    }
  }
  if (issues.length > 0) throw new AppError("validation_failed", issues.map((i) => `${i.path}: ${i.message}`).join("; "), issues);
  return protocol;
}

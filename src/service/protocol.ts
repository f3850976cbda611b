import { DEFAULT_PARAMS } from "../domain/recist/protocol.ts";
import { MISSING_TARGET_MEANS, PROTOCOL_KEYS } from "../domain/recist/follow-up-flags.ts";
import { AppError, type FieldIssue } from "./errors.ts";

/**
 * Checks a cohort's RECIST protocol overrides against the parameters of recist.md §2:
 * known keys only, each of its default's type (numbers finite and >= 0); plus the service's
 * `missingTargetMeans` (how a target with no observation and no flag is read).
 */
export function validateProtocol(protocol: Record<string, unknown>): Record<string, unknown> {
  const issues: FieldIssue[] = [];
  for (const [key, value] of Object.entries(protocol)) {
    const path = `protocol.${key}`;
    if (!PROTOCOL_KEYS.includes(key)) {
      issues.push({ path, message: `unknown protocol parameter; known: ${PROTOCOL_KEYS.join(", ")}` });
      continue;
    }
    if (key === "missingTargetMeans") {
      if (!(MISSING_TARGET_MEANS as readonly unknown[]).includes(value)) issues.push({ path, message: `expected ${MISSING_TARGET_MEANS.map((m) => `"${m}"`).join(" or ")}` });
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

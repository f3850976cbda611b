// Result comparison by the contract's rules (recist-io.md "How results are compared").
import type { Result } from "../../../src/domain/recist/index.ts";

const MM_KEYS = new Set(["sum", "partialSum", "nadir", "baselineSum"]);
const PCT_KEYS = new Set(["pctChangeFromBaseline", "pctChangeFromNadir"]);

function near(key: string, a: unknown, e: unknown, path: string, problems: string[]): void {
  if (e === null || a === null || typeof e !== "number" || typeof a !== "number") {
    if (a !== e) problems.push(`${path}: got ${JSON.stringify(a)}, expected ${JSON.stringify(e)}`);
    return;
  }
  const tol = MM_KEYS.has(key) ? 0.01 : 0.05 + 1e-9;
  if (Math.abs(a - e) > tol) problems.push(`${path}: got ${a}, expected ${e}`);
}

function exact(a: unknown, e: unknown, path: string, problems: string[]): void {
  if (JSON.stringify(a) !== JSON.stringify(e)) problems.push(`${path}: got ${JSON.stringify(a)}, expected ${JSON.stringify(e)}`);
}

const multisetKey = (x: { code: string; ref: string | null }): string => `${x.code}|${x.ref ?? "<null>"}`;

/** Differences between an actual result and a (possibly partial) expected one; empty when they agree. */
export function compareResult(actual: Result, expected: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const act = actual as unknown as Record<string, unknown>;
  for (const [key, e] of Object.entries(expected)) {
    const a = act[key];
    if (key === "validationErrors") {
      const ak = (a as Result["validationErrors"]).map(multisetKey).sort();
      const ek = (e as Result["validationErrors"]).map(multisetKey).sort();
      exact(ak, ek, key, problems);
    } else if (key === "timepoints") {
      const at = (a ?? []) as Record<string, unknown>[];
      const et = e as Record<string, unknown>[];
      if (at.length !== et.length) { problems.push(`timepoints: got ${at.length}, expected ${et.length}`); continue; }
      et.forEach((tp, i) => {
        for (const [k, v] of Object.entries(tp)) {
          const path = `timepoints[${i}].${k}`;
          if (!(k in at[i]!)) problems.push(`${path}: missing`);
          else if (MM_KEYS.has(k) || PCT_KEYS.has(k)) near(k, at[i]![k], v, path, problems);
          else exact(at[i]![k], v, path, problems);
        }
      });
    } else if (MM_KEYS.has(key)) {
      near(key, a, e, key, problems);
    } else {
      exact(a, e, key, problems);
    }
  }
  return problems;
}

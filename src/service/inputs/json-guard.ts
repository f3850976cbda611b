import { z } from "zod";

/** Deepest nesting accepted inside a free-form JSON field (source, metadata, protocol). */
export const MAX_JSON_DEPTH = 32;
/** Deepest nesting of a whole request body: a free-form field plus the schema around it. */
export const MAX_BODY_DEPTH = MAX_JSON_DEPTH + 8;

/** Why a value cannot be stored, and where (a zod-style path relative to the value). */
export interface JsonFault {
  path: (string | number)[];
  message: string;
}

const NUL_MESSAGE = "must not contain the NUL character (\\u0000)";
export const hasNul = (s: string): boolean => s.includes("\u0000");

/**
 * The first part of a JSON value PostgreSQL would refuse or our code could not walk: NUL in a
 * string or key (text and jsonb reject it), or containers nested deeper than `maxDepth`. Walks
 * with an explicit stack, so a hostile depth cannot overflow the call stack here.
 */
export function jsonFault(value: unknown, maxDepth = MAX_JSON_DEPTH): JsonFault | null {
  // Each frame links to its parent, so a path is built only for the one value at fault.
  interface Frame { v: unknown; key: string | number | null; parent: Frame | null; depth: number }
  const pathOf = (f: Frame | null): (string | number)[] => {
    const out: (string | number)[] = [];
    for (let at = f; at && at.key !== null; at = at.parent) out.unshift(at.key);
    return out;
  };
  const stack: Frame[] = [{ v: value, key: null, parent: null, depth: 0 }];
  while (stack.length > 0) {
    const f = stack.pop()!;
    if (typeof f.v === "string") {
      if (hasNul(f.v)) return { path: pathOf(f), message: NUL_MESSAGE };
    } else if (f.v !== null && typeof f.v === "object") {
      // Named at the field itself: a path thousands of levels long helps no one.
      if (f.depth + 1 > maxDepth) return { path: [], message: `nested deeper than ${maxDepth} levels` };
      if (Array.isArray(f.v)) {
        for (let i = 0; i < f.v.length; i++) stack.push({ v: f.v[i], key: i, parent: f, depth: f.depth + 1 });
      } else {
        for (const [k, x] of Object.entries(f.v)) {
          if (hasNul(k)) return { path: pathOf(f), message: `a key ${NUL_MESSAGE}` };
          stack.push({ v: x, key: k, parent: f, depth: f.depth + 1 });
        }
      }
    }
  }
  return null;
}

/** Free text stored as-is: NUL refused (PostgreSQL text cannot hold it). */
export const text = () => z.string().refine((s) => !hasNul(s), NUL_MESSAGE);

/** A free-form JSON object (source, metadata, protocol): bounded depth, no NUL anywhere. */
export const jsonObject = () =>
  z.record(z.string(), z.unknown()).superRefine((v, ctx) => {
    const fault = jsonFault(v);
    if (fault) ctx.addIssue({ code: "custom", path: fault.path, message: fault.message });
  });

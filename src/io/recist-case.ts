/**
 * JSON reader of RECIST cases (contract recist-io.md): one `{params, input}` document or an
 * array of them, checked with zod; problems are reported with their JSON path.
 */
import { z } from "zod";
import type { Case, Params, TargetObs } from "../domain/recist/index.ts";

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "expected a date YYYY-MM-DD");
const mm = z.number().finite().nonnegative();
const lesionStatus = z.enum(["present", "absent", "unequivocal_progression", "not_evaluated"]);

export const paramsSchema = z.object({
  criteria: z.enum(["RECIST1.1", "iRECIST"]),
  requireConfirmation: z.boolean(),
  confirmMinDays: z.number().int().nonnegative(),
  confirmMaxInterveningNe: z.number().int().nonnegative(),
  confirmAcceptInterveningSd: z.boolean(),
  sdMinDays: z.number().int().nonnegative(),
  tstmDefaultMm: mm,
  prThresholdPct: z.number().min(0).max(100),
  pdThresholdPct: z.number().nonnegative(),
  pdAbsoluteMm: mm,
  minMeasurableMm: mm,
  minTargetNodeMm: mm,
  pathologicalNodeMm: mm,
  maxTargets: z.number().int().nonnegative(),
  maxTargetsPerOrgan: z.number().int().nonnegative(),
  continuedPrAfterEstablished: z.boolean(),
  pdOnReappearanceAfterCr: z.boolean(),
  backdateEquivocalNewLesions: z.boolean(),
  icpdMinDays: z.number().int().nonnegative(),
  icpdMaxDays: z.number().int().nonnegative(),
  icpdAbsoluteMm: mm,
}).partial() satisfies z.ZodType<Partial<Params>>;

// Lenient where the contract's meaning is unambiguous: omitted non-target / new-lesion lists are empty.

/** One flat object checked per status, so a missing field is reported at its own path. */
const targetObs = z.object({
  id: z.string(),
  status: z.enum(["measured", "tstm", "disappeared", "merged", "not_evaluated"]),
  value: mm.optional(),
  fragments: z.array(mm).min(1).optional(),
  mergedInto: z.string().optional(),
}).superRefine((o, ctx) => {
  if (o.status === "measured" && o.value === undefined && o.fragments === undefined) {
    ctx.addIssue({ code: "custom", path: ["value"], message: "expected number (or fragments) for a measured target" });
  }
  if (o.status === "merged" && o.mergedInto === undefined) {
    ctx.addIssue({ code: "custom", path: ["mergedInto"], message: "expected string for a merged target" });
  }
}).transform((o): TargetObs => {
  if (o.status === "measured") return o.fragments !== undefined ? { id: o.id, status: "measured", fragments: o.fragments } : { id: o.id, status: "measured", value: o.value! };
  if (o.status === "merged") return { id: o.id, status: "merged", mergedInto: o.mergedInto! };
  return { id: o.id, status: o.status };
});

const followUp = z.object({
  date: isoDate,
  tumorMarkersAboveNormal: z.boolean().optional(),
  symptomDriven: z.boolean().optional(),
  targets: z.array(targetObs),
  nonTargets: z.array(z.object({ id: z.string(), status: lesionStatus, increasedSinceLast: z.boolean().optional() })).default([]),
  newLesions: z.array(z.object({
    id: z.string(),
    organ: z.string(),
    equivocal: z.boolean(),
    measurable: z.boolean(),
    value: mm.optional(),
    status: lesionStatus,
    increasedSinceLast: z.boolean().optional(),
  })).default([]),
});

export const inputSchema = z.object({
  referenceDate: isoDate.optional(),
  baseline: z.object({
    date: isoDate,
    sliceThicknessMm: z.number().finite().positive().optional(),
    targets: z.array(z.object({ id: z.string(), organ: z.string(), nodal: z.boolean(), value: mm })),
    nonTargets: z.array(z.object({ id: z.string(), organ: z.string(), nodal: z.boolean() })).default([]),
  }),
  followUps: z.array(followUp),
});

export const caseSchema = z.object({
  id: z.string().optional(),
  params: paramsSchema.default({}),
  input: inputSchema,
});

export type ParseResult = { ok: true; cases: Case[]; isArray: boolean } | { ok: false; message: string };

/** JSON path in the contract's notation, e.g. `input.followUps[2].targets[0].value`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) out += typeof key === "number" ? `[${key}]` : `${out === "" ? "" : "."}${String(key)}`;
  return out === "" ? "(root)" : out;
}

function describe(issue: z.core.$ZodIssue): string {
  if (issue.code === "invalid_type") return `expected ${issue.expected}`;
  return issue.message;
}

/** Parses one case or an array of cases; the first problem is named with its path. */
export function parseRecistDocument(text: string): ParseResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { ok: false, message: `invalid JSON: ${(e as Error).message}` };
  }
  const isArray = Array.isArray(json);
  const parsed = (isArray ? z.array(caseSchema) : caseSchema).safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, message: `${formatPath(issue.path)}: ${describe(issue)}` };
  }
  const data = parsed.data;
  const cases = (Array.isArray(data) ? data : [data]).map((c): Case => ({
    ...(c.id === undefined ? {} : { id: c.id }),
    params: stripUndefined(c.params),
    input: c.input as Case["input"],
  }));
  return { ok: true, cases, isArray };
}

const stripUndefined = <T extends object>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

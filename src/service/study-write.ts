import { createHash } from "node:crypto";
import type { observations, studies } from "../db/schema/index.ts";
import { timeAxisOf, timeDaysOf, type TimeAxis } from "../domain/timeline/time-axis.ts";
import type { StudyRecord } from "../domain/timeline/types.ts";
import { firstDimensionMismatch } from "../domain/matching/cost.ts";
import { invalid } from "./errors.ts";
import type { AuditEntry } from "../db/queries/audit.ts";
import type { Ctx } from "./context.ts";
import type { StudyInput } from "./inputs/study.ts";

/** JSON with object keys sorted at every level: equal for values that differ only in key order (as jsonb stores them). */
export function canonicalJson(value: unknown): string {
  const canon = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(canon) : v && typeof v === "object" ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, canon((v as Record<string, unknown>)[k])])) : v;
  return JSON.stringify(canon(value));
}

/** Key-order independent hash of a JSON value: the same study body twice is recognised. */
export function canonicalHash(value: unknown): string {
  return createHash("sha256").update(canonicalJson(value)).digest("hex");
}

export const observationIdsOf = (studyKey: string, input: StudyInput): string[] => input.observations.map((o, i) => o.id ?? `${studyKey}/${i + 1}`);

/** A study to be written, with everything checked against the rest of the patient. */
export interface PendingStudy {
  studyKey: string;
  input: StudyInput;
  bodyHash: string;
  observationIds: string[];
  axis: TimeAxis;
}

/**
 * Checks new studies against the patient's other studies (`kept`): one time axis per patient,
 * observation ids unique per patient, one embedding dimension per patient. Paths in errors name
 * the field of the study body; `prefix` locates the study in a batch.
 */
export function checkStudies(kept: readonly StudyRecord[], pending: readonly PendingStudy[], prefix: (i: number) => string = () => ""): void {
  let axis = kept[0]?.timeAxis;
  let dim = kept.flatMap((s) => s.observations).find((o) => o.embedding)?.embedding?.length;
  const usedIds = new Map(kept.flatMap((s) => s.observations.map((o) => [o.id, s.key] as const)));
  pending.forEach((p, k) => {
    const at = prefix(k);
    if (axis && axis !== p.axis) throw invalid(`${at}${p.axis === "date" ? "date" : p.axis}`, `this patient's studies are on the ${axis} time axis; a study with ${p.axis} cannot be placed on it`);
    axis ??= p.axis;
    p.observationIds.forEach((id, i) => {
      if (usedIds.has(id)) throw invalid(`${at}observations[${i}].id`, `observation id ${id} is already used in study ${usedIds.get(id)}`);
      usedIds.set(id, p.studyKey);
    });
    const embeddings = p.input.observations.map((o) => o.embedding);
    const clash = firstDimensionMismatch(embeddings, dim);
    if (clash) throw invalid(`${at}observations[${clash.index}].embedding`, `embedding dimension ${clash.dimension} differs from this patient's earlier embeddings (${clash.expected})`);
    dim ??= embeddings.find((e) => e)?.length;
  });
}

/** Audit entry of a created (before null) or replaced study. */
export function studyAudit(ctx: Pick<Ctx, "actor" | "route" | "requestId">, key: { cohortId: string; patientId: string }, p: PendingStudy, before: unknown, at: string): AuditEntry {
  return {
    ...key, at, actor: ctx.actor,
    action: before !== null ? "study.replace" : "study.create",
    route: ctx.route ?? null, requestId: ctx.requestId ?? null,
    before, after: { studyKey: p.studyKey, ...p.input },
  };
}

export function pendingStudy(studyKey: string, input: StudyInput): PendingStudy {
  return { studyKey, input, bodyHash: canonicalHash(input), observationIds: observationIdsOf(studyKey, input), axis: timeAxisOf(input)! };
}

/** The rows of one study and its observations, as stored. */
export function studyRows(
  key: { cohortId: string; patientId: string },
  p: PendingStudy,
  scanIntervalDays: number,
  at: string,
  createdAt: string,
): { study: typeof studies.$inferInsert; observations: (typeof observations.$inferInsert)[] } {
  const { cohortId, patientId } = key;
  const { input, studyKey } = p;
  return {
    study: {
      cohortId, patientId, studyKey,
      date: input.date ?? null,
      dayOffset: input.dayOffset ?? null,
      orderIndex: input.orderIndex ?? null,
      ageYears: input.ageYears ?? null,
      timeDays: timeDaysOf(input, p.axis, scanIntervalDays),
      timeAxis: p.axis,
      modality: input.modality,
      sliceThicknessMm: input.sliceThicknessMm ?? null,
      bodyHash: p.bodyHash,
      createdAt,
      updatedAt: at,
    },
    observations: input.observations.map((o, i) => ({
      cohortId, patientId, studyKey,
      observationId: p.observationIds[i]!,
      ordinal: i,
      positionMm: o.positionMm ?? null,
      positionNormalized: o.positionNormalized ?? null,
      longAxisMm: o.longAxisMm,
      shortAxisMm: o.shortAxisMm,
      organ: o.organ ?? null,
      lesionType: o.lesionType ?? null,
      nodal: o.nodal,
      embedding: o.embedding ?? null,
      source: o.source ?? null,
      noisy: o.noisy,
    })),
  };
}

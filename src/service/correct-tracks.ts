import { and, eq, max } from "drizzle-orm";
import { linkCorrections, tracks } from "../db/schema/index.ts";
import { bumpRevision, findPatient, loadStudies } from "../db/queries/patients.ts";
import { appendAudit } from "../db/queries/audit.ts";
import { lockPatient } from "../db/queries/lock.ts";
import { compareStudies } from "../domain/timeline/time-axis.ts";
import type { Tx } from "../db/client.ts";
import { nowIso, withTransaction, type Ctx } from "./context.ts";
import { AppError, invalid, notFound } from "./errors.ts";
import { recomputePatient } from "./recompute-patient.ts";

/** A person's correction of the tracks, expressed as the link constraints it adds. */
export type TrackCorrection =
  | { action: "confirm-link"; fromObservationId: string; toObservationId: string; note?: string }
  | { action: "reject-link"; fromObservationId: string; toObservationId: string; note?: string }
  | { action: "move-observation"; observationId: string; toTrackId: string; note?: string }
  | { action: "split-track"; trackId: string; atObservationId: string; note?: string }
  | { action: "merge-tracks"; trackId: string; intoTrackId: string; note?: string };

interface PatientView {
  studyOf: Map<string, { key: string; index: number }>;
  trackOf: Map<string, string>;
  membersOf: Map<string, string[]>;
}

async function patientView(tx: Tx, cohortId: string, patientId: string): Promise<PatientView> {
  const studies = (await loadStudies(tx, cohortId, patientId)).sort((a, b) => compareStudies(a, b));
  const studyOf = new Map<string, { key: string; index: number }>();
  studies.forEach((s, index) => s.observations.forEach((o) => studyOf.set(o.id, { key: s.key, index })));
  const rows = await tx.select().from(tracks).where(and(eq(tracks.cohortId, cohortId), eq(tracks.patientId, patientId)));
  const trackOf = new Map<string, string>();
  const membersOf = new Map<string, string[]>();
  for (const r of rows) {
    const members = [...r.observationIds].sort((a, b) => studyOf.get(a)!.index - studyOf.get(b)!.index);
    membersOf.set(r.trackId, members);
    for (const id of members) trackOf.set(id, r.trackId);
  }
  return { studyOf, trackOf, membersOf };
}

/** Translates a correction into must/cannot link constraints, checking it against the current tracks. */
function constraintsOf(c: TrackCorrection, v: PatientView): { kind: "must" | "cannot"; from: string; to: string }[] {
  const known = (id: string, path: string) => {
    if (!v.studyOf.has(id)) throw invalid(path, `no observation ${id} for this patient`);
  };
  const track = (id: string, path: string) => {
    const members = v.membersOf.get(id);
    if (!members) throw invalid(path, `no track ${id} for this patient`);
    return members;
  };
  /** The last observation of a track strictly before the given observation's study. */
  const before = (members: string[], id: string) => members.filter((m) => v.studyOf.get(m)!.index < v.studyOf.get(id)!.index).at(-1);
  switch (c.action) {
    case "confirm-link":
    case "reject-link": {
      known(c.fromObservationId, "fromObservationId");
      known(c.toObservationId, "toObservationId");
      if (v.studyOf.get(c.fromObservationId)!.index >= v.studyOf.get(c.toObservationId)!.index)
        throw invalid("toObservationId", "the link must go from an earlier study to a later one");
      return [{ kind: c.action === "confirm-link" ? "must" : "cannot", from: c.fromObservationId, to: c.toObservationId }];
    }
    case "move-observation": {
      known(c.observationId, "observationId");
      const target = track(c.toTrackId, "toTrackId");
      const current = v.trackOf.get(c.observationId);
      if (current === c.toTrackId) throw invalid("toTrackId", "the observation is already on this track");
      const study = v.studyOf.get(c.observationId)!.index;
      if (target.some((m) => v.studyOf.get(m)!.index === study)) throw invalid("toTrackId", "that track already has an observation in this study");
      const out: { kind: "must" | "cannot"; from: string; to: string }[] = [];
      const prevOwn = current ? before(v.membersOf.get(current)!, c.observationId) : undefined;
      if (prevOwn) out.push({ kind: "cannot", from: prevOwn, to: c.observationId });
      const prevTarget = before(target, c.observationId);
      const nextTarget = target.find((m) => v.studyOf.get(m)!.index > study);
      if (prevTarget) out.push({ kind: "must", from: prevTarget, to: c.observationId });
      if (nextTarget) out.push({ kind: "must", from: c.observationId, to: nextTarget });
      if (!prevTarget && !nextTarget) throw invalid("toTrackId", "the track has no observation to link to");
      return out;
    }
    case "split-track": {
      const members = track(c.trackId, "trackId");
      if (!members.includes(c.atObservationId)) throw invalid("atObservationId", `observation ${c.atObservationId} is not on track ${c.trackId}`);
      const prev = before(members, c.atObservationId);
      if (!prev) throw invalid("atObservationId", "cannot split a track at its first observation");
      return [{ kind: "cannot", from: prev, to: c.atObservationId }];
    }
    case "merge-tracks": {
      const a = track(c.intoTrackId, "intoTrackId");
      const b = track(c.trackId, "trackId");
      if (c.trackId === c.intoTrackId) throw invalid("trackId", "a track cannot be merged into itself");
      const [first, second] = v.studyOf.get(a[0]!)!.index <= v.studyOf.get(b[0]!)!.index ? [a, b] : [b, a];
      const head = second[0]!;
      const prev = before(first, head);
      if (!prev) throw invalid("trackId", "the tracks start in the same study: link their observations explicitly");
      if (first.some((m) => v.studyOf.get(m)!.index >= v.studyOf.get(head)!.index && v.studyOf.get(m)!.index <= v.studyOf.get(second.at(-1)!)!.index))
        throw invalid("trackId", "the tracks overlap in time; confirm the links you mean with confirm-link");
      return [{ kind: "must", from: prev, to: head }];
    }
  }
}

/**
 * Applies a person's correction: stored as confirmed or forbidden links (never overridden by
 * the matcher), recorded in the audit log, and the patient re-derived, in one transaction.
 */
export async function correctTracks({ ctx, cohortId, patientId, correction }: { ctx: Ctx; cohortId: string; patientId: string; correction: TrackCorrection }) {
  return withTransaction(ctx, async (tx) => {
    await lockPatient(tx, cohortId, patientId);
    if (!(await findPatient(tx, cohortId, patientId))) throw notFound(`patient ${patientId} of cohort ${cohortId}`);
    const view = await patientView(tx, cohortId, patientId);
    const constraints = constraintsOf(correction, view);
    const at = nowIso(ctx);
    const key = and(eq(linkCorrections.cohortId, cohortId), eq(linkCorrections.patientId, patientId));
    const [{ last } = { last: 0 }] = await tx.select({ last: max(linkCorrections.correctionId) }).from(linkCorrections).where(key);
    let next = (last ?? 0) + 1;
    const ids: number[] = [];
    for (const k of constraints) {
      // A person's latest word on a pair replaces an earlier one (a merge undoes a split).
      const samePair = (from: string, to: string) => and(key, eq(linkCorrections.fromObservationId, from), eq(linkCorrections.toObservationId, to));
      await tx.delete(linkCorrections).where(samePair(k.from, k.to));
      await tx.delete(linkCorrections).where(samePair(k.to, k.from));
      ids.push(next);
      await tx.insert(linkCorrections).values({
        cohortId, patientId, correctionId: next++, kind: k.kind, fromObservationId: k.from, toObservationId: k.to,
        actor: ctx.actor, note: correction.note ?? null, createdAt: at, meta: { action: correction.action },
      });
    }
    const revision = await bumpRevision(tx, cohortId, patientId, at);
    await appendAudit(tx, {
      cohortId, patientId, at, actor: ctx.actor, action: `tracks.${correction.action}`, route: ctx.route ?? null, requestId: ctx.requestId ?? null,
      before: { trackOf: Object.fromEntries(constraints.flatMap((k) => [[k.from, view.trackOf.get(k.from) ?? null], [k.to, view.trackOf.get(k.to) ?? null]])) },
      after: { correction, constraints, correctionIds: ids },
    });
    await recomputePatient({ ctx, tx, cohortId, patientId });
    return { revision, correctionIds: ids, constraints };
  });
}

/** Withdraws one stored correction (audited); the matcher decides that link again. */
export async function withdrawCorrection({ ctx, cohortId, patientId, correctionId }: { ctx: Ctx; cohortId: string; patientId: string; correctionId: number }) {
  return withTransaction(ctx, async (tx) => {
    await lockPatient(tx, cohortId, patientId);
    const where = and(eq(linkCorrections.cohortId, cohortId), eq(linkCorrections.patientId, patientId), eq(linkCorrections.correctionId, correctionId));
    const [row] = await tx.select().from(linkCorrections).where(where);
    if (!row) throw new AppError("not_found", `correction ${correctionId} not found`);
    await tx.delete(linkCorrections).where(where);
    const at = nowIso(ctx);
    const revision = await bumpRevision(tx, cohortId, patientId, at);
    await appendAudit(tx, { cohortId, patientId, at, actor: ctx.actor, action: "tracks.withdraw-correction", route: ctx.route ?? null, requestId: ctx.requestId ?? null, before: row, after: null });
    await recomputePatient({ ctx, tx, cohortId, patientId });
    return { revision };
  });
}

export async function listCorrections({ ctx, cohortId, patientId }: { ctx: Ctx; cohortId: string; patientId: string }) {
  if (!(await findPatient(ctx.db, cohortId, patientId))) throw notFound(`patient ${patientId} of cohort ${cohortId}`);
  return ctx.db.select().from(linkCorrections).where(and(eq(linkCorrections.cohortId, cohortId), eq(linkCorrections.patientId, patientId))).orderBy(linkCorrections.correctionId);
}

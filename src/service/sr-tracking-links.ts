import { and, eq, inArray } from "drizzle-orm";
import type { Tx } from "../db/client.ts";
import { appendAuditMany, type AuditEntry } from "../db/queries/audit.ts";
import { loadStudiesOf } from "../db/queries/patients.ts";
import { linkCorrections } from "../db/schema/index.ts";
import { compareStudies } from "../domain/timeline/time-axis.ts";
import { trackingUidLinks } from "../io/dicom-sr/tracking-links.ts";
import { nowIso, type Ctx } from "./context.ts";

/** Marks the confirmed links this importer owns, so it can bring them up to date (and nothing else). */
export const SR_LINK_ACTION = "dicom-sr-tracking-uid";

/**
 * Stores the readers' links of DICOM SR (same Tracking Unique Identifier in two studies) as
 * people's confirmed links (kind "must", actor = the report's observer), which the matcher never
 * overrides. Runs inside the import's transaction before the patients are re-derived. Links a
 * person made or forbade on the same pair stay as they are; this importer's earlier links that the
 * stored reports no longer support are withdrawn.
 */
export function confirmTrackingLinks(ctx: Ctx) {
  return async (tx: Tx, cohortId: string, patientIds: readonly string[]): Promise<void> => {
    const studiesOf = await loadStudiesOf(tx, cohortId, patientIds);
    const at = nowIso(ctx);
    const audits: AuditEntry[] = [];
    for (const patientId of patientIds) {
      const studies = [...(studiesOf.get(patientId) ?? [])].sort(compareStudies);
      const wanted = trackingUidLinks(studies);
      const key = and(eq(linkCorrections.cohortId, cohortId), eq(linkCorrections.patientId, patientId));
      const stored = await tx.select().from(linkCorrections).where(key);
      const pair = (a: string, b: string) => `${a}\u0000${b}`;
      const ours = stored.filter((r) => r.meta?.action === SR_LINK_ACTION);
      const people = new Set(stored.filter((r) => r.meta?.action !== SR_LINK_ACTION).flatMap((r) => [pair(r.fromObservationId, r.toObservationId), pair(r.toObservationId, r.fromObservationId)]));
      const keep = wanted.filter((l) => !people.has(pair(l.from, l.to)));
      const wantedPairs = new Set(keep.map((l) => pair(l.from, l.to)));
      const stale = ours.filter((r) => r.kind !== "must" || !wantedPairs.has(pair(r.fromObservationId, r.toObservationId)));
      const have = new Set(ours.filter((r) => !stale.includes(r)).map((r) => pair(r.fromObservationId, r.toObservationId)));
      const added = keep.filter((l) => !have.has(pair(l.from, l.to)));
      if (stale.length === 0 && added.length === 0) continue;
      if (stale.length > 0) await tx.delete(linkCorrections).where(and(key, inArray(linkCorrections.correctionId, stale.map((r) => r.correctionId))));
      let next = Math.max(0, ...stored.map((r) => r.correctionId)) + 1;
      if (added.length > 0)
        await tx.insert(linkCorrections).values(added.map((l) => ({
          cohortId, patientId, correctionId: next++, kind: "must" as const, fromObservationId: l.from, toObservationId: l.to,
          actor: l.observer, note: `DICOM SR Tracking Unique Identifier ${l.trackingUid}`, createdAt: at, meta: { action: SR_LINK_ACTION, trackingUid: l.trackingUid },
        })));
      audits.push({
        cohortId, patientId, at, actor: ctx.actor, action: "tracks.sr-tracking-links", route: ctx.route ?? null, requestId: ctx.requestId ?? null,
        before: { withdrawn: stale.map((r) => ({ from: r.fromObservationId, to: r.toObservationId, trackingUid: r.meta?.trackingUid ?? null })) },
        after: { confirmed: added },
      });
    }
    await appendAuditMany(tx, audits);
  };
}

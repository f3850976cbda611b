import { and, asc, eq, gt, inArray } from "drizzle-orm";
import { findCohort } from "../db/queries/cohorts.ts";
import { observations, patients, studies } from "../db/schema/index.ts";
import { compareStudies } from "../domain/timeline/time-axis.ts";
import type { ObservationRow } from "../io/observations-csv.ts";
import type { Ctx } from "./context.ts";
import { notFound } from "./errors.ts";

const PAGE = 200;

/**
 * The cohort's stored studies and observations as flat CSV rows (patients by id, studies in time
 * order, observations in stored order), read in one read-only repeatable-read transaction and
 * handed to `sink` a page of patients at a time.
 */
export async function exportObservationsCsv({ ctx, cohortId, sink }: { ctx: Ctx; cohortId: string; sink: (rows: ObservationRow[]) => Promise<void> }) {
  return ctx.db.transaction(
    async (tx) => {
      if (!(await findCohort(tx, cohortId))) throw notFound(`cohort ${cohortId}`);
      const counts = { patients: 0, studies: 0, rows: 0 };
      let after = "";
      for (;;) {
        const page = await tx.select().from(patients).where(and(eq(patients.cohortId, cohortId), gt(patients.patientId, after))).orderBy(asc(patients.patientId)).limit(PAGE);
        if (page.length === 0) break;
        const ids = page.map((p) => p.patientId);
        const studyRows = await tx.select().from(studies).where(and(eq(studies.cohortId, cohortId), inArray(studies.patientId, ids)));
        const obsRows = await tx.select().from(observations).where(and(eq(observations.cohortId, cohortId), inArray(observations.patientId, ids))).orderBy(asc(observations.ordinal));
        const obsByStudy = new Map<string, typeof obsRows>();
        for (const o of obsRows) {
          const k = `${o.patientId}\u0000${o.studyKey}`;
          obsByStudy.set(k, [...(obsByStudy.get(k) ?? []), o]);
        }
        const out: ObservationRow[] = [];
        for (const p of page) {
          const mine = studyRows.filter((s) => s.patientId === p.patientId).sort((a, b) => compareStudies({ ...a, key: a.studyKey }, { ...b, key: b.studyKey }));
          counts.patients++;
          counts.studies += mine.length;
          for (const s of mine) {
            const head = {
              patientId: p.patientId, sex: p.sex as ObservationRow["sex"], birthYear: p.birthYear, referenceDate: p.referenceDate,
              studyKey: s.studyKey, date: s.date, dayOffset: s.dayOffset, orderIndex: s.orderIndex, ageYears: s.ageYears,
              modality: s.modality, sliceThicknessMm: s.sliceThicknessMm,
            };
            const obs = obsByStudy.get(`${p.patientId}\u0000${s.studyKey}`) ?? [];
            if (obs.length === 0) out.push({ ...head, observation: null });
            for (const o of obs)
              out.push({
                ...head,
                observation: {
                  id: o.observationId, positionMm: o.positionMm, positionNormalized: o.positionNormalized,
                  longAxisMm: o.longAxisMm, shortAxisMm: o.shortAxisMm, organ: o.organ, lesionType: o.lesionType,
                  nodal: o.nodal, noisy: o.noisy, embedding: o.embedding, source: o.source,
                },
              });
          }
        }
        counts.rows += out.length;
        await sink(out);
        if (page.length < PAGE) break;
        after = page.at(-1)!.patientId;
      }
      return counts;
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
}

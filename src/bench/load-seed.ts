import { sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { generateDemoCohort } from "../domain/demo/cohort.ts";
import type { Ctx } from "../service/context.ts";
import { createCohort } from "../service/create-cohort.ts";
import { ingestPatient } from "../service/ingest-patient.ts";
import { studyInput } from "../service/inputs/study.ts";

/** Patient-keyed tables copied for clones, in foreign-key order (no serial columns among them). */
const CLONED_TABLES = ["patients", "studies", "observations", "tracks", "track_links", "patient_timelines"] as const;
/** Every cohort-keyed table, children first (for removal). */
const COHORT_TABLES = ["audit_log", "track_links", "tracks", "link_corrections", "patient_timelines", "observations", "studies", "patients", "cohorts"];

export const templateId = (i: number): string => `T${String(i + 1).padStart(5, "0")}`;
export const cloneId = (i: number): string => `C${String(i).padStart(7, "0")}`;

const rowsOf = <T>(r: unknown): T[] => (Array.isArray(r) ? r : (r as { rows: T[] }).rows) as T[];

export async function createBenchCohort(ctx: Ctx, cohortId: string): Promise<void> {
  await createCohort({ ctx, input: { cohortId, name: "load benchmark (synthetic)", description: "bench load: generated, removed at the end", protocol: {}, settings: { scanIntervalDays: 56, bodySizeMm: [350, 300, 900] } } });
}

/**
 * Templates go through the real write path (ingestPatient: store, match, RECIST, forecasts in
 * one transaction per patient), so their stored rows are exactly what the service writes.
 */
export async function ingestTemplates(ctx: Ctx, cohortId: string, count: number, shape: { studies: number; lesions: number; seed: number }, onProgress?: (done: number) => void) {
  const patients = generateDemoCohort({ patients: count, studies: [shape.studies, shape.studies], lesions: [shape.lesions, shape.lesions], seed: shape.seed, prefix: "T" });
  let done = 0;
  for (const [i, p] of patients.entries()) {
    await ingestPatient({
      ctx,
      cohortId,
      batch: {
        patientId: templateId(i),
        patient: { sex: p.sex, birthYear: p.birthYear, referenceDate: p.referenceDate, metadata: { synthetic: true } },
        studies: p.studies.map((s) => ({ studyKey: s.studyKey, input: studyInput.parse(s.input) })),
      },
    });
    onProgress?.(++done);
  }
  return patients;
}

/**
 * Copies the templates' stored rows (patient, studies, observations, tracks, links, timeline
 * document) under new patient ids C<from>..C<to-1>, round-robin over the templates, in one
 * transaction: how the scaling steps reach 100,000 patients in seconds rather than hours.
 */
export async function cloneTemplates(db: Db, cohortId: string, templates: number, from: number, to: number): Promise<void> {
  if (to <= from) return;
  await db.transaction(async (tx) => {
    for (const table of CLONED_TABLES) {
      const cols = rowsOf<{ column_name: string }>(
        await tx.execute(sql`select column_name from information_schema.columns where table_schema = current_schema() and table_name = ${table} order by ordinal_position`),
      ).map((r) => r.column_name);
      const target = sql.join(cols.map((c) => sql.identifier(c)), sql`, `);
      const values = sql.join(
        cols.map((c) =>
          c === "patient_id"
            ? sql`m.new_id`
            : table === "patient_timelines" && c === "body"
              ? sql`replace(t.body, '"patientId":"' || m.template_id || '"', '"patientId":"' || m.new_id || '"')`
              : sql`t.${sql.identifier(c)}`,
        ),
        sql`, `,
      );
      await tx.execute(sql`
        insert into ${sql.identifier(table)} (${target})
        select ${values} from ${sql.identifier(table)} t
        join (select 'C' || lpad(g::text, 7, '0') as new_id, 'T' || lpad(((g % ${templates}) + 1)::text, 5, '0') as template_id
              from generate_series(${from}::int, ${to - 1}::int) g) m on t.patient_id = m.template_id
        where t.cohort_id = ${cohortId}`);
    }
  });
  for (const table of CLONED_TABLES) await db.execute(sql`analyze ${sql.identifier(table)}`);
}

/** A random sample of the cohort's patients with the revision their ETag names. */
export async function samplePatients(db: Db, cohortId: string, size: number): Promise<{ patientId: string; revision: number }[]> {
  const rows = rowsOf<{ patient_id: string; revision: number }>(
    await db.execute(sql`select patient_id, revision from patient_timelines where cohort_id = ${cohortId} order by random() limit ${size}`),
  );
  return rows.map((r) => ({ patientId: r.patient_id, revision: Number(r.revision) }));
}

export async function dropBenchCohort(db: Db, cohortId: string): Promise<void> {
  await db.transaction(async (tx) => {
    for (const table of COHORT_TABLES) await tx.execute(sql`delete from ${sql.identifier(table)} where cohort_id = ${cohortId}`);
  });
}

/** VACUUM (ANALYZE) of the tables cloneTemplates fills (PostgreSQL; outside any transaction). */
export async function vacuumCloned(db: Db): Promise<void> {
  await db.execute(sql.raw(`vacuum (analyze) ${CLONED_TABLES.join(", ")}`));
}

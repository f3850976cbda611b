import { describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { backends } from "../helpers/backends.ts";
import { useAppWithCohorts } from "../helpers/suite.ts";
import { snapshotCohort, uniqueId } from "../helpers/test-app.ts";
import { MAX_CSV_RECORD_CHARS } from "../../src/io/csv-stream.ts";

const HEADER = "patient_id,study_key,date,x_mm,y_mm,z_mm,long_axis_mm,short_axis_mm,organ,nodal\n";
const rows = (patient: string, organ = "liver") => `${patient},S1,2024-01-10,0,0,0,20,12,${organ},false\n${patient},S2,2024-03-10,1,0,0,18,11,${organ},false\n`;
const patients = (n: number, organOf: (i: number) => string = () => "liver") => Array.from({ length: n }, (_, i) => rows(`P${String(i).padStart(3, "0")}`, organOf(i))).join("");

describe.each(backends)("imports: one bad patient never stops an import ($name)", (backend) => {
  const suite = useAppWithCohorts(backend);
  const upload = (cohortId: string, body: string) => suite.t.app.request(`/v1/cohorts/${cohortId}/imports/csv`, { method: "POST", headers: { "content-type": "text/csv" }, body });

  it("a NUL in one patient's organ rejects that patient's rows; the other 119 patients are imported", async () => {
    const cohortId = await suite.cohort();
    const res = await upload(cohortId, HEADER + patients(120, (i) => (i === 50 ? "liv\u0000er" : "liver")));
    expect(res.status).toBe(200);
    const s = (await res.json()) as any;
    expect(s).toMatchObject({ rowsRead: 240, rowsImported: 238, rowsRejected: 2, patients: 119, aborted: null });
    expect(s.rejected).toEqual([
      { line: 102, reason: expect.stringMatching(/^patient P050: .*organ: must not contain the NUL character/) },
      { line: 103, reason: expect.stringMatching(/^patient P050: /) },
    ]);
    expect(await snapshotCohort(suite.t.handle, cohortId)).toMatchObject({ patients: 119, studies: 238, observations: 238 });
  });

  it("when the database refuses one patient of a group, the group falls back patient by patient and the summary names the patient", async () => {
    const cohortId = await suite.cohort();
    // A real refusal by the real database: a trigger that raises for one organ value of this test only.
    const poison = uniqueId("poison");
    const fn = sql.identifier(`refuse_${poison.replace(/-/g, "_")}`);
    await suite.t.handle.db.execute(sql`create function ${fn}() returns trigger language plpgsql as ${sql.raw(`$$ begin if new.organ = '${poison}' then raise exception 'organ % refused by a test trigger', new.organ; end if; return new; end $$`)}`);
    await suite.t.handle.db.execute(sql`create trigger ${fn} before insert on observations for each row execute function ${fn}()`);
    try {
      const res = await upload(cohortId, HEADER + patients(60, (i) => (i === 30 ? poison : "liver")));
      expect(res.status).toBe(200);
      const s = (await res.json()) as any;
      expect(s).toMatchObject({ rowsRead: 120, rowsImported: 118, rowsRejected: 2, patients: 59, aborted: null });
      expect(s.rejected.map((r: any) => r.line)).toEqual([62, 63]);
      expect(s.rejected[0].reason).toMatch(/^patient P030: could not be stored: .*refused by a test trigger/);
      expect(await snapshotCohort(suite.t.handle, cohortId)).toMatchObject({ patients: 59, studies: 118 });
    } finally {
      await suite.t.handle.db.execute(sql`drop trigger if exists ${fn} on observations`);
      await suite.t.handle.db.execute(sql`drop function if exists ${fn}()`);
    }
  });

  it("a row past the record-size limit (an open quote) stops reading with a clear reason; the patients finished before it are kept", async () => {
    const cohortId = await suite.cohort();
    const runaway = `P999,S1,2024-01-10,0,0,0,20,12,"${"x".repeat(MAX_CSV_RECORD_CHARS + 10)}\n`;
    const res = await upload(cohortId, HEADER + patients(3) + runaway + patients(2));
    expect(res.status).toBe(200);
    const s = (await res.json()) as any;
    // P002's rows might have gone on past the broken row, so only the patients finished before it are kept.
    expect(s).toMatchObject({ patients: 2, rowsImported: 4, rowsRejected: 0 });
    expect(s.aborted).toEqual({ line: 8, reason: expect.stringMatching(/longer than 1048576 characters/) });
    expect(await snapshotCohort(suite.t.handle, cohortId)).toMatchObject({ patients: 2, studies: 4 });
  });

  it("a first row past the limit is a 400 that names it, and nothing is written", async () => {
    const cohortId = await suite.cohort();
    const res = await upload(cohortId, `${HEADER}P1,S1,2024-01-10,0,0,0,20,12,"${"x".repeat(MAX_CSV_RECORD_CHARS + 10)}`);
    expect(res.status).toBe(400);
    const p = (await res.json()) as any;
    expect(p.detail).toMatch(/longer than 1048576 characters/);
    expect(await snapshotCohort(suite.t.handle, cohortId)).toMatchObject({ patients: 0, studies: 0 });
  });
});

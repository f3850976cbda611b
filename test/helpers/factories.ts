import type { TestApp } from "./test-app.ts";
import { send, uniqueId } from "./test-app.ts";

export async function makeCohort(t: TestApp, extra: Record<string, unknown> = {}): Promise<string> {
  const cohortId = uniqueId("c");
  const res = await send(t.app, "POST", "/v1/cohorts", { cohortId, name: `test ${cohortId}`, ...extra });
  if (res.status !== 201) throw new Error(`cohort create failed: ${res.status} ${await res.text()}`);
  return cohortId;
}

export async function makePatient(t: TestApp, cohortId: string, patientId = "P1", body: Record<string, unknown> = { sex: "F", birthYear: 1960 }): Promise<string> {
  const res = await send(t.app, "PUT", `/v1/cohorts/${cohortId}/patients/${patientId}`, body);
  if (res.status !== 201 && res.status !== 200) throw new Error(`patient put failed: ${res.status} ${await res.text()}`);
  return patientId;
}

/** A study body with lesions at given positions and long axes (mm). */
export function studyBody(date: string, lesions: { pos: [number, number, number]; long: number; organ?: string; nodal?: boolean; id?: string; embedding?: number[] }[]) {
  return {
    date,
    modality: "CT",
    sliceThicknessMm: 5,
    observations: lesions.map((l) => ({
      ...(l.id ? { id: l.id } : {}),
      positionMm: l.pos,
      longAxisMm: l.long,
      shortAxisMm: Math.round(l.long * 0.7 * 10) / 10,
      organ: l.organ ?? "liver",
      lesionType: l.organ ?? "liver",
      nodal: l.nodal ?? false,
      ...(l.embedding ? { embedding: l.embedding } : {}),
    })),
  };
}

import { readFileSync } from "node:fs";
import type { StudyRecord } from "../domain/timeline/types.ts";
import { timeDaysOf } from "../domain/timeline/time-axis.ts";
import { type TaskLesion, lesionToObservation } from "./matching-tasks.ts";

/** One patient of a task file as the service would store it: its studies with their lesions. */
export interface TrackingPatient {
  patientId: string;
  /** In study order (DeepLesion study index). */
  studies: StudyRecord[];
}

/** A study pair of the task file, scored with the track rule. */
export interface TrackingTask {
  taskId: string;
  patientId: string;
  studyA: string;
  studyB: string;
}

export interface TrackingData {
  patients: TrackingPatient[];
  tasks: TrackingTask[];
  /** observation id -> ground-truth track; null when the file carries no `gt`. */
  truth: Map<string, string> | null;
}

interface RawTask {
  task_id: string;
  patient: string;
  study_a: string;
  study_b: string;
  lesions_a: (TaskLesion & { study: string })[];
  lesions_b: (TaskLesion & { study: string })[];
  gt?: { track?: Record<string, string> };
}

/** The scan interval the service assumes for studies that carry only an order index. */
export const ORDER_SCAN_INTERVAL_DAYS = 56;

/**
 * Every distinct lesion of a `dls-study-pair-matching-v1` file, grouped by patient and study
 * into stored-study records (order index axis, as `import csv` stores DeepLesion studies), with
 * the observation built by the same whitelist as `bench matching` (labels never reach it).
 */
export function loadTrackingData(file: string): TrackingData {
  const raw = JSON.parse(readFileSync(file, "utf8")) as { format?: string; tasks?: RawTask[] };
  if (!raw.format?.startsWith("dls-study-pair-matching-v1") || !Array.isArray(raw.tasks)) {
    throw new Error(`${file}: not a dls-study-pair-matching-v1 task file`);
  }
  const byPatient = new Map<string, Map<string, Map<string, TaskLesion>>>();
  let labelled = raw.tasks.length > 0;
  const truth = new Map<string, string>();
  for (const t of raw.tasks) {
    const studies = byPatient.get(t.patient) ?? new Map<string, Map<string, TaskLesion>>();
    byPatient.set(t.patient, studies);
    for (const l of [...t.lesions_a, ...t.lesions_b]) {
      const lesions = studies.get(l.study) ?? new Map<string, TaskLesion>();
      studies.set(l.study, lesions.set(l.id, l));
    }
    if (!t.gt?.track) labelled = false;
    else for (const [id, track] of Object.entries(t.gt.track)) truth.set(id, track);
  }
  const patients = [...byPatient.entries()]
    .sort(([p], [q]) => (p < q ? -1 : 1))
    .map(([patientId, studies]) => ({
      patientId,
      studies: [...studies.entries()]
        .sort(([p], [q]) => Number(p) - Number(q) || (p < q ? -1 : 1))
        .map(([key, lesions]): StudyRecord => {
          const orderIndex = Number.parseInt(key, 10);
          return {
            key, date: null, dayOffset: null, orderIndex, ageYears: null,
            timeDays: timeDaysOf({ orderIndex }, "order", ORDER_SCAN_INTERVAL_DAYS), timeAxis: "order",
            modality: "CT", sliceThicknessMm: null,
            observations: [...lesions.values()].sort((p, q) => (p.id < q.id ? -1 : 1)).map(lesionToObservation),
          };
        }),
    }));
  const tasks = raw.tasks.map((t) => ({ taskId: t.task_id, patientId: t.patient, studyA: t.study_a, studyB: t.study_b }));
  return { patients, tasks, truth: labelled ? truth : null };
}

import { readFileSync } from "node:fs";
import type { Observation } from "../domain/observation.ts";
import { mm } from "../domain/units.ts";

/** One lesion side as stored in a `dls-study-pair-matching-v1` task. */
export interface TaskLesion {
  id: string;
  series: string;
  key_slice: number;
  center_px: [number, number];
  spacing: [number, number, number];
  long_mm: number;
  short_mm: number;
}

/** Labels of a task: only the scorer reads these, never the matcher. */
export interface TaskLabels {
  dls_pairs: [string, string][];
  track: Record<string, string>;
}

/** A task as the bench uses it: matcher input (observations) and labels kept apart. */
export interface MatchingTask {
  taskId: string;
  a: Observation[];
  b: Observation[];
  /** null when the file carries no `gt` (a user's own tasks): the bench prints counts and timing only. */
  labels: TaskLabels | null;
}

/** DeepLesion slices are 512 x 512: centring in-plane removes most of the field-of-view offset. */
export const IMAGE_CENTER_PX = 256;

/**
 * Turn a task lesion into an observation from whitelisted fields only (no labels, no stress
 * shift): position = in-plane centred pixel coordinates and absolute slice, all in mm.
 */
export function lesionToObservation(l: TaskLesion): Observation {
  const [sx, sy, sz] = l.spacing;
  return {
    id: l.id,
    positionMm: [(l.center_px[0] - IMAGE_CENTER_PX) * sx, (l.center_px[1] - IMAGE_CENTER_PX) * sy, l.key_slice * sz],
    longAxisMm: mm(l.long_mm),
    shortAxisMm: mm(l.short_mm),
    nodal: false,
    source: { series: l.series, slice: l.key_slice },
  };
}

interface RawTask {
  task_id: string;
  lesions_a: TaskLesion[];
  lesions_b: TaskLesion[];
  gt?: TaskLabels;
}

/** Read a `dls-study-pair-matching-v1` file (also the `+shifted` variant), with or without `gt`. */
export function loadMatchingTasks(file: string): MatchingTask[] {
  const raw = JSON.parse(readFileSync(file, "utf8")) as { format?: string; tasks?: RawTask[] };
  if (!raw.format?.startsWith("dls-study-pair-matching-v1") || !Array.isArray(raw.tasks)) {
    throw new Error(`${file}: not a dls-study-pair-matching-v1 task file`);
  }
  return raw.tasks.map((t) => ({
    taskId: t.task_id,
    a: t.lesions_a.map(lesionToObservation),
    b: t.lesions_b.map(lesionToObservation),
    labels: t.gt ? { dls_pairs: t.gt.dls_pairs, track: t.gt.track } : null,
  }));
}

/** The tasks of a labelled file; `--fit` and the scorers need every task's `gt`. */
export function labelledTasks(tasks: readonly MatchingTask[], file: string): (MatchingTask & { labels: TaskLabels })[] {
  const missing = tasks.find((t) => t.labels === null);
  if (missing) throw new Error(`${file}: task ${missing.taskId} has no gt labels`);
  return tasks as (MatchingTask & { labels: TaskLabels })[];
}

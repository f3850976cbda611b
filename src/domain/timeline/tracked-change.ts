/**
 * Size change of tracked lesions, for cohorts whose annotations are partial (DeepLesion marks
 * only some lesions per study, so a lesion "new" or "vanished" may merely be unannotated).
 */

/** What the page and the API say instead of RECIST categories when annotations are partial. */
export const PARTIAL_ANNOTATIONS_NOTE = "partial annotations: size change of tracked lesions only";

export type Annotations = "complete" | "partial";

interface TrackSizes {
  points: readonly { studyKey: string; diameterMm: number }[];
}

/**
 * Per study (in order): percent change of the summed diameters of the lesions measured in it
 * that were also measured before, against the same lesions at their first measurement.
 * Null at the first study and where no lesion of the study was seen before.
 */
export function trackedLesionsPctChange(studyKeys: readonly string[], tracks: readonly TrackSizes[]): (number | null)[] {
  const index = new Map(studyKeys.map((k, i) => [k, i]));
  const now = new Array<number>(studyKeys.length).fill(0);
  const first = new Array<number>(studyKeys.length).fill(0);
  for (const t of tracks) {
    const pts = t.points.filter((p) => index.has(p.studyKey));
    const origin = pts[0];
    if (!origin) continue;
    for (const p of pts.slice(1)) {
      const i = index.get(p.studyKey)!;
      now[i]! += p.diameterMm;
      first[i]! += origin.diameterMm;
    }
  }
  return studyKeys.map((_, i) => (i === 0 || first[i]! <= 0 ? null : Math.round((1000 * (now[i]! - first[i]!)) / first[i]!) / 10));
}

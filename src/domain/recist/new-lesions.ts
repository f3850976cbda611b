/** New lesions: equivocal backdating (spec §8.3) and the RECIST new-lesion flag (§8.2). */
import type { FollowUp, NewLesionObs } from "./types.ts";

/**
 * With backdating on, a new lesion later recorded with equivocal = false is unequivocal at
 * every earlier sighting whose status is not absent; those timepoints are `revised`.
 * Runs before any response computation (§1 pipeline). Returns new follow-up objects.
 */
export function backdateEquivocal(followUps: readonly FollowUp[], enabled: boolean): { followUps: FollowUp[]; revised: boolean[] } {
  const revised = followUps.map(() => false);
  if (!enabled) return { followUps: [...followUps], revised };
  const confirmedAt = new Map<string, number>(); // id -> last index recorded unequivocal
  followUps.forEach((f, i) => {
    for (const n of f.newLesions) if (!n.equivocal) confirmedAt.set(n.id, i);
  });
  const out = followUps.map((f, i) => {
    let changed = false;
    const newLesions = f.newLesions.map((n): NewLesionObs => {
      const last = confirmedAt.get(n.id);
      if (n.equivocal && n.status !== "absent" && last !== undefined && last > i) {
        changed = true;
        return { ...n, equivocal: false };
      }
      return n;
    });
    revised[i] = changed;
    return changed ? { ...f, newLesions } : f;
  });
  return { followUps: out, revised };
}

/** Some unequivocal new lesion is not absent (§8.2); also iRECIST's NLpresent (§13.1). */
export const hasNewLesion = (f: FollowUp): boolean => f.newLesions.some((n) => !n.equivocal && n.status !== "absent");

/** Non-target response per timepoint (spec §7). */
import type { BaselineNonTarget, FollowUp, LesionStatus, NonTargetResp, Params } from "./types.ts";

/** Status of each baseline non-target at a follow-up; a missing observation is not_evaluated. */
export function nonTargetStatuses(nonTargets: readonly BaselineNonTarget[], f: FollowUp): { nodal: boolean; status: LesionStatus }[] {
  return nonTargets.map((n) => ({
    nodal: n.nodal,
    status: f.nonTargets.find((o) => o.id === n.id)?.status ?? "not_evaluated",
  }));
}

/**
 * Rules of §7 in order. After a CR a non-nodal lesion present again is PD; a node only when it
 * unequivocally progressed ([FAQ-4], §15.14). Returns null when there are no non-targets.
 */
export function nonTargetResponse(
  statuses: readonly { nodal: boolean; status: LesionStatus }[],
  tumorMarkersAboveNormal: boolean,
  priorCr: boolean,
  p: Params,
): NonTargetResp | null {
  if (statuses.length === 0) return null;
  const back = (s: { nodal: boolean; status: LesionStatus }): boolean =>
    s.status === "unequivocal_progression" || (!s.nodal && s.status === "present");
  if (p.pdOnReappearanceAfterCr && priorCr && statuses.some(back)) return "PD";
  if (statuses.some((s) => s.status === "unequivocal_progression")) return "PD";
  if (statuses.some((s) => s.status === "not_evaluated")) return "NE";
  if (statuses.every((s) => s.status === "absent") && !tumorMarkersAboveNormal) return "CR";
  return "NON-CR/NON-PD";
}

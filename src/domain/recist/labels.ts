/** Continued PR (spec §10.2): reported labels only; BOR and all rules keep using raw labels. */
import { confirmingIndex, type Assessment, type Kind } from "./best-response.ts";
import type { Params } from "./types.ts";

const PROGRESSION: readonly Kind[] = ["PD", "UPD", "CPD"];

/**
 * PR is established at t when an earlier assessment k has raw CR or PR, no raw progression
 * (PD, iUPD, iCPD) lies strictly between k and t, and, if `requireConfirmation`, the response
 * at k was confirmed (§12.2) by an assessment before t.
 */
export function prEstablished(seq: readonly Assessment[], t: number, p: Params): boolean {
  for (let k = t - 1; k >= 0; k--) {
    const kind = seq[k]!.kind;
    if (PROGRESSION.includes(kind)) return false; // anything earlier has a progression between
    if (kind !== "CR" && kind !== "PR") continue;
    if (!p.requireConfirmation) return true;
    const j = confirmingIndex(seq, k, p);
    if (j !== null && j < t) return true;
  }
  return false;
}

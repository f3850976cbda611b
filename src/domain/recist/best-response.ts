/**
 * Best overall response (spec §12), unconfirmed and confirmed, shared by RECIST 1.1 and
 * iRECIST (§13.4) through response kinds: the caller maps its labels to kinds and back.
 */
import type { Params } from "./types.ts";

/** NN = the non-target-only stable category; UPD/CPD exist only in iRECIST. */
export type Kind = "CR" | "PR" | "SD" | "NN" | "PD" | "UPD" | "CPD" | "NE";

export interface Assessment { kind: Kind; day: number }

/**
 * Index of the earliest assessment that confirms the CR or PR at k (§12.2), or null.
 * CR needs a later CR >= confirmMinDays later with only CR/NE between; PR a later CR/PR with
 * CR/PR/NE (and one SD if allowed) between and no PR after a CR. NE between <= confirmMaxInterveningNe.
 */
export function confirmingIndex(seq: readonly Assessment[], k: number, p: Params): number | null {
  const first = seq[k];
  if (first === undefined || (first.kind !== "CR" && first.kind !== "PR")) return null;
  let ne = 0;
  let sd = 0;
  let seenCr = false;
  for (let j = k + 1; j < seq.length; j++) {
    const a = seq[j]!;
    const longEnough = a.day - first.day >= p.confirmMinDays;
    if (first.kind === "CR") {
      if (a.kind === "CR" && longEnough) return j;
      if (a.kind === "CR") continue;
    } else {
      if (a.kind === "PR" && seenCr) return null;
      if ((a.kind === "CR" || a.kind === "PR") && longEnough) return j;
      if (a.kind === "CR") { seenCr = true; continue; }
      if (a.kind === "PR") continue;
      if (a.kind === "SD" && p.confirmAcceptInterveningSd && sd < 1) { sd++; continue; }
    }
    if (a.kind !== "NE") return null;
    ne++;
    if (ne > p.confirmMaxInterveningNe) return null;
  }
  return null;
}

export interface BorOptions {
  /** SD with target disease, NN for non-target-only patients. */
  stable: "SD" | "NN";
  /** Progression kinds in rank order: ["PD"] for RECIST, ["UPD", "CPD"] for iRECIST (§13.4). */
  progression: readonly Kind[];
  /**
   * RECIST only: raw target responses per assessment, for "target disease back after a CR"
   * giving confirmed PD (§12.2, E09 Table 3). Omitted for iBOR ([decision] §13.4).
   */
  rawTargets?: readonly (string | null)[];
}

/**
 * Unconfirmed and confirmed best response over assessments already cut at the first
 * progression (§12): CR > PR > stable-type (if SD-eligible: >= sdMinDays after the reference day) > progression > NE.
 */
export function bestResponse(seq: readonly Assessment[], referenceDay: number, p: Params, o: BorOptions): { unconfirmed: Kind; confirmed: Kind } {
  const has = (kind: Kind): boolean => seq.some((a) => a.kind === kind);
  const sdEligible = seq.some(
    (a) => (a.kind === "CR" || a.kind === "PR" || a.kind === "SD" || a.kind === "NN") && a.day - referenceDay >= p.sdMinDays,
  );
  const progression = o.progression.find(has);
  const tail = (): Kind => (sdEligible ? o.stable : progression ?? "NE");

  const unconfirmed: Kind = has("CR") ? "CR" : has("PR") ? "PR" : tail();

  const confirmedOf = (kind: Kind): boolean =>
    seq.some((a, k) => a.kind === kind && confirmingIndex(seq, k, p) !== null);
  let confirmed: Kind;
  if (confirmedOf("CR")) confirmed = "CR";
  else if (confirmedOf("PR")) confirmed = "PR";
  else if (sdEligible) confirmed = o.stable;
  else if (progression !== undefined) confirmed = progression;
  else if (o.rawTargets !== undefined && targetBackAfterCr(seq, o.rawTargets)) confirmed = "PD";
  else confirmed = "NE";
  return { unconfirmed, confirmed };
}

/** Some overall CR is followed (later, not necessarily next) by a raw target PR or SD. */
function targetBackAfterCr(seq: readonly Assessment[], rawTargets: readonly (string | null)[]): boolean {
  const firstCr = seq.findIndex((a) => a.kind === "CR");
  if (firstCr < 0) return false;
  return rawTargets.slice(firstCr + 1, seq.length).some((t) => t === "PR" || t === "SD");
}

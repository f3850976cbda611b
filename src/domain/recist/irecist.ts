/** iRECIST (spec §13): new-lesion categories, the iUPD/iCPD state machine and the base response. */
import { toTenths, meetsGrowth, type Tenths } from "./exact.ts";
import { components, type Prepared } from "./timeline.ts";
import type { FollowUp, IResp, NonTargetResp, Params, TargetResp } from "./types.ts";

type Trigger = "T" | "NT" | "NL";

export interface IPoint {
  /** Raw iRECIST timepoint response. */
  resp: IResp;
  /** For an iUPD: index of the first iUPD of its episode; else null. */
  episode: number | null;
  /** For an iCPD assigned here: index of the first iUPD of the episode it confirms. */
  confirms: number | null;
}

/** Base response without pending progression (§13.3): new lesions are known, but iCR needs them all absent. */
export function baseResponse(target: TargetResp | null, nonTarget: NonTargetResp | null, nlPresent: boolean): IResp {
  if (target === null) {
    if (nonTarget === "NE") return "NE";
    return nonTarget === "CR" && !nlPresent ? "iCR" : "NON-iCR/NON-iUPD";
  }
  if (target === "CR") return (nonTarget === "CR" || nonTarget === null) && !nlPresent ? "iCR" : "iPR";
  if (target === "PR") return "iPR";
  if (target === "SD") return "iSD";
  return target === "NE" ? "NE" : "iUPD"; // target PD never reaches the base response
}

/** New-lesion quantities at one follow-up (§13.1); only unequivocal lesions count. */
function newLesionState(f: FollowUp, recorded: ReadonlySet<string>) {
  const nl = f.newLesions.filter((n) => !n.equivocal);
  const nlt = nl.filter((n) => n.measurable);
  const nlnt = nl.filter((n) => !n.measurable);
  return {
    nlt: nlt.reduce((s, n) => s + (n.status === "absent" ? 0 : toTenths(n.value ?? 0)), 0),
    nltListed: nlt.length > 0,
    newIds: nl.filter((n) => n.status !== "absent" && !recorded.has(n.id)).map((n) => n.id),
    present: nl.some((n) => n.status !== "absent"),
    nlntProgressed: nlnt.some((n) => n.status === "unequivocal_progression"),
    nlntIncreased: nlnt.some((n) => n.increasedSinceLast === true || n.status === "unequivocal_progression"),
  };
}

/**
 * Raw iRECIST responses in date order (§13.2). "Prior CR" for target/non-target PD is the
 * previous non-NE iRECIST response being iCR. Scans earlier than icpdMinDays after the iUPD
 * are disregarded (reported iUPD, record nothing) unless symptom-driven with a new lesion.
 */
export function rawIrecist(points: readonly Prepared[], followUps: readonly FollowUp[], baselineSum: Tenths | null, p: Params): IPoint[] {
  const out: IPoint[] = [];
  let mode: "NORMAL" | "IUPD" | "ICPD" = "NORMAL";
  let ref: { index: number; day: number; triggers: Set<Trigger>; S: Tenths | null; NLT: Tenths } | null = null;
  const recorded = new Set<string>();
  const nltHistory: Tenths[] = [];
  let lastNonNe: IResp | null = null;

  points.forEach((pt, t) => {
    const f = followUps[t]!;
    const { target, nonTarget } = components(pt, baselineSum, lastNonNe === "iCR", p);
    const nl = newLesionState(f, recorded);
    const nltNadir = nltHistory.length === 0 ? null : Math.min(...nltHistory);
    const tPd = target === "PD";
    const ntPd = nonTarget === "PD";
    const nlPd = nl.newIds.length > 0 || nl.nlntProgressed
      || (nltNadir !== null && meetsGrowth(nl.nlt, nltNadir, p.pdThresholdPct, p.pdAbsoluteMm));
    const base = baseResponse(target, nonTarget, nl.present);
    let point: IPoint = { resp: base, episode: null, confirms: null };
    let used = true;

    if (mode === "ICPD") {
      point = { resp: "iCPD", episode: null, confirms: null };
    } else if (mode === "NORMAL" || ref === null) {
      if (tPd || ntPd || nlPd) {
        const triggers = new Set<Trigger>([...(tPd ? ["T" as const] : []), ...(ntPd ? ["NT" as const] : []), ...(nlPd ? ["NL" as const] : [])]);
        ref = { index: t, day: pt.day, triggers, S: pt.sums.sum, NLT: nl.nlt };
        mode = "IUPD";
        point = { resp: "iUPD", episode: t, confirms: null };
      }
    } else if (pt.day - ref.day < p.icpdMinDays) {
      if (f.symptomDriven === true && nl.newIds.length > 0) {
        mode = "ICPD";
        point = { resp: "iCPD", episode: null, confirms: ref.index };
      } else {
        used = false;
        point = { resp: "iUPD", episode: ref.index, confirms: null };
      }
    } else {
      const tr = ref.triggers;
      const x = pt.sums.sum ?? pt.sums.partialSum;
      const confirmed =
        (tr.has("T") && ref.S !== null && x !== null && x - ref.S >= toTenths(p.icpdAbsoluteMm))
        || (tr.has("NT") && f.nonTargets.some((n) => n.increasedSinceLast === true))
        || (tr.has("NL") && (nl.nlt - ref.NLT >= toTenths(p.icpdAbsoluteMm) || nl.nlntIncreased))
        || nl.newIds.length > 0
        || (!tr.has("T") && tPd) || (!tr.has("NT") && ntPd) || (!tr.has("NL") && nlPd);
      const furtherShrinkage = ref.S !== null && pt.sums.sum !== null && pt.sums.sum < ref.S;
      if (confirmed) {
        mode = "ICPD";
        point = { resp: "iCPD", episode: null, confirms: ref.index };
      } else if (target === "NE" || (target === null && nonTarget === "NE")) {
        point = { resp: "NE", episode: null, confirms: null };
      } else if (tPd || ntPd || nlPd || (tr.has("NL") && nl.present && !furtherShrinkage)) {
        point = { resp: "iUPD", episode: ref.index, confirms: null };
      } else {
        mode = "NORMAL";
        ref = null;
      }
    }
    if (used) {
      for (const id of nl.newIds) recorded.add(id);
      if (nl.nltListed) nltHistory.push(nl.nlt);
    }
    if (point.resp !== "NE") lastNonNe = point.resp;
    out.push(point);
  });
  return out;
}

/** RECIST 1.1 per-timepoint evaluation (spec §5-§10): sums, components, raw and reported labels. */
import type { Assessment, Kind } from "./best-response.ts";
import { dayNumber } from "./dates.ts";
import { toTenths, type Tenths } from "./exact.ts";
import { prEstablished } from "./labels.ts";
import { hasNewLesion } from "./new-lesions.ts";
import { nonTargetResponse, nonTargetStatuses } from "./non-targets.ts";
import { normaliseTargets, type TargetValue } from "./normalise.ts";
import { overallResponse } from "./response.ts";
import { computeSums, type SumsAt } from "./sums.ts";
import { targetResponse } from "./targets.ts";
import type { Baseline, FollowUp, LesionStatus, NonTargetResp, Params, Resp, TargetResp } from "./types.ts";

/** What a timepoint's responses are computed from; independent of earlier responses. */
export interface Prepared {
  date: string;
  day: number;
  values: TargetValue[];
  sums: SumsAt;
  statuses: { nodal: boolean; status: LesionStatus }[];
  markers: boolean;
  newLesion: boolean;
}

/** Normalised values (§4) and sums (§5) of every follow-up; baselineSum null without targets. */
export function prepare(baseline: Baseline, followUps: readonly FollowUp[], p: Params): { baselineSum: Tenths | null; points: Prepared[] } {
  const baselineSum = baseline.targets.length === 0 ? null : baseline.targets.reduce((s, t) => s + toTenths(t.value), 0);
  const values = followUps.map((f) => normaliseTargets(baseline.targets, f, p));
  const sums = computeSums(baselineSum, values);
  const points = followUps.map((f, i): Prepared => ({
    date: f.date,
    day: dayNumber(f.date),
    values: values[i]!,
    sums: sums[i]!,
    statuses: nonTargetStatuses(baseline.nonTargets, f),
    markers: f.tumorMarkersAboveNormal === true,
    newLesion: hasNewLesion(f),
  }));
  return { baselineSum, points };
}

/** Target (§6) and non-target (§7) responses given whether the prior non-NE response was a CR. */
export function components(pt: Prepared, baselineSum: Tenths | null, priorCr: boolean, p: Params): { target: TargetResp | null; nonTarget: NonTargetResp | null } {
  const { sum, partialSum, nadir } = pt.sums;
  const target = baselineSum === null || nadir === null || partialSum === null
    ? null
    : targetResponse({ values: pt.values, sum, partialSum, nadir, baselineSum, priorCr }, p);
  return { target, nonTarget: nonTargetResponse(pt.statuses, pt.markers, priorCr, p) };
}

export interface RecistPoint { target: TargetResp | null; nonTarget: NonTargetResp | null; overall: Resp }

export const RESP_KIND: Record<Resp, Kind> = {
  CR: "CR", PR: "PR", SD: "SD", "NON-CR/NON-PD": "NN", PD: "PD", NE: "NE",
};

/** Raw labels in date order: "prior CR" is the most recent earlier non-NE raw overall response (§6, §10.1). */
export function rawRecist(points: readonly Prepared[], baselineSum: Tenths | null, p: Params): RecistPoint[] {
  const out: RecistPoint[] = [];
  let lastNonNe: Resp | null = null;
  for (const pt of points) {
    const { target, nonTarget } = components(pt, baselineSum, lastNonNe === "CR", p);
    const overall = overallResponse(target, nonTarget, pt.newLesion);
    out.push({ target, nonTarget, overall });
    if (overall !== "NE") lastNonNe = overall;
  }
  return out;
}

/** Reported labels (§10.2): once PR is established a raw target SD is reported PR, overall re-derived. */
export function reportedRecist(raw: readonly RecistPoint[], points: readonly Prepared[], p: Params): RecistPoint[] {
  if (!p.continuedPrAfterEstablished) return [...raw];
  const seq: Assessment[] = raw.map((r, i) => ({ kind: RESP_KIND[r.overall], day: points[i]!.day }));
  return raw.map((r, t) => {
    if (r.target !== "SD" || !prEstablished(seq, t, p)) return r;
    return { target: "PR", nonTarget: r.nonTarget, overall: overallResponse("PR", r.nonTarget, points[t]!.newLesion) };
  });
}

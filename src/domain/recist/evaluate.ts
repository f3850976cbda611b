/** The whole pipeline (spec §1): validate -> normalise -> backdate -> timepoints -> BOR -> iRECIST. */
import { bestResponse, type Assessment, type Kind } from "./best-response.ts";
import { dayNumber } from "./dates.ts";
import { fromTenths } from "./exact.ts";
import { rawIrecist } from "./irecist.ts";
import { reportedIrecist, summariseIrecist } from "./irecist-summary.ts";
import { backdateEquivocal } from "./new-lesions.ts";
import { resolveParams } from "./protocol.ts";
import { prepare, rawRecist, reportedRecist, RESP_KIND } from "./timeline.ts";
import type { Case, Resp, Result, TimepointResult } from "./types.ts";
import { validateCase } from "./validate.ts";

const KIND_RESP: Record<Kind, Resp> = {
  CR: "CR", PR: "PR", SD: "SD", NN: "NON-CR/NON-PD", PD: "PD", NE: "NE", UPD: "PD", CPD: "PD",
};
const mmOrNull = (t: number | null): number | null => (t === null ? null : fromTenths(t));

/**
 * Evaluates one case by RECIST 1.1 (and iRECIST when `params.criteria` is "iRECIST").
 * Pure and total: validation problems come back as `validationErrors`, never as exceptions.
 * All lengths in mm (0.1 mm resolution), percentages rounded to 1 decimal half away from zero.
 */
export function evaluateCase(c: Case): Result {
  const p = resolveParams(c.params);
  const idPart = c.id === undefined ? {} : { id: c.id };
  const validationErrors = validateCase(c.input, p);
  if (validationErrors.length > 0) return { ...idPart, validationErrors };

  const { baseline } = c.input;
  const { followUps, revised } = backdateEquivocal(c.input.followUps, p.backdateEquivocalNewLesions);
  const { baselineSum, points } = prepare(baseline, followUps, p);
  const raw = rawRecist(points, baselineSum, p);
  const reported = reportedRecist(raw, points, p);
  const referenceDay = dayNumber(c.input.referenceDate ?? baseline.date);
  const hasTargets = baselineSum !== null;

  const firstPd = raw.findIndex((r) => r.overall === "PD");
  const window = firstPd >= 0 ? raw.slice(0, firstPd + 1) : raw;
  const seq: Assessment[] = window.map((r, i) => ({ kind: RESP_KIND[r.overall], day: points[i]!.day }));
  const bor = bestResponse(seq, referenceDay, p, {
    stable: hasTargets ? "SD" : "NN",
    progression: ["PD"],
    rawTargets: window.map((r) => r.target),
  });

  const iraw = p.criteria === "iRECIST" ? rawIrecist(points, followUps, baselineSum, p) : null;
  const ireported = iraw === null ? null : reportedIrecist(iraw, points, p);
  const isummary = iraw === null ? null : summariseIrecist(iraw, points, referenceDay, hasTargets, p);

  const timepoints = points.map((pt, i): TimepointResult => ({
    date: pt.date,
    sum: mmOrNull(pt.sums.sum),
    partialSum: mmOrNull(pt.sums.partialSum),
    nadir: mmOrNull(pt.sums.nadir),
    pctChangeFromBaseline: pt.sums.pctChangeFromBaseline,
    pctChangeFromNadir: pt.sums.pctChangeFromNadir,
    targetResponse: reported[i]!.target,
    nonTargetResponse: reported[i]!.nonTarget,
    newLesion: pt.newLesion,
    overallResponse: reported[i]!.overall,
    revised: revised[i]!,
    ...(ireported === null ? {} : { iOverallResponse: ireported[i]! }),
  }));

  return {
    ...idPart,
    validationErrors: [],
    baselineSum: mmOrNull(baselineSum),
    timepoints,
    bestOverallResponse: { unconfirmed: KIND_RESP[bor.unconfirmed], confirmed: KIND_RESP[bor.confirmed] },
    progressionDate: firstPd >= 0 ? points[firstPd]!.date : null,
    warnings: isummary?.warnings ?? [],
    ...(isummary === null ? {} : { irecist: isummary.irecist }),
  };
}

/** iRECIST reported labels (§10.2), iBOR, progression/iCPD dates and warnings (§13.4). */
import { bestResponse, type Assessment, type Kind } from "./best-response.ts";
import { prEstablished } from "./labels.ts";
import type { IPoint } from "./irecist.ts";
import type { Prepared } from "./timeline.ts";
import type { IResp, Params, Result, Warning } from "./types.ts";

const I_KIND: Record<IResp, Kind> = {
  iCR: "CR", iPR: "PR", iSD: "SD", "NON-iCR/NON-iUPD": "NN", iUPD: "UPD", iCPD: "CPD", NE: "NE",
};
const KIND_I: Record<Kind, IResp> = {
  CR: "iCR", PR: "iPR", SD: "iSD", NN: "NON-iCR/NON-iUPD", UPD: "iUPD", CPD: "iCPD", NE: "NE", PD: "iCPD",
};

/** Reported iRECIST labels: an iSD is reported iPR once iPR is established (§10.2). */
export function reportedIrecist(raw: readonly IPoint[], points: readonly Prepared[], p: Params): IResp[] {
  const seq: Assessment[] = raw.map((r, i) => ({ kind: I_KIND[r.resp], day: points[i]!.day }));
  return raw.map((r, t) =>
    r.resp === "iSD" && p.continuedPrAfterEstablished && prEstablished(seq, t, p) ? "iPR" : r.resp);
}

/**
 * iBOR over timepoints up to the first iCPD, with the iUPDs of the confirmed episode counted
 * as iCPD; progression date = first iUPD of that episode; a warning when iCPD came more than
 * icpdMaxDays after it.
 */
export function summariseIrecist(
  raw: readonly IPoint[], points: readonly Prepared[], referenceDay: number, hasTargets: boolean, p: Params,
): { irecist: NonNullable<Result["irecist"]>; warnings: Warning[] } {
  const icpdAt = raw.findIndex((r) => r.resp === "iCPD");
  const episode = icpdAt >= 0 ? raw[icpdAt]!.confirms : null;
  const window = icpdAt >= 0 ? raw.slice(0, icpdAt + 1) : raw;
  const seq: Assessment[] = window.map((r, i) => ({
    kind: r.resp === "iUPD" && episode !== null && r.episode === episode ? "CPD" : I_KIND[r.resp],
    day: points[i]!.day,
  }));
  const bor = bestResponse(seq, referenceDay, p, { stable: hasTargets ? "SD" : "NN", progression: ["UPD", "CPD"] });
  const warnings: Warning[] = [];
  if (icpdAt >= 0 && episode !== null && points[icpdAt]!.day - points[episode]!.day > p.icpdMaxDays) {
    warnings.push({ code: "ICPD_CONFIRMATION_LATE", date: points[icpdAt]!.date });
  }
  return {
    irecist: {
      bestOverallResponse: { unconfirmed: KIND_I[bor.unconfirmed], confirmed: KIND_I[bor.confirmed] },
      progressionDate: episode !== null ? points[episode]!.date : null,
      icpdDate: icpdAt >= 0 ? points[icpdAt]!.date : null,
    },
    warnings,
  };
}

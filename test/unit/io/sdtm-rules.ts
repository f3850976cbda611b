import { expect } from "vitest";
import type { SdtmRow } from "../../../src/io/sdtm/columns.ts";
import type { SdtmRows, TimelineForSdtm } from "../../../src/io/sdtm/map.ts";

const tenths = (x: number): number => Math.round(x * 10);

/**
 * The SDTM rules every export must keep, checked against the timeline it came from:
 * TR links exist in TU; SUMDIAM = sum of that visit's target LDIAM/LPERP = the stored RECIST sum;
 * OVRLRESP, TRGRESP, NTRGRESP = the stored time-point results; BESTRSP = the stored best response;
 * sequence numbers 1..n per subject.
 */
export function expectSdtmRules(rows: SdtmRows, timeline: TimelineForSdtm, requireConfirmation = false): void {
  const tu = new Set(rows.tu.map((r) => `${r.USUBJID}|${r.TULNKID}`));
  for (const r of rows.tr) if (r.TRLNKID !== null) expect(tu.has(`${r.USUBJID}|${r.TRLNKID}`), `TR ${r.TRLNKID} at ${r.VISIT} has no TU row`).toBe(true);
  for (const [rs, seq] of [[rows.tu, "TUSEQ"], [rows.tr, "TRSEQ"], [rows.rs, "RSSEQ"]] as const) expect(rs.map((r) => r[seq])).toEqual(rs.map((_, i) => i + 1));

  const byVisit = new Map<number, SdtmRow[]>();
  for (const r of rows.tr) byVisit.set(r.VISITNUM as number, [...(byVisit.get(r.VISITNUM as number) ?? []), r]);
  const result = timeline.recist.result;
  timeline.studies.forEach((_, i) => {
    const visitRows = byVisit.get(i + 1) ?? [];
    const sumRow = visitRows.find((r) => r.TRTESTCD === "SUMDIAM");
    const stored = i === 0 ? result.baselineSum : result.timepoints?.[i - 1]?.sum;
    if (stored === null || stored === undefined) {
      if (sumRow) expect(sumRow.TRSTAT).toBe("NOT DONE");
      return;
    }
    expect(sumRow, `SUMDIAM at visit ${i + 1}`).toBeDefined();
    const targets = visitRows.filter((r) => r.TRGRPID === "TARGET" && (r.TRTESTCD === "LDIAM" || r.TRTESTCD === "LPERP"));
    expect(tenths(sumRow!.TRSTRESN as number)).toBe(targets.reduce((n, r) => n + tenths((r.TRSTRESN as number | null) ?? 0), 0));
    expect(tenths(sumRow!.TRSTRESN as number)).toBe(tenths(stored));
  });
  (result.timepoints ?? []).forEach((tp, k) => {
    const at = (code: string) => rows.rs.filter((r) => r.VISITNUM === k + 2 && r.RSTESTCD === code && r.RSCAT === "RECIST 1.1").map((r) => r.RSORRES);
    expect(at("OVRLRESP")).toEqual([tp.overallResponse]);
    expect(at("TRGRESP")).toEqual(tp.targetResponse ? [tp.targetResponse] : []);
    expect(at("NTRGRESP")).toEqual(tp.nonTargetResponse ? [tp.nonTargetResponse] : []);
    expect(at("NEWLIND")).toEqual([tp.newLesion ? "Y" : "N"]);
  });
  const best = rows.rs.filter((r) => r.RSTESTCD === "BESTRSP" && r.RSCAT === "RECIST 1.1").map((r) => r.RSORRES);
  const stored = result.bestOverallResponse;
  expect(best).toEqual(stored ? [requireConfirmation ? stored.confirmed : stored.unconfirmed] : []);
}

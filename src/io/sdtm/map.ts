import { inputFromTracks, resolveParams } from "../../domain/recist/index.ts";
import { lineageFromEvents, resolveLineage } from "../../domain/recist/lineage.ts";
import type { Result, TimepointResult } from "../../domain/recist/index.ts";
import { tracksProtocol } from "../../domain/recist/follow-up-flags.ts";
import type { RecistAnnotations } from "../../domain/timeline/types.ts";
import type { SdtmRow } from "./columns.ts";

/** The parts of a stored timeline document (GET .../timeline) the SDTM mapping reads. */
export interface TimelineForSdtm {
  timeAxis: string;
  studies: { studyKey: string; date: string | null; recistDate: string | null; sliceThicknessMm: number | null; recist: ({ role: string } & Partial<TimepointResult>) | null }[];
  tracks: {
    trackId: string;
    label: string;
    organ: string | null;
    lesionType: string | null;
    nodal: boolean;
    recistRole: "target" | "non-target" | "new";
    observations: { studyKey: string; observationId: string; longAxisMm: number; shortAxisMm: number }[];
  }[];
  events: { studyKey: string; type: string; trackIds: string[] }[];
  recist: { designations: { trackId: string; role: "target" | "non-target" }[]; result: Result };
}

export interface PatientForSdtm {
  patientId: string;
  timeline: TimelineForSdtm;
  /** People's RECIST inputs stored on the patient (too small to measure, non-target status). */
  recistInputs: RecistAnnotations;
}

export interface SdtmRows {
  tu: SdtmRow[];
  tr: SdtmRow[];
  rs: SdtmRow[];
}

const NT_STATE: Record<string, string> = { present: "PRESENT", absent: "ABSENT", unequivocal_progression: "UNEQUIVOCAL PROGRESSION" };

/** The engine's per-lesion inputs, rebuilt with the same mapping the derivation used (from-tracks). */
function engineInput(p: PatientForSdtm, protocol: Record<string, unknown>) {
  const t = p.timeline;
  const protocolOf = tracksProtocol(protocol);
  return inputFromTracks({
    studies: t.studies.map((s) => ({ key: s.studyKey, date: s.recistDate ?? "2000-01-01" })),
    tracks: t.tracks.map((tr) => ({
      trackId: tr.trackId,
      organ: tr.organ ?? tr.lesionType ?? "unknown",
      nodal: tr.nodal,
      sizes: Object.fromEntries(tr.observations.map((o) => [o.studyKey, { longAxisMm: o.longAxisMm, shortAxisMm: o.shortAxisMm }])),
    })),
    ...(t.recist.designations.length > 0 ? { designations: t.recist.designations } : {}),
    lineage: lineageFromEvents(t.events),
    followUpFlags: p.recistInputs.studyFlags ?? {},
    missingTargetMeans: protocolOf.missingTargetMeans,
    ...(t.studies[0]?.sliceThicknessMm ? { sliceThicknessMm: t.studies[0].sliceThicknessMm } : {}),
    params: protocolOf.params,
  }).input;
}

/**
 * Maps one patient's stored timeline to SDTM TU, TR and RS rows (SDTMIG oncology domains and the
 * CDISC RECIST 1.1 supplement): TULNKID/TRLNKID = track label (T04.1 after a split, T02/T03 after
 * a merge, as the matcher names them); target sizes LDIAM, or LPERP for nodes; TSTM coded
 * "TOO SMALL TO MEASURE" with the protocol's standard value; a vanished target "NOT PRESENT" = 0;
 * SUMDIAM and every response exactly as the stored RECIST result.
 */
export function sdtmOfPatient(studyId: string, p: PatientForSdtm, protocol: Record<string, unknown>): SdtmRows {
  const t = p.timeline;
  const params = resolveParams(protocol);
  const usubjid = `${studyId}-${p.patientId}`;
  const real = t.timeAxis === "date";
  const visit = (i: number) => ({ VISITNUM: i + 1, VISIT: i === 0 ? "BASELINE" : `FOLLOW-UP ${i}` });
  const dtc = (i: number): string | null => (real ? t.studies[i]?.date ?? null : null);
  const base = (domain: string) => ({ STUDYID: studyId, DOMAIN: domain, USUBJID: usubjid });
  const byId = new Map(t.tracks.map((tr) => [tr.trackId, tr]));
  const labelOf = (id: string): string => byId.get(id)?.label ?? id;
  const visitIndex = new Map(t.studies.map((s, i) => [s.studyKey, i]));
  const obsAt = (trackId: string, studyKey: string) => byId.get(trackId)?.observations.find((o) => o.studyKey === studyKey);
  const out: SdtmRows = { tu: [], tr: [], rs: [] };
  if (t.studies.length === 0) return out;

  // Tracks ended by a person's split or merge: their TR rows after it are "NOT DONE" (CDISC).
  const endedBy = new Map<string, { reason: string; at: number }>();
  const origin = new Map<string, { testcd: string; test: string; group: string }>();
  for (const e of t.events) {
    const at = visitIndex.get(e.studyKey) ?? 0;
    if (e.type === "split") {
      const [parent, ...children] = e.trackIds;
      endedBy.set(parent!, { reason: "TUMOR SPLIT", at });
      for (const c of children) origin.set(c, { testcd: "TUSPLIT", test: "Tumor Split", group: labelOf(parent!) });
    } else if (e.type === "merge") {
      const child = e.trackIds.at(-1)!;
      for (const parent of e.trackIds.slice(0, -1)) endedBy.set(parent, { reason: "TUMOR MERGED", at });
      origin.set(child, { testcd: "TUMERGE", test: "Tumor Merged", group: labelOf(child) });
    }
  }

  // TU: one row per track the assessment uses, at the visit it was identified.
  const role = new Map(t.recist.designations.map((d) => [d.trackId, d.role]));
  // A piece of a split or merged lesion keeps the role of the baseline lesion(s) it descends from.
  const lineage = resolveLineage(t.tracks.map((tr) => tr.trackId), t.studies.map((s) => s.studyKey), lineageFromEvents(t.events), (id) => {
    const first = byId.get(id)?.observations[0];
    return first ? visitIndex.get(first.studyKey) : undefined;
  });
  const roleOf = (trackId: string): "TARGET" | "NON-TARGET" | null => {
    const roots = lineage.roots(trackId).map((r) => role.get(r));
    return roots.includes("target") ? "TARGET" : roots.includes("non-target") ? "NON-TARGET" : null;
  };
  for (const tr of t.tracks) {
    const first = tr.observations[0];
    if (!first) continue;
    const i = visitIndex.get(first.studyKey) ?? 0;
    const result = i === 0 ? roleOf(tr.trackId) : lineage.hasParents(tr.trackId) ? roleOf(tr.trackId) ?? "NEW" : "NEW";
    if (result === null) continue;
    const o = origin.get(tr.trackId);
    out.tu.push({
      ...base("TU"), TUGRPID: o?.group ?? null, TUREFID: first.observationId, TULNKID: tr.label,
      TUTESTCD: o?.testcd ?? "TUMIDENT", TUTEST: o?.test ?? "Tumor Identification", TUORRES: result, TUSTRESC: result,
      TULOC: (tr.organ ?? tr.lesionType)?.toUpperCase() ?? null, TUMETHOD: "CT SCAN", ...visit(i), TUDTC: dtc(i),
    });
  }
  const inTu = new Set(out.tu.map((r) => r.TULNKID));

  // TR: the engine's own per-lesion inputs, so sizes, SUMDIAM and responses agree by construction.
  const input = engineInput(p, protocol);
  const size = (nodal: boolean) => (nodal ? { TRTESTCD: "LPERP", TRTEST: "Longest Perpendicular" } : { TRTESTCD: "LDIAM", TRTEST: "Longest Diameter" });
  const mm = (v: number) => ({ TRORRES: String(v), TRORRESU: "mm", TRSTRESC: String(v), TRSTRESN: v, TRSTRESU: "mm", TRSTAT: null, TRREASND: null });
  const notDone = (reason: string) => ({ TRORRES: null, TRORRESU: null, TRSTRESC: null, TRSTRESN: null, TRSTRESU: null, TRSTAT: "NOT DONE", TRREASND: reason });
  const state = (s: string) => ({ TRTESTCD: "TUMSTATE", TRTEST: "Tumor State", ...(NT_STATE[s] ? { TRORRES: NT_STATE[s], TRORRESU: null, TRSTRESC: NT_STATE[s], TRSTRESN: null, TRSTRESU: null, TRSTAT: null, TRREASND: null } : notDone("NOT EVALUABLE")) });
  const trRow = (i: number, group: string, trackId: string | null, fields: SdtmRow) => {
    const key = t.studies[i]!.studyKey;
    const ref = trackId ? obsAt(trackId, key)?.observationId ?? null : null;
    out.tr.push({ ...base("TR"), TRGRPID: group, TRREFID: ref, TRLNKID: trackId ? labelOf(trackId) : null, ...fields, TRMETHOD: trackId ? "CT SCAN" : null, ...visit(i), TRDTC: dtc(i) });
  };
  const ended = (trackId: string, i: number) => {
    const e = endedBy.get(trackId);
    return e && i >= e.at ? e.reason : null;
  };
  const sumRow = (i: number, sum: number | null | undefined) =>
    trRow(i, "TARGET", null, { TRTESTCD: "SUMDIAM", TRTEST: "Sum of Diameter", ...(sum === null || sum === undefined ? notDone("NOT EVALUABLE") : mm(sum)) });

  for (const b of input.baseline.targets) trRow(0, "TARGET", b.id, { ...size(b.nodal), ...mm(b.value) });
  sumRow(0, t.recist.result.baselineSum ?? null);
  for (const n of input.baseline.nonTargets) trRow(0, "NON-TARGET", n.id, state("present"));
  const nodal = new Map([...input.baseline.targets, ...input.baseline.nonTargets].map((x) => [x.id, x.nodal]));
  input.followUps.forEach((f, k) => {
    const i = k + 1;
    const tp = t.recist.result.timepoints?.[k];
    const pieceRows = new Set<string>();
    /** Rows for the tracks that now stand for an ended lesion (split fragments, the merged lesion). */
    const pieces = (rootId: string, group: "TARGET" | "NON-TARGET") => {
      for (const piece of lineage.pieces(rootId, i)) {
        if (piece === rootId || pieceRows.has(piece)) continue;
        pieceRows.add(piece);
        const o = obsAt(piece, t.studies[i]!.studyKey);
        const nodalPiece = byId.get(piece)?.nodal ?? false;
        if (group === "NON-TARGET") trRow(i, group, piece, state(o ? "present" : "absent"));
        else trRow(i, group, piece, { ...size(nodalPiece), ...(o ? mm(Math.round((nodalPiece ? o.shortAxisMm : o.longAxisMm) * 10) / 10) : { ...mm(0), TRORRES: "NOT PRESENT", TRORRESU: null }) });
      }
    };
    for (const obs of f.targets) {
      if (ended(obs.id, i)) pieces(obs.id, "TARGET");
      const reason = ended(obs.id, i);
      const fields =
        reason ? notDone(reason)
        : obs.status === "measured" ? mm("value" in obs ? obs.value : obs.fragments.reduce((a, b) => a + b, 0))
        : obs.status === "tstm" ? { ...mm(params.tstmDefaultMm), TRORRES: "TOO SMALL TO MEASURE", TRORRESU: null }
        : obs.status === "disappeared" ? { ...mm(0), TRORRES: "NOT PRESENT", TRORRESU: null }
        : notDone(obs.status === "merged" ? "TUMOR MERGED" : "NOT EVALUABLE");
      trRow(i, "TARGET", obs.id, { ...size(nodal.get(obs.id) ?? false), ...fields });
    }
    sumRow(i, tp?.sum);
    for (const nt of f.nonTargets) {
      trRow(i, "NON-TARGET", nt.id, ended(nt.id, i) ? { TRTESTCD: "TUMSTATE", TRTEST: "Tumor State", ...notDone(ended(nt.id, i)!) } : state(nt.status));
      if (ended(nt.id, i)) pieces(nt.id, "NON-TARGET");
    }
    for (const nl of f.newLesions) {
      if (!inTu.has(labelOf(nl.id))) continue;
      trRow(i, "NEW", nl.id, nl.equivocal && nl.status === "present" ? { ...state("present"), TRORRES: "EQUIVOCAL", TRSTRESC: "EQUIVOCAL" } : state(nl.status));
      if (nl.value !== undefined) trRow(i, "NEW", nl.id, { ...size(byId.get(nl.id)?.nodal ?? false), ...mm(nl.value) });
    }
  });

  // RS: per follow-up the target, non-target, new-lesion and overall responses; then the best response.
  const cat = "RECIST 1.1";
  const rs = (i: number | null, code: string, test: string, value: string, category = cat) =>
    out.rs.push({ ...base("RS"), RSTESTCD: code, RSTEST: test, RSCAT: category, RSORRES: value, RSSTRESC: value, ...(i === null ? { VISITNUM: null, VISIT: null } : visit(i)), RSDTC: i === null ? null : dtc(i) });
  (t.recist.result.timepoints ?? []).forEach((tp, k) => {
    const i = k + 1;
    if (tp.targetResponse) rs(i, "TRGRESP", "Target Response", tp.targetResponse);
    if (tp.nonTargetResponse) rs(i, "NTRGRESP", "Non-target Response", tp.nonTargetResponse);
    rs(i, "NEWLIND", "New Lesion Indicator", tp.newLesion ? "Y" : "N");
    rs(i, "OVRLRESP", "Overall Response", tp.overallResponse);
    if (tp.iOverallResponse) rs(i, "OVRLRESP", "Overall Response", tp.iOverallResponse, "iRECIST");
  });
  const best = t.recist.result.bestOverallResponse;
  if (best) rs(null, "BESTRSP", "Best Overall Response", params.requireConfirmation ? best.confirmed : best.unconfirmed);
  const ibest = t.recist.result.irecist?.bestOverallResponse;
  if (ibest) rs(null, "BESTRSP", "Best Overall Response", params.requireConfirmation ? ibest.confirmed : ibest.unconfirmed, "iRECIST");

  out.tu.forEach((r, n) => (r.TUSEQ = n + 1));
  out.tr.forEach((r, n) => (r.TRSEQ = n + 1));
  out.rs.forEach((r, n) => (r.RSSEQ = n + 1));
  return out;
}

/**
 * From matched lesion tracks to the engine's contract Input, for the service: a deliberately
 * simple, documented mapping; the reader's judgement comes in through designations and flags.
 */
import { evaluateCase } from "./evaluate.ts";
import { toTenths, fromTenths } from "./exact.ts";
import { DEFAULT_SLICE_THICKNESS_MM, resolveParams } from "./protocol.ts";
import type { FollowUp, Input, LesionStatus, NewLesionObs, Params, Result, TargetObs } from "./types.ts";
import { targetOrgan } from "./validate.ts";

export interface TrackSize { longAxisMm: number; shortAxisMm: number }

export interface TrackForRecist {
  trackId: string;
  organ: string;
  nodal: boolean;
  /** Size per study key; absent/undefined = the track was not seen in that study. */
  sizes: Record<string, TrackSize | undefined>;
}

export interface Designation { trackId: string; role: "target" | "non-target" }

export interface FollowUpFlags {
  tumorMarkersAboveNormal?: boolean;
  /** Reader's non-target status per track id; overrides the observed/not observed default. */
  nonTargetStatus?: Record<string, LesionStatus>;
  /** Target track ids "too small to measure" at this study. */
  tstm?: string[];
  /** New-lesion track ids the reader finds equivocal at this study. */
  equivocalNew?: string[];
}

export interface TracksArgs {
  /** In time order; the first is the baseline. Dates ISO (only the YYYY-MM-DD part is used). */
  studies: { key: string; date: string }[];
  tracks: TrackForRecist[];
  /** Baseline roles set by a person; when absent or empty, targets are proposed. */
  designations?: Designation[];
  followUpFlags?: Record<string, FollowUpFlags>;
  referenceDate?: string;
  sliceThicknessMm?: number;
  params?: Partial<Params>;
}

export interface TracksInput { input: Input; proposed: boolean; designations: Designation[] }

const day = (iso: string): string => iso.slice(0, 10);
/** RECIST diameter in mm at 0.1 mm: short axis for nodes, long axis otherwise. */
const diameter = (t: TrackForRecist, s: TrackSize): number => fromTenths(toTenths(t.nodal ? s.shortAxisMm : s.longAxisMm));

/** Measurable as a target (§3.1): node SA >= minTargetNodeMm; other LD >= minimum and >= 2 x slice when slice > 5 mm. */
function measurable(t: TrackForRecist, d: number, p: Params, sliceMm: number): boolean {
  if (t.nodal) return toTenths(d) >= toTenths(p.minTargetNodeMm);
  return toTenths(d) >= toTenths(p.minMeasurableMm) && (toTenths(sliceMm) <= 50 || toTenths(d) >= 2 * toTenths(sliceMm));
}

/** Targets by §3.2: measurable lesions, largest first (ties by id), at most maxTargetsPerOrgan per organ and maxTargets in total. */
export function proposeDesignations(baselineTracks: readonly { track: TrackForRecist; d: number }[], p: Params, sliceMm: number): Designation[] {
  const perOrgan = new Map<string, number>();
  const chosen = new Set<string>();
  const ranked = [...baselineTracks].sort((a, b) => b.d - a.d || a.track.trackId.localeCompare(b.track.trackId));
  for (const { track, d } of ranked) {
    const organ = targetOrgan(track);
    if (chosen.size >= p.maxTargets || (perOrgan.get(organ) ?? 0) >= p.maxTargetsPerOrgan || !measurable(track, d, p, sliceMm)) continue;
    chosen.add(track.trackId);
    perOrgan.set(organ, (perOrgan.get(organ) ?? 0) + 1);
  }
  return baselineTracks.map(({ track }) => ({ trackId: track.trackId, role: chosen.has(track.trackId) ? "target" : "non-target" }));
}

/**
 * Builds the contract Input from tracks. First study = baseline; sizes are the LD (short axis for
 * nodes) rounded to 0.1 mm. A target missing at a follow-up has disappeared; a track first seen
 * after baseline is a new lesion (a node only once its SA >= pathologicalNodeMm), listed from then
 * on (absent once gone); non-targets are present when seen (nodes: SA >= pathologicalNodeMm), else
 * absent; flags override. Without designations, targets are proposed by §3.2 (`proposed: true`).
 */
export function inputFromTracks(args: TracksArgs): TracksInput {
  const p = resolveParams(args.params);
  const sliceMm = args.sliceThicknessMm ?? DEFAULT_SLICE_THICKNESS_MM;
  const [first, ...later] = args.studies;
  if (first === undefined) {
    // No study yet: an empty baseline, which the engine reports as NO_BASELINE_DISEASE.
    return { input: { baseline: { date: "", targets: [], nonTargets: [] }, followUps: [] }, proposed: true, designations: [] };
  }
  const node = toTenths(p.pathologicalNodeMm);
  // Nodes below the pathological size are normal and not recorded at all (§3.1).
  const isDisease = (t: TrackForRecist, d: number): boolean => !t.nodal || toTenths(d) >= node;
  const atBaseline = args.tracks.flatMap((track) => {
    const s = track.sizes[first.key];
    return s === undefined ? [] : [{ track, d: diameter(track, s) }];
  });
  const proposed = (args.designations ?? []).length === 0;
  const given = new Map((args.designations ?? []).map((x) => [x.trackId, x.role]));
  const designations: Designation[] = proposed
    ? proposeDesignations(atBaseline.filter((b) => isDisease(b.track, b.d)), p, sliceMm)
    : atBaseline.filter((b) => given.get(b.track.trackId) === "target" || isDisease(b.track, b.d))
      .map((b) => ({ trackId: b.track.trackId, role: given.get(b.track.trackId) ?? "non-target" }));
  const role = new Map(designations.map((x) => [x.trackId, x.role]));
  const targets = atBaseline.filter((b) => role.get(b.track.trackId) === "target");
  const nonTargets = atBaseline.filter((b) => role.get(b.track.trackId) === "non-target");
  const baselineIds = new Set(atBaseline.map((b) => b.track.trackId));
  const recordedNew = new Set<string>();

  const followUps = later.map((study): FollowUp => {
    const flags = args.followUpFlags?.[study.key] ?? {};
    const targetObs = targets.map(({ track }): TargetObs => {
      const s = track.sizes[study.key];
      if (flags.tstm?.includes(track.trackId)) return { id: track.trackId, status: "tstm" };
      return s === undefined ? { id: track.trackId, status: "disappeared" } : { id: track.trackId, status: "measured", value: diameter(track, s) };
    });
    const nonTargetObs = nonTargets.map(({ track }) => {
      const s = track.sizes[study.key];
      const seen = s !== undefined && isDisease(track, diameter(track, s));
      return { id: track.trackId, status: flags.nonTargetStatus?.[track.trackId] ?? (seen ? "present" : "absent") };
    });
    const newLesions: NewLesionObs[] = [];
    for (const track of args.tracks) {
      if (baselineIds.has(track.trackId)) continue;
      const s = track.sizes[study.key];
      const d = s === undefined ? null : diameter(track, s);
      const seen = d !== null && isDisease(track, d);
      if (!seen && !recordedNew.has(track.trackId)) continue;
      recordedNew.add(track.trackId);
      const isMeasurable = d !== null && seen && measurable(track, d, p, sliceMm);
      newLesions.push({
        id: track.trackId, organ: track.organ, equivocal: flags.equivocalNew?.includes(track.trackId) ?? false,
        measurable: isMeasurable, ...(isMeasurable ? { value: d } : {}), status: seen ? "present" : "absent",
      });
    }
    return {
      date: day(study.date),
      ...(flags.tumorMarkersAboveNormal !== undefined ? { tumorMarkersAboveNormal: flags.tumorMarkersAboveNormal } : {}),
      targets: targetObs, nonTargets: nonTargetObs, newLesions,
    };
  });

  const input: Input = {
    ...(args.referenceDate !== undefined ? { referenceDate: day(args.referenceDate) } : {}),
    baseline: {
      date: day(first.date),
      ...(args.sliceThicknessMm !== undefined ? { sliceThicknessMm: args.sliceThicknessMm } : {}),
      targets: targets.map(({ track, d }) => ({ id: track.trackId, organ: track.organ, nodal: track.nodal, value: d })),
      nonTargets: nonTargets.map(({ track }) => ({ id: track.trackId, organ: track.organ, nodal: track.nodal })),
    },
    followUps,
  };
  return { input, proposed, designations };
}

/** Builds the Input from tracks and runs the engine: the service's one call for a patient's RECIST. */
export function assessTracks(args: TracksArgs): { result: Result; proposed: boolean; designations: Designation[] } {
  const { input, proposed, designations } = inputFromTracks(args);
  return { result: evaluateCase({ params: args.params ?? {}, input }), proposed, designations };
}

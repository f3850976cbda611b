import type { Observation } from "../observation.ts";
import { deriveTracks } from "../matching/tracks.ts";
import { matcherConfigFor } from "../matching/weights.ts";
import { tracksProtocol } from "../recist/follow-up-flags.ts";
import { assessTracks } from "../recist/from-tracks.ts";
import { lineageFromEvents } from "../recist/lineage.ts";
import { compareStudies, recistDates } from "./time-axis.ts";
import { recistDiameterMm, sumOfDiametersMm } from "./sum-of-diameters.ts";
import type { CohortSettings, LinkCorrection, RecistAnnotations, StudyRecord } from "./types.ts";

/** What a derivation needs: stored studies, people's corrections and RECIST inputs, cohort settings. */
export interface DerivationInput {
  studies: StudyRecord[];
  corrections: LinkCorrection[];
  recist: RecistAnnotations;
  referenceDate: string | null;
  cohort: CohortSettings;
}

export interface TrackPoint {
  studyKey: string;
  observationId: string;
  timeDays: number;
  longAxisMm: number;
  shortAxisMm: number;
  diameterMm: number;
  positionMm: readonly number[] | null;
  positionNormalized: readonly number[] | null;
  link: { fromObservationId: string; cost: number; confidence: number; margin: number; source: "matcher" | "person" } | null;
}

export interface DerivedTrack {
  trackId: string;
  label: string;
  organ: string | null;
  lesionType: string | null;
  nodal: boolean;
  points: TrackPoint[];
}

/** Everything derivable without the growth model (which is asynchronous). */
export interface Derivation {
  studies: StudyRecord[];
  firstTimeDays: number;
  tracks: DerivedTrack[];
  links: ReturnType<typeof deriveTracks>["links"];
  events: ReturnType<typeof deriveTracks>["events"];
  alignments: ReturnType<typeof deriveTracks>["alignments"];
  sumsByStudy: Map<string, number>;
  recist: ReturnType<typeof assessTracks> & { syntheticDates: boolean; dates: string[] };
}

const mostCommon = (values: (string | null | undefined)[]): string | null => {
  const counts = new Map<string, number>();
  for (const v of values) if (v) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: string | null = null;
  let n = 0;
  for (const [v, c] of counts) if (c > n) [best, n] = [v, c];
  return best;
};

/**
 * Re-derives a patient from stored facts: studies in time order -> tracks (matching with
 * people's corrections) -> RECIST per time point. The same input always gives the same output.
 */
export function derivePatient(input: DerivationInput): Derivation {
  const studies = [...input.studies].sort((a, b) => compareStudies({ ...a, key: a.key }, { ...b, key: b.key }));
  const firstTimeDays = studies[0]?.timeDays ?? 0;
  const matched = deriveTracks({
    studies: studies.map((s) => ({ key: s.key, timeDays: s.timeDays, observations: s.observations })),
    constraints: {
      mustLink: input.corrections.filter((c) => c.kind === "must").map((c) => [c.fromObservationId, c.toObservationId] as [string, string]),
      cannotLink: input.corrections.filter((c) => c.kind === "cannot").map((c) => [c.fromObservationId, c.toObservationId] as [string, string]),
    },
    config: matcherConfigFor({ bodySizeMm: input.cohort.bodySizeMm }),
  });
  const obsById = new Map<string, { o: Observation; s: StudyRecord }>();
  for (const s of studies) for (const o of s.observations) obsById.set(o.id, { o, s });
  const linkByTo = new Map(matched.links.map((l) => [l.toObservationId, l]));

  const tracks: DerivedTrack[] = matched.tracks.map((t) => {
    const points: TrackPoint[] = t.observations.map(({ studyKey, observationId }) => {
      const { o, s } = obsById.get(observationId)!;
      const link = linkByTo.get(observationId);
      return {
        studyKey,
        observationId,
        timeDays: s.timeDays - firstTimeDays,
        longAxisMm: o.longAxisMm,
        shortAxisMm: o.shortAxisMm,
        diameterMm: recistDiameterMm(o),
        positionMm: o.positionMm ?? null,
        positionNormalized: o.positionNormalized ?? null,
        link: link ? { fromObservationId: link.fromObservationId, cost: link.cost, confidence: link.confidence, margin: link.margin, source: link.source } : null,
      };
    });
    const members = t.observations.map(({ observationId }) => obsById.get(observationId)!.o);
    return {
      trackId: t.trackId,
      label: t.label,
      organ: mostCommon(members.map((m) => m.organ)),
      lesionType: mostCommon(members.map((m) => m.lesionType)),
      nodal: members.some((m) => m.nodal),
      points,
    };
  });

  const sumsByStudy = new Map(studies.map((s) => [s.key, sumOfDiametersMm(s.observations)]));
  const axis = studies[0]?.timeAxis ?? "date";
  const { dates, synthetic } = recistDates(studies, axis);
  const protocol = tracksProtocol(input.cohort.protocol);
  const recist = assessTracks({
    studies: studies.map((s, i) => ({ key: s.key, date: dates[i]! })),
    tracks: tracks.map((t) => ({
      trackId: t.trackId,
      organ: t.organ ?? t.lesionType ?? "unknown",
      nodal: t.nodal,
      sizes: Object.fromEntries(t.points.map((p) => [p.studyKey, { longAxisMm: p.longAxisMm, shortAxisMm: p.shortAxisMm }])),
    })),
    ...(input.recist.designations && input.recist.designations.length > 0 ? { designations: input.recist.designations } : {}),
    followUpFlags: input.recist.studyFlags ?? {},
    missingTargetMeans: protocol.missingTargetMeans,
    ...(input.referenceDate && !synthetic ? { referenceDate: input.referenceDate } : {}),
    ...(studies[0]?.sliceThicknessMm ? { sliceThicknessMm: studies[0].sliceThicknessMm } : {}),
    params: protocol.params,
    lineage: lineageFromEvents(matched.events),
  });

  return {
    studies,
    firstTimeDays,
    tracks,
    links: matched.links,
    events: matched.events,
    alignments: matched.alignments,
    sumsByStudy,
    recist: { ...recist, syntheticDates: synthetic, dates },
  };
}

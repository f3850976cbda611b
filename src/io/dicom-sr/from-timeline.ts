import type { TimelineForSdtm } from "../sdtm/map.ts";
import { derivedUid, isDicomUid } from "./uids.ts";
import type { SrLesionOut, SrStudyOut } from "./write.ts";

type Vec3 = [number, number, number];
/** A track of the stored timeline as the SDTM export reads it; reports also need positions. */
type SdtmTrack = TimelineForSdtm["tracks"][number];

/** The parts of a stored timeline document (GET .../timeline) one report per study needs. */
export interface TimelineForSr {
  patient: { patientId: string; sex: string | null; birthYear: number | null };
  studies: { studyKey: string; date: string | null; recist: { role: string; overallResponse?: string | null } | null }[];
  tracks: (Omit<SdtmTrack, "observations"> & { observations: (SdtmTrack["observations"][number] & { positionMm: readonly number[] | null })[] })[];
}

/** Stable per cohort, patient and track: every report of the track carries the same UID. */
export const trackingUidOf = (cohortId: string, patientId: string, trackId: string): string => derivedUid("track", cohortId, patientId, trackId);

/** The study's own key when it is a DICOM UID (studies imported from DICOM), else one derived from it. */
export const studyUidOf = (cohortId: string, patientId: string, studyKey: string): string => (isDicomUid(studyKey) ? studyKey : derivedUid("study", cohortId, patientId, studyKey));

/**
 * One report per study of a patient: a measurement group for every track observed in it, the
 * time point's RECIST response, and UIDs that depend only on cohort, patient, study and the
 * timeline revision (a re-export of unchanged data is the same instance).
 * `shortAxisMeasured(observationId)` false = the source had a single diameter.
 */
export function reportsOfTimeline(
  cohortId: string,
  t: TimelineForSr,
  revision: number,
  now: Date,
  shortAxisMeasured: (observationId: string) => boolean = () => true,
): SrStudyOut[] {
  const pid = t.patient.patientId;
  return t.studies.map((s, i): SrStudyOut => {
    const lesions: SrLesionOut[] = [];
    for (const tr of t.tracks) {
      const o = tr.observations.find((x) => x.studyKey === s.studyKey);
      if (!o) continue;
      lesions.push({
        trackLabel: tr.label,
        trackingUid: trackingUidOf(cohortId, pid, tr.trackId),
        longAxisMm: o.longAxisMm,
        shortAxisMm: shortAxisMeasured(o.observationId) ? o.shortAxisMm : null,
        organ: tr.organ,
        lesionType: tr.lesionType,
        nodal: tr.nodal,
        role: tr.recistRole,
        positionMm: o.positionMm && o.positionMm.length === 3 ? (o.positionMm as Vec3) : null,
      });
    }
    return {
      patient: { id: pid, sex: t.patient.sex, birthYear: t.patient.birthYear },
      study: { uid: studyUidOf(cohortId, pid, s.studyKey), key: s.studyKey, date: s.date },
      timePoint: i === 0 ? "baseline" : `follow-up ${i}`,
      response: i > 0 && s.recist?.overallResponse ? s.recist.overallResponse : null,
      lesions,
      sopInstanceUid: derivedUid("sr", cohortId, pid, s.studyKey, String(revision)),
      seriesUid: derivedUid("sr-series", cohortId, pid),
      frameOfReferenceUid: derivedUid("frame", cohortId, pid, s.studyKey),
      contentDateTime: now,
    };
  });
}

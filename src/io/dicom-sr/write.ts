import { CODES, SOP_CLASS, type Code } from "./codes.ts";
import { derivedUid } from "./uids.ts";
import type { Dataset } from "./shim.ts";

type Vec3 = [number, number, number];

/** One track's measurement at this time point. */
export interface SrLesionOut {
  trackLabel: string;
  trackingUid: string;
  longAxisMm: number;
  /** null: only a single diameter was measured. */
  shortAxisMm: number | null;
  organ: string | null;
  lesionType: string | null;
  nodal: boolean;
  role: "target" | "non-target" | "new";
  positionMm: Vec3 | null;
}

/** What one exported report says: a study of a patient, its time point and its lesions. */
export interface SrStudyOut {
  patient: { id: string; sex: string | null; birthYear: number | null };
  study: { uid: string; key: string; date: string | null };
  /** "baseline" or "follow-up N" (TID 1502 Time Point). */
  timePoint: string;
  /** The time point's RECIST 1.1 overall response (CR, PR, SD, PD, NE, ...), when assessed. */
  response: string | null;
  lesions: SrLesionOut[];
  /** Identify the report: instance and series UIDs, frame of reference of the positions. */
  sopInstanceUid: string;
  seriesUid: string;
  frameOfReferenceUid: string;
  contentDateTime: Date;
}

export const IMPLEMENTATION_CLASS_UID = derivedUid("implementation", "0.1");
const DEVICE_UID = derivedUid("device");

const da = (d: Date) => d.toISOString().slice(0, 10).replace(/-/g, "");
const tm = (d: Date) => d.toISOString().slice(11, 19).replace(/:/g, "");
const code = (c: Code): Dataset => ({ CodeValue: c.value, CodingSchemeDesignator: c.scheme, CodeMeaning: c.meaning });
/** A local code value (SH, 16 characters) from a free-text term. */
const slug = (s: string): string => s.toUpperCase().replace(/[^A-Z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 16) || "UNSPECIFIED";
const own = (value: string, meaning: string): Code => ({ value, scheme: "99LESIONTRACK", meaning });
/** DS holds 16 characters: 4 decimals of a mm keep sizes far below the 0.1 mm RECIST rounds to. */
const ds = (x: number): number => Number(x.toFixed(4));

const item = (rel: string, valueType: string, concept: Code, value: Dataset = {}): Dataset => ({
  RelationshipType: rel, ValueType: valueType, ConceptNameCodeSequence: [code(concept)], ...value,
});
const text = (rel: string, concept: Code, v: string) => item(rel, "TEXT", concept, { TextValue: v.slice(0, 1024) });
const coded = (rel: string, concept: Code, v: Code) => item(rel, "CODE", concept, { ConceptCodeSequence: [code(v)] });
const num = (concept: Code, mm: number) =>
  item("CONTAINS", "NUM", concept, { MeasuredValueSequence: [{ MeasurementUnitsCodeSequence: [code(CODES.millimetre)], NumericValue: ds(mm) }] });
// An empty Content Sequence is an error (Type 1C): a container without children leaves it out.
const container = (rel: string, concept: Code, children: Dataset[]) => item(rel, "CONTAINER", concept, { ContinuityOfContent: "SEPARATE", ...(children.length > 0 ? { ContentSequence: children } : {}) });

const ROLE: Record<SrLesionOut["role"], Code> = { target: own("TARGET", "Target lesion"), "non-target": own("NON-TARGET", "Non-target lesion"), new: own("NEW", "New lesion") };
const RESPONSE: Record<string, string> = { CR: "Complete Response", PR: "Partial Response", SD: "Stable Disease", PD: "Progressive Disease", NE: "Not Evaluable", "NON-CR/NON-PD": "Non-CR/Non-PD", ND: "Not Done" };
const responseCode = (r: string): Code => own(r.toUpperCase().slice(0, 16), RESPONSE[r.toUpperCase()] ?? r);

function group(l: SrLesionOut, s: SrStudyOut): Dataset {
  const children: Dataset[] = [
    text("HAS OBS CONTEXT", CODES.trackingIdentifier, l.trackLabel),
    item("HAS OBS CONTEXT", "UIDREF", CODES.trackingUid, { UID: l.trackingUid }),
    text("HAS OBS CONTEXT", CODES.timePoint, s.timePoint),
    text("HAS OBS CONTEXT", CODES.subjectTimePointIdentifier, s.study.key),
    // A node is coded as such (RECIST measures its short axis); other lesions keep their stored type.
    coded("CONTAINS", CODES.finding, l.nodal ? CODES.lymphNode : l.lesionType ? own(slug(l.lesionType), l.lesionType) : CODES.lesion),
  ];
  if (l.organ) children.push(coded("HAS CONCEPT MOD", CODES.findingSite, own(slug(l.organ), l.organ)));
  children.push(coded("CONTAINS", CODES.recistRole, ROLE[l.role]));
  children.push(num(CODES.longAxis, l.longAxisMm));
  if (l.shortAxisMm !== null) children.push(num(CODES.shortAxis, l.shortAxisMm));
  if (l.positionMm)
    children.push(item("CONTAINS", "SCOORD3D", { value: "111030", scheme: "DCM", meaning: "Image Region" }, { GraphicType: "POINT", GraphicData: l.positionMm.map(ds), ReferencedFrameOfReferenceUID: s.frameOfReferenceUid }));
  return container("CONTAINS", CODES.measurementGroup, children);
}

/**
 * A TID 1500 Imaging Measurement Report for one study as a dataset: Comprehensive SR, or
 * Comprehensive 3D SR when a lesion has a position (SCOORD3D needs that IOD).
 */
export function buildMeasurementReport(s: SrStudyOut): Dataset {
  const positioned = s.lesions.some((l) => l.positionMm);
  const content: Dataset[] = [
    coded("HAS CONCEPT MOD", CODES.language, CODES.english),
    coded("HAS OBS CONTEXT", CODES.observerType, CODES.device),
    item("HAS OBS CONTEXT", "UIDREF", CODES.deviceObserverUid, { UID: DEVICE_UID }),
    text("HAS OBS CONTEXT", CODES.deviceObserverName, "lesiontrack"),
    coded("HAS CONCEPT MOD", CODES.procedureReported, CODES.ctProcedure),
    container("CONTAINS", CODES.imageLibrary, []),
    container("CONTAINS", CODES.imagingMeasurements, s.lesions.map((l) => group(l, s))),
  ];
  if (s.response) content.push(container("CONTAINS", { value: "C0034375", scheme: "UMLS", meaning: "Qualitative Evaluations" }, [coded("CONTAINS", CODES.recistResponse, responseCode(s.response))]));
  const studyDate = s.study.date ? s.study.date.replace(/-/g, "") : "";
  return {
    SpecificCharacterSet: "ISO_IR 192",
    SOPClassUID: positioned ? SOP_CLASS.comprehensive3dSr : SOP_CLASS.comprehensiveSr,
    SOPInstanceUID: s.sopInstanceUid,
    StudyDate: studyDate,
    ContentDate: studyDate || da(s.contentDateTime),
    StudyTime: "",
    ContentTime: tm(s.contentDateTime),
    AccessionNumber: "",
    Modality: "SR",
    Manufacturer: "lesiontrack",
    ReferringPhysicianName: "",
    CodingSchemeIdentificationSequence: [{ CodingSchemeDesignator: "99LESIONTRACK", CodingSchemeName: "lesiontrack local codes", CodingSchemeResponsibleOrganization: "lesiontrack" }],
    SeriesDescription: "lesiontrack measurements",
    ReferencedPerformedProcedureStepSequence: [],
    PatientName: "",
    PatientID: s.patient.id,
    PatientBirthDate: "", // only the birth year is stored: no date is made up
    PatientSex: s.patient.sex === "F" || s.patient.sex === "M" ? s.patient.sex : s.patient.sex === "U" ? "O" : "",
    StudyInstanceUID: s.study.uid,
    SeriesInstanceUID: s.seriesUid,
    StudyID: "",
    SeriesNumber: "1",
    InstanceNumber: "1",
    ValueType: "CONTAINER",
    ConceptNameCodeSequence: [code(CODES.imagingMeasurementReport)],
    ContinuityOfContent: "SEPARATE",
    PerformedProcedureCodeSequence: [],
    CompletionFlag: "COMPLETE",
    VerificationFlag: "UNVERIFIED",
    ContentTemplateSequence: [{ MappingResource: "DCMR", TemplateIdentifier: "1500" }],
    ContentSequence: content,
  };
}

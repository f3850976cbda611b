import { ANATOMICAL_STRUCTURE, CODES, LEGACY, anyCode, type Code } from "./codes.ts";
import { childNamed, childrenNamed, codeOf, contentTree, graphicData, numericValue, personName, seq, str, type ContentItem } from "./content.ts";
import { pixelToPatient, type ImageGeometry } from "./geometry.ts";
import type { Dataset } from "./shim.ts";

type Vec3 = [number, number, number];

/** One lesion measured in a TID 1500 report (one measurement group), sizes in mm. */
export interface SrLesion {
  /** 1-based position of the measurement group in the report. */
  group: number;
  trackingId?: string;
  trackingUid?: string;
  longAxisMm: number;
  /** null: the group has a single diameter or length, no short axis. */
  shortAxisMm: number | null;
  lesionType?: string;
  organ?: string;
  nodal: boolean;
  /** Patient frame, mm: SCOORD3D as given, or SCOORD mapped through the image's geometry. */
  positionMm?: Vec3;
  /** The image a 2-D coordinate refers to (kept to say which geometry was missing). */
  image?: string;
  role?: "target" | "non-target" | "new";
}

export interface SrReport {
  sopInstanceUid: string;
  patient: { id?: string; sex?: "F" | "M" | "U"; birthYear?: number };
  studyUid: string;
  /** YYYY-MM-DD from StudyDate, else SeriesDate, else ContentDate. */
  date?: string;
  observer: string;
  lesions: SrLesion[];
  /** Groups that are not lesions, or whose values cannot be read as mm, with the reason. */
  skipped: { group: number; reason: string }[];
}

export type SrRead = { ok: true; report: SrReport } | { ok: false; reason: string };

const SR_CLASS = /^1\.2\.840\.10008\.5\.1\.4\.1\.1\.88\.\d+$/;

const isoDate = (v: unknown): string | undefined => {
  const s = str(v);
  const m = s ? /^(\d{4})(\d{2})(\d{2})$/.exec(s) : null;
  return m ? `${m[1]}-${m[2]}-${m[3]}` : undefined;
};

const SEX: Record<string, "F" | "M" | "U"> = { F: "F", M: "M", O: "U" };

/** The report's observer (TID 1002): person name, else device name or UID. */
function observerOf(root: readonly ContentItem[]): string {
  const person = childNamed(root, CODES.personObserverName);
  const name = person ? personName(person.item.PersonName) ?? str(person.item.TextValue) : undefined;
  if (name) return name;
  const device = childNamed(root, CODES.deviceObserverName);
  if (device && str(device.item.TextValue)) return str(device.item.TextValue)!;
  const uid = childNamed(root, CODES.deviceObserverUid);
  return (uid && str(uid.item.UID)) || "unknown observer";
}

/** mm per unit of a UCUM length unit; "px" for pixels; null for units that are not lengths. */
function mmPerUnit(unit: Code | undefined): number | "px" | null {
  if (!unit) return null;
  const v = unit.value;
  if (unit.scheme.toUpperCase() === "UCUM") {
    if (v === "mm") return 1;
    if (v === "cm") return 10;
    if (v === "um") return 0.001;
    if (v === "1" && /^(px|pixels?)$/i.test(unit.meaning)) return "px";
    if (v === "{pixels}" || v === "[px]") return "px";
  }
  return /^(px|pixels?)$/i.test(unit.meaning) || /^(px|pixels?)$/i.test(v) ? "px" : null;
}

/** All coordinate items under a group (directly, or as the source of a measurement). */
const coords = (items: readonly ContentItem[]): ContentItem[] => items.flatMap((i) => [...(i.valueType === "SCOORD" || i.valueType === "SCOORD3D" ? [i] : []), ...coords(i.children)]);

function centre(points: number[], dims: 2 | 3, graphicType: string | undefined): number[] {
  const n = Math.floor(points.length / dims);
  if (n === 0) return [];
  if (graphicType === "CIRCLE" || n === 1) return points.slice(0, dims);
  let pts = Array.from({ length: n }, (_, k) => points.slice(k * dims, k * dims + dims));
  if (n > 2 && pts[0]!.every((x, d) => x === pts[n - 1]![d])) pts = pts.slice(0, -1); // closed polygon repeats its first point
  return Array.from({ length: dims }, (_, d) => pts.reduce((s, p) => s + p[d]!, 0) / pts.length);
}

/** Where the lesion is: prefer the coordinates the long axis was drawn with. */
function positionOf(longItem: ContentItem | undefined, group: readonly ContentItem[], images: ReadonlyMap<string, ImageGeometry>): { positionMm?: Vec3; image?: string } {
  const candidates = [...(longItem ? coords(longItem.children) : []), ...coords(group)];
  const c3 = candidates.find((i) => i.valueType === "SCOORD3D");
  if (c3) {
    const p = centre(graphicData(c3), 3, str(c3.item.GraphicType));
    if (p.length === 3) return { positionMm: p as Vec3 };
  }
  const c2 = candidates.find((i) => i.valueType === "SCOORD");
  if (!c2) return {};
  const ref = c2.children.find((ch) => ch.valueType === "IMAGE");
  const image = ref ? str(seq(ref.item.ReferencedSOPSequence)[0]?.ReferencedSOPInstanceUID) : undefined;
  const g = image ? images.get(image) : undefined;
  const p = centre(graphicData(c2), 2, str(c2.item.GraphicType));
  if (!g || p.length !== 2) return image ? { image } : {};
  return { positionMm: pixelToPatient(g, p as [number, number]), image };
}

const LONG = [CODES.longAxis, LEGACY.longAxis];
const SHORT = [CODES.shortAxis, LEGACY.shortAxis];
const SINGLE = [CODES.diameter, LEGACY.diameter, CODES.length, LEGACY.length];
const clip = (s: string | undefined) => (s ? s.slice(0, 64) : undefined);

/** One measurement group as a lesion, or the reason it is not one. */
function readGroup(g: readonly ContentItem[], n: number, images: ReadonlyMap<string, ImageGeometry>): SrLesion | { reason: string } {
  const category = childNamed(g, CODES.findingCategory, LEGACY.findingCategory);
  if (category && anyCode(codeOf(category.item.ConceptCodeSequence), ANATOMICAL_STRUCTURE, LEGACY.anatomicalStructure)) return { reason: "finding category is Anatomical Structure, not a lesion" };
  const lengths: { kind: "long" | "short" | "single"; item: ContentItem; mm: number }[] = [];
  const held: string[] = [];
  for (const item of g.filter((i) => i.valueType === "NUM")) {
    const kind = anyCode(item.concept, ...LONG) ? "long" : anyCode(item.concept, ...SHORT) ? "short" : anyCode(item.concept, ...SINGLE) ? "single" : null;
    const v = numericValue(item);
    held.push(`${item.concept?.meaning || "NUM"} ${v ? `in ${v.unit?.value ?? "no unit"}` : "without a value"}`);
    if (!kind || !v) continue; // another quantity, or a NUM without its Measured Value Sequence
    const scale = mmPerUnit(v.unit);
    if (scale === "px") return { reason: `${item.concept?.meaning || kind} is in pixels (unit ${v.unit?.value} "${v.unit?.meaning}"), not a length: refused rather than read as mm` };
    if (scale === null) continue; // e.g. an area coded with a length concept: not a linear measurement
    lengths.push({ kind, item, mm: v.value * scale });
  }
  const long = lengths.find((l) => l.kind === "long") ?? lengths.find((l) => l.kind === "single");
  const short = lengths.find((l) => l.kind === "short");
  if (!long) return { reason: `no linear measurement in mm, cm or um (group holds ${held.length > 0 ? held.join(", ") : "no numeric values"})` };
  if (!(long.mm > 0)) return { reason: `long axis ${long.mm} mm is not positive` };
  if (short && (short.mm < 0 || short.mm > long.mm)) return { reason: `short axis ${short.mm} mm is not between 0 and the long axis ${long.mm} mm` };

  const finding = codeOf(childNamed(g, CODES.finding)?.item.ConceptCodeSequence);
  const siteItem = childNamed(g, CODES.findingSite, LEGACY.findingSite);
  const site = codeOf(siteItem?.item.ConceptCodeSequence);
  const side = siteItem ? codeOf(childNamed(siteItem.children, CODES.laterality, LEGACY.laterality)?.item.ConceptCodeSequence) : undefined;
  const roleCode = codeOf(childNamed(g, CODES.recistRole)?.item.ConceptCodeSequence)?.value;
  const role = roleCode === "TARGET" ? "target" : roleCode === "NON-TARGET" ? "non-target" : roleCode === "NEW" ? "new" : undefined;
  const trackingId = str(childNamed(g, CODES.trackingIdentifier)?.item.TextValue);
  const trackingUid = str(childNamed(g, CODES.trackingUid)?.item.UID);
  const where = positionOf(long.item, g, images);
  return {
    group: n,
    ...(trackingId ? { trackingId } : {}),
    ...(trackingUid ? { trackingUid } : {}),
    longAxisMm: long.mm,
    shortAxisMm: short ? short.mm : null,
    ...(finding?.meaning && !anyCode(finding, CODES.lesion) ? { lesionType: clip(finding.meaning.toLowerCase()) } : {}),
    ...(site?.meaning ? { organ: clip(side?.meaning ? `${site.meaning.toLowerCase()}, ${side.meaning.toLowerCase()}` : site.meaning.toLowerCase()) } : {}),
    nodal: anyCode(site, CODES.lymphNode, LEGACY.lymphNode) || anyCode(finding, CODES.lymphNode, LEGACY.lymphNode),
    ...where,
    ...(role ? { role } : {}),
  };
}

/**
 * Reads a TID 1500 Imaging Measurement Report from a parsed dataset: patient, study, observer and
 * one lesion per measurement group (TID 1501 / 1410 / 1411). Pure: image geometry for 2-D
 * coordinates comes in as a map from SOP Instance UID.
 */
export function readMeasurementReport(ds: Dataset, images: ReadonlyMap<string, ImageGeometry> = new Map()): SrRead {
  const sopClass = str(ds.SOPClassUID);
  if (!sopClass || !SR_CLASS.test(sopClass)) return { ok: false, reason: `not a DICOM Structured Report (SOP Class ${sopClass ?? "missing"})` };
  const rootConcept = codeOf(ds.ConceptNameCodeSequence);
  if (!anyCode(rootConcept, CODES.imagingMeasurementReport))
    return { ok: false, reason: `not a TID 1500 Imaging Measurement Report (document title ${rootConcept ? `${rootConcept.value} ${rootConcept.scheme} "${rootConcept.meaning}"` : "missing"})` };
  const studyUid = str(ds.StudyInstanceUID);
  if (!studyUid) return { ok: false, reason: "no StudyInstanceUID" };
  const root = contentTree(ds.ContentSequence);
  const container = childNamed(root, CODES.imagingMeasurements);
  const groups = childrenNamed(container?.children ?? [], CODES.measurementGroup);
  const lesions: SrLesion[] = [];
  const skipped: SrReport["skipped"] = [];
  groups.forEach((g, i) => {
    const r = readGroup(g.children, i + 1, images);
    if ("reason" in r) skipped.push({ group: i + 1, reason: r.reason });
    else lesions.push(r);
  });
  const birth = str(ds.PatientBirthDate);
  const sex = SEX[str(ds.PatientSex) ?? ""];
  const id = str(ds.PatientID);
  const date = isoDate(ds.StudyDate) ?? isoDate(ds.SeriesDate) ?? isoDate(ds.ContentDate);
  return {
    ok: true,
    report: {
      sopInstanceUid: str(ds.SOPInstanceUID) ?? "",
      patient: { ...(id ? { id } : {}), ...(sex ? { sex } : {}), ...(birth && /^\d{4}/.test(birth) ? { birthYear: Number(birth.slice(0, 4)) } : {}) },
      studyUid,
      ...(date ? { date } : {}),
      observer: observerOf(root),
      lesions,
      skipped,
    },
  };
}

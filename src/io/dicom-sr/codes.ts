/** A coded concept as DICOM SR carries it (Code Value, Coding Scheme Designator, Code Meaning). */
export interface Code {
  value: string;
  scheme: string;
  meaning: string;
}

const c = (value: string, scheme: string, meaning: string): Code => ({ value, scheme, meaning });

/** Concepts of TID 1500 / 1501 / 1410 / 1502 / 1002 that lesiontrack reads or writes (PS3.16). */
export const CODES = {
  imagingMeasurementReport: c("126000", "DCM", "Imaging Measurement Report"),
  language: c("121049", "DCM", "Language of Content Item and Descendants"),
  english: c("en-US", "RFC5646", "English (United States)"),
  observerType: c("121005", "DCM", "Observer Type"),
  person: c("121006", "DCM", "Person"),
  device: c("121007", "DCM", "Device"),
  personObserverName: c("121008", "DCM", "Person Observer Name"),
  deviceObserverUid: c("121012", "DCM", "Device Observer UID"),
  deviceObserverName: c("121013", "DCM", "Device Observer Name"),
  procedureReported: c("121058", "DCM", "Procedure reported"),
  ctProcedure: c("25045-6", "LN", "CT unspecified body region"),
  imageLibrary: c("111028", "DCM", "Image Library"),
  imagingMeasurements: c("126010", "DCM", "Imaging Measurements"),
  measurementGroup: c("125007", "DCM", "Measurement Group"),
  trackingIdentifier: c("112039", "DCM", "Tracking Identifier"),
  trackingUid: c("112040", "DCM", "Tracking Unique Identifier"),
  finding: c("121071", "DCM", "Finding"),
  findingCategory: c("276214006", "SCT", "Finding category"),
  findingSite: c("363698007", "SCT", "Finding Site"),
  laterality: c("272741003", "SCT", "Laterality"),
  longAxis: c("103339001", "SCT", "Long Axis"),
  shortAxis: c("103340004", "SCT", "Short Axis"),
  diameter: c("81827009", "SCT", "Diameter"),
  length: c("410668003", "SCT", "Length"),
  lesion: c("52988006", "SCT", "Lesion"),
  lymphNode: c("59441001", "SCT", "Lymph node"),
  timePoint: c("C2348792", "UMLS", "Time Point"),
  subjectTimePointIdentifier: c("126070", "DCM", "Subject Time Point Identifier"),
  millimetre: c("mm", "UCUM", "millimeter"),
  // lesiontrack's own concepts, in a private coding scheme declared in the report.
  recistRole: c("RECISTROLE", "99LESIONTRACK", "RECIST lesion role"),
  recistResponse: c("RECISTRESP", "99LESIONTRACK", "RECIST 1.1 overall response"),
} as const;

/** Older SNOMED-RT codes viewers still write for the same concepts (CP-1850 retired them). */
export const LEGACY = {
  longAxis: c("G-A185", "SRT", "Long Axis"),
  shortAxis: c("G-A186", "SRT", "Short Axis"),
  diameter: c("M-02550", "SRT", "Diameter"),
  length: c("G-D7FE", "SRT", "Length"),
  findingSite: c("G-C0E3", "SRT", "Finding Site"),
  laterality: c("G-C171", "SRT", "Laterality"),
  findingCategory: c("G-C1B4", "SRT", "Finding category"),
  lymphNode: c("T-C4000", "SRT", "Lymph node"),
  anatomicalStructure: c("T-D000A", "SRT", "Anatomical Structure"),
} as const;

export const ANATOMICAL_STRUCTURE = c("91723000", "SCT", "Anatomical Structure");

/** Same concept: value and scheme (SNOMED's SCT and the older SRT designator count as distinct schemes). */
export const sameCode = (a: Pick<Code, "value" | "scheme"> | undefined, b: Pick<Code, "value" | "scheme">): boolean =>
  !!a && a.value === b.value && a.scheme.toUpperCase() === b.scheme.toUpperCase();

export const anyCode = (a: Pick<Code, "value" | "scheme"> | undefined, ...bs: Pick<Code, "value" | "scheme">[]): boolean => bs.some((b) => sameCode(a, b));

export const SOP_CLASS = {
  basicTextSr: "1.2.840.10008.5.1.4.1.1.88.11",
  enhancedSr: "1.2.840.10008.5.1.4.1.1.88.22",
  comprehensiveSr: "1.2.840.10008.5.1.4.1.1.88.33",
  comprehensive3dSr: "1.2.840.10008.5.1.4.1.1.88.34",
  extensibleSr: "1.2.840.10008.5.1.4.1.1.88.35",
} as const;

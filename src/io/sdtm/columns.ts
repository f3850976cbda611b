/** One SDTM variable as Dataset-JSON 1.1 describes a column. */
export interface SdtmColumn {
  name: string;
  label: string;
  dataType: "string" | "integer" | "double" | "date";
  /** Position in the dataset's natural key (Dataset-JSON keySequence). */
  keySequence?: number;
}

export type SdtmValue = string | number | null;
export type SdtmRow = Record<string, SdtmValue>;

export interface SdtmDomain {
  name: "TU" | "TR" | "RS";
  label: string;
  columns: SdtmColumn[];
}

const s = (name: string, label: string, keySequence?: number): SdtmColumn => ({ name, label, dataType: "string", ...(keySequence ? { keySequence } : {}) });
const i = (name: string, label: string, keySequence?: number): SdtmColumn => ({ name, label, dataType: "integer", ...(keySequence ? { keySequence } : {}) });

const IDS = (d: string) => [s("STUDYID", "Study Identifier", 1), s("DOMAIN", "Domain Abbreviation"), s("USUBJID", "Unique Subject Identifier", 2), i(`${d}SEQ`, "Sequence Number", 3)];
const VISIT = [i("VISITNUM", "Visit Number"), s("VISIT", "Visit Name")];

/** SDTMIG TU (Tumor/Lesion Identification): one row per identified track. */
export const TU: SdtmDomain = {
  name: "TU",
  label: "Tumor/Lesion Identification",
  columns: [
    ...IDS("TU"),
    s("TUGRPID", "Group ID"), s("TUREFID", "Reference ID"), s("TULNKID", "Link ID"),
    s("TUTESTCD", "Tumor/Lesion ID Short Name"), s("TUTEST", "Tumor/Lesion ID Test Name"),
    s("TUORRES", "Tumor/Lesion ID Result"), s("TUSTRESC", "Tumor/Lesion ID Result Std. Format"),
    s("TULOC", "Location of the Tumor/Lesion"), s("TUMETHOD", "Method of Identification"),
    ...VISIT, { name: "TUDTC", label: "Date/Time of Tumor/Lesion Identification", dataType: "date" },
  ],
};

/** SDTMIG TR (Tumor/Lesion Results): measurements and states per track and visit, and SUMDIAM. */
export const TR: SdtmDomain = {
  name: "TR",
  label: "Tumor/Lesion Results",
  columns: [
    ...IDS("TR"),
    s("TRGRPID", "Group ID"), s("TRREFID", "Reference ID"), s("TRLNKID", "Link ID"),
    s("TRTESTCD", "Tumor/Lesion Assessment Short Name"), s("TRTEST", "Tumor/Lesion Assessment Test Name"),
    s("TRORRES", "Result or Finding in Original Units"), s("TRORRESU", "Original Units"),
    s("TRSTRESC", "Character Result/Finding in Std Format"), { name: "TRSTRESN", label: "Numeric Result/Finding in Standard Units", dataType: "double" },
    s("TRSTRESU", "Standard Units"), s("TRSTAT", "Completion Status"), s("TRREASND", "Reason Not Done"),
    s("TRMETHOD", "Method Used to Identify the Tumor/Lesion"),
    ...VISIT, { name: "TRDTC", label: "Date/Time of Tumor/Lesion Measurement", dataType: "date" },
  ],
};

/** SDTMIG RS (Disease Response): per-visit responses and the best overall response. */
export const RS: SdtmDomain = {
  name: "RS",
  label: "Disease Response and Clin Classification",
  columns: [
    ...IDS("RS"),
    s("RSTESTCD", "Assessment Short Name"), s("RSTEST", "Assessment Name"), s("RSCAT", "Category for Assessment"),
    s("RSORRES", "Result or Finding in Original Units"), s("RSSTRESC", "Character Result/Finding in Std Format"),
    ...VISIT, { name: "RSDTC", label: "Date/Time of Assessment", dataType: "date" },
  ],
};

export const DOMAINS = [TU, TR, RS] as const;

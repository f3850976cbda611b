import type { SdtmDomain, SdtmValue } from "./columns.ts";

export interface DatasetJsonMeta {
  /** ISO date-time the file is written (from the caller's clock). */
  createdAt: string;
  studyId: string;
  sourceSystem: { name: string; version: string };
}

export const csvField = (v: SdtmValue): string => {
  if (v === null) return "";
  const s = String(v);
  return /[",\r\n]/.test(s) || /^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** The opening of a CDISC Dataset-JSON 1.1 file up to its `rows` array (rows are streamed after it). */
export function datasetJsonHead(domain: SdtmDomain, meta: DatasetJsonMeta): string {
  const head = {
    datasetJSONCreationDateTime: meta.createdAt.replace(/Z$/, ""),
    datasetJSONVersion: "1.1.0",
    fileOID: `lesiontrack/${meta.studyId}/${domain.name}`,
    originator: "lesiontrack",
    sourceSystem: meta.sourceSystem,
    studyOID: meta.studyId,
    itemGroupOID: `IG.${domain.name}`,
    name: domain.name,
    label: domain.label,
    columns: domain.columns.map((c) => ({ itemOID: `IT.${domain.name}.${c.name}`, name: c.name, label: c.label, dataType: c.dataType, ...(c.keySequence ? { keySequence: c.keySequence } : {}) })),
  };
  const text = JSON.stringify(head);
  return `${text.slice(0, -1)},"rows":[`;
}

/** One Dataset-JSON row, with the separator it needs after `records` rows already written. */
export const datasetJsonRow = (domain: SdtmDomain, row: Record<string, SdtmValue>, records: number): string =>
  `${records > 0 ? "," : ""}\n${JSON.stringify(domain.columns.map((c) => row[c.name] ?? null))}`;

/** The end of a Dataset-JSON file after its rows. */
export const datasetJsonTail = (records: number): string => `\n],"records":${records}}\n`;

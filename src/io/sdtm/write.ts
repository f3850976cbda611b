import { createWriteStream, type WriteStream } from "node:fs";
import { once } from "node:events";
import { join } from "node:path";
import type { SdtmDomain, SdtmRow, SdtmValue } from "./columns.ts";

export interface DatasetJsonMeta {
  /** ISO date-time the file is written (from the caller's clock). */
  createdAt: string;
  studyId: string;
  sourceSystem: { name: string; version: string };
}

const csvField = (v: SdtmValue): string => {
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

/** Writes one SDTM domain as `<name>.csv` and `<name>.json` (Dataset-JSON 1.1), row by row. */
export class DomainWriter {
  private csv: WriteStream;
  private json: WriteStream;
  records = 0;

  constructor(dir: string, private readonly domain: SdtmDomain, meta: DatasetJsonMeta) {
    const base = domain.name.toLowerCase();
    this.csv = createWriteStream(join(dir, `${base}.csv`));
    this.json = createWriteStream(join(dir, `${base}.json`));
    this.csv.write(`${domain.columns.map((c) => c.name).join(",")}\n`);
    this.json.write(datasetJsonHead(domain, meta));
  }

  async write(rows: SdtmRow[]): Promise<void> {
    for (const r of rows) {
      const values = this.domain.columns.map((c) => r[c.name] ?? null);
      const a = this.csv.write(`${values.map(csvField).join(",")}\n`);
      const b = this.json.write(`${this.records > 0 ? "," : ""}\n${JSON.stringify(values)}`);
      this.records++;
      if (!a) await once(this.csv, "drain");
      if (!b) await once(this.json, "drain");
    }
  }

  async close(): Promise<void> {
    this.json.write(`\n],"records":${this.records}}\n`);
    this.csv.end();
    this.json.end();
    await Promise.all([once(this.csv, "finish"), once(this.json, "finish")]);
  }
}

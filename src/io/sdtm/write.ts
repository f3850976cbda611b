import { createWriteStream, type WriteStream } from "node:fs";
import { once } from "node:events";
import { join } from "node:path";
import type { SdtmDomain, SdtmRow } from "./columns.ts";
import { csvField, datasetJsonHead, datasetJsonRow, datasetJsonTail, type DatasetJsonMeta } from "./dataset-json.ts";

export type { DatasetJsonMeta } from "./dataset-json.ts";

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
      const b = this.json.write(datasetJsonRow(this.domain, r, this.records));
      this.records++;
      if (!a) await once(this.csv, "drain");
      if (!b) await once(this.json, "drain");
    }
  }

  async close(): Promise<void> {
    this.json.write(datasetJsonTail(this.records));
    this.csv.end();
    this.json.end();
    await Promise.all([once(this.csv, "finish"), once(this.json, "finish")]);
  }
}

import { Readable } from "node:stream";
import { parse, CsvError, type Options } from "csv-parse";

/** Anything a CSV can stream from: a Node stream, a web ReadableStream, chunks, or one string. */
export type CsvSource = AsyncIterable<Uint8Array | string> | string;

export interface CsvRecord {
  /** Physical line of the record in the file (1 = header). */
  line: number;
  fields: string[];
}

/** A CSV that cannot be read on (unclosed quote, wrong header): the import stops here. */
export class CsvFatalError extends Error {
  constructor(readonly line: number | null, message: string) {
    super(line === null ? message : `line ${line}: ${message}`);
    this.name = "CsvFatalError";
  }
}

/**
 * Longest record (row) read, in characters: far above any real row (a 4096-value embedding is
 * ~80 kB) and low enough that one runaway quoted field cannot fill the server's memory.
 */
export const MAX_CSV_RECORD_CHARS = 1024 * 1024;

/**
 * Streams records of a CSV with their line numbers (csv-parse streaming API: only the current
 * chunk and record are in memory; backpressure reaches the source while the consumer awaits).
 */
export async function* csvRecords(source: CsvSource, maxRecordChars = MAX_CSV_RECORD_CHARS): AsyncGenerator<CsvRecord> {
  // autoDestroy off: a parse error then keeps the records parsed before it, which are read first.
  const parser = parse({ bom: true, info: true, relax_column_count: true, skip_empty_lines: true, trim: true, max_record_size: maxRecordChars, autoDestroy: false } as Options);
  const input = typeof source === "string" ? Readable.from([source]) : Readable.from(source, { objectMode: false });
  input.on("error", (e) => parser.destroy(e));
  input.pipe(parser);
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      yield { line: item.info.lines, fields: item.record };
    }
  } catch (e) {
    if (e instanceof CsvError) {
      const line = (e as CsvError & { lines?: number }).lines ?? null;
      if (e.code === "CSV_MAX_RECORD_SIZE") throw new CsvFatalError(line, `a row is longer than ${maxRecordChars} characters (the limit; is a quote left open?); reading stopped here`);
      throw new CsvFatalError(line, e.message);
    }
    throw e;
  } finally {
    input.unpipe(parser);
    input.destroy();
    parser.destroy();
  }
}

/** Maps a header row to column indexes, naming what is missing. */
export function headerIndex(header: string[], required: readonly string[]): Map<string, number> {
  const index = new Map(header.map((h, i) => [h.trim(), i] as const));
  const missing = required.filter((c) => !index.has(c));
  if (missing.length > 0) throw new CsvFatalError(1, `header lacks column(s) ${missing.join(", ")}`);
  return index;
}

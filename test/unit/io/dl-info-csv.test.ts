import { createReadStream, existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { CsvFatalError } from "../../../src/io/csv-stream.ts";
import { readDlInfo, type DlEvent, type DlPatient } from "../../../src/io/dl-info-csv.ts";
import { generateDlInfo } from "../../../src/io/dl-info-generate.ts";

const SAMPLE = fileURLToPath(new URL("../../../../shared/data/deeplesion/DL_info.sample.csv", import.meta.url));
const FIXTURE = fileURLToPath(new URL("../../fixtures/io/dl-info-small.csv", import.meta.url));

async function collect(source: Parameters<typeof readDlInfo>[0]) {
  const patients: DlPatient[] = [];
  const rejected: { line: number; reason: string }[] = [];
  for await (const ev of readDlInfo(source) as AsyncGenerator<DlEvent>) {
    if (ev.kind === "patient") patients.push(ev.patient);
    else rejected.push({ line: ev.line, reason: ev.reason });
  }
  return { patients, rejected };
}
const observations = (p: DlPatient) => p.batch.studies.flatMap((s) => s.input.observations);

describe.skipIf(!existsSync(SAMPLE))("DL_info.csv reader on the released sample", () => {
  it("reads 61 rows into 4 patients, 23 studies and 54 lesions, merging the 7 two-series duplicates", async () => {
    const { patients, rejected } = await collect(createReadStream(SAMPLE));
    expect(rejected).toEqual([]);
    expect(patients.map((p) => p.patientId)).toEqual(["000089", "000090", "000091", "000092"]);
    expect(patients.reduce((n, p) => n + p.rows, 0)).toBe(61);
    expect(patients.reduce((n, p) => n + p.batch.studies.length, 0)).toBe(23);
    expect(patients.reduce((n, p) => n + observations(p).length, 0)).toBe(54);
    const merged = patients.flatMap((p) => observations(p).flatMap((o) => ((o.source as { duplicates?: { file: string }[] }).duplicates ?? []).map((d) => `${(o.source as { file: string }).file}+${d.file}`)));
    expect(merged.sort()).toEqual([
      "000089_05_01_036.png+000089_05_02_176.png", "000089_07_01_038.png+000089_07_02_187.png", "000089_11_01_050.png+000089_11_02_245.png",
      "000089_12_01_039.png+000089_12_02_191.png", "000089_12_01_051.png+000089_12_02_250.png", "000089_14_01_038.png+000089_14_02_184.png",
      "000089_14_01_050.png+000089_14_02_249.png",
    ]);
    // Different series that are different lesions stay apart (patient 92, study 2: three series, three lesions).
    expect(patients[3]!.batch.studies[1]!.input.observations).toHaveLength(3);
  });

  it("converts pixels to mm, keeps normalised location, type, noisy flag, source, order index and age", async () => {
    const { patients } = await collect(createReadStream(SAMPLE));
    const p89 = patients[0]!;
    expect(p89.batch.patient!.sex).toBe("F");
    expect(p89.batch.studies).toHaveLength(14);
    const s1 = p89.batch.studies[0]!;
    expect(s1.studyKey).toBe("01");
    expect(s1.input).toMatchObject({ orderIndex: 1, ageYears: 71, sliceThicknessMm: 5, modality: "CT" });
    const o = s1.input.observations[0]!;
    // 000089_01_01_037.png: diameters 33.8477 x 24.7578 px at 0.859375 mm/px; long axis (154.273,176.808)-(143.903,209.029); slice 37 x 5 mm.
    expect(o.id).toBe("01_01_037");
    expect(o.longAxisMm).toBeCloseTo(33.8477 * 0.859375, 3);
    expect(o.shortAxisMm).toBeCloseTo(24.7578 * 0.859375, 3);
    expect(o.positionMm![0]).toBeCloseTo(((154.273 + 143.903) / 2) * 0.859375, 3);
    expect(o.positionMm![1]).toBeCloseTo(((176.808 + 209.029) / 2) * 0.859375, 3);
    expect(o.positionMm![2]).toBe(185);
    expect(o.positionNormalized).toEqual([0.282373, 0.333694, 0.546692]);
    expect(o.lesionType).toBeUndefined(); // Coarse_lesion_type -1
    expect(o.source).toMatchObject({ file: "000089_01_01_037.png", series: "1", slice: 37, spacingMm: [0.859375, 0.859375, 5] });
    const p90 = patients[1]!;
    expect(p90.batch.studies[0]!.input.observations[0]!.lesionType).toBe("abdomen");
    // Two lesions measured on one key slice share a file name: both kept, with distinct stable ids.
    const p91s3 = patients[2]!.batch.studies[2]!.input.observations.map((x) => x.id!);
    const shared = p91s3.filter((id) => id.startsWith("03_01_093"));
    expect(shared).toHaveLength(2);
    expect(new Set(shared).size).toBe(2);
  });

  it("gives the same result when the file arrives in 7-byte chunks (streaming)", async () => {
    const text = readFileSync(SAMPLE);
    async function* chunks() {
      for (let i = 0; i < text.length; i += 7) yield text.subarray(i, i + 7);
    }
    expect(JSON.stringify((await collect(chunks())).patients)).toBe(JSON.stringify((await collect(createReadStream(SAMPLE))).patients));
  });
});
if (!existsSync(SAMPLE)) console.info("[dl-info] ../shared/data/deeplesion/DL_info.sample.csv absent: sample tests skipped");

describe("DL_info.csv reader on a small fixture with bad rows", () => {
  it("rejects bad and out-of-order rows with line and reason, imports the rest", async () => {
    const { patients, rejected } = await collect(createReadStream(FIXTURE));
    expect(rejected.map((r) => r.line)).toEqual([8, 9, 10, 11, 15]);
    expect(rejected[0]!.reason).toMatch(/^Normalized_lesion_location/);
    expect(rejected[1]!.reason).toMatch(/^File_name: .* disagrees/);
    expect(rejected[2]!.reason).toMatch(/^Lesion_diameters_Pixel_/);
    expect(rejected[3]!.reason).toMatch(/expected 18 columns, got 17/);
    expect(rejected[4]!.reason).toMatch(/out of order: patient 1 was already read at lines 2-7/);
    expect(patients.map((p) => [p.patientId, p.rows, p.batch.studies.length, observations(p).length, p.duplicatesMerged])).toEqual([
      ["000001", 6, 2, 5, 1],
      ["000002", 1, 1, 1, 0],
      ["000003", 2, 2, 2, 0],
    ]);
    const p1 = patients[0]!;
    expect(observations(p1)[1]).toMatchObject({ lesionType: "soft tissue", noisy: true });
    expect(p1.batch.studies[1]!.input.observations.map((o) => o.id)).toEqual(["02_01_021", expect.stringMatching(/^02_01_030~/), expect.stringMatching(/^02_01_030~/)]);
    // A patient with one study lacking an age is placed by order index only.
    expect(patients[2]!.batch.studies.map((s) => [s.input.orderIndex, s.input.ageYears])).toEqual([[1, undefined], [2, undefined]]);
  });

  it("stops with a CsvFatalError naming the header when a column is missing", async () => {
    await expect(collect("File_name,Patient_index\n000001_01_01_001.png,1\n")).rejects.toThrow(CsvFatalError);
    await expect(collect("File_name,Patient_index\n")).rejects.toThrow(/header lacks column\(s\) Study_index/);
  });
});

describe("DL_info.csv generator", () => {
  it("writes the released shape, and the reader accepts every row", async () => {
    const lines = [...generateDlInfo({ rows: 400, seed: 2 })];
    expect(lines).toHaveLength(401);
    const { patients, rejected } = await collect(lines.join("\n"));
    expect(rejected).toEqual([]);
    expect(patients.reduce((n, p) => n + p.rows, 0)).toBe(400);
    expect(patients).toHaveLength(Math.round((400 * 4427) / 32735));
    expect(patients.reduce((n, p) => n + p.batch.studies.length, 0)).toBe(Math.round((400 * 10594) / 32735));
    expect(patients.reduce((n, p) => n + p.duplicatesMerged, 0)).toBeGreaterThan(0);
  });
});

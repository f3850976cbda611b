import { gaussian, intBetween, pick, seededRandom } from "../domain/random.ts";
import { COARSE_LESION_TYPES, DL_INFO_COLUMNS } from "./dl-info-csv.ts";

/** Shape of the released DL_info.csv: 32,735 rows, 4,427 patients, 10,594 studies. */
export const DL_INFO_FULL_SHAPE = { rows: 32_735, patients: 4_427, studies: 10_594 } as const;

export interface DlGenerateOptions {
  rows?: number;
  patients?: number;
  studies?: number;
  seed?: number;
  /** Share of rows that re-measure a lesion of the same study on a second (1 mm) series. */
  duplicateShare?: number;
}

const f = (x: number, digits = 4): string => String(Number(x.toFixed(digits)));
const list = (xs: number[], digits = 4): string => `"${xs.map((x) => f(x, digits)).join(", ")}"`;

/** Splits `total` into `parts` counts of at least 1, heavy-tailed like real follow-up counts. */
function spread(random: () => number, total: number, parts: number): number[] {
  const counts = new Array<number>(parts).fill(1);
  const weights = counts.map(() => Math.exp(1.1 * gaussian(random)));
  const sum = weights.reduce((a, b) => a + b, 0);
  let left = total - parts;
  weights.forEach((w, i) => {
    const extra = Math.min(left, Math.floor((w / sum) * (total - parts)));
    counts[i]! += extra;
    left -= extra;
  });
  while (left > 0) {
    counts[intBetween(random, 0, parts - 1)]! += 1;
    left--;
  }
  return counts;
}

interface Lesion { norm: [number, number, number]; longMm: number; ratio: number; type: number }

/**
 * Lines (header first) of a synthetic DL_info.csv with the released file's columns, value
 * formats and quirks (several lesions per key slice, 5 mm + 1 mm series measuring one
 * lesion, noisy flags, unlabeled types), sorted by patient then study. Deterministic per seed.
 */
export function* generateDlInfo(options: DlGenerateOptions = {}): Generator<string> {
  const rows = options.rows ?? DL_INFO_FULL_SHAPE.rows;
  const patients = Math.min(options.patients ?? Math.round((rows * DL_INFO_FULL_SHAPE.patients) / DL_INFO_FULL_SHAPE.rows), rows);
  const studies = Math.min(Math.max(options.studies ?? Math.round((rows * DL_INFO_FULL_SHAPE.studies) / DL_INFO_FULL_SHAPE.rows), patients), rows);
  const random = seededRandom(options.seed ?? 6);
  const dupShare = options.duplicateShare ?? 0.08;
  const studiesPer = spread(random, studies, patients);
  const rowsPerStudy = spread(random, rows, studies);
  yield DL_INFO_COLUMNS.join(",");
  let studyCursor = 0;
  for (let p = 0; p < patients; p++) {
    const patientIndex = p + 1;
    const sex = random() < 0.5 ? "F" : "M";
    let age = intBetween(random, 18, 85);
    const split = random() < 0.7 ? 1 : random() < 0.5 ? 2 : 3;
    const lesions: Lesion[] = [];
    const newLesion = (): Lesion => {
      const l: Lesion = { norm: [0.15 + 0.7 * random(), 0.2 + 0.6 * random(), 0.25 + 0.6 * random()], longMm: 8 + 30 * random() ** 2, ratio: 0.55 + 0.4 * random(), type: random() < 0.3 ? -1 : intBetween(random, 1, 8) };
      lesions.push(l);
      return l;
    };
    for (let s = 0; s < studiesPer[p]!; s++) {
      const studyIndex = s + 1;
      if (s > 0 && random() < 0.45) age += 1;
      const k = rowsPerStudy[studyCursor++]!;
      const spacing = 0.6 + 0.35 * random();
      const sliceMm = pick(random, [5, 5, 5, 2, 1]);
      const measured: Lesion[] = [];
      const usedSlices = new Map<number, number>();
      for (let r = 0; r < k; r++) {
        const duplicate = r > 0 && sliceMm === 5 && random() < dupShare;
        const lesion = duplicate ? pick(random, measured) : measured.length < lesions.length && random() < 0.8 ? lesions.find((l) => !measured.includes(l))! : newLesion();
        if (!duplicate) {
          lesion.longMm = Math.max(3, lesion.longMm * Math.exp(0.15 * gaussian(random)));
          measured.push(lesion);
        }
        const series = duplicate ? 2 : 1;
        const z = duplicate ? 1 : sliceMm;
        const jitter = duplicate ? 0.003 : 0.006;
        const norm = lesion.norm.map((v) => Math.min(1, Math.max(0, v + jitter * gaussian(random)))) as [number, number, number];
        const longPx = (lesion.longMm * (duplicate ? 1 + 0.08 * gaussian(random) : 1)) / spacing;
        const shortPx = longPx * lesion.ratio;
        const cx = 60 + norm[0] * 390, cy = 60 + norm[1] * 390;
        const angle = random() * Math.PI;
        const [dx, dy] = [Math.cos(angle) / 2, Math.sin(angle) / 2];
        const m = [cx + dx * longPx, cy + dy * longPx, cx - dx * longPx, cy - dy * longPx, cx - dy * shortPx, cy + dx * shortPx, cx + dy * shortPx, cy - dx * shortPx];
        const xs = [m[0]!, m[2]!, m[4]!, m[6]!], ys = [m[1]!, m[3]!, m[5]!, m[7]!];
        const bbox = [Math.min(...xs) - 5, Math.min(...ys) - 5, Math.max(...xs) + 5, Math.max(...ys) + 5];
        const baseSlice = Math.max(1, Math.round((norm[2] * 300) / z));
        let slice = baseSlice;
        if (!duplicate && usedSlices.has(slice) && random() < 0.5) slice += 1;
        usedSlices.set(slice, (usedSlices.get(slice) ?? 0) + 1);
        const file = `${String(patientIndex).padStart(6, "0")}_${String(studyIndex).padStart(2, "0")}_${String(series).padStart(2, "0")}_${String(slice).padStart(3, "0")}.png`;
        const range = [Math.max(1, slice - 6 * (5 / z)), slice + 6 * (5 / z)].map(Math.round);
        const type = COARSE_LESION_TYPES[lesion.type] ? lesion.type : -1;
        yield [
          file, patientIndex, studyIndex, series, slice, list(m, 3), list(bbox, 3), list([longPx, Math.min(shortPx, longPx)]), list(norm, 6),
          type, random() < 0.02 ? 1 : 0, list(range, 0), list([spacing, spacing, z], 6), `"512, 512"`, `"-175, 275"`, sex, age, split,
        ].join(",");
      }
    }
  }
}

import { gaussian, intBetween, pick, seededRandom } from "../random.ts";
import { isoDateOfEpochDays, epochDays } from "../timeline/time-axis.ts";

export interface DemoObservation {
  id: string;
  positionMm: [number, number, number];
  longAxisMm: number;
  shortAxisMm: number;
  organ: string;
  lesionType: string;
  nodal: boolean;
  embedding: number[];
}

export interface DemoStudy {
  studyKey: string;
  input: { date: string; modality: "CT"; sliceThicknessMm: number; observations: DemoObservation[] };
}

export interface DemoPatient {
  patientId: string;
  sex: "F" | "M";
  birthYear: number;
  referenceDate: string;
  /** The truth the generator used: the physical lesion behind each observation id. */
  truth: Record<string, string>;
  studies: DemoStudy[];
}

export interface DemoOptions {
  seed?: number;
  patients?: number;
  /** Inclusive range of studies per patient. */
  studies?: [number, number];
  /** Inclusive range of lesions present at baseline. */
  lesions?: [number, number];
  embeddingDim?: number;
  prefix?: string;
}

const SITES = [
  { organ: "liver", nodal: false, centre: [120, -40, 80] },
  { organ: "lung", nodal: false, centre: [-90, 20, 220] },
  { organ: "lung", nodal: false, centre: [90, 30, 240] },
  { organ: "lymph node", nodal: true, centre: [30, 40, 180] },
  { organ: "kidney", nodal: false, centre: [-70, 60, 20] },
  { organ: "adrenal", nodal: false, centre: [60, 50, 60] },
  { organ: "bone", nodal: false, centre: [0, 90, -40] },
  { organ: "soft tissue", nodal: false, centre: [-140, -20, -80] },
] as const;

type Course = "responder" | "stable" | "progressor" | "mixed";

/**
 * A seeded synthetic cohort in the domain's terms: patients with 2-12 CT studies six to ten
 * weeks apart, 1-8 lesions, growth or shrinkage by course, new and vanishing lesions,
 * measurement noise (about 1.5 mm), a random table shift per study and noisy embeddings.
 */
export function generateDemoCohort(options: DemoOptions = {}): DemoPatient[] {
  const random = seededRandom(options.seed ?? 42);
  const [minStudies, maxStudies] = options.studies ?? [2, 12];
  const [minLesions, maxLesions] = options.lesions ?? [1, 8];
  const dim = options.embeddingDim ?? 16;
  const patients: DemoPatient[] = [];
  for (let p = 0; p < (options.patients ?? 24); p++) {
    const patientId = `${options.prefix ?? "P"}${String(p + 1).padStart(4, "0")}`;
    const course = pick<Course>(random, ["responder", "stable", "progressor", "mixed"]);
    const studyCount = intBetween(random, minStudies, maxStudies);
    const baselineDay = epochDays("2023-01-09") + intBetween(random, 0, 500);
    const lesions: { key: string; site: (typeof SITES)[number]; pos: number[]; size: number; rate: number; born: number; dies: number; signature: number[] }[] = [];
    const addLesion = (born: number) => {
      const site = pick(random, SITES);
      const size = site.nodal ? 16 + random() * 20 : 11 + random() * 40;
      // log-size change per day: responders halve in about 4 months, progressors double in about 10
      const base = course === "responder" ? -0.006 : course === "progressor" ? 0.0023 : course === "stable" ? 0 : random() < 0.5 ? -0.005 : 0.002;
      lesions.push({
        key: `L${lesions.length + 1}`,
        site,
        pos: site.centre.map((c) => c + gaussian(random) * 25),
        size,
        rate: base + gaussian(random) * 0.001,
        born,
        dies: random() < 0.08 ? intBetween(random, born + 1, studyCount + 1) : studyCount + 1,
        signature: Array.from({ length: dim }, () => gaussian(random)),
      });
    };
    for (let i = intBetween(random, minLesions, maxLesions); i > 0; i--) addLesion(0);
    const truth: Record<string, string> = {};
    const studies: DemoStudy[] = [];
    let day = baselineDay;
    for (let s = 0; s < studyCount; s++) {
      if (s > 0) {
        day += intBetween(random, 42, 70);
        if ((course === "progressor" || course === "mixed") && random() < 0.12 && lesions.length < 10) addLesion(s);
      }
      const shift = [gaussian(random) * 15, gaussian(random) * 15, gaussian(random) * 30];
      const observations: DemoObservation[] = [];
      const elapsed = day - baselineDay;
      for (const l of lesions) {
        if (s < l.born || s >= l.dies) continue;
        const bornDay = l.born === 0 ? 0 : elapsed - 30;
        // growth saturates (Gompertz-like cap at 150 mm); responders keep a small residual
        const grown = l.size * Math.exp(l.rate * Math.max(0, elapsed - bornDay) * (l.born === 0 ? 1 : 0.5));
        const trueSize = Math.min(150, grown);
        const measured = trueSize + gaussian(random) * 1.5;
        if (measured < 4) continue; // too small to see: the lesion is missed or gone
        const longAxis = Math.round(measured * 10) / 10;
        const id = `${patientId}-S${String(s + 1).padStart(2, "0")}-${l.key}`;
        truth[id] = l.key;
        observations.push({
          id,
          positionMm: l.pos.map((c, k) => Math.round((c + shift[k]! + gaussian(random) * 2) * 10) / 10) as [number, number, number],
          longAxisMm: longAxis,
          shortAxisMm: Math.round(longAxis * (0.55 + random() * 0.3) * 10) / 10,
          organ: l.site.organ,
          lesionType: l.site.organ,
          nodal: l.site.nodal,
          embedding: l.signature.map((v) => Math.round((v + gaussian(random) * 0.35) * 1000) / 1000),
        });
      }
      studies.push({ studyKey: `S${String(s + 1).padStart(2, "0")}`, input: { date: isoDateOfEpochDays(day), modality: "CT", sliceThicknessMm: 5, observations } });
    }
    patients.push({
      patientId,
      sex: random() < 0.5 ? "F" : "M",
      birthYear: intBetween(random, 1940, 1985),
      referenceDate: isoDateOfEpochDays(baselineDay + intBetween(random, 3, 14)),
      truth,
      studies,
    });
  }
  return patients;
}

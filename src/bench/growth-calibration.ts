import type { GrownSubset, StudyCalibrationRow } from "../train/calibration-report.ts";

const f3 = (v: number | null): string => (v === null ? "-" : v.toFixed(3));

export function printCalibration(table: readonly StudyCalibrationRow[], grown: readonly GrownSubset[], baselineSource: string): void {
  console.log(`per held-out study (80 % interval, P(PD at the held-out scans)); baseline = LOCF x quantiles of log((d+2)/(d_last+2)) per step from ${baselineSource}`);
  console.log(["study", "points", "coverage", "width mm", "MAE xLOCF", "Brier", "base-rate Brier", "ECE", "| baseline coverage", "width mm", "Brier", "ECE"].join("\t"));
  for (const r of table) {
    const m = r.model;
    const b = r.baseline;
    console.log([r.study, r.points, f3(m.coverage80), m.medianWidthMm.toFixed(2), f3(m.maeRatioToLocf), f3(m.brier), f3(m.brierBaseRate), f3(m.ece), `| ${f3(b.coverage80)}`, b.medianWidthMm.toFixed(2), f3(b.brier), f3(b.ece)].join("\t"));
  }
  for (const g of grown) {
    const per = Object.entries(g.perStudy).map(([s, v]) => `S${s} ${f3(v.ratioToLocf)} (${v.rows})`).join("  ");
    console.log(`grew at each of the last ${g.intervals} intervals: ${g.rows} rows, MAE ${f3(g.ratioToLocf)} x LOCF; ${per}`);
  }
}

import type { DlRow } from "./dl-info-csv.ts";

/**
 * When two rows of ONE study are one lesion measured on two series (DeepLesion keeps e.g. a
 * 5 mm and a 1 mm reconstruction): different Series_ID, same coarse type, normalised
 * locations closer than `radius` (normalised axes scaled to mm by a nominal body size) and
 * long axes within `sizeRatio`. In the released sample the seven real pairs (patient 89) lie
 * <= 7.8 mm apart with ratios <= 1.23; distinct lesions of one study on different series are
 * >= 77 mm apart; two lesions on one slice (000091_03_01_093) are 7.8 mm apart, same series.
 */
export const DL_DUPLICATE_RULE = {
  /** mm per unit of normalised x, y, z (the cohort default body size). */
  bodySizeMm: [350, 300, 900] as const,
  /** Always accepted distance, mm. */
  minRadiusMm: 10,
  /** Larger lesions: up to this fraction of their mean long axis. */
  radiusFractionOfLongAxis: 0.5,
  sizeRatio: 1.5,
} as const;

export interface RowGroup {
  /** The measurement kept: the lowest Series_ID (the first reconstruction), then the earliest line. */
  kept: DlRow;
  duplicates: DlRow[];
}

const longMm = (r: DlRow): number => r.diametersPx[0] * r.spacingMm[0];

export function isDuplicatePair(a: DlRow, b: DlRow, rule = DL_DUPLICATE_RULE): boolean {
  if (a.seriesId === b.seriesId || a.coarseType !== b.coarseType) return false;
  const d = Math.hypot(
    (a.normalized[0] - b.normalized[0]) * rule.bodySizeMm[0],
    (a.normalized[1] - b.normalized[1]) * rule.bodySizeMm[1],
    (a.normalized[2] - b.normalized[2]) * rule.bodySizeMm[2],
  );
  const la = longMm(a), lb = longMm(b);
  const radius = Math.max(rule.minRadiusMm, (rule.radiusFractionOfLongAxis * (la + lb)) / 2);
  return d < radius && Math.max(la, lb) / Math.min(la, lb) <= rule.sizeRatio;
}

/**
 * Groups one study's rows into lesions. Pairs are taken greedily, closest first, and a group
 * never holds two rows of one series (two lesions on one slice stay two lesions).
 */
export function mergeDuplicateRows(rows: DlRow[], rule = DL_DUPLICATE_RULE): RowGroup[] {
  const group = rows.map((_, i) => i);
  const members = rows.map((_, i) => [i]);
  const pairs: [number, number, number][] = [];
  for (let i = 0; i < rows.length; i++)
    for (let j = i + 1; j < rows.length; j++)
      if (isDuplicatePair(rows[i]!, rows[j]!, rule)) {
        const a = rows[i]!, b = rows[j]!;
        pairs.push([Math.hypot(a.normalized[0] - b.normalized[0], a.normalized[1] - b.normalized[1], a.normalized[2] - b.normalized[2]), i, j]);
      }
  pairs.sort((p, q) => p[0] - q[0] || p[1] - q[1] || p[2] - q[2]);
  for (const [, i, j] of pairs) {
    const gi = group[i]!, gj = group[j]!;
    if (gi === gj) continue;
    const series = new Set(members[gi]!.map((k) => rows[k]!.seriesId));
    if (members[gj]!.some((k) => series.has(rows[k]!.seriesId))) continue;
    for (const k of members[gj]!) group[k] = gi;
    members[gi]!.push(...members[gj]!);
    members[gj] = [];
  }
  return members
    .filter((m) => m.length > 0)
    .map((m) => {
      const sorted = m.map((k) => rows[k]!).sort((a, b) => a.seriesId - b.seriesId || a.line - b.line);
      return { kept: sorted[0]!, duplicates: sorted.slice(1), firstLine: Math.min(...m.map((k) => rows[k]!.line)) };
    })
    .sort((a, b) => a.firstLine - b.firstLine)
    .map(({ kept, duplicates }) => ({ kept, duplicates }));
}

/**
 * Exact arithmetic for RECIST thresholds (spec §5): lengths as integer tenths of a millimetre,
 * percentages compared by integer cross-multiplication, never as floating-point ratios.
 */

/** Integer tenths of a millimetre; inputs carry at most one decimal, so rounding only removes float noise. */
export type Tenths = number;

/** mm -> integer tenths of mm. @example toTenths(23.1) === 231 */
export const toTenths = (mm: number): Tenths => Math.round(mm * 10);

/** Integer tenths -> mm (the double nearest the one-decimal value). */
export const fromTenths = (t: Tenths): number => t / 10;

/** Percent thresholds as integer tenths of a percent, so 20 -> 200 and 12.5 -> 125. */
const pctTenths = (pct: number): number => Math.round(pct * 10);

/** Integer division of non-negative integers, exact (no float rounding of the quotient). */
const intDiv = (a: number, b: number): number => (a - (a % b)) / b;

/**
 * Percentage change (value - ref) / ref x 100, rounded to 1 decimal half away from zero,
 * computed exactly from integer tenths. Null when ref is 0 (spec §5, §15.3).
 */
export function pctChange(value: Tenths, ref: Tenths): number | null {
  if (ref === 0) return null;
  const num = (value - ref) * 1000; // tenths of a percent, times ref
  const q = intDiv(2 * Math.abs(num) + ref, 2 * ref);
  return (num < 0 && q !== 0 ? -q : q) / 10; // never -0
}

/** value <= ref x (100 - pct)% exactly: PR against baseline (§6 rule 6). */
export const atOrBelowReduction = (value: Tenths, ref: Tenths, pct: number): boolean =>
  1000 * value <= (1000 - pctTenths(pct)) * ref;

/** value >= ref x (100 + pct)% and value - ref >= absolute: RECIST PD against a nadir (§6 rule 4). */
export const meetsGrowth = (value: Tenths, ref: Tenths, pct: number, absoluteMm: number): boolean =>
  1000 * value >= (1000 + pctTenths(pct)) * ref && value - ref >= toTenths(absoluteMm);

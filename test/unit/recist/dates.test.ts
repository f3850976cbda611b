// Calendar arithmetic (spec §12 day counts) against JavaScript's own UTC calendar, an independent oracle.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dayNumber, daysBetween } from "../../../src/domain/recist/dates.ts";

const iso = (t: number): string => new Date(t * 86_400_000).toISOString().slice(0, 10);
/** Days since 1970-01-01 for dates from 1600 to 2400 (Date.UTC covers them exactly). */
const dayArb = fc.integer({ min: Math.round(Date.UTC(1600, 0, 1) / 86_400_000), max: Math.round(Date.UTC(2400, 11, 31) / 86_400_000) });

describe("dayNumber / daysBetween", () => {
  it("counts days since 1970-01-01 as Date.UTC does, for any date from 1600 to 2400", () => {
    fc.assert(fc.property(dayArb, (t) => dayNumber(iso(t)) === t), { numRuns: 2000 });
    fc.assert(fc.property(dayArb, dayArb, (a, b) => daysBetween(iso(a), iso(b)) === b - a), { numRuns: 1000 });
  });

  it("knows the Gregorian leap years and the epoch", () => {
    expect(dayNumber("1970-01-01")).toBe(0);
    expect(dayNumber("1969-12-31")).toBe(-1);
    expect(dayNumber("2000-01-01")).toBe(10957);
    expect(daysBetween("2000-02-28", "2000-03-01")).toBe(2); // 2000 is a leap year (divisible by 400)
    expect(daysBetween("1900-02-28", "1900-03-01")).toBe(1); // 1900 is not (divisible by 100)
    expect(daysBetween("2023-02-28", "2023-03-01")).toBe(1);
    expect(daysBetween("2024-02-28", "2024-03-01")).toBe(2);
    expect(daysBetween("1600-03-01", "2000-03-01")).toBe(146097); // one 400-year cycle
    expect(daysBetween("2024-03-01", "2024-02-28")).toBe(-2);
  });
});

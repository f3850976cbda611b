import { DAYS_PER_YEAR } from "../units.ts";

export type TimeAxis = "date" | "dayOffset" | "age" | "order";

export interface StudyTiming {
  date?: string | null;
  dayOffset?: number | null;
  orderIndex?: number | null;
  ageYears?: number | null;
}

const MS_PER_DAY = 86_400_000;

/** Days since 1970-01-01 of an ISO calendar date (UTC, so no daylight-saving drift). */
export function epochDays(isoDate: string): number {
  return Math.round(Date.parse(`${isoDate}T00:00:00Z`) / MS_PER_DAY);
}

/** ISO calendar date of a day number since 1970-01-01. */
export function isoDateOfEpochDays(dayNumber: number): string {
  return new Date(dayNumber * MS_PER_DAY).toISOString().slice(0, 10);
}

/**
 * Which time axis a study's timing implies, most precise first: a calendar date, a day
 * offset, the patient's age (DeepLesion: whole years, ties broken by order index), or
 * only the order index (placed one scan interval apart).
 */
export function timeAxisOf(t: StudyTiming): TimeAxis | null {
  if (t.date) return "date";
  if (t.dayOffset !== undefined && t.dayOffset !== null) return "dayOffset";
  if (t.ageYears !== undefined && t.ageYears !== null) return "age";
  if (t.orderIndex !== undefined && t.orderIndex !== null) return "order";
  return null;
}

/** Position of a study on its axis, in days. */
export function timeDaysOf(t: StudyTiming, axis: TimeAxis, scanIntervalDays: number): number {
  switch (axis) {
    case "date":
      return epochDays(t.date!);
    case "dayOffset":
      return t.dayOffset!;
    case "age":
      return t.ageYears! * DAYS_PER_YEAR;
    case "order":
      return t.orderIndex! * scanIntervalDays;
  }
}

/** Orders studies by time, then order index, then key: the one order every derivation uses. */
export function compareStudies(
  a: { timeDays: number; orderIndex?: number | null; key: string },
  b: { timeDays: number; orderIndex?: number | null; key: string },
): number {
  return a.timeDays - b.timeDays || (a.orderIndex ?? 0) - (b.orderIndex ?? 0) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

/**
 * Calendar dates for the RECIST engine, which needs strictly increasing dates: real dates
 * are kept; other axes are placed from 2000-01-01, and ties (same age in years) are moved
 * one day after the study before. `synthetic` says the dates are not real.
 */
export function recistDates(studies: readonly { timeDays: number; date?: string | null }[], axis: TimeAxis): { dates: string[]; synthetic: boolean } {
  const origin = epochDays("2000-01-01");
  const first = studies[0]?.timeDays ?? 0;
  const dates: string[] = [];
  let previous = -Infinity;
  for (const s of studies) {
    let day = axis === "date" ? epochDays(s.date!) : origin + Math.round(s.timeDays - first);
    if (day <= previous) day = previous + 1;
    previous = day;
    dates.push(isoDateOfEpochDays(day));
  }
  return { dates, synthetic: axis !== "date" };
}

/** Lengths are always millimetres and times always days: the brand makes a unit mix-up a type error. */
export type Mm = number & { readonly __unit?: "mm" };
export type Days = number & { readonly __unit?: "days" };

export const mm = (value: number): Mm => value as Mm;
export const days = (value: number): Days => value as Days;

/** Days in a mean Gregorian year: converts DeepLesion's age in years to a time axis. */
export const DAYS_PER_YEAR = 365.2425;
export const DAYS_PER_WEEK = 7;

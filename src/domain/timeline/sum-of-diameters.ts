import type { Observation } from "../observation.ts";

/** RECIST's size of one lesion: short axis for a lymph node, long axis otherwise (mm). */
export function recistDiameterMm(o: Pick<Observation, "nodal" | "longAxisMm" | "shortAxisMm">): number {
  return o.nodal ? o.shortAxisMm : o.longAxisMm;
}

/** Sum of diameters of the given lesions in mm, rounded to 0.1 mm as RECIST records it. */
export function sumOfDiametersMm(observations: readonly Pick<Observation, "nodal" | "longAxisMm" | "shortAxisMm">[]): number {
  let tenths = 0;
  for (const o of observations) tenths += Math.round(recistDiameterMm(o) * 10);
  return tenths / 10;
}

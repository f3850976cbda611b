/** Plain interfaces for what the domain needs from outside; adapters live in forecast/ and db/. */
export interface Clock {
  now(): Date;
}

export interface IdSource {
  next(): string;
}

/** The growth model port lives beside the forecasting code that uses it. */
export type { GrowthPredictor } from "./growth/predictor.ts";

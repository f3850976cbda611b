export * from "./cohorts.ts";
export * from "./patients.ts";
export * from "./studies.ts";
export * from "./observations.ts";
export * from "./tracks.ts";
export * from "./audit.ts";
export * from "./api-keys.ts";
export * from "./forecasts.ts";

/** RECIST 1.1 + iRECIST response engine (spec recist.md, contract recist-io.md). */
export { evaluateCase } from "./evaluate.ts";
export { DEFAULT_PARAMS, resolveParams } from "./protocol.ts";
export { validateCase } from "./validate.ts";
export { assessTracks, inputFromTracks, proposeDesignations } from "./from-tracks.ts";
export type { FlagConflict, FollowUpFlags, MissingTargetMeans } from "./follow-up-flags.ts";
export type { Designation, TrackForRecist, TrackSize, TracksArgs, TracksInput } from "./from-tracks.ts";
export type * from "./types.ts";

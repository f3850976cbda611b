/** Plain interfaces for what the domain needs from outside; adapters live in forecast/ and db/. */
export interface Clock {
  now(): Date;
}

export interface IdSource {
  next(): string;
}

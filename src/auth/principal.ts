/** A caller's access: which cohorts it may read, write or administer ("*" = every cohort). */
export interface Principal {
  id: string;
  kind: "api-key" | "jwt" | "open";
  scopes: { cohortId: string; role: "read" | "write" | "admin" }[];
}

/** Resolves the caller's principal from a request, or null when the credentials are missing or wrong. */
export type Authenticate = (req: Request) => Promise<Principal | null>;

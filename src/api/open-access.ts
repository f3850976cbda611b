import type { Principal } from "../auth/principal.ts";

/** The principal of every request when the app runs without access control (tests, ablation). */
export const OPEN_ACCESS: Principal = { id: "open-access", kind: "open", scopes: [{ cohortId: "*", role: "admin" }] };

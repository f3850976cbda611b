import { z } from "zod";
import { parseScope } from "../../auth/scopes.ts";
import { text } from "./json-guard.ts";

/** A new API key: a name and COHORT:ROLE scopes (parsed). No argon2 here: the Workers bundle imports this. */
export const keyInput = z.object({
  name: text().trim().min(1).max(100),
  scopes: z
    .array(z.string().transform((s, c) => parseScope(s) ?? (c.addIssue({ code: "custom", message: `"${s}" is not COHORT:ROLE with ROLE read, write or admin (COHORT may be *)` }), z.NEVER)))
    .min(1, "at least one scope"),
});
export type KeyInput = z.input<typeof keyInput>;

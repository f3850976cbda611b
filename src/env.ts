import { z } from "zod";

/** The environment, parsed once per entry point; everything else receives typed values. */
const envSchema = z.object({
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, "expected postgres://...").optional(),
  LESIONTRACK_DATA_DIR: z.string().default("./data/pglite"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("127.0.0.1"),
  BODY_LIMIT_BYTES: z.coerce.number().int().positive().default(2 * 1024 * 1024),
  CORS_ORIGINS: z.string().default("").transform((s) => s.split(",").map((x) => x.trim()).filter(Boolean)),
  LESIONTRACK_MODEL_DIR: z.string().optional(),
  /** CLI: API key for writing through a running server (--server, or the server holding the folder). */
  LESIONTRACK_API_KEY: z.string().min(1).optional(),
  DB_POOL_SIZE: z.coerce.number().int().positive().max(200).default(10),
  /** Access control: how long a verified API key / JWT is trusted before its row is re-read (ms). */
  API_KEY_CACHE_TTL_MS: z.coerce.number().int().min(0).max(3_600_000).default(5000),
  /** Optional JWT bearer tokens: keys from a JWKS URL or a local JWKS file (at most one). */
  JWT_JWKS_URL: z.url().optional(),
  JWT_JWKS_FILE: z.string().min(1).optional(),
  JWT_ISSUER: z.string().min(1).optional(),
  JWT_AUDIENCE: z.string().min(1).optional(),
  /** Claim holding "cohort:role" scopes (space-separated string or array). */
  JWT_SCOPES_CLAIM: z.string().min(1).default("scope"),
  /** Longest a JWT may still be valid (`exp` minus now), seconds; tokens without `exp` are refused. */
  JWT_MAX_LIFETIME_SECONDS: z.coerce.number().int().positive().max(31_536_000).default(86_400),
  /** Requests per credential per window; 0 turns rate limiting off. */
  RATE_LIMIT_MAX: z.coerce.number().int().min(0).default(1200),
  RATE_LIMIT_WINDOW_MS: z.coerce.number().int().positive().default(60_000),
}).refine((e) => !(e.JWT_JWKS_URL && e.JWT_JWKS_FILE), { path: ["JWT_JWKS_FILE"], message: "set JWT_JWKS_URL or JWT_JWKS_FILE, not both" });

export type Env = z.infer<typeof envSchema>;

export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new Error(`invalid environment:\n${lines}`);
  }
  return parsed.data;
}

/** The database a command should open: --db wins, then DATABASE_URL, then embedded PGlite on disk. */
export function databaseTarget(env: Env, flag?: string): string {
  return flag ?? env.DATABASE_URL ?? env.LESIONTRACK_DATA_DIR;
}

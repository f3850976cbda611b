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
  DB_POOL_SIZE: z.coerce.number().int().positive().max(200).default(10),
});

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

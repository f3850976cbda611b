/** The databases every integration suite runs on: PGlite always, PostgreSQL when TEST_DATABASE_URL is set. */
export interface Backend {
  name: "pglite" | "postgres";
  target: string;
}

export const backends: Backend[] = [
  { name: "pglite", target: "memory" },
  ...(process.env.TEST_DATABASE_URL ? [{ name: "postgres" as const, target: process.env.TEST_DATABASE_URL }] : []),
];

if (!process.env.TEST_DATABASE_URL) {
  console.info("[integration] TEST_DATABASE_URL not set: PostgreSQL backend skipped, PGlite only");
}

import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    // Both cores: most files wait on PGlite, PostgreSQL or child CLIs; one worker left the suite >10 min.
    maxWorkers: 2,
  },
});

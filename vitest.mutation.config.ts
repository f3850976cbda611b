import { defineConfig } from "vitest/config";

/**
 * Tests StrykerJS runs against each mutant (see stryker.config.mjs). Unit tests by default;
 * MUTATION_TESTS=all adds the integration tests (real app on PGlite) for service/ and
 * db/queries/ mutants. The CLI test runs in child processes Stryker cannot see, so it is left out.
 */
const withIntegration = process.env.MUTATION_TESTS === "all";

export default defineConfig({
  test: {
    include: withIntegration ? ["test/unit/**/*.test.ts", "test/integration/**/*.test.ts"] : ["test/unit/**/*.test.ts"],
    exclude: ["test/unit/recist/cli.test.ts", "**/node_modules/**"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});

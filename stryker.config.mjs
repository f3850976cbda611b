// Mutation testing (npm run mutation [-- --mutate PATH]); not part of npm test: it takes hours.
// Incremental: reruns reuse reports/stryker-incremental.json (gitignored: it is tied to one
// checkout's code and would conflict on every merge) and test only changed code.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: "vitest",
  vitest: { configFile: "vitest.mutation.config.ts" },
  coverageAnalysis: "perTest",
  mutate: [
    "src/domain/**/*.ts",
    "!src/domain/demo/**",
    "src/service/put-study.ts",
    "src/service/study-write.ts",
    "src/service/ingest-patient.ts",
    "src/service/recompute-patient.ts",
    "src/service/set-protocol.ts",
    "src/service/correct-tracks.ts",
    "src/db/queries/lock.ts",
    "src/db/queries/studies.ts",
    "src/db/queries/patients.ts",
  ],
  // The machine is usually shared: one test process unless told otherwise (--concurrency 2).
  concurrency: 1,
  incremental: true,
  incrementalFile: "reports/stryker-incremental.json",
  reporters: ["clear-text", "progress-append-only", "html", "json"],
  htmlReporter: { fileName: "reports/mutation/index.html" },
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  thresholds: { high: 85, low: 70, break: null },
  timeoutMS: 30_000,
  ignorePatterns: [".stryker-tmp*", "data", "dist", "bench-out", "coverage", "test-output", ".wrangler", "reports"],
  tempDirName: ".stryker-tmp",
  cleanTempDir: "always",
};

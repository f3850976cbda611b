import type { Command } from "commander";
import { parseEnv } from "../env.ts";
import { openRuntime } from "../server.ts";
import { seedDemo } from "../service/seed-demo.ts";

export function registerDemo(program: Command): void {
  program
    .command("demo")
    .description("seed a generated synthetic cohort through the normal ingest path")
    .option("--db <target>", "memory | PATH | postgres://... (default: DATABASE_URL, else ./data/pglite)")
    .option("--cohort <id>", "cohort id", "demo")
    .option("--patients <n>", "number of patients", "24")
    .option("--seed <n>", "random seed", "42")
    .action(async (opts: { db?: string; cohort: string; patients: string; seed: string }) => {
      const rt = await openRuntime(parseEnv(), opts.db);
      const t0 = performance.now();
      const r = await seedDemo({ ctx: { ...rt.deps, actor: "cli-demo" }, cohortId: opts.cohort, options: { patients: Number(opts.patients), seed: Number(opts.seed) } });
      console.log(`cohort ${opts.cohort}: ${r.patients} patients, ${r.studies} studies in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      await rt.handle.close();
    });
}

import type { Command } from "commander";
import { parseEnv } from "../env.ts";
import { openRuntime } from "../server.ts";
import { DEMO_COHORT_SETTINGS, seedDemo } from "../service/seed-demo.ts";
import { generateDemoCohort } from "../domain/demo/cohort.ts";
import { addServerOptions, chooseRoute, ServerError, type RouteOpts, type ServerApi } from "./server-route.ts";

/** Patients per bulk request when the demo goes through a server. */
const DEMO_BATCH = 25;

/** The same generated cohort sent through a running server: create the cohort, then bulk ingest. */
async function seedViaServer(api: ServerApi, cohortId: string, options: { patients: number; seed: number }) {
  const path = `/v1/cohorts/${encodeURIComponent(cohortId)}`;
  const exists = await api.call("GET", path).then(() => true, (e: unknown) => (e instanceof ServerError && e.status === 404 ? false : Promise.reject(e)));
  if (!exists) await api.call("POST", "/v1/cohorts", { cohortId, ...DEMO_COHORT_SETTINGS });
  const patients = generateDemoCohort(options);
  for (let i = 0; i < patients.length; i += DEMO_BATCH) {
    const batch = patients.slice(i, i + DEMO_BATCH).map((p) => ({
      patientId: p.patientId,
      patient: { sex: p.sex, birthYear: p.birthYear, referenceDate: p.referenceDate, metadata: { synthetic: true } },
      studies: p.studies.map((s) => ({ studyKey: s.studyKey, study: s.input })),
    }));
    await api.call("POST", `${path}/ingest`, { patients: batch });
  }
  return { patients: patients.length, studies: patients.reduce((n, p) => n + p.studies.length, 0) };
}

export function registerDemo(program: Command): void {
  addServerOptions(program
    .command("demo"))
    .description("seed a generated synthetic cohort through the normal ingest path")
    .option("--db <target>", "memory | PATH | postgres://... (default: DATABASE_URL, else ./data/pglite)")
    .option("--cohort <id>", "cohort id", "demo")
    .option("--patients <n>", "number of patients", "24")
    .option("--seed <n>", "random seed", "42")
    .action(async (opts: RouteOpts & { cohort: string; patients: string; seed: string }) => {
      const t0 = performance.now();
      const route = chooseRoute(opts, `write scope on cohort ${opts.cohort} (*:admin when it does not exist yet)`);
      if (route.kind === "server") {
        const r = await seedViaServer(route.api, opts.cohort, { patients: Number(opts.patients), seed: Number(opts.seed) });
        return console.log(`cohort ${opts.cohort}: ${r.patients} patients, ${r.studies} studies through ${route.api.base} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      }
      const rt = await openRuntime(parseEnv(), route.db);
      const r = await seedDemo({ ctx: { ...rt.deps, actor: "cli-demo" }, cohortId: opts.cohort, options: { patients: Number(opts.patients), seed: Number(opts.seed) } });
      console.log(`cohort ${opts.cohort}: ${r.patients} patients, ${r.studies} studies in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      await rt.handle.close();
    });
}

import type { Command } from "commander";
import { parseEnv } from "../env.ts";
import { openRuntime } from "../server.ts";
import { createCohort } from "../service/create-cohort.ts";
import { getCohort, getCohorts } from "../service/read-cohort.ts";
import { addServerOptions, chooseRoute, type RouteOpts, type ServerApi } from "./server-route.ts";
import { usageError } from "./errors.ts";

const DB_HELP = "memory | PATH | postgres://... (default: DATABASE_URL, else ./data/pglite)";
type Cohort = Awaited<ReturnType<typeof getCohort>>;

/** Runs `local` on the database, or `remote` through the server holding the folder (or --server). */
async function run<T>(opts: RouteOpts, needs: string, local: (rt: Awaited<ReturnType<typeof openRuntime>>) => Promise<T>, remote: (api: ServerApi) => Promise<T>): Promise<T> {
  const route = chooseRoute(opts, needs);
  if (route.kind === "server") return remote(route.api);
  const rt = await openRuntime(parseEnv(), route.db);
  try {
    return await local(rt);
  } finally {
    await rt.handle.close();
  }
}

const line = (c: Cohort) => [c.cohortId, c.name, `protocol v${c.protocolVersion}`, `scan interval ${(c.settings as { scanIntervalDays?: number }).scanIntervalDays ?? 56} d`, c.createdAt].join("\t");

export function registerCohorts(program: Command): void {
  const cmd = program.command("cohorts").description("cohorts: list, create, show");
  addServerOptions(cmd.command("list"))
    .description("list cohorts (id, name, protocol version, scan interval, created)")
    .option("--json", "print JSON")
    .option("--db <target>", DB_HELP)
    .action(async (opts: RouteOpts & { json?: boolean }) => {
      const items = await run(opts, "read scope", (rt) => getCohorts({ ctx: { ...rt.deps, actor: "cli" } }), async (api) => (await api.call<{ items: Cohort[] }>("GET", "/v1/cohorts")).body.items);
      if (opts.json) return console.log(JSON.stringify(items, null, 2));
      if (items.length === 0) return console.log("no cohorts (create one: lesiontrack cohorts create ID --name NAME)");
      for (const c of items) console.log(line(c));
    });
  addServerOptions(cmd.command("create"))
    .description("create a cohort with default RECIST protocol and settings")
    .argument("<cohortId>", "cohort id (letters, digits, . _ : ~ -)")
    .option("--name <name>", "display name (default: the id)")
    .option("--scan-interval <days>", "expected days between scans", "56")
    .option("--db <target>", DB_HELP)
    .action(async (cohortId: string, opts: RouteOpts & { name?: string; scanInterval: string }) => {
      const days = Number(opts.scanInterval);
      if (!(days > 0 && days <= 3650)) throw usageError(`--scan-interval must be a number of days from 1 to 3650, got "${opts.scanInterval}"`);
      const input = { cohortId, name: opts.name ?? cohortId, protocol: {}, settings: { scanIntervalDays: days, bodySizeMm: [350, 300, 900] as [number, number, number] } };
      await run<unknown>(opts, "*:admin", (rt) => createCohort({ ctx: { ...rt.deps, actor: "cli-cohorts" }, input }), (api) => api.call("POST", "/v1/cohorts", input));
      console.log(`created cohort ${cohortId}`);
    });
  addServerOptions(cmd.command("show"))
    .description("one cohort as JSON (protocol, settings)")
    .argument("<cohortId>", "cohort id")
    .option("--db <target>", DB_HELP)
    .action(async (cohortId: string, opts: RouteOpts) => {
      const c = await run(opts, "read scope", (rt) => getCohort({ ctx: { ...rt.deps, actor: "cli" }, cohortId }), async (api) => (await api.call<Cohort>("GET", `/v1/cohorts/${encodeURIComponent(cohortId)}`)).body);
      console.log(JSON.stringify(c, null, 2));
    });
}

import type { Command } from "commander";
import { parseEnv } from "../env.ts";
import { listen, openRuntime } from "../server.ts";
import { seedDemo } from "../service/seed-demo.ts";
import { listPatients } from "../db/queries/patients.ts";
import { createKey } from "../service/keys-create.ts";
import { countActiveKeys } from "../service/keys-lookup.ts";
import { usageError } from "./errors.ts";

/** A port from --port or PORT, checked before the database opens. */
function parsePort(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text.trim()) || port > 65535) throw usageError(`--port must be a whole number from 0 to 65535 (0 = any free port), got "${text}"`);
  return port;
}

/** The address other local processes use to reach a server bound to `host`. */
const reachableHost = (host: string) => (host === "0.0.0.0" ? "127.0.0.1" : host === "::" ? "::1" : host);

export const DEMO_COHORT_ID = "demo";

export function registerServe(program: Command): void {
  program
    .command("serve")
    .description("run the HTTP API (and the web page at /ui)")
    .option("--port <port>", "port to listen on (env PORT, default 3000)")
    .option("--host <host>", "interface to bind (env HOST, default 127.0.0.1)")
    .option("--db <target>", "memory | PATH (PGlite folder) | postgres://... (default: DATABASE_URL, else ./data/pglite)")
    .option("--demo", "seed the demo cohort when it is empty (what npm start does)")
    .action(async (opts: { port?: string; host?: string; db?: string; demo?: boolean }) => {
      const started = performance.now();
      const env = parseEnv();
      const port = opts.port !== undefined ? parsePort(opts.port) : env.PORT;
      const rt = await openRuntime(env, opts.db);
      console.log(`database: ${rt.handle.description}; growth model: ${rt.predictor.kind} ${rt.predictor.version}`);
      if (opts.demo) {
        const ctx = { ...rt.deps, actor: "demo-seed" };
        const existing = await listPatients(rt.deps.db, DEMO_COHORT_ID, 1).catch(() => []);
        if (existing.length === 0) {
          const r = await seedDemo({ ctx, cohortId: DEMO_COHORT_ID });
          console.log(`seeded demo cohort "${DEMO_COHORT_ID}": ${r.patients} patients, ${r.studies} studies`);
        }
        // Every /v1 route needs a key: the first demo start makes an admin key and shows it once.
        if ((await countActiveKeys({ ctx })) === 0) {
          const key = await createKey({ ctx, input: { name: "demo-admin", scopes: ["*:admin"] } });
          console.log(`admin API key (scope *:admin; shown once, paste it into the web page or send it as X-API-Key): ${key.token}`);
        }
      }
      const host = opts.host ?? env.HOST;
      const { server, port: bound } = await listen(rt.deps, port, host).catch(async (e: unknown) => {
        await rt.handle.close();
        throw e;
      });
      const base = `http://${host.includes(":") ? `[${host}]` : host}:${bound}`;
      const reachable = reachableHost(host);
      rt.handle.folderLock?.announce(`http://${reachable.includes(":") ? `[${reachable}]` : reachable}:${bound}`);
      console.log(`lesiontrack listening on ${base}  (web page ${base}/ui, API docs ${base}/docs) after ${((performance.now() - started) / 1000).toFixed(1)} s`);
      const stop = () => {
        server.close();
        void rt.handle.close().finally(() => process.exit(0));
      };
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    });
}

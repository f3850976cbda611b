import type { Command } from "commander";
import { createDb, type DbHandle } from "../db/client.ts";
import { migrateDb } from "../db/migrate.ts";
import { databaseTarget, parseEnv } from "../env.ts";
import { formatScope } from "../auth/scopes.ts";
import { parseApiKey } from "../auth/api-key.ts";
import { createKey } from "../service/keys-create.ts";
import { listKeys } from "../service/keys-list.ts";
import { revokeKey } from "../service/keys-revoke.ts";
import { AppError } from "../service/errors.ts";
import { addServerOptions, chooseRoute, type RouteOpts, type ServerApi } from "./server-route.ts";

const DB_HELP = "memory | PATH | postgres://... (default: DATABASE_URL, else ./data/pglite)";
const clock = { now: () => new Date() };

async function withDb<T>(dbFlag: string | undefined, fn: (handle: DbHandle) => Promise<T>): Promise<T | undefined> {
  const handle = await createDb(databaseTarget(parseEnv(), dbFlag), { poolSize: 2 });
  try {
    await migrateDb(handle);
    return await fn(handle);
  } catch (err) {
    if (!(err instanceof AppError) && !(err instanceof Error && err.name === "ZodError")) throw err;
    const issues = err instanceof AppError ? err.issues : (err as unknown as { issues: { path: (string | number)[]; message: string }[] }).issues.map((i) => ({ path: i.path.join("."), message: i.message }));
    console.error(`keys: ${issues.length > 0 ? issues.map((i) => `${i.path}: ${i.message}`).join("; ") : err.message}`);
    process.exitCode = err instanceof AppError && err.code !== "validation_failed" ? 1 : 2;
    return undefined;
  } finally {
    await handle.close();
  }
}

interface KeyOut { keyId: string; name: string; scopes: (string | Parameters<typeof formatScope>[0])[]; createdAt: string; revokedAt?: string | null }

/** Key commands go through a server that holds the folder (or --server); the key needs admin scope. */
function viaServer(opts: RouteOpts): ServerApi | null {
  const route = chooseRoute(opts, "admin scope over the key's cohorts (e.g. *:admin)");
  return route.kind === "server" ? route.api : null;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

export function registerKeys(program: Command): void {
  const keys = program.command("keys").description("API keys: create (shown once), list, revoke");

  addServerOptions(keys
    .command("create"))
    .description("create an API key; prints the key alone on the last line (it is not stored and cannot be shown again)")
    .requiredOption("--name <name>", "what the key is for (e.g. dashboard-prod)")
    .requiredOption("--scope <scope>", "COHORT:ROLE, ROLE read|write|admin, COHORT * for all; repeatable", collect, [])
    .option("--db <target>", DB_HELP)
    .action(async (opts: { name: string; scope: string[] } & RouteOpts) => {
      const api = viaServer(opts);
      if (api) {
        const { body } = await api.call<KeyOut & { token: string }>("POST", "/v1/keys", { name: opts.name, scopes: opts.scope });
        console.log(`created key ${body.keyId} "${body.name}" with scopes ${body.scopes.join(" ")} (through ${api.base}); store it now, it is shown only once:`);
        return console.log(body.token);
      }
      await withDb(opts.db, async (handle) => {
        const key = await createKey({ ctx: { db: handle.db, clock }, input: { name: opts.name, scopes: opts.scope } });
        console.log(`created key ${key.keyId} "${key.name}" with scopes ${key.scopes.map(formatScope).join(" ")}; store it now, it is shown only once:`);
        console.log(key.token);
      });
    });

  addServerOptions(keys
    .command("list"))
    .description("list keys (id, name, scopes, created, revoked); never secrets")
    .option("--json", "print JSON")
    .option("--db <target>", DB_HELP)
    .action(async (opts: { json?: boolean } & RouteOpts) => {
      const api = viaServer(opts);
      await (api ? api.call<{ items: KeyOut[] }>("GET", "/v1/keys").then((r) => r.body.items) : withDb(opts.db, (handle) => listKeys({ ctx: { db: handle.db } }))).then((rows) => {
        if (!rows) return;
        if (opts.json) return console.log(JSON.stringify(rows, null, 2));
        if (rows.length === 0) return console.log("no keys");
        for (const r of rows) console.log([r.keyId, r.name, r.scopes.map((s) => (typeof s === "string" ? s : formatScope(s))).join(","), r.createdAt, r.revokedAt ? `revoked ${r.revokedAt}` : "active"].join("\t"));
      });
    });

  addServerOptions(keys
    .command("revoke"))
    .description("revoke a key by its id (running servers stop accepting it within API_KEY_CACHE_TTL_MS)")
    .argument("<keyId>", "the key id (the 12 hex characters after lt_), or the whole key")
    .option("--db <target>", DB_HELP)
    .action(async (keyId: string, opts: RouteOpts) => {
      const api = viaServer(opts);
      if (api) {
        const id = parseApiKey(keyId)?.keyId ?? keyId;
        const { body } = await api.call<{ keyId: string; name: string; revokedAt: string }>("DELETE", `/v1/keys/${encodeURIComponent(id)}`);
        return console.log(`revoked key ${body.keyId} "${body.name}" at ${body.revokedAt} (through ${api.base})`);
      }
      await withDb(opts.db, async (handle) => {
        const r = await revokeKey({ ctx: { db: handle.db, clock }, keyId: parseApiKey(keyId)?.keyId ?? keyId });
        console.log(`revoked key ${r.keyId} "${r.name}" at ${r.revokedAt}`);
      });
    });
}

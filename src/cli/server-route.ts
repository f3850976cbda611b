import type { Command } from "commander";
import { databaseTarget, parseEnv } from "../env.ts";
import { folderHolder } from "../db/folder-lock.ts";
import { CliError, usageError } from "./errors.ts";

/** Options every command that may go through a server takes. */
export interface RouteOpts { db?: string; server?: string; apiKey?: string }

export function addServerOptions(cmd: Command): Command {
  return cmd
    .option("--server <url>", "send this through a running lesiontrack server's HTTP API (found by itself when a server holds the --db folder)")
    .option("--api-key <key>", "API key for --server or the server holding the folder (env LESIONTRACK_API_KEY)");
}

/** A running server's /v1 API, called with one API key; failures become one CLI line. */
export class ServerApi {
  constructor(readonly base: string, private readonly key: string) {}

  async call<T>(method: string, path: string, body?: unknown, contentType = "application/json"): Promise<{ status: number; body: T }> {
    let res: Response;
    try {
      const payload = body === undefined ? undefined : contentType === "application/json" ? JSON.stringify(body) : body;
      res = await fetch(`${this.base}${path}`, {
        method,
        headers: { "x-api-key": this.key, ...(payload !== undefined ? { "content-type": contentType } : {}) },
        ...(payload !== undefined ? { body: payload as BodyInit, duplex: "half" } : {}),
      } as RequestInit);
    } catch (e) {
      throw new CliError(`cannot reach the server at ${this.base} (${((e as Error).cause as Error | undefined)?.message ?? (e as Error).message}); is it running?`);
    }
    const text = await res.text();
    const parsed = text ? (JSON.parse(text) as unknown) : null;
    if (res.ok) return { status: res.status, body: parsed as T };
    const p = parsed as { detail?: string; errors?: { path: string; message: string }[] } | null;
    const detail = p?.errors?.length ? p.errors.map((i) => `${i.path}: ${i.message}`).join("; ") : p?.detail ?? text;
    const hint = res.status === 401 ? "; check --api-key / LESIONTRACK_API_KEY" : res.status === 403 ? "; the key lacks the role this needs" : "";
    throw new ServerError(res.status, `server ${this.base} answered ${res.status} to ${method} ${path}: ${detail}${hint}`);
  }
}

export class ServerError extends CliError {
  constructor(readonly status: number, message: string) {
    super(message, 1);
  }
}

export type Route = { kind: "local"; db?: string } | { kind: "server"; api: ServerApi };

/**
 * Where a command runs: in this process on the database, or through a server's HTTP API when
 * --server is given or when a server holds the embedded folder (PGlite is one process at a time).
 * `needs` names the scope the key must carry, for the message when none is given.
 */
export function chooseRoute(opts: RouteOpts, needs: string): Route {
  const env = parseEnv();
  const key = opts.apiKey ?? env.LESIONTRACK_API_KEY;
  if (opts.server) {
    if (!key) throw usageError(`--server needs an API key with ${needs}: add --api-key KEY or set LESIONTRACK_API_KEY`);
    return { kind: "server", api: new ServerApi(opts.server.replace(/\/+$/, ""), key) };
  }
  const target = databaseTarget(env, opts.db);
  const isFolder = !/^postgres(ql)?:\/\//.test(target) && target !== "memory" && target !== ":memory:";
  const holder = isFolder ? folderHolder(target) : null;
  if (holder?.url) {
    if (key) return { kind: "server", api: new ServerApi(holder.url, key) };
    throw usageError(
      `database folder ${target} is held by the server at ${holder.url} (pid ${holder.pid}); run this again with --api-key KEY ` +
      `(or LESIONTRACK_API_KEY) and it goes through that server, using a key with ${needs} (e.g. the admin key \`npm start\` printed on first start), or stop the server first`,
    );
  }
  return opts.db === undefined ? { kind: "local" } : { kind: "local", db: opts.db };
}

import { closeSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { randomUUID } from "node:crypto";

/** Who holds an embedded database folder; written as JSON into `<folder>/lesiontrack.lock`. */
export interface LockHolder {
  pid: number;
  hostname: string;
  /** Kernel start time of the process (Linux), so a recycled pid is not mistaken for the holder. */
  processStart: string | null;
  startedAt: string;
  command: string;
  /** Set by `serve` once it listens: writing commands can go through this server instead. */
  url: string | null;
  token: string;
}

export const LOCK_FILE = "lesiontrack.lock";
const TAKEOVER_STALE_MS = 10_000;

/** A second process on a held folder: PGlite is one process at a time (CLI exit code 2). */
export class FolderInUseError extends Error {
  readonly exitCode = 2;
  constructor(readonly folder: string, readonly holder: LockHolder) {
    const next = holder.url
      ? "send writes through that server (--api-key KEY or LESIONTRACK_API_KEY), or stop it first"
      : / serve\b/.test(holder.command) ? "it is a server still starting: try again in a moment with --api-key KEY to go through it" : "wait for it to finish or stop it";
    super(`database folder ${folder} is in use by "${holder.command}" (pid ${holder.pid} on ${holder.hostname}, since ${holder.startedAt}${holder.url ? `, serving ${holder.url}` : ""}); ${next}, or use another --db`);
    this.name = "FolderInUseError";
  }
}

function processStart(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19] ?? null;
  } catch {
    return null;
  }
}

function isAlive(h: LockHolder): boolean {
  if (h.hostname !== hostname()) return true; // another machine's process cannot be checked: assume it runs
  try {
    process.kill(h.pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ESRCH") return false;
  }
  const now = processStart(h.pid);
  return h.processStart === null || now === null || now === h.processStart;
}

function readRaw(file: string): string | null {
  try {
    return readFileSync(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw e;
  }
}

function parseHolder(raw: string): LockHolder | null {
  try {
    const h = JSON.parse(raw) as LockHolder;
    return typeof h.pid === "number" && typeof h.hostname === "string" ? h : null;
  } catch {
    return null; // torn write by a process killed mid-write: treated as stale
  }
}

/** The live holder of the folder, or null when it is free (or its lock is stale). */
export function folderHolder(folder: string): LockHolder | null {
  const raw = readRaw(join(folder, LOCK_FILE));
  const h = raw === null ? null : parseHolder(raw);
  return h && isAlive(h) ? h : null;
}

/** Removes a stale lock, guarded so two processes taking over at once cannot both win. */
function removeStale(file: string, staleRaw: string): void {
  const guard = `${file}.takeover`;
  try {
    closeSync(openSync(guard, "wx"));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    try {
      if (Date.now() - statSync(guard).mtimeMs > TAKEOVER_STALE_MS) unlinkSync(guard);
    } catch { /* gone meanwhile */ }
    return;
  }
  try {
    if (readRaw(file) === staleRaw) unlinkSync(file);
  } finally {
    unlinkSync(guard);
  }
}

const held = new Map<string, { file: string; token: string; close?: () => Promise<void> }>();

function ownedBy(file: string, token: string): boolean {
  const raw = readRaw(file);
  return raw !== null && parseHolder(raw)?.token === token;
}

function releaseAllSync(): void {
  for (const { file, token } of held.values()) if (ownedBy(file, token)) unlinkSync(file);
  held.clear();
}

let hooksInstalled = false;
/** Releases on exit; on a signal nobody else handles, closes the databases first, then exits. */
function installExitHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on("exit", releaseAllSync);
  for (const [sig, code] of [["SIGINT", 130], ["SIGTERM", 143], ["SIGHUP", 129]] as const) {
    process.on(sig, () => {
      if (process.listenerCount(sig) > 1) return; // e.g. serve's own shutdown, which ends in exit
      const closing = [...held.values()].map((h) => h.close?.().catch(() => undefined));
      const timer = setTimeout(() => process.exit(code), 5000);
      void Promise.all(closing).finally(() => {
        clearTimeout(timer);
        process.exit(code);
      });
    });
  }
}

export interface FolderLock {
  /** Records the URL of the server this process runs, for other commands to find. */
  announce(url: string): void;
  release(): void;
}

/**
 * Takes the folder for this process before PGlite opens it: a lock file created exclusively
 * (O_EXCL). A lock of a dead process is taken over; a live holder raises FolderInUseError.
 */
export function lockFolder(folder: string, command: string, close?: () => Promise<void>): FolderLock {
  const file = join(folder, LOCK_FILE);
  const holder: LockHolder = {
    pid: process.pid, hostname: hostname(), processStart: processStart(process.pid), startedAt: new Date().toISOString(),
    command, url: null, token: randomUUID(),
  };
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(file, "wx");
      writeSync(fd, JSON.stringify(holder));
      closeSync(fd);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      const raw = readRaw(file);
      if (raw === null) continue;
      const other = parseHolder(raw);
      if (other && isAlive(other)) throw new FolderInUseError(folder, other);
      if (attempt >= 5) throw new Error(`cannot take over the stale lock ${file}; remove it if no lesiontrack process uses ${folder}`);
      removeStale(file, raw);
    }
  }
  installExitHooks();
  held.set(file, { file, token: holder.token, ...(close ? { close } : {}) });
  return {
    announce(url) {
      if (!ownedBy(file, holder.token)) return;
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify({ ...holder, url }));
      renameSync(tmp, file); // atomic: readers see the old or the new holder, never half
    },
    release() {
      if (held.delete(file) && ownedBy(file, holder.token)) unlinkSync(file);
    },
  };
}

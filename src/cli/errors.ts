import { CommanderError } from "commander";
import { FolderInUseError } from "../db/folder-lock.ts";
import { AppError } from "../service/errors.ts";

/** A mistake the CLI reports as one line; exit code 2 for usage errors, 1 for failures. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode: 1 | 2 = 1) {
    super(message);
    this.name = "CliError";
  }
}

export const usageError = (message: string): CliError => new CliError(message, 2);

interface SystemError { code?: string; syscall?: string; path?: string; address?: string; port?: number; hostname?: string }

/** The cause of a database or file failure, in words with the fix, when it is a known one. */
function systemLine(e: SystemError & Error): { line: string; exitCode: 1 | 2 } | null {
  const cause = (e as { cause?: SystemError }).cause;
  const err = e.code ? e : cause?.code ? { ...cause, message: e.message } : e;
  switch (err.code) {
    case "ENOENT":
      return err.path ? { line: `cannot read ${err.path}: no such file; check the path`, exitCode: 2 } : null;
    case "EACCES":
      return { line: `permission denied${err.path ? ` on ${err.path}` : ""}; check the file's permissions`, exitCode: 2 };
    case "EADDRINUSE":
      return { line: `port ${err.port ?? "?"} is in use by another program; pick another with --port N (or PORT), or stop that program`, exitCode: 2 };
    case "ECONNREFUSED":
      return { line: `cannot connect to ${err.address ?? err.hostname ?? "the database"}${err.port ? `:${err.port}` : ""} (connection refused); is PostgreSQL running there? check DATABASE_URL or --db`, exitCode: 1 };
    case "ENOTFOUND":
      return { line: `cannot resolve host ${err.hostname ?? "?"}; check DATABASE_URL or --db`, exitCode: 1 };
    case "28P01":
    case "3D000":
      return { line: `PostgreSQL refused: ${e.message}; check DATABASE_URL or --db`, exitCode: 1 };
    default:
      return null;
  }
}

/** Prints one line for an error (a stack trace only with --debug) and returns the exit code. */
export function reportCliError(e: unknown, debug: boolean): number {
  if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2; // commander printed the line itself
  let line: string;
  let exitCode: number = 1;
  if (e instanceof CliError || e instanceof FolderInUseError) {
    line = e.message;
    exitCode = e.exitCode;
  } else if (e instanceof AppError) {
    line = e.issues.length > 0 ? e.issues.map((i) => `${i.path}: ${i.message}`).join("; ") : e.message;
  } else if (e instanceof Error && e.name === "ZodError") {
    line = (e as unknown as { issues: { path: PropertyKey[]; message: string }[] }).issues.map((i) => `${i.path.join(".") || "(input)"}: ${i.message}`).join("; ");
    exitCode = 2;
  } else if (e instanceof Error) {
    const known = systemLine(e as SystemError & Error);
    line = known?.line ?? `${e.message.split("\n").join("; ")} (--debug prints the stack trace)`;
    exitCode = known?.exitCode ?? 1;
  } else {
    line = String(e);
  }
  console.error(`lesiontrack: ${line}`);
  if (debug && e instanceof Error && e.stack) console.error(e.stack);
  return exitCode;
}

import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";

export interface CliResult { status: number | null; stdout: string; stderr: string }

/** The CLI as a user runs it, in a child process (no npm banner); the test's event loop keeps running. */
export async function runCli(args: string[], env: Record<string, string | undefined> = {}, timeout = 180_000): Promise<CliResult> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli.ts", ...args], { timeout, env: { ...process.env, LESIONTRACK_API_KEY: undefined, DATABASE_URL: undefined, ...env } });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const [status] = (await once(child, "close")) as [number | null];
  return { status, stdout, stderr };
}

export interface ServerProcess { child: ChildProcess; url: string; output: () => string; stop(): Promise<number | null> }

/** `lesiontrack serve` in a child process on a free port; resolves once it listens. */
export async function startServer(args: string[], env: Record<string, string | undefined> = {}): Promise<ServerProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli.ts", "serve", "--port", "0", ...args], { env: { ...process.env, DATABASE_URL: undefined, RATE_LIMIT_MAX: "0", ...env } });
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (out += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 150_000);
    child.stdout.on("data", () => {
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${out}`));
    });
  });
  return {
    child, url, output: () => out,
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      child.kill("SIGTERM");
      const [code] = (await once(child, "exit")) as [number | null];
      return code;
    },
  };
}

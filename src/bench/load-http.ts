import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";

// autocannon ships no types (and is a devDependency: only this benchmark loads it).
const autocannon = createRequire(import.meta.url)("autocannon") as (opts: Record<string, unknown>) => any;

export interface LoadResult {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  non2xx: number;
  errors: number;
  statusCounts: Record<string, number>;
  /** CPU time the server process spent per answered request (µs), when its pid is known (Linux). */
  serverCpuUsPerRequest?: number;
}

/** utime + stime of a process in seconds from /proc (Linux); undefined elsewhere. */
function cpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100; // USER_HZ is 100 on Linux
  } catch {
    return undefined;
  }
}

/** Starts a child entry (same Node flags, so tsx works) and resolves its port from "READY <port>". */
export async function startChild(file: string, env: Record<string, string>, profileDir?: string): Promise<{ child: ChildProcess; port: number; info: string }> {
  const prof = profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : [];
  const child = spawn(process.execPath, [...prof, ...process.execArgv, fileURLToPath(new URL(file, import.meta.url))], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    let out = "";
    child.once("exit", (code) => reject(new Error(`${file} exited with ${code} before it was ready`)));
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /READY (\d+)(.*)\n/.exec(out);
      if (m) resolve({ child, port: Number(m[1]), info: m[2]!.trim() });
    });
  });
}

export function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

const percentile = (sorted: number[], q: number): number => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!);

/**
 * autocannon against one port with a request chosen per call (`pick`). Latencies are taken from
 * every response at full resolution (autocannon's own histogram keeps whole ms and 2xx only).
 */
export async function hammer(port: number, options: { connections: number; durationS: number; pick: () => { path: string; headers?: Record<string, string> }; pid?: number }): Promise<LoadResult> {
  const cpuBefore = cpuSeconds(options.pid);
  const latencies: number[] = [];
  const statusCounts: Record<string, number> = {};
  const instance = autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: options.connections,
    duration: options.durationS,
    requests: [{ setupRequest: (req: any) => ({ ...req, ...options.pick() }) }],
  });
  instance.on("response", (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    latencies.push(responseTime);
    statusCounts[statusCode] = (statusCounts[statusCode] ?? 0) + 1;
  });
  const result: any = await instance;
  const cpuAfter = cpuSeconds(options.pid);
  latencies.sort((a, b) => a - b);
  const total = latencies.length;
  return {
    rps: total / (result.duration as number),
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    requests: total,
    non2xx: result.non2xx as number,
    errors: result.errors as number,
    statusCounts,
    ...(cpuBefore !== undefined && cpuAfter !== undefined && total > 0 ? { serverCpuUsPerRequest: ((cpuAfter - cpuBefore) * 1e6) / total } : {}),
  };
}

import { execFile, spawnSync } from "node:child_process";
import { promisify } from "node:util";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { ServerType } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseEnv } from "../../src/env.ts";
import { listen, openRuntime, type Runtime } from "../../src/server.ts";
import { createKey } from "../../src/service/keys-create.ts";

/** The README's HTTP API block: the first ```sh block after its heading. */
export function readmeHttpBlock(readme: string): string {
  const section = readme.indexOf("## HTTP API (under `/v1`)");
  const start = readme.indexOf("```sh\n", section);
  const end = readme.indexOf("\n```", start + 6);
  if (section < 0 || start < 0 || end < 0) throw new Error("README has no HTTP API ```sh block");
  return readme.slice(start + 6, end + 1);
}

const hasCurl = spawnSync("curl", ["--version"]).status === 0;
if (!hasCurl) console.warn("[readme] curl is not installed: the README's HTTP block is not run");

describe.skipIf(!hasCurl)("the README's HTTP API block, run top to bottom against a fresh server", () => {
  let rt: Runtime;
  let server: ServerType;
  let base: string;
  let key: string;
  let dir: string;

  beforeAll(async () => {
    rt = await openRuntime(parseEnv({}), "memory");
    key = (await createKey({ ctx: { ...rt.deps, actor: "readme-test" }, input: { name: "readme", scopes: ["*:admin"] } })).token;
    const started = await listen(rt.deps, 0, "127.0.0.1");
    server = started.server;
    base = `http://127.0.0.1:${started.port}`;
    dir = mkdtempSync(join(tmpdir(), "lt-readme-"));
  });
  afterAll(async () => {
    await new Promise((r) => server?.close(r));
    await rt?.handle.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("every command answers below 400 (curl --fail-with-body stops at the first that does not)", async () => {
    const block = readmeHttpBlock(readFileSync(resolve("README.md"), "utf8"));
    // Only B and K are the reader's to fill in; every other line runs as printed.
    const script = block
      .replace(/^B=.*$/m, `B=${base}`)
      .replace(/^K=.*$/m, `K="x-api-key: ${key}"`);
    expect(script).toContain(`B=${base}`);
    const prelude = 'set -euo pipefail\ncurl() { echo "+ curl $*" >&2; command curl --fail-with-body "$@"; echo >&2; }\n';
    let out = "";
    try {
      // Asynchronous: the server answers from this same process.
      out = (await promisify(execFile)("bash", ["-c", prelude + script], { cwd: dir, encoding: "utf8", timeout: 120_000 })).stdout;
    } catch (e) {
      const err = e as { stdout?: string; stderr?: string };
      throw new Error(`the README block stopped:\n${(err.stderr ?? "").slice(-3000)}\n${(err.stdout ?? "").slice(-1500)}`);
    }
    expect(out).toContain('"status":"ok"'); // /health, near the end
    expect(readFileSync(join(dir, "observations.csv"), "utf8").split("\n")[0]).toContain("patient_id");
  });
});

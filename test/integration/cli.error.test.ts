import { createServer } from "node:net";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.ts";

/** What the CLI printed on stderr, without npm's own warnings. */
const errLines = (stderr: string) => stderr.split("\n").filter((l) => l.trim() && !l.startsWith("npm warn"));

describe("CLI mistakes: one line naming cause and fix, exit code 2 for usage errors, no stack trace", () => {
  const dir = mkdtempSync(join(tmpdir(), "lt-cli-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("--version prints the package version", async () => {
    const r = await runCli(["--version"]);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe((JSON.parse(readFileSync("package.json", "utf8")) as { version: string }).version);
  });

  it.each([
    [["import", "csv", "x.csv"], /--cohort ID is required/],
    [["import", "csv", join("no", "such.csv"), "--cohort", "c"], /cannot read .*such\.csv: no such file/],
    [["serve", "--port", "http"], /--port must be a whole number/],
    [["cohorts", "create", "c", "--scan-interval", "-3", "--db", "memory"], /--scan-interval must be/],
    [["keys", "create", "--name", "k", "--scope", "c:owner", "--db", "memory"], /c:owner/],
    [["export", "csv", "--out", "x.csv"], /required option '--cohort <id>'/],
    [["nosuchcommand"], /unknown command/],
  ])("%j is a usage error", async (args, pattern) => {
    const r = await runCli(args as string[]);
    expect(r.status).toBe(2);
    const lines = errLines(r.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(pattern);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);

  it("a port in use names the port and --port", async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const r = await runCli(["serve", "--db", "memory", "--port", String(port)]);
      expect(r.status).toBe(2);
      expect(errLines(r.stderr).at(-1)).toMatch(new RegExp(`port ${port} is in use.*--port`));
      expect(r.stderr).not.toMatch(/\n\s+at /);
    } finally {
      blocker.close();
    }
  }, 120_000);

  it("unreachable PostgreSQL is one line naming the address and DATABASE_URL / --db; --debug adds the stack", async () => {
    const r = await runCli(["migrate", "--db", "postgres://postgres@127.0.0.1:1/none"]);
    expect(r.status).toBe(1);
    expect(errLines(r.stderr)).toEqual([expect.stringMatching(/cannot connect to 127\.0\.0\.1:1 .*DATABASE_URL or --db/)]);
    const debug = await runCli(["--debug", "migrate", "--db", "postgres://postgres@127.0.0.1:1/none"]);
    expect(debug.stderr).toMatch(/\n\s+at /);
  }, 60_000);

  it("importing into a missing cohort suggests --create-cohort; cohorts create / list / show work on a folder", async () => {
    const folder = join(dir, "db");
    const miss = await runCli(["import", "deeplesion", "test/fixtures/io/dl-info-small.csv", "--cohort", "dl", "--db", folder]);
    expect(miss.status).toBe(1);
    expect(errLines(miss.stderr)).toEqual([expect.stringMatching(/cohort dl not found; add --create-cohort/)]);
    expect((await runCli(["cohorts", "create", "trial-1", "--name", "Trial 1", "--scan-interval", "42", "--db", folder])).status).toBe(0);
    const list = await runCli(["cohorts", "list", "--db", folder]);
    expect(list.stdout).toMatch(/^trial-1\tTrial 1\tprotocol v1\tscan interval 42 d/m);
    const show = await runCli(["cohorts", "show", "trial-1", "--db", folder]);
    expect(JSON.parse(show.stdout)).toMatchObject({ cohortId: "trial-1", name: "Trial 1", settings: { scanIntervalDays: 42 } });
    const dup = await runCli(["cohorts", "create", "trial-1", "--db", folder]);
    expect(dup.status).toBe(1);
    expect(errLines(dup.stderr)).toEqual([expect.stringMatching(/cohortId: already exists/)]);
  }, 180_000);
});

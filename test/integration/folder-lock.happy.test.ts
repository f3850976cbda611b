import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { createDb } from "../../src/db/client.ts";
import { FolderInUseError, LOCK_FILE } from "../../src/db/folder-lock.ts";
import { runCli, startServer, type ServerProcess } from "../helpers/cli.ts";

const CSV = [
  "patient_id,patient_sex,study_key,date,observation_id,x_mm,y_mm,z_mm,long_axis_mm,short_axis_mm,lesion_type",
  "C1,F,S1,2024-01-10,1,10,20,30,22,14,liver",
  "C1,F,S2,2024-03-10,2,11,21,30,18,12,liver",
  "C2,M,S1,2024-01-12,1,50,60,70,15,10,lung",
].join("\n");

async function countRows(folder: string, cohortId: string) {
  const handle = await createDb(folder);
  try {
    const r = await handle.db.execute(sql`select (select count(*)::int from patients where cohort_id = ${cohortId}) as patients,
      (select count(*)::int from studies where cohort_id = ${cohortId}) as studies,
      (select count(*)::int from observations where cohort_id = ${cohortId}) as observations,
      (select count(*)::int from studies s where cohort_id = ${cohortId} and not exists (select 1 from patients p where p.cohort_id = s.cohort_id and p.patient_id = s.patient_id)) as orphans`);
    return ((r as unknown as { rows: unknown[] }).rows[0]) as { patients: number; studies: number; observations: number; orphans: number };
  } finally {
    await handle.close();
  }
}

describe("one process holds an embedded PGlite folder; the CLI writes through the server holding it", () => {
  const dir = mkdtempSync(join(tmpdir(), "lt-lock-"));
  const folder = join(dir, "pglite");
  const csvFile = join(dir, "obs.csv");
  let server: ServerProcess;
  let adminKey = "";
  const api = (path: string, key = adminKey) => fetch(`${server.url}${path}`, { headers: { "x-api-key": key } });

  beforeAll(async () => {
    writeFileSync(csvFile, CSV);
    const made = await runCli(["keys", "create", "--name", "admin", "--scope", "*:admin", "--db", folder]);
    expect(made.status, made.stderr).toBe(0);
    adminKey = made.stdout.trim().split("\n").at(-1)!;
    server = await startServer(["--db", folder]);
  }, 240_000);

  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("the lock names the server's URL; a writing command without a key gets one line saying how, exit code 2", async () => {
    const lock = JSON.parse(readFileSync(join(folder, LOCK_FILE), "utf8")) as { pid: number; url: string };
    expect(lock.pid).toBe(server.child.pid);
    expect(lock.url).toBe(server.url);
    const r = await runCli(["import", "deeplesion", "test/fixtures/io/dl-info-small.csv", "--cohort", "dl", "--create-cohort", "--db", folder]);
    expect(r.status).toBe(2);
    const lines = r.stderr.split("\n").filter((l) => l && !l.startsWith("npm warn"));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(server.url);
    expect(lines[0]).toContain("--api-key");
    const migrate = await runCli(["migrate", "--db", folder]);
    expect(migrate.status).toBe(2);
    expect(migrate.stderr).toMatch(/in use by .*serve.*pid \d+/);
  }, 120_000);

  it("import deeplesion, import csv, keys and demo go through the server; it sees every write at once", async () => {
    const env = { LESIONTRACK_API_KEY: adminKey };
    const dl = await runCli(["import", "deeplesion", "test/fixtures/io/dl-info-small.csv", "--cohort", "dl", "--create-cohort", "--db", folder, "--json"], env);
    expect(dl.status, dl.stderr).toBe(0);
    const dlSummary = JSON.parse(dl.stdout) as { patients: number; studies: number };
    expect(dlSummary.patients).toBeGreaterThan(0);
    const csv = await runCli(["import", "csv", csvFile, "--cohort", "csvc", "--create-cohort", "--db", folder, "--json"], env);
    expect(csv.status, csv.stderr).toBe(0);
    expect(JSON.parse(csv.stdout)).toMatchObject({ rowsImported: 3, patients: 2, studies: 3 });
    const demo = await runCli(["demo", "--cohort", "demo2", "--patients", "3", "--db", folder], env);
    expect(demo.status, demo.stderr).toBe(0);
    const key = await runCli(["keys", "create", "--name", "reader", "--scope", "dl:read", "--db", folder], env);
    expect(key.status, key.stderr).toBe(0);
    const reader = key.stdout.trim().split("\n").at(-1)!;

    expect((await api("/v1/cohorts/dl/patients?limit=500", reader)).status).toBe(200); // the server accepts the key made through it
    const patients = (await (await api("/v1/cohorts/dl/patients?limit=500")).json()) as { items: { studyCount: number }[] };
    expect(patients.items).toHaveLength(dlSummary.patients);
    expect(patients.items.reduce((n, p) => n + p.studyCount, 0)).toBe(dlSummary.studies);
    expect(((await (await api("/v1/cohorts/demo2/patients")).json()) as { items: unknown[] }).items).toHaveLength(3);
    expect(((await (await api("/v1/cohorts/csvc/patients")).json()) as { items: unknown[] }).items).toHaveLength(2);

    const listed = await runCli(["keys", "list", "--db", folder], env);
    expect(listed.stdout).toMatch(/reader\tdl:read/);
    const keyId = /^lt_([0-9a-f]{12})_/.exec(reader)![1]!;
    expect((await runCli(["keys", "revoke", keyId, "--db", folder], env)).status).toBe(0);
    expect((await api("/v1/cohorts/dl/patients", reader)).status).toBe(401);
  }, 600_000);

  it("after the server stops the lock is gone and a restart keeps every write, none torn", async () => {
    const before = (await (await api("/v1/cohorts/dl/patients?limit=500")).json()) as { items: unknown[] };
    expect(await server.stop()).toBe(0);
    expect(existsSync(join(folder, LOCK_FILE))).toBe(false);
    const dl = await countRows(folder, "dl");
    expect(dl.patients).toBe(before.items.length);
    expect(dl.orphans).toBe(0);
    expect(await countRows(folder, "demo2")).toMatchObject({ patients: 3, orphans: 0 });
    expect(await countRows(folder, "csvc")).toMatchObject({ patients: 2, studies: 3, observations: 3, orphans: 0 });
  }, 120_000);

  it("a lock left by a killed process is taken over; a live holder is refused", async () => {
    const dead = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
    writeFileSync(join(folder, LOCK_FILE), JSON.stringify({ pid: Number(dead.stdout), hostname: (await import("node:os")).hostname(), processStart: null, startedAt: "2026-01-01T00:00:00Z", command: "lesiontrack serve", url: "http://127.0.0.1:1", token: "x" }));
    const handle = await createDb(folder);
    const mine = JSON.parse(readFileSync(join(folder, LOCK_FILE), "utf8")) as { pid: number };
    expect(mine.pid).toBe(process.pid);
    await expect(createDb(folder)).rejects.toBeInstanceOf(FolderInUseError); // even this process may not open it twice
    await handle.close();
    expect(existsSync(join(folder, LOCK_FILE))).toBe(false);
  }, 60_000);
});

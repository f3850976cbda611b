import { median } from "simple-statistics";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import type { ChildProcess } from "node:child_process";
import type { Command } from "commander";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { createDb, type DbHandle } from "../db/client.ts";
import { migrateDb } from "../db/migrate.ts";
import { readTimeline } from "../db/queries/patients.ts";
import { databaseTarget, parseEnv, type Env } from "../env.ts";
import { loadPredictor } from "../forecast/load.ts";
import { generateDemoCohort } from "../domain/demo/cohort.ts";
import { listen } from "../server.ts";
import { authenticatorFromEnv } from "../auth/from-env.ts";
import { rateLimit } from "../api/middleware/rate-limit.ts";
import type { AppDeps } from "../api/env.ts";
import type { Ctx } from "../service/context.ts";
import { createKey } from "../service/keys-create.ts";
import { lookupKey } from "../service/keys-lookup.ts";
import { revokeKey } from "../service/keys-revoke.ts";
import { ingestPatient } from "../service/ingest-patient.ts";
import { studyInput } from "../service/inputs/study.ts";
import { cloneTemplates, createBenchCohort, dropBenchCohort, ingestTemplates, samplePatients, vacuumCloned } from "./load-seed.ts";
import { hammer, startChild, stopChild, type LoadResult } from "./load-http.ts";

interface LoadOptions {
  patients: string;
  studies: string;
  lesions: string;
  templates: string;
  connections: string;
  duration: string;
  scaling: string;
  scalingDuration: string;
  scalingRepeats: string;
  ingestDuration: string;
  ingestConcurrency: string;
  ingestBatch: string;
  seed: string;
  json?: boolean;
  keep?: boolean;
  db?: string;
  profile?: string;
  authCost?: boolean;
}

/** The `--json` object, exactly the shape issue 7 asks for. */
export interface LoadReport {
  timeline: { rps: number; p50Ms: number; p99Ms: number; ratioToNodeHttp: number };
  notModified: { rps: number };
  dbCeiling: { qps: number };
  nodeHttpCeiling: { rps: number };
  /** studiesPerS: through POST /ingest (the bulk route); perStudyPutStudiesPerS: one PUT per study. */
  ingest: { studiesPerS: number; perStudyPutStudiesPerS: number };
  scaling: { patients: number; p99Ms: number }[];
}

const SAMPLE = 2000;
const r1 = (x: number) => Math.round(x * 10) / 10;
const r2 = (x: number) => Math.round(x * 100) / 100;
const int = (x: number) => Math.round(x).toLocaleString("en-US");

export function registerLoadBench(bench: Command): void {
  bench
    .command("load")
    .description("seed a generated cohort, then measure the API under load (autocannon) against the DB and bare node:http ceilings")
    .option("--patients <n>", "patients of the main measurement", "10000")
    .option("--studies <n>", "studies per patient", "5")
    .option("--lesions <n>", "lesions per patient", "3")
    .option("--templates <n>", "patients ingested through the service (the rest are SQL copies of them)", "200")
    .option("--connections <n>", "concurrent connections for GETs", "32")
    .option("--duration <s>", "seconds per main measurement", "10")
    .option("--scaling <list>", "patient counts for the timeline p99 growth, or none", "1000,10000,100000")
    .option("--scaling-duration <s>", "seconds per scaling run", "5")
    .option("--scaling-repeats <n>", "runs per scaling step (the median p99 is reported)", "3")
    .option("--ingest-duration <s>", "seconds of ingest through the API", "15")
    .option("--ingest-concurrency <n>", "requests at once while ingesting through the API", "8")
    .option("--ingest-batch <n>", "patients per POST /ingest request", "40")
    .option("--seed <n>", "generator seed", "7")
    .option("--json", "print only the result object on stdout (the log goes to stderr)")
    .option("--keep", "keep the benchmark cohort afterwards")
    .option("--no-auth-cost", "skip the ablation run without authentication and rate limiting")
    .option("--profile <dir>", "write a V8 CPU profile of the API server process to this folder")
    .option("--db <target>", "postgres://... (recommended) | memory | PATH (default: DATABASE_URL, else memory)")
    .action(async (opts: LoadOptions) => {
      const report = await runLoadBench(opts);
      if (opts.json) console.log(JSON.stringify(report));
    });
}

export async function runLoadBench(opts: LoadOptions): Promise<LoadReport> {
  const log = opts.json ? (s: string) => console.error(s) : (s: string) => console.log(s);
  const env = parseEnv();
  const target = opts.db ?? env.DATABASE_URL ?? "memory";
  const n = Number(opts.patients);
  const shape = { studies: Number(opts.studies), lesions: Number(opts.lesions), seed: Number(opts.seed) };
  const templates = Math.min(Number(opts.templates), n);
  const connections = Number(opts.connections);
  const durationS = Number(opts.duration);
  const scalingSteps = opts.scaling === "none" ? [] : opts.scaling.split(",").map(Number).filter((x) => x > 0);
  const steps = [...new Set([...scalingSteps, n])].sort((a, b) => a - b).filter((s) => s >= templates);

  const handle = await createDb(databaseTarget(env, target), { poolSize: env.DB_POOL_SIZE });
  await migrateDb(handle);
  const predictor = await loadPredictor(env.LESIONTRACK_MODEL_DIR);
  const clock = { now: () => new Date() };
  const ctx: Ctx = { db: handle.db, clock, predictor, actor: "bench-load" };
  const cohortId = `bench-${Date.now().toString(36)}`;
  log(`bench load on ${handle.description} (${availableParallelism()} cores), cohort ${cohortId}, growth model ${predictor.kind} ${predictor.version}`);
  if (handle.kind !== "postgres") log("note: PGlite runs in this process, so server, load generator and database share one event loop; the targets are for PostgreSQL");

  const children: ChildProcess[] = [];
  let inProcess: { close(): void } | undefined;
  const tmp = mkdtempSync(join(tmpdir(), "lt-bench-"));
  let keyId: string | undefined;
  try {
    await createBenchCohort(ctx, cohortId);
    const key = await createKey({ ctx, input: { name: "bench-load", scopes: [`${cohortId}:write`] } });
    keyId = key.keyId;
    const auth = { "x-api-key": key.token };

    // The server under test: the real app with authentication and a (never reached) rate limit.
    const serverEnv = { RATE_LIMIT_MAX: "1000000000", HOST: "127.0.0.1" };
    let apiPort: number;
    let apiPid: number | undefined;
    if (handle.kind === "postgres") {
      const s = await startChild("./load-server.ts", { ...serverEnv, DATABASE_URL: target }, opts.profile);
      children.push(s.child);
      apiPort = s.port;
      apiPid = s.child.pid;
    } else {
      const e: Env = { ...env, RATE_LIMIT_MAX: 1e9 };
      const deps: AppDeps = {
        db: handle.db, clock, predictor,
        config: { bodyLimitBytes: e.BODY_LIMIT_BYTES, corsOrigins: [] },
        authenticate: authenticatorFromEnv(e, (id) => lookupKey({ ctx, keyId: id })),
        rateLimit: rateLimit({ limit: e.RATE_LIMIT_MAX, windowMs: e.RATE_LIMIT_WINDOW_MS }),
      };
      const l = await listen(deps, 0, "127.0.0.1");
      inProcess = l.server;
      apiPort = l.port;
    }

    // Seed: templates through the service, the rest as SQL copies of their stored rows.
    let t0 = performance.now();
    await ingestTemplates(ctx, cohortId, templates, shape, (done) => {
      if (done % 50 === 0 || done === templates) process.stderr.write(`\r  templates ingested: ${done}/${templates}`);
    });
    process.stderr.write("\n");
    const seedS = (performance.now() - t0) / 1000;
    log(`seed: ${templates} template patients x ${shape.studies} studies x ${shape.lesions} lesions through ingestPatient (store, match, RECIST, forecasts) in ${r1(seedS)} s = ${r1((seedS * 1000) / templates)} ms/patient, ${r1((templates * shape.studies) / seedS)} studies/s`);

    const spine = generateDemoCohort({ patients: 1, studies: [10, 10], lesions: [5, 5], seed: shape.seed + 1, prefix: "S" })[0]!;
    await ingestPatient({
      ctx, cohortId,
      batch: { patientId: "SPINE-10x5", patient: { sex: spine.sex, birthYear: spine.birthYear, referenceDate: spine.referenceDate, metadata: {} }, studies: spine.studies.map((s) => ({ studyKey: s.studyKey, input: studyInput.parse(s.input) })) },
    });

    const timelinePath = (patientId: string) => `/v1/cohorts/${cohortId}/patients/${patientId}/timeline`;
    const scaling: { patients: number; p99Ms: number }[] = [];
    let main: { timeline: LoadResult; notModified: LoadResult; bare: LoadResult; dbQps: number; ingest: number; ingestPut: number; bytes: number } | undefined;
    let current = templates;

    for (const step of steps) {
      t0 = performance.now();
      await cloneTemplates(handle.db, cohortId, templates, current, step);
      if (step > current) {
        log(`cohort grown to ${int(step)} patients by SQL copy of the templates' stored rows (${int(step - current)} copies in ${r1((performance.now() - t0) / 1000)} s)`);
        if (handle.kind === "postgres") {
          // Settle first: otherwise autovacuum, woken by the bulk copy, competes for the 2 cores
          // during the measurement, which is the seeding's cost, not a read's at this size.
          t0 = performance.now();
          await vacuumCloned(handle.db);
          log(`  vacuum (analyze) of the copied tables: ${r1((performance.now() - t0) / 1000)} s`);
        }
      }
      current = Math.max(current, step);
      const sample = await samplePatients(handle.db, cohortId, SAMPLE);
      const pick = () => {
        const p = sample[Math.floor(Math.random() * sample.length)]!;
        return { path: timelinePath(p.patientId), headers: auth };
      };
      await hammer(apiPort, { connections, durationS: 2, pick }); // warm-up: JIT, key cache, buffers
      if (scalingSteps.includes(step)) {
        // The same short run at every step, repeated (p99 on a shared machine swings with its other
        // load), and before the main step's ingest, whose writes would wake autovacuum meanwhile.
        const runs: number[] = [];
        for (let i = 0; i < Number(opts.scalingRepeats); i++) runs.push((await hammer(apiPort, { connections, durationS: Number(opts.scalingDuration), pick })).p99Ms);
        const p99Ms = median(runs);
        scaling.push({ patients: step, p99Ms: r2(p99Ms) });
        log(`scaling: ${int(step)} patients -> timeline p99 ${r2(p99Ms)} ms (median of ${runs.map(r2).join(", ")})`);
      }

      if (step === n) {
        const timeline = await hammer(apiPort, { connections, durationS, pick, pid: apiPid });
        const notModified = await hammer(apiPort, {
          connections, durationS, pid: apiPid,
          pick: () => {
            const p = sample[Math.floor(Math.random() * sample.length)]!;
            return { path: timelinePath(p.patientId), headers: { ...auth, "if-none-match": `"r${p.revision}"` } };
          },
        });
        const ids = sample.map((p) => p.patientId);
        // Ceiling: the row straight from the database with the same driver and pool (no ORM);
        // beside it, the route's own query through drizzle, to show what the query builder costs.
        const dbQps = await dbCeiling(rawReader(handle, target, env.DB_POOL_SIZE, cohortId), ids, connections, durationS);
        const drizzleQps = await dbCeiling((id) => readTimeline(handle.db, cohortId, id, null), ids, connections, durationS);
        // The same bytes from a bare node:http server (what the API sent for each sampled path).
        const bodies: Record<string, string> = {};
        let bytes = 0;
        for (const p of sample) {
          const row = await readTimeline(handle.db, cohortId, p.patientId, null);
          bodies[timelinePath(p.patientId)] = row!.body!;
          bytes += Buffer.byteLength(row!.body!);
        }
        writeFileSync(join(tmp, "bodies.json"), JSON.stringify(bodies));
        const bareChild = await startChild("./load-bare.ts", { LT_BARE_BODIES: join(tmp, "bodies.json") });
        children.push(bareChild.child);
        await hammer(bareChild.port, { connections, durationS: 2, pick });
        const bare = await hammer(bareChild.port, { connections, durationS, pick, pid: bareChild.child.pid });
        await stopChild(bareChild.child);
        let openRps: number | undefined;
        let openCpu: number | undefined;
        if (handle.kind === "postgres" && opts.authCost !== false) {
          // Ablation: the same server without authentication and rate limiting = their cost.
          const open = await startChild("./load-server.ts", { ...serverEnv, DATABASE_URL: target, LT_BENCH_OPEN: "1" });
          children.push(open.child);
          await hammer(open.port, { connections, durationS: 2, pick });
          const o = await hammer(open.port, { connections, durationS, pick, pid: open.child.pid });
          openRps = o.rps;
          openCpu = o.serverCpuUsPerRequest;
          await stopChild(open.child);
        }
        const newPatients = generateDemoCohort({ patients: 20_000, studies: [shape.studies, shape.studies], lesions: [shape.lesions, shape.lesions], seed: shape.seed + 2, prefix: "I" });
        const ingestOptions = { port: apiPort, auth, cohortId, concurrency: Number(opts.ingestConcurrency), durationS: Number(opts.ingestDuration), log };
        const ingestPut = await ingestByPut(ingestOptions, newPatients.slice(0, 5_000));
        const ingest = await ingestByBatch(ingestOptions, newPatients.slice(5_000), Number(opts.ingestBatch));
        if (handle.kind === "postgres") await vacuumCloned(handle.db); // the ingest's writes, before the next reads
        main = { timeline, notModified, bare, dbQps, ingest, ingestPut, bytes: bytes / sample.length };
        log(`timeline GET, ${connections} connections, ${durationS} s, ${int(sample.length)} random patients of ${int(step)} (mean body ${int(main.bytes)} B): ${int(timeline.rps)} req/s, p50 ${r2(timeline.p50Ms)} ms, p99 ${r2(timeline.p99Ms)} ms; ${r2(timeline.rps / bare.rps)}x bare node:http (target >= 0.6), ${r2(timeline.rps / dbQps)}x DB ceiling; p99 target <= 15 ms; statuses ${JSON.stringify(timeline.statusCounts)}`);
        log(`304 path (If-None-Match = current ETag): ${int(notModified.rps)} req/s, p50 ${r2(notModified.p50Ms)} ms, p99 ${r2(notModified.p99Ms)} ms; ${r2(notModified.rps / bare.rps)}x bare node:http; statuses ${JSON.stringify(notModified.statusCounts)}`);
        if (openRps !== undefined) log(`the same GETs without authentication and rate limiting (ablation): ${int(openRps)} req/s (access control: ${r1(100 * (1 - timeline.rps / openRps))}% of throughput${openCpu !== undefined && timeline.serverCpuUsPerRequest !== undefined ? `, ${int(timeline.serverCpuUsPerRequest - openCpu)} µs of server CPU per request` : ""})`);
        const cpu = (r: LoadResult) => (r.serverCpuUsPerRequest !== undefined ? `${int(r.serverCpuUsPerRequest)} µs` : "n/a");
        log(`server CPU per request (one core): timeline 200 ${cpu(timeline)}, 304 ${cpu(notModified)}, bare node:http ${cpu(bare)}${openCpu !== undefined ? `, timeline without access control ${int(openCpu)} µs` : ""}`);
        log(`DB ceiling: the same timeline row straight from the database (${handle.kind === "postgres" ? "postgres.js" : "PGlite"}, same pool of ${env.DB_POOL_SIZE}, ${connections} concurrent): ${int(dbQps)} queries/s; the route's query through drizzle (readTimeline): ${int(drizzleQps)} queries/s`);
        log(`bare node:http ceiling, same bytes per path: ${int(bare.rps)} req/s, p50 ${r2(bare.p50Ms)} ms, p99 ${r2(bare.p99Ms)} ms`);
        log(`ingest through the API, bulk: POST /ingest of ${opts.ingestBatch} patients x ${shape.studies} studies x ${shape.lesions} lesions (one transaction each, ${opts.ingestConcurrency} requests at once): ${r1(ingest)} studies/s; ${r2(ingest / 500)}x the 500 studies/s target`);
        log(`ingest through the API, one study per request: PUT patient + ${shape.studies} PUT study (each re-derives the patient; ${opts.ingestConcurrency} patients at once): ${r1(ingestPut)} studies/s`);

        const single = (headers: Record<string, string>) => () => ({ path: timelinePath("SPINE-10x5"), headers });
        const spineRow = await readTimeline(handle.db, cohortId, "SPINE-10x5", null);
        const spineGet = await hammer(apiPort, { connections, durationS: Math.min(durationS, 5), pick: single(auth) });
        const spine304 = await hammer(apiPort, { connections, durationS: Math.min(durationS, 5), pick: single({ ...auth, "if-none-match": `"r${spineRow!.revision}"` }) });
        log(`issue 2 spine: one patient with 10 studies x 5 lesions (${int(Buffer.byteLength(spineRow!.body!))} B): GET ${int(spineGet.rps)} req/s p50 ${r2(spineGet.p50Ms)} ms p99 ${r2(spineGet.p99Ms)} ms; 304 ${int(spine304.rps)} req/s p50 ${r2(spine304.p50Ms)} ms p99 ${r2(spine304.p99Ms)} ms`);
      }
    }
    if (scaling.length >= 2) {
      const p99s = scaling.map((x) => x.p99Ms);
      log(`scaling: p99 at ${int(scaling.at(-1)!.patients)} / at ${int(scaling[0]!.patients)} = ${r2(scaling.at(-1)!.p99Ms / scaling[0]!.p99Ms)}x; largest / smallest step = ${r2(Math.max(...p99s) / Math.min(...p99s))}x (target <= 1.5x)`);
    }
    if (!main) throw new Error("no main measurement: --patients must be at least --templates");
    return {
      timeline: { rps: Math.round(main.timeline.rps), p50Ms: r2(main.timeline.p50Ms), p99Ms: r2(main.timeline.p99Ms), ratioToNodeHttp: r2(main.timeline.rps / main.bare.rps) },
      notModified: { rps: Math.round(main.notModified.rps) },
      dbCeiling: { qps: Math.round(main.dbQps) },
      nodeHttpCeiling: { rps: Math.round(main.bare.rps) },
      ingest: { studiesPerS: r1(main.ingest), perStudyPutStudiesPerS: r1(main.ingestPut) },
      scaling,
    };
  } finally {
    for (const c of children) await stopChild(c);
    inProcess?.close();
    rmSync(tmp, { recursive: true, force: true });
    if (keyId) await revokeKey({ ctx, keyId }).catch(() => undefined);
    if (!opts.keep) {
      const t = performance.now();
      await dropBenchCohort(handle.db, cohortId);
      log(`removed cohort ${cohortId} in ${r1((performance.now() - t) / 1000)} s`);
    }
    await handle.close();
  }
}

/** One timeline row by primary key with the bare driver: postgres.js (prepared) or PGlite. */
function rawReader(handle: DbHandle, target: string, poolSize: number, cohortId: string): ((patientId: string) => Promise<unknown>) & { end?: () => Promise<void> } {
  if (handle.kind !== "postgres") return (id) => handle.db.execute(sql`select revision, body from patient_timelines where cohort_id = ${cohortId} and patient_id = ${id} limit 1`);
  const client = postgres(target, { max: poolSize, prepare: true, onnotice: () => {} });
  const read = (id: string) => client`select revision, body from patient_timelines where cohort_id = ${cohortId} and patient_id = ${id} limit 1`;
  return Object.assign(read, { end: () => client.end({ timeout: 5 }) });
}

/** `concurrency` loops reading random sampled patients for `durationS` (after 1 s of warm-up); queries/s. */
async function dbCeiling(read: ((patientId: string) => Promise<unknown>) & { end?: () => Promise<void> }, patientIds: string[], concurrency: number, durationS: number): Promise<number> {
  const warm = performance.now() + 1000;
  const end = warm + durationS * 1000;
  let count = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        await read(patientIds[Math.floor(Math.random() * patientIds.length)]!);
        if (performance.now() > warm) count++;
      }
    }),
  );
  await read.end?.();
  return count / durationS;
}

interface IngestOptions {
  port: number;
  auth: Record<string, string>;
  cohortId: string;
  concurrency: number;
  durationS: number;
  log: (s: string) => void;
}

type GeneratedPatient = ReturnType<typeof generateDemoCohort>[number];

async function send(url: string, method: "PUT" | "POST", headers: Record<string, string>, body: unknown): Promise<void> {
  const res = await fetch(url, { method, headers: { ...headers, "content-type": "application/json" }, body: JSON.stringify(body) });
  if (res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
  await res.arrayBuffer();
}

/** `concurrency` loops taking work items until the time is up; returns items done and seconds. */
async function loops<T>(items: readonly T[], o: IngestOptions, each: (item: T) => Promise<number>): Promise<{ done: number; studies: number; seconds: number }> {
  let next = 0;
  let studies = 0;
  const started = performance.now();
  const stopAt = started + o.durationS * 1000;
  await Promise.all(
    Array.from({ length: o.concurrency }, async () => {
      while (performance.now() < stopAt && next < items.length) {
        const n = await each(items[next++]!); // not `studies += await`: that would read studies before the await
        studies += n;
      }
    }),
  );
  return { done: next, studies, seconds: (performance.now() - started) / 1000 };
}

/** New patients one request per write: PUT patient, then its studies in time order; several patients at once. */
async function ingestByPut(o: IngestOptions, patients: readonly GeneratedPatient[]): Promise<number> {
  const base = `http://127.0.0.1:${o.port}/v1/cohorts/${o.cohortId}/patients`;
  const r = await loops(patients, o, async (p) => {
    await send(`${base}/${p.patientId}`, "PUT", o.auth, { sex: p.sex, birthYear: p.birthYear, referenceDate: p.referenceDate });
    for (const s of p.studies) await send(`${base}/${p.patientId}/studies/${s.studyKey}`, "PUT", o.auth, s.input);
    return p.studies.length;
  });
  o.log(`  ingest by PUT: ${r.done} patients, ${r.studies} studies in ${r1(r.seconds)} s`);
  return r.studies / r.seconds;
}

/** New patients in POST /ingest batches of `size` patients; `concurrency` requests at once. */
async function ingestByBatch(o: IngestOptions, patients: readonly GeneratedPatient[], size: number): Promise<number> {
  const url = `http://127.0.0.1:${o.port}/v1/cohorts/${o.cohortId}/ingest`;
  const batches: GeneratedPatient[][] = [];
  for (let i = 0; i < patients.length; i += size) batches.push(patients.slice(i, i + size));
  const r = await loops(batches, o, async (batch) => {
    await send(url, "POST", o.auth, {
      patients: batch.map((p) => ({ patientId: p.patientId, patient: { sex: p.sex, birthYear: p.birthYear, referenceDate: p.referenceDate }, studies: p.studies.map((s) => ({ studyKey: s.studyKey, study: s.input })) })),
    });
    return batch.reduce((n, p) => n + p.studies.length, 0);
  });
  o.log(`  ingest by POST /ingest: ${r.done} requests, ${r.studies} studies in ${r1(r.seconds)} s`);
  return r.studies / r.seconds;
}

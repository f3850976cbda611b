import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { sql } from "drizzle-orm";
import { backends } from "../helpers/backends.ts";
import { dropCohort, send, snapshotCohort, uniqueId } from "../helpers/test-app.ts";
import { studyBody } from "../helpers/factories.ts";
import { apiKeyHeader, createSecuredTestApp, fillPath, writeRoutes, type SecuredTestApp, type WriteRoute } from "../helpers/secured-app.ts";

/** Runs per write route and backend: bounded so the suite stays fast; raise with FUZZ_RUNS. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 60);

/** Values that break naive code: extremes, wrong types, odd strings, prototype keys. */
const nasty = fc.oneof(
  fc.constantFrom<unknown>(null, true, 0, -0, -1, 1e308, -1e308, 2 ** 53 + 1, 5e-324, "", " ", "\u0000", "💥", "a".repeat(5000), "2024-02-30", "0000-00-00", "9999-12-31", "NaN", "Infinity", "__proto__", [], {}, [[[]]], { __proto__: { polluted: true } }),
  fc.double(),
  fc.integer(),
  fc.string({ maxLength: 40 }),
  fc.jsonValue({ maxDepth: 3 }),
);

type Json = unknown;
function paths(v: Json, prefix: (string | number)[] = []): (string | number)[][] {
  const here = [prefix];
  if (Array.isArray(v)) return here.concat(...v.map((x, i) => paths(x, [...prefix, i])));
  if (v && typeof v === "object") return here.concat(...Object.entries(v).map(([k, x]) => paths(x, [...prefix, k])));
  return here;
}
function mutate(seed: Json, path: (string | number)[], op: "set" | "delete" | "add", value: unknown, key: string): Json {
  if (path.length === 0) return op === "set" ? value : seed;
  const copy = structuredClone(seed) as any;
  let node = copy;
  for (const p of path.slice(0, -1)) node = node[p];
  const last = path[path.length - 1]!;
  if (op === "delete") {
    if (Array.isArray(node)) node.splice(Number(last), 1);
    else delete node[last];
  }
  else if (op === "add" && node && typeof node === "object" && !Array.isArray(node)) node[key] = value;
  else node[last] = value;
  return copy;
}

/** Mutations of a valid body (deep, type-confused), random JSON, and raw malformed text. */
function bodies(seed: Json): fc.Arbitrary<string> {
  const all = paths(seed);
  const mutated = fc
    .tuple(fc.constantFrom(...all), fc.constantFrom<"set" | "delete" | "add">("set", "delete", "add"), nasty, fc.constantFrom("__proto__", "constructor", "extra", "id", "observations"))
    .map(([p, op, v, k]) => JSON.stringify(mutate(seed, p, op, v, k)));
  const twice = fc.tuple(mutated, fc.constantFrom(...all), nasty).map(([s, p, v]) => {
    try {
      return JSON.stringify(mutate(JSON.parse(s), p, "set", v, ""));
    } catch {
      return s;
    }
  });
  const rawText = fc.oneof(
    fc.string({ maxLength: 200 }),
    fc.constantFrom(JSON.stringify(seed).replace(/\d+(\.\d+)?/, "1e999"), JSON.stringify(seed).slice(0, -1), `${JSON.stringify(seed)}garbage`, '{"__proto__":{"isAdmin":true}}'),
  );
  return fc.oneof({ arbitrary: mutated, weight: 5 }, { arbitrary: twice, weight: 2 }, { arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)), weight: 2 }, { arbitrary: rawText, weight: 1 });
}

describe.each(backends)("fuzzing every write route with fast-check ($name)", (backend) => {
  let t: SecuredTestApp;
  let routes: WriteRoute[];
  let cohortId: string;
  let admin: Record<string, string>;
  const createdCohorts: string[] = [];

  beforeAll(async () => {
    t = await createSecuredTestApp(backend);
    routes = await writeRoutes(t.app);
    admin = apiKeyHeader((await t.key(["*:admin"])).token);
    cohortId = uniqueId("fz");
    expect((await send(t.app, "POST", "/v1/cohorts", { cohortId, name: "fuzz" }, admin)).status).toBe(201);
    expect((await send(t.app, "PUT", `/v1/cohorts/${cohortId}/patients/P1`, { sex: "F", birthYear: 1960 }, admin)).status).toBe(201);
    for (const [key, date] of [["S1", "2024-01-10"], ["S2", "2024-03-10"]] as const) {
      const res = await send(t.app, "PUT", `/v1/cohorts/${cohortId}/patients/P1/studies/${key}`, studyBody(date, [{ pos: [0, 0, 0], long: 22, embedding: [1, 0, 0] }, { pos: [80, 0, 0], long: 15, embedding: [0, 1, 0] }]), admin);
      expect(res.status).toBe(201);
    }
  });
  afterAll(async () => {
    for (const id of [cohortId, ...createdCohorts]) await dropCohort(t.handle, id);
    await t.close();
  });

  /** Valid bodies for the routes whose schema-derived example is too thin to reach deep code. */
  const seeds: Record<string, () => unknown> = {
    "POST /v1/cohorts": () => ({ cohortId: uniqueId("fzc"), name: "fuzzed", protocol: { criteria: "RECIST1.1" }, settings: { scanIntervalDays: 56 } }),
    "PUT /v1/cohorts/{cohortId}/patients/{patientId}": () => ({ sex: "M", birthYear: 1955, referenceDate: "2024-01-01", metadata: { arm: "A" } }),
    "PUT /v1/cohorts/{cohortId}/patients/{patientId}/studies/{studyKey}": () => studyBody("2024-05-10", [{ pos: [1, 0, 0], long: 20, embedding: [1, 0, 0] }, { pos: [80, 2, 0], long: 14, embedding: [0, 1, 0] }]),
    "POST /v1/cohorts/{cohortId}/patients/{patientId}/corrections": () => ({ action: "confirm-link", fromObservationId: "S1/1", toObservationId: "S2/1", note: "fuzz" }),
  };

  it("found the write routes in the OpenAPI document", () => {
    expect(routes.map((r) => `${r.method} ${r.template}`)).toEqual(expect.arrayContaining(Object.keys(seeds)));
  });

  it(`never answers 5xx and never half-writes (${RUNS} runs per route)`, async () => {
    const report: string[] = [];
    for (const r of routes) {
      const id = `${r.method} ${r.template}`;
      const seed = seeds[id]?.() ?? r.example;
      const path = fillPath(r.template, { cohortId, patientId: "P1", studyKey: "S3" });
      let statuses: Record<number, number> = {};
      await fc.assert(
        fc.asyncProperty(bodies(seed), async (body) => {
          const before = await snapshotCohort(t.handle, cohortId);
          const res = await t.app.request(path, { method: r.method, headers: { ...admin, "content-type": r.contentType }, body });
          const text = await res.text();
          statuses[res.status] = (statuses[res.status] ?? 0) + 1;
          expect(res.status, `${id} ${body.slice(0, 300)} -> ${text.slice(0, 300)}`).toBeLessThan(500);
          expect(text).not.toMatch(/at .*\.ts:\d+/);
          if (res.status >= 400) {
            expect(res.headers.get("content-type")).toContain("application/problem+json");
            expect(await snapshotCohort(t.handle, cohortId), `${id} failed with ${res.status} but wrote: ${body.slice(0, 300)}`).toEqual(before);
          }
          if (r.template === "/v1/cohorts") {
            const made = res.status === 201 ? (JSON.parse(text) as { cohortId: string }).cohortId : null;
            if (made) createdCohorts.push(made);
            let claimed: unknown;
            try {
              claimed = (JSON.parse(body) as { cohortId?: unknown })?.cohortId;
            } catch {
              claimed = undefined;
            }
            if (res.status >= 400 && typeof claimed === "string" && claimed !== cohortId && !createdCohorts.includes(claimed)) {
              const rows = await t.handle.db.execute(sql`select count(*)::int as n from cohorts where cohort_id = ${claimed}`);
              expect(Number(((Array.isArray(rows) ? rows : (rows as any).rows) as { n: number }[])[0]?.n)).toBe(0);
            }
          }
        }),
        { numRuns: RUNS, seed: Number(process.env.FUZZ_SEED ?? 20261127) },
      );
      report.push(`${id}: ${JSON.stringify(statuses)}`);
      statuses = {};
    }
    console.info(`[fuzz ${backend.name}] ${RUNS} runs per route, status counts:\n  ${report.join("\n  ")}`);
  });
});

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

/** Text bodies (CSV uploads): cells replaced by nasty values, lines dropped or doubled, cut short, or random text. */
function textBodies(seed: string): fc.Arbitrary<string> {
  const lines = seed.trimEnd().split("\n");
  const cell = fc.tuple(fc.nat({ max: lines.length - 1 }), fc.nat({ max: 30 }), nasty).map(([li, ci, v]) => {
    const copy = lines.map((l) => l.split(","));
    const row = copy[li]!;
    row[ci % row.length] = typeof v === "string" ? v : JSON.stringify(v) ?? "";
    return `${copy.map((r) => r.join(",")).join("\n")}\n`;
  });
  const shuffle = fc.tuple(fc.nat({ max: lines.length - 1 }), fc.boolean()).map(([li, drop]) => {
    const copy = [...lines];
    if (drop) copy.splice(li, 1);
    else copy.splice(li, 0, copy[li]!);
    return `${copy.join("\n")}\n`;
  });
  const cut = fc.nat({ max: seed.length }).map((n) => seed.slice(0, n));
  return fc.oneof({ arbitrary: cell, weight: 5 }, { arbitrary: shuffle, weight: 2 }, { arbitrary: cut, weight: 2 }, { arbitrary: fc.string({ maxLength: 300 }), weight: 1 });
}

const DL_HEADER = "File_name,Patient_index,Study_index,Series_ID,Key_slice_index,Measurement_coordinates,Bounding_boxes,Lesion_diameters_Pixel_,Normalized_lesion_location,Coarse_lesion_type,Possibly_noisy,Slice_range,Spacing_mm_px_,Image_size,DICOM_windows,Patient_gender,Patient_age,Train_Val_Test";
const dlRow = (p: number, s: number, k: number) =>
  `${String(p).padStart(6, "0")}_0${s}_01_${k}.png,${p},${s},1,${k},"390.1, 196.3, 382.5, 180.0, 378.9, 191.6, 393.6, 184.7","373.9, 175.0, 398.6, 201.3","18.0154, 16.1832","0.836722, 0.328687, 0.751075",5,0,"195, 255","0.790804, 0.790804, 1","512, 512","-175, 275",F,26,1`;

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
    "POST /v1/cohorts/{cohortId}/imports/csv": () =>
      "patient_id,study_key,date,x_mm,y_mm,z_mm,long_axis_mm,short_axis_mm,organ,nodal\nPF1,S1,2024-01-10,0,0,0,20,12,liver,false\nPF1,S2,2024-03-10,1,0,0,18,11,liver,false\n",
    "POST /v1/cohorts/{cohortId}/imports/deeplesion": () => `${DL_HEADER}\n${dlRow(901, 1, 225)}\n${dlRow(901, 2, 230)}\n`,
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
        fc.asyncProperty(typeof seed === "string" && !r.contentType.includes("json") ? textBodies(seed) : bodies(seed), async (body) => {
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

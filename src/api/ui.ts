import { Hono } from "hono";
import type { AppEnv } from "./env.ts";
import { problem } from "./errors.ts";

/**
 * The web page (/ui): plain ES modules from src/ui and uPlot from node_modules, read once on the
 * first request and kept in memory; no build step and nothing fetched from another origin.
 */
const OWN = ["index.html", "app.js", "api.js", "dom.js", "chart-common.js", "charts-cohort.js", "chart-timeline.js", "page-cohorts.js", "page-cohort.js", "page-patient.js", "time-axis.js", "review-queue.js", "style.css", "favicon.svg", "chart-skill.js"];
const VENDOR: Record<string, string> = {
  "vendor/uPlot.esm.js": "uplot/dist/uPlot.esm.js",
  "vendor/uPlot.min.css": "uplot/dist/uPlot.min.css",
  "vendor/uPlot.LICENSE": "uplot/LICENSE",
  // The API reference at /docs: Swagger UI from the pinned swagger-ui-dist, not from a CDN.
  "vendor/swagger-ui-bundle.js": "swagger-ui-dist/swagger-ui-bundle.js",
  "vendor/swagger-ui.css": "swagger-ui-dist/swagger-ui.css",
  "vendor/swagger-ui.LICENSE": "swagger-ui-dist/LICENSE",
};
const TYPES: Record<string, string> = { html: "text/html; charset=utf-8", js: "text/javascript; charset=utf-8", css: "text/css; charset=utf-8", svg: "image/svg+xml", LICENSE: "text/plain; charset=utf-8" };

/** Only same-origin scripts, styles and fetches; uPlot sets styles through the CSSOM, which CSP allows. */
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

interface Asset {
  body: string;
  type: string;
  etag: string;
}

let assets: Promise<Map<string, Asset>> | undefined;

async function loadAssets(): Promise<Map<string, Asset>> {
  // Imported here, not at the top: the Workers build shares app.ts and has no files to read.
  const [{ readFile }, { createRequire }, { createHash }] = await Promise.all([import("node:fs/promises"), import("node:module"), import("node:crypto")]);
  const require = createRequire(import.meta.url);
  const files: [string, string | URL][] = [
    ...OWN.map((name): [string, URL] => [name, new URL(`../ui/${name}`, import.meta.url)]),
    ...Object.entries(VENDOR).map(([name, spec]): [string, string] => [name, require.resolve(spec)]),
  ];
  const out = new Map<string, Asset>();
  for (const [name, path] of files) {
    const body = await readFile(path, "utf8");
    const type = TYPES[name.slice(name.lastIndexOf(".") + 1)] ?? "application/octet-stream";
    out.set(name, { body, type, etag: `"${createHash("sha256").update(body).digest("base64url").slice(0, 22)}"` });
  }
  return out;
}

async function serveAsset(c: import("hono").Context<AppEnv>, name: string): Promise<Response> {
  assets ??= loadAssets().catch((err: unknown) => {
    assets = undefined;
    throw err;
  });
  let all: Map<string, Asset>;
  try {
    all = await assets;
  } catch (err) {
    console.error("web page assets could not be read", err);
    return problem(c, "internal", "the web page's files could not be read in this runtime; the JSON API under /v1 still works");
  }
  const asset = all.get(name);
  if (!asset) return problem(c, "not_found", `no file ${c.req.path}`);
  const headers: Record<string, string> = { etag: asset.etag, "cache-control": "no-cache", "x-content-type-options": "nosniff", "referrer-policy": "no-referrer" };
  if (name.endsWith(".html")) Object.assign(headers, { "content-security-policy": CSP, "x-frame-options": "DENY" });
  if (c.req.header("if-none-match") === asset.etag) return c.body(null, 304, headers);
  return c.body(asset.body, 200, { ...headers, "content-type": asset.type });
}

export const uiRoutes = new Hono<AppEnv>()
  .get("/ui", (c) => serveAsset(c, "index.html"))
  .get("/ui/", (c) => serveAsset(c, "index.html"))
  .get("/ui/*", (c) => serveAsset(c, c.req.path.slice("/ui/".length)));

import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

describe("Cloudflare Workers bundle", () => {
  it("builds from the same createApp with wrangler --dry-run, without onnxruntime-node, PGlite or argon2", () => {
    const out = mkdtempSync(join(tmpdir(), "lesiontrack-worker-"));
    try {
      execFileSync(process.execPath, ["node_modules/wrangler/bin/wrangler.js", "deploy", "--dry-run", "--outdir", out], {
        env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true" },
        stdio: "pipe",
        timeout: 120_000,
      });
      const bundle = readFileSync(join(out, "worker.js"), "utf8");
      expect(bundle).toContain("createApp");
      expect(bundle).not.toMatch(/onnxruntime-node|InferenceSession/);
      expect(bundle).not.toContain("@electric-sql/pglite");
      expect(bundle).not.toContain("@node-rs/argon2");
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

describe("Workers entry (run in Node)", () => {
  it("answers 401 on /v1 without a JWT issuer configured, and serves /openapi.json", async () => {
    const { default: worker } = await import("../../src/worker.ts");
    const env = { HYPERDRIVE: { connectionString: "postgres://postgres@127.0.0.1:1/unused" } };
    const denied = await worker.fetch(new Request("http://worker.test/v1/cohorts", { headers: { "x-api-key": "lt_abc_def" } }), env, {});
    expect(denied.status).toBe(401);
    expect(denied.headers.get("content-type")).toContain("application/problem+json");
    const doc = await worker.fetch(new Request("http://worker.test/openapi.json"), env, {});
    expect(doc.status).toBe(200);
  });
});

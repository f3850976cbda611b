import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

describe("Cloudflare Workers bundle", () => {
  it("builds from the same createApp with wrangler --dry-run, without onnxruntime-node or PGlite", () => {
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
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

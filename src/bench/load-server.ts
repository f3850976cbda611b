// Child process of `bench load`: the real server (openRuntime + createApp + node:http, with
// authentication and rate limiting as configured by the environment) on 127.0.0.1, port 0.
import { parseEnv } from "../env.ts";
import { listen, openRuntime } from "../server.ts";

const rt = await openRuntime(parseEnv());
// Ablation only (never in production): the same app without authentication and rate limiting.
if (process.env.LT_BENCH_OPEN === "1") {
  delete rt.deps.authenticate;
  delete rt.deps.rateLimit;
}
const { port } = await listen(rt.deps, 0, "127.0.0.1");
process.stdout.write(`READY ${port} ${rt.predictor.kind}\n`);
process.on("SIGTERM", () => void rt.handle.close().finally(() => process.exit(0)));

// Child process of `bench load`: the ceiling. A bare node:http server answering each timeline
// path with the very bytes (and headers) the API sends, from memory, with no routing framework.
import { createServer } from "node:http";
import { readFileSync } from "node:fs";

const bodies = new Map<string, Buffer>(Object.entries(JSON.parse(readFileSync(process.env.LT_BARE_BODIES!, "utf8")) as Record<string, string>).map(([k, v]) => [k, Buffer.from(v)]));
const server = createServer((req, res) => {
  const body = bodies.get(req.url ?? "");
  if (!body) return res.writeHead(404).end();
  res.writeHead(200, { "content-type": "application/json", "content-length": body.length, etag: '"r1"', "cache-control": "private, no-cache" }).end(body);
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => process.stdout.write(`READY ${(server.address() as { port: number }).port}\n`));
process.on("SIGTERM", () => server.close(() => process.exit(0)));

import { OpenAPIHono } from "@hono/zod-openapi";
import { swaggerUI } from "@hono/swagger-ui";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import { checkHealth } from "../service/health.ts";
import type { AppDeps, AppEnv } from "./env.ts";
import { OPEN_ACCESS } from "./open-access.ts";
import { CORS_EXPOSED } from "./cors.ts";
import { problem, problemFromError, validationHook } from "./errors.ts";
import { requestId } from "./middleware/request-id.ts";
import { cohortGuard } from "./middleware/auth.ts";
import { cohortRoutes } from "./routes/cohorts.ts";
import { patientRoutes } from "./routes/patients.ts";
import { studyRoutes } from "./routes/studies.ts";
import { ingestRoutes } from "./routes/ingest.ts";
import { keyRoutes } from "./routes/keys.ts";
import { viewRoutes } from "./routes/views.ts";
import { forecastSkillRoutes } from "./routes/forecast-skill.ts";
import { importRoutes, isStreamedUpload } from "./routes/imports.ts";
import { srRoutes } from "./routes/sr.ts";
import { auditRoutes } from "./routes/audit.ts";
import { correctionRoutes } from "./routes/corrections.ts";
import { recistRoutes } from "./routes/recist.ts";
import { exportRoutes } from "./routes/exports.ts";
import { reviewQueueRoutes } from "./routes/review-queue.ts";
import { uiRoutes } from "./ui.ts";

const DOCS_HTML = `<div id="swagger-ui"></div>
<link rel="stylesheet" href="/ui/vendor/swagger-ui.css" />
<script src="/ui/vendor/swagger-ui-bundle.js"></script>
<script>window.onload = () => { window.ui = SwaggerUIBundle({ dom_id: "#swagger-ui", url: "/openapi.json" }); };</script>`;

/** Builds the HTTP app around injected dependencies; no server, so tests call app.request(). */
export function createApp(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook as never });

  app.use("*", requestId());
  if (deps.config.corsOrigins.length > 0) {
    app.use("*", cors({ origin: deps.config.corsOrigins, exposeHeaders: CORS_EXPOSED, maxAge: 600 }));
  }
  const jsonBodyLimit = bodyLimit({ maxSize: deps.config.bodyLimitBytes, onError: (c) => problem(c, "payload_too_large", `request body exceeds ${deps.config.bodyLimitBytes} bytes`) });
  // CSV uploads stream into the import with their own limit (routes/imports.ts), never buffered here.
  // GET/HEAD/DELETE carry no body; skipping them keeps the hot read path off the body machinery.
  const mayHaveBody = (method: string) => method === "POST" || method === "PUT" || method === "PATCH";
  app.use("/v1/*", (c, next) => (!mayHaveBody(c.req.method) || isStreamedUpload(c.req.path) ? next() : jsonBodyLimit(c, next)));
  app.use("/v1/*", async (c, next) => {
    let principal = OPEN_ACCESS;
    if (deps.authenticate) {
      const found = await deps.authenticate(c.req.raw);
      if (!found) {
        c.header("www-authenticate", 'Bearer realm="lesiontrack"');
        return problem(c, "unauthorized", "a valid API key (X-API-Key or Authorization: Bearer) is required");
      }
      principal = found;
    }
    c.set("principal", principal);
    c.set("ctx", {
      db: deps.db, clock: deps.clock, predictor: deps.predictor, actor: principal.id, requestId: c.get("requestId"),
      // Read when a use case runs (inside the handler), so the audit log names the route, not "/v1/*".
      get route() {
        return `${c.req.method} ${c.req.routePath}`;
      },
      ...(deps.timelineCache ? { timelineCache: deps.timelineCache } : {}),
      ...(deps.authenticate && "forget" in deps.authenticate ? { forgetKey: deps.authenticate.forget as (keyId: string) => void } : {}),
    });
    await next();
  });
  if (deps.rateLimit) app.use("/v1/*", deps.rateLimit);
  app.use("/v1/*", cohortGuard());
  app.use("/v1/*", async (c, next) => {
    if (mayHaveBody(c.req.method) && !(c.req.header("content-type") ?? "").toLowerCase().includes("json") && !isStreamedUpload(c.req.path)) {
      return problem(c, "unsupported_media_type", "send the body as application/json");
    }
    await next();
  });

  app.route("/", cohortRoutes);
  app.route("/", patientRoutes);
  app.route("/", studyRoutes);
  app.route("/", ingestRoutes);
  app.route("/", correctionRoutes);
  app.route("/", recistRoutes);
  app.route("/", viewRoutes);
  app.route("/", forecastSkillRoutes);
  app.route("/", reviewQueueRoutes);
  app.route("/", importRoutes);
  app.route("/", srRoutes);
  app.route("/", auditRoutes);
  app.route("/", exportRoutes);
  if (deps.keys) app.route("/", keyRoutes(deps.keys));
  app.route("/", uiRoutes);

  app.get("/health", async (c) => {
    return c.json(await checkHealth(deps));
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "apiKey", { type: "apiKey", in: "header", name: "X-API-Key" });
  app.openAPIRegistry.registerComponent("securitySchemes", "bearer", { type: "http", scheme: "bearer" });
  app.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: { title: "lesiontrack", version: "0.1.0", description: "Longitudinal lesion tracking: matching, RECIST 1.1 / iRECIST, growth forecasts, timelines" },
    security: [{ apiKey: [] }, { bearer: [] }],
  });
  // Same-origin assets (served by uiRoutes from node_modules), so /docs works without internet.
  app.get("/docs", swaggerUI({ url: "/openapi.json", title: "lesiontrack API", manuallySwaggerUIHtml: () => DOCS_HTML }));
  app.get("/", (c) => c.redirect("/ui"));

  app.notFound((c) => problem(c, "not_found", `no route ${c.req.method} ${c.req.path}`));
  app.onError((err, c) => problemFromError(c, err));
  return app;
}

export type App = ReturnType<typeof createApp>;

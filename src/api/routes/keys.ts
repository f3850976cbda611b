import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { KeyAdmin } from "../../service/keys.ts";
import { keyInput } from "../../service/inputs/key.ts";
import { AppError } from "../../service/errors.ts";
import { formatScope, type Scope } from "../../auth/scopes.ts";
import { hasRole } from "../access.ts";
import type { AppEnv } from "../env.ts";
import { errorResponses, json } from "./common.ts";
import { AuditEntry, AuditQuery } from "./audit.ts";
import { router } from "./router.ts";

const ScopeText = z.string().openapi({ example: "trial-1:read", description: "COHORT:ROLE, ROLE read|write|admin, COHORT * for every cohort" });
const KeyInfo = z
  .object({ keyId: z.string(), name: z.string(), scopes: z.array(ScopeText), createdAt: z.string(), revokedAt: z.string().nullable() })
  .openapi("ApiKey");

const list = createRoute({
  method: "get",
  path: "/v1/keys",
  tags: ["keys"],
  summary: "The API keys this credential administers (every scope within its admin scopes); never secrets",
  responses: { 200: json(z.object({ items: z.array(KeyInfo) }), "keys, revoked ones marked"), ...errorResponses },
});

const create = createRoute({
  method: "post",
  path: "/v1/keys",
  tags: ["keys"],
  summary: "Create an API key with scopes this credential administers; the key is in the answer once and never stored",
  request: { body: { required: true, content: { "application/json": { schema: keyInput.extend({ scopes: z.array(ScopeText).min(1) }).openapi("KeyInput") } } } },
  responses: { 201: json(KeyInfo.omit({ revokedAt: true }).extend({ token: z.string().describe("lt_<keyId>_<secret>: show it to its owner now") }), "the new key"), ...errorResponses },
});

const revoke = createRoute({
  method: "delete",
  path: "/v1/keys/{keyId}",
  tags: ["keys"],
  summary: "Revoke a key this credential administers (idempotent); this server refuses it at once, others within API_KEY_CACHE_TTL_MS",
  request: { params: z.object({ keyId: z.string().regex(/^[0-9a-f]{12}$/).openapi({ param: { name: "keyId", in: "path" }, example: "025ef0455d2d" }) }) },
  responses: { 200: json(z.object({ keyId: z.string(), name: z.string(), revokedAt: z.string() }), "revoked"), ...errorResponses },
});

const audit = createRoute({
  method: "get",
  path: "/v1/keys/audit",
  tags: ["keys", "audit"],
  summary: "Key events (key.create, key.revoke; from the API and the CLI), newest first, for the keys this credential administers",
  request: { query: AuditQuery },
  responses: { 200: json(z.object({ items: z.array(AuditEntry), nextCursor: z.string().nullable() }), "a page of entries (fewer than limit when some concern keys this credential does not administer)"), ...errorResponses },
});

/** A credential may manage a key when it administers every cohort the key reaches ("*" needs *:admin). */
const manages = (c: Context<AppEnv>) => (scopes: readonly Scope[]) => scopes.every((s) => hasRole(c.get("principal"), s.cohortId, "admin"));

/** Injected (AppDeps.keys): an app built without key management has no key routes. */
export const keyRoutes = (keys: KeyAdmin) =>
  router()
  .openapi(list, async (c) => {
    const mine = manages(c);
    const items = (await keys.list({ ctx: c.get("ctx") })).filter((k) => mine(k.scopes)).map((k) => ({ ...k, scopes: k.scopes.map(formatScope) }));
    return c.json({ items }, 200);
  })
  .openapi(create, async (c) => {
    const input = keyInput.parse(c.req.valid("json"));
    const refused = input.scopes.find((s) => !manages(c)([s]));
    if (refused) throw new AppError("forbidden", `this credential may not grant ${formatScope(refused)}: it needs admin on ${refused.cohortId === "*" ? "every cohort (*:admin)" : `cohort ${refused.cohortId}`}`);
    const key = await keys.create({ ctx: c.get("ctx"), input: { name: input.name, scopes: input.scopes.map(formatScope) } });
    return c.json({ ...key, scopes: key.scopes.map(formatScope) }, 201);
  })
  .openapi(audit, async (c) => {
    const { cursor, limit } = c.req.valid("query");
    return c.json(await keys.audit({ ctx: c.get("ctx"), limit, mayManage: manages(c), ...(cursor !== undefined ? { cursor } : {}) }), 200);
  })
  .openapi(revoke, async (c) => {
    const { keyId } = c.req.valid("param");
    return c.json(await keys.revoke({ ctx: c.get("ctx"), keyId, mayRevoke: manages(c) }), 200);
  });

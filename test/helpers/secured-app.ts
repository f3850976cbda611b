import { createServer, type Server } from "node:http";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inArray } from "drizzle-orm";
import { exportJWK, generateKeyPair, SignJWT, type JSONWebKeySet, type JWTPayload } from "jose";
import { createAuthenticator, type Authenticator } from "../../src/auth/authenticate.ts";
import { createJwtVerifier, type JwtOptions } from "../../src/auth/jwt.ts";
import { rateLimit } from "../../src/api/middleware/rate-limit.ts";
import { apiKeys } from "../../src/db/schema/index.ts";
import { createKey } from "../../src/service/keys-create.ts";
import { lookupKey } from "../../src/service/keys-lookup.ts";
import { revokeKey } from "../../src/service/keys-revoke.ts";
import type { AppDeps } from "../../src/api/env.ts";
import type { Backend } from "./backends.ts";
import { createTestApp, type TestApp } from "./test-app.ts";

export const JWT_ISSUER = "https://idp.test.invalid/";
export const JWT_AUDIENCE = "lesiontrack-tests";

export interface SecuredOptions {
  /** How a JWKS reaches the verifier: in memory, from a local file, or over HTTP on 127.0.0.1. */
  jwksSource?: "object" | "file" | "url";
  rateLimit?: { limit: number; windowMs: number };
  /** Key cache TTL (ms); 0 (default) re-reads the key row on every request, so revocation is immediate. */
  cacheTtlMs?: number;
  now?: () => number;
  overrides?: Partial<AppDeps>;
}

export interface SecuredTestApp extends TestApp {
  authenticator: Authenticator;
  /** Creates a key with `cohort:role` scopes (removed again by close()). */
  key(scopes: string[], name?: string): Promise<{ keyId: string; token: string }>;
  revoke(keyId: string): Promise<void>;
  /** Signs a JWT with the test issuer's private key (ES256); claims override the defaults. */
  jwt(claims: JWTPayload, options?: { expiresIn?: string; audience?: string; issuer?: string }): Promise<string>;
  /** A JWT signed by a key the server does not trust. */
  foreignJwt(claims: JWTPayload): Promise<string>;
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
export const apiKeyHeader = (token: string) => ({ "x-api-key": token });

/**
 * The real app with access control on: API keys in the test database, JWTs from a freshly
 * generated key pair published as a JWKS (no external network), optional rate limit.
 */
export async function createSecuredTestApp(backend: Backend, options: SecuredOptions = {}): Promise<SecuredTestApp> {
  const { privateKey, publicKey } = await generateKeyPair("ES256", { extractable: true });
  const foreign = await generateKeyPair("ES256", { extractable: true });
  const jwks: JSONWebKeySet = { keys: [{ ...(await exportJWK(publicKey)), kid: "test-1", alg: "ES256", use: "sig" }] };

  let server: Server | undefined;
  let dir: string | undefined;
  const source: Pick<JwtOptions, "jwks" | "jwksFile" | "jwksUrl"> = {};
  if (options.jwksSource === "url") {
    server = createServer((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(jwks)));
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    source.jwksUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}/.well-known/jwks.json`;
  } else if (options.jwksSource === "file") {
    dir = mkdtempSync(join(tmpdir(), "lt-jwks-"));
    source.jwksFile = join(dir, "jwks.json");
    writeFileSync(source.jwksFile, JSON.stringify(jwks));
  } else {
    source.jwks = jwks;
  }

  const holder: { auth?: Authenticator } = {};
  const t = await createTestApp(backend, {
    ...options.overrides,
    // The authenticator needs the test database, so it is bound after the app exists; peek and
    // forget are passed through so a real server's timeline fast path can use this one too.
    authenticate: Object.assign((req: Request) => holder.auth!(req), {
      peek: (token: string | null) => holder.auth!.peek(token),
      forget: (keyId: string) => holder.auth!.forget(keyId),
    }),
    ...(options.rateLimit ? { rateLimit: rateLimit(options.rateLimit) } : {}),
  });
  const authenticator = createAuthenticator({
    lookupKey: (keyId) => lookupKey({ ctx: { db: t.handle.db }, keyId }),
    verifyJwt: createJwtVerifier({ ...source, issuer: JWT_ISSUER, audience: JWT_AUDIENCE, ...(options.now ? { now: options.now } : {}) }),
    cacheTtlMs: options.cacheTtlMs ?? 0,
    ...(options.now ? { now: options.now } : {}),
  });
  holder.auth = authenticator;

  const created: string[] = [];
  const ctx = { db: t.handle.db, clock: t.deps.clock };
  const sign = (key: CryptoKey, claims: JWTPayload, o: { expiresIn?: string; audience?: string; issuer?: string } = {}) =>
    new SignJWT({ sub: "user-1", ...claims })
      .setProtectedHeader({ alg: "ES256", kid: "test-1" })
      .setIssuedAt()
      .setIssuer(o.issuer ?? JWT_ISSUER)
      .setAudience(o.audience ?? JWT_AUDIENCE)
      .setExpirationTime(claims.exp ?? o.expiresIn ?? "5m")
      .sign(key);

  return {
    ...t,
    authenticator,
    async key(scopes, name = "test") {
      const k = await createKey({ ctx, input: { name, scopes } });
      created.push(k.keyId);
      return { keyId: k.keyId, token: k.token };
    },
    async revoke(keyId) {
      await revokeKey({ ctx, keyId });
    },
    jwt: (claims, o) => sign(privateKey, claims, o),
    foreignJwt: (claims) => sign(foreign.privateKey, claims),
    async close() {
      if (created.length > 0) await t.handle.db.delete(apiKeys).where(inArray(apiKeys.keyId, created));
      server?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
      await t.close();
    },
  };
}

// ---- the route table: every /v1 operation of the OpenAPI document ----

export interface RouteEntry {
  method: string;
  /** OpenAPI path template, e.g. /v1/cohorts/{cohortId}/patients/{patientId}/timeline */
  template: string;
  hasBody: boolean;
  /** Whether the path names a cohort (so a credential without scope on it must get 404). */
  cohortScoped: boolean;
  /** The operation's required query parameters, each with a valid value ("?a=b"), or "". */
  requiredQuery: string;
}

type QueryParam = { in?: string; name?: string; required?: boolean; schema?: { enum?: unknown[]; example?: unknown; default?: unknown } };

/** A valid value for each required query parameter: its first enum value, example or default. */
function requiredQueryOf(params: QueryParam[] | undefined): string {
  const q = new URLSearchParams();
  for (const p of params ?? []) {
    if (p.in !== "query" || !p.required || !p.name) continue;
    q.set(p.name, String(p.schema?.enum?.[0] ?? p.schema?.example ?? p.schema?.default ?? "1"));
  }
  const text = q.toString();
  return text ? `?${text}` : "";
}

/**
 * Every /v1 operation of the app's own OpenAPI document: security tests iterate this list, so a
 * route added later is covered without anyone remembering to add it.
 */
export async function routeTable(app: TestApp["app"]): Promise<RouteEntry[]> {
  const doc = (await (await app.request("/openapi.json")).json()) as { paths: Record<string, Record<string, { requestBody?: unknown; parameters?: QueryParam[] }>> };
  const out: RouteEntry[] = [];
  for (const [template, ops] of Object.entries(doc.paths)) {
    if (!template.startsWith("/v1/")) continue;
    for (const [method, op] of Object.entries(ops)) {
      if (!["get", "put", "post", "patch", "delete"].includes(method)) continue;
      out.push({ method: method.toUpperCase(), template, hasBody: op.requestBody !== undefined, cohortScoped: template.startsWith("/v1/cohorts/{cohortId}"), requiredQuery: requiredQueryOf(op.parameters) });
    }
  }
  return out;
}

/** Fills a template's parameters: the given values, else "1" (an id that parses but need not exist). */
export function fillPath(template: string, values: Record<string, string>): string {
  return template.replace(/\{([^}]+)\}/g, (_m, name: string) => encodeURIComponent(values[name] ?? "1"));
}

export const isWrite = (r: RouteEntry): boolean => r.method !== "GET";

export interface WriteRoute extends RouteEntry {
  contentType: string;
  /** A plausible body built from the route's request schema (first choice of every union). */
  example: unknown;
}

/** Write routes with a request body, each with its content type and a schema-derived example. */
export async function writeRoutes(app: TestApp["app"]): Promise<WriteRoute[]> {
  const doc = (await (await app.request("/openapi.json")).json()) as any;
  const out: WriteRoute[] = [];
  for (const r of await routeTable(app)) {
    if (!r.hasBody) continue;
    const content = doc.paths[r.template][r.method.toLowerCase()].requestBody.content as Record<string, { schema?: unknown }>;
    const contentType = "application/json" in content ? "application/json" : Object.keys(content)[0]!;
    out.push({ ...r, contentType, example: exampleOf(content[contentType]?.schema, doc, 0) });
  }
  return out;
}

/** A small JSON-Schema example generator: enough for fuzz seeds, not a validator. */
function exampleOf(schema: any, doc: any, depth: number): unknown {
  if (!schema || depth > 8) return null;
  if (schema.$ref) return exampleOf(doc.components.schemas[String(schema.$ref).split("/").pop()!], doc, depth + 1);
  if (schema.example !== undefined) return schema.example;
  if (schema.default !== undefined) return schema.default;
  if (schema.enum) return schema.enum[0];
  if (schema.oneOf ?? schema.anyOf) return exampleOf((schema.oneOf ?? schema.anyOf)[0], doc, depth + 1);
  if (schema.allOf) return Object.assign({}, ...schema.allOf.map((s: unknown) => exampleOf(s, doc, depth + 1)));
  const type = Array.isArray(schema.type) ? schema.type.find((x: string) => x !== "null") : schema.type;
  switch (type) {
    case "object":
      return Object.fromEntries(Object.entries(schema.properties ?? {}).map(([k, s]) => [k, exampleOf(s, doc, depth + 1)]));
    case "array":
      return schema.prefixItems ? schema.prefixItems.map((s: unknown) => exampleOf(s, doc, depth + 1)) : [exampleOf(schema.items, doc, depth + 1)];
    case "string":
      return schema.pattern?.includes("\\d{4}") ? "2024-03-01" : schema.format === "binary" ? "a,b\n1,2\n" : "S1/1";
    case "integer":
    case "number":
      return schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : 1);
    case "boolean":
      return false;
    default:
      return null;
  }
}

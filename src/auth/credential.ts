/** Reads the credential: `X-API-Key: lt_...` or `Authorization: Bearer <key or JWT>`. */
export function credentialOf(req: Request): string | null {
  const header = req.headers.get("x-api-key");
  if (header) return header.trim();
  const auth = req.headers.get("authorization");
  const m = auth ? /^Bearer\s+(\S+)\s*$/i.exec(auth) : null;
  return m ? m[1]! : null;
}

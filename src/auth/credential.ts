/** The credential of `X-API-Key: lt_...` or `Authorization: Bearer <key or JWT>` header values. */
export function credentialFrom(apiKey: string | null | undefined, authorization: string | null | undefined): string | null {
  if (apiKey) return apiKey.trim();
  const m = authorization ? /^Bearer\s+(\S+)\s*$/i.exec(authorization) : null;
  return m ? m[1]! : null;
}

/** Reads the credential of a fetch Request. */
export function credentialOf(req: Request): string | null {
  return credentialFrom(req.headers.get("x-api-key"), req.headers.get("authorization"));
}

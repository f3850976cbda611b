/** One part of a multipart/related body (STOW-RS style): its media type and bytes. */
export interface Part {
  type: string;
  bytes: Uint8Array;
}

/** The boundary parameter of a multipart Content-Type header, unquoted; null when absent. */
export function boundaryOf(contentType: string): string | null {
  const m = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return m ? (m[1] ?? m[2] ?? null) : null;
}

const indexOf = (hay: Uint8Array, needle: Uint8Array, from: number): number => {
  outer: for (let i = from; i <= hay.length - needle.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
};

/**
 * Splits a multipart body (RFC 2046) into parts, byte-exact (DICOM is binary). Throws with the
 * reason when the body has no boundary delimiter or ends without the closing one.
 */
export function splitMultipart(body: Uint8Array, boundary: string, defaultType: string): Part[] {
  const enc = new TextEncoder();
  const delimiter = enc.encode(`--${boundary}`);
  const parts: Part[] = [];
  let at = indexOf(body, delimiter, 0);
  if (at < 0) throw new Error(`no multipart boundary "${boundary}" in the body`);
  for (;;) {
    let start = at + delimiter.length;
    if (body[start] === 0x2d && body[start + 1] === 0x2d) return parts; // "--": the closing delimiter
    if (body[start] === 0x0d && body[start + 1] === 0x0a) start += 2;
    const headerEnd = indexOf(body, enc.encode("\r\n\r\n"), start);
    if (headerEnd < 0) throw new Error(`multipart part ${parts.length + 1} has no header end`);
    const next = indexOf(body, enc.encode(`\r\n--${boundary}`), headerEnd + 4);
    if (next < 0) throw new Error(`multipart part ${parts.length + 1} has no closing boundary (truncated body?)`);
    const headers = new TextDecoder().decode(body.subarray(start, headerEnd));
    const type = /^content-type:\s*([^\r\n]+)/im.exec(headers)?.[1]?.trim() ?? defaultType;
    parts.push({ type, bytes: body.subarray(headerEnd + 4, next) });
    at = next + 2;
  }
}

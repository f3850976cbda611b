import { createHash } from "node:crypto";

/** A DICOM UID: dot-separated numbers without leading zeros, at most 64 characters. */
export const isDicomUid = (s: string): boolean => s.length <= 64 && /^(0|[1-9]\d*)(\.(0|[1-9]\d*))+$/.test(s);

/**
 * A UID under the 2.25 root (ISO/IEC 9834-8: a 128-bit number) derived from the parts, so the
 * same cohort, patient and track always get the same UID and different ones never share it.
 */
export function derivedUid(...parts: string[]): string {
  const digest = createHash("sha256").update(JSON.stringify(["lesiontrack", ...parts])).digest();
  return `2.25.${BigInt(`0x${digest.subarray(0, 16).toString("hex")}`).toString(10)}`;
}

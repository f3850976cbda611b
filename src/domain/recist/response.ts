/** Overall timepoint response (spec §9): Table 1 with target disease, Table 2 without. */
import type { NonTargetResp, Resp, TargetResp } from "./types.ts";

/** RECIST overall response from its components; target null means non-target-only disease. */
export function overallResponse(target: TargetResp | null, nonTarget: NonTargetResp | null, newLesion: boolean): Resp {
  if (target === "PD" || nonTarget === "PD" || newLesion) return "PD";
  if (target === null) {
    if (nonTarget === "CR") return "CR";
    if (nonTarget === "NE") return "NE";
    return "NON-CR/NON-PD";
  }
  if (target === "CR") return nonTarget === "CR" || nonTarget === null ? "CR" : "PR";
  return target; // PR, SD or NE with non-targets anything but PD
}

/** A stored observation as far as identity from DICOM SR goes: its id and the source the import kept. */
interface ObservationWithSource {
  id: string;
  source?: { trackingUid?: unknown; observer?: unknown; [k: string]: unknown } | null;
}

export interface TrackingLink {
  from: string;
  to: string;
  trackingUid: string;
  /** The reader who asserted the identity: the observer of the later report. */
  observer: string;
}

/**
 * A reader's links: observations of one patient that carry the same Tracking Unique Identifier in
 * different studies, chained in time order. A UID seen in one study only says nothing; a UID seen
 * twice within one study is ambiguous there, so that study is left out of its chain.
 * `studies` must be in time order.
 */
export function trackingUidLinks(studies: readonly { observations: readonly ObservationWithSource[] }[]): TrackingLink[] {
  const chains = new Map<string, { id: string; observer: string }[]>();
  for (const s of studies) {
    const inStudy = new Map<string, ObservationWithSource[]>();
    for (const o of s.observations) {
      const uid = o.source?.trackingUid;
      if (typeof uid === "string" && uid) inStudy.set(uid, [...(inStudy.get(uid) ?? []), o]);
    }
    for (const [uid, obs] of inStudy) {
      if (obs.length !== 1) continue;
      const o = obs[0]!;
      const chain = chains.get(uid) ?? [];
      chain.push({ id: o.id, observer: typeof o.source?.observer === "string" ? o.source.observer : "unknown observer" });
      chains.set(uid, chain);
    }
  }
  const links: TrackingLink[] = [];
  for (const [uid, chain] of chains)
    for (let i = 1; i < chain.length; i++) links.push({ from: chain[i - 1]!.id, to: chain[i]!.id, trackingUid: uid, observer: chain[i]!.observer });
  return links;
}

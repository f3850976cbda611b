import { describe, expect, it } from "vitest";
import { TimelineCache } from "../../src/service/timeline-cache.ts";

const note = (c: string, p: string, r: number) => JSON.stringify([c, p, r]);
const text = (bytes: Uint8Array | undefined) => (bytes ? new TextDecoder().decode(bytes) : undefined);

describe("timeline cache", () => {
  it("serves nothing until the subscription is live, and nothing after it is lost", () => {
    const cache = new TimelineCache();
    cache.offer("c/p", 1, "one");
    expect(cache.get("c/p")).toBeUndefined();
    cache.subscribed();
    cache.offer("c/p", 1, "one");
    expect(cache.get("c/p")).toMatchObject({ revision: 1 });
    expect(new TextDecoder().decode(cache.get("c/p")!.body)).toBe("one");
    cache.unsubscribed();
    expect(cache.get("c/p")).toBeUndefined();
  });

  it("drops a copy when a newer revision is announced, and refuses a read that raced the write", () => {
    const cache = new TimelineCache();
    cache.subscribed();
    cache.offer("c/p", 3, "three");
    cache.announce(note("c", "p", 4));
    expect(cache.get("c/p")).toBeUndefined();
    cache.offer("c/p", 3, "three (read before the commit, stored after the notice)");
    expect(cache.get("c/p")).toBeUndefined();
    cache.offer("c/p", 4, "four");
    expect(text(cache.get("c/p")?.body)).toBe("four");
    cache.announce(note("c", "p", 4));
    expect(text(cache.get("c/p")?.body)).toBe("four");
  });

  it("keeps at most maxEntries, least recently used out first, and ages copies out", () => {
    let now = 0;
    const cache = new TimelineCache(2, 1000, () => now);
    cache.subscribed();
    cache.offer("a", 1, "a");
    cache.offer("b", 1, "b");
    cache.get("a");
    cache.offer("c", 1, "c");
    expect(cache.get("b")).toBeUndefined();
    expect(text(cache.get("a")?.body)).toBe("a");
    now = 1001;
    expect(cache.get("a")).toBeUndefined();
  });

  it("starts empty after a malformed notice or a resubscription (messages may have been missed)", () => {
    const cache = new TimelineCache();
    cache.subscribed();
    cache.offer("c/p", 1, "one");
    cache.announce("not json");
    expect(cache.get("c/p")).toBeUndefined();
    cache.offer("c/p", 1, "one");
    cache.subscribed();
    expect(cache.get("c/p")).toBeUndefined();
  });
});

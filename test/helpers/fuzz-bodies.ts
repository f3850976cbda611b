import fc from "fast-check";

/**
 * Deep nesting cannot pass through JSON.stringify (its recursion overflows first), so a
 * generated body carries this marker and the nesting is spliced into the serialised text.
 */
const DEEP = "__fuzz_deep__";
const deepMarker = (levels: number, kind: "object" | "array") => ({ [DEEP]: `${kind}:${levels}` });
const DEEP_TEXT = new RegExp(`\\{"${DEEP}":"(object|array):(\\d+)"\\}`, "g");
export const serialise = (body: unknown): string =>
  JSON.stringify(body).replace(DEEP_TEXT, (_m, kind: string, n: string) => (kind === "object" ? `${'{"d":'.repeat(Number(n))}0${"}".repeat(Number(n))}` : `${"[".repeat(Number(n))}${"]".repeat(Number(n))}`));

/** Strings PostgreSQL refuses to store: NUL alone, inside text, at either end. */
const withNul = fc.oneof(fc.constant("\u0000"), fc.string({ maxLength: 12 }).map((s) => `${s}\u0000${s}`), fc.string({ maxLength: 8 }).map((s) => `\u0000${s}`));
/** Numbers no body, scanner or float arithmetic should meet: overflow on squaring, metres, beyond 2^53. */
const huge = fc.oneof(fc.constantFrom(1e308, -1e308, 1e300, 1e200, -1e155, 1e154, 6000, -5001, 2 ** 53 + 1, 5e-324), fc.double({ min: 1e10, max: 1e308, noNaN: true }));
/** Nesting around the bound (32) and far past it (a 25 kB body of 5,000 levels). */
const deep = fc.tuple(fc.oneof(fc.integer({ min: 30, max: 40 }), fc.integer({ min: 1000, max: 6000 })), fc.constantFrom<"object" | "array">("object", "array")).map(([n, k]) => deepMarker(n, k));

/** Values that break naive code: extremes, wrong types, odd strings, prototype keys, NUL, depth, huge numbers. */
export const nasty = fc.oneof(
  fc.constantFrom<unknown>(null, true, 0, -0, -1, "", " ", "💥", "a".repeat(5000), "2024-02-30", "0000-00-00", "9999-12-31", "NaN", "__proto__", [], {}, [[[]]]),
  withNul,
  huge,
  deep,
  fc.integer(),
  fc.string({ maxLength: 40 }),
  fc.jsonValue({ maxDepth: 3 }),
);
/** Keys added to objects: prototype names, NUL, and ordinary ones (free-form fields accept any key). */
const nastyKey = fc.oneof(fc.constantFrom("__proto__", "constructor", "extra", "id", "observations", "k\u0000", "\u0000"), fc.string({ maxLength: 10 }));

type Path = (string | number)[];
export function paths(v: unknown, prefix: Path = []): Path[] {
  const here = [prefix];
  if (Array.isArray(v)) return here.concat(...v.map((x, i) => paths(x, [...prefix, i])));
  if (v && typeof v === "object") return here.concat(...Object.entries(v).map(([k, x]) => paths(x, [...prefix, k])));
  return here;
}

function mutate(seed: unknown, path: Path, op: "set" | "delete" | "add", value: unknown, key: string): unknown {
  if (path.length === 0) return op === "set" ? value : seed;
  const copy = structuredClone(seed) as any;
  let node = copy;
  for (const p of path.slice(0, -1)) node = node[p];
  const last = path[path.length - 1]!;
  if (op === "delete") {
    if (Array.isArray(node)) node.splice(Number(last), 1);
    else delete node[last];
  } else if (op === "add" && node[last] && typeof node[last] === "object" && !Array.isArray(node[last])) node[last][key] = value;
  else node[last] = value;
  return copy;
}

/**
 * JSON bodies from a valid base: mostly one or two changes at one place (so the rest stays
 * valid and the request reaches the transaction), sometimes the base itself, rarely noise.
 */
export function jsonBodies(base: () => unknown): fc.Arbitrary<string> {
  const all = paths(base());
  const op = fc.constantFrom<"set" | "delete" | "add">("set", "set", "add", "delete");
  const once = fc.tuple(fc.constantFrom(...all), op, nasty, nastyKey).map(([p, o, v, k]) => mutate(base(), p, o, v, k));
  const twice = fc.tuple(once, fc.constantFrom(...all), op, nasty, nastyKey).map(([b, p, o, v, k]) => {
    try {
      return mutate(b, p, o, v, k);
    } catch {
      return b;
    }
  });
  const raw = fc.oneof(fc.string({ maxLength: 200 }), fc.constant("{"), fc.jsonValue().map((v) => JSON.stringify(v)));
  return fc.oneof(
    { arbitrary: fc.constant(null).map(() => serialise(base())), weight: 1 },
    { arbitrary: once.map(serialise), weight: 6 },
    { arbitrary: twice.map(serialise), weight: 2 },
    { arbitrary: raw, weight: 1 },
  );
}

/** CSV bodies: a cell replaced (NUL, huge numbers, noise), lines dropped or doubled, cut short, or random text. */
export function csvBodies(seed: string): fc.Arbitrary<string> {
  const lines = seed.trimEnd().split("\n");
  const cellValue = fc.oneof(withNul, huge.map(String), fc.string({ maxLength: 30 }), nasty.map((v) => (typeof v === "string" ? v : serialise(v) ?? "")));
  const cell = fc.tuple(fc.nat({ max: lines.length - 1 }), fc.nat({ max: 30 }), cellValue).map(([li, ci, v]) => {
    const copy = lines.map((l) => l.split(","));
    const row = copy[li]!;
    row[ci % row.length] = v;
    return `${copy.map((r) => r.join(",")).join("\n")}\n`;
  });
  const shuffle = fc.tuple(fc.nat({ max: lines.length - 1 }), fc.boolean()).map(([li, drop]) => {
    const copy = [...lines];
    if (drop) copy.splice(li, 1);
    else copy.splice(li, 0, copy[li]!);
    return `${copy.join("\n")}\n`;
  });
  const cut = fc.nat({ max: seed.length }).map((n) => seed.slice(0, n));
  return fc.oneof({ arbitrary: fc.constant(seed), weight: 1 }, { arbitrary: cell, weight: 6 }, { arbitrary: shuffle, weight: 2 }, { arbitrary: cut, weight: 2 }, { arbitrary: fc.string({ maxLength: 300 }), weight: 1 });
}

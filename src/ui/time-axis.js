// Where a patient's studies go on the x axis (days) and how that axis is labelled: dates and
// day offsets as days, DeepLesion's whole-year ages as years of age (never as synthetic dates).

const YEAR = 365.25;

/**
 * x position (days) of each study. On the age axis studies of the same age are spread
 * through that year by their order, so scans never sit on top of each other.
 */
export function studyAxis(doc) {
  const studies = doc.studies;
  const xs = studies.map((s) => s.timeDays);
  if (doc.timeAxis === "age" && studies[0]?.ageYears !== null && studies[0]?.ageYears !== undefined) {
    const groups = new Map();
    studies.forEach((s, i) => groups.set(s.timeDays, [...(groups.get(s.timeDays) ?? []), i]));
    for (const [t, members] of groups) members.forEach((i, k) => (xs[i] = t + (k * YEAR) / members.length));
    const age0 = studies[0].ageYears;
    const spread = [...groups.values()].some((m) => m.length > 1);
    return {
      xs,
      kind: "age",
      label: `age (years)${spread ? "; scans of the same age spread by their order within the year" : ""}`,
      splits: (min, max) => {
        const out = [];
        for (let y = Math.ceil(min / YEAR - 1e-9); y * YEAR <= max + 1e-9; y++) out.push(y * YEAR);
        return out;
      },
      tick: (v) => `${Math.round(age0 + v / YEAR)}`,
      at: (x) => `age ${(age0 + x / YEAR).toFixed(1)}`,
    };
  }
  if (doc.timeAxis === "order")
    return { xs, kind: "order", label: "scans in order (placed one scan interval apart: no dates)", splits: null, tick: (v) => `${v}`, at: (x) => `position ${Math.round(x)}` };
  const from = doc.timeAxis === "dayOffset" ? "days from the first study (day offsets)" : "days since first study";
  return { xs, kind: "days", label: from, splits: null, tick: (v) => `${v}`, at: (x) => `day ${Math.round(x)}` };
}

/** When a study was, in words that never show a synthetic date. */
export function whenOf(s, i) {
  if (s.date) return s.date;
  if (s.ageYears !== null && s.ageYears !== undefined) return `age ${s.ageYears}, scan ${i + 1}`;
  if (s.dayOffset !== null && s.dayOffset !== undefined) return `day ${s.dayOffset}`;
  return `scan ${i + 1}`;
}

/**
 * Places labels centred at x in up to `rows` rows so that none overlaps another; a label
 * with no free row is left out (the table below the chart lists every value).
 */
export function placeLabels(items, measure, { rows = 3, gap = 6 } = {}) {
  const ends = new Array(rows).fill(-Infinity);
  const placed = [];
  for (const it of [...items].sort((a, b) => a.x - b.x)) {
    const w = measure(it.text);
    const left = it.x - w / 2;
    const row = ends.findIndex((end) => end + gap <= left);
    if (row < 0) continue;
    ends[row] = left + w;
    placed.push({ ...it, row, left, width: w });
  }
  return placed;
}

import { median } from "simple-statistics";
export type Vec3 = readonly [number, number, number];

export const subtract = (a: Vec3, b: Vec3): Vec3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
export const add = (a: Vec3, b: Vec3): Vec3 => [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
export const scale = (a: Vec3, k: number): Vec3 => [a[0] * k, a[1] * k, a[2] * k];
export const norm = (a: Vec3): number => Math.hypot(a[0], a[1], a[2]);
export const distance = (a: Vec3, b: Vec3): number => norm(subtract(a, b));

export function centroid(points: readonly Vec3[]): Vec3 {
  if (points.length === 0) return [0, 0, 0];
  let x = 0, y = 0, z = 0;
  for (const p of points) { x += p[0]; y += p[1]; z += p[2]; }
  return [x / points.length, y / points.length, z / points.length];
}

/** Component-wise median: a robust centre of offsets. */
export function medianVec(points: readonly Vec3[]): Vec3 {
  const med = (xs: number[]): number => (xs.length === 0 ? 0 : median(xs));
  return [med(points.map((p) => p[0])), med(points.map((p) => p[1])), med(points.map((p) => p[2]))];
}

import { median } from "simple-statistics";
export type Vec3 = readonly [number, number, number];

export const subtract = (a: Vec3, b: Vec3): Vec3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
export const add = (a: Vec3, b: Vec3): Vec3 => [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
export const scale = (a: Vec3, k: number): Vec3 => [a[0] * k, a[1] * k, a[2] * k];
/** Euclidean length (sqrt of the sum of squares: Math.hypot's overflow guard is not needed at mm scale, and it is several times slower). */
export const norm = (a: Vec3): number => Math.sqrt(a[0] * a[0] + a[1] * a[1] + a[2] * a[2]);
export const distance = (a: Vec3, b: Vec3): number => {
  const x = a[0] - b[0], y = a[1] - b[1], z = a[2] - b[2];
  return Math.sqrt(x * x + y * y + z * z);
};

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

import type { Dataset } from "./shim.ts";
import { str } from "./content.ts";

type Vec3 = [number, number, number];

/** Where one image's pixels sit in the patient frame (Image Plane module). */
export interface ImageGeometry {
  sopInstanceUid: string;
  position: Vec3;
  rowDirection: Vec3;
  columnDirection: Vec3;
  /** [between rows, between columns] in mm, as Pixel Spacing orders it. */
  spacing: [number, number];
}

const nums = (v: unknown): number[] => (Array.isArray(v) ? v.map(Number) : typeof v === "string" ? v.split("\\").map(Number) : []);

/** The geometry of a CT/MR image header, or null when it lacks the Image Plane attributes. */
export function imageGeometryOf(ds: Dataset): ImageGeometry | null {
  const uid = str(ds.SOPInstanceUID);
  const ipp = nums(ds.ImagePositionPatient);
  const iop = nums(ds.ImageOrientationPatient);
  const ps = nums(ds.PixelSpacing);
  if (!uid || ipp.length !== 3 || iop.length !== 6 || ps.length !== 2 || ![...ipp, ...iop, ...ps].every(Number.isFinite)) return null;
  return { sopInstanceUid: uid, position: ipp as Vec3, rowDirection: iop.slice(0, 3) as Vec3, columnDirection: iop.slice(3, 6) as Vec3, spacing: ps as [number, number] };
}

/**
 * A SCOORD point (column, row; 0,0 = outer corner of the first pixel, PS3.3 C.18.6.1.2) in
 * patient mm: Image Position is the centre of the first pixel, hence the half-pixel shift.
 */
export function pixelToPatient(g: ImageGeometry, [column, row]: [number, number]): Vec3 {
  const dc = (column - 0.5) * g.spacing[1];
  const dr = (row - 0.5) * g.spacing[0];
  return [0, 1, 2].map((k) => g.position[k]! + g.rowDirection[k]! * dc + g.columnDirection[k]! * dr) as Vec3;
}

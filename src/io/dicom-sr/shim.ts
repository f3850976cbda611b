import dcmjs from "dcmjs";

/**
 * The one file that touches dcmjs: DICOM bytes or DICOM JSON in, a plain "naturalized" dataset
 * out (keywords as keys, sequences as arrays of datasets), and the way back to Part 10 bytes.
 */
export type Dataset = Record<string, unknown>;

/** The input is not a DICOM object we can read; the message says why. */
export class DicomReadError extends Error {}

dcmjs.log?.setLevel?.("error");

const hasPreamble = (b: Uint8Array): boolean => b.length >= 132 && b[128] === 0x44 && b[129] === 0x49 && b[130] === 0x43 && b[131] === 0x4d;

/** A Part 10 file (128-byte preamble, "DICM", meta header, dataset). */
export function parsePart10(bytes: Uint8Array): Dataset {
  if (!hasPreamble(bytes)) throw new DicomReadError("not a DICOM Part 10 file (no DICM prefix at byte 128)");
  const copy = bytes.slice().buffer;
  let dict;
  try {
    dict = dcmjs.data.DicomMessage.readFile(copy);
  } catch (e) {
    throw new DicomReadError(`unreadable DICOM file (truncated or corrupt): ${(e as Error).message}`);
  }
  return naturalize(dict.dict);
}

const isDicomJsonObject = (x: unknown): x is Record<string, { vr: string }> =>
  !!x && typeof x === "object" && !Array.isArray(x) && Object.entries(x).every(([k, v]) => /^[0-9A-Fa-f]{8}$/.test(k) && !!v && typeof v === "object" && typeof (v as { vr?: unknown }).vr === "string");

/** DICOM JSON (PS3.18 F.2): one dataset object, or an array of them as DICOMweb serves metadata. */
export function parseDicomJson(value: unknown): Dataset[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0) throw new DicomReadError("empty DICOM JSON array");
  return list.map((ds, i) => {
    if (!isDicomJsonObject(ds)) throw new DicomReadError(`DICOM JSON${Array.isArray(value) ? ` item ${i}` : ""}: expected an object of 8-hex-digit tags with a "vr" each`);
    return naturalize(ds as never);
  });
}

function naturalize(dict: Parameters<typeof dcmjs.data.DicomMetaDictionary.naturalizeDataset>[0]): Dataset {
  try {
    return dcmjs.data.DicomMetaDictionary.naturalizeDataset(dict);
  } catch (e) {
    throw new DicomReadError(`unreadable DICOM dataset: ${(e as Error).message}`);
  }
}

const EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1";

/** Part 10 bytes of a naturalized dataset (explicit VR little endian). */
export function writePart10(ds: Dataset, implementationClassUid: string): Uint8Array {
  const meta = dcmjs.data.DicomMetaDictionary.denaturalizeDataset({
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: ds.SOPClassUID,
    MediaStorageSOPInstanceUID: ds.SOPInstanceUID,
    TransferSyntaxUID: EXPLICIT_VR_LITTLE_ENDIAN,
    ImplementationClassUID: implementationClassUid,
    ImplementationVersionName: "LESIONTRACK",
  });
  const file = new dcmjs.data.DicomDict(meta);
  file.dict = dcmjs.data.DicomMetaDictionary.denaturalizeDataset(ds);
  return new Uint8Array(file.write());
}

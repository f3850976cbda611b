/** The small part of dcmjs 0.51 that lesiontrack uses (the package ships no types). */
declare module "dcmjs" {
  type Dict = Record<string, { vr: string; Value?: unknown[] }>;
  class DicomDict {
    constructor(meta: Dict);
    meta: Dict;
    dict: Dict;
    write(options?: { allowInvalidVRLength?: boolean }): ArrayBuffer;
  }
  const dcmjs: {
    data: {
      DicomDict: typeof DicomDict;
      DicomMessage: { readFile(buffer: ArrayBuffer, options?: { ignoreErrors?: boolean }): DicomDict };
      DicomMetaDictionary: {
        naturalizeDataset(dict: Dict): Record<string, unknown>;
        denaturalizeDataset(dataset: Record<string, unknown>): Dict;
      };
    };
    log: { setLevel(level: string): void };
  };
  export default dcmjs;
}

import type { Code } from "./codes.ts";
import { anyCode } from "./codes.ts";
import type { Dataset } from "./shim.ts";

/** One SR content item as read: value type, concept name, its value fields and children. */
export interface ContentItem {
  relationship: string;
  valueType: string;
  concept: Code | undefined;
  item: Dataset;
  children: ContentItem[];
}

/** dcmjs gives a sequence as an array, or a lone item as an object: one shape for both. */
export const seq = (v: unknown): Dataset[] => (Array.isArray(v) ? (v as Dataset[]) : v && typeof v === "object" ? [v as Dataset] : []);

export const str = (v: unknown): string | undefined => {
  const x = Array.isArray(v) ? v[0] : v;
  if (typeof x === "string") return x.trim() || undefined;
  if (typeof x === "number") return String(x);
  return undefined;
};

export const codeOf = (v: unknown): Code | undefined => {
  const d = seq(v)[0];
  if (!d) return undefined;
  const value = str(d.CodeValue) ?? str(d.LongCodeValue) ?? str(d.URNCodeValue);
  const scheme = str(d.CodingSchemeDesignator);
  return value && scheme ? { value, scheme, meaning: str(d.CodeMeaning) ?? "" } : undefined;
};

export function contentTree(items: unknown): ContentItem[] {
  return seq(items).map((item) => ({
    relationship: str(item.RelationshipType) ?? "",
    valueType: str(item.ValueType) ?? "",
    concept: codeOf(item.ConceptNameCodeSequence),
    item,
    children: contentTree(item.ContentSequence),
  }));
}

/** Children whose concept name is one of the given codes (matched by code, never by meaning). */
export const childrenNamed = (items: readonly ContentItem[], ...codes: Code[]): ContentItem[] => items.filter((i) => anyCode(i.concept, ...codes));
export const childNamed = (items: readonly ContentItem[], ...codes: Code[]): ContentItem | undefined => childrenNamed(items, ...codes)[0];

/** A person name value as text ("Family^Given" in Alphabetic form). */
export const personName = (v: unknown): string | undefined => {
  const x = Array.isArray(v) ? v[0] : v;
  if (typeof x === "string") return x.trim() || undefined;
  if (x && typeof x === "object") return str((x as { Alphabetic?: unknown }).Alphabetic);
  return undefined;
};

/** The value of a NUM item with its unit, or undefined when the Measured Value Sequence is missing. */
export function numericValue(i: ContentItem): { value: number; unit: Code | undefined } | undefined {
  const mv = seq(i.item.MeasuredValueSequence)[0];
  if (!mv) return undefined;
  const raw = Array.isArray(mv.NumericValue) ? mv.NumericValue[0] : mv.NumericValue;
  const value = typeof raw === "number" ? raw : typeof raw === "string" ? Number(raw) : NaN;
  if (!Number.isFinite(value)) return undefined;
  return { value, unit: codeOf(mv.MeasurementUnitsCodeSequence) };
}

export const graphicData = (i: ContentItem): number[] => {
  const g = i.item.GraphicData;
  return Array.isArray(g) ? g.map(Number).filter(Number.isFinite) : [];
};

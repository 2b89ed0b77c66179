/** A number as an editor holds it: '' for none. */
export const numberDraft = (value: number | null) => (value === null ? '' : String(value));

/** What an editor's number field holds, back as a number; empty: null. (A bound number input may hand over a number, or null when cleared.) */
export const numberOrNull = (value: string | number | null | undefined) =>
  value === null || value === undefined || String(value).trim() === '' ? null : Number(value);

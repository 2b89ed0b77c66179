/** One CSV line (RFC 4180: a cell with a comma, quote or line break is quoted), ending in CRLF as Excel writes it. */
export function csvLine(values: readonly unknown[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}

function csvCell(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** What starts a CSV file Excel opens as UTF-8 (Chinese names intact). */
export const csvBom = '\uFEFF';

/** A Content-Disposition that carries a non-ASCII file name (RFC 6266). */
export const attachment = (name: string) => `attachment; filename*=UTF-8''${encodeURIComponent(name)}`;

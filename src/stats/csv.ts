/** The stored daily counts as CSV (RFC 4180): one record per stored row, sorted, CRLF line ends. */
import { sortRows, type StatsRow } from './report.js';

export const CSV_HEADER = ['day', 'metric', 'detail', 'count'] as const;

/** Quotes a field when RFC 4180 requires it (comma, double quote, CR or LF), doubling its double quotes. */
export function csvField(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(rows: readonly StatsRow[]): string {
  const records = [CSV_HEADER, ...sortRows(rows).map((row) => [row.day, row.metric, row.detail, row.count])];
  return records.map((record) => record.map(csvField).join(',') + '\r\n').join('');
}

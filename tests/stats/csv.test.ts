import { describe, expect, it } from 'vitest';
import { csvField, toCsv } from '../../src/stats/csv.js';
import type { StatsRow } from '../../src/stats/report.js';

/** A strict RFC 4180 reader, to check that what we write reads back to the same fields. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let i = 0;
  while (i < text.length) {
    let field = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) throw new Error('unterminated quoted field');
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += text[i++];
      }
    } else {
      while (i < text.length && text[i] !== ',' && text[i] !== '\r') {
        if (text[i] === '"' || text[i] === '\n') throw new Error(`bare ${JSON.stringify(text[i])} at ${i}`);
        field += text[i++];
      }
    }
    record.push(field);
    if (text[i] === ',') i++;
    else if (text.startsWith('\r\n', i)) {
      records.push(record);
      record = [];
      i += 2;
    } else if (i < text.length) throw new Error(`unexpected ${JSON.stringify(text[i])} at ${i}`);
  }
  if (record.length > 0) records.push(record);
  return records;
}

describe('the CSV', () => {
  it('has the header, one record per row, sorted by day, funnel step and detail, CRLF-terminated', () => {
    const rows: StatsRow[] = [
      { day: '2025-03-02', metric: 'chose', detail: 'posteo', count: 2 },
      { day: '2025-03-02', metric: 'started', detail: '', count: 5 },
      { day: '2025-03-01', metric: 'answered', detail: '', count: 1 },
      { day: '2025-03-02', metric: 'chose', detail: 'mailo', count: 1 },
    ];
    expect(toCsv(rows)).toBe(
      'day,metric,detail,count\r\n' +
        '2025-03-01,answered,,1\r\n' +
        '2025-03-02,started,,5\r\n' +
        '2025-03-02,chose,mailo,1\r\n' +
        '2025-03-02,chose,posteo,2\r\n',
    );
    expect(toCsv([])).toBe('day,metric,detail,count\r\n');
    expect(toCsv([...rows].reverse())).toBe(toCsv(rows));
  });

  it('quotes a field with a comma, a double quote or a line break, and doubles its quotes', () => {
    expect(csvField('posteo')).toBe('posteo');
    expect(csvField(12)).toBe('12');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\r')).toBe('"cr\r"');
    expect(csvField('')).toBe('');
    const odd = ['a,b', 'say "hi"', 'two\r\nlines', ' spaced ', 'é—ü'];
    const rows = odd.map((detail, i) => ({ day: '2025-03-01', metric: 'chose', detail, count: i }));
    const parsed = parseCsv(toCsv(rows));
    expect(parsed[0]).toEqual(['day', 'metric', 'detail', 'count']);
    expect(parsed.slice(1).map((r) => r[2]).sort()).toEqual([...odd].sort());
    expect(parsed.every((r) => r.length === 4)).toBe(true);
  });
});

/**
 * The per-desk statistics, read back from the anonymous counts of ./desk-counters.ts: per desk, tickets received
 * and closed, the median wait and the median time to close (in open hours, read from the duration buckets: a
 * range, since the counts keep no single duration), and how the help was rated. Pure functions of the rows but the
 * chart's drawing; nothing here knows a volunteer or a person, because the rows hold neither.
 */
import { escapeXml } from './chart.js';
import { BUCKETS, RATINGS, bucketRange, isDeskMetric, type Bucket, type Rating } from './desk-counters.js';
import { formatRate, type StatsRow } from './report.js';

export interface DeskStats {
  desk: string;
  tickets: number;
  closed: number;
  /** People counted in the wait buckets (tickets claimed), and the median's range; undefined with none. */
  wait: MedianRange | undefined;
  toClose: MedianRange | undefined;
  ratings: Record<Rating, number>;
  /** helped / all ratings; null with no rating. */
  shareHelped: number | null;
}

/** The median lies in (after, upTo] open minutes; upTo undefined: beyond the last bucket. */
export interface MedianRange {
  count: number;
  after: number;
  upTo: number | undefined;
}

/** The range of the median of counts spread over buckets: the bucket(s) holding the middle value(s). */
export function medianOfBuckets(counts: ReadonlyMap<Bucket, number>): MedianRange | undefined {
  const count = [...counts.values()].reduce((sum, n) => sum + n, 0);
  if (count === 0) return undefined;
  const bucketAt = (position: number): Bucket => {
    let seen = 0;
    for (const bucket of BUCKETS) {
      seen += counts.get(bucket) ?? 0;
      if (position < seen) return bucket;
    }
    return BUCKETS[BUCKETS.length - 1]!;
  };
  const lower = bucketRange(bucketAt(Math.floor((count - 1) / 2)));
  const upper = bucketRange(bucketAt(Math.floor(count / 2)));
  return { count, after: lower.after, upTo: upper.upTo };
}

function splitDetail(detail: string): [desk: string, part: string] {
  const colon = detail.indexOf(':');
  return colon === -1 ? [detail, ''] : [detail.slice(0, colon), detail.slice(colon + 1)];
}

/** One entry per desk seen in the rows, by desk id. Rows of other metrics are ignored. */
export function deskStats(rows: readonly StatsRow[]): DeskStats[] {
  const desks = new Map<string, { tickets: number; closed: number; wait: Map<Bucket, number>; toClose: Map<Bucket, number>; ratings: Record<Rating, number> }>();
  const entry = (desk: string) => {
    let found = desks.get(desk);
    if (!found) {
      found = { tickets: 0, closed: 0, wait: new Map(), toClose: new Map(), ratings: { helped: 0, partly: 0, not: 0 } };
      desks.set(desk, found);
    }
    return found;
  };
  const add = (map: Map<Bucket, number>, part: string, n: number) => {
    if ((BUCKETS as readonly string[]).includes(part)) map.set(part as Bucket, (map.get(part as Bucket) ?? 0) + n);
  };
  for (const row of rows) {
    if (!isDeskMetric(row.metric)) continue;
    const [desk, part] = splitDetail(row.detail);
    const stats = entry(desk);
    switch (row.metric) {
      case 'desk.tickets':
        stats.tickets += row.count;
        break;
      case 'desk.closed':
        stats.closed += row.count;
        break;
      case 'desk.wait':
        add(stats.wait, part, row.count);
        break;
      case 'desk.toClose':
        add(stats.toClose, part, row.count);
        break;
      case 'desk.rated':
        if ((RATINGS as readonly string[]).includes(part)) stats.ratings[part as Rating] += row.count;
        break;
    }
  }
  return [...desks.keys()].sort().map((desk) => {
    const s = desks.get(desk)!;
    const rated = RATINGS.reduce((sum, r) => sum + s.ratings[r], 0);
    return {
      desk,
      tickets: s.tickets,
      closed: s.closed,
      wait: medianOfBuckets(s.wait),
      toClose: medianOfBuckets(s.toClose),
      ratings: s.ratings,
      shareHelped: rated === 0 ? null : s.ratings.helped / rated,
    };
  });
}

function duration(minutes: number): string {
  return minutes < 60 ? `${minutes} min` : `${minutes / 60} h`;
}

/** "15 min–30 min", "≤ 15 min", "> 32 h"; "—" with nothing counted. */
export function formatMedian(range: MedianRange | undefined): string {
  if (range === undefined) return '—';
  if (range.upTo === undefined) return `> ${duration(range.after)}`;
  if (range.after === 0) return `≤ ${duration(range.upTo)}`;
  return `${duration(range.after)}–${duration(range.upTo)}`;
}

/** The per-desk table (plain text, aligned), after the funnel in `npm run stats`. */
export function formatDeskTable(stats: readonly DeskStats[]): string {
  if (stats.length === 0) return 'Desks: no ticket counted yet.';
  const header = ['desk', 'tickets', 'closed', 'median wait (open h)', 'median to close (open h)', 'rated', 'helped', 'partly', 'not', 'share helped'];
  const rows = stats.map((s) => {
    const rated = RATINGS.reduce((sum, r) => sum + s.ratings[r], 0);
    return [s.desk, String(s.tickets), String(s.closed), formatMedian(s.wait), formatMedian(s.toClose), String(rated), String(s.ratings.helped), String(s.ratings.partly), String(s.ratings.not), formatRate(s.shareHelped)];
  });
  const table = [header, ...rows];
  const widths = header.map((_, column) => Math.max(...table.map((row) => [...row[column]!].length)));
  const render = (row: string[]) =>
    row
      .map((cell, column) => {
        const pad = ' '.repeat(widths[column]! - [...cell].length);
        return column === 0 ? cell + pad : pad + cell;
      })
      .join('  ')
      .trimEnd();
  return [
    'Per desk (medians are ranges: the counts keep duration buckets, not durations; no volunteer is counted apart)',
    '',
    render(header),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows.map(render),
  ].join('\n');
}

/* ---- The chart: one row per desk, tickets as a bar, the ratings as a stacked bar beside it ---- */

const RATING_COLOURS: Record<Rating, string> = { helped: '#009E73', partly: '#E69F00', not: '#D55E00' };
const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";

/** An SVG: per desk, tickets received and closed (bars on a shared scale) and the ratings' shares. Same input, same bytes. */
export function renderDeskChart(stats: readonly DeskStats[], title = 'Tickets and ratings per desk'): string {
  const rowHeight = 44;
  const top = 70;
  const labelWidth = 160;
  const barsWidth = 360;
  const sharesX = labelWidth + barsWidth + 60;
  const sharesWidth = 240;
  const width = sharesX + sharesWidth + 40;
  const height = top + Math.max(1, stats.length) * rowHeight + 50;
  const max = Math.max(1, ...stats.map((s) => s.tickets), ...stats.map((s) => s.closed));
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${escapeXml(FONT)}" role="img" aria-labelledby="title">`,
    `<title id="title">${escapeXml(title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="16" y="28" font-size="18" font-weight="bold">${escapeXml(title)}</text>`,
    `<text x="16" y="50" font-size="12" fill="#444444">Anonymous counts. Dark bar: tickets received; light bar: closed. Right: share of ratings helped / partly / not.</text>`,
  ];
  if (stats.length === 0) parts.push(`<text x="16" y="${top + 24}" font-size="14">No ticket counted yet.</text>`);
  stats.forEach((s, index) => {
    const y = top + index * rowHeight;
    parts.push(`<text x="16" y="${y + 22}" font-size="14">${escapeXml(s.desk)}</text>`);
    const ticketsWidth = Math.round((s.tickets / max) * barsWidth);
    const closedWidth = Math.round((s.closed / max) * barsWidth);
    parts.push(`<rect x="${labelWidth}" y="${y + 6}" width="${ticketsWidth}" height="14" fill="#0072B2"><title>${s.tickets} tickets</title></rect>`);
    parts.push(`<rect x="${labelWidth}" y="${y + 22}" width="${closedWidth}" height="10" fill="#56B4E9"><title>${s.closed} closed</title></rect>`);
    parts.push(`<text x="${labelWidth + Math.max(ticketsWidth, closedWidth) + 6}" y="${y + 22}" font-size="12">${s.tickets} / ${s.closed}</text>`);
    const rated = RATINGS.reduce((sum, r) => sum + s.ratings[r], 0);
    if (rated === 0) {
      parts.push(`<text x="${sharesX}" y="${y + 22}" font-size="12" fill="#444444">no rating yet</text>`);
      return;
    }
    let x = sharesX;
    for (const rating of RATINGS) {
      const w = Math.round((s.ratings[rating] / rated) * sharesWidth);
      if (w > 0) parts.push(`<rect x="${x}" y="${y + 8}" width="${w}" height="20" fill="${RATING_COLOURS[rating]}"><title>${rating}: ${s.ratings[rating]}</title></rect>`);
      x += w;
    }
  });
  const legendY = height - 20;
  let legendX = sharesX;
  for (const rating of RATINGS) {
    parts.push(`<rect x="${legendX}" y="${legendY - 10}" width="12" height="12" fill="${RATING_COLOURS[rating]}"/>`);
    parts.push(`<text x="${legendX + 16}" y="${legendY}" font-size="12">${rating}</text>`);
    legendX += 80;
  }
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}

/**
 * The funnel over time as an SVG line chart, written by hand (no dependency): one line per metric, days across,
 * counts up, axes with ticks, a legend with each metric's total, a title. Same input, same bytes.
 *
 * Colours are the Okabe-Ito palette (distinguishable with the common colour-vision deficiencies); its yellow is
 * too pale on white, so the ninth line is grey and the last two lines are also told apart by their dashes. The
 * background is painted white, so the chart stays readable on GitHub's dark theme.
 */
import { METRICS, type Metric } from './counters.js';
import { METRIC_LABELS, type DailySeries } from './report.js';

export interface LineStyle {
  colour: string;
  /** SVG stroke-dasharray, or undefined for a solid line. */
  dash?: string;
}

export const LINE_STYLES: Readonly<Record<Metric, LineStyle>> = {
  started: { colour: '#000000' },
  answered: { colour: '#E69F00' },
  recommended: { colour: '#56B4E9' },
  chose: { colour: '#009E73' },
  finishedPlan: { colour: '#0072B2' },
  remindersOn: { colour: '#D55E00' },
  switched: { colour: '#CC79A7' },
  escalated: { colour: '#999999', dash: '7 4' },
  ticketsClosed: { colour: '#000000', dash: '2 3' },
};

export interface ChartOptions {
  title?: string;
  subtitle?: string;
}

const WIDTH = 900;
const HEIGHT = 420;
const PLOT = { left: 64, top: 70, right: 640, bottom: 356 };
const LEGEND_X = 664;
const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";

/** Escapes text for XML content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** A coordinate with at most one decimal, never "-0". */
function num(value: number): string {
  const rounded = Math.round(value * 10) / 10;
  return String(rounded === 0 ? 0 : rounded);
}

/** Integer y ticks: a step of 1, 2 or 5 times a power of ten giving about five intervals, and the top of the axis. */
export function yTicks(max: number): { step: number; top: number; ticks: number[] } {
  const target = Math.max(max, 5) / 5;
  const magnitude = 10 ** Math.floor(Math.log10(target));
  const step = Math.max(1, [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= target) ?? 10 * magnitude);
  const top = Math.max(step, Math.ceil(max / step) * step);
  const ticks: number[] = [];
  for (let tick = 0; tick <= top; tick += step) ticks.push(tick);
  return { step, top, ticks };
}

/** Which day indexes get a label: every day, every other day, weekly, fortnightly, or every 4 weeks (and multiples). */
export function xLabelIndexes(dayCount: number, maxLabels: number): number[] {
  const needed = Math.max(1, Math.ceil(dayCount / maxLabels));
  const step = needed <= 2 ? needed : needed <= 7 ? 7 : needed <= 14 ? 14 : 28 * Math.ceil(needed / 28);
  const indexes: number[] = [];
  for (let index = 0; index < dayCount; index += step) indexes.push(index);
  return indexes;
}

function text(x: number, y: number, content: string, attributes = ''): string {
  return `<text x="${num(x)}" y="${num(y)}"${attributes ? ' ' + attributes : ''}>${escapeXml(content)}</text>`;
}

export function renderChart(series: DailySeries, options: ChartOptions = {}): string {
  const { days, counts } = series;
  const first = days[0];
  const last = days[days.length - 1];
  const title = options.title ?? 'demailbot: the funnel, day by day';
  const subtitle =
    options.subtitle ??
    (first === undefined ? 'No counts yet' : first === last ? `Anonymous counts for ${first} (UTC)` : `Anonymous daily counts, ${first} to ${last} (UTC)`);

  const max = Math.max(0, ...METRICS.flatMap((metric) => counts[metric]));
  const { top, ticks } = yTicks(max);
  const plotWidth = PLOT.right - PLOT.left;
  const plotHeight = PLOT.bottom - PLOT.top;
  const x = (index: number) => (days.length <= 1 ? PLOT.left + plotWidth / 2 : PLOT.left + (index * plotWidth) / (days.length - 1));
  const y = (value: number) => PLOT.bottom - (value * plotHeight) / top;

  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="chart-title chart-desc" font-family="${escapeXml(FONT)}">`,
    `<title id="chart-title">${escapeXml(title)}</title>`,
    `<desc id="chart-desc">${escapeXml(subtitle)}: one line per step of the funnel.</desc>`,
    `<rect x="0" y="0" width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    text(PLOT.left, 30, title, 'font-size="18" font-weight="600" fill="#111111"'),
    text(PLOT.left, 52, subtitle, 'font-size="13" fill="#555555"'),
  );

  // Y axis: grid lines and tick labels.
  out.push('<g font-size="12" fill="#333333" text-anchor="end">');
  for (const tick of ticks) {
    const ty = y(tick);
    out.push(
      `<line x1="${PLOT.left}" y1="${num(ty)}" x2="${PLOT.right}" y2="${num(ty)}" stroke="${tick === 0 ? '#333333' : '#e3e3e3'}" stroke-width="1"/>`,
      `<line x1="${PLOT.left - 5}" y1="${num(ty)}" x2="${PLOT.left}" y2="${num(ty)}" stroke="#333333" stroke-width="1"/>`,
      text(PLOT.left - 8, ty + 4, String(tick)),
    );
  }
  out.push('</g>');
  out.push(`<line x1="${PLOT.left}" y1="${PLOT.top}" x2="${PLOT.left}" y2="${PLOT.bottom}" stroke="#333333" stroke-width="1"/>`);
  out.push(
    text(18, (PLOT.top + PLOT.bottom) / 2, 'count per day', `font-size="12" fill="#333333" text-anchor="middle" transform="rotate(-90 18 ${num((PLOT.top + PLOT.bottom) / 2)})"`),
  );

  // X axis: day ticks and labels.
  out.push('<g font-size="12" fill="#333333" text-anchor="middle">');
  for (const index of xLabelIndexes(days.length, Math.floor(plotWidth / 90))) {
    const tx = x(index);
    out.push(
      `<line x1="${num(tx)}" y1="${PLOT.bottom}" x2="${num(tx)}" y2="${PLOT.bottom + 5}" stroke="#333333" stroke-width="1"/>`,
      text(tx, PLOT.bottom + 20, days[index]!),
    );
  }
  out.push('</g>');
  out.push(text((PLOT.left + PLOT.right) / 2, HEIGHT - 18, 'day (UTC)', 'font-size="12" fill="#333333" text-anchor="middle"'));

  // The lines, the first step of the funnel drawn last so it stays on top.
  if (days.length === 0) {
    out.push(text((PLOT.left + PLOT.right) / 2, (PLOT.top + PLOT.bottom) / 2, 'No counts in this range', 'font-size="14" fill="#555555" text-anchor="middle"'));
  } else {
    out.push('<g fill="none" stroke-width="2" stroke-linejoin="round" stroke-linecap="round">');
    for (const metric of [...METRICS].reverse()) {
      const style = LINE_STYLES[metric];
      const d = counts[metric].map((value, index) => `${index === 0 ? 'M' : 'L'}${num(x(index))} ${num(y(value))}`).join(' ');
      out.push(`<path data-metric="${metric}" d="${d}" stroke="${style.colour}"${style.dash ? ` stroke-dasharray="${style.dash}"` : ''}/>`);
      // A single day makes no line: mark its point.
      if (days.length === 1) out.push(`<circle cx="${num(x(0))}" cy="${num(y(counts[metric][0]!))}" r="4" fill="${style.colour}" stroke="none"/>`);
    }
    out.push('</g>');
  }

  // The legend: a sample of each line, what it counts and its total over the range.
  out.push(`<g font-size="12.5" fill="#222222">`);
  out.push(text(WIDTH - 12, PLOT.top - 10, 'total', 'font-size="11" text-anchor="end" fill="#555555"'));
  METRICS.forEach((metric, index) => {
    const style = LINE_STYLES[metric];
    const ly = PLOT.top + 8 + index * 24;
    const total = counts[metric].reduce((sum, value) => sum + value, 0);
    out.push(
      `<line x1="${LEGEND_X}" y1="${ly}" x2="${LEGEND_X + 26}" y2="${ly}" stroke="${style.colour}" stroke-width="2.5" stroke-linecap="round"${style.dash ? ` stroke-dasharray="${style.dash}"` : ''}/>`,
      text(LEGEND_X + 34, ly + 4.5, METRIC_LABELS[metric]),
      text(WIDTH - 12, ly + 4.5, String(total), 'text-anchor="end" fill="#555555"'),
    );
  });
  out.push('</g>');
  out.push('</svg>');
  return out.join('\n') + '\n';
}

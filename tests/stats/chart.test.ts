import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EXAMPLE_SVG_PATH, makeExample } from '../../scripts/stats-example.js';
import { LINE_STYLES, escapeXml, renderChart, xLabelIndexes, yTicks } from '../../src/stats/chart.js';
import { METRICS } from '../../src/stats/counters.js';
import { METRIC_LABELS, dailySeries, type StatsRow } from '../../src/stats/report.js';
import { checkXml } from './helpers.js';

function rowsFor(days: number): StatsRow[] {
  const rows: StatsRow[] = [];
  for (let d = 0; d < days; d++) {
    const day = new Date(Date.UTC(2025, 2, 1 + d)).toISOString().slice(0, 10);
    METRICS.forEach((metric, i) => rows.push({ day, metric, detail: metric === 'chose' ? 'posteo' : '', count: (d * 7 + i * 3) % 23 }));
  }
  return rows;
}

const paths = (svg: string) => [...svg.matchAll(/<path\b[^>]*\bdata-metric="([^"]+)"[^>]*\bd="([^"]*)"/g)];

describe('the SVG chart', () => {
  it('is well-formed, sized for GitHub, with one line per metric and a legend naming each', () => {
    const svg = renderChart(dailySeries(rowsFor(30)));
    const elements = checkXml(svg);
    expect(elements[0]).toBe('svg');
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="900" height="420" viewBox="0 0 900 420"/);
    expect(paths(svg).map((p) => p[1]).sort()).toEqual([...METRICS].sort());
    expect(elements.filter((e) => e === 'path')).toHaveLength(METRICS.length);
    for (const [, , d] of paths(svg)) {
      expect(d).toMatch(/^M[\d.]+ [\d.]+( L[\d.]+ [\d.]+){29}$/); // 30 points, no NaN, no negative
    }
    for (const metric of METRICS) expect(svg).toContain(`>${escapeXml(METRIC_LABELS[metric])}</text>`);
    expect(svg).toContain('<title id="chart-title">');
    expect(svg).toContain('2025-03-01 to 2025-03-30');
    expect(svg).toContain('>day (UTC)</text>');
    expect(svg).toContain('>count per day</text>');
  });

  it('uses a distinct style for each metric', () => {
    const styles = METRICS.map((m) => `${LINE_STYLES[m].colour} ${LINE_STYLES[m].dash ?? ''}`);
    expect(new Set(styles).size).toBe(METRICS.length);
  });

  it('gives the same bytes for the same input', () => {
    const rows = rowsFor(12);
    expect(renderChart(dailySeries(rows))).toBe(renderChart(dailySeries([...rows].reverse())));
  });

  it('escapes every text', () => {
    const svg = renderChart(dailySeries(rowsFor(3)), { title: 'Tom & Jerry <script>"x"</script>', subtitle: "l'été & <b>" });
    checkXml(svg);
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('Tom &amp; Jerry &lt;script&gt;&quot;x&quot;&lt;/script&gt;');
    expect(svg).toContain('l&apos;été &amp; &lt;b&gt;');
  });

  it('draws a single day as points, and an empty range as a message', () => {
    const one = renderChart(dailySeries(rowsFor(1)));
    checkXml(one);
    expect(paths(one)).toHaveLength(METRICS.length);
    expect(one.match(/<circle /g)).toHaveLength(METRICS.length);
    const none = renderChart(dailySeries([]));
    checkXml(none);
    expect(paths(none)).toHaveLength(0);
    expect(none).toContain('No counts in this range');
    for (const metric of METRICS) expect(none).toContain(`>${METRIC_LABELS[metric]}</text>`);
    const zeros = renderChart(dailySeries([], { from: '2025-03-01', to: '2025-03-05' }));
    checkXml(zeros);
    expect(zeros).not.toMatch(/NaN|Infinity/);
  });

  it('picks round integer ticks and readable day labels', () => {
    expect(yTicks(0).ticks).toEqual([0, 1]);
    expect(yTicks(3).ticks).toEqual([0, 1, 2, 3]);
    expect(yTicks(69).ticks).toEqual([0, 20, 40, 60, 80]);
    expect(yTicks(1234)).toMatchObject({ step: 500, top: 1500 });
    expect(xLabelIndexes(5, 6)).toEqual([0, 1, 2, 3, 4]);
    expect(xLabelIndexes(30, 6)).toEqual([0, 7, 14, 21, 28]);
    expect(xLabelIndexes(365, 6).length).toBeLessThanOrEqual(6);
    expect(xLabelIndexes(0, 6)).toEqual([]);
  });

  it('the XML check itself catches what it must', () => {
    expect(() => checkXml('<svg><g></svg>')).toThrow();
    expect(() => checkXml('<svg><text>a & b</text></svg>')).toThrow(/entity/);
    expect(() => checkXml('<svg a="1" a="2"/>')).toThrow(/duplicate/);
    expect(() => checkXml('<svg/><svg/>')).toThrow(/root/);
    expect(() => checkXml('<svg x=1/>')).toThrow(/malformed/);
    expect(checkXml('<?xml version="1.0"?>\n<svg><g/><text>a &amp; b</text></svg>\n')).toEqual(['svg', 'g', 'text']);
  });
});

describe('the README example', () => {
  it('docs/stats-example.svg is exactly what scripts/stats-example.ts makes (run it after changing the chart)', () => {
    const { svg, table } = makeExample();
    checkXml(svg);
    expect(readFileSync(EXAMPLE_SVG_PATH, 'utf8')).toBe(svg);
    expect(table).toMatch(/^started\s+\d+$/m);
  });
});

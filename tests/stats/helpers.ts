/** Shared by the stats tests: temporary databases filled through the real counters, and a strict little XML check. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCounters, type Metric } from '../../src/stats/counters.js';
import { openDatabase, type Db } from '../../src/store/database.js';

export function tempDir(): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'demailbot-stats-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export const at = (day: string, hour = 12) => Date.parse(`${day}T${String(hour).padStart(2, '0')}:00:00Z`);

/** Counts `times` events of a metric on a day, through the counters the engine uses. */
export function fill(db: Db, events: Array<[day: string, metric: Metric, times: number, detail?: string]>): void {
  const counters = createCounters(db);
  for (const [day, metric, times, detail] of events) {
    for (let i = 0; i < times; i++) counters.count(metric, at(day, i % 24), detail);
  }
}

export function openTemp(): { db: Db; path: string; dir: string; cleanup(): void } {
  const tmp = tempDir();
  const path = join(tmp.dir, 'stats.db');
  const db = openDatabase(path);
  return {
    db,
    path,
    dir: tmp.dir,
    cleanup: () => {
      if (db.open) db.close();
      tmp.cleanup();
    },
  };
}

/**
 * Checks that a document is well-formed XML as far as an SVG of ours goes: one root, every element closed in
 * order, attributes quoted, no stray "<" or unknown entity in text. Returns the element names in document order.
 */
export function checkXml(xml: string): string[] {
  const names: string[] = [];
  const stack: string[] = [];
  const entity = /&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/y;
  const checkText = (text: string, where: number) => {
    for (let i = 0; i < text.length; i++) {
      if (text[i] === '<') throw new Error(`stray "<" at ${where + i}`);
      if (text[i] === '&') {
        entity.lastIndex = i;
        if (!entity.test(text)) throw new Error(`bad entity at ${where + i}: ${text.slice(i, i + 10)}`);
      }
    }
  };
  let roots = 0;
  let position = 0;
  const body = xml.replace(/^<\?xml[^?]*\?>\s*/, '');
  const offset = xml.length - body.length;
  const tag = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/y;
  while (position < body.length) {
    const next = body.indexOf('<', position);
    const text = body.slice(position, next === -1 ? body.length : next);
    if (stack.length === 0 && text.trim() !== '') throw new Error(`text outside the root at ${offset + position}`);
    checkText(text, offset + position);
    if (next === -1) break;
    tag.lastIndex = next;
    const match = tag.exec(body);
    if (!match) throw new Error(`malformed tag at ${offset + next}: ${body.slice(next, next + 40)}`);
    const [whole, closing, name, attributes, selfClosing] = match;
    for (const attr of attributes!.matchAll(/[\w:.-]+\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) checkText(attr[1] ?? attr[2] ?? '', offset + next);
    const attrNames = [...attributes!.matchAll(/([\w:.-]+)\s*=/g)].map((m) => m[1]);
    if (new Set(attrNames).size !== attrNames.length) throw new Error(`duplicate attribute in <${name}>`);
    if (closing) {
      if (selfClosing) throw new Error(`</${name}/> at ${offset + next}`);
      const open = stack.pop();
      if (open !== name) throw new Error(`</${name}> closes <${open}> at ${offset + next}`);
    } else {
      if (stack.length === 0 && ++roots > 1) throw new Error('more than one root element');
      names.push(name!);
      if (!selfClosing) stack.push(name!);
    }
    position = next + whole.length;
  }
  if (stack.length > 0) throw new Error(`unclosed: ${stack.join(' > ')}`);
  if (roots !== 1) throw new Error('no root element');
  return names;
}

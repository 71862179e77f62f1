/**
 * Cutting a long reply into parts a platform accepts (Telegram: 4,096 characters of HTML; Matrix: an event under
 * 64 KiB), the same way on every platform: between paragraphs when possible, else between lines, else between words,
 * and inside a word only when a word alone is too long — never inside a code point, never across a formatting span
 * (each part is whole spans, so its tags are balanced). The platform says what fits, measured on its own format
 * (escaped HTML, a JSON event): the kit never guesses a size.
 */
import { linesOf, type Line, type Span } from '../../render/markup.js';

/** Whether these spans, formatted for the platform, fit in one message. Must be monotone: a prefix of a fit fits. */
export type Fits = (spans: readonly Span[]) => boolean;

/** A piece to pack, with what joins it to the piece before it in the same part. */
interface Unit {
  spans: Span[];
  before: string;
}

const glue = (text: string): Span => ({ kind: 'text', text });

/** Adjacent spans of one kind as one (after cutting, a bold run may come in pieces). */
export function mergeSpans(spans: readonly Span[]): Span[] {
  const merged: Span[] = [];
  for (const span of spans) {
    const last = merged[merged.length - 1];
    if (last && last.kind === span.kind) merged[merged.length - 1] = { kind: span.kind, text: last.text + span.text };
    else if (span.text) merged.push({ ...span });
  }
  return merged;
}

function joinUnits(units: readonly Unit[]): Span[] {
  return mergeSpans(units.flatMap((unit, i) => (i > 0 && unit.before ? [glue(unit.before), ...unit.spans] : unit.spans)));
}

/**
 * The largest `to` in (from, count] for which `fitsUpTo(to)` holds, taking at least one item (it was made to fit
 * alone). Galloping then bisecting, so a part of n items costs O(log n) measures, not n: a 200,000-character line
 * measured as a JSON event is cut in milliseconds.
 */
function longestFitting(count: number, from: number, fitsUpTo: (to: number) => boolean): number {
  let good = from + 1;
  let step = 1;
  while (good + step <= count && fitsUpTo(good + step)) {
    good += step;
    step *= 2;
  }
  let beyond = Math.min(good + step, count + 1);
  while (beyond - good > 1) {
    const mid = (good + beyond) >> 1;
    if (fitsUpTo(mid)) good = mid;
    else beyond = mid;
  }
  return good;
}

/** Leading and trailing blanks of a cut piece dropped: a part does not start or end with the space it was cut at. */
function trimmed(spans: Span[]): Span[] {
  const out = spans.map((span) => ({ ...span }));
  if (out[0]) out[0].text = out[0].text.replace(/^\s+/, '');
  const last = out[out.length - 1];
  if (last) last.text = last.text.replace(/\s+$/, '');
  return out.filter((span) => span.text);
}

/** A line too long for one message → pieces that fit: whole words where possible, code points inside a word too long. */
function cutLine(line: Line, fits: Fits): Span[][] {
  const tokens: Span[] = [];
  for (const span of line) {
    for (const word of span.text.match(/\S+\s*|\s+/g) ?? []) {
      const token: Span = { kind: span.kind, text: word };
      if (fits([token])) {
        tokens.push(token);
        continue;
      }
      const chars = [...word];
      for (let from = 0; from < chars.length; ) {
        const to = longestFitting(chars.length, from, (end) => fits([{ kind: span.kind, text: chars.slice(from, end).join('') }]));
        tokens.push({ kind: span.kind, text: chars.slice(from, to).join('') });
        from = to;
      }
    }
  }
  const pieces: Span[][] = [];
  for (let from = 0; from < tokens.length; ) {
    const to = longestFitting(tokens.length, from, (end) => fits(trimmed(mergeSpans(tokens.slice(from, end)))));
    pieces.push(trimmed(mergeSpans(tokens.slice(from, to))));
    from = to;
  }
  return pieces.filter((piece) => piece.length > 0);
}

/**
 * Spans → parts, each of which `fits`. One part (the spans themselves) when the whole fits, as almost always.
 * Parts joined with a blank line give back the text, except the blanks where a line had to be cut.
 */
export function splitSpans(spans: readonly Span[], fits: Fits): Span[][] {
  if (fits(spans)) return [mergeSpans(spans)];
  const paragraphs: Line[][] = [[]];
  for (const line of linesOf(spans)) {
    if (line.every((span) => !span.text.trim())) paragraphs.push([]);
    else paragraphs[paragraphs.length - 1]!.push(line);
  }

  const units: Unit[] = [];
  for (const paragraph of paragraphs.filter((p) => p.length > 0)) {
    const whole = paragraph.flatMap((line, i) => (i === 0 ? line : [glue('\n'), ...line]));
    if (fits(whole)) {
      units.push({ spans: mergeSpans(whole), before: '\n\n' });
      continue;
    }
    paragraph.forEach((line, i) => {
      const before = i === 0 ? '\n\n' : '\n';
      if (fits(line)) units.push({ spans: mergeSpans(line), before });
      else cutLine(line, fits).forEach((piece, k) => units.push({ spans: piece, before: k === 0 ? before : ' ' }));
    });
  }

  const parts: Span[][] = [];
  for (let from = 0; from < units.length; ) {
    const to = longestFitting(units.length, from, (end) => fits(joinUnits(units.slice(from, end))));
    parts.push(joinUnits(units.slice(from, to)));
    from = to;
  }
  return parts.length > 0 ? parts : [[]];
}

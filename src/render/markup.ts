/**
 * A deliberately tiny markup shared by every locale sentence: `**bold**` and `` `code` ``, with `\` escaping.
 * Sentences are written with it in locales/; values interpolated into them (user input, catalogue facts) are
 * escaped by `escapeMarkup` (wired as i18next's interpolation escape), so a value can never inject formatting.
 * Each adapter turns the parsed spans into its own format (plain text, Telegram HTML, Matrix HTML) and escapes
 * the span texts for that format.
 */
export type Span =
  | { kind: 'text'; text: string }
  | { kind: 'bold'; text: string }
  | { kind: 'code'; text: string };

const SPECIAL = /[\\*`]/g;

export function escapeMarkup(value: unknown): string {
  return String(value).replace(SPECIAL, (c) => '\\' + c);
}

/** Parses markup into spans. Unbalanced markers are kept as literal text: never throws. */
export function parseMarkup(source: string): Span[] {
  const spans: Span[] = [];
  let mode: 'text' | 'bold' | 'code' = 'text';
  let buffer = '';
  let modeStart = 0; // index in `spans`/source where the current bold/code began, for unbalanced recovery
  let openedAt = -1;
  const flush = (kind: Span['kind']) => {
    if (buffer) spans.push({ kind, text: buffer } as Span);
    buffer = '';
  };
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\' && i + 1 < source.length) {
      buffer += source[++i];
      continue;
    }
    if (mode !== 'code' && c === '*' && source[i + 1] === '*') {
      if (mode === 'text') {
        flush('text');
        mode = 'bold';
        openedAt = i;
        modeStart = spans.length;
      } else {
        flush('bold');
        mode = 'text';
      }
      i++;
      continue;
    }
    if (mode !== 'bold' && c === '`') {
      if (mode === 'text') {
        flush('text');
        mode = 'code';
        openedAt = i;
        modeStart = spans.length;
      } else {
        flush('code');
        mode = 'text';
      }
      continue;
    }
    buffer += c;
  }
  if (mode !== 'text') {
    // Unbalanced marker: re-read the rest literally from where it opened.
    spans.length = modeStart;
    const rest = source.slice(openedAt).replace(/\\(.)/g, '$1');
    const last = spans[spans.length - 1];
    if (last && last.kind === 'text') last.text += rest;
    else spans.push({ kind: 'text', text: rest });
    return spans;
  }
  flush('text');
  return spans;
}

/** Plain text of a markup string (for logs, tests and the terminal without colours). */
export function plainText(source: string): string {
  return parseMarkup(source)
    .map((s) => s.text)
    .join('');
}

/** A line of spans (spans cut at newlines), as adapters lay messages out. */
export type Line = Span[];

/** Spans → lines: each span cut at its newlines; empty pieces dropped. */
export function linesOf(spans: readonly Span[]): Line[] {
  const lines: Line[] = [[]];
  for (const span of spans) {
    span.text.split('\n').forEach((piece, i) => {
      if (i > 0) lines.push([]);
      if (piece) lines[lines.length - 1]!.push({ kind: span.kind, text: piece });
    });
  }
  return lines;
}

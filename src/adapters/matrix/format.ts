/**
 * Writing Matrix messages: a reply becomes `m.notice`s with an HTML `formatted_body` (`<strong>`, `<code>`, `<br>`,
 * the choices as a numbered list) and the same as a plain `body`, cut into several when too long for one event.
 * Pure: no client.
 */
import type { OutChoice, OutMessage } from '../../engine/types.js';
import { parseMarkup, type Span } from '../../render/markup.js';
import { escapeHtml } from '../kit/html.js';
import { splitSpans } from '../kit/split.js';

/**
 * Matrix refuses events over 65,536 bytes (the whole event, signatures and all): the content of one of ours stays
 * under this many bytes of JSON, longer replies are cut into several notices.
 */
export const CONTENT_LIMIT = 48_000;

export interface NoticeContent {
  msgtype: 'm.notice';
  body: string;
  format: 'org.matrix.custom.html';
  formatted_body: string;
}
function spanHtml(span: Span): string {
  const text = escapeHtml(span.text);
  if (span.kind === 'code') return span.text.includes('\n') ? `<pre><code>${text}</code></pre>` : `<code>${text}</code>`;
  const lines = text.replace(/\n/g, '<br>');
  return span.kind === 'bold' ? `<strong>${lines}</strong>` : lines;
}

/** Our markup → Matrix HTML (`<strong>`, `<code>`, `<br>`), every span's text escaped. */
export function toHtml(spans: readonly Span[]): string {
  return spans.map(spanHtml).join('');
}

export function toPlain(spans: readonly Span[]): string {
  return spans.map((span) => span.text).join('');
}

function choicesHtml(choices: readonly OutChoice[]): string {
  return choices.length ? `<ol>${choices.map((c) => `<li>${escapeHtml(c.label)}</li>`).join('')}</ol>` : '';
}

function choicesPlain(choices: readonly OutChoice[]): string {
  return choices.map((c, i) => `${i + 1}. ${c.label}`).join('\n');
}

function notice(spans: readonly Span[], choices: readonly OutChoice[]): NoticeContent {
  const text = toPlain(spans).trim();
  const list = choicesPlain(choices);
  return {
    msgtype: 'm.notice',
    body: [text, list].filter(Boolean).join('\n\n') || '…',
    format: 'org.matrix.custom.html',
    formatted_body: (toHtml(trimSpans(spans)) + choicesHtml(choices)) || '…',
  };
}

/** Leading and trailing blank lines dropped (they would be `<br>`s). */
function trimSpans(spans: readonly Span[]): Span[] {
  const out = spans.map((s) => ({ ...s }));
  while (out.length && out[0]!.kind === 'text' && !out[0]!.text.trim()) out.shift();
  while (out.length && out[out.length - 1]!.kind === 'text' && !out[out.length - 1]!.text.trim()) out.pop();
  if (out[0]?.kind === 'text') out[0].text = out[0].text.replace(/^\s+/, '');
  const last = out[out.length - 1];
  if (last?.kind === 'text') last.text = last.text.replace(/\s+$/, '');
  return out;
}

function bytes(content: object): number {
  return Buffer.byteLength(JSON.stringify(content), 'utf8');
}

/**
 * A reply → the contents of its notices: one, almost always; several under `limit` bytes each when it is long, cut
 * by the kit (../kit/split.ts: between paragraphs, else lines, else words) measured as the JSON of the notice
 * itself. The numbered choices end the last one.
 */
export function noticeContents(message: Pick<OutMessage, 'text' | 'choices'>, limit = CONTENT_LIMIT): NoticeContent[] {
  return spanNotices(parseMarkup(message.text), message.choices, limit);
}

/** Parsed markup → the contents of its notices (see noticeContents): for texts put together from spans. */
export function spanNotices(spans: readonly Span[], choices: readonly OutChoice[] = [], limit = CONTENT_LIMIT): NoticeContent[] {
  const whole = notice(spans, choices);
  if (bytes(whole) <= limit) return [whole];
  // What the text may take in any part: the last one carries the choices too, and a little room is kept for the
  // blank line that joins them to the text.
  const budget = Math.max(1_000, Math.min(limit - 200, limit - bytes(notice([], choices))));
  const parts = splitSpans(spans, (part) => bytes(notice(part, [])) <= budget);
  return parts.map((part, i) => notice(part, i === parts.length - 1 ? choices : []));
}

/** A document as notices, when it cannot be uploaded: its name, then its content in code blocks. */
export function fileAsNotices(file: NonNullable<OutMessage['attachment']>, chunkChars = 12_000): NoticeContent[] {
  const chunks: string[] = [];
  let chunk = '';
  for (const line of file.content.split('\n')) {
    const pieces = line.length > chunkChars ? line.match(new RegExp(`[\\s\\S]{1,${chunkChars}}`, 'g'))! : [line];
    for (const piece of pieces) {
      if (chunk && chunk.length + piece.length + 1 > chunkChars) {
        chunks.push(chunk);
        chunk = '';
      }
      chunk = chunk ? `${chunk}\n${piece}` : piece;
    }
  }
  chunks.push(chunk);
  return chunks.map((text, i) => ({
    msgtype: 'm.notice',
    body: i === 0 ? `${file.filename}\n\n${text}` : text,
    format: 'org.matrix.custom.html',
    formatted_body: `${i === 0 ? `<p><strong>${escapeHtml(file.filename)}</strong></p>` : ''}<pre><code>${escapeHtml(text)}</code></pre>`,
  }));
}

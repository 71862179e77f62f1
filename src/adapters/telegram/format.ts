/**
 * Writing Telegram messages: our markup (src/render/markup.ts) → Telegram HTML, every span's text escaped, split
 * under Telegram's 4096-character limit; choices → inline-keyboard rows; the command menus from the locales.
 */
import type { BotCommand, InlineKeyboardButton } from 'grammy/types';
import type { OutChoice } from '../../engine/types.js';
import { COMMANDS } from '../../engine/interpret.js';
import type { Lang, Texts } from '../../render/i18n.js';
import { linesOf, parseMarkup, plainText, type Line, type Span } from '../../render/markup.js';
import { escapeHtml } from '../kit/html.js';
import { encodeChoice } from './read.js';

/** Telegram's limit for one message's text. We measure the HTML, which is never shorter than what Telegram counts. */
export const MESSAGE_LIMIT = 4096;
/** Labels up to this many characters share a row of the keyboard, two by two; longer ones get a row each. */
export const SHORT_LABEL = 16;

function spanHtml(span: Span): string {
  const text = escapeHtml(span.text);
  return span.kind === 'bold' ? `<b>${text}</b>` : span.kind === 'code' ? `<code>${text}</code>` : text;
}

/** Adjacent spans of one kind are rendered as one (after splitting, a bold run may come in pieces). */
function spansHtml(spans: readonly Span[]): string {
  const merged: Span[] = [];
  for (const span of spans) {
    const last = merged[merged.length - 1];
    if (last && last.kind === span.kind) merged[merged.length - 1] = { kind: span.kind, text: last.text + span.text };
    else merged.push(span);
  }
  return merged.map(spanHtml).join('');
}

/** Our markup → Telegram HTML, every span's text escaped. */
export function toHtml(markup: string): string {
  return spansHtml(parseMarkup(markup));
}
/** A line too long for one message: cut between words, and inside a word only when a word alone is too long. */
function splitLine(line: Line, limit: number): string[] {
  const tokens: Span[] = [];
  for (const span of line) {
    for (const word of span.text.match(/\S+\s*|\s+/g) ?? []) {
      if (spanHtml({ kind: span.kind, text: word }).length <= limit) {
        tokens.push({ kind: span.kind, text: word });
        continue;
      }
      let piece = '';
      for (const char of word) {
        // Code points, never halves of a surrogate pair.
        if (piece && spanHtml({ kind: span.kind, text: piece + char }).length > limit) {
          tokens.push({ kind: span.kind, text: piece });
          piece = '';
        }
        piece += char;
      }
      if (piece) tokens.push({ kind: span.kind, text: piece });
    }
  }
  const chunks: string[] = [];
  let chunk: Span[] = [];
  let length = 0; // an upper bound: each token with its own tags
  for (const token of tokens) {
    const size = spanHtml(token).length;
    if (chunk.length && length + size > limit) {
      chunks.push(spansHtml(chunk).trim());
      chunk = [];
      length = 0;
    }
    chunk.push(token);
    length += size;
  }
  if (chunk.length) chunks.push(spansHtml(chunk).trim());
  return chunks.filter(Boolean);
}

/**
 * Our markup → Telegram HTML in parts of at most `limit` characters: cut between paragraphs when possible, else
 * between lines, else between words. Tags never straddle two parts.
 */
export function splitMessage(markup: string, limit = MESSAGE_LIMIT): string[] {
  const spans = parseMarkup(markup);
  const whole = spansHtml(spans);
  if (whole.length <= limit) return [whole];
  const lines = linesOf(spans);

  const paragraphs: Line[][] = [[]];
  for (const line of lines) {
    if (line.length === 0 || line.every((s) => !s.text.trim())) paragraphs.push([]);
    else paragraphs[paragraphs.length - 1]!.push(line);
  }
  const parts: string[] = [];
  let current = '';
  const add = (block: string, separator: string) => {
    if (!current) current = block;
    else if (current.length + separator.length + block.length <= limit) current += separator + block;
    else {
      parts.push(current);
      current = block;
    }
  };
  for (const paragraph of paragraphs.filter((p) => p.length > 0)) {
    const html = paragraph.map(spansHtml).join('\n');
    if (html.length <= limit) {
      add(html, '\n\n');
      continue;
    }
    paragraph.forEach((line, i) => {
      const separator = i === 0 ? '\n\n' : '\n';
      const lineHtml = spansHtml(line);
      if (lineHtml.length <= limit) add(lineHtml, separator);
      else {
        // Each piece of an over-long line starts a part of its own: the line fills whole messages anyway.
        if (current) parts.push(current);
        current = '';
        const pieces = splitLine(line, limit);
        parts.push(...pieces.slice(0, -1));
        current = pieces[pieces.length - 1] ?? '';
      }
    });
  }
  if (current) parts.push(current);
  return parts;
}

/** A message's parts, never none: a text made only of markup still says something ("…" at worst). */
export function partsOf(markup: string): string[] {
  const parts = splitMessage(markup).filter((part) => part.trim());
  if (parts.length === 0) parts.push(escapeHtml(plainText(markup)) || '…');
  return parts;
}

/** Buttons: two per row while both labels are short, otherwise one per row; the order is kept. */
export function keyboardOf(choices: readonly OutChoice[], promptSeq: number): InlineKeyboardButton[][] {
  const rows: InlineKeyboardButton[][] = [];
  const short = (choice: OutChoice) => [...choice.label].length <= SHORT_LABEL;
  for (let i = 0; i < choices.length; i++) {
    const choice = choices[i]!;
    const next = choices[i + 1];
    const button = (c: OutChoice): InlineKeyboardButton => ({ text: c.label, callback_data: encodeChoice(promptSeq, c.id) });
    if (next && short(choice) && short(next)) {
      rows.push([button(choice), button(next)]);
      i++;
    } else rows.push([button(choice)]);
  }
  return rows;
}

/** The command menu in one language, from locales/<lang>/common.json `telegram.commands`. */
export function botCommands(texts: Texts, lang: Lang): BotCommand[] {
  const t = texts.t(lang);
  const order = ['start', 'help', 'human', 'where', 'back', 'lang', 'restart', 'forget'] as const satisfies ReadonlyArray<(typeof COMMANDS)[number]>;
  return order.map((key) => ({
    command: plainText(t(`common:telegram.commands.${key}.command`)),
    description: plainText(t(`common:telegram.commands.${key}.description`)),
  }));
}

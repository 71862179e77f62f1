/**
 * Writing Telegram messages: our markup (src/render/markup.ts) → Telegram HTML, every span's text escaped, split
 * under Telegram's 4096-character limit; choices → inline-keyboard rows; the command menus from the locales.
 */
import type { BotCommand, InlineKeyboardButton } from 'grammy/types';
import type { OutChoice } from '../../engine/types.js';
import { COMMANDS } from '../../engine/interpret.js';
import type { Lang, Texts } from '../../render/i18n.js';
import { parseMarkup, plainText, type Span } from '../../render/markup.js';
import { buttonRows } from '../kit/buttons.js';
import { escapeHtml } from '../kit/html.js';
import { mergeSpans, splitSpans } from '../kit/split.js';
import { encodeChoice } from './read.js';

/** Telegram's limit for one message's text. We measure the HTML, which is never shorter than what Telegram counts. */
export const MESSAGE_LIMIT = 4096;

function spanHtml(span: Span): string {
  const text = escapeHtml(span.text);
  return span.kind === 'bold' ? `<b>${text}</b>` : span.kind === 'code' ? `<code>${text}</code>` : text;
}

/** Adjacent spans of one kind are rendered as one (after splitting, a bold run may come in pieces). */
function spansHtml(spans: readonly Span[]): string {
  return mergeSpans(spans).map(spanHtml).join('');
}

/** Our markup → Telegram HTML, every span's text escaped. */
export function toHtml(markup: string): string {
  return spansHtml(parseMarkup(markup));
}

/**
 * Our markup → Telegram HTML in parts of at most `limit` characters (the kit's cut: between paragraphs, lines, words,
 * code points), measured on the escaped HTML itself. Tags never straddle two parts.
 */
export function splitMessage(markup: string, limit = MESSAGE_LIMIT): string[] {
  return splitSpans(parseMarkup(markup), (spans) => spansHtml(spans).length <= limit).map(spansHtml);
}

/** A message's parts, never none: a text made only of markup still says something ("…" at worst). */
export function partsOf(markup: string): string[] {
  const parts = splitMessage(markup).filter((part) => part.trim());
  if (parts.length === 0) parts.push(escapeHtml(plainText(markup)) || '…');
  return parts;
}

/** Buttons in the kit's rows (two short labels side by side, a long one alone), in order. */
export function keyboardOf(choices: readonly OutChoice[], promptSeq: number): InlineKeyboardButton[][] {
  return buttonRows(choices).map((row) => row.map((c) => ({ text: c.label, callback_data: encodeChoice(promptSeq, c.id) })));
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

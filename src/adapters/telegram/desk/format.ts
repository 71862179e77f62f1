/**
 * The desk's posts on Telegram: the user side's HTML and splitting (../format.ts), desk buttons that can never be
 * mistaken for the guide's, topic names within Telegram's limit, and reply mode's titled cards.
 */
import type { InlineKeyboardButton } from 'grammy/types';
import type { DeskButton, DeskPost } from '../../../desk/port.js';
import { escapeMarkup } from '../../../render/markup.js';
import { buttonRows } from '../../kit/buttons.js';
import { CALLBACK_DATA_LIMIT } from '../read.js';

/** Telegram's limit for a topic's name, in characters. */
export const TOPIC_NAME_LIMIT = 128;
/** Button presses on the desk carry `desk:<button id>`: never mistaken for the user side's `<seq>:<choice>`. */
export const DESK_CALLBACK_PREFIX = 'desk:';

/** A desk button's callback_data. */
export function encodeDeskButton(id: string): string {
  const data = DESK_CALLBACK_PREFIX + id;
  if (Buffer.byteLength(data, 'utf8') > CALLBACK_DATA_LIMIT) throw new Error(`desk button id over ${CALLBACK_DATA_LIMIT} bytes: "${id}"`);
  return data;
}

/** The desk button a press carries, or undefined for data that is not a desk button's. */
export function decodeDeskButton(data: string | undefined): string | undefined {
  return data?.startsWith(DESK_CALLBACK_PREFIX) && data.length > DESK_CALLBACK_PREFIX.length ? data.slice(DESK_CALLBACK_PREFIX.length) : undefined;
}

/** Buttons in the kit's rows, as on the user side. */
export function deskKeyboard(buttons: readonly DeskButton[] = []): InlineKeyboardButton[][] {
  return buttonRows(buttons).map((row) => row.map((b) => ({ text: b.label, callback_data: encodeDeskButton(b.id) })));
}

/** A topic's name: at most 128 characters (code points), never empty. */
export function topicName(title: string): string {
  const name = [...title.replace(/\s+/g, ' ').trim()].slice(0, TOPIC_NAME_LIMIT).join('');
  return name || '…';
}

/** Reply mode has no topic names: the title is the card's first line, in bold. */
export function titled(title: string, card: DeskPost): DeskPost {
  return { ...card, text: `**${escapeMarkup(title)}**\n\n${card.text}` };
}

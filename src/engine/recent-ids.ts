/**
 * De-duplication by platform message id: a conversation (and a ticket, for desk messages) keeps the ids of its
 * last messages in its row, as JSON, and a redelivered one is not handled twice. Redeliveries (a crash before
 * Telegram's offset was confirmed, a Matrix sync replayed) are of recent messages, so a short list is enough.
 */

export const RECENT_IDS_KEPT = 20;

/** The ids stored in a row (an unreadable value counts as none). */
export function readIds(json: string): string[] {
  try {
    const ids = JSON.parse(json) as unknown;
    return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [];
  } catch {
    return [];
  }
}

/** Records `id` in `ids` (oldest dropped past the limit). False when it was already there: a redelivery. */
export function rememberId(ids: string[], id: string): boolean {
  if (ids.includes(id)) return false;
  ids.push(id);
  if (ids.length > RECENT_IDS_KEPT) ids.splice(0, ids.length - RECENT_IDS_KEPT);
  return true;
}

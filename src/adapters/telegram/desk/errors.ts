/**
 * What Telegram's errors mean on the desk: a thread (topic, or reply chain) gone, an edit that changed nothing, a
 * chat that is not a forum, a message already deleted or not ours to delete, someone not in the group, and the
 * group upgraded to a supergroup (`migrate_to_chat_id`). Telegram words these differently across versions and
 * servers: each pattern lists the wordings seen.
 */
import { GrammyError } from 'grammy';
import { ThreadGoneError } from '../../../desk/port.js';

export const THREAD_GONE = /message thread not found|thread not found|topic_deleted|topic_closed|topic_id_invalid|message to be replied not found|replied message not found/i;
export const NOT_MODIFIED = /message is not modified|topic_not_modified/i;
export const NOT_A_FORUM = /not a forum|chat_not_forum|topics? (?:are |is )?disabled|method is available only for supergroups/i;
export const NOT_FOUND = /message to (?:delete|edit) not found|message not found|wasn't found/i;
export const CANT_DELETE = /can't be deleted|message can't be deleted|not enough rights/i;
export const NOT_A_MEMBER = /user not found|participant_id_invalid|user_not_participant|member not found|user_id_invalid/i;

export function grammyError(error: unknown): GrammyError | undefined {
  return error instanceof GrammyError ? error : undefined;
}

/** Whether `error` is Telegram's answer `code` (400 by default) with a description matching `pattern`. */
export function matches(error: unknown, pattern: RegExp, code = 400): boolean {
  const e = grammyError(error);
  return !!e && e.error_code === code && pattern.test(e.description);
}

export function isThreadGone(error: unknown): boolean {
  return matches(error, THREAD_GONE);
}

/** The new chat id when Telegram says the group became a supergroup. */
export function migrationTarget(error: unknown): number | undefined {
  return grammyError(error)?.parameters?.migrate_to_chat_id;
}

/** The desk core's ThreadGoneError, with Telegram's words only (no chat id, no text). */
export function goneError(error: unknown): ThreadGoneError {
  return new ThreadGoneError(`telegram: ${grammyError(error)?.description ?? 'thread gone'}`);
}

/** Rethrows a thread that is gone as ThreadGoneError, anything else as itself. */
export function threadGone(error: unknown): never {
  if (isThreadGone(error)) throw goneError(error);
  throw error;
}

/** For the log: Telegram's method, code and description, or only the kind of error. */
export function describeDeskError(error: unknown): Record<string, unknown> {
  const e = grammyError(error);
  return e ? { method: e.method, code: e.error_code, description: e.description } : { error: error instanceof Error ? error.name : typeof error };
}

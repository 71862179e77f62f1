/**
 * Telegram's errors, said safely: in logs (Telegram's code and description, or the kind of failure — never a
 * payload, a text, a token or a chat id), to the engine (a 403 means the person is gone), and to the operator (a
 * wrong token or Telegram unreachable, printed without a stack).
 */
import { GrammyError, HttpError, type Transformer } from 'grammy';
import { RecipientGoneError } from '../../engine/types.js';
import type { Log } from '../../log.js';

/** A safe description of an error: Telegram's code and description, or the kind of failure — never a payload. */
export function describeError(error: unknown): Record<string, unknown> {
  if (error instanceof GrammyError) return { method: error.method, code: error.error_code, description: error.description };
  if (error instanceof HttpError) return { error: error.message };
  return { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
}

/**
 * What a refused send means for the engine: the person blocked the bot or deleted their account (403) is
 * RecipientGoneError, without the chat id or the text; any other error is itself.
 */
export function sendError(error: unknown): unknown {
  return error instanceof GrammyError && error.error_code === 403 ? new RecipientGoneError(`telegram: ${error.description}`) : error;
}

/**
 * For the operator, when the process cannot go on (a wrong token, Telegram unreachable at start): grammY's
 * messages name the method and Telegram's words, never the token. Undefined for an error that is not Telegram's.
 */
export function operatorError(error: unknown): string | undefined {
  // By name, as src/main.ts always told them: an error from another copy of grammY (a plugin's) is still one.
  const name = (error as Error | undefined)?.name;
  return name === 'GrammyError' || name === 'HttpError' ? (error as Error).message : undefined;
}

/** A Telegram error as a sentence for the doctor: the method and Telegram's own words, or why it could not be reached. */
export function telegramProblem(error: unknown): string {
  if (error instanceof GrammyError) return `${error.method}: ${error.error_code} ${error.description}`;
  // Only the error's code: node-fetch's message quotes the URL, and the URL holds the token.
  if (error instanceof HttpError) return `Telegram could not be reached (${(error.error as { code?: string })?.code ?? (error.error as Error)?.name ?? 'network error'})`;
  return (error as Error)?.message ?? String(error);
}

/** An API transformer that logs each failed attempt: the method and Telegram's error only. */
export function logFailures(log: Log): Transformer {
  return async (prev, method, payload, signal) => {
    try {
      const result = await prev(method, payload, signal);
      if (!result.ok) log('telegram_api_error', { method, code: result.error_code, description: result.description }, 'warn');
      return result;
    } catch (error) {
      if (!signal?.aborted) log('telegram_api_unreachable', { method, ...describeError(error) }, 'warn');
      throw error;
    }
  };
}

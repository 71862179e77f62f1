/**
 * Matrix's errors as the adapter handles them: said safely (an error code, never a body: bodies name rooms and
 * users), retried when worth it, and the operator's errors at start (MatrixStartError), which name the variable
 * to check. matrix-bot-sdk's own log lines come through here too, their ids masked.
 */
import type { MatrixSdk } from './sdk.js';
import type { Log } from '../../log.js';

/** A start that cannot go on (a refused token, the desk room closed to the bot): its message teaches the fix. */
export class MatrixStartError extends Error {
  override name = 'MatrixStartError';
}

/** What the operator can do when the native crypto module is missing. */
export const ENCRYPTION_FIX = 'npm rebuild @matrix-org/matrix-sdk-crypto-nodejs (downloads its binary; needs access to github.com)';

/** A safe description of an error: Matrix's error code and HTTP status, or the kind of failure — never a body. */
export function describeError(error: unknown): Record<string, unknown> {
  const e = error as { errcode?: unknown; statusCode?: unknown; code?: unknown; name?: unknown } | null;
  if (e && typeof e.errcode === 'string') return { errcode: e.errcode, status: e.statusCode };
  if (e && typeof e.statusCode === 'number') return { status: e.statusCode };
  if (e && typeof e.code === 'string') return { error: e.code };
  return { error: error instanceof Error ? error.name : typeof error };
}

/** A Matrix error's code (M_FORBIDDEN…) or HTTP status. */
export function errcodeOf(error: unknown): string | number | undefined {
  const e = error as { errcode?: unknown; statusCode?: unknown } | null;
  if (e && typeof e.errcode === 'string') return e.errcode;
  return e && typeof e.statusCode === 'number' ? e.statusCode : undefined;
}

/** The homeserver has no such event (or room). */
export function notFound(error: unknown): boolean {
  const code = errcodeOf(error);
  return code === 'M_NOT_FOUND' || code === 404;
}

const NETWORK_ERRORS = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'EAI_AGAIN', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH']);

/** Worth trying again: rate-limited, the server failing, the network failing. */
export function retryable(error: unknown): boolean {
  const e = error as { errcode?: unknown; statusCode?: unknown; code?: unknown } | null;
  if (!e) return false;
  if (e.errcode === 'M_LIMIT_EXCEEDED') return true;
  if (typeof e.statusCode === 'number') return e.statusCode === 429 || e.statusCode >= 500;
  return typeof e.code === 'string' && NETWORK_ERRORS.has(e.code);
}

/** whoami refused or unreachable: which variable to check. */
export function whoamiFailed(detail: Record<string, unknown>): MatrixStartError {
  return new MatrixStartError(
    detail.errcode
      ? `the Matrix homeserver refused the access token (${String(detail.errcode)}): check MATRIX_ACCESS_TOKEN`
      : `cannot reach the Matrix homeserver at MATRIX_HOMESERVER_URL (${String(detail.error ?? detail.status)})`,
  );
}

/** Matrix ids (`@user:server`, `!room:server`, `#alias:server`, `$event`), plain or URL-encoded, masked in SDK logs. */
function maskIds(text: string): string {
  return text
    .replace(/[@!#+][^\s:'",/]+:[A-Za-z0-9.\-[\]:]+/g, '<id>')
    .replace(/\$[A-Za-z0-9_\-+/=.]+/g, '<id>')
    .replace(/%(?:21|23|24|40)[^\s/?&'"]+/gi, '<id>')
    .replace(/access_token=[^&\s]+/g, 'access_token=<redacted>');
}

function sdkMessage(parts: unknown[]): string {
  return maskIds(
    parts
      .map((part) =>
        part instanceof Error
          ? `${part.name}: ${(part as { errcode?: string }).errcode ?? part.message}`
          : typeof part === 'object' && part !== null
            ? String((part as { errcode?: unknown }).errcode ?? '[object]')
            : String(part),
      )
      .join(' '),
  ).slice(0, 300);
}

/** matrix-bot-sdk's own log lines, into ours: masked, and its HTTP client's (every failed request) at debug. */
export function routeSdkLogs(sdk: MatrixSdk, log: Log): void {
  const line = (level: 'debug' | 'info' | 'warn' | 'error') => (module: string, ...parts: unknown[]) =>
    log('matrix_sdk', { module, message: sdkMessage(parts) }, module === 'MatrixHttpClient' ? 'debug' : level);
  sdk.LogService.setLogger({ trace: () => {}, debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') });
  sdk.LogService.setLevel(sdk.LogLevel.INFO);
}

/**
 * `npm run doctor` for Matrix, against the homeserver for real: the token (whoami), the media repository's upload
 * limit (files relayed from the other platforms are re-uploaded here), each desk room joined (or an invitation
 * waiting), the bot's power to redact there — the room of MATRIX_DESK_ROOM_ID, or each desk's of the desks file
 * when the doctor is given them (`deskPlaces`). Plain fetch, not the SDK: the doctor must not start a client (no
 * sync, no crypto store).
 */
import { MAX_MEDIA_BYTES } from '../../engine/media.js';
import type { CheckResult } from '../../ops/check-result.js';
import type { DeskPlace } from '../platform.js';
import type { MatrixConfig } from './config.js';
import { deskRoomPlaces } from './desk/places.js';
import { MATRIX_DESK } from './desk/port.js';

const ok = (name: string, detail: string): CheckResult => ({ name, status: 'ok', detail });
const warn = (name: string, detail: string, fix: string): CheckResult => ({ name, status: 'warn', detail, fix });
const fail = (name: string, detail: string, fix: string): CheckResult => ({ name, status: 'fail', detail, fix });

class MatrixProblem extends Error {
  constructor(
    readonly status: number,
    readonly errcode: string,
    message: string,
  ) {
    super(message);
  }
}

/** A GET of the client-server API (`/_matrix/client/v3` + path). */
function matrixGet<T>(matrix: MatrixConfig, path: string, timeoutMs: number): Promise<T> {
  return matrixGetAt<T>(matrix, `/_matrix/client/v3${path}`, timeoutMs);
}

/** A GET of any path of the homeserver, authenticated: its JSON, or a MatrixProblem saying what went wrong. */
async function matrixGetAt<T>(matrix: MatrixConfig, fullPath: string, timeoutMs: number): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`${matrix.homeserverUrl}${fullPath}`, {
      headers: { authorization: `Bearer ${matrix.accessToken}` },
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new MatrixProblem(0, 'UNREACHABLE', `the homeserver could not be reached (${(error as Error).cause instanceof Error ? ((error as Error).cause as Error).message : (error as Error).message})`);
  }
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok) throw new MatrixProblem(response.status, String(body.errcode ?? response.status), `${response.status} ${String(body.errcode ?? '')} ${String(body.error ?? '')}`.trim());
  return body as T;
}

/** A desk room to check: its id, how the checks are named ("matrix desk room (arn)"), and what sets it. */
export interface DeskRoomToCheck {
  roomId: string;
  /** "" for the room of MATRIX_DESK_ROOM_ID, " (arn)" for a desk of the desks file. */
  suffix: string;
  /** What to fix when the id is wrong: "MATRIX_DESK_ROOM_ID", or the desk's matrixRoomId in the desks file. */
  setting: string;
}

/** The desk rooms the doctor checks: the desks file's on Matrix when given, else MATRIX_DESK_ROOM_ID's. */
export function deskRoomsToCheck(matrix: Pick<MatrixConfig, 'desk'>, deskPlaces?: ReadonlyArray<DeskPlace>): DeskRoomToCheck[] {
  return deskRoomPlaces(matrix, deskPlaces).map(({ roomId, port, setting }) => ({ roomId, suffix: port === MATRIX_DESK ? '' : ` (${port.slice(port.indexOf('/') + 1)})`, setting }));
}

export async function checkMatrix(matrix: MatrixConfig, rooms: readonly DeskRoomToCheck[], timeoutMs: number): Promise<CheckResult[]> {
  let userId: string;
  try {
    userId = (await matrixGet<{ user_id: string }>(matrix, '/account/whoami', timeoutMs)).user_id;
  } catch (error) {
    const problem = error as MatrixProblem;
    const refused = problem.status === 401;
    return [
      fail(
        'matrix token',
        refused ? `the homeserver refuses MATRIX_ACCESS_TOKEN (${problem.errcode})` : problem.message,
        refused ? "log in as the bot's account again and copy its new access token (README, \"Matrix\")" : 'check MATRIX_HOMESERVER_URL (the client-server API, like https://matrix.example.org) and the network',
      ),
    ];
  }
  const results = [ok('matrix token', `the bot is ${userId}`), await checkMedia(matrix, timeoutMs)];
  for (const room of rooms) results.push(...(await checkDeskRoom(matrix, userId, room, timeoutMs)));
  return results;
}

/** One desk room: joined (or an invitation waiting), and the bot's power to redact there. */
async function checkDeskRoom(matrix: MatrixConfig, userId: string, { roomId, suffix, setting }: DeskRoomToCheck, timeoutMs: number): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const roomCheck = `matrix desk room${suffix}`;
  const powerCheck = `matrix desk power${suffix}`;
  let joined: boolean;
  try {
    joined = (await matrixGet<{ joined_rooms: string[] }>(matrix, '/joined_rooms', timeoutMs)).joined_rooms.includes(roomId);
    if (!joined) {
      // Invited but not joined yet: the bot joins at its next start (the adapter accepts the desk room's invitation).
      const filter = encodeURIComponent(JSON.stringify({ room: { timeline: { limit: 0 }, state: { limit: 0 } }, presence: { limit: 0 } }));
      const sync = await matrixGet<{ rooms?: { invite?: Record<string, unknown> } }>(matrix, `/sync?timeout=0&filter=${filter}`, timeoutMs);
      const invited = Object.keys(sync.rooms?.invite ?? {}).includes(roomId);
      results.push(
        invited
          ? ok(roomCheck, `${userId} is invited to ${roomId}: it joins at its next start`)
          : fail(roomCheck, `${userId} is not in ${roomId}`, `invite ${userId} to the room (and check ${setting}), then start the bot: it joins`),
      );
      return results;
    }
    results.push(ok(roomCheck, `${userId} is in ${roomId}`));
  } catch (error) {
    results.push(fail(roomCheck, (error as Error).message, `check ${setting} (a room id like !abcdef:example.org)`));
    return results;
  }
  try {
    const levels = await matrixGet<{ users?: Record<string, number>; users_default?: number; redact?: number }>(matrix, `/rooms/${encodeURIComponent(roomId)}/state/m.room.power_levels/`, timeoutMs);
    const mine = levels.users?.[userId] ?? levels.users_default ?? 0;
    const needed = levels.redact ?? 50;
    results.push(
      mine >= needed
        ? ok(powerCheck, `power level ${mine}: can redact others' messages (needs ${needed})`)
        : fail(powerCheck, `power level ${mine}, redacting needs ${needed} (the person's words cannot be erased from the desk on /forget)`, `give ${userId} the Moderator role (power ${needed}) in the room's settings`),
    );
  } catch (error) {
    results.push(fail(powerCheck, `cannot read the room's power levels: ${(error as Error).message}`, `give ${userId} the Moderator role in the room's settings`));
  }
  return results;
}

// ─────────────────────────────── media repository ───────────────────────────────

const MEGABYTE = 1024 * 1024;
/** "50 MB", "9.5 MB": in Synapse's own unit (its "50M" is 50 × 1024 × 1024 bytes). */
const megabytes = (bytes: number) => `${Math.round((bytes / MEGABYTE) * 10) / 10} MB`;
/** What the operator sets: Synapse's max_upload_size, in its own notation ("10M"). */
const NEEDED_SETTING = `${Math.ceil(MAX_MEDIA_BYTES / MEGABYTE)}M`;

/** An endpoint this homeserver does not have: 404 or 405 M_UNRECOGNIZED as the spec says, or a bare 404. */
const unrecognized = (problem: MatrixProblem) => problem.errcode === 'M_UNRECOGNIZED' || problem.status === 404 || problem.status === 405;

/**
 * The media repository's upload limit (`m.upload.size`), from GET /_matrix/client/v1/media/config (authenticated
 * media, Matrix 1.11), else the older /_matrix/media/v3/config. Files from Telegram or the web chat reach a Matrix
 * desk or person by being uploaded here: a limit under MAX_MEDIA_BYTES, or no media repository at all, means some
 * (or all) of them cannot — a warning, not a failure: text still goes both ways.
 */
async function checkMedia(matrix: MatrixConfig, timeoutMs: number): Promise<CheckResult> {
  const name = 'matrix media';
  let config: { 'm.upload.size'?: unknown };
  try {
    config = await mediaConfig(matrix, timeoutMs);
  } catch (error) {
    const problem = error as MatrixProblem;
    if (unrecognized(problem)) {
      return warn(
        name,
        `the homeserver has no media repository (${problem.status} ${problem.errcode} on /_matrix/client/v1/media/config and /_matrix/media/v3/config): files from Telegram or the web chat cannot reach the Matrix desk or people`,
        `turn the homeserver's media repository on (Synapse: enable_media_repo: true), with max_upload_size at least ${NEEDED_SETTING}`,
      );
    }
    return warn(name, `cannot read the homeserver's media configuration: ${problem.message}`, "check the homeserver's media repository (its logs), then run the doctor again");
  }
  const limit = config['m.upload.size'];
  // The spec lets a homeserver leave the limit out (or null): unknown, not a problem found.
  if (typeof limit !== 'number' || !Number.isFinite(limit) || limit < 0) {
    return ok(name, 'the homeserver takes uploads and does not say its size limit');
  }
  if (limit < MAX_MEDIA_BYTES) {
    return warn(
      name,
      `uploads up to ${megabytes(limit)}: files over ${megabytes(limit)} from Telegram or the web chat cannot reach the Matrix desk or people (they may be up to ${megabytes(MAX_MEDIA_BYTES)})`,
      `raise max_upload_size to at least ${NEEDED_SETTING} (Synapse's homeserver.yaml), then restart the homeserver`,
    );
  }
  return ok(name, `uploads up to ${megabytes(limit)}`);
}

/** The media config, from the authenticated endpoint, or the older one when this homeserver predates it. */
async function mediaConfig(matrix: MatrixConfig, timeoutMs: number): Promise<{ 'm.upload.size'?: unknown }> {
  try {
    return await matrixGetAt(matrix, '/_matrix/client/v1/media/config', timeoutMs);
  } catch (error) {
    if (!unrecognized(error as MatrixProblem)) throw error;
    return matrixGetAt(matrix, '/_matrix/media/v3/config', timeoutMs);
  }
}

/**
 * The desks as the desk core meets them: which port (a platform's group or room) belongs to which desk, who may
 * act there, where a ticket's thread goes, when an unclaimed ticket is worth alerting about again, the usual wait
 * in open hours, and where `/transfer NAME` sends a ticket. Pure: the core passes the clock's value in.
 *
 * Port names: the one desk of the single-desk variables keeps the platform's name ("telegram", "matrix"), so the
 * tickets stored before desks existed still find their threads; a desk of a desks file is "<platform>/<desk id>"
 * ("telegram/arn"). A port's name is stored with each ticket's thread and each volunteer.
 */
import type { DeskSpec } from './desks.js';
import { SINGLE_DESK_ID, deskNamed, onAllowList } from './desks.js';
import { afterOpenMinutes, openMinutesBetween } from './hours.js';

export const PLATFORMS = ['telegram', 'matrix'] as const;
export type DeskPlatform = (typeof PLATFORMS)[number];

export function portName(desk: Pick<DeskSpec, 'id'>, platform: DeskPlatform): string {
  return desk.id === SINGLE_DESK_ID ? platform : `${platform}/${desk.id}`;
}

/** "telegram/arn" → "telegram"; "matrix" → "matrix". */
export function platformOfPort(port: string): string {
  const slash = port.indexOf('/');
  return slash === -1 ? port : port.slice(0, slash);
}

/** The desk's places: the group/room id on each platform it is on. */
export function placesOf(desk: DeskSpec): Array<{ platform: DeskPlatform; place: string; port: string }> {
  return [
    ...(desk.telegramChatId ? [{ platform: 'telegram' as const, place: desk.telegramChatId, port: portName(desk, 'telegram') }] : []),
    ...(desk.matrixRoomId ? [{ platform: 'matrix' as const, place: desk.matrixRoomId, port: portName(desk, 'matrix') }] : []),
  ];
}

export function createDirectory(desks: readonly DeskSpec[]) {
  const byPort = new Map<string, DeskSpec>();
  for (const desk of desks) for (const { port } of placesOf(desk)) byPort.set(port, desk);
  // The single desk of the variables owns every port registered, whatever its name (as before desks existed).
  const single = desks.length === 1 && desks[0]!.id === SINGLE_DESK_ID ? desks[0] : undefined;
  const deskOfPort = (port: string): DeskSpec | undefined => byPort.get(port) ?? single;

  return {
    desks,
    deskOfPort,

    /**
     * Where a ticket of this desk opens its thread: the desk's port on the person's platform when it is running,
     * else its other one (a Telegram user may be helped from the desk's Matrix room); undefined when none runs.
     */
    portFor(desk: DeskSpec, personPlatform: string, running: ReadonlySet<string>): string | undefined {
      const ports = desk === single ? [...running] : placesOf(desk).map((p) => p.port).filter((port) => running.has(port));
      return ports.find((port) => platformOfPort(port) === personPlatform) ?? ports[0];
    },

    /**
     * May this user act from this port? The desk's allow-list when it has one ("telegram:123"); with none, the
     * port's membership check decides ('members'). A port of no desk: nobody.
     */
    mayAct(port: string, userId: string): boolean | 'members' {
      const desk = deskOfPort(port);
      return desk ? onAllowList(desk, platformOfPort(port), userId) : false;
    },
  };
}

export type DeskDirectory = ReturnType<typeof createDirectory>;

/**
 * When to alert the desk again about an unclaimed ticket: after `alertMinutes` of the desk's *open* time, so a
 * ticket left on Friday night is not announced to an empty room all weekend; the alert comes once the desk has
 * been open that long. A desk with no hours: plain time.
 */
export function nextAlertAt(desk: Pick<DeskSpec, 'hours'>, now: number, alertMinutes: number): number {
  return afterOpenMinutes(desk.hours, now, alertMinutes) ?? now + alertMinutes * 60_000;
}

/**
 * The usual wait, in open minutes: the median of the recent waits (queued → claimed) counted in the desk's open
 * hours, or `fallback` with none. The person is told this with the desk's hours when it is closed.
 */
export function usualWaitOpenMinutes(
  desk: Pick<DeskSpec, 'hours'>,
  waits: ReadonlyArray<{ queuedAt: number; claimedAt: number }>,
  fallback: number,
): number {
  if (waits.length === 0) return fallback;
  const minutes = waits.map((w) => openMinutesBetween(desk.hours, w.queuedAt, w.claimedAt)).sort((a, b) => a - b);
  return Math.max(1, minutes[Math.floor(minutes.length / 2)]!);
}

export type TransferTarget =
  | { ok: true; desk: DeskSpec }
  | { ok: false; refusal: 'noName' | 'unknownDesk' | 'sameDesk'; names: string[] };

/** `/transfer NAME`: the desk named (by id or name), or why not, with the names one can give. */
export function transferTarget(desks: readonly DeskSpec[], from: DeskSpec, text: string): TransferTarget {
  const names = desks.filter((d) => d.id !== from.id).map((d) => d.name);
  if (text.trim() === '') return { ok: false, refusal: 'noName', names };
  const desk = deskNamed(desks, text);
  if (!desk) return { ok: false, refusal: 'unknownDesk', names };
  if (desk.id === from.id) return { ok: false, refusal: 'sameDesk', names };
  return { ok: true, desk };
}

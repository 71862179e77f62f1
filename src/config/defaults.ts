/**
 * Every default of demailbot, once, in the units people think in (days, hours, minutes): the configuration reads
 * the environment against these, the engine and the desk fall back on them when made without a configuration
 * (tests, the bench), and the README's table says the same numbers.
 */
export const DEFAULTS = {
  /** RETENTION_DAYS: a conversation untouched this long is erased. */
  retentionDays: 180,
  /** REMINDER_DAYS: check-ins this many days after turning reminders on. */
  reminderDays: [7, 30, 90] as readonly number[],
  /** LOG_LEVEL. */
  logLevel: 'warn',
  /** METRICS_HOST: metrics for this machine only, unless told otherwise. */
  metricsHost: '127.0.0.1',
  desk: {
    /** DESK_LANG. */
    lang: 'fr',
    /** DESK_TIME_ZONE. */
    timeZone: 'Europe/Paris',
    /** DESK_UNCLAIMED_ALERT_HOURS: an unclaimed ticket is announced again after this. */
    unclaimedAlertHours: 4,
    /** DESK_INACTIVE_DAYS: a claimed ticket with no word from the person → "still there?". */
    inactiveDays: 7,
    /** DESK_STILL_THERE_DAYS: then closed after this without an answer. */
    stillThereDays: 3,
    /** DESK_REOPEN_HOURS: a closed ticket reopens when the person asks again within this. */
    reopenHours: 72,
    /** DESK_DEFAULT_WAIT_MINUTES: the wait announced when no claim happened in the last 30 days. */
    defaultWaitMinutes: 240,
    /** TICKET_RETENTION_DAYS: closed tickets are erased after this. */
    ticketRetentionDays: 30,
  },
} as const;

const HOUR_MS = 3600_000;
const DAY_MS = 24 * HOUR_MS;

/** The desk's durations as the desk core counts them (milliseconds). */
export interface DeskTiming {
  unclaimedAlertMs: number;
  inactiveMs: number;
  stillThereMs: number;
  reopenMs: number;
  defaultWaitMinutes: number;
  retentionMs: number;
}

export type DeskDurations = Pick<
  typeof DEFAULTS.desk,
  'unclaimedAlertHours' | 'inactiveDays' | 'stillThereDays' | 'reopenHours' | 'defaultWaitMinutes' | 'ticketRetentionDays'
>;

/** Days, hours and minutes (the configuration's units) → the desk core's milliseconds. */
export function deskTiming(durations: { [K in keyof DeskDurations]: number } = DEFAULTS.desk): DeskTiming {
  return {
    unclaimedAlertMs: durations.unclaimedAlertHours * HOUR_MS,
    inactiveMs: durations.inactiveDays * DAY_MS,
    stillThereMs: durations.stillThereDays * DAY_MS,
    reopenMs: durations.reopenHours * HOUR_MS,
    defaultWaitMinutes: durations.defaultWaitMinutes,
    retentionMs: durations.ticketRetentionDays * DAY_MS,
  };
}

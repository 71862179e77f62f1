/** One line of `npm run doctor`: what was checked, what was found and, when it is not ok, what to do. */
export type CheckStatus = 'ok' | 'warn' | 'fail';

export interface CheckResult {
  /** What was checked: "database", "telegram desk group"… */
  name: string;
  status: CheckStatus;
  /** What was found. */
  detail: string;
  /** What to do, when it is not ok. */
  fix?: string;
}

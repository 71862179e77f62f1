/**
 * Choices laid out as rows of buttons, the same on every platform that has buttons: two per row while both labels
 * are short (a phone shows them side by side without cutting them), otherwise one per row; the order is kept, so
 * "1." is always the first button a person reads.
 */
import type { OutChoice } from '../../engine/types.js';

/** A label this short (in code points) sits beside another one on a phone's width. */
export const SHORT_LABEL = 16;

export function buttonRows<T extends Pick<OutChoice, 'label'>>(choices: readonly T[], shortLabel = SHORT_LABEL): T[][] {
  const rows: T[][] = [];
  const short = (choice: T) => [...choice.label].length <= shortLabel;
  for (let i = 0; i < choices.length; i++) {
    const choice = choices[i]!;
    const next = choices[i + 1];
    if (next && short(choice) && short(next)) {
      rows.push([choice, next]);
      i++;
    } else rows.push([choice]);
  }
  return rows;
}

/**
 * Scripted people for the crash test: whole guide conversations — /start (some with a deep link), the questions
 * answered by buttons and by typing, commands on the way (/retour, /ou, /aide), a sticker, an old button, a
 * language switch, more hosts and "why not", an answer changed, a host chosen, then every plan step to the end.
 * And a seeded PRNG, so a failing run's kill moments and pauses can be replayed.
 */
import type { Person } from './telegram-side.js';
import { prng } from '../support/random.js';

export { prng };


export type Step =
  /** /start, with a deep-link payload when not empty. */
  | { start: string }
  /** A button of the current prompt by choice id; "provider:*" is the `nth` button whose id starts so. */
  | { press: string; nth?: number }
  /** Typed text ("/…" is sent as a command, as Telegram apps do). */
  | { say: string }
  | { sticker: true }
  /** A button of the very first message (long gone by then): answered as stale, with the current question. */
  | { stale: true }
  /** The plan: these steps in turn, over and over, until the plan's end (its prompt offers "otherProvider"). */
  | { plan: Step[] }
  /**
   * Impatience: these steps sent at once, without waiting in between (a double tap on a button — the second press
   * is then of an old prompt, answered as stale —, or two messages typed in a row); then the last reply is awaited.
   */
  | { burst: Step[] };

export interface Script {
  name: string;
  languageCode: string;
  steps: Step[];
}

const press = (choice: string, nth = 0): Step => ({ press: choice, nth });
const presses = (...choices: string[]): Step[] => choices.map((c) => press(c));
const say = (...texts: string[]): Step[] => texts.map((text) => ({ say: text }));
const doubleTap = (choice: string): Step => ({ burst: [press(choice), press(choice)] });

export const SCRIPTS: readonly Script[] = [
  {
    name: 'gmail, all buttons',
    languageCode: 'fr',
    steps: [
      { start: '' },
      ...presses('begin', 'gmail', 'me'),
      doubleTap('under5'),
      ...presses('no', 'free', 'dontKnow', 'france', 'yes', 'yes'),
      press('provider:*'),
      { plan: [press('done'), doubleTap('done')] },
    ],
  },
  {
    name: 'gmail, everything typed',
    languageCode: 'fr',
    steps: [
      { start: '' },
      ...say('commencer', 'gmail', 'pour moi', 'je sais pas'),
      { burst: say('non', 'gratuit') },
      ...say('oui', 'peu importe', 'oui', 'oui', '1'),
      { plan: say('fait', 'fait', 'aide', 'fait', 'plus tard') },
    ],
  },
  {
    name: 'deep link outlook-asso, in English',
    languageCode: 'en',
    steps: [
      { start: 'outlook-asso' },
      ...presses('begin', 'upTo20', 'under20', 'have', 'about1', 'yes', 'europe', 'yes', 'yes'),
      press('provider:*', 1),
      // Several mailboxes: the plan asks what to call them.
      ...say('chair, treasurer, secretary'),
      { plan: presses('done', 'skip') },
    ],
  },
  {
    name: 'yahoo then back, /ou, /aide',
    languageCode: 'fr',
    steps: [
      { start: '' },
      ...presses('begin', 'yahoo'),
      ...say('/retour'),
      ...presses('icloud', 'family', 'upTo5'),
      ...say('/ou'),
      ...presses('under5', 'want', 'about1', 'yes', 'france'),
      ...say('/aide'),
      ...presses('yes', 'no'),
      press('provider:*'),
      ...say('Papa, Maman'),
      { plan: [press('done'), press('later'), { say: '/ou' }, press('done')] },
    ],
  },
  {
    name: 'orange business, more hosts, why not, an answer changed',
    languageCode: 'fr',
    steps: [
      { start: '' },
      ...presses('begin', 'orange', 'business', 'upTo20', 'over20', 'have', 'more', 'yes', 'europe', 'no', 'dontKnow'),
      ...presses('more', 'whyNot'),
      press('provider:*'),
      ...presses('change', 'question:budget', 'about5'),
      press('provider:*'),
      ...say('compta, direction'),
      { plan: [press('done')] },
    ],
  },
  {
    name: 'English to French, a sticker, an old button',
    languageCode: 'en',
    steps: [
      { start: '' },
      ...presses('lang:fr', 'begin'),
      { burst: [{ sticker: true }, { say: 'laposte' }] },
      { stale: true },
      ...presses('me', 'under1', 'no', 'free', 'no', 'france', 'no', 'yes'),
      press('provider:*', 2),
      { plan: presses('done', 'help', 'done') },
    ],
  },
  {
    name: "free, association, don't know everything",
    languageCode: 'fr',
    steps: [
      { start: '' },
      ...presses('begin', 'free', 'association', 'upTo5', 'dontKnow', 'dontKnow', 'dontKnow'),
      doubleTap('dontKnow'),
      ...presses('dontKnow', 'dontKnow', 'dontKnow'),
      press('provider:*'),
      // The plan's questions: the mailboxes' names, then whether the Free subscription is being cancelled.
      ...say('bureau, trésorerie'),
      press('no'),
      { plan: presses('help', 'done', 'later', 'skip') },
    ],
  },
  {
    name: 'sfr, then the texts to copy at the end',
    languageCode: 'fr',
    steps: [
      { start: '' },
      ...presses('begin', 'sfr', 'me', 'under20', 'no', 'about1', 'no', 'europe', 'dontKnow', 'yes'),
      press('provider:*'),
      press('no'), // not cancelling the SFR subscription
      { plan: [press('done')] },
      ...presses('templates', 'signature', 'back'),
    ],
  },
];

/** Scripts that work whatever the conversation's language (buttons and commands only): for the later rounds. */
export const AGAIN: readonly Script[] = [SCRIPTS[0]!, SCRIPTS[3]!, SCRIPTS[4]!, SCRIPTS[6]!, SCRIPTS[7]!];

/** A later round of a conversation: restart (confirmed), then a whole script again from the welcome. */
export function againSteps(script: Script): Step[] {
  return [{ say: '/recommencer' }, press('yes'), ...script.steps.filter((step) => !('start' in step))];
}

export interface RunOptions {
  /** Pause before each action (a person reading and tapping), in ms. */
  think: () => number;
  /** How long to wait for one reply before declaring it lost. */
  replyTimeoutMs: number;
  /** Called after each reply (progress). */
  onReply?: () => void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const atPlanEnd = (person: Person) => person.current().keyboard!.flat().some((b) => 'callback_data' in b && b.callback_data.endsWith(':otherProvider'));

/** One action, without waiting for its reply. */
async function send(person: Person, step: Step): Promise<void> {
  if ('start' in step) await person.command(step.start ? `/start ${step.start}` : '/start');
  else if ('press' in step) await person.press(step.press, step.nth);
  else if ('say' in step) await (step.say.startsWith('/') ? person.command(step.say) : person.say(step.say));
  else if ('sticker' in step) await person.sticker();
  else if ('stale' in step) {
    const first = person.messages().find((m) => m.keyboard?.length)!;
    const button = first.keyboard!.flat()[0]!;
    await person.pressData((button as { callback_data: string }).callback_data);
  } else throw new Error(`not a single action: ${JSON.stringify(step)}`);
}

/** Plays steps as a person would: act, wait for the reply, act again. */
export async function play(person: Person, steps: readonly Step[], options: RunOptions): Promise<void> {
  for (const step of steps) {
    if ('plan' in step) {
      for (let i = 0; !atPlanEnd(person); i++) {
        if (i > 60) throw new Error(`user ${person.id}: the plan never ended`);
        await play(person, [step.plan[i % step.plan.length]!], options);
      }
      continue;
    }
    await sleep(options.think());
    if ('burst' in step) await Promise.all(step.burst.map((inner) => send(person, inner)));
    else await send(person, step);
    await person.reply(options.replyTimeoutMs);
    options.onReply?.();
  }
}

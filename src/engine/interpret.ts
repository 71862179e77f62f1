/**
 * Reading what people send: an inbound input + the prompt we are waiting on → one guide event.
 *
 * People type "gmail", "GMail", "2", "je sais pas", "Aide", "/retour", or paste 50 KB: all of it must become
 * something the guide can answer kindly. Matching is lenient (case, accents, punctuation, emoji, small typos,
 * either language) but never guesses between two choices: an ambiguous answer is treated as not understood.
 */
import { FREE_TEXT_PROMPTS, RELAY_PROMPTS, type GuideEvent, type Lang, type Prompt } from '../flows/guide.types.js';
import { QUESTIONS, type Answers } from '../flows/questions.js';
import { LANGUAGES, langFromHint, type Texts } from '../render/i18n.js';
import type { InboundInput } from './types.js';

/** Longer than this is not an answer to a multiple-choice question (and is never stored). */
export const MAX_ANSWER_LENGTH = 500;
/** Free text kept (an account's name, an address, a time zone) is cut to this. */
export const MAX_FREE_TEXT = 254;
/** A message for a volunteer may be long (an error message pasted), but not a whole book. */
export const MAX_RELAY_TEXT = 4000;

export const COMMANDS = [
  'start',
  'help',
  'back',
  'restart',
  'lang',
  'where',
  'forget',
  'checklist',
  'reminders',
  'mydata',
  'human',
  'bot',
  'close',
] as const;
type Command = (typeof COMMANDS)[number];

/** Lower-case, without accents, punctuation, emoji or repeated spaces. */
export function normalize(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/['’`]/g, ' ')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Edit distance where swapping two neighbouring letters is one typo ("gmial"), for short strings. */
function editDistanceWithin(a: string, b: string, max: number): boolean {
  if (Math.abs(a.length - b.length) > max) return false;
  const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, j) => j)];
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, row[j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      row.push(d);
    }
    if (Math.min(...row) > max) return false;
    rows.push(row);
  }
  return rows[a.length]![b.length]! <= max;
}

/** How well `input` names `candidate` (both normalised): 3 exact, 2 contains, 1 near miss, 0 not at all. */
function similarity(input: string, candidate: string): number {
  if (!candidate) return 0;
  if (input === candidate) return 3;
  const padded = ` ${input} `;
  if (candidate.length >= 3 && padded.includes(` ${candidate} `)) return 2;
  if (input.length >= 4 && ` ${candidate} `.includes(` ${input} `)) return 2;
  if (input.length >= 4 && editDistanceWithin(input, candidate, input.length >= 8 ? 2 : 1)) return 1;
  return 0;
}

export interface InterpretContext {
  prompt: Prompt;
  /** Number of the prompt currently shown: a button from an older one is stale. */
  promptSeq: number;
  lang: Lang;
  /** The label shown for a choice (so that typing what the button says always works). */
  label(lang: Lang, choice: string): string;
}

export function createInterpreter(texts: Texts) {
  const lexicon = new Map<string, string[]>();
  /** Labels are the same few hundred strings for everyone: normalise each once. */
  const normalizedLabels = new Map<string, string>();
  function normalizeLabel(label: string): string {
    let value = normalizedLabels.get(label);
    if (value === undefined) {
      value = normalize(label);
      if (normalizedLabels.size >= 10_000) normalizedLabels.clear();
      normalizedLabels.set(label, value);
    }
    return value;
  }
  /** Synonyms for `key` in both languages (people mix them), normalised, cached. */
  function words(key: string): string[] {
    let list = lexicon.get(key);
    if (!list) {
      list = [];
      for (const lang of LANGUAGES) {
        const value = texts.i18n.t(`understand:${key}`, { lng: lang, returnObjects: true, defaultValue: [] }) as unknown;
        if (Array.isArray(value)) list.push(...value.map((w) => normalize(String(w))).filter(Boolean));
      }
      lexicon.set(key, list);
    }
    return list;
  }

  function commandNamed(word: string): Command | undefined {
    const name = normalize(word);
    return COMMANDS.find((c) => c === name || words(`commands.${c}`).includes(name));
  }

  function commandEvent(command: Command, args: string, ctx: InterpretContext): GuideEvent {
    switch (command) {
      case 'start':
        return startEvent(args);
      case 'help':
        return { type: 'HELP' };
      case 'back':
        return { type: 'BACK' };
      case 'restart':
        return { type: 'RESTART' };
      case 'where':
        return { type: 'WHERE' };
      case 'forget':
        return { type: 'FORGET' };
      case 'checklist':
        return { type: 'CHECKLIST' };
      case 'reminders':
        return { type: 'REMINDERS' };
      case 'mydata':
        return { type: 'MYDATA' };
      case 'human':
        return { type: 'HUMAN' };
      case 'bot':
        return { type: 'CHOOSE', choice: 'bot' };
      case 'close':
        return { type: 'CHOOSE', choice: 'closeTicket' };
      case 'lang': {
        const wanted = langFromHint(normalize(args).slice(0, 2)) ?? LANGUAGES.find((l) => words(`languages.${l}`).includes(normalize(args)));
        return { type: 'SET_LANG', lang: wanted ?? (ctx.lang === 'fr' ? 'en' : 'fr') };
      }
    }
  }

  /** The choice the text names, if exactly one choice is named best. */
  function matchChoice(text: string, ctx: InterpretContext): string | undefined {
    const input = normalize(text);
    if (!input) return undefined;
    const number = /^(?:n\s*)?(\d{1,3})$/.exec(input);
    if (number) return ctx.prompt.choices[Number(number[1]) - 1];

    const candidatesOf = ctx.prompt.choices.map((choice) => [
      ...LANGUAGES.map((lang) => normalizeLabel(ctx.label(lang, choice))),
      ...words(`choices.${choice}`),
      ...(ctx.prompt.kind === 'question' ? words(`answers.${ctx.prompt.question}.${choice}`) : []),
    ]);
    // Most answers are exactly a label or a synonym: settle those without any fuzzy comparison.
    const exact = ctx.prompt.choices.filter((_, i) => candidatesOf[i]!.includes(input));
    if (exact.length === 1) return exact[0];

    let best = 0;
    let found: string[] = [];
    for (const [i, choice] of ctx.prompt.choices.entries()) {
      const score = Math.max(0, ...candidatesOf[i]!.map((c) => similarity(input, c)));
      if (score > best) {
        best = score;
        found = [choice];
      } else if (score === best && score > 0 && !found.includes(choice)) {
        found.push(choice);
      }
    }
    return found.length === 1 ? found[0] : undefined;
  }

  function choiceEvent(choice: string): GuideEvent {
    if (choice === 'back') return { type: 'BACK' };
    if (choice === 'restart') return { type: 'RESTART' };
    if (choice === 'human') return { type: 'HUMAN' };
    return { type: 'CHOOSE', choice };
  }

  /** Deep-link payloads ("gmail", "asso", "gmail-asso", "en") preselect answers so partners can share links. */
  function startEvent(payload: string | undefined, langHint?: string): GuideEvent {
    const preset: Answers = {};
    let lang = langFromHint(langHint);
    for (const token of (payload ?? '').split(/[-_ ,]+/).map(normalize).filter(Boolean)) {
      if ((QUESTIONS.oldProvider as readonly string[]).includes(token) && token !== 'other') {
        preset.oldProvider = token as Answers['oldProvider'];
      } else if (words('deepLinks.association').includes(token)) preset.forWhom = 'association';
      else if (words('deepLinks.family').includes(token)) preset.forWhom = 'family';
      else if (words('deepLinks.business').includes(token)) preset.forWhom = 'business';
      else if (langFromHint(token)) lang = langFromHint(token);
    }
    return { type: 'START', ...(Object.keys(preset).length ? { preset } : {}), ...(lang ? { lang } : {}) };
  }

  /** With a volunteer: only slash commands act on the bot; every other word is for the volunteer. */
  function relayed(text: string, ctx: InterpretContext): GuideEvent {
    const trimmed = text.trim();
    if (!trimmed) return { type: 'UNCLEAR', reason: 'empty' };
    if (trimmed.length > MAX_RELAY_TEXT) return { type: 'UNCLEAR', reason: 'tooLong' };
    const command = /^\/(\S+)\s*(.*)$/s.exec(trimmed);
    if (command) {
      const named = commandNamed(command[1]!.replace(/@\S+$/, ''));
      return named ? commandEvent(named, command[2] ?? '', ctx) : { type: 'UNKNOWN_COMMAND' };
    }
    return { type: 'TEXT', text: trimmed };
  }

  return {
    startEvent,
    interpret(input: InboundInput, ctx: InterpretContext, langHint?: string): GuideEvent {
      switch (input.kind) {
        case 'start':
          return startEvent(input.payload, langHint);
        case 'unsupported':
          return { type: 'UNSUPPORTED', what: input.what };
        case 'choice':
          if (input.promptSeq !== ctx.promptSeq || !ctx.prompt.choices.includes(input.choice)) return { type: 'STALE' };
          return choiceEvent(input.choice);
        case 'text': {
          const text = input.text;
          if (RELAY_PROMPTS.has(ctx.prompt.kind)) return relayed(text, ctx);
          if (text.length > MAX_ANSWER_LENGTH) return { type: 'UNCLEAR', reason: 'tooLong' };
          const trimmed = text.trim();
          if (!trimmed || !normalize(trimmed) && !/^[/?]/.test(trimmed)) {
            return { type: 'UNCLEAR', reason: trimmed ? 'noMatch' : 'empty' };
          }
          if (trimmed === '?') return { type: 'HELP' };
          if (trimmed.startsWith('/')) {
            const [, name = '', args = ''] = /^\/(\S*)\s*(.*)$/s.exec(trimmed) ?? [];
            const command = commandNamed(name.replace(/@\S+$/, '')); // Telegram groups: /help@demailbot
            return command ? commandEvent(command, args, ctx) : { type: 'UNKNOWN_COMMAND' };
          }
          const choice = matchChoice(trimmed, ctx);
          if (choice) return choiceEvent(choice);
          // Where the prompt asks for words of the person's own (an account's name, an address), they are the answer.
          if (FREE_TEXT_PROMPTS.has(ctx.prompt.kind)) return { type: 'TEXT', text: trimmed.slice(0, MAX_FREE_TEXT) };
          // A command typed without its slash ("aide", "mes données", "où j'en suis"), once it is not an answer;
          // only the language takes an argument ("langue en").
          const whole = commandNamed(trimmed);
          if (whole) return commandEvent(whole, '', ctx);
          const [first = '', ...rest] = trimmed.split(/\s+/);
          if (rest.length > 0 && commandNamed(first) === 'lang') return commandEvent('lang', rest.join(' '), ctx);
          return { type: 'UNCLEAR', reason: 'noMatch' };
        }
      }
    },
  };
}

export type Interpreter = ReturnType<typeof createInterpreter>;

/**
 * Reading what people send: an inbound input + the prompt we are waiting on → one guide event.
 *
 * People type "gmail", "GMail", "2", "je sais pas", "Aide", "/retour", "30 Go", "une quinzaine", "jean@sfr.fr",
 * "le premier", or paste 50 KB: all of it must become something the guide can answer kindly. Matching is lenient
 * (case, accents, punctuation, emoji, small typos, either language) but never guesses:
 * - between two choices, an answer naming both is not understood;
 * - a bare number where a number is also a plausible answer ("4" at "how many mailboxes?") is AMBIGUOUS, with
 *   both readings for the person to pick;
 * - "pas cher", "pas beaucoup" are 'vague': the guide asks what they mean;
 * - a word of a choice inside a longer answer counts only when the rest says nothing ("oui merci"), never when it
 *   changes it ("une" in "une quinzaine", "beaucoup" in "pas beaucoup").
 */
import { mediaRefusal } from './media.js';
import { FREE_TEXT_PROMPTS, RELAY_PROMPTS, type GuideEvent, type Lang, type Prompt, type Reading } from '../flows/guide.types.js';
import { QUESTIONS, bucketOfAmount, type Amounts, type Answers, type QuestionId } from '../flows/questions.js';
import { LANGUAGES, langFromHint, type Texts } from '../render/i18n.js';
import { PROVIDER_CHOICE } from '../flows/guide/context.js';
import { loadCatalog } from '../catalog/load.js';
import type { InboundInput } from './types.js';
import { createLexicon, indexOfPhrase, normalize } from './understand/lexicon.js';
import { typosBetween } from './understand/edit-distance.js';
import { bareNumber, createQuantityReader, isQuantityQuestion, type QuantityQuestion } from './understand/quantities.js';
import { createAnswerReaders, type OldProviderDomains } from './understand/answers.js';
import { createDateReader } from './understand/dates.js';
import { DATE_CHOICE } from '../flows/guide/plan.logic.js';
import { createDepartementReader } from './understand/departement.js';
import { DEPARTEMENT_CHOICE, POSTCODE_CHOICE } from '../flows/guide/departement.logic.js';
import { loadDepartements, type Departement } from '../catalog/departements.js';

export { normalize } from './understand/lexicon.js';

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

export interface InterpretContext {
  prompt: Prompt;
  /** Number of the prompt currently shown: a button from an older one is stale. */
  promptSeq: number;
  lang: Lang;
  /** The label shown for a choice (so that typing what the button says always works); also for `extraChoices`. */
  label(lang: Lang, choice: string): string;
  /**
   * Choices accepted when typed though not shown ("posteo" while another page of hosts is shown): matched by
   * name only, never by number or rank, and only when no shown choice is meant.
   */
  extraChoices?: readonly string[];
  /**
   * Now (ms since 1970), for a date typed without its year or as "dans 2 mois" (the machine has no clock). Without
   * it, a date question's words are passed on as free text.
   */
  now?: number;
}

export interface InterpreterOptions {
  /**
   * The old mailbox providers' address domains (data/old-providers.json), to read "jean@sfr.fr" at the first
   * question. Without them, they are read from the catalogue on the first address typed.
   */
  oldProviders?: readonly OldProviderDomains[];
  /** The départements' numbers and names (data/departements.json), read on the first one typed when not given. */
  departements?: readonly Departement[];
}

export function createInterpreter(texts: Texts, options: InterpreterOptions = {}) {
  const lexicon = createLexicon(texts);
  const words = (key: string) => lexicon.words(key);
  let oldProviders = options.oldProviders;
  const readers = createAnswerReaders(lexicon, () => (oldProviders ??= loadCatalog().oldProviders));
  const readQuantity = createQuantityReader(lexicon);
  const readDate = createDateReader(lexicon);
  let departements = options.departements;
  const readDepartement = createDepartementReader(lexicon, () => (departements ??= loadDepartements()));

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

  /** Choices that are names (a host, a mailbox provider, a language): a name inside a sentence still names it. */
  function isName(choice: string, prompt: Prompt): boolean {
    if (choice.startsWith(PROVIDER_CHOICE) || choice.startsWith('lang:')) return true;
    return prompt.kind === 'question' && prompt.question === 'oldProvider' && choice !== 'other' && choice !== 'back';
  }

  /**
   * How well the typed words name `candidate` (both normalised): 3 exactly, 2 as a clear part of the answer, 1 a
   * near miss (a typo), 0 not at all. A one-word candidate inside a longer answer is a clear part only if it is a
   * name or the other words are politeness ("oui merci"); never when a "not" is around it ("pas beaucoup").
   */
  function similarity(input: string, inputWords: readonly string[], candidate: string, name: boolean): number {
    if (!candidate) return 0;
    if (input === candidate) return 3;
    const candidateWords = candidate.split(' ');
    const at = indexOfPhrase(inputWords, candidateWords);
    if (at !== -1) {
      const rest = [...inputWords.slice(0, at), ...inputWords.slice(at + candidateWords.length)];
      const clear = candidateWords.length >= 2 || (name && candidate.length >= 3) || readers.onlyFiller(rest);
      if (clear && (!readers.negated(rest) || readers.negated(candidateWords))) return 2;
    }
    // A short answer inside a longer label ("famille" for "Pour ma famille"); a "not" only inside a label that says
    // it too ("je ne sais pas" for "Je ne sais pas encore").
    if (input.length >= 4 && indexOfPhrase(candidateWords, inputWords) !== -1 && (!readers.negated(inputWords) || readers.negated(candidateWords))) {
      return 2;
    }
    if (input.length >= 4 && typosBetween(input, candidate, input.length >= 8 ? 2 : 1) !== Infinity) return 1;
    return 0;
  }

  /** The words that name `choice` at this prompt: its label in both languages and its synonyms. */
  function candidatesOf(choice: string, ctx: InterpretContext): string[] {
    const question = ctx.prompt.kind === 'question' ? ctx.prompt.question : undefined;
    return [
      ...LANGUAGES.map((lang) => normalizeLabel(ctx.label(lang, choice))),
      ...words(`choices.${choice}`),
      ...(question && choice !== 'back' ? words(`answers.${question}.${choice}`) : []),
    ];
  }

  /** The choice among `choices` the text names, if exactly one is named best; `exactOnly` skips the fuzzy part. */
  function matchChoice(text: string, choices: readonly string[], ctx: InterpretContext, exactOnly = false): string | undefined {
    const input = normalize(text);
    if (!input) return undefined;
    const candidates = choices.map((choice) => candidatesOf(choice, ctx));
    // Most answers are exactly a label or a synonym: settle those without any fuzzy comparison.
    const exact = choices.filter((_, i) => candidates[i]!.includes(input));
    if (exact.length === 1) return exact[0];
    if (exact.length > 1 || exactOnly) return undefined;

    const inputWords = input.split(' ');
    let best = 0;
    let found: string[] = [];
    for (const [i, choice] of choices.entries()) {
      const name = isName(choice, ctx.prompt);
      const score = Math.max(0, ...candidates[i]!.map((c) => similarity(input, inputWords, c, name)));
      if (score > best) {
        best = score;
        found = [choice];
      } else if (score === best && score > 0 && !found.includes(choice)) {
        found.push(choice);
      }
    }
    return found.length === 1 ? found[0] : undefined;
  }

  function choiceEvent(choice: string, amounts?: Amounts): GuideEvent {
    if (choice === 'back') return { type: 'BACK' };
    if (choice === 'restart') return { type: 'RESTART' };
    if (choice === 'human') return { type: 'HUMAN' };
    return amounts ? { type: 'CHOOSE', choice, amounts } : { type: 'CHOOSE', choice };
  }

  /** A figure read as the answer to a quantity question: its bucket, and the figure itself. */
  function byValue(question: QuantityQuestion, amounts: Amounts): Reading {
    return { choice: bucketOfAmount(question, amounts)!, amounts };
  }

  /**
   * A message that is only a number, at a question where a number is a plausible answer: the figure, unless the
   * number is also one of the choices' numbers and means something else ("4" mailboxes, or choice 4 "Plus de 20"?)
   * — then both readings. At storage, 100 and more could be megabytes too ("500": 500 Go or 500 Mo?).
   */
  function bareNumberAt(question: QuantityQuestion, n: number, text: string, ctx: InterpretContext): GuideEvent | undefined {
    const answers = QUESTIONS[question] as readonly string[];
    const asIndex = Number.isInteger(n) && n >= 1 && n <= answers.length ? answers[n - 1] : undefined;
    const value = readQuantity(question, text);
    if (value?.kind !== 'value') {
      if (asIndex) return choiceEvent(asIndex);
      const shown = Number.isInteger(n) ? ctx.prompt.choices[n - 1] : undefined;
      return shown ? choiceEvent(shown) : undefined;
    }
    const readings: Reading[] = [byValue(question, value.amounts)];
    if (question === 'storage' && n >= 100) readings.push(byValue(question, { storageGb: n / 1000 }));
    if (asIndex && asIndex !== readings[0]!.choice) readings.push({ choice: asIndex });
    if (readings.length > 1) return { type: 'AMBIGUOUS', readings };
    return choiceEvent(readings[0]!.choice, readings[0]!.amounts);
  }

  /** An answer at a question: numbers, the choices' own words, then the question's own reader. */
  function atQuestion(text: string, question: QuestionId, ctx: InterpretContext): GuideEvent | undefined {
    const choices = ctx.prompt.choices;
    // "2e" at the budget is two euros as often as "the second": like a bare 2, ask.
    const euros = question === 'budget' ? /^\s*(\d{1,4})\s*e\s*$/i.exec(text) : null;
    const n = euros ? Number(euros[1]) : bareNumber(text);
    if (n !== undefined) {
      if (isQuantityQuestion(question)) return bareNumberAt(question, n, euros ? `${n} €` : text, ctx);
      return Number.isInteger(n) && choices[n - 1] ? choiceEvent(choices[n - 1]!) : undefined;
    }
    const rank = readers.rank(text);
    if (rank !== undefined) return choices[rank - 1] ? choiceEvent(choices[rank - 1]!) : undefined;

    const exact = matchChoice(text, choices, ctx, true);
    if (exact) return choiceEvent(exact);

    if (isQuantityQuestion(question)) {
      const reading = readQuantity(question, text);
      if (reading?.kind === 'vague') return { type: 'UNCLEAR', reason: 'vague' };
      if (reading?.kind === 'value') {
        const { choice, amounts } = byValue(question, reading.amounts);
        return choiceEvent(choice, amounts);
      }
    }
    if (question === 'oldProvider') {
      const owner = readers.oldProviderOf(text);
      if (owner && choices.includes(owner)) return choiceEvent(owner);
    }
    if (question === 'domain') {
      const own = readers.ownDomain(text);
      if (own) return choiceEvent(own);
    }
    if (question === 'location') {
      const place = readers.place(text);
      if (place) return choiceEvent(place);
    }
    const choice = matchChoice(text, choices, ctx);
    return choice ? choiceEvent(choice) : undefined;
  }

  /**
   * While an answer could be read two ways: a reading by its number, rank or words ("4 boîtes", "plus de 20"),
   * or a fresh answer to the same question ("12"), read as at the question.
   */
  function atClarify(text: string, prompt: Extract<Prompt, { kind: 'clarify' }>, ctx: InterpretContext): GuideEvent | undefined {
    const n = bareNumber(text);
    if (n !== undefined && Number.isInteger(n) && prompt.choices[n - 1]) return choiceEvent(prompt.choices[n - 1]!);
    const rank = readers.rank(text);
    if (rank !== undefined && prompt.choices[rank - 1]) return choiceEvent(prompt.choices[rank - 1]!);
    const reading = matchChoice(text, prompt.choices, ctx);
    if (reading) return choiceEvent(reading);
    const question = prompt.question;
    const asked: InterpretContext = {
      ...ctx,
      prompt: { kind: 'question', question, number: 0, total: 0, choices: [...QUESTIONS[question], 'back'] },
      label: (lang, choice) => texts.t(lang)(choice === 'back' ? 'guide:choices.back' : `guide:questions.${question}.choices.${choice}`),
    };
    return atQuestion(text, question, asked);
  }

  /** Anywhere else: the n-th choice, the choice named, or a choice of another page named ("posteo"). */
  function atPrompt(text: string, ctx: InterpretContext): GuideEvent | undefined {
    const choices = ctx.prompt.choices;
    if (ctx.prompt.kind === 'welcome' && choices.includes('begin') && readers.greets(text)) return choiceEvent('begin');
    const number = /^(?:n\s*)?(\d{1,3})$/.exec(normalize(text));
    if (number) return choices[Number(number[1]) - 1] ? choiceEvent(choices[Number(number[1]) - 1]!) : undefined;
    // Where the person's own words are the answer, "le 2" or "le 1er" is a date or a name, not a rank.
    const rank = FREE_TEXT_PROMPTS.has(ctx.prompt.kind) ? undefined : readers.rank(text);
    if (rank !== undefined) return choices[rank - 1] ? choiceEvent(choices[rank - 1]!) : undefined;
    const choice = matchChoice(text, choices, ctx);
    if (choice) return choiceEvent(choice);
    const extra = ctx.extraChoices?.filter((c) => !choices.includes(c)) ?? [];
    const named = extra.length > 0 ? matchChoice(text, extra, ctx) : undefined;
    return named ? choiceEvent(named) : undefined;
  }

  /**
   * Where the département is asked: a number, a name or a postcode first ("1" is the Ain, not the first button),
   * then the prompt's own choices; "non" leaves without it. Words that give none go on to the commands, and are
   * then asked again kindly.
   */
  function atDepartement(text: string, ctx: InterpretContext): GuideEvent | undefined {
    if (ctx.prompt.kind === 'departementConfirm') {
      const shown = atPrompt(text, ctx);
      if (shown) return shown;
    }
    // A command typed without its slash ("aide") is one, not a near miss of a name (the Aude).
    const reading = commandNamed(text) ? undefined : readDepartement.read(text);
    if (reading?.kind === 'decline') return ctx.prompt.kind === 'departementConfirm' ? choiceEvent('no') : { type: 'BACK' };
    if (reading) return { type: 'CHOOSE', choice: (reading.kind === 'postcode' ? POSTCODE_CHOICE : DEPARTEMENT_CHOICE) + reading.code };
    return atPrompt(text, ctx);
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

  /** The answer the text gives to the prompt, if it gives one. */
  function answer(text: string, ctx: InterpretContext): GuideEvent | undefined {
    switch (ctx.prompt.kind) {
      case 'question':
        return atQuestion(text, ctx.prompt.question, ctx);
      case 'clarify':
        return atClarify(text, ctx.prompt, ctx);
      case 'departement':
      case 'departementConfirm':
        return atDepartement(text, ctx);
      default:
        return atPrompt(text, ctx);
    }
  }

  return {
    startEvent,
    interpret(input: InboundInput, ctx: InterpretContext, langHint?: string): GuideEvent {
      switch (input.kind) {
        case 'start':
          return startEvent(input.payload, langHint);
        case 'unsupported':
          return { type: 'UNSUPPORTED', what: input.what };
        case 'media': {
          const refusal = mediaRefusal(input.media);
          const caption = input.caption?.trim().slice(0, MAX_RELAY_TEXT);
          // Whether a volunteer could look at it is the engine's to say (it knows the desk).
          return { type: 'MEDIA', media: input.media, ...(caption ? { caption } : {}), ...(refusal ? { refusal } : {}), deskAvailable: false };
        }
        case 'choice':
          if (input.promptSeq !== ctx.promptSeq || !ctx.prompt.choices.includes(input.choice)) return { type: 'STALE' };
          return choiceEvent(input.choice);
        case 'text': {
          const text = input.text;
          if (RELAY_PROMPTS.has(ctx.prompt.kind)) return relayed(text, ctx);
          // "Send it to the volunteer?": only the answer itself ("oui", "annuler", a number) answers; any other
          // words are for the volunteer, as they would be a moment before.
          if (ctx.prompt.kind === 'mediaConsent') {
            const trimmed = text.trim();
            const number = /^(\d)$/.exec(trimmed);
            const choice = number ? ctx.prompt.choices[Number(number[1]) - 1] : matchChoice(trimmed, ctx.prompt.choices, ctx, true);
            return choice ? choiceEvent(choice) : relayed(text, ctx);
          }
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
          const answered = answer(trimmed, ctx);
          if (answered) return answered;
          // Where the plan asks for a date, the words are one ("fin mars", "15/03/2027"), or asked again. Without
          // a clock ("dans 2 mois" needs today) the words are passed on as they are, like any free text.
          if (ctx.prompt.kind === 'ispCancelDate' && ctx.now !== undefined) {
            const date = readDate(trimmed, ctx.now);
            return date ? { type: 'CHOOSE', choice: `${DATE_CHOICE}${date}` } : { type: 'UNCLEAR', reason: 'notADate' };
          }
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

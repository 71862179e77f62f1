/**
 * The département's named guards and actions (see ./departement.states.ts), and the choice ids its prompts use.
 * The interpreter reads the words ("35", "Ille-et-Vilaine", "35000"); here only numbers arrive, already checked:
 * `departement:35` (noted as it is) or `postcode:35` (a postcode's département, to confirm first).
 */
import type { Prompt } from '../guide.types.js';
import { choiceOf, say, set, steps, type GuideArgs } from './kit.js';

/** The choice that asks for the département, offered wherever the guide offers events or a volunteer. */
export const MEET_IN_PERSON = 'meetInPerson';
export const FORGET_DEPARTEMENT = 'forgetDepartement';
/** Made by the interpreter from typed words, never shown as buttons. */
export const DEPARTEMENT_CHOICE = 'departement:';
export const POSTCODE_CHOICE = 'postcode:';

/** The prompts that offer "meet someone in person": the plan's end (events) and the consent question (a volunteer). */
export function offerMeetInPerson(prompt: Prompt): void {
  if (prompt.choices.includes(MEET_IN_PERSON)) return;
  if (prompt.kind === 'planEnd') {
    const at = prompt.choices.indexOf('restart');
    prompt.choices.splice(at === -1 ? prompt.choices.length : at, 0, MEET_IN_PERSON);
  } else if (prompt.kind === 'handoffConsent') {
    const at = prompt.choices.indexOf('no');
    prompt.choices.splice(at === -1 ? prompt.choices.length : at, 0, MEET_IN_PERSON);
  }
}

/** The département named by an event: `departement:35` typed, or the guess being confirmed on "yes". */
function departementOf({ context, event }: GuideArgs): string | undefined {
  const choice = choiceOf(event);
  if (choice.startsWith(DEPARTEMENT_CHOICE)) return choice.slice(DEPARTEMENT_CHOICE.length) || undefined;
  if (choice === 'yes') return context.departementGuess ?? undefined;
  return undefined;
}

export const departementGuards = {
  isMeetInPerson: ({ event }: GuideArgs) => choiceOf(event) === MEET_IN_PERSON,
  isDepartementAnswer: ({ event }: GuideArgs) => choiceOf(event).startsWith(DEPARTEMENT_CHOICE) && choiceOf(event).length > DEPARTEMENT_CHOICE.length,
  isPostcodeAnswer: ({ event }: GuideArgs) => choiceOf(event).startsWith(POSTCODE_CHOICE) && choiceOf(event).length > POSTCODE_CHOICE.length,
  isForgetDepartement: ({ event }: GuideArgs) => choiceOf(event) === FORGET_DEPARTEMENT,
};

/** Notes the département (nothing finer) and says it back; `forVolunteer`: the consent question comes back next. */
const noteDepartement = (forVolunteer: boolean) =>
  steps((args) => {
    const departement = departementOf(args);
    if (!departement) return;
    args.enqueue.assign({ departement, departementGuess: null });
    args.enqueue.emit({ type: 'departementNoted', departement, forVolunteer });
  });

export const departementActions = {
  noteDepartement: noteDepartement(false),
  noteDepartementForVolunteer: noteDepartement(true),
  /** "35000": its département is offered back ("did you mean 35?"), never noted silently. */
  holdDepartementGuess: set({
    departementGuess: ({ event }) => (choiceOf(event).startsWith(POSTCODE_CHOICE) ? choiceOf(event).slice(POSTCODE_CHOICE.length) : null),
  }),
  dropDepartementGuess: set({ departementGuess: null }),
  forgetDepartement: set({ departement: null, departementGuess: null }),
  emitDepartementForgotten: say({ type: 'departementForgotten' as const }),
  emitDepartementNotUnderstood: say({ type: 'departementNotUnderstood' as const }),
};

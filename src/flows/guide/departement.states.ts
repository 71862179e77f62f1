/**
 * The département, asked only when the person wants to meet someone in person (issue 17): from the plan's end
 * (then the events near them are offered there) and from the consent question (then their ticket goes to the desk
 * of their département, and the card they are shown again says so). A number, nothing finer; a postcode is
 * offered back for confirmation; words that give none are asked again kindly; "non" or back leaves without it.
 *
 * Two copies of the same two states, one per place it was asked from, so that each returns where it came from
 * without remembering more in the context. Leaving the consent question withdraws the request (as any way out of
 * it does); coming back asks it again, with the card now carrying the département.
 */
import type { GuideSetup } from './setup.js';

type Return = 'main.history' | 'handoffConsent';

function askAndConfirm(s: GuideSetup, ask: string, confirm: string, back: Return, note: 'noteDepartement' | 'noteDepartementForVolunteer') {
  return {
    [ask]: s.createStateConfig({
      on: {
        CHOOSE: [
          { guard: 'isDepartementAnswer', target: back, actions: note },
          { guard: 'isPostcodeAnswer', target: confirm, actions: 'holdDepartementGuess' },
          { guard: 'isForgetDepartement', target: back, actions: ['forgetDepartement', 'emitDepartementForgotten'] },
        ],
        UNCLEAR: { actions: ['countMisunderstood', 'emitDepartementNotUnderstood'] },
        BACK: { target: back },
      },
    }),
    /** "35000 — did you mean the 35, Ille-et-Vilaine?" */
    [confirm]: s.createStateConfig({
      on: {
        CHOOSE: [
          { guard: 'isYes', target: back, actions: note },
          { guard: 'isNo', target: ask, actions: 'dropDepartementGuess' },
          // Another number typed instead of yes or no: it is the answer.
          { guard: 'isDepartementAnswer', target: back, actions: note },
          { guard: 'isPostcodeAnswer', actions: 'holdDepartementGuess' },
        ],
        UNCLEAR: { actions: ['countMisunderstood', 'emitDepartementNotUnderstood'] },
        BACK: { target: ask, actions: 'dropDepartementGuess' },
      },
    }),
  };
}

export function departementStates(s: GuideSetup) {
  return {
    ...askAndConfirm(s, 'departementAsk', 'departementConfirm', 'main.history', 'noteDepartement'),
    ...askAndConfirm(s, 'departementAskForVolunteer', 'departementConfirmForVolunteer', 'handoffConsent', 'noteDepartementForVolunteer'),
  };
}

/** Helpers for driving the guide machine by events in tests. */
import { createActor } from 'xstate';
import { loadCatalog } from '../../src/catalog/load.js';
import { loadChecklist } from '../../src/catalog/checklist.js';
import { createGuideMachine } from '../../src/flows/guide.machine.js';
import type { GuideInput } from '../../src/flows/guide/context.js';
import type { GuideEvent, GuideIntent } from '../../src/flows/guide.types.js';
import { promptOf, stateName } from '../../src/flows/prompt.js';
import { QUESTIONS, type QuestionId } from '../../src/flows/questions.js';

export const catalog = loadCatalog();
export const checklist = loadChecklist();
export const categoryIds = checklist.map((c) => c.id);
export const machine = createGuideMachine(catalog, checklist);

export function startGuide(options: { input?: GuideInput; snapshot?: unknown } = {}) {
  const intents: GuideIntent[] = [];
  const actor = createActor(machine, options as never);
  actor.on('*', (intent) => intents.push(intent as GuideIntent));
  actor.start();
  return {
    actor,
    intents,
    send(event: GuideEvent) {
      intents.length = 0;
      actor.send(event);
      return intents.slice();
    },
    choose(choice: string) {
      return this.send({ type: 'CHOOSE', choice });
    },
    get state() {
      return stateName(actor.getSnapshot().value);
    },
    get context() {
      return actor.getSnapshot().context;
    },
    get prompt() {
      return promptOf(actor.getSnapshot(), categoryIds);
    },
  };
}

export type Guide = ReturnType<typeof startGuide>;

/** Answers every question asked, from the given answers (or "dontKnow"/the first choice). */
export function answerAll(guide: Guide, answers: Partial<Record<QuestionId, string>> = {}) {
  for (let i = 0; i < 20 && guide.state === 'asking'; i++) {
    const q = guide.context.question;
    const choices = QUESTIONS[q] as readonly string[];
    guide.choose(answers[q] ?? (choices.includes('dontKnow') ? 'dontKnow' : choices[0]!));
  }
}

/**
 * Answers as values: what was typed with an answer is kept, every answer is echoed, and an answer that could be
 * read two ways is asked again with both readings — never guessed.
 */
import { describe, expect, it } from 'vitest';
import { answerAll, categoryIds, startGuide } from '../support/guide.js';
import { promptOf, questionPosition } from '../../src/flows/prompt.js';

function toQuestion(question: string) {
  const guide = startGuide();
  guide.choose('begin');
  guide.choose('free');
  guide.choose('family');
  for (let i = 0; i < 10 && guide.context.question !== question; i++) guide.choose('dontKnow');
  expect(guide.context.question).toBe(question);
  return guide;
}

describe('answers with values', () => {
  it('keeps the value typed with an answer and echoes it', () => {
    const guide = toQuestion('storage');
    const intents = guide.send({ type: 'CHOOSE', choice: 'over20', amounts: { storageGb: 25 } });
    expect(guide.context.answers.storage).toBe('over20');
    expect(guide.context.amounts).toEqual({ storageGb: 25 });
    expect(intents).toContainEqual({ type: 'understood', question: 'storage', choice: 'over20', amounts: { storageGb: 25 } });
  });

  it('echoes a button answer too, without a value', () => {
    const guide = startGuide();
    guide.choose('begin');
    expect(guide.choose('gmail')).toEqual([{ type: 'understood', question: 'oldProvider', choice: 'gmail' }]);
  });

  it('drops the value of a question answered again by a button, and keeps the others', () => {
    const guide = toQuestion('storage');
    guide.send({ type: 'CHOOSE', choice: 'under5', amounts: { storageGb: 3 } });
    guide.choose('dontKnow'); // the domain
    expect(guide.context.question).toBe('budget');
    guide.send({ type: 'CHOOSE', choice: 'about5', amounts: { budget: { eurPerMonth: 2, perMailbox: true, exclusive: false } } });
    expect(guide.context.amounts).toEqual({ storageGb: 3, budget: { eurPerMonth: 2, perMailbox: true, exclusive: false } });
    answerAll(guide);
    guide.choose('change');
    guide.choose('question:storage');
    guide.choose('under1');
    expect(guide.context.amounts).toEqual({ budget: { eurPerMonth: 2, perMailbox: true, exclusive: false } });
  });

  it('forgets the mailbox count once "for me" makes the question unnecessary', () => {
    const guide = toQuestion('mailboxes');
    guide.send({ type: 'CHOOSE', choice: 'upTo5', amounts: { mailboxes: 4 } });
    expect(guide.context.amounts).toEqual({ mailboxes: 4 });
    answerAll(guide);
    guide.choose('change');
    guide.choose('question:forWhom');
    guide.choose('me');
    expect(guide.context.answers.mailboxes).toBeUndefined();
    expect(guide.context.amounts).toEqual({});
  });
});

describe('an answer that could mean two things', () => {
  const readings = [{ choice: 'upTo5', amounts: { mailboxes: 4 } }, { choice: 'moreThan20' }];

  it('is asked again with both readings as buttons, and the one chosen is recorded and echoed', () => {
    const guide = toQuestion('mailboxes');
    expect(guide.send({ type: 'AMBIGUOUS', readings })).toEqual([]);
    expect(guide.state).toBe('clarifying');
    expect(guide.prompt).toEqual({ kind: 'clarify', question: 'mailboxes', readings, choices: ['reading:0', 'reading:1', 'back'] });
    const intents = guide.choose('reading:0');
    expect(intents).toContainEqual({ type: 'understood', question: 'mailboxes', choice: 'upTo5', amounts: { mailboxes: 4 } });
    expect(guide.context.answers.mailboxes).toBe('upTo5');
    expect(guide.context.amounts).toEqual({ mailboxes: 4 });
    expect(guide.context.clarify).toBeUndefined();
    expect(guide.context.question).toBe('storage');
  });

  it('takes a fresh, clear answer instead, and goes back to the question on "back"', () => {
    const guide = toQuestion('mailboxes');
    guide.send({ type: 'AMBIGUOUS', readings });
    guide.send({ type: 'BACK' });
    expect(guide.state).toBe('asking');
    expect(guide.context.question).toBe('mailboxes');
    guide.send({ type: 'AMBIGUOUS', readings });
    guide.send({ type: 'CHOOSE', choice: 'upTo20', amounts: { mailboxes: 12 } });
    expect(guide.context.amounts).toEqual({ mailboxes: 12 });
    expect(guide.context.question).toBe('storage');
  });

  it('does not act on a reading that does not exist', () => {
    const guide = toQuestion('mailboxes');
    guide.send({ type: 'AMBIGUOUS', readings });
    expect(guide.choose('reading:7')).toEqual([{ type: 'notUnderstood', reason: 'noMatch', times: 1 }]);
    expect(guide.state).toBe('clarifying');
  });
});

describe('asking again what was vague', () => {
  it('says which question needs a figure', () => {
    const guide = toQuestion('budget');
    expect(guide.send({ type: 'UNCLEAR', reason: 'vague' })).toEqual([
      { type: 'notUnderstood', reason: 'vague', times: 1, question: 'budget' },
    ]);
    expect(guide.context.answers.budget).toBeUndefined();
  });
});

describe('the question number', () => {
  it('goes up by one at each answer, whatever is implied', () => {
    const guide = startGuide();
    guide.choose('begin');
    const seen: string[] = [];
    for (let i = 0; i < 12 && guide.state === 'asking'; i++) {
      const { number, total } = questionPosition(guide.context);
      seen.push(`${number}/${total}`);
      guide.choose(guide.context.question === 'forWhom' ? 'me' : guide.context.question === 'oldProvider' ? 'sfr' : 'dontKnow');
    }
    expect(seen).toEqual(['1/10', '2/10', '3/9', '4/9', '5/9', '6/9', '7/9', '8/9', '9/9']);
  });
});

describe('a volunteer only where there is a desk', () => {
  it('offers "talk to a volunteer" on plan steps with a desk, and never without one', () => {
    const guide = startGuide();
    guide.choose('begin');
    answerAll(guide);
    guide.choose(`provider:${guide.context.ranked[0]}`);
    const view = guide.actor.getSnapshot();
    expect(promptOf(view, categoryIds, { desk: true }).choices).toContain('human');
    expect(promptOf(view, categoryIds, { desk: false }).choices).not.toContain('human');
  });
});

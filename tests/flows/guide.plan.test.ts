/**
 * The guide asks what the plan needs — and nothing more — then builds the plan for the person's situation:
 * an ISP subscription being cancelled, several mailboxes under labels, another host chosen mid-plan.
 */
import { describe, expect, it } from 'vitest';
import { answerAll, startGuide } from '../support/guide.js';

function recommended(answers: Record<string, string>) {
  const guide = startGuide();
  guide.choose('begin');
  answerAll(guide, answers);
  expect(guide.state).toBe('recommending');
  return guide;
}

describe('an ISP mailbox', () => {
  it('asks whether the subscription is being cancelled and when, then starts with the copy and dates the end', () => {
    const guide = recommended({ oldProvider: 'orange', forWhom: 'me', domain: 'no' });
    guide.choose(`provider:${guide.context.ranked[0]}`);
    expect(guide.prompt.kind).toBe('ispCancelling');
    expect(guide.choose('yes')).toContainEqual({ type: 'situationNoted', gap: 'ispCancelling' });
    expect(guide.prompt).toEqual({ kind: 'ispCancelDate', choices: ['dateNotKnownYet', 'back'] });
    const intents = guide.choose('date:2027-03-15');
    expect(intents).toContainEqual({ type: 'situationNoted', gap: 'ispCancelDate' });
    expect(intents).toContainEqual({ type: 'scheduleIspReminder', on: '2027-08-16' });
    expect(guide.state).toBe('planning');
    expect(guide.context.plan.steps[0]).toBe('copyBeforeCancel');
    expect(guide.context.plan.steps.at(-1)).toBe('ispAccess');
    expect(guide.context.situation).toEqual({ isp: { cancelling: true, cancelDate: '2027-03-15' } });
  });

  it('keeps today\'s plan for someone who keeps the subscription, and asks no date', () => {
    const guide = recommended({ oldProvider: 'sfr', forWhom: 'me', domain: 'no' });
    guide.choose(`provider:${guide.context.ranked[0]}`);
    const intents = guide.choose('no');
    expect(intents.map((i) => i.type)).not.toContain('scheduleIspReminder');
    expect(guide.state).toBe('planning');
    expect(guide.context.plan.steps).not.toContain('copyBeforeCancel');
    expect(guide.context.plan.steps).not.toContain('ispAccess');
  });

  it('accepts a date not known yet, and does not ask it again', () => {
    const guide = recommended({ oldProvider: 'free', forWhom: 'me', domain: 'no' });
    guide.choose(`provider:${guide.context.ranked[0]}`);
    guide.choose('yes');
    guide.choose('dateNotKnownYet');
    expect(guide.state).toBe('planning');
    expect(guide.context.plan.steps[0]).toBe('copyBeforeCancel');
  });

  it('does not ask about the ISP subscription for a Gmail move, nor for an own-domain move', () => {
    const gmail = recommended({ oldProvider: 'gmail', forWhom: 'me', domain: 'no' });
    gmail.choose(`provider:${gmail.context.ranked[0]}`);
    expect(gmail.state).toBe('planning');
    const domain = recommended({ oldProvider: 'orange', forWhom: 'me', domain: 'have', budget: 'more' });
    domain.choose(`provider:${domain.context.ranked[0]}`);
    expect(domain.state).toBe('planning');
    expect(domain.context.plan.steps).toContain('switchMx');
    expect(domain.context.plan.steps).not.toContain('forwarding');
  });

  it('goes back to the list from the plan\'s question, with no host chosen', () => {
    const guide = recommended({ oldProvider: 'orange', forWhom: 'me', domain: 'no' });
    guide.choose(`provider:${guide.context.ranked[0]}`);
    guide.send({ type: 'BACK' });
    expect(guide.state).toBe('recommending');
    expect(guide.context.chosen).toBeNull();
  });
});

describe('several mailboxes', () => {
  it('asks their labels, then keeps progress per mailbox', () => {
    const guide = recommended({ oldProvider: 'gmail', forWhom: 'family', mailboxes: 'upTo5', domain: 'no', budget: 'more' });
    guide.choose(`provider:${guide.context.ranked[0]}`);
    expect(guide.prompt).toEqual({ kind: 'mailboxLabels', count: null, choices: ['back'] });
    expect(guide.send({ type: 'TEXT', text: '   ' })[0]).toMatchObject({ type: 'notUnderstood', reason: 'noLabels' });
    expect(guide.send({ type: 'TEXT', text: 'Papa, Maman et Léa' })).toContainEqual({ type: 'situationNoted', gap: 'mailboxLabels' });
    expect(guide.context.situation?.mailboxes).toEqual(['Papa', 'Maman', 'Léa']);
    expect(guide.state).toBe('planning');
    const steps = guide.context.plan.steps;
    expect(steps).toContain('importMail#0');
    expect(steps).toContain('importMail#2');
    expect(steps.filter((s) => s === 'createAccount')).toHaveLength(1);
    guide.choose('done');
    expect(guide.context.plan.status).toEqual({ [steps[0]!]: 'done' });
  });

  it('numbers them in one tap when the person gave how many', () => {
    const guide = startGuide();
    guide.choose('begin');
    guide.choose('gmail');
    guide.choose('association');
    guide.send({ type: 'CHOOSE', choice: 'upTo5', amounts: { mailboxes: 4 } });
    answerAll(guide, { domain: 'no', budget: 'more' });
    guide.choose(`provider:${guide.context.ranked[0]}`);
    expect(guide.prompt).toEqual({ kind: 'mailboxLabels', count: 4, choices: ['numbered', 'back'] });
    guide.choose('numbered');
    expect(guide.context.situation?.mailboxes).toEqual(['1', '2', '3', '4']);
  });
});

describe('another host mid-plan', () => {
  it('asks first, then carries over what still holds and says what to redo', () => {
    const guide = recommended({ oldProvider: 'gmail', forWhom: 'me', domain: 'no' });
    const [first, second] = guide.context.ranked;
    guide.choose(`provider:${first}`);
    const steps = guide.context.plan.steps;
    // Everything done, to the end of the plan.
    for (let i = 0; i < steps.length; i++) guide.choose('done');
    expect(guide.state).toBe('planEnd');
    guide.choose('otherProvider');
    expect(guide.prompt).toEqual({ kind: 'confirmHostChange', choices: ['yes', 'no'] });
    guide.choose('no');
    expect(guide.state).toBe('planEnd');
    expect(guide.context.chosen).toBe(first);
    guide.choose('otherProvider');
    guide.choose('yes');
    expect(guide.state).toBe('recommending');
    const intents = guide.choose(`provider:${second}`);
    const changed = intents.find((i) => i.type === 'hostChanged');
    expect(changed).toMatchObject({ type: 'hostChanged', from: first });
    if (changed?.type !== 'hostChanged') throw new Error('no hostChanged');
    expect(changed.redo.map((r) => r.key)).toContain('forwarding');
    expect(changed.redo.find((r) => r.key === 'forwarding')?.why).toBe('forwardingPointsAtOld');
    // Finding the accounts does not depend on the host: it stays done.
    expect(guide.context.plan.status.findAccounts).toBe('done');
    expect(guide.context.plan.status.forwarding).toBeUndefined();
    expect(guide.context.hostChange).toBeUndefined();
  });

  it('goes back from the first step to the list without asking when nothing was done', () => {
    const guide = recommended({ oldProvider: 'gmail', forWhom: 'me', domain: 'no' });
    guide.choose(`provider:${guide.context.ranked[0]}`);
    guide.send({ type: 'BACK' });
    expect(guide.state).toBe('recommending');
  });
});

describe('a dated reminder', () => {
  it('speaks wherever the person is and leaves them there', () => {
    const guide = recommended({ oldProvider: 'gmail', forWhom: 'me', domain: 'no' });
    expect(guide.send({ type: 'PLAN_REMINDER', reminder: 'ispAccess' })).toEqual([{ type: 'ispAccessEnding' }]);
    expect(guide.state).toBe('recommending');
  });
});

describe('finding the accounts that use the old address', () => {
  it('adds a way of finding them to the checklist in one tap, once', () => {
    const guide = recommended({ oldProvider: 'gmail', forWhom: 'me', domain: 'no' });
    guide.choose(`provider:${guide.context.ranked[0]}`);
    while (guide.context.plan.steps[guide.context.plan.cursor] !== 'findAccounts') guide.choose('done');
    expect(guide.choose('find:search:invoice')).toEqual([{ type: 'findingAdded', way: 'search:invoice' }]);
    expect(guide.context.checklist.finding).toEqual(['search:invoice']);
    expect(guide.choose('find:search:invoice')).toEqual([{ type: 'notUnderstood', reason: 'noMatch', times: 1 }]);
    expect(guide.choose('find:nothing:here')[0]).toMatchObject({ type: 'notUnderstood' });
    expect(guide.state).toBe('planning');
  });

  it('takes the names of sites still writing to the old address at a check-in', () => {
    const guide = recommended({ oldProvider: 'gmail', forWhom: 'me', domain: 'no' });
    guide.choose(`provider:${guide.context.ranked[0]}`);
    guide.send({ type: 'REMINDERS' });
    guide.choose('yes');
    guide.send({ type: 'CHECKIN', day: 30, last: false });
    expect(guide.send({ type: 'TEXT', text: 'la mutuelle' })).toEqual([{ type: 'checklistAdded' }]);
    expect(guide.context.checklist.custom).toEqual(['la mutuelle']);
    expect(guide.prompt.kind).toBe('checkin');
  });
});

describe('names for fewer mailboxes than said', () => {
  it('takes them as the answer and does not ask again', () => {
    const guide = startGuide();
    guide.choose('begin');
    guide.choose('gmail');
    guide.choose('association');
    guide.send({ type: 'CHOOSE', choice: 'upTo20', amounts: { mailboxes: 15 } });
    answerAll(guide, { domain: 'no', budget: 'more' });
    guide.choose(`provider:${guide.context.ranked[0]}`);
    guide.send({ type: 'TEXT', text: 'trésorerie, présidence, secrétariat' });
    expect(guide.state).toBe('planning');
    expect(guide.context.situation?.mailboxes).toEqual(['trésorerie', 'présidence', 'secrétariat']);
  });
});

describe('starting again', () => {
  it('forgets the plan\'s answers of the previous journey', () => {
    const guide = recommended({ oldProvider: 'orange', forWhom: 'me', domain: 'no' });
    guide.choose(`provider:${guide.context.ranked[0]}`);
    guide.choose('no');
    expect(guide.context.situation).toEqual({ isp: { cancelling: false } });
    guide.send({ type: 'RESTART' });
    guide.choose('yes');
    expect(guide.context.situation).toBeUndefined();
    guide.choose('begin');
    answerAll(guide, { oldProvider: 'free', forWhom: 'me', domain: 'no' });
    guide.choose(`provider:${guide.context.ranked[0]}`);
    expect(guide.prompt.kind).toBe('ispCancelling');
  });
});

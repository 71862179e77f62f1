import { describe, expect, it } from 'vitest';
import { answerAll, catalog, startGuide } from '../support/guide.js';
import { GUIDE_MACHINE_VERSION } from '../../src/flows/guide.types.js';
import { QUESTION_ORDER } from '../../src/flows/questions.js';

describe('the guide machine', () => {
  it('starts on the welcome, in French unless told otherwise', () => {
    const guide = startGuide();
    expect(guide.state).toBe('welcome');
    expect(guide.context.lang).toBe('fr');
    expect(guide.prompt).toEqual({ kind: 'welcome', choices: ['begin', 'lang:en'] });
    expect(startGuide({ input: { lang: 'en' } }).context.lang).toBe('en');
  });

  it('asks the old provider first, then the matching questions, then recommends', () => {
    const guide = startGuide();
    guide.choose('begin');
    expect(guide.state).toBe('asking');
    expect(guide.context.question).toBe('oldProvider');
    guide.choose('gmail');
    expect(guide.context.question).toBe('forWhom');
    answerAll(guide);
    expect(guide.state).toBe('recommending');
    expect(guide.context.answers.oldProvider).toBe('gmail');
    expect(guide.context.ranked.length).toBeGreaterThan(0);
    const prompt = guide.prompt;
    expect(prompt.kind).toBe('recommendations');
    if (prompt.kind === 'recommendations') expect(prompt.providers.length).toBe(Math.min(3, guide.context.ranked.length));
  });

  it('asks at most ten questions and skips "how many mailboxes" for one person', () => {
    const guide = startGuide();
    guide.choose('begin');
    const asked: string[] = [];
    for (let i = 0; i < 20 && guide.state === 'asking'; i++) {
      asked.push(guide.context.question);
      const q = guide.context.question;
      guide.choose(q === 'forWhom' ? 'me' : q === 'oldProvider' ? 'yahoo' : 'dontKnow');
    }
    expect(asked).not.toContain('mailboxes');
    expect(asked).toEqual(QUESTION_ORDER.filter((q) => q !== 'mailboxes'));
  });

  it('does not act on an answer that belongs to another question', () => {
    const guide = startGuide();
    guide.choose('begin');
    const intents = guide.choose('dontKnow'); // oldProvider has no "dontKnow"
    expect(guide.state).toBe('asking');
    expect(guide.context.question).toBe('oldProvider');
    expect(intents).toEqual([{ type: 'notUnderstood', reason: 'noMatch', times: 1 }]);
    expect(guide.send({ type: 'UNCLEAR', reason: 'empty' })).toEqual([{ type: 'notUnderstood', reason: 'empty', times: 2 }]);
    guide.choose('free');
    expect(guide.context.misunderstood).toBe(0);
  });

  it('goes back one question at a time, and to the welcome from the first', () => {
    const guide = startGuide();
    guide.choose('begin');
    guide.choose('orange');
    guide.choose('family');
    expect(guide.context.question).toBe('mailboxes');
    guide.send({ type: 'BACK' });
    expect(guide.context.question).toBe('forWhom');
    guide.send({ type: 'BACK' });
    expect(guide.context.question).toBe('oldProvider');
    expect(guide.context.answers.oldProvider).toBe('orange'); // kept: going back does not forget
    guide.send({ type: 'BACK' });
    expect(guide.state).toBe('welcome');
    expect(guide.send({ type: 'BACK' })).toEqual([{ type: 'nothingBefore' }]);
  });

  it('changes one answer without starting over', () => {
    const guide = startGuide();
    guide.choose('begin');
    answerAll(guide, { oldProvider: 'gmail', budget: 'more' });
    expect(guide.state).toBe('recommending');
    guide.choose('change');
    expect(guide.state).toBe('changeAnswer');
    expect(guide.prompt.choices).toContain('question:budget');
    guide.choose('question:budget');
    expect(guide.state).toBe('asking');
    expect(guide.context.question).toBe('budget');
    const intents = guide.choose('free');
    expect(guide.state).toBe('recommending');
    expect(intents).toContainEqual({ type: 'answerChanged', question: 'budget' });
    expect(guide.context.answers).toMatchObject({ oldProvider: 'gmail', budget: 'free' });
    // Every recommended provider now has a free plan.
    for (const id of guide.context.ranked) {
      const prices = catalog.provider(id)!.offers.map((offer) => offer.facts.eurPerMonth);
      expect(prices.some((price) => price === 'unknown' || price.value === 0)).toBe(true);
    }
  });

  it('explains why a provider was left out, then comes back to the recommendations', () => {
    const guide = startGuide();
    guide.choose('begin');
    answerAll(guide, { budget: 'free', domain: 'have' });
    expect(guide.context.excluded.length).toBeGreaterThan(0);
    guide.choose('whyNot');
    expect(guide.state).toBe('whyNot');
    const left = guide.context.excluded[0]!;
    expect(guide.choose(`provider:${left}`)).toEqual([{ type: 'whyLeftOut', providerId: left }]);
    expect(guide.state).toBe('recommending');
  });

  it('pages through more recommendations and wraps round', () => {
    const guide = startGuide();
    guide.choose('begin');
    answerAll(guide);
    const pages = Math.ceil(guide.context.ranked.length / 3);
    expect(pages).toBeGreaterThan(1);
    const seen = new Set<string>();
    for (let i = 0; i < pages; i++) {
      const prompt = guide.prompt;
      if (prompt.kind === 'recommendations') prompt.providers.forEach((p) => seen.add(p));
      guide.choose('more');
    }
    expect(seen.size).toBe(guide.context.ranked.length);
    expect(guide.context.page).toBe(0);
  });

  it('walks the plan: done, help, later, skip, back, and the end', () => {
    const guide = startGuide();
    guide.choose('begin');
    answerAll(guide, { oldProvider: 'gmail' });
    const pick = guide.context.ranked[0]!;
    expect(guide.choose(`provider:${pick}`)).toEqual([
      { type: 'providerChosen', providerId: pick },
      { type: 'milestone', metric: 'chose', detail: pick },
    ]);
    expect(guide.state).toBe('planning');
    const steps = guide.context.plan.steps;
    expect(steps[0]).toBe('createAccount');
    expect(guide.choose('help')).toEqual([{ type: 'stepHelp', step: 'createAccount' }]);
    expect(guide.choose('done')).toEqual([{ type: 'stepNoted', step: 'createAccount', status: 'done' }]);
    expect(guide.prompt).toMatchObject({ kind: 'planStep', step: steps[1], number: 2 });
    guide.choose('later');
    expect(guide.context.plan.status[steps[1]!]).toBe('later');
    guide.send({ type: 'BACK' });
    expect(guide.prompt).toMatchObject({ kind: 'planStep', step: steps[1] });
    expect(guide.context.plan.status[steps[1]!]).toBeUndefined();
    guide.choose('later');
    for (let i = 2; i < steps.length; i++) guide.choose(i % 2 ? 'skip' : 'done');
    expect(guide.state).toBe('planEnd');
    expect(guide.prompt).toMatchObject({ kind: 'planEnd', later: [steps[1]] });
    guide.choose('resume');
    expect(guide.prompt).toMatchObject({ kind: 'planStep', step: steps[1] });
    guide.choose('done');
    expect(guide.prompt).toMatchObject({ kind: 'planEnd', later: [] });
  });

  it('asks before restarting; "no" returns exactly where we were', () => {
    const guide = startGuide();
    guide.choose('begin');
    guide.choose('sfr');
    guide.choose('association');
    guide.send({ type: 'RESTART' });
    expect(guide.state).toBe('confirmRestart');
    guide.choose('no');
    expect(guide.state).toBe('asking');
    expect(guide.context.question).toBe('mailboxes');
    guide.send({ type: 'SET_LANG', lang: 'en' });
    guide.send({ type: 'RESTART' });
    expect(guide.choose('yes')).toEqual([{ type: 'restarted' }]);
    expect(guide.state).toBe('welcome');
    expect(guide.context.answers).toEqual({});
    expect(guide.context.lang).toBe('en'); // the language is not an answer to forget
  });

  it('forgets on request, after confirmation', () => {
    const guide = startGuide();
    guide.choose('begin');
    guide.choose('free');
    guide.send({ type: 'FORGET' });
    expect(guide.prompt.kind).toBe('confirmForget');
    guide.choose('no');
    expect(guide.context.answers.oldProvider).toBe('free');
    guide.send({ type: 'FORGET' });
    expect(guide.choose('yes')).toEqual([{ type: 'forgetMe' }]);
    expect(guide.context.answers).toEqual({});
  });

  it('switches language at any time without losing anything', () => {
    const guide = startGuide();
    guide.choose('begin');
    guide.choose('icloud');
    expect(guide.send({ type: 'SET_LANG' })).toEqual([{ type: 'languageChanged' }]);
    expect(guide.context.lang).toBe('en');
    expect(guide.context.question).toBe('forWhom');
    guide.send({ type: 'SET_LANG', lang: 'fr' });
    expect(guide.context.lang).toBe('fr');
  });

  it('takes deep-link presets and the platform language on the welcome only', () => {
    const guide = startGuide();
    guide.send({ type: 'START', preset: { oldProvider: 'gmail', forWhom: 'association' }, lang: 'en' });
    expect(guide.context.answers).toEqual({ oldProvider: 'gmail', forWhom: 'association' });
    expect(guide.context.lang).toBe('en');
    guide.choose('begin');
    expect(guide.context.question).toBe('mailboxes'); // presets are not asked again
    expect(guide.send({ type: 'START', lang: 'fr' })).toEqual([{ type: 'welcomeBack' }]);
    expect(guide.context.lang).toBe('en');
  });

  it('answers stickers, stale buttons and unknown commands kindly, and stays put', () => {
    const guide = startGuide();
    guide.choose('begin');
    for (const event of [{ type: 'UNSUPPORTED', what: 'sticker' }, { type: 'STALE' }, { type: 'UNKNOWN_COMMAND' }] as const) {
      expect(guide.send(event)).toHaveLength(1);
      expect(guide.state).toBe('asking');
      expect(guide.context.question).toBe('oldProvider');
    }
  });

  it('survives a persisted snapshot round trip mid-plan, history included', () => {
    const guide = startGuide();
    guide.choose('begin');
    answerAll(guide, { oldProvider: 'outlook' });
    guide.choose(`provider:${guide.context.ranked[0]}`);
    guide.choose('done');
    guide.send({ type: 'RESTART' });
    const persisted = JSON.parse(JSON.stringify(guide.actor.getPersistedSnapshot()));
    const resumed = startGuide({ snapshot: persisted });
    expect(resumed.state).toBe('confirmRestart');
    resumed.choose('no');
    expect(resumed.state).toBe('planning');
    expect(resumed.context.plan.cursor).toBe(1);
    expect(resumed.context.answers.oldProvider).toBe('outlook');
  });

  it('resumes at the nearest sensible point from salvaged answers (an older machine version)', () => {
    expect(GUIDE_MACHINE_VERSION).toBeGreaterThanOrEqual(1);
    const withAnswers = startGuide({ input: { salvage: { lang: 'en', answers: { oldProvider: 'gmail', budget: 'free' } } } });
    expect(withAnswers.state).toBe('recommending');
    expect(withAnswers.intents).toEqual([{ type: 'updated' }]);
    const provider = catalog.providers[0]!.id;
    const withPlan = startGuide({
      input: {
        salvage: {
          answers: { oldProvider: 'gmail' },
          chosen: provider,
          plan: { steps: ['createAccount', 'importMail'], status: { createAccount: 'done' }, cursor: 1 },
        },
      },
    });
    expect(withPlan.state).toBe('planning');
    expect(withPlan.prompt).toMatchObject({ kind: 'planStep', step: 'importMail' });
    const finished = startGuide({
      input: { salvage: { chosen: provider, plan: { steps: ['createAccount'], status: { createAccount: 'done' }, cursor: 0 } } },
    });
    expect(finished.state).toBe('planEnd');
  });
});

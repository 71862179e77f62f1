/**
 * Conversations saved by an older machine (tests/fixtures/guide-snapshots-6eefc74.json: version 2, at every kind
 * of prompt) resume after the update: through the salvage, on a real SQLite file, with what the person told kept —
 * answers, the chosen host and the plan's progress, the checklist, reminders, a volunteer holding their request.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { makeEngine, tempDbPath } from '../support/engine.js';
import { createRepositories } from '../../src/store/repositories.js';
import { GUIDE_MACHINE_VERSION } from '../../src/flows/guide.types.js';

interface Saved {
  name: string;
  version: number;
  snapshot: string;
  prompt: { kind: string; choices: string[] };
}
const fixture = JSON.parse(readFileSync(new URL('../fixtures/guide-snapshots-6eefc74.json', import.meta.url), 'utf8')) as {
  conversations: Saved[];
};

/** Where each old conversation may resume: the nearest sensible point to where it was. */
const RESUMES_AT: Record<string, string[]> = {
  welcome: ['welcome'],
  welcomeEnglish: ['welcome'],
  firstQuestion: ['welcome'],
  domainQuestion: ['recommendations'],
  groupwareQuestion: ['recommendations'],
  recommending: ['recommendations'],
  recommendingPage2: ['recommendations'],
  whyNot: ['recommendations'],
  changeAnswer: ['recommendations'],
  editingBudget: ['recommendations'],
  planFirstStep: ['planStep'],
  planThirdStep: ['planStep'],
  planEnd: ['planEnd'],
  checklistItem: ['planStep'],
  templates: ['planEnd'],
  remindersOffer: ['planEnd'],
  checkin: ['planEnd'],
  handoffConsent: ['planStep'],
  queued: ['planStep'],
  withVolunteer: ['withVolunteer'],
  confirmForget: ['recommendations', 'welcome'],
};

describe('conversations saved by machine version 2', () => {
  let tmp: ReturnType<typeof tempDbPath>;
  afterEach(() => tmp?.cleanup());

  it('is an older version than today', () => {
    expect(fixture.conversations.every((c) => c.version < GUIDE_MACHINE_VERSION)).toBe(true);
  });

  it.each(fixture.conversations.map((c) => [c.name, c] as const))('%s resumes where it makes sense, keeping what was said', async (name, saved) => {
    tmp = tempDbPath();
    const world = makeEngine(tmp.path);
    const repos = createRepositories(world.db);
    repos.saveConversation(
      { key: 'test:old', platform: 'test', chat_id: 'old', version: saved.version, snapshot: saved.snapshot, prompt_seq: 7, recent_ids: '[]' },
      Date.now(),
      true,
    );
    await world.chat('old').send({ kind: 'start' });
    const reply = world.sender.last;
    const view = world.engine.guideView('test:old')!;
    const kind = world.engine['renderer'].promptOf(view).kind as string;
    expect(RESUMES_AT[name], `${name} resumed at ${kind}`).toContain(kind);
    expect(reply.text.length).toBeGreaterThan(0);
    const old = JSON.parse(saved.snapshot).context;
    expect(view.context.answers).toEqual(old.answers);
    expect(view.context.lang).toBe(old.lang);
    if (old.chosen) {
      expect(view.context.chosen).toBe(old.chosen);
      expect(view.context.plan.status).toEqual(old.plan.status);
    }
    expect(view.context.checklist.status).toEqual(old.checklist.status);
    expect(view.context.reminders.on).toBe(old.reminders.on);
    if (old.handoff?.status === 'claimed' || old.handoff?.status === 'queued') expect(view.context.handoff).toEqual(old.handoff);
    world.close();
  });
});

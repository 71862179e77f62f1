/** The findAccounts step offers each way of finding accounts as a button; an association gets its own checklist. */
import { describe, expect, it } from 'vitest';
import { answerAll, checklist, startGuide } from '../support/guide.js';
import { promptOf } from '../../src/flows/prompt.js';
import { categoryIdsFor } from '../../src/flows/guide/followthrough.logic.js';
import { loadChecklistFile } from '../../src/catalog/checklist.js';

describe('the findAccounts step', () => {
  it('offers the ways not yet added, one tap each', () => {
    const guide = startGuide();
    guide.choose('begin');
    answerAll(guide, { oldProvider: 'gmail', forWhom: 'me', domain: 'no' });
    guide.choose(`provider:${guide.context.ranked[0]}`);
    while (guide.context.plan.steps[guide.context.plan.cursor] !== 'findAccounts') guide.choose('done');
    const ways = ['search:invoice', 'list:googleConnections'];
    const before = promptOf(guide.actor.getSnapshot(), checklist.map((c) => c.id), { findingWays: ways }).choices;
    expect(before).toEqual(expect.arrayContaining(['find:search:invoice', 'find:list:googleConnections']));
    guide.choose('find:search:invoice');
    const after = promptOf(guide.actor.getSnapshot(), checklist.map((c) => c.id), { findingWays: ways }).choices;
    expect(after).not.toContain('find:search:invoice');
    expect(after).toContain('find:list:googleConnections');
  });
});

describe('whose checklist', () => {
  it('gives an association its own accounts, and a person theirs', () => {
    const all = loadChecklistFile();
    const asso = categoryIdsFor(all, { forWhom: 'association' });
    const person = categoryIdsFor(all, { forWhom: 'me' });
    expect(asso).not.toEqual(person);
    expect(person).toEqual(checklist.map((c) => c.id));
    expect(asso.length).toBeGreaterThan(0);
  });
});

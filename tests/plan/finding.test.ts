/** Finding the accounts that use the old address, the checklist per audience and its figures, check-in wording. */
import { describe, expect, it } from 'vitest';
import { checklistFor, loadChecklist, loadChecklistFile } from '../../src/catalog/checklist.js';
import { loadPlanData } from '../../src/catalog/setup-schema.js';
import { findingWay, findingWays } from '../../src/flows/account-finding.js';
import {
  addCustomItem,
  addFindingItem,
  checkinSince,
  checklistFigures,
  checklistItems,
  checklistProgress,
  emptyChecklist,
} from '../../src/flows/followup.js';
import { QUESTIONS } from '../../src/flows/questions.js';

const { finding } = loadPlanData();

describe('ways of finding accounts', () => {
  it('gives every old provider the six searches, then its sign-in lists, then those anyone may have', () => {
    for (const id of QUESTIONS.oldProvider) {
      const ways = findingWays(id, finding, 'fr');
      expect(ways.filter((w) => w.type === 'search')).toHaveLength(6);
      expect(ways.some((w) => w.id === 'list:passwordManager'), id).toBe(true);
    }
    const gmail = findingWays('gmail', finding, 'fr').map((w) => w.id);
    expect(gmail.indexOf('list:googleConnections')).toBeLessThan(gmail.indexOf('list:signInWithApple'));
    expect(findingWays('outlook', finding, 'fr').map((w) => w.id)).toContain('list:microsoftApps');
    expect(findingWays('orange', finding, 'fr').map((w) => w.id)).not.toContain('list:microsoftApps');
  });

  it('uses Gmail search operators for Gmail, in the person\'s language', () => {
    const invoice = findingWay('gmail', finding, 'fr', 'search:invoice');
    expect(invoice).toMatchObject({ type: 'search', query: expect.stringContaining('subject:(facture') });
    expect(findingWay('gmail', finding, 'en', 'search:invoice')).toMatchObject({ query: expect.stringContaining('invoice') });
    expect(findingWay('laposte', finding, 'fr', 'search:invoice')).toMatchObject({ query: 'facture' });
  });

  it('adds a way to the checklist in one tap, once', () => {
    let checklist = addFindingItem(emptyChecklist(), 'search:invoice');
    checklist = addFindingItem(checklist, 'search:invoice');
    expect(checklistItems(['roots'], checklist)).toEqual(['roots', 'find:search:invoice']);
  });
});

describe('the checklist', () => {
  it('has an association checklist of its own, and the person checklist unchanged', () => {
    const all = loadChecklistFile();
    const asso = checklistFor(all, 'association').map((c) => c.id);
    for (const id of ['assoBank', 'assoPayments', 'assoFederation', 'assoInsurer', 'assoPrefecture', 'assoTownHall', 'assoMembers']) {
      expect(asso).toContain(id);
    }
    expect(asso).not.toContain('government');
    const person = loadChecklist().map((c) => c.id);
    expect(person).toHaveLength(13);
    expect(person).not.toContain('assoBank');
  });

  it('counts found and updated accounts per category, with one total for the header and the progress', () => {
    let checklist = emptyChecklist();
    checklist = { ...checklist, status: { roots: 'done', money: 'later', health: 'notConcerned' } };
    checklist = addCustomItem(checklist, 'Crédit Coopératif', 'money');
    checklist = addCustomItem(checklist, 'Mon club', undefined);
    checklist = { ...checklist, status: { ...checklist.status, 'custom:0': 'done' } };
    const figures = checklistFigures(['roots', 'money', 'health'], checklist);
    expect(figures).toEqual([
      { category: 'roots', found: 1, updated: 1 },
      { category: 'money', found: 2, updated: 1 },
      { category: 'health', found: 0, updated: 0 },
      { category: 'other', found: 1, updated: 0 },
    ]);
    const items = checklistItems(['roots', 'money', 'health'], checklist);
    expect(checklistProgress(items, checklist)).toEqual({ done: 2, later: 1, notConcerned: 1, all: 5, total: 4 });
  });

  it('refuses an empty label and keeps the cap', () => {
    expect(addCustomItem(emptyChecklist(), '   ')).toEqual(emptyChecklist());
  });
});

describe('check-ins', () => {
  it('says "this week" only a week after the last one', () => {
    expect(checkinSince(7, undefined)).toEqual({ kind: 'start', days: 7 });
    expect(checkinSince(14, 7)).toEqual({ kind: 'week', days: 7 });
    expect(checkinSince(90, 30)).toEqual({ kind: 'days', days: 60 });
  });
});

/** planFor: every situation × every old provider, against the rules of issue 12. */
import { describe, expect, it } from 'vitest';
import { QUESTIONS } from '../../src/flows/questions.js';
import {
  parseItemKey,
  planFor,
  planItems,
  planProgress,
  situationGaps,
  STEP_SCOPE,
  storageShortfall,
  syncAt,
  type MovePlan,
  type MoveStepId,
} from '../../src/flows/plan.js';
import { changeHost } from '../../src/flows/plan-change.js';
import { ispDates } from '../../src/flows/plan-dates.js';
import { plainText } from '../../src/render/markup.js';
import { describePlanStep } from '../../src/render/plan-text.js';
import { oldProviders, posteo, proton, translators, tuta } from './fixtures.js';
import { SITUATIONS } from './situations.js';

const ids = (plan: MovePlan) => plan.steps.map((step) => step.id);
const oldOf = (id: string) => oldProviders.find((old) => old.id === id);
const PERSONAL_ONLY: MoveStepId[] = ['forwarding', 'autoReply', 'tellContacts', 'findAccounts', 'changeAddress'];

describe('planFor, every situation × old provider', () => {
  for (const named of SITUATIONS) {
    for (const oldId of QUESTIONS.oldProvider) {
      it(`${named.id} × ${oldId}`, () => {
        const old = oldOf(oldId);
        const situation = named.situation(oldId);
        const plan = planFor(situation, old, posteo);
        const steps = ids(plan);
        expect(new Set(steps).size, 'no step twice').toBe(steps.length);
        expect(steps).toContain('importMail');
        const before = (a: MoveStepId, b: MoveStepId) => expect(steps.indexOf(a), `${a} before ${b}`).toBeLessThan(steps.indexOf(b));
        before('createAccount', 'importMail');

        if (situation.domain !== 'none') {
          // The address stays: no forwarding, no "I changed address", no sites to update.
          for (const step of PERSONAL_ONLY) expect(steps).not.toContain(step);
          expect(plan.addressStays).toBe(true);
          before('verifyDomain', 'createMailboxes');
          before('importMail', 'switchMx');
          before('switchMx', 'dnsAuth');
          expect(steps.at(-1)).toBe('cancelOldService');
          expect(steps.includes('buyDomain')).toBe(situation.domain === 'want');
          if (situation.domain === 'want') before('buyDomain', 'createAccount');
        } else {
          for (const step of PERSONAL_ONLY) expect(steps).toContain(step);
          before('findAccounts', 'changeAddress');
          for (const step of ['verifyDomain', 'switchMx', 'dnsAuth', 'cancelOldService'] as const) expect(steps).not.toContain(step);
        }

        const cancelling = Boolean(old?.isp && situation.isp?.cancelling && situation.domain === 'none');
        expect(steps[0] === 'copyBeforeCancel', 'copy first when an ISP box is cancelled').toBe(cancelling);
        expect(steps.at(-1) === 'ispAccess').toBe(cancelling);
        if (cancelling) {
          expect(plan.ispDates).toEqual({ cancelDate: '2027-03-31', accessUntil: '2027-09-30', remindOn: '2027-08-31' });
          const body = plainText(describePlanStep('ispAccess', { oldProviderId: oldId, old, provider: posteo, plan }, translators.fr).body);
          expect(body).toContain('30 septembre 2027');
          expect(body).toContain('31 août 2027');
          expect(body).toContain('reçu');
          const start = plainText(describePlanStep('createAccount', { oldProviderId: oldId, old, provider: posteo, plan }, translators.fr).body);
          expect(start, 'no "do not cancel" to someone cancelling').not.toContain('Ne résiliez pas');
        } else if (old?.isp && situation.domain === 'none') {
          const start = plainText(describePlanStep('createAccount', { oldProviderId: oldId, old, provider: posteo, plan }, translators.fr).body);
          expect(start).toContain('Ne résiliez pas');
        }

        expect(steps.includes('storageCheck')).toBe(situation.storage !== undefined);
        if (situation.storage) {
          expect(steps[steps.indexOf('importMail') - 1]).toBe('storageCheck');
          const body = plainText(
            describePlanStep('storageCheck', { oldProviderId: oldId, old, provider: posteo, plan, largerOffer: { name: 'Posteo + 20 Go', eurPerMonth: 3.5, storageGb: 22 } }, translators.fr).body,
          );
          expect(body).toContain('25 Go');
          expect(body).toContain('2 Go');
          expect(body).toMatch(/3,50\s€ par mois/u);
          expect(body).toContain('Thunderbird');
        }

        expect(steps.includes('syncPhone')).toBe(situation.sync);
        if (situation.sync) before('calendar', 'syncPhone');

        const several = situation.mailboxes.length > 1;
        expect(steps.includes('createMailboxes')).toBe(several || situation.domain !== 'none');
        const items = planItems(plan);
        const perMailbox = plan.steps.filter((s) => s.scope === 'perMailbox').length;
        expect(items).toHaveLength(several ? plan.steps.length + perMailbox * (situation.mailboxes.length - 1) : plan.steps.length);
        for (const item of items) expect(parseItemKey(item.key)).toEqual(item.mailbox === undefined ? { step: item.step } : { step: item.step, mailbox: item.mailbox });
      });
    }
  }
});

describe('the steps done once and those done per mailbox', () => {
  it('says which is which for every step', () => {
    expect(STEP_SCOPE.verifyDomain).toBe('once');
    expect(STEP_SCOPE.switchMx).toBe('once');
    expect(STEP_SCOPE.importMail).toBe('perMailbox');
    expect(STEP_SCOPE.phone).toBe('perMailbox');
  });

  it('counts progress per mailbox under the label the person chose', () => {
    const plan = planFor(SITUATIONS.find((s) => s.id === 'family')!.situation('free'), oldOf('free'), posteo);
    const progress = planProgress(plan, { createAccount: 'done', 'importMail#0': 'done', 'phone#2': 'skipped' });
    expect(progress.done).toBe(3);
    expect(progress.perMailbox.map((m) => [m.label, m.done])).toEqual([['Papa', 2], ['Maman', 1], ['Léa', 2]]);
    const papa = plainText(describePlanStep('importMail', { oldProviderId: 'free', old: oldOf('free'), provider: posteo, plan, mailbox: 0 }, translators.fr).body);
    expect(papa).toContain('« Papa »');
  });
});

describe('what is asked, nothing more', () => {
  it('asks an ISP user whether and when the subscription ends; not a Gmail user', () => {
    expect(situationGaps({ domain: 'none' }, oldOf('orange'))).toEqual(['ispCancelling']);
    expect(situationGaps({ domain: 'none', isp: { cancelling: true } }, oldOf('orange'))).toEqual(['ispCancelDate']);
    expect(situationGaps({ domain: 'none', isp: { cancelling: true, cancelDate: '2027-02-30' } }, oldOf('sfr'))).toEqual(['ispCancelDate']);
    expect(situationGaps({ domain: 'none', isp: { cancelling: false } }, oldOf('free'))).toEqual([]);
    expect(situationGaps({ domain: 'none' }, oldOf('gmail'))).toEqual([]);
    expect(situationGaps({}, oldOf('gmail'), 3)).toEqual(['domain', 'mailboxLabels']);
  });
});

describe('art. L.44-1 CPCE: the dates that follow from the cancellation', () => {
  it('adds six calendar months, ends of month included, and reminds 30 days before', () => {
    expect(ispDates('2027-01-15')).toEqual({ cancelDate: '2027-01-15', accessUntil: '2027-07-15', remindOn: '2027-06-15' });
    expect(ispDates('2026-08-31').accessUntil).toBe('2027-02-28');
    expect(ispDates('2027-08-31').accessUntil).toBe('2028-02-29');
    expect(ispDates('2026-12-20').accessUntil).toBe('2027-06-20');
  });
});

describe('storage and phone sync', () => {
  it('warns only when the mail does not fit a known, limited storage', () => {
    expect(storageShortfall({ toMoveGb: 25, offerGb: 2 })).toEqual({ toMoveGb: 25, offerGb: 2 });
    expect(storageShortfall({ toMoveGb: 1, offerGb: 2 })).toBeUndefined();
    expect(storageShortfall({ toMoveGb: 25, offerGb: null })).toBeUndefined();
    expect(storageShortfall({ offerGb: 2 })).toBeUndefined();
  });

  it('reads sync from provider-setup first, and says so for hosts whose calendar lives in their app', () => {
    expect(syncAt(proton, { dav: { value: 'appOnly', source: 'https://proton.me', checked: '2026-12-01' }, domain: 'unknown', devicePassword: 'unknown', importPicker: 'unknown' })).toEqual({ kind: 'appOnly' });
    expect(syncAt(tuta)).toEqual({ kind: 'appOnly' }); // without set-up data: the offers' own sync (Tuta's calendar lives in its app)
    const plan = planFor({ oldProviderId: 'icloud', domain: 'none', mailboxes: [''], sync: true }, oldOf('icloud'), proton);
    const setup = { dav: { value: 'appOnly' as const, source: 'https://proton.me', checked: '2026-12-01' }, domain: 'unknown' as const, devicePassword: 'unknown' as const, importPicker: 'unknown' as const };
    const body = plainText(describePlanStep('syncPhone', { oldProviderId: 'icloud', old: oldOf('icloud'), provider: proton, plan, setup }, translators.fr).body);
    expect(body).toContain('vivent dans son appli');
    const servers = { dav: { value: { caldav: 'https://posteo.de:8443', carddav: 'https://posteo.de:8843', username: 'full' as const }, source: 'https://posteo.de', checked: '2026-12-01' }, domain: 'unknown' as const, devicePassword: 'unknown' as const, importPicker: 'unknown' as const };
    const iphone = plainText(describePlanStep('syncPhone', { oldProviderId: 'outlook', old: oldOf('outlook'), provider: posteo, plan, setup: servers }, translators.fr).body);
    expect(iphone).toContain('Réglages › Apps › Calendrier › Comptes › Ajouter un compte › Autre');
    expect(iphone).toContain('https://posteo.de:8443');
    expect(iphone).toContain('https://posteo.de:8843');
    expect(iphone).toContain('Calendrier par défaut');
    expect(iphone).toContain('DAVx⁵');
  });
});

describe('choosing another host mid-plan', () => {
  it('keeps what does not depend on the host and says the forwarding must be redone', () => {
    const situation = SITUATIONS[0]!.situation('orange');
    const first = planFor(situation, oldOf('orange'), posteo);
    const status = { createAccount: 'done', forwarding: 'done', autoReply: 'later', findAccounts: 'done' } as const;
    const change = changeHost(first, status, situation, oldOf('orange'), proton);
    expect(change.kept).toEqual({ findAccounts: 'done' });
    expect(change.redo).toEqual([
      { key: 'createAccount', why: 'newBox' },
      { key: 'forwarding', why: 'forwardingPointsAtOld' },
    ]);
    expect(ids(change.plan)).toEqual(ids(first));
  });

  it('for an own domain, the MX records point at the abandoned host', () => {
    const situation = SITUATIONS.find((s) => s.id === 'assoDomain')!.situation('gmail');
    const first = planFor(situation, oldOf('gmail'), posteo);
    const change = changeHost(first, { switchMx: 'done', dnsAuth: 'done' }, situation, oldOf('gmail'), proton);
    expect(change.redo.map((r) => r.why)).toEqual(['mxPointsAtOld', 'mxPointsAtOld']);
  });
});

describe("Posteo's Umzugsservice: any IMAP box, no list of providers", () => {
  it('asks to type the old address, even for Gmail which the tool signs in to', async () => {
    const { loadPlanData } = await import('../../src/catalog/setup-schema.js');
    const { loadCatalog } = await import('../../src/catalog/load.js');
    const catalog = loadCatalog();
    const setup = loadPlanData().setups.posteo;
    for (const oldId of ['gmail', 'icloud']) {
      const body = plainText(describePlanStep('importMail', { oldProviderId: oldId, old: oldOf(oldId), provider: catalog.provider('posteo')!, setup }, translators.fr).body);
      expect(body, oldId).toContain('Tapez votre ancienne adresse');
      expect(body, oldId).not.toMatch(/Choisissez (Gmail|iCloud)/);
    }
  });
});

describe('situationOf: from the answers', () => {
  it('reads domain, labels, storage, sync and the ISP cancellation', async () => {
    const { situationOf, checklistAudience } = await import('../../src/flows/plan-answers.js');
    const situation = situationOf(
      { oldProvider: 'gmail', forWhom: 'association', domain: 'have', groupware: 'yes' },
      { storageGb: 25 },
      { mailboxLabels: ['trésorerie', ' ', 'présidence'], offerStorageGb: 2 },
    );
    expect(situation).toEqual({
      oldProviderId: 'gmail',
      domain: 'have',
      mailboxes: ['trésorerie', 'présidence'],
      storage: { toMoveGb: 25, offerGb: 2 },
      sync: true,
    });
    expect(checklistAudience({ forWhom: 'association' })).toBe('association');
    expect(checklistAudience({ forWhom: 'family' })).toBe('person');
    expect(situationOf({ oldProvider: 'orange', domain: 'dontKnow' }, {}, { isp: { cancelling: true, cancelDate: '2027-03-31' } })).toEqual({
      oldProviderId: 'orange',
      domain: 'none',
      mailboxes: [''],
      isp: { cancelling: true, cancelDate: '2027-03-31' },
      sync: false,
    });
  });
});

describe('the words of a host change', () => {
  it('names each thing to redo and why, in both languages', async () => {
    const { describeHostChange } = await import('../../src/render/plan-text-situations.js');
    const situation = SITUATIONS[0]!.situation('gmail');
    const first = planFor(situation, oldOf('gmail'), posteo);
    const change = changeHost(first, { forwarding: 'done' }, situation, oldOf('gmail'), proton);
    for (const [lang, word] of [['fr', 'abandonnez'], ['en', 'leaving']] as const) {
      const t = translators[lang];
      const text = describeHostChange(change, { from: 'Posteo', provider: 'Proton Mail' }, (key) => describePlanStep(parseItemKey(key)!.step, { oldProviderId: 'gmail', old: oldOf('gmail'), provider: proton }, t).title, t);
      expect(text).toContain(word);
      expect(text).toContain('Posteo');
      expect(text).not.toContain('{{');
    }
    expect(describeHostChange({ redo: [] }, { from: 'A', provider: 'B' }, () => '', translators.fr)).toContain('Rien');
  });
});

import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/load.js';
import { PLAN_STEP_IDS, isKnown, type PlanStepId } from '../../src/catalog/types.js';
import {
  MOVE_ORDER,
  forwardingOf,
  importPath,
  importToolFor,
  phoneSetup,
  planSteps,
  trapsAt,
} from '../../src/flows/plan.js';
import {
  association,
  fixtureProviders,
  imapOnlyTool,
  oldChoices,
  oldProvider,
  posteo,
  proton,
  tuta,
  unknownProvider,
} from './fixtures.js';

describe('planSteps', () => {
  it('orders every plan step exactly once', () => {
    expect([...MOVE_ORDER].sort()).toEqual([...PLAN_STEP_IDS].sort());
  });

  it('gives every pair, "other" included, the whole plan in the move order', () => {
    for (const { id, old } of oldChoices) {
      for (const provider of fixtureProviders) {
        expect(planSteps(id, old, provider)).toEqual(MOVE_ORDER);
      }
    }
  });

  it('follows the order a volunteer would advise', () => {
    const steps = planSteps('gmail', oldProvider('gmail'), posteo);
    const at = (step: PlanStepId) => steps.indexOf(step);
    expect(steps[0]).toBe('createAccount');
    expect(at('phone')).toBeLessThan(at('importMail'));
    expect(at('importMail')).toBeLessThan(at('forwarding'));
    expect(at('contacts')).toBeLessThan(at('forwarding'));
    expect(at('forwarding')).toBeLessThan(at('autoReply'));
    expect(at('tellContacts')).toBeLessThan(at('changeAddress'));
    expect(steps.at(-1)).toBe('changeAddress');
  });

  it('returns a fresh list the caller may keep or change', () => {
    const steps = planSteps('gmail', oldProvider('gmail'), posteo);
    steps.pop();
    expect(planSteps('gmail', oldProvider('gmail'), posteo)).toHaveLength(PLAN_STEP_IDS.length);
  });
});

describe('importPath', () => {
  it('gmail → Posteo uses the Umzugsservice', () => {
    expect(importPath(oldProvider('gmail'), posteo)).toBe('providerTool');
    expect(importToolFor('mail', oldProvider('gmail'), posteo)?.name).toBe('Umzugsservice');
  });

  it('outlook → Proton uses Easy Switch, which names Outlook.com', () => {
    expect(importPath(oldProvider('outlook'), proton)).toBe('providerTool');
    expect(importToolFor('mail', oldProvider('outlook'), proton)?.name).toBe('Easy Switch');
  });

  it('orange → a provider without an import tool goes through Thunderbird', () => {
    expect(importPath(oldProvider('orange'), association)).toBe('thunderbird');
    expect(importPath(oldProvider('orange'), unknownProvider)).toBe('thunderbird');
  });

  it('a tool for "any IMAP box" covers ISP boxes and "other", but not Outlook.com, which refuses passwords', () => {
    expect(importPath(oldProvider('orange'), imapOnlyTool)).toBe('providerTool');
    expect(importPath(undefined, imapOnlyTool)).toBe('providerTool');
    expect(importPath(oldProvider('outlook'), imapOnlyTool)).toBe('thunderbird');
    expect(importPath(oldProvider('outlook'), posteo)).toBe('thunderbird');
  });

  it('a provider without IMAP nor tool (Tuta) gets the manual path', () => {
    for (const { old } of oldChoices) expect(importPath(old, tuta)).toBe('manual');
  });
});

describe('importToolFor contacts and calendar', () => {
  it('only counts old providers the tool names ("any IMAP" is about mail)', () => {
    expect(importToolFor('contacts', oldProvider('gmail'), posteo)?.name).toBe('Umzugsservice');
    expect(importToolFor('calendar', oldProvider('icloud'), posteo)?.name).toBe('Umzugsservice');
    expect(importToolFor('contacts', oldProvider('orange'), posteo)).toBeUndefined();
    expect(importToolFor('contacts', undefined, proton)).toBeUndefined();
    expect(importToolFor('contacts', oldProvider('gmail'), imapOnlyTool)).toBeUndefined();
  });

  it('reads each kind from its own list: Yahoo contacts come with the Umzugsservice, Yahoo calendars do not', () => {
    expect(importToolFor('contacts', oldProvider('yahoo'), posteo)?.name).toBe('Umzugsservice');
    expect(importToolFor('calendar', oldProvider('yahoo'), posteo)).toBeUndefined();
    expect(importToolFor('mail', oldProvider('yahoo'), posteo)?.name).toBe('Umzugsservice');
  });

  it('outlook → Posteo: contacts by the Umzugsservice, which names Outlook.com for them, but mail by Thunderbird', () => {
    expect(importToolFor('contacts', oldProvider('outlook'), posteo)?.name).toBe('Umzugsservice');
    expect(importToolFor('calendar', oldProvider('outlook'), posteo)).toBeUndefined();
    expect(importToolFor('mail', oldProvider('outlook'), posteo)).toBeUndefined();
    expect(importPath(oldProvider('outlook'), posteo)).toBe('thunderbird');
  });
});

describe('import tools in data/', () => {
  const catalog = loadCatalog();
  const real = (id: string) => catalog.provider(id)!;
  const realOld = (id: string) => catalog.oldProvider(id);

  it('outlook → Posteo: Thunderbird for the mail (Outlook.com refuses passwords), the Umzugsservice for contacts', () => {
    expect(importPath(realOld('outlook'), real('posteo'))).toBe('thunderbird');
    expect(importToolFor('contacts', realOld('outlook'), real('posteo'))?.name).toBe('Umzugsservice');
    expect(importToolFor('calendar', realOld('outlook'), real('posteo'))).toBeUndefined();
  });

  it('gmail → Posteo and ISP boxes → Posteo: the Umzugsservice for the mail', () => {
    for (const id of ['gmail', 'yahoo', 'icloud', 'orange', 'sfr', 'free', 'laposte']) {
      expect(importPath(realOld(id), real('posteo')), id).toBe('providerTool');
    }
    expect(importPath(undefined, real('posteo'))).toBe('providerTool');
  });

  it('outlook → Proton: Easy Switch, which signs in with Microsoft, for the mail', () => {
    expect(importPath(realOld('outlook'), real('proton'))).toBe('providerTool');
  });

  it('never lets "anyImap" stand for Outlook.com, whatever the provider', () => {
    for (const provider of catalog.providers) {
      const tool = isKnown(provider.facts.importTool) ? provider.facts.importTool.value : null;
      const namesOutlook = (tool?.from.mail ?? []).includes('outlook');
      expect(importPath(realOld('outlook'), provider) === 'providerTool', provider.id).toBe(namesOutlook);
    }
  });
});

describe('phone, forwarding, traps', () => {
  it('sets up the phone with the provider app only where mail apps cannot open the box', () => {
    expect(phoneSetup(tuta)).toBe('providerApp');
    expect(phoneSetup(proton)).toBe('providerApp');
    expect(phoneSetup(posteo)).toBe('mailApp');
    expect(phoneSetup(unknownProvider)).toBe('mailApp');
  });

  it('reads forwarding from data, unknown for "other"', () => {
    expect(forwardingOf(oldProvider('yahoo'))).toBe('paid');
    expect(forwardingOf(oldProvider('gmail'))).toBe('free');
    expect(forwardingOf(undefined)).toBe('unknown');
  });

  it('finds the traps of one step', () => {
    expect(trapsAt(oldProvider('yahoo'), 'forwarding').map((t) => t.id)).toEqual(['yahooPaidForwarding']);
    expect(trapsAt(oldProvider('orange'), 'forwarding').map((t) => t.id)).toEqual(['ispSixMonthsAfterCancel']);
    expect(trapsAt(undefined, 'importMail')).toEqual([]);
  });
});

/**
 * Test fixtures for the move plan: a few new providers shaped like the real ones (so the tests do not move when
 * data/providers.json is edited), the real old providers (data/old-providers.json, validated by the catalogue
 * schema), and translators that record which locale keys were asked for.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DATA_DIR, OLD_PROVIDERS_FILE, parseCatalog } from '../../src/catalog/load.js';
import type { OldProvider, Provider } from '../../src/catalog/types.js';
import { known, offer, provider as buildProvider } from '../support/providers.js';
import { QUESTIONS } from '../../src/flows/questions.js';
import { createTexts, LANGUAGES, type Lang, type Translate } from '../../src/render/i18n.js';

/* ---- Old providers: the real data ---- */

export const oldProviders: OldProvider[] = parseCatalog(
  [],
  JSON.parse(readFileSync(join(DATA_DIR, OLD_PROVIDERS_FILE), 'utf8')),
).oldProviders;

export function oldProvider(id: string): OldProvider {
  const found = oldProviders.find((p) => p.id === id);
  if (!found) throw new Error(`no old provider "${id}" in data`);
  return found;
}

/** Every answer to "which mailbox do you use today?", with its data (undefined for "other"). */
export const oldChoices: Array<{ id: string; old?: OldProvider }> = QUESTIONS.oldProvider.map((id) => ({
  id,
  old: oldProviders.find((p) => p.id === id),
}));

/* ---- New providers: fixtures ---- */

/** A provider about which nothing is known but its name and pages (like many small associations in data). */
function named(id: string, name: string, facts: Partial<Provider['facts']> = {}, offers = [offer()]): Provider {
  return buildProvider(id, facts, name, offers);
}
/** One plan whose calendar and contacts sync as given. */
const syncing = (sync: 'caldav' | 'appOnly' | 'none') => [offer('mail', { sync: known(sync) })];

/**
 * IMAP, and its own import tool, with different old providers per kind of data (like the real Umzugsservice): mail
 * from any IMAP box (so not from Outlook.com, which refuses passwords), contacts from the big ones it names (Outlook
 * among them), calendars from fewer still.
 */
export const posteo = named('posteo', 'Posteo', {
  imap: known(true),
  membershipRequired: known(false),
  servers: known({
    imap: { host: 'posteo.de', port: 993, security: 'ssl', username: 'full' },
    smtp: { host: 'posteo.de', port: 465, security: 'ssl', username: 'full' },
  }),
  importTool: known({
    name: 'Umzugsservice',
    url: 'https://posteo.de/umzugsservice',
    from: {
      mail: ['anyImap', 'gmail'],
      contacts: ['gmail', 'outlook', 'yahoo', 'icloud'],
      calendar: ['gmail', 'icloud'],
    },
  }),
}, syncing('caldav'));

/** No standard IMAP (its own app), and a tool that names Outlook.com for mail (it signs in with Microsoft). */
export const proton = named('proton', 'Proton Mail', {
  imap: known(false),
  importTool: known({
    name: 'Easy Switch',
    url: 'https://proton.me/easyswitch',
    from: {
      mail: ['gmail', 'outlook', 'yahoo', 'icloud', 'anyImap'],
      contacts: ['gmail', 'outlook'],
      calendar: ['gmail', 'outlook'],
    },
  }),
}, syncing('appOnly'));

/** No IMAP and no import tool at all. */
export const tuta = named('tuta', 'Tuta', {
  imap: known(false),
  importTool: known(null),
}, syncing('appOnly'));

/** IMAP with known settings, no import tool, no calendar; membership first. */
export const association = named('asso', 'La Petite Asso', {
  imap: known(true),
  importTool: known(null),
  membershipRequired: known(true),
  servers: known({
    imap: { host: 'mail.asso.example.org', port: 993, security: 'ssl', username: 'local' },
    smtp: { host: 'mail.asso.example.org', port: 587, security: 'starttls', username: 'local' },
  }),
}, syncing('none'));

/** A tool for mail from any IMAP box only, not naming anyone. */
export const imapOnlyTool = named('imaponly', 'ImapOnly', {
  imap: known(true),
  importTool: known({ name: 'Mover', url: 'https://imaponly.example.org/move', from: { mail: ['anyImap'] } }),
});

/** Everything unknown. */
export const unknownProvider = named('mystery', 'Mystère');

export const fixtureProviders: Provider[] = [posteo, proton, tuta, association, imapOnlyTool, unknownProvider];

/* ---- Texts ---- */

export const texts = createTexts();
export const translators: Record<Lang, Translate> = { fr: texts.t('fr'), en: texts.t('en') };
export { LANGUAGES };

/** A translator that remembers every key asked for, to check they all exist in every language. */
export function recording(t: Translate): { t: Translate; keys: Set<string> } {
  const keys = new Set<string>();
  return {
    keys,
    t: (key, params) => {
      keys.add(key);
      return t(key, params);
    },
  };
}

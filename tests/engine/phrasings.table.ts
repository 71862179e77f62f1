/**
 * Answers typed the way people type them, in French and English, at the prompt where they were typed, with what
 * each must be understood as. tests/engine/phrasings.test.ts checks every row against the real interpreter (with
 * the real renderer's labels); scripts/phrasings-table.ts prints the table, as understood, for the closing note.
 * The first rows are the misreadings of the advice review (../shared/context/advice-review.md).
 */
import type { GuideEvent, Lang, Prompt, Reading } from '../../src/flows/guide.types.js';
import { QUESTIONS, type Amounts, type QuestionId } from '../../src/flows/questions.js';
import { PROVIDER_CHOICE, READING_CHOICE, STEP_CHOICES } from '../../src/flows/guide/context.js';
import { createInterpreter, type InterpretContext } from '../../src/engine/interpret.js';
import { createTexts } from '../../src/render/i18n.js';
import { createRenderer } from '../../src/render/render.js';
import { describeAnswer } from '../../src/render/answer-text.js';
import { loadCatalog } from '../../src/catalog/load.js';
import { loadChecklist } from '../../src/catalog/checklist.js';

/** Where a phrasing is typed: a question, or another prompt of the guide. */
export type At =
  | QuestionId
  | 'welcome'
  | 'remindersOffer'
  | 'confirmForget'
  | 'handoffConsent'
  | 'recommendations'
  | 'planStep'
  | 'ispCancelling'
  | 'ispCancelDate'
  | 'clarify:mailboxes4'
  | 'clarify:budget1';

export interface Phrasing {
  typed: string;
  at: At;
  lang?: Lang;
  means: GuideEvent;
}

/** The hosts shown on the recommendations' first page, and every host of the list (other pages). */
export const SHOWN_HOSTS = ['infomaniak', 'posteo', 'mailbox-org'];
export const ALL_HOSTS = ['infomaniak', 'posteo', 'mailbox-org', 'proton', 'tuta', 'mailo', 'zaclys', 'ecomail'];

const CLARIFY_READINGS: Record<'mailboxes4' | 'budget1', { question: QuestionId; readings: Reading[] }> = {
  mailboxes4: { question: 'mailboxes', readings: [{ choice: 'upTo5', amounts: { mailboxes: 4 } }, { choice: 'moreThan20' }] },
  budget1: {
    question: 'budget',
    readings: [{ choice: 'about1', amounts: { budget: { eurPerMonth: 1, perMailbox: false, exclusive: false } } }, { choice: 'free' }],
  },
};

/** The prompt a row is typed at, as the guide would show it. */
export function promptAt(at: At): Prompt {
  if (at.startsWith('clarify:')) {
    const { question, readings } = CLARIFY_READINGS[at.slice('clarify:'.length) as 'mailboxes4' | 'budget1'];
    return { kind: 'clarify', question, readings, choices: [...readings.map((_, i) => READING_CHOICE + i), 'back'] };
  }
  switch (at) {
    case 'welcome':
      return { kind: 'welcome', choices: ['begin', 'lang:en'] };
    case 'remindersOffer':
      return { kind: 'remindersOffer', choices: ['yes', 'timeZone', 'no'] };
    case 'confirmForget':
      return { kind: 'confirmForget', choices: ['yes', 'no'] };
    case 'handoffConsent':
      return { kind: 'handoffConsent', choices: ['yes', 'yesWithName', 'no'] };
    case 'recommendations':
      return {
        kind: 'recommendations',
        providers: SHOWN_HOSTS,
        page: 0,
        choices: [...SHOWN_HOSTS.map((id) => PROVIDER_CHOICE + id), 'more', 'whyNot', 'change', 'restart'],
      };
    case 'planStep':
      return { kind: 'planStep', step: 'importMail', number: 2, total: 9, choices: [...STEP_CHOICES, 'human'] };
    case 'ispCancelling':
      return { kind: 'ispCancelling', choices: ['yes', 'no', 'back'] };
    case 'ispCancelDate':
      return { kind: 'ispCancelDate', choices: ['dateNotKnownYet', 'back'] };
    default: {
      const question = at as QuestionId;
      return { kind: 'question', question, number: 1, total: 10, choices: [...QUESTIONS[question], 'back'] };
    }
  }
}

const choose = (choice: string, amounts?: Amounts): GuideEvent => (amounts ? { type: 'CHOOSE', choice, amounts } : { type: 'CHOOSE', choice });
const gb = (storageGb: number): Amounts => ({ storageGb });
const eur = (eurPerMonth: number, perMailbox = false, exclusive = false): Amounts => ({ budget: { eurPerMonth, perMailbox, exclusive } });
const boxes = (mailboxes: number): Amounts => ({ mailboxes });
const ambiguous = (...readings: Reading[]): GuideEvent => ({ type: 'AMBIGUOUS', readings });
const VAGUE: GuideEvent = { type: 'UNCLEAR', reason: 'vague' };
const NOT_UNDERSTOOD: GuideEvent = { type: 'UNCLEAR', reason: 'noMatch' };
const host = (id: string) => choose(PROVIDER_CHOICE + id);

export const PHRASINGS: readonly Phrasing[] = [
  // The advice review's misreadings, each now read as meant (or asked about).
  { typed: '1€', at: 'budget', means: choose('about1', eur(1)) },
  { typed: '4', at: 'mailboxes', means: ambiguous({ choice: 'upTo5', amounts: boxes(4) }, { choice: 'moreThan20' }) },
  { typed: 'une quinzaine', at: 'mailboxes', means: choose('upTo20', boxes(15)) },
  { typed: 'pas beaucoup', at: 'storage', means: VAGUE },
  { typed: 'pas cher', at: 'budget', means: VAGUE },
  { typed: '15', at: 'mailboxes', means: choose('upTo20', boxes(15)) },
  { typed: '3 go', at: 'storage', means: choose('under5', gb(3)) },
  { typed: '25 go', at: 'storage', means: choose('over20', gb(25)) },
  { typed: "5€ par boîte c'est trop", at: 'budget', means: choose('about5', eur(5, true, true)) },
  { typed: 'oui on a déjà mon-asso.fr', at: 'domain', means: choose('have') },
  { typed: 'sfr', at: 'oldProvider', means: choose('sfr') },
  { typed: 'bonjour', at: 'welcome', means: choose('begin') },
  { typed: 'le premier', at: 'recommendations', means: host('infomaniak') },
  { typed: 'just me', at: 'forWhom', lang: 'en', means: choose('me') },
  { typed: 'no thanks', at: 'remindersOffer', lang: 'en', means: choose('no') },
  { typed: 'UE', at: 'location', means: choose('eu') },
  { typed: 'entre 1 et 5 go', at: 'storage', means: choose('under5', gb(5)) },
  { typed: "moins d'un giga", at: 'storage', means: choose('under1', gb(1)) },
  { typed: 'any price', at: 'budget', lang: 'en', means: choose('dontKnow') },
  { typed: 'just me', at: 'mailboxes', lang: 'en', means: choose('one', boxes(1)) },

  // Storage.
  { typed: '30 Go', at: 'storage', means: choose('over20', gb(30)) },
  { typed: '30 giga', at: 'storage', means: choose('over20', gb(30)) },
  { typed: '1,5 Go', at: 'storage', means: choose('under5', gb(1.5)) },
  { typed: '500 Mo', at: 'storage', means: choose('under1', gb(0.5)) },
  { typed: '2-3 go', at: 'storage', means: choose('under5', gb(3)) },
  { typed: '1 To', at: 'storage', means: choose('over20', gb(1000)) },
  { typed: 'environ 12 Go', at: 'storage', means: choose('under20', gb(12)) },
  { typed: 'presque rien', at: 'storage', means: choose('under1') },
  { typed: 'un peu', at: 'storage', means: VAGUE },
  { typed: '3', at: 'storage', means: ambiguous({ choice: 'under5', amounts: gb(3) }, { choice: 'under20' }) },
  { typed: '2', at: 'storage', means: choose('under5', gb(2)) },
  { typed: '500', at: 'storage', means: ambiguous({ choice: 'over20', amounts: gb(500) }, { choice: 'under1', amounts: gb(0.5) }) },
  { typed: '15 ans de mails', at: 'storage', means: NOT_UNDERSTOOD },
  { typed: 'about 3 gigs', at: 'storage', lang: 'en', means: choose('under5', gb(3)) },
  { typed: '30 GB', at: 'storage', lang: 'en', means: choose('over20', gb(30)) },
  { typed: '500 MB', at: 'storage', lang: 'en', means: choose('under1', gb(0.5)) },
  { typed: 'I use about 12 GB', at: 'storage', lang: 'en', means: choose('under20', gb(12)) },
  { typed: 'less than one gig', at: 'storage', lang: 'en', means: choose('under1', gb(1)) },
  { typed: 'Less than 1 GB', at: 'storage', lang: 'en', means: choose('under1') },
  { typed: '1 to 5 gigs', at: 'storage', lang: 'en', means: choose('under5', gb(5)) },
  { typed: 'not much', at: 'storage', lang: 'en', means: VAGUE },
  { typed: 'je ne sais pas', at: 'storage', means: choose('dontKnow') },
  { typed: 'mes mails font 3 go', at: 'storage', means: choose('under5', gb(3)) },

  // Budget.
  { typed: '2 €', at: 'budget', means: choose('about5', eur(2)) },
  { typed: '2 euros max', at: 'budget', means: choose('about5', eur(2)) },
  { typed: '20 € par an', at: 'budget', means: choose('about5', eur(1.67)) },
  { typed: '1,50 €/mois', at: 'budget', means: choose('about1', eur(1.5)) },
  { typed: 'moins de 5 € par personne', at: 'budget', means: choose('about5', eur(5, true, true)) },
  { typed: 'un euro', at: 'budget', means: choose('about1', eur(1)) },
  { typed: '1', at: 'budget', means: ambiguous({ choice: 'about1', amounts: eur(1) }, { choice: 'free' }) },
  { typed: '2e', at: 'budget', means: ambiguous({ choice: 'about5', amounts: eur(2) }, { choice: 'about1' }) },
  { typed: 'gratuit', at: 'budget', means: choose('free') },
  { typed: 'pas cher si possible', at: 'budget', means: VAGUE },
  { typed: 'peu importe le prix', at: 'budget', means: choose('dontKnow') },
  { typed: 'le deuxième', at: 'budget', means: choose('about1') },
  { typed: '3 go', at: 'budget', means: NOT_UNDERSTOOD },
  { typed: '€2 a month', at: 'budget', lang: 'en', means: choose('about5', eur(2)) },
  { typed: 'up to 3 euros per user', at: 'budget', lang: 'en', means: choose('about5', eur(3, true)) },
  { typed: '24 euros a year', at: 'budget', lang: 'en', means: choose('about5', eur(2)) },
  { typed: 'cheap', at: 'budget', lang: 'en', means: VAGUE },
  { typed: 'free', at: 'budget', lang: 'en', means: choose('free') },
  { typed: '60 € par an', at: 'budget', means: choose('about5', eur(5)) },
  { typed: '10 €', at: 'budget', means: choose('more', eur(10)) },
  { typed: '5', at: 'budget', means: ambiguous({ choice: 'about5', amounts: eur(5) }, { choice: 'dontKnow' }) },
  { typed: 'gratuit si possible', at: 'budget', means: VAGUE },
  { typed: '£5', at: 'budget', lang: 'en', means: NOT_UNDERSTOOD },
  { typed: '€20 a year', at: 'budget', lang: 'en', means: choose('about5', eur(1.67)) },
  { typed: '€5 per mailbox is too much', at: 'budget', lang: 'en', means: choose('about5', eur(5, true, true)) },
  { typed: 'as cheap as possible', at: 'budget', lang: 'en', means: VAGUE },

  // Mailboxes.
  { typed: '12', at: 'mailboxes', means: choose('upTo20', boxes(12)) },
  { typed: '2', at: 'mailboxes', means: choose('upTo5', boxes(2)) },
  { typed: 'une dizaine', at: 'mailboxes', means: choose('upTo20', boxes(10)) },
  { typed: 'quatre', at: 'mailboxes', means: choose('upTo5', boxes(4)) },
  { typed: 'nous sommes 4', at: 'mailboxes', means: choose('upTo5', boxes(4)) },
  { typed: 'on est 4 à la maison', at: 'mailboxes', means: choose('upTo5', boxes(4)) },
  { typed: 'une quinzaine de membres', at: 'mailboxes', means: choose('upTo20', boxes(15)) },
  { typed: 'entre 10 et 15', at: 'mailboxes', means: choose('upTo20', boxes(15)) },
  { typed: '2 ou 3', at: 'mailboxes', means: choose('upTo5', boxes(3)) },
  { typed: 'vingt-cinq', at: 'mailboxes', means: choose('moreThan20', boxes(25)) },
  { typed: 'une seule', at: 'mailboxes', means: choose('one') },
  { typed: 'Plus de 20', at: 'mailboxes', means: choose('moreThan20') },
  { typed: 'beaucoup', at: 'mailboxes', means: VAGUE },
  { typed: '30 Go', at: 'mailboxes', means: NOT_UNDERSTOOD },
  { typed: 'we are four', at: 'mailboxes', lang: 'en', means: choose('upTo5', boxes(4)) },
  { typed: 'a dozen', at: 'mailboxes', lang: 'en', means: choose('upTo20', boxes(12)) },
  { typed: 'about 15 members', at: 'mailboxes', lang: 'en', means: choose('upTo20', boxes(15)) },
  { typed: 'family of 4', at: 'mailboxes', lang: 'en', means: choose('upTo5', boxes(4)) },
  { typed: 'there are 4 of us', at: 'mailboxes', lang: 'en', means: choose('upTo5', boxes(4)) },
  { typed: 'fifteen', at: 'mailboxes', lang: 'en', means: choose('upTo20', boxes(15)) },
  { typed: '4', at: 'mailboxes', lang: 'en', means: ambiguous({ choice: 'upTo5', amounts: boxes(4) }, { choice: 'moreThan20' }) },
  { typed: 'many', at: 'mailboxes', lang: 'en', means: VAGUE },

  // The first question: names and addresses.
  { typed: 'orange', at: 'oldProvider', means: choose('orange') },
  { typed: 'free', at: 'oldProvider', means: choose('free') },
  { typed: 'yahoo', at: 'oldProvider', means: choose('yahoo') },
  { typed: 'hotmail', at: 'oldProvider', means: choose('outlook') },
  { typed: 'icloud', at: 'oldProvider', means: choose('icloud') },
  { typed: 'gmail', at: 'oldProvider', means: choose('gmail') },
  { typed: 'jean@sfr.fr', at: 'oldProvider', means: choose('sfr') },
  { typed: 'marie.dupont@wanadoo.fr', at: 'oldProvider', means: choose('orange') },
  { typed: 'x@hotmail.fr', at: 'oldProvider', means: choose('outlook') },
  { typed: "mon adresse c'est paul@laposte.net", at: 'oldProvider', means: choose('laposte') },
  { typed: 'neuf.fr', at: 'oldProvider', means: choose('sfr') },
  { typed: 'je suis chez Free', at: 'oldProvider', means: choose('free') },
  { typed: 'sfr et orange', at: 'oldProvider', means: NOT_UNDERSTOOD },
  { typed: 'I use Gmail', at: 'oldProvider', lang: 'en', means: choose('gmail') },
  { typed: 'me@icloud.com', at: 'oldProvider', lang: 'en', means: choose('icloud') },
  { typed: 'none of these', at: 'oldProvider', lang: 'en', means: choose('other') },
  { typed: 'hotmail.com', at: 'oldProvider', lang: 'en', means: choose('outlook') },

  // Who it is for.
  { typed: 'juste moi', at: 'forWhom', means: choose('me') },
  { typed: 'moi et mon mari', at: 'forWhom', means: choose('family') },
  { typed: 'the cheapest one', at: 'budget', lang: 'en', means: { type: 'UNCLEAR', reason: 'vague' } },
  { typed: 'pas cher, genre 2 €', at: 'budget', means: choose('about5', { budget: { eurPerMonth: 2, perMailbox: false, exclusive: false } }) },
  { typed: 'me and my wife', at: 'forWhom', lang: 'en', means: choose('family') },
  { typed: "c'est pour notre asso", at: 'forWhom', means: choose('association') },
  { typed: 'une association de 15 personnes', at: 'forWhom', means: choose('association') },
  { typed: '4', at: 'forWhom', means: choose('business') },
  { typed: 'for my family', at: 'forWhom', lang: 'en', means: choose('family') },

  // Own domain.
  { typed: 'contact@mon-asso.fr', at: 'domain', means: choose('have') },
  { typed: 'on a déjà un nom de domaine', at: 'domain', means: choose('have') },
  { typed: 'déjà', at: 'domain', means: choose('have') },
  { typed: 'je voudrais mon-asso.fr', at: 'domain', means: choose('want') },
  { typed: 'oui', at: 'domain', means: choose('want') },
  { typed: 'non, pas besoin', at: 'domain', means: choose('no') },
  { typed: 'pas encore', at: 'domain', means: NOT_UNDERSTOOD },
  { typed: 'we already have example.org', at: 'domain', lang: 'en', means: choose('have') },
  { typed: 'no thanks', at: 'domain', lang: 'en', means: choose('no') },
  { typed: 'yes we already have our-club.org', at: 'domain', lang: 'en', means: choose('have') },

  // Location.
  { typed: 'France', at: 'location', means: choose('france') },
  { typed: 'Europe', at: 'location', means: choose('europe') },
  { typed: 'Suisse ça va', at: 'location', means: choose('europe') },
  { typed: 'France ou UE', at: 'location', means: choose('eu') },
  { typed: 'en France de préférence', at: 'location', means: choose('france') },
  { typed: 'union européenne', at: 'location', means: choose('eu') },
  { typed: 'peu importe', at: 'location', means: choose('dontKnow') },
  { typed: 'pas en France', at: 'location', means: NOT_UNDERSTOOD },
  { typed: 'France uniquement', at: 'location', means: choose('france') },
  { typed: 'Allemagne', at: 'location', means: choose('eu') },
  { typed: 'EU', at: 'location', lang: 'en', means: choose('eu') },
  { typed: 'Switzerland is fine', at: 'location', lang: 'en', means: choose('europe') },
  { typed: 'anywhere', at: 'location', lang: 'en', means: choose('dontKnow') },
  { typed: 'the EU is fine', at: 'location', lang: 'en', means: choose('eu') },

  // Yes and no, wherever they are asked.
  { typed: 'ouais', at: 'groupware', means: choose('yes') },
  { typed: 'nope', at: 'groupware', lang: 'en', means: choose('no') },
  { typed: 'oui merci', at: 'humanHelp', means: choose('yes') },
  { typed: 'non je me débrouille', at: 'humanHelp', means: choose('no') },
  { typed: 'oui volontiers', at: 'membership', means: choose('yes') },
  { typed: 'je préfère pas', at: 'membership', means: choose('no') },
  { typed: 'oui', at: 'remindersOffer', means: choose('yes') },
  { typed: 'ok', at: 'remindersOffer', means: choose('yes') },
  { typed: "d'accord", at: 'remindersOffer', means: choose('yes') },
  { typed: 'non merci', at: 'remindersOffer', means: choose('no') },
  { typed: 'yep', at: 'remindersOffer', lang: 'en', means: choose('yes') },
  { typed: 'yes', at: 'remindersOffer', lang: 'en', means: choose('yes') },
  { typed: 'nope', at: 'remindersOffer', lang: 'en', means: choose('no') },
  { typed: 'not now', at: 'remindersOffer', lang: 'en', means: choose('no') },
  { typed: 'pas maintenant', at: 'remindersOffer', means: choose('no') },
  { typed: 'oui', at: 'confirmForget', means: choose('yes') },
  { typed: 'oui avec mon prénom', at: 'handoffConsent', means: choose('yesWithName') },
  { typed: 'non merci', at: 'handoffConsent', means: choose('no') },

  // The welcome.
  { typed: 'Salut !', at: 'welcome', means: choose('begin') },
  { typed: 'coucou', at: 'welcome', means: choose('begin') },
  { typed: 'Bonjour, je voudrais quitter Gmail', at: 'welcome', means: choose('begin') },
  { typed: 'hello', at: 'welcome', lang: 'en', means: choose('begin') },
  { typed: 'hi there', at: 'welcome', lang: 'en', means: choose('begin') },
  { typed: 'good morning', at: 'welcome', lang: 'en', means: choose('begin') },

  // The recommendations: ranks, names, names from another page.
  { typed: 'le 2e', at: 'recommendations', means: host('posteo') },
  { typed: 'la troisième', at: 'recommendations', means: host('mailbox-org') },
  { typed: 'je prends Posteo', at: 'recommendations', means: host('posteo') },
  { typed: 'mailbox.org', at: 'recommendations', means: host('mailbox-org') },
  { typed: 'proton', at: 'recommendations', means: host('proton') },
  { typed: 'Tuta', at: 'recommendations', means: host('tuta') },
  { typed: 'pourquoi pas ?', at: 'recommendations', means: choose('whyNot') },
  { typed: 'the second one', at: 'recommendations', lang: 'en', means: host('posteo') },
  { typed: 'the first', at: 'recommendations', lang: 'en', means: host('infomaniak') },
  { typed: "I'll take Posteo", at: 'recommendations', lang: 'en', means: host('posteo') },
  { typed: '2nd', at: 'recommendations', lang: 'en', means: host('posteo') },

  // Plan steps.
  { typed: "c'est fait", at: 'planStep', means: choose('done') },
  { typed: 'done thanks', at: 'planStep', lang: 'en', means: choose('done') },
  { typed: 'je suis bloqué', at: 'planStep', means: choose('help') },
  { typed: "I'm stuck", at: 'planStep', lang: 'en', means: choose('help') },

  // The plan's questions about an Internet subscription.
  { typed: 'oui je résilie', at: 'ispCancelling', means: choose('yes') },
  { typed: 'je garde mon abonnement', at: 'ispCancelling', means: choose('no') },
  { typed: "I'm keeping it", at: 'ispCancelling', lang: 'en', means: choose('no') },
  { typed: 'pas encore', at: 'ispCancelDate', means: choose('dateNotKnownYet') },
  { typed: 'fin janvier', at: 'ispCancelDate', means: { type: 'TEXT', text: 'fin janvier' } },
  { typed: 'not yet', at: 'ispCancelDate', lang: 'en', means: choose('dateNotKnownYet') },

  // Picking one of two readings (after "4" mailboxes, or "1" at the budget), or answering afresh.
  { typed: '4 boîtes', at: 'clarify:mailboxes4', means: choose('reading:0') },
  { typed: 'plus de 20', at: 'clarify:mailboxes4', means: choose('reading:1') },
  { typed: 'le premier', at: 'clarify:mailboxes4', means: choose('reading:0') },
  { typed: '2', at: 'clarify:mailboxes4', means: choose('reading:1') },
  { typed: '12', at: 'clarify:mailboxes4', means: choose('upTo20', boxes(12)) },
  { typed: 'quatre', at: 'clarify:mailboxes4', means: choose('upTo5', boxes(4)) },
  { typed: 'the second', at: 'clarify:mailboxes4', lang: 'en', means: choose('reading:1') },
  { typed: 'gratuit', at: 'clarify:budget1', means: choose('reading:1') },
  { typed: '1 €', at: 'clarify:budget1', means: choose('about1', eur(1)) },
];

/**
 * The real interpreter, with the real renderer's labels (what the buttons say) and the catalogue's address
 * domains: `read` a row at its prompt, `describe` what was understood in a few English words for the closing
 * note ("6 to 20 — 15 mailboxes", "asks: 2 to 5 — 4 mailboxes or More than 20?").
 */
export function createPhrasingReader() {
  const texts = createTexts();
  const catalog = loadCatalog();
  const renderer = createRenderer(texts, catalog, { retentionDays: 180, reminderDays: [7, 30, 90], checklist: loadChecklist() });
  const interpreter = createInterpreter(texts, { oldProviders: catalog.oldProviders });
  const t = texts.t('en');

  function read(row: Phrasing): GuideEvent {
    const prompt = promptAt(row.at);
    const ctx: InterpretContext = {
      prompt,
      promptSeq: 1,
      lang: row.lang ?? 'fr',
      label: (lang, choice) => renderer.choiceLabel(lang, prompt, choice),
      ...(prompt.kind === 'recommendations' ? { extraChoices: ALL_HOSTS.map((id) => PROVIDER_CHOICE + id) } : {}),
    };
    return interpreter.interpret({ kind: 'text', text: row.typed }, ctx);
  }

  function describe(event: GuideEvent, at: At): string {
    const prompt = promptAt(at);
    const question = prompt.kind === 'question' || prompt.kind === 'clarify' ? prompt.question : undefined;
    const answer = (choice: string, amounts?: Amounts) => {
      if (!question || !(QUESTIONS[question] as readonly string[]).includes(choice)) return renderer.choiceLabel('en', prompt, choice);
      const label = t(`guide:questions.${question}.choices.${choice}`);
      const value = amounts ? describeAnswer(t, 'en', question, choice, amounts) : undefined;
      return value && value !== label ? `${label} — ${value}` : label;
    };
    switch (event.type) {
      case 'CHOOSE':
        return event.choice.startsWith(READING_CHOICE)
          ? `reading ${Number(event.choice.slice(READING_CHOICE.length)) + 1}: ${answer(event.choice)}`
          : answer(event.choice, event.amounts);
      case 'AMBIGUOUS':
        return `asks: ${event.readings.map((r) => answer(r.choice, r.amounts)).join(' or ')}?`;
      case 'TEXT':
        return `the words themselves: «${event.text}»`;
      case 'UNCLEAR':
        return event.reason === 'vague' ? 'asks what that means (vague)' : 'not understood: asks again';
      default:
        return event.type;
    }
  }

  return { read, describe };
}

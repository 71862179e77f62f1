/**
 * Intents + the prompt a conversation rests on → one localised message with its choices.
 * Every word comes from locales/ (i18next) and every fact from the catalogue; the output is markup
 * (./markup.ts) that each adapter formats for its platform.
 */
import { MAX_MEDIA_MEGABYTES } from '../engine/media.js';
import type { CampaignEvent } from '../catalog/events.js';
import { eventsText } from './events-text.js';
import { departementIntentText, departementLabel, departementPromptText } from './departement-text.js';
import { factValue, type Catalog, type Provider } from '../catalog/types.js';
import type { PlanData } from '../catalog/setup-schema.js';
import { parseItemKey } from '../flows/plan.js';
import { ispDates } from '../flows/plan-dates.js';
import { movePlanOf } from '../flows/guide/plan.logic.js';
import { categoryIdsFor } from '../flows/guide/followthrough.logic.js';
import { rankProvidersCached as rankProviders } from '../catalog/ranking-cache.js';
import { cheapestOfferHolding } from '../catalog/match.js';
import { QUESTION_ORDER, isChoiceOf, type QuestionId } from '../flows/questions.js';
import {
  PAGE_SIZE,
  PROVIDER_CHOICE,
  QUESTION_CHOICE,
  MISUNDERSTOOD_HELP_AFTER,
  READING_CHOICE,
  TIME_ZONE_CHOICE,
} from '../flows/guide/context.js';
import { promptOf, promptKind, questionPosition, type GuideStateView } from '../flows/prompt.js';
import { CUSTOM_ITEM, FINDING_ITEM, checklistFigures, checklistItems, checklistProgress } from '../flows/followup.js';
import { findingWays } from '../flows/account-finding.js';
import type { ChecklistCategory } from '../catalog/checklist.js';
import type { PersonalData } from '../engine/personal-data.js';
import type { GuideIntent, PlanItemKey, Prompt } from '../flows/guide.types.js';
import { renderExclusion, renderRecommendations } from './catalog-text.js';
import { amountsFor, describeAnswer } from './answer-text.js';
import { describePlanStep, type PlanStepContext } from './plan-text.js';
import type { Lang, Texts, Translate } from './i18n.js';
import type { OutChoice } from '../engine/types.js';
import { cardOf } from '../flows/ticket-card.js';
import { cardLines, stepTitle } from './card-text.js';

export interface RenderedTurn {
  text: string;
  choices: OutChoice[];
}

const STATUS_MARK = { done: '✓', skipped: '–', later: '…' } as const;

/** What the engine gathered for this turn that the machine does not hold (e.g. rows of other tables). */
export interface RenderExtras {
  personalData?: PersonalData;
  /** The person's platform, for the card shown before they consent to a volunteer seeing it. */
  platform?: string;
  /** Their display name on the platform (this turn only): shown as what "yes, with my first name" would share. */
  displayName?: string;
}

/** "environ 20 minutes" / "about 3 hours" / "about 2 days". */
export function waitText(t: Translate, minutes: number): string {
  if (minutes < 90) return t('handoff:wait.minutes', { count: Math.max(5, Math.round(minutes / 5) * 5) });
  if (minutes < 36 * 60) return t('handoff:wait.hours', { count: Math.round(minutes / 60) });
  return t('handoff:wait.days', { count: Math.round(minutes / 1440) });
}

export interface RenderOptions {
  /** Days after which idle conversations are erased (said in the privacy notice). */
  retentionDays: number;
  /** Days after turning reminders on when check-ins come (said in the offer). */
  reminderDays: readonly number[];
  checklist: readonly ChecklistCategory[];
  /** Is a volunteers' desk there (asked at each render: the desk is attached after the renderer is made)? */
  deskAvailable?: () => boolean;
  /** Can the person be met in person (a desk serves by département, an event is held in a place)? Asked at each render. */
  inPerson?: () => boolean;
  /** The move plan's data (hosts' set-up, registrars, ways of finding accounts). */
  planData?: PlanData;
  /**
   * The campaign's next events for a person of this language (src/catalog/events.ts's nextEvents, the caller's
   * clock inside: the renderer has none), offered at the end of the plan; none when unset. `departement`: the
   * person's, when they gave one (in-person events there suit them too).
   */
  eventsFor?: (lang: Lang, departement?: string | null) => readonly CampaignEvent[];
}

/** Choice ids whose label lives with the follow-through texts. */
const FOLLOWUP_CHOICES = new Set([
  'checklist', 'templates', 'reminders', 'stopReminders', 'notConcerned', 'add', 'tellContacts', 'autoReply',
  'signature', 'setAddress', 'forgetAddress', 'timeZone', 'otherTimeZone', 'switched', 'notYet', 'dontKnow',
]);

export function createRenderer(texts: Texts, catalog: Catalog, options: RenderOptions) {
  const { retentionDays, reminderDays, checklist } = options;
  const categoryIdsOf = (view: GuideStateView) => categoryIdsFor(checklist, view.context.answers);
  const planData = options.planData;
  const examplesOf = new Map(checklist.map((c) => [c.id, c.examples]));
  const waysOf = (view: GuideStateView) =>
    planData ? findingWays(view.context.answers.oldProvider ?? 'other', planData.finding, view.context.lang) : [];
  const promptFor = (view: GuideStateView) =>
    promptOf(view, categoryIdsOf(view), {
      ...(options.deskAvailable ? { desk: options.deskAvailable() } : {}),
      ...(options.inPerson?.() ? { inPerson: true } : {}),
      findingWays: waysOf(view).map((way) => way.id),
    });

  // A step's texts depend only on the language, the item, the hosts, the answers and the situation: build each once.
  const stepTexts = new Map<string, ReturnType<typeof describePlanStep>>();
  function describeStep(item: PlanItemKey, view: GuideStateView, t: Translate) {
    const parsed = parseItemKey(item);
    const { context } = view;
    // Everything the words depend on: the item, the two hosts, the situation, and the answers that choose the offer.
    const key = `${context.lang}|${item}|${context.chosen}|${JSON.stringify([context.answers, context.amounts, context.situation, context.newAddress])}`;
    let described = stepTexts.get(key);
    if (!described) {
      // Only on a miss: the plan and the chosen offer behind a step's words are worked out once per situation.
      const ctx = stepContext(view, item);
      described = parsed ? describePlanStep(parsed.step, ctx, t) : { title: item, body: '', help: '' };
      // An item for one mailbox of several says whose it is, wherever its title is shown (progress, check-ins).
      const label = parsed?.mailbox !== undefined ? ctx.plan?.mailboxes[parsed.mailbox] : undefined;
      if (label) described = { ...described, title: t('guide:plan.itemTitle', { title: described.title, mailbox: label }) };
      if (stepTexts.size >= 10_000) stepTexts.clear();
      stepTexts.set(key, described);
    }
    return described;
  }
  const providerName = (id: string) => catalog.provider(id)?.name ?? id;

  function answerLabel(t: Translate, question: QuestionId, choice: string): string {
    return t(`guide:questions.${question}.choices.${choice}`);
  }

  /** The words on a button / numbered line for a choice id of a prompt. */
  function choiceLabel(lang: Lang, prompt: Prompt, choice: string, view?: GuideStateView): string {
    const t = texts.t(lang);
    if (choice.startsWith(PROVIDER_CHOICE)) return providerName(choice.slice(PROVIDER_CHOICE.length));
    if (choice.startsWith(QUESTION_CHOICE)) {
      const question = choice.slice(QUESTION_CHOICE.length) as QuestionId;
      const answer = view?.context.answers[question];
      const short = t(`guide:questions.${question}.short`);
      const said = answer && describeAnswer(t, lang, question, answer, amountsFor(question, view?.context.amounts));
      return said ? t('guide:changeAnswer.choice', { question: short, answer: said }) : short;
    }
    if (choice.startsWith('lang:')) return t(`common:languages.${choice.slice(5)}`);
    if (choice.startsWith(TIME_ZONE_CHOICE)) return t(`followup:timeZones.${zoneKey(choice.slice(TIME_ZONE_CHOICE.length))}`);
    // Only the question's own choices are its answers: "human" or "back" on a question prompt are not.
    if (prompt.kind === 'question' && isChoiceOf(prompt.question, choice)) return answerLabel(t, prompt.question, choice);
    if (prompt.kind === 'mailboxLabels' && choice === 'numbered') return t('guide:situation.mailboxLabels.numbered', { count: prompt.count ?? 0 });
    if (choice === 'dateNotKnownYet') return t('guide:situation.ispCancelDate.dateNotKnownYet');
    if (choice.startsWith(FINDING_ITEM) && view) return t('followup:checklist.finding.add', { label: findingLabel(t, view, choice.slice(FINDING_ITEM.length)) });
    if (prompt.kind === 'clarify' && choice.startsWith(READING_CHOICE)) {
      const reading = prompt.readings[Number(choice.slice(READING_CHOICE.length))];
      if (reading) return describeAnswer(t, lang, prompt.question, reading.choice, reading.amounts);
    }
    if (prompt.kind === 'rateHelp' || prompt.kind === 'rateWord') return t(`handoff:rating.choices.${choice}`);
    if (FOLLOWUP_CHOICES.has(choice)) return t(`followup:choices.${choice}`);
    return t(`guide:choices.${choice}`);
  }

  function choicesOf(lang: Lang, prompt: Prompt, view?: GuideStateView): OutChoice[] {
    return prompt.choices.map((id) => ({ id, label: choiceLabel(lang, prompt, id, view) }));
  }

  /**
   * `compact`: the turn already explained this prompt (help, progress), so a plan step shows only its title line
   * rather than its whole body again — people read this on phones.
   */
  function promptText(t: Translate, prompt: Prompt, view: GuideStateView, compact = false, extras: RenderExtras = {}): string {
    const { context } = view;
    switch (prompt.kind) {
      case 'welcome':
        return [t('guide:welcome.intro'), t('guide:welcome.privacy', { days: retentionDays }), t('guide:welcome.ask')].join('\n\n');
      case 'question': {
        const lines = [t('guide:questions.position', { number: prompt.number, total: prompt.total })];
        lines.push(t(`guide:questions.${prompt.question}.prompt`));
        if (prompt.question === 'storage') {
          const old = context.answers.oldProvider;
          const how = old && texts.has(`guide:questions.storage.howToSee.${old}`) ? old : 'other';
          lines.push(t(`guide:questions.storage.howToSee.${how}`));
        }
        return lines.join('\n');
      }
      case 'clarify':
        return t('guide:clarify.ask');
      case 'mailboxLabels':
        return [
          t('guide:situation.mailboxLabels.prompt'),
          ...(prompt.count !== null && prompt.count > 1 ? [t('guide:situation.mailboxLabels.numberedHint', { count: prompt.count })] : []),
        ].join('\n');
      case 'ispCancelling':
        return t('guide:situation.ispCancelling.prompt', { old: oldProviderName(t, view) });
      case 'ispCancelDate':
        return t('guide:situation.ispCancelDate.prompt', { old: oldProviderName(t, view) });
      case 'confirmHostChange': {
        const { plan } = context;
        const done = plan.steps.filter((s) => plan.status[s] === 'done').length;
        return t('guide:hostChange.confirm', { provider: providerName(context.chosen ?? ''), done, total: plan.steps.length });
      }
      case 'recommendations': {
        const match = rankProviders(catalog, context.answers, context.amounts ?? {});
        const body = renderRecommendations({ match, providers: prompt.providers, page: prompt.page, pageSize: PAGE_SIZE, catalog }, t);
        return prompt.page === 0 ? [understoodSummary(t, view), body].join('\n\n') : body;
      }
      case 'whyNot':
        return t('guide:whyNot.ask');
      case 'changeAnswer':
        return t('guide:changeAnswer.ask');
      case 'planStep': {
        const step = describeStep(prompt.step, view, t);
        const title = t('guide:plan.position', { number: prompt.number, total: prompt.total, title: step.title });
        return compact ? title : [title, step.body].join('\n\n');
      }
      case 'planEnd': {
        const name = providerName(context.chosen ?? '');
        const events = eventsText(t, context.lang, options.eventsFor?.(context.lang, context.departement) ?? []);
        const offer = [...(context.reminders.on ? [] : [reminderOffer(t, view)]), ...(events ? [events] : [])];
        if (prompt.later.length === 0) return [t('guide:plan.finished', { provider: name }), ...offer].join('\n\n');
        const later = prompt.later.map((s) => '• ' + describeStep(s, view, t).title).join('\n');
        return [t('guide:plan.finishedWithLater', { provider: name, count: prompt.later.length, later }), ...offer].join('\n\n');
      }
      case 'confirmRestart':
        return t('guide:restart.confirm');
      case 'confirmForget':
        return t('guide:forget.confirm', { days: retentionDays });
      case 'checklistItem':
        return [
          t('followup:checklist.header', { number: prompt.number, total: prompt.total }),
          checklistItemText(t, prompt.item, view),
          t('followup:checklist.ask'),
          checklistProgressText(t, view),
        ].join('\n');
      case 'checklistEnd':
        return [t('followup:checklist.end'), checklistProgressText(t, view), checklistFiguresText(t, view)].filter(Boolean).join('\n');
      case 'checklistAdd':
        return t('followup:checklist.addAsk');
      case 'templates':
        return [
          t('followup:templates.ask'),
          context.newAddress
            ? t('followup:templates.addressKnown', { address: context.newAddress })
            : t('followup:templates.addressUnknown'),
        ].join('\n');
      case 'typingAddress':
        return t('followup:templates.typingAsk');
      case 'remindersOffer':
        return reminderOffer(t, view);
      case 'timeZone':
        return t('followup:reminders.timeZoneAsk');
      case 'typingTimeZone':
        return t('followup:reminders.timeZoneTyping');
      case 'checkin': {
        // A workshop coming up is worth a line in a check-in too: the move is often where people get stuck.
        const events = eventsText(t, context.lang, options.eventsFor?.(context.lang, context.departement) ?? []);
        const checkin = [
          t('followup:checkin.intro', { day: prompt.day }),
          ...(context.chosen ? [planProgressLine(t, view)] : []),
          checklistProgressText(t, view),
          t(prompt.last ? 'followup:checkin.askLast' : 'followup:checkin.ask'),
          t('followup:checkin.whichSites'),
        ].join('\n');
        return events ? [checkin, events].join('\n\n') : checkin;
      }
      case 'departement':
      case 'departementConfirm':
        return departementPromptText(t, prompt);
      case 'handoffConsent': {
        const card = cardOf(context, extras.platform ?? 'terminal');
        return [
          t('handoff:consent.intro'),
          cardLines(t, catalog, card).map((line) => `• ${line}`).join('\n'),
          ...(extras.displayName ? [t('handoff:consent.nameWouldBe', { name: extras.displayName })] : []),
          t('handoff:consent.ask'),
        ].join('\n\n');
      }
      case 'withVolunteer':
        return t(compact ? 'handoff:withVolunteerShort' : 'handoff:withVolunteer', { volunteer: prompt.volunteer ?? t('handoff:aVolunteer') });
      case 'mediaConsent':
        return t('handoff:media.consent', { volunteer: prompt.volunteer ?? t('handoff:aVolunteer'), count: prompt.count });
      case 'rateHelp':
        return t('handoff:rating.ask');
      case 'rateWord':
        return t('handoff:rating.askWord');
    }
  }

  function unsupportedText(t: Translate, what: string): string {
    const key = texts.has(`guide:notices.unsupported.${what}`) ? what : 'other';
    return t(`guide:notices.unsupported.${key}`);
  }

  /** One line of everything understood, so that a misreading can be seen before trusting the advice. */
  function understoodSummary(t: Translate, view: GuideStateView): string {
    const { answers, amounts, lang } = view.context;
    const said = QUESTION_ORDER.filter((q) => answers[q] !== undefined).map((q) =>
      t('guide:recommendations.understoodItem', {
        question: t(`guide:questions.${q}.short`),
        answer: describeAnswer(t, lang, q, answers[q]!, amountsFor(q, amounts)),
      }),
    );
    return t('guide:recommendations.understood', { answers: said.join(' · '), change: t('guide:choices.change') });
  }

  /** "Orange", from the old provider's own name (the question's label when there is no data). */
  function oldProviderName(t: Translate, view: GuideStateView): string {
    const id = view.context.answers.oldProvider ?? 'other';
    return catalog.oldProvider(id)?.name ?? t(`guide:questions.oldProvider.choices.${id}`);
  }

  /** "15 mars 2027" / "15 March 2027", for a YYYY-MM-DD day. */
  function dayText(lang: Lang, iso: string): string {
    return new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${iso}T12:00:00Z`));
  }

  function situationNotedText(t: Translate, gap: string, view: GuideStateView): string {
    const { situation = {}, lang } = view.context;
    const old = oldProviderName(t, view);
    switch (gap) {
      case 'mailboxLabels': {
        const labels = situation.mailboxes ?? [];
        return t('guide:situation.noted.mailboxLabels', { count: labels.length, labels: labels.join(', ') });
      }
      case 'ispCancelling':
        return t(`guide:situation.noted.ispCancelling_${situation.isp?.cancelling ? 'yes' : 'no'}`, { old });
      case 'ispCancelDate': {
        const date = situation.isp?.cancelDate;
        if (!date) return t('guide:situation.noted.ispCancelDateUnknown');
        const dates = ispDates(date);
        return t('guide:situation.noted.ispCancelDate', {
          date: dayText(lang, dates.cancelDate),
          until: dayText(lang, dates.accessUntil),
          remind: dayText(lang, dates.remindOn),
        });
      }
      default:
        return '';
    }
  }

  function hostChangedText(t: Translate, intent: Extract<GuideIntent, { type: 'hostChanged' }>, view: GuideStateView): string {
    const provider = providerName(view.context.chosen ?? '');
    const lines = [intent.kept > 0 ? t('guide:hostChange.kept', { count: intent.kept, provider }) : t('guide:hostChange.keptNone', { provider })];
    if (intent.redo.length > 0) {
      lines.push(t('guide:hostChange.redo', { provider }));
      for (const { key, why } of intent.redo) {
        lines.push(`• ${describeStep(key, view, t).title} — ${t(`guide:hostChange.why.${why}`, { provider, from: providerName(intent.from) })}`);
      }
    }
    return lines.join('\n');
  }

  function zoneKey(zone: string): string {
    return zone.replace(/\//g, '_');
  }

  function reminderOffer(t: Translate, view: GuideStateView): string {
    const zone = view.context.reminders.timeZone;
    const zoneName = texts.has(`followup:timeZones.${zoneKey(zone)}`) ? t(`followup:timeZones.${zoneKey(zone)}`) : zone;
    return t('followup:reminders.offer', { days: listOfDays(view.context.lang), timeZone: zoneName });
  }

  /** "7, 30 et 90" / "7, 30 and 90", in the conversation's language. */
  function listOfDays(lang: Lang): string {
    return new Intl.ListFormat(lang, { style: 'long', type: 'conjunction' }).format(reminderDays.map(String));
  }

  /** "🔎 Search “Invoices” in the old mailbox", "🔑 Sign-in list: Google connections". */
  function findingLabel(t: Translate, view: GuideStateView, wayId: string): string {
    const way = waysOf(view).find((w) => w.id === wayId);
    if (!way) return wayId;
    return way.type === 'search'
      ? t('followup:checklist.finding.search', { kind: t(`plan:finding.kinds.${way.kind}`) })
      : t('followup:checklist.finding.list', { name: t(`followup:checklist.finding.listNames.${way.list.id}`) });
  }

  /** A way of finding accounts as a checklist item: what to search for (or where the list is), to tick once done. */
  function findingItemText(t: Translate, view: GuideStateView, wayId: string): string {
    const way = waysOf(view).find((w) => w.id === wayId);
    if (!way) return `**${wayId}**`;
    const how =
      way.type === 'search'
        ? `${t(`plan:finding.where.${way.where}`)}\n\`${way.query}\``
        : t(`plan:finding.lists.${way.list.id}`, { url: way.list.url ?? '' });
    return [`**${findingLabel(t, view, wayId)}**`, how].join('\n');
  }

  function checklistItemText(t: Translate, item: string, view: GuideStateView): string {
    if (item.startsWith(FINDING_ITEM)) return findingItemText(t, view, item.slice(FINDING_ITEM.length));
    if (item.startsWith(CUSTOM_ITEM)) {
      const label = view.context.checklist.custom[Number(item.slice(CUSTOM_ITEM.length))] ?? '';
      return [t('followup:checklist.customTitle', { label }), t('followup:checklist.custom')].join('\n');
    }
    const examples = examplesOf.get(item)?.[view.context.lang] ?? [];
    return [
      `**${t(`followup:checklist.categories.${item}.title`)}**`,
      t('followup:checklist.examples', { examples: examples.join(', ') }),
      t(`followup:checklist.categories.${item}.why`),
    ].join('\n');
  }

  function checklistProgressText(t: Translate, view: GuideStateView): string {
    const progress = checklistProgress(checklistItems(categoryIdsOf(view), view.context.checklist), view.context.checklist);
    return progress.later > 0
      ? t('followup:checklist.progressWithLater', progress)
      : t('followup:checklist.progress', progress);
  }

  /** Accounts found and updated, per kind of account (only the kinds where some were found). */
  function checklistFiguresText(t: Translate, view: GuideStateView): string {
    const figures = checklistFigures(categoryIdsOf(view), view.context.checklist).filter((f) => f.found > 0);
    if (figures.length === 0) return '';
    const title = (category: string) =>
      category === 'other' ? t('followup:checklist.otherCategory') : t(`followup:checklist.categories.${category}.title`);
    return [
      t('followup:checklist.figureHeader'),
      ...figures.map((f) => `• ${t('followup:checklist.figureLine', { title: title(f.category), updated: f.updated, found: f.found })}`),
    ].join('\n');
  }

  function planProgressLine(t: Translate, view: GuideStateView): string {
    const { plan, chosen } = view.context;
    const done = plan.steps.filter((s) => plan.status[s] === 'done').length;
    return t('followup:checkin.planProgress', { provider: providerName(chosen ?? ''), done, total: plan.steps.length });
  }

  function templateText(t: Translate, name: string, view: GuideStateView): string {
    const text = t(`plan:templates.${name}`, {
      newAddress: view.context.newAddress ?? t('plan:templates.newAddressPlaceholder'),
      name: t('plan:templates.namePlaceholder'),
    });
    // As a code block: on a phone, Telegram copies it with one tap.
    return `${t('followup:templates.copyThis')}\n\`${text}\``;
  }

  function stepContext(view: GuideStateView, item?: PlanItemKey): PlanStepContext {
    const { context } = view;
    const oldProviderId = context.answers.oldProvider ?? 'other';
    const provider = catalog.provider(context.chosen ?? '')!;
    const old = catalog.oldProvider(oldProviderId);
    const mailbox = item === undefined ? undefined : parseItemKey(item)?.mailbox;
    const setups = planData?.setups ?? {};
    const plan = context.chosen ? movePlanOf(context, catalog, setups) : undefined;
    return {
      oldProviderId,
      ...(old ? { old } : {}),
      provider,
      lang: context.lang,
      ...(context.newAddress ? { newAddress: context.newAddress } : {}),
      ...(plan ? { plan } : {}),
      ...(mailbox !== undefined ? { mailbox } : {}),
      ...(setups[provider?.id ?? ''] ? { setup: setups[provider.id]! } : {}),
      ...(planData ? { registrars: { registrars: planData.registrars, directory: planData.registrarDirectory }, finding: planData.finding } : {}),
      ...(plan?.storageShort && provider ? largerOfferOf(provider, plan.storageShort.toMoveGb) : {}),
    };
  }

  /** For mail that does not fit: the host's cheapest known offer that holds it (a choice told before the import). */
  function largerOfferOf(provider: Provider, toMoveGb: number): Pick<PlanStepContext, 'largerOffer'> {
    const offer = cheapestOfferHolding(provider, toMoveGb);
    if (!offer) return {};
    return { largerOffer: { name: offer.name, eurPerMonth: factValue(offer.facts.eurPerMonth)!, storageGb: factValue(offer.facts.storageGb) ?? null } };
  }

  function progressText(t: Translate, view: GuideStateView): string {
    const { context } = view;
    const kind = promptKind(view.value, view.context);
    if (context.chosen) {
      const steps = context.plan.steps.map((s, i) => {
        const status = context.plan.status[s];
        const mark = status ? STATUS_MARK[status] : i === context.plan.cursor && kind === 'planStep' ? '→' : '○';
        return `${mark} ${describeStep(s, view, t).title}`;
      });
      const done = context.plan.steps.filter((s) => context.plan.status[s] === 'done').length;
      return [
        t('guide:progress.plan', { provider: providerName(context.chosen), done, total: context.plan.steps.length }),
        steps.join('\n'),
        t('guide:progress.legend'),
        checklistProgressText(t, view),
        checklistFiguresText(t, view),
      ].join('\n');
    }
    const lines: string[] = [];
    if (kind === 'question') {
      const { number, total } = questionPosition(context);
      lines.push(t('guide:progress.questions', { number, total }));
    } else {
      const answered = QUESTION_ORDER.filter((q) => context.answers[q] !== undefined).length;
      lines.push(answered === 0 ? t('guide:progress.start') : t('guide:progress.recommendations', { count: context.ranked.length }));
    }
    if (Object.keys(context.checklist.status).length > 0) lines.push(checklistProgressText(t, view));
    return lines.join('\n');
  }

  function intentText(t: Translate, intent: GuideIntent, view: GuideStateView): string {
    switch (intent.type) {
      case 'findingAdded':
        return t('followup:checklist.findingAdded');
      case 'situationNoted':
        return situationNotedText(t, intent.gap, view);
      case 'hostChanged':
        return hostChangedText(t, intent, view);
      case 'scheduleIspReminder': // for the engine: the reminder is said with the date (situationNoted)
      case 'cancelIspReminder':
        return '';
      case 'ispAccessEnding': {
        const date = view.context.situation?.isp?.cancelDate;
        return date ? t('guide:notices.ispAccessEnding', { old: oldProviderName(t, view), until: dayText(view.context.lang, ispDates(date).accessUntil) }) : '';
      }
      case 'understood':
        return t('guide:understood.line', {
          answer: describeAnswer(t, view.context.lang, intent.question, intent.choice, intent.amounts),
        });
      case 'notUnderstood': {
        // "pas cher" at the budget question: ask for the figure that question needs.
        const specific = intent.question && `guide:notices.notUnderstood.${intent.reason}At.${intent.question}`;
        const line = t(specific && texts.has(specific) ? specific : `guide:notices.notUnderstood.${intent.reason}`);
        const stuck = options.deskAvailable?.() === false ? 'guide:notices.stuckNoDesk' : 'guide:notices.stuck';
        return intent.times >= MISUNDERSTOOD_HELP_AFTER ? `${line}\n${t(stuck)}` : line;
      }
      case 'unsupported':
        return unsupportedText(t, intent.what);
      case 'mediaWithoutVolunteer': {
        // No volunteer holds a ticket: what the guide says of files — and a volunteer could look at it with them.
        const then = intent.queued ? 'handoff:media.whenClaimed' : options.deskAvailable?.() ? 'handoff:media.volunteerCanSee' : undefined;
        return [unsupportedText(t, intent.what), ...(then ? [t(then)] : [])].join('\n');
      }
      case 'mediaSent':
        return t('handoff:media.sent', { volunteer: view.context.handoff?.volunteer ?? t('handoff:aVolunteer'), count: intent.count });
      case 'mediaCancelled':
        return t('handoff:media.cancelled');
      case 'mediaRefused':
        return t(`handoff:media.refused.${intent.reason}`, { megabytes: MAX_MEDIA_MEGABYTES });
      case 'help': {
        const kind = promptKind(view.value, view.context);
        const about = texts.has(`guide:help.${kind}`) ? `guide:help.${kind}` : `followup:help.${kind}`;
        return [t(about), t('guide:help.commands')].join('\n\n');
      }
      case 'progress':
        return progressText(t, view);
      case 'answerChanged':
        return t('guide:notices.answerChanged', { question: t(`guide:questions.${intent.question}.short`) });
      case 'providerChosen':
        return t('guide:notices.providerChosen', { provider: providerName(intent.providerId) });
      case 'whyLeftOut': {
        const excluded = rankProviders(catalog, view.context.answers, view.context.amounts ?? {}).excluded.find((e) => e.providerId === intent.providerId);
        const provider = catalog.provider(intent.providerId);
        return excluded && provider ? renderExclusion(excluded, provider, t) : t('guide:notices.notLeftOutAnymore');
      }
      case 'stepHelp':
        return describeStep(intent.step, view, t).help;
      case 'stepNoted':
        return t(`guide:notices.step.${intent.status}`);
      case 'checklistNoted':
        return t(`followup:checklist.noted.${intent.status}`);
      case 'checklistAdded':
        return t('followup:checklist.added');
      case 'template':
        return templateText(t, intent.name, view);
      case 'addressNoted':
        return t('followup:templates.noted');
      case 'addressForgotten':
        return t('followup:templates.forgotten');
      case 'timeZoneSet':
        return t('followup:reminders.timeZoneSet', { timeZone: view.context.reminders.timeZone });
      case 'remindersOn':
        return t('followup:reminders.on', { first: reminderDays[0] ?? 0 });
      case 'remindersOff':
        return t('followup:reminders.off');
      case 'checkinAnswered': {
        const line = t(`followup:checkin.answered.${intent.answer}`);
        const isp = intent.answer === 'switched' && catalog.oldProvider(view.context.answers.oldProvider ?? '')?.isp;
        return isp ? `${line}\n\n${t('followup:checkin.answered.switchedIsp')}` : line;
      }
      case 'departementNoted':
      case 'departementForgotten':
      case 'departementNotUnderstood':
        return departementIntentText(t, intent, options.eventsFor?.(view.context.lang, view.context.departement) ?? []);
      case 'milestone':
      case 'myData': // rendered from the gathered data (see render's extras)
      case 'askVolunteer': // the consent prompt says it all
      case 'consentGiven': // the engine adds where they are in the queue (ticketQueued)
      case 'reopenTicket':
      case 'relayToVolunteer': // the bot stays quiet while a volunteer holds the ticket
      case 'relayMediaToVolunteer': // the same (the first time, mediaSent says it went)
        return '';
      case 'ticketQueued': {
        const queued = t(intent.reopened ? 'handoff:reopened' : 'handoff:queued', {
          ticket: intent.ticket,
          position: intent.position,
          wait: waitText(t, intent.waitMinutes),
        });
        return intent.note ? `${queued}\n\n${intent.note}` : queued;
      }
      case 'volunteerHint':
        return t('handoff:hint');
      case 'unsupportedForVolunteer':
        return t('handoff:unsupported');
      case 'handoffNews': {
        // "Marie, a volunteer, has taken…" — or, for a volunteer who chose no name, a sentence made for that.
        const anonymous = intent.volunteer === null && texts.has(`handoff:news.${intent.news}Anonymous`);
        return t(`handoff:news.${intent.news}${anonymous ? 'Anonymous' : ''}`, {
          volunteer: intent.volunteer ?? t('handoff:aVolunteer'),
          step: intent.step && view.context.chosen ? stepTitle(t, catalog, { chosen: view.context.chosen, oldProvider: view.context.answers.oldProvider ?? null }, intent.step) : '',
        });
      }
      case 'consentDeclined':
        // Left for the département's question, which comes back to the consent: nothing was declined, so no
        // "I passed nothing on" (that question says nothing is passed on yet).
        if (view.value === 'departementAskForVolunteer') return '';
        return t('handoff:consentDeclined');
      case 'leaveVolunteer':
      case 'closeTicket':
      case 'alreadyQueued':
      case 'noVolunteers':
      case 'relayTooLong':
        return t(`handoff:${intent.type}`);
      case 'rateTicket':
        return t(intent.word ? 'handoff:rating.thanksWithWord' : 'handoff:rating.thanks');
      case 'ratingAddressLeftOut':
        return t('handoff:rating.addressLeftOut');
      case 'secretMasked':
        // Outside a conversation with a volunteer, what was masked is what we keep (an account added to the list).
        return t(view.context.handoff?.status === 'claimed' ? 'handoff:secretMasked' : 'handoff:secretMaskedKept');
      default:
        return t(`guide:notices.${intent.type}`);
    }
  }

  /** What the plan asked, as /mesdonnees shows it: the mailboxes' names, an ISP subscription's end. */
  function situationLines(t: Translate, data: PersonalData, lang: Lang): string[] {
    const { mailboxes, isp } = data.situation;
    const lines: string[] = [];
    if (mailboxes?.length) lines.push(t('privacy:mydata.mailboxes', { labels: mailboxes.join(', ') }));
    if (isp) {
      const status = !isp.cancelling
        ? t('privacy:mydata.ispStatus.kept')
        : isp.cancelDate
          ? t('privacy:mydata.ispStatus.cancelled', { date: dayText(lang, isp.cancelDate) })
          : t('privacy:mydata.ispStatus.cancelledNoDate');
      lines.push(t('privacy:mydata.isp', { status }));
    }
    return lines;
  }

  function personalDataText(t: Translate, data: PersonalData, lang: Lang, amounts: GuideStateView['context']['amounts']): string {
    const date = (value: string | null) =>
      value ? new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone: data.reminders.timeZone }).format(new Date(value)) : '—';
    const c = data.conversation;
    const answers = QUESTION_ORDER.filter((q) => data.answers[q] !== undefined).map((q) =>
      t('privacy:mydata.answer', { question: t(`guide:questions.${q}.short`), answer: describeAnswer(t, lang, q, data.answers[q]!, amountsFor(q, amounts)) }),
    );
    const done = Object.values(data.plan.status).filter((s) => s === 'done').length;
    const checklistDone = Object.values(data.checklist.status).filter((s) => s === 'done').length;
    return [
      t('privacy:mydata.intro'),
      c.createdAt
        ? t('privacy:mydata.conversation', {
            platform: c.platform,
            chatId: c.chatId,
            createdAt: date(c.createdAt),
            lastActivityAt: date(c.lastActivityAt),
            erasedAfter: date(c.erasedAfter),
          })
        : t('privacy:mydata.conversationNew', { platform: c.platform, chatId: c.chatId }),
      t('privacy:mydata.language', { language: t(`common:languages.${data.language}`) }),
      answers.length ? t('privacy:mydata.answers', { answers: answers.join(' · ') }) : t('privacy:mydata.noAnswers'),
      ...situationLines(t, data, lang),
      data.chosenProvider
        ? t('privacy:mydata.provider', { provider: providerName(data.chosenProvider), done, total: data.plan.steps.length })
        : t('privacy:mydata.noProvider'),
      t('privacy:mydata.checklist', {
        done: checklistDone,
        own: data.checklist.ownAccounts.length ? data.checklist.ownAccounts.join(', ') : t('privacy:mydata.noOwnAccounts'),
      }),
      data.newAddress ? t('privacy:mydata.newAddress', { address: data.newAddress }) : t('privacy:mydata.noNewAddress'),
      // Said only when given: it is asked of few, and only when they want to meet someone in person.
      ...(data.departement ? [t('privacy:mydata.departement', { departement: departementLabel(data.departement) })] : []),
      data.reminders.on
        ? t('privacy:mydata.remindersOn', {
            timeZone: data.reminders.timeZone,
            next: data.reminders.scheduled.map((s) => date(s.at)).join(', ') || '—',
          })
        : t('privacy:mydata.remindersOff'),
      t('privacy:mydata.technical', { count: data.technical.recentMessageIds.length }),
      ...(data.filesAwaitingYes ? [t('privacy:mydata.filesAwaitingYes', { count: data.filesAwaitingYes.length })] : []),
      ...(data.tickets.length === 0
        ? [t('privacy:mydata.noTickets')]
        : data.tickets.flatMap((ticket) => [
            t('privacy:mydata.ticket', {
              number: ticket.number,
              status: t(`privacy:mydata.ticketStatus.${ticket.status}`),
              createdAt: date(ticket.createdAt),
              name: ticket.card.name ?? t('privacy:mydata.noName'),
              waiting: ticket.messagesWaiting,
              onDesk: ticket.messagesOnDesk,
            }),
            ...(ticket.status === 'claimed' || ticket.closeReason === 'volunteer' || ticket.closeReason === 'handedBack'
              ? [t('privacy:mydata.ticketVolunteer', { volunteer: ticket.volunteer ?? t('handoff:aVolunteer') })]
              : []),
            ...(ticket.closeNote ? [t('privacy:mydata.ticketClosed', { note: ticket.closeNote })] : []),
            ...ticket.waiting.map((text) => t('privacy:mydata.ticketWaiting', { text })),
          ])),
      '',
      t('privacy:mydata.stats'),
      t('privacy:mydata.forget'),
    ].join('\n');
  }

  return {
    choiceLabel,
    promptOf: promptFor,
    /** The message for one turn: what the intents say, then the prompt we now wait on. */
    render(intents: readonly GuideIntent[], view: GuideStateView, extras: RenderExtras = {}): RenderedTurn {
      const lang = view.context.lang;
      const t = texts.t(lang);
      const prompt = promptFor(view);
      const parts = intents.map((intent) =>
        intent.type === 'myData' && extras.personalData ? personalDataText(t, extras.personalData, lang, view.context.amounts) : intentText(t, intent, view),
      );
      // A word about a file while with a volunteer needs only a reminder of where they are, not the whole of it.
      const explained = intents.some((i) => ['stepHelp', 'help', 'progress', 'mediaSent', 'mediaCancelled', 'mediaRefused'].includes(i.type));
      parts.push(promptText(t, prompt, view, explained, extras));
      return { text: parts.filter(Boolean).join('\n\n'), choices: choicesOf(lang, prompt, view) };
    },
    /** A short apology when something failed on our side (the turn was rolled back, nothing lost). */
    apology(lang: Lang): RenderedTurn {
      return { text: texts.t(lang)('common:errors.internal'), choices: [] };
    },
  };
}

export type Renderer = ReturnType<typeof createRenderer>;

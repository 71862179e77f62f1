/**
 * Intents + the prompt a conversation rests on → one localised message with its choices.
 * Every word comes from locales/ (i18next) and every fact from the catalogue; the output is markup
 * (./markup.ts) that each adapter formats for its platform.
 */
import type { Catalog, PlanStepId } from '../catalog/types.js';
import { rankProvidersCached as rankProviders } from '../catalog/ranking-cache.js';
import { QUESTION_ORDER, type QuestionId } from '../flows/questions.js';
import { PAGE_SIZE, PROVIDER_CHOICE, QUESTION_CHOICE, MISUNDERSTOOD_HELP_AFTER } from '../flows/guide.machine.js';
import { promptOf, promptKind, questionPosition, type GuideStateView } from '../flows/prompt.js';
import type { GuideIntent, Prompt } from '../flows/guide.types.js';
import { renderChecks, renderExclusion, renderProviderLine } from './catalog-text.js';
import { describePlanStep } from './plan-text.js';
import type { Lang, Texts, Translate } from './i18n.js';
import type { OutChoice } from '../engine/types.js';

export interface RenderedTurn {
  text: string;
  choices: OutChoice[];
}

const STATUS_MARK = { done: '✓', skipped: '–', later: '…' } as const;

export function createRenderer(texts: Texts, catalog: Catalog, retentionDays: number) {
  // A step's texts depend only on the language, the step and the two providers: build each once.
  const stepTexts = new Map<string, ReturnType<typeof describePlanStep>>();
  function describeStep(step: PlanStepId, view: GuideStateView, t: Translate) {
    const ctx = stepContext(view);
    const key = `${view.context.lang}|${step}|${ctx.oldProviderId}|${ctx.provider.id}`;
    let described = stepTexts.get(key);
    if (!described) {
      described = describePlanStep(step, ctx, t);
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
      return answer ? t('guide:changeAnswer.choice', { question: short, answer: answerLabel(t, question, answer) }) : short;
    }
    if (choice.startsWith('lang:')) return t(`common:languages.${choice.slice(5)}`);
    if (prompt.kind === 'question' && choice !== 'back') return answerLabel(t, prompt.question, choice);
    return t(`guide:choices.${choice}`);
  }

  function choicesOf(lang: Lang, prompt: Prompt, view?: GuideStateView): OutChoice[] {
    return prompt.choices.map((id) => ({ id, label: choiceLabel(lang, prompt, id, view) }));
  }

  /**
   * `compact`: the turn already explained this prompt (help, progress), so a plan step shows only its title line
   * rather than its whole body again — people read this on phones.
   */
  function promptText(t: Translate, prompt: Prompt, view: GuideStateView, compact = false): string {
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
      case 'recommendations': {
        if (context.ranked.length === 0) return t('guide:recommendations.none');
        const match = rankProviders(catalog, context.answers);
        const blocks = prompt.providers.map((id, i) => {
          const provider = catalog.provider(id)!;
          const ranked = match.ranked.find((r) => r.providerId === id);
          return [
            t('guide:recommendations.provider', { number: prompt.page * PAGE_SIZE + i + 1, name: provider.name }),
            renderProviderLine(provider, t),
            ranked ? renderChecks(ranked.checks, t) : '',
            t('guide:recommendations.signup', { url: provider.signupUrl }),
          ]
            .filter(Boolean)
            .join('\n');
        });
        const intro = prompt.page === 0 ? t('guide:recommendations.intro', { count: context.ranked.length }) : t('guide:recommendations.more');
        return [intro, ...blocks, t('guide:recommendations.ask')].join('\n\n');
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
        if (prompt.later.length === 0) return t('guide:plan.finished', { provider: name });
        const later = prompt.later.map((s) => '• ' + describeStep(s, view, t).title).join('\n');
        return t('guide:plan.finishedWithLater', { provider: name, count: prompt.later.length, later });
      }
      case 'confirmRestart':
        return t('guide:restart.confirm');
      case 'confirmForget':
        return t('guide:forget.confirm', { days: retentionDays });
    }
  }

  function stepContext(view: GuideStateView) {
    const oldProviderId = view.context.answers.oldProvider ?? 'other';
    return {
      oldProviderId,
      old: catalog.oldProvider(oldProviderId),
      provider: catalog.provider(view.context.chosen ?? '')!,
    };
  }

  function progressText(t: Translate, view: GuideStateView): string {
    const { context } = view;
    const kind = promptKind(view.value);
    if (context.chosen && (kind === 'planStep' || kind === 'planEnd' || kind === 'confirmRestart')) {
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
      ].join('\n');
    }
    if (kind === 'question') {
      const { number, total } = questionPosition(context);
      return t('guide:progress.questions', { number, total });
    }
    const answered = QUESTION_ORDER.filter((q) => context.answers[q] !== undefined).length;
    if (answered === 0) return t('guide:progress.start');
    return t('guide:progress.recommendations', { count: context.ranked.length });
  }

  function intentText(t: Translate, intent: GuideIntent, view: GuideStateView): string {
    switch (intent.type) {
      case 'notUnderstood': {
        const line = t(`guide:notices.notUnderstood.${intent.reason}`);
        return intent.times >= MISUNDERSTOOD_HELP_AFTER ? `${line}\n${t('guide:notices.stuck')}` : line;
      }
      case 'unsupported': {
        const key = texts.has(`guide:notices.unsupported.${intent.what}`) ? intent.what : 'other';
        return t(`guide:notices.unsupported.${key}`);
      }
      case 'help':
        return [t(`guide:help.${promptKind(view.value)}`), t('guide:help.commands')].join('\n\n');
      case 'progress':
        return progressText(t, view);
      case 'answerChanged':
        return t('guide:notices.answerChanged', { question: t(`guide:questions.${intent.question}.short`) });
      case 'providerChosen':
        return t('guide:notices.providerChosen', { provider: providerName(intent.providerId) });
      case 'whyLeftOut': {
        const excluded = rankProviders(catalog, view.context.answers).excluded.find((e) => e.providerId === intent.providerId);
        const provider = catalog.provider(intent.providerId);
        return excluded && provider ? renderExclusion(excluded, provider, t) : t('guide:notices.notLeftOutAnymore');
      }
      case 'stepHelp':
        return describeStep(intent.step, view, t).help;
      case 'stepNoted':
        return t(`guide:notices.step.${intent.status}`);
      default:
        return t(`guide:notices.${intent.type}`);
    }
  }

  return {
    choiceLabel,
    /** The message for one turn: what the intents say, then the prompt we now wait on. */
    render(intents: readonly GuideIntent[], view: GuideStateView): RenderedTurn {
      const lang = view.context.lang;
      const t = texts.t(lang);
      const prompt = promptOf(view);
      const parts = intents.map((intent) => intentText(t, intent, view));
      const explained = intents.some((i) => i.type === 'stepHelp' || i.type === 'help' || i.type === 'progress');
      parts.push(promptText(t, prompt, view, explained));
      return { text: parts.filter(Boolean).join('\n\n'), choices: choicesOf(lang, prompt, view) };
    },
    /** A short apology when something failed on our side (the turn was rolled back, nothing lost). */
    apology(lang: Lang): RenderedTurn {
      return { text: texts.t(lang)('common:errors.internal'), choices: [] };
    },
  };
}

export type Renderer = ReturnType<typeof createRenderer>;

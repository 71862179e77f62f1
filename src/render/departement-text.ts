/**
 * The département's words (locales/<lang>/guide.json "departement"): the question, the postcode's "did you mean
 * 35?", what was noted, and what the person is told back — with the events near them (online ones are in the
 * plan's end already) or, honestly, that none is listed there yet.
 */
import type { CampaignEvent } from '../catalog/events.js';
import { departementName } from '../catalog/departements.js';
import type { GuideIntent, Prompt } from '../flows/guide.types.js';
import type { Translate } from './i18n.js';

/** "Ille-et-Vilaine (35)"; the number alone for one the list does not know (an older snapshot, a data change). */
export function departementLabel(code: string): string {
  const name = departementName(code);
  return name ? `${name} (${code})` : code;
}

export function departementPromptText(t: Translate, prompt: Extract<Prompt, { kind: 'departement' | 'departementConfirm' }>): string {
  if (prompt.kind === 'departementConfirm') return t('guide:departement.confirm', { code: prompt.departement, departement: departementLabel(prompt.departement) });
  return [
    ...(prompt.known ? [t('guide:departement.known', { departement: departementLabel(prompt.known) })] : []),
    t('guide:departement.ask'),
    ...(prompt.forVolunteer ? [t('guide:departement.thenConsent')] : []),
  ].join('\n');
}

/** `events`: the next events that suit the person now that their département is known (nextEvents). */
export function departementIntentText(
  t: Translate,
  intent: Extract<GuideIntent, { type: 'departementNoted' | 'departementForgotten' | 'departementNotUnderstood' }>,
  events: readonly CampaignEvent[],
): string {
  switch (intent.type) {
    case 'departementNoted': {
      const noted = t('guide:departement.noted', { departement: departementLabel(intent.departement) });
      const near = events.some((event) => event.place?.departement === intent.departement);
      const lines = [noted];
      if (intent.forVolunteer) lines.push(t('guide:departement.routed'));
      if (!near) lines.push(t('guide:departement.noEventNear'));
      return lines.join('\n');
    }
    case 'departementForgotten':
      return t('guide:departement.forgotten');
    case 'departementNotUnderstood':
      return t('guide:departement.notUnderstood');
  }
}

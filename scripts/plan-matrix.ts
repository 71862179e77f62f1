/**
 * The matrix of situations × old providers the move plan covers, for the closing note of issue 12:
 *   npx tsx scripts/plan-matrix.ts [providerId]
 * Each cell: the number of things to do (steps, per-mailbox steps counted per mailbox) and the special steps the
 * situation brings; every text of every cell is rendered in French and English and checked like
 * tests/plan/render-all.test.ts (no raw key, no placeholder, no empty link). Exits 1 on any problem.
 */
import { loadCatalog } from '../src/catalog/load.js';
import { loadPlanData } from '../src/catalog/setup-schema.js';
import { QUESTIONS } from '../src/flows/questions.js';
import { planFor, planItems, type MoveStepId } from '../src/flows/plan.js';
import { createTexts, LANGUAGES } from '../src/render/i18n.js';
import { describePlanStep } from '../src/render/plan-text.js';
import { SITUATIONS } from '../tests/plan/situations.js';

const catalog = loadCatalog();
const data = loadPlanData();
const texts = createTexts();
const providerIds = process.argv[2] ? [process.argv[2]] : catalog.providers.map((p) => p.id);
const SPECIAL: Partial<Record<MoveStepId, string>> = {
  copyBeforeCancel: 'copy',
  buyDomain: 'buy',
  verifyDomain: 'dom',
  storageCheck: 'GB',
  syncPhone: 'dav',
  ispAccess: 'L44',
  findAccounts: 'find',
};

let problems = 0;
let renders = 0;
const cells = new Map<string, { items: number; tags: string }>();
for (const providerId of providerIds) {
  const provider = catalog.provider(providerId);
  if (!provider) throw new Error(`no provider "${providerId}" in data/providers.json`);
  const setup = data.setups[provider.id];
  for (const named of SITUATIONS) {
    for (const oldId of QUESTIONS.oldProvider) {
      const old = catalog.oldProvider(oldId);
      const plan = planFor(named.situation(oldId), old, provider, setup);
      const items = planItems(plan);
      for (const lang of LANGUAGES) {
        const t = texts.t(lang);
        for (const item of items) {
          const text = describePlanStep(item.step, { oldProviderId: oldId, old, provider, lang, plan, setup, finding: data.finding, registrars: { registrars: data.registrars, directory: data.registrarDirectory }, ...(item.mailbox === undefined ? {} : { mailbox: item.mailbox }) }, t);
          renders += 1;
          for (const markup of Object.values(text)) {
            if (!markup.trim() || markup.includes('{{') || /undefined|NaN|https?:\/\/(\s|$)/.test(markup)) {
              problems += 1;
              console.error(`${named.id} ${oldId} → ${provider.id} ${item.key} (${lang})`);
            }
          }
        }
      }
      if (providerId === (process.argv[2] ?? 'posteo')) {
        const tags = plan.steps.flatMap((s) => (SPECIAL[s.id] ? [SPECIAL[s.id]!] : [])).join(' ');
        cells.set(`${named.id}|${oldId}`, { items: items.length, tags });
      }
    }
  }
}

const olds = QUESTIONS.oldProvider;
console.log(`Situations × old providers (cell: things to do, for ${process.argv[2] ?? 'posteo'}; special steps)`);
console.log(`| situation | ${olds.join(' | ')} |`);
console.log(`|---|${olds.map(() => '---').join('|')}|`);
for (const named of SITUATIONS) {
  const row = olds.map((oldId) => {
    const cell = cells.get(`${named.id}|${oldId}`)!;
    return `${cell.items}${cell.tags ? ` ${cell.tags}` : ''}`;
  });
  console.log(`| ${named.label} | ${row.join(' | ')} |`);
}
console.log(
  `\n${SITUATIONS.length} situations × ${olds.length} old providers = ${SITUATIONS.length * olds.length} cells, ` +
    `× ${providerIds.length} provider(s) × ${LANGUAGES.length} languages: ${renders} step texts rendered, ${problems} problem(s).`,
);
console.log('Legend: copy = copy before cancelling, buy = buy a domain, dom = own-domain steps (verify, MX, SPF/DKIM/DMARC, cancel), GB = storage warning, dav = phone sync, L44 = L.44-1 access and dates, find = finding accounts.');
process.exit(problems > 0 ? 1 : 0);

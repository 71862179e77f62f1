/**
 * The words of the steps that depend on the situation (issue 12): own domain (buy it, prove it, create the boxes,
 * switch the MX records, SPF/DKIM/DMARC, cancel the old service once mail arrives), several mailboxes, an ISP
 * subscription being cancelled (copy first; art. L.44-1 CPCE and its dates), storage that does not fit, calendar
 * and contacts on the phone, and finding the sites that use the old address. Markup built only from
 * locales/<lang>/plan.json and data values.
 */
import { factValue } from '../catalog/types.js';
import type { PlanStepId } from '../catalog/types.js';
import { findingWays } from '../flows/account-finding.js';
import { syncAt, type MoveStepId } from '../flows/plan.js';
import type { Block, Draft, StepWriter } from './plan-writer.js';

type SituationStep = Exclude<MoveStepId, PlanStepId>;

export const SITUATION_WRITERS: Record<SituationStep, (w: StepWriter) => Draft> = {
  copyBeforeCancel(w) {
    const dates = w.ctx.plan?.ispDates;
    return {
      title: w.say('steps.copyBeforeCancel.title'),
      body: [
        dates
          ? w.say('steps.copyBeforeCancel.introDated', { cancelDate: w.date(dates.cancelDate) })
          : w.say('steps.copyBeforeCancel.intro'),
        w.list([
          w.say('steps.copyBeforeCancel.install'),
          w.say('steps.copyBeforeCancel.addOld'),
          w.say('steps.copyBeforeCancel.copyLocal'),
          w.say('steps.copyBeforeCancel.contacts'),
        ]),
        w.oldMailboxSettings(),
      ],
      help: [w.say('steps.copyBeforeCancel.help')],
    };
  },

  ispAccess(w) {
    const dates = w.ctx.plan?.ispDates;
    return {
      title: w.say('steps.ispAccess.title'),
      body: [
        w.say('steps.ispAccess.law'),
        dates
          ? w.say('steps.ispAccess.dates', {
              cancelDate: w.date(dates.cancelDate),
              accessUntil: w.date(dates.accessUntil),
              remindOn: w.date(dates.remindOn),
            })
          : w.say('steps.ispAccess.noDate'),
        w.list([w.say('steps.ispAccess.ask'), w.say('steps.ispAccess.keepForwarding'), w.say('steps.ispAccess.lastCopy')]),
      ],
      help: [w.say('steps.ispAccess.help')],
    };
  },

  storageCheck(w) {
    const short = w.ctx.plan?.storageShort;
    const larger = w.ctx.largerOffer;
    return {
      title: w.say('steps.storageCheck.title'),
      body: [
        short
          ? w.say('steps.storageCheck.intro', { toMove: short.toMoveGb, offer: short.offerGb })
          : w.say('steps.storageCheck.introUnknown'),
        w.list([
          larger
            ? w.say(larger.storageGb === null ? 'steps.storageCheck.largerUnlimited' : 'steps.storageCheck.larger', {
                offer: larger.name,
                price: w.euros(larger.eurPerMonth),
                storage: larger.storageGb,
              })
            : w.say('steps.storageCheck.largerUnknown'),
          w.say('steps.storageCheck.extra'),
          w.say('steps.storageCheck.archive'),
        ]),
      ],
      help: [w.say('steps.storageCheck.help')],
    };
  },

  syncPhone(w) {
    const sync = syncAt(w.ctx.provider, w.ctx.setup);
    const title = w.say('steps.syncPhone.title');
    if (sync.kind === 'appOnly' || sync.kind === 'none') {
      return { title, body: [w.say(`steps.syncPhone.${sync.kind}`)], help: [w.say('steps.syncPhone.helpAppOnly')] };
    }
    const servers = sync.kind === 'caldav' ? sync.servers : undefined;
    const params = servers
      ? { caldav: servers.caldav, carddav: servers.carddav, username: w.say(`username.${servers.username}`) }
      : undefined;
    return {
      title,
      body: [
        w.say('steps.syncPhone.intro'),
        `**iPhone**\n${w.list([
          params ? w.say('steps.syncPhone.iphoneCalendar', params) : w.say('steps.syncPhone.iphoneCalendarNoServer'),
          params ? w.say('steps.syncPhone.iphoneContacts', params) : w.say('steps.syncPhone.iphoneContactsNoServer'),
          w.say('steps.syncPhone.iphoneDefault'),
        ])}`,
        `**Android**\n${w.list([
          w.say('steps.syncPhone.androidInstall'),
          params ? w.say('steps.syncPhone.androidAccount', params) : w.say('steps.syncPhone.androidAccountNoServer'),
          w.say('steps.syncPhone.androidDefault'),
        ])}`,
        servers ? undefined : w.say('steps.syncPhone.findServer'),
        w.devicePassword(),
      ],
      help: [w.say('steps.syncPhone.help')],
    };
  },

  buyDomain(w) {
    const data = w.ctx.registrars;
    const order = { association: 0, cooperative: 1, company: 2 } as const;
    const registrars = [...(data?.registrars ?? [])].sort(
      (a, b) => (order[factValue(a.kind) ?? 'company'] ?? 2) - (order[factValue(b.kind) ?? 'company'] ?? 2),
    );
    const price = (value: number | undefined) => (value === undefined ? w.say('steps.buyDomain.priceUnknown') : w.say('steps.buyDomain.price', { eur: w.euros(value) }));
    const lines = registrars.map((r) =>
      w.say('steps.buyDomain.registrar', {
        name: r.name,
        url: r.url,
        kind: w.say(`registrarKind.${factValue(r.kind) ?? 'unknown'}`),
        fr: price(factValue(r.eurPerYear.fr)),
        org: price(factValue(r.eurPerYear.org)),
      }),
    );
    return {
      title: w.say('steps.buyDomain.title'),
      body: [
        w.say('steps.buyDomain.intro'),
        lines.length > 0 ? lines.map((line) => `• ${line}`).join('\n') : undefined,
        data ? w.say('steps.buyDomain.directory', { url: data.directory.url }) : undefined,
        w.say('steps.buyDomain.holder'),
      ],
      help: [w.say('steps.buyDomain.help')],
    };
  },

  verifyDomain(w) {
    return {
      title: w.say('steps.verifyDomain.title'),
      body: [
        w.list([w.say('steps.verifyDomain.add'), w.say('steps.verifyDomain.txt'), w.say('steps.verifyDomain.check')]),
        domainHelp(w),
        w.say('steps.verifyDomain.nothingMoves'),
      ],
      help: [w.say('steps.verifyDomain.help')],
    };
  },

  createMailboxes(w) {
    const plan = w.ctx.plan;
    const labels = (plan?.mailboxes ?? []).filter(Boolean).join(', ');
    const stays = plan?.addressStays ?? false;
    return {
      title: w.say('steps.createMailboxes.title'),
      body: [
        labels ? w.say('steps.createMailboxes.labels', { labels }) : undefined,
        w.say(stays ? 'steps.createMailboxes.sameAddresses' : 'steps.createMailboxes.newAddresses'),
        w.say('steps.createMailboxes.passwords'),
        w.devicePassword(),
      ],
      help: [w.say('steps.createMailboxes.help')],
    };
  },

  switchMx(w) {
    const mx = factValue(domainSetup(w)?.mx);
    const records = mx
      ? mx
          .map((record) =>
            record.priority === null
              ? w.say('steps.switchMx.recordNoPriority', { host: record.host })
              : w.say('steps.switchMx.record', { host: record.host, priority: record.priority }),
          )
          .map((line) => `• ${line}`)
          .join('\n')
      : w.say('steps.switchMx.recordsUnknown');
    return {
      title: w.say('steps.switchMx.title'),
      body: [
        w.say('steps.switchMx.when'),
        w.list([w.say('steps.switchMx.open'), w.say('steps.switchMx.replace')]),
        records,
        w.say('steps.switchMx.check'),
        w.say('steps.switchMx.keepOld'),
      ],
      help: [w.say('steps.switchMx.help')],
    };
  },

  dnsAuth(w) {
    const setup = domainSetup(w);
    const include = factValue(setup?.spfInclude);
    const dkim = factValue(setup?.dkim);
    const dkimLines: Block =
      dkim?.source === 'fixedCname' && dkim.records
        ? [w.say('steps.dnsAuth.dkimFixed'), ...dkim.records.map((r) => `• \`${r.name}\` CNAME \`${r.target}\``)].join('\n')
        : dkim?.source === 'shownInPanel'
          ? w.say('steps.dnsAuth.dkimPanel')
          : w.say('steps.dnsAuth.dkimUnknown');
    return {
      title: w.say('steps.dnsAuth.title'),
      body: [
        w.say('steps.dnsAuth.intro'),
        include ? w.say('steps.dnsAuth.spf', { include }) : w.say('steps.dnsAuth.spfUnknown'),
        dkimLines,
        w.say('steps.dnsAuth.dmarc'),
        w.say('steps.dnsAuth.check'),
        domainHelp(w),
      ],
      help: [w.say('steps.dnsAuth.help')],
    };
  },

  cancelOldService(w) {
    return {
      title: w.say('steps.cancelOldService.title'),
      body: [
        w.say('steps.cancelOldService.wait'),
        w.list([
          w.say('steps.cancelOldService.lastCopy'),
          w.say('steps.cancelOldService.which'),
          w.say('steps.cancelOldService.keepDomain'),
        ]),
      ],
      help: [w.say('steps.cancelOldService.help')],
    };
  },

  findAccounts(w) {
    const finding = w.ctx.finding;
    if (!finding) {
      return { title: w.say('steps.findAccounts.title'), body: [w.say('steps.findAccounts.introNoData')], help: [w.say('steps.findAccounts.help')] };
    }
    const ways = findingWays(w.ctx.oldProviderId, finding, w.lang);
    const searches = ways.flatMap((way) =>
      way.type === 'search' ? [`• ${w.say(`finding.kinds.${way.kind}`)} : \`${way.query}\``] : [],
    );
    const where = ways.find((way) => way.type === 'search');
    const lists = ways.flatMap((way) =>
      way.type === 'list'
        ? [`• ${way.list.url ? w.say(`finding.lists.${way.list.id}`, { url: way.list.url }) : w.say(`finding.lists.${way.list.id}`)}`]
        : [],
    );
    return {
      title: w.say('steps.findAccounts.title'),
      body: [
        w.say('steps.findAccounts.intro'),
        where && where.type === 'search' ? `${w.say(`finding.where.${where.where}`)}\n${searches.join('\n')}` : undefined,
        lists.length > 0 ? `${w.say('steps.findAccounts.lists')}\n${lists.join('\n')}` : undefined,
        w.say('steps.findAccounts.addThem'),
      ],
      help: [w.say('steps.findAccounts.help')],
    };
  },
};

function domainSetup(w: StepWriter) {
  return factValue(w.ctx.setup?.domain);
}

function domainHelp(w: StepWriter): Block {
  const url = factValue(domainSetup(w)?.helpUrl);
  return url ? w.say('steps.domainHelp', { url }) : undefined;
}

/**
 * What to say when the person chose another host mid-plan (after confirming): what is kept, and each thing to redo
 * with why (the forwarding points at the abandoned address). `titleOf` gives each redone item's step title (markup).
 */
export function describeHostChange(
  change: { redo: Array<{ key: string; why: string }> },
  names: { from: string; provider: string },
  titleOf: (key: string) => string,
  t: (key: string, params?: Record<string, unknown>) => string,
): string {
  if (change.redo.length === 0) return t('plan:change.nothingToRedo', names);
  // Titles are markup already (describePlanStep); an em dash reads the same in every language.
  const lines = change.redo.map((item) => `• ${titleOf(item.key)} — ${t(`plan:change.${item.why}`, names)}`);
  return [t('plan:change.intro', names), ...lines].join('\n');
}

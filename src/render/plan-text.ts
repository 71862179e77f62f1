/**
 * The words of one move-plan step, for one pair (old provider × new provider). Everything returned is markup
 * (./markup.ts) built only from locales/<lang>/plan.json and catalogue values; interpolated values are escaped.
 *
 * - title: the step's name.
 * - body:  what to do now, short enough for a phone: a few lines, numbered when there are sub-steps, then the old
 *          provider's traps for this step (each one a "⚠️" line).
 * - help:  the longer explanation shown when the person asks for help: where to click, what can go wrong, and
 *          reassurance.
 */
import { factValue, type PlanStepId } from '../catalog/types.js';
import { forwardingOf, importPath, importToolFor, phoneSetup, speaksImap, syncAt, type MoveStepId } from '../flows/plan.js';
import { importToolReach } from '../catalog/types.js';
import type { Translate } from './i18n.js';
import { joinBlocks, StepWriter, type Draft, type PlanStepContext, type PlanStepText } from './plan-writer.js';
import { SITUATION_WRITERS } from './plan-text-situations.js';

export { describeTrap, type PlanStepContext, type PlanStepText } from './plan-writer.js';

export function describePlanStep(stepId: MoveStepId, ctx: PlanStepContext, t: Translate): PlanStepText {
  const writer = new StepWriter(ctx, t);
  const draft = (STEP_WRITERS[stepId as PlanStepId] ?? SITUATION_WRITERS[stepId as Exclude<MoveStepId, PlanStepId>])(writer);
  return {
    title: draft.title,
    body: joinBlocks([writer.mailboxLine(), ...draft.body, writer.traps(stepId)]),
    help: joinBlocks(draft.help),
  };
}

const STEP_WRITERS: Record<PlanStepId, (w: StepWriter) => Draft> = {
  createAccount(w) {
    const { provider, plan } = w.ctx;
    const stays = plan?.addressStays ?? false;
    // Someone cancelling an ISP subscription is not told to keep it "for the whole move": ispAccess says how long.
    const cancelling = plan?.steps.some((step) => step.id === 'ispAccess') ?? false;
    return {
      title: w.say(stays ? 'steps.createAccount.titleDomain' : 'steps.createAccount.title'),
      body: [
        w.list([
          w.say('steps.createAccount.open', { url: provider.signupUrl }),
          w.say(stays ? 'steps.createAccount.chooseDomainOffer' : 'steps.createAccount.choose'),
          w.say('steps.createAccount.write'),
        ]),
        factValue(provider.facts.membershipRequired) ? w.say('steps.createAccount.membership') : undefined,
        w.say(stays ? 'steps.createAccount.keepOldDomain' : cancelling ? 'steps.createAccount.keepOldCancelling' : 'steps.createAccount.keepOld'),
      ],
      help: [w.say(stays ? 'steps.createAccount.helpDomain' : 'steps.createAccount.help')],
    };
  },

  phone(w) {
    const byApp = phoneSetup(w.ctx.provider) === 'providerApp';
    const servers = factValue(w.ctx.provider.facts.servers);
    const stays = w.ctx.plan?.addressStays ?? false;
    return {
      title: w.say(stays ? 'steps.phone.titleDomain' : 'steps.phone.title'),
      body: byApp
        ? [w.list([w.say('steps.phone.installApp'), w.say('steps.phone.signInApp')]), w.say(stays ? 'steps.phone.keepOldDomain' : 'steps.phone.keepOld')]
        : [
            w.list([w.say('steps.phone.addAccount'), w.say('steps.phone.typeAddress')]),
            servers
              ? w.say('steps.phone.settings', {
                  imapHost: servers.imap.host,
                  imapPort: servers.imap.port,
                  imapSecurity: w.say(`security.${servers.imap.security}`),
                  smtpHost: servers.smtp.host,
                  smtpPort: servers.smtp.port,
                  smtpSecurity: w.say(`security.${servers.smtp.security}`),
                  username: w.say(`username.${servers.imap.username}`),
                })
              : undefined,
            w.devicePassword(),
            w.say(stays ? 'steps.phone.keepOldDomain' : 'steps.phone.keepOld'),
          ],
      help: [w.say('steps.phone.help'), w.say(byApp ? 'steps.phone.helpProviderApp' : 'steps.phone.helpMailApp')],
    };
  },

  importMail(w) {
    const { old, provider } = w.ctx;
    const title = w.say('steps.importMail.title');
    switch (importPath(old, provider)) {
      case 'providerTool': {
        const tool = importToolFor('mail', old, provider)!;
        return {
          title,
          body: [
            w.say('import.providerTool.intro', { tool: tool.name }),
            w.list([
              w.say('import.providerTool.open', { url: tool.url }),
              // A tool that takes "any IMAP box" has no list to pick the old provider from (Posteo's Umzugsservice):
              // the person types the old address and its password.
              (factValue(w.ctx.setup?.importPicker) ?? importToolReach(tool, 'mail', old) === 'named')
                ? w.say('import.providerTool.chooseOld')
                : w.say('import.providerTool.typeOld'),
              w.say('import.providerTool.wait'),
            ]),
            (factValue(w.ctx.setup?.importPicker) === false || importToolReach(tool, 'mail', old) === 'anyImap')
              ? w.oldMailboxSettings()
              : undefined,
          ],
          help: [
            w.say('import.providerTool.help', { tool: tool.name }),
            // A tool can fail on one old provider (sign-in rules change, data lists may be too generous); when the
            // new box speaks IMAP, Thunderbird is the way out that always exists.
            ...(speaksImap(provider)
              ? [w.say('import.providerTool.thunderbirdFallback', { tool: tool.name }), w.oldMailboxSettings()]
              : []),
          ],
        };
      }
      case 'thunderbird': {
        const servers = factValue(provider.facts.servers);
        return {
          title,
          body: [
            w.say('import.thunderbird.intro'),
            w.list([
              w.say('import.thunderbird.install'),
              w.say('import.thunderbird.addBoth'),
              w.say('import.thunderbird.copy'),
            ]),
            w.oldMailboxSettings(),
            servers ? w.say('import.thunderbird.newSettings', w.serverParams(servers.imap)) : undefined,
            w.devicePassword(),
          ],
          help: [w.say('import.thunderbird.help'), w.importTip()],
        };
      }
      case 'manual':
        return {
          title,
          body: [
            w.say('import.manual.intro'),
            w.list([w.say('import.manual.keepOld'), w.say('import.manual.localCopy')]),
            w.oldMailboxSettings(),
          ],
          help: [w.say('import.manual.help')],
        };
    }
  },

  contacts: (w) => dataStep(w, 'contacts'),
  calendar: (w) => dataStep(w, 'calendar'),

  forwarding(w) {
    const title = w.say('steps.forwarding.title');
    const help = [w.say('steps.forwarding.help')];
    const mode = forwardingOf(w.ctx.old);
    switch (mode) {
      case 'free':
        return {
          title,
          body: [
            w.say('steps.forwarding.intro'),
            w.list([w.howTo('forwarding'), w.say('steps.forwarding.keepCopy')]),
          ],
          help,
        };
      case 'paid':
      case 'none':
        // Forwarding costs money or does not exist: the two free ways are having the new provider collect the
        // mail, or glancing at the old box now and then (it is already on the phone since the phone step).
        return {
          title,
          body: [
            w.say(`steps.forwarding.${mode}`),
            w.list([w.say('steps.forwarding.fetch'), w.say('steps.forwarding.checkOld')]),
          ],
          help,
        };
      case 'unknown':
        return {
          title,
          body: [
            w.say('steps.forwarding.intro'),
            w.list([w.say('steps.forwarding.findIt'), w.say('steps.forwarding.keepCopy')]),
            w.say('steps.forwarding.notFound'),
          ],
          help,
        };
    }
  },

  autoReply(w) {
    return {
      title: w.say('steps.autoReply.title'),
      body: [
        w.say('steps.autoReply.intro'),
        w.howTo('autoReply'),
        w.say('steps.autoReply.copyThis'),
        w.template('autoReply'),
      ],
      help: [w.say('steps.autoReply.help')],
    };
  },

  tellContacts(w) {
    return {
      title: w.say('steps.tellContacts.title'),
      body: [
        w.say('steps.tellContacts.intro'),
        w.say('steps.tellContacts.bcc'),
        w.say('steps.tellContacts.copyThis'),
        w.template('tellContacts'),
      ],
      help: [w.say('steps.tellContacts.help')],
    };
  },

  changeAddress(w) {
    return {
      title: w.say('steps.changeAddress.title'),
      body: [
        w.say('steps.changeAddress.intro'),
        [
          w.say('steps.changeAddress.rootsFirst'),
          w.list([
            // An Outlook.com address IS the Microsoft account: it is not one more account to update, it stays.
            w.say(w.howToId() === 'outlook' ? 'steps.changeAddress.rootsOutlook' : 'steps.changeAddress.roots'),
            w.say('steps.changeAddress.government'),
            w.say('steps.changeAddress.money'),
          ]),
        ].join('\n'),
        w.say('steps.changeAddress.tip'),
      ],
      help: [w.say('steps.changeAddress.help')],
    };
  },
};

/**
 * Contacts and calendar follow the same shape: export from the old provider, then import. The provider's tool is
 * offered first only when it takes this kind of data from this old provider (its `from.contacts` /
 * `from.calendar`): Posteo's Umzugsservice brings Yahoo contacts, but not Yahoo calendars.
 */
function dataStep(w: StepWriter, kind: 'contacts' | 'calendar'): Draft {
  const { old, provider } = w.ctx;
  const tool = importToolFor(kind, old, provider);
  const exportUrl = factValue(kind === 'contacts' ? old?.facts.contactsExportUrl : old?.facts.calendarExportUrl);
  const exportLine = [w.howTo(kind), exportUrl ? w.say(`steps.${kind}.exportPage`, { url: exportUrl }) : undefined]
    .filter(Boolean)
    .join(' ');
  const sync = syncAt(provider, w.ctx.setup).kind;
  const importLine =
    sync === 'caldav' || sync === 'appOnly'
      ? w.say(`steps.${kind}.importHere`)
      : sync === 'none'
        ? w.say(`steps.${kind}.importNowhere`)
        : w.say(`steps.${kind}.importMaybe`);
  return {
    title: w.say(`steps.${kind}.title`),
    body: [
      tool ? w.say(`steps.${kind}.tool`, { tool: tool.name, url: tool.url }) : undefined,
      tool ? w.say(`steps.${kind}.toolOr`) : undefined,
      w.list([exportLine, importLine]),
    ],
    help: [w.say(`steps.${kind}.help`)],
  };
}


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
import { factValue, providerSync, type OldProvider, type PlanStepId, type Provider, type ServerSetting } from '../catalog/types.js';
import { forwardingOf, importPath, importToolFor, phoneSetup, speaksImap, trapsAt } from '../flows/plan.js';
import { isChoiceOf } from '../flows/questions.js';
import type { Translate } from './i18n.js';

export interface PlanStepContext {
  /** The answer to the "old provider" question, "other" included. */
  oldProviderId: string;
  /** The old provider's data; undefined for "other" (or when data is missing). */
  old?: OldProvider;
  provider: Provider;
  /** The new address, once the person has given it: filled into the ready-to-copy messages. */
  newAddress?: string;
  /** How the person signs messages: filled into the ready-to-copy messages. */
  displayName?: string;
}

export interface PlanStepText {
  title: string;
  body: string;
  help: string;
}

export function describePlanStep(stepId: PlanStepId, ctx: PlanStepContext, t: Translate): PlanStepText {
  const writer = new StepWriter(ctx, t);
  const draft = STEP_WRITERS[stepId](writer);
  return {
    title: draft.title,
    body: joinBlocks([...draft.body, writer.traps(stepId)]),
    help: joinBlocks(draft.help),
  };
}

/** One trap's sentence (locales plan.json `traps.<id>`), with the old provider's name available as {{old}}. */
export function describeTrap(trapId: string, t: Translate, params: { old?: string; provider?: string } = {}): string {
  return t(`plan:traps.${trapId}`, params);
}

/* ---- Step by step ---- */

/** A block is a paragraph; undefined blocks are simply left out, so optional lines read naturally in the writers. */
type Block = string | undefined;
interface Draft {
  title: string;
  body: Block[];
  help: Block[];
}

const STEP_WRITERS: Record<PlanStepId, (w: StepWriter) => Draft> = {
  createAccount(w) {
    const { provider } = w.ctx;
    return {
      title: w.say('steps.createAccount.title'),
      body: [
        w.list([
          w.say('steps.createAccount.open', { url: provider.signupUrl }),
          w.say('steps.createAccount.choose'),
          w.say('steps.createAccount.write'),
        ]),
        factValue(provider.facts.membershipRequired) ? w.say('steps.createAccount.membership') : undefined,
        w.say('steps.createAccount.keepOld'),
      ],
      help: [w.say('steps.createAccount.help')],
    };
  },

  phone(w) {
    const byApp = phoneSetup(w.ctx.provider) === 'providerApp';
    const servers = factValue(w.ctx.provider.facts.servers);
    return {
      title: w.say('steps.phone.title'),
      body: byApp
        ? [w.list([w.say('steps.phone.installApp'), w.say('steps.phone.signInApp')]), w.say('steps.phone.keepOld')]
        : [
            w.list([w.say('steps.phone.addAccount'), w.say('steps.phone.typeAddress')]),
            servers
              ? w.say('steps.phone.settings', {
                  imapHost: servers.imap.host,
                  imapPort: servers.imap.port,
                  smtpHost: servers.smtp.host,
                  smtpPort: servers.smtp.port,
                  username: w.say(`username.${servers.imap.username}`),
                })
              : undefined,
            w.say('steps.phone.keepOld'),
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
              w.say('import.providerTool.chooseOld'),
              w.say('import.providerTool.wait'),
            ]),
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
            w.say('steps.changeAddress.roots'),
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
  // Any calendar and contacts, synchronised or only in the provider's app, is a place to import them to.
  const sync = providerSync(provider);
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

/* ---- Shared pieces ---- */

/**
 * Old providers with a Thunderbird tip in locales (`old.<id>.importTip`): Gmail's "All Mail" folder, which holds
 * every message again and would make duplicates if copied with the others.
 */
const HAS_IMPORT_TIP = new Set(['gmail']);

class StepWriter {
  private readonly names: { old: string; provider: string };

  constructor(
    readonly ctx: PlanStepContext,
    private readonly t: Translate,
  ) {
    this.names = { old: ctx.old?.name ?? t('plan:oldUnknown'), provider: ctx.provider.name };
  }

  /** A plan sentence; the pair's names are always available to it as {{old}} and {{provider}}. */
  say(key: string, params: Record<string, unknown> = {}): string {
    return this.t(`plan:${key}`, { ...this.names, ...params });
  }

  /** Numbered sub-steps, one per line. */
  list(items: string[]): string {
    return items.map((item, index) => `${index + 1}. ${item}`).join('\n');
  }

  /**
   * A how-to sentence for the old provider (`old.<id>.<what>`): menu paths differ per provider. Falls back to the
   * generic "other" sentences when the person answered "other".
   */
  howTo(what: string): string {
    return this.say(`old.${this.howToId()}.${what}`);
  }

  importTip(): Block {
    const id = this.howToId();
    return HAS_IMPORT_TIP.has(id) ? this.say(`old.${id}.importTip`) : undefined;
  }

  /** The old mailbox's IMAP settings (or how to find them), and the sign-in window for OAuth-only providers. */
  oldMailboxSettings(): Block {
    const imap = factValue(this.ctx.old?.facts.imap);
    if (!imap) return this.say('import.thunderbird.oldSettingsUnknown');
    const settings = this.say('import.thunderbird.oldSettings', this.serverParams(imap));
    const oauthOnly = factValue(this.ctx.old?.facts.auth) === 'oauthOnly';
    return oauthOnly ? `${settings}\n${this.say('import.thunderbird.oauth')}` : settings;
  }

  serverParams(server: ServerSetting): Record<string, unknown> {
    return {
      host: server.host,
      port: server.port,
      security: this.say(`security.${server.security}`),
      username: this.say(`username.${server.username}`),
    };
  }

  template(name: 'autoReply' | 'tellContacts'): string {
    return this.say(`templates.${name}`, {
      newAddress: this.ctx.newAddress ?? this.say('templates.newAddressPlaceholder'),
      name: this.ctx.displayName ?? this.say('templates.namePlaceholder'),
    });
  }

  /** The old provider's traps for this step, one "⚠️" line each; undefined when there are none. */
  traps(step: PlanStepId): Block {
    const lines = trapsAt(this.ctx.old, step).map(
      (trap) => this.say('trapPrefix') + describeTrap(trap.id, this.t, this.names),
    );
    return lines.length > 0 ? lines.join('\n') : undefined;
  }

  private howToId(): string {
    if (this.ctx.old) return this.ctx.old.id;
    const id = this.ctx.oldProviderId;
    return isChoiceOf('oldProvider', id) ? id : 'other';
  }
}

function joinBlocks(blocks: Block[]): string {
  return blocks.filter((block): block is string => Boolean(block)).join('\n\n');
}

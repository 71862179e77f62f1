/**
 * The pen the move-plan texts are written with: plan sentences with the pair's names, numbered lists, the old
 * provider's how-tos and traps, server settings. Shared by ./plan-text.ts (the nine personal-move steps) and
 * ./plan-text-situations.ts (own domain, several mailboxes, ISP cancelled, storage, phone sync, finding accounts).
 */
import { factValue, type OldProvider, type Provider, type ServerSetting } from '../catalog/types.js';
import type { AccountFinding, ProviderSetup, Registrar, RegistrarDirectory } from '../catalog/setup-types.js';
import { trapsFor, type MovePlan, type MoveStepId } from '../flows/plan.js';
import { isChoiceOf } from '../flows/questions.js';
import type { Lang, Translate } from './i18n.js';

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
  /** The language of `t`, for dates (default fr). */
  lang?: Lang;
  /** The situation's plan (planFor): own domain, mailboxes, ISP dates, storage. Without it: a one-person move. */
  plan?: MovePlan;
  /** For a per-mailbox step of a plan with several mailboxes: which one (index in plan.mailboxes). */
  mailbox?: number;
  /** data/provider-setup.json's entry for the provider. */
  setup?: ProviderSetup;
  /** data/registrars.json, for buyDomain. */
  registrars?: { registrars: Registrar[]; directory: RegistrarDirectory };
  /** data/account-finding.json, for findAccounts. */
  finding?: AccountFinding;
  /** A larger offer of the same host, for storageCheck: its name, price and storage per mailbox. */
  largerOffer?: { name: string; eurPerMonth: number; storageGb: number | null };
}

export interface PlanStepText {
  title: string;
  body: string;
  help: string;
}

/** A block is a paragraph; undefined blocks are simply left out, so optional lines read naturally in the writers. */
export type Block = string | undefined;
export interface Draft {
  title: string;
  body: Block[];
  help: Block[];
}

/** One trap's sentence (locales plan.json `traps.<id>`), with the old provider's name available as {{old}}. */
export function describeTrap(trapId: string, t: Translate, params: { old?: string; provider?: string } = {}): string {
  return t(`plan:traps.${trapId}`, params);
}

/** Old providers with a Thunderbird tip in locales (`old.<id>.importTip`): Gmail's "All Mail" folder. */
const HAS_IMPORT_TIP = new Set(['gmail']);

export class StepWriter {
  private readonly names: { old: string; provider: string };

  constructor(
    readonly ctx: PlanStepContext,
    private readonly t: Translate,
  ) {
    this.names = { old: ctx.old?.name ?? t('plan:oldUnknown'), provider: ctx.provider.name };
  }

  get lang(): Lang {
    return this.ctx.lang ?? 'fr';
  }

  /** A plan sentence; the pair's names are always available to it as {{old}} and {{provider}}. */
  say(key: string, params: Record<string, unknown> = {}): string {
    return this.t(`plan:${key}`, { ...this.names, ...params });
  }

  /** Numbered sub-steps, one per line. */
  list(items: Block[]): string {
    return items
      .filter((item): item is string => Boolean(item))
      .map((item, index) => `${index + 1}. ${item}`)
      .join('\n');
  }

  /** A date as people read it ("1 juin 2027"), from an ISO day. */
  date(iso: string): string {
    return new Intl.DateTimeFormat(this.lang === 'fr' ? 'fr-FR' : 'en-GB', { dateStyle: 'long', timeZone: 'UTC' }).format(
      new Date(`${iso}T00:00:00Z`),
    );
  }

  /** An amount in euros as people read it: "3,50 €" in French, "€3.50" in English. */
  euros(amount: number): string {
    return new Intl.NumberFormat(this.lang === 'fr' ? 'fr-FR' : 'en-GB', { style: 'currency', currency: 'EUR' }).format(amount);
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

  /** The host's per-device password, where it asks for one (Infomaniak): said wherever a password is typed. */
  devicePassword(): Block {
    const device = factValue(this.ctx.setup?.devicePassword);
    return device ? this.say('devicePassword', { url: device.url }) : undefined;
  }

  template(name: 'autoReply' | 'tellContacts'): string {
    return this.say(`templates.${name}`, {
      newAddress: this.ctx.newAddress ?? this.say('templates.newAddressPlaceholder'),
      name: this.ctx.displayName ?? this.say('templates.namePlaceholder'),
    });
  }

  /** Which mailbox this step is for, on plans with several ("Pour la boîte « Papa » :"). */
  mailboxLine(): Block {
    const plan = this.ctx.plan;
    if (!plan || plan.mailboxes.length < 2 || this.ctx.mailbox === undefined) return undefined;
    const label = plan.mailboxes[this.ctx.mailbox];
    return label ? this.say('mailboxFor', { label }) : this.say('mailboxNumber', { number: this.ctx.mailbox + 1 });
  }

  /** The old provider's traps for this step, one "⚠️" line each; undefined when there are none. */
  traps(step: MoveStepId): Block {
    const plan = this.ctx.plan ?? { steps: [], mailboxes: [''], addressStays: false };
    const lines = trapsFor(plan, this.ctx.old, step).map(
      (trap) => this.say('trapPrefix') + describeTrap(trap.id, this.t, this.names),
    );
    return lines.length > 0 ? lines.join('\n') : undefined;
  }

  howToId(): string {
    if (this.ctx.old) return this.ctx.old.id;
    const id = this.ctx.oldProviderId;
    return isChoiceOf('oldProvider', id) ? id : 'other';
  }
}

export function joinBlocks(blocks: Block[]): string {
  return blocks.filter((block): block is string => Boolean(block)).join('\n\n');
}

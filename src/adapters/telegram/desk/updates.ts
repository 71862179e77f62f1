/**
 * The desks' side of the bot, as a grammY Composer the platform mounts before the guide's: an update from a desk
 * group goes to the desk core through that group's port (never to the guide), one ticket's thread in order while
 * threads — and desks — run in parallel; any other update passes on to the guide.
 *
 * With a desks file there is one port per group ("telegram/arn", "telegram/libretic"): each update is routed to
 * the port whose chat it comes from (its current id, or the one it had before a migration).
 */
import { Composer, type Context } from 'grammy';
import { sequentialize } from '@grammyjs/runner';
import type { Update } from 'grammy/types';
import type { DeskRegistry } from '../../../desk/port.js';
import type { TelegramDesk } from './port.js';

/** The desk port whose group an update comes from, if any. */
export function deskOf(desks: readonly TelegramDesk[], update: Update): TelegramDesk | undefined {
  return desks.find((desk) => desk.owns(update));
}

export function deskUpdates(desks: readonly TelegramDesk[], registry: DeskRegistry): Composer<Context> {
  const composer = new Composer<Context>();
  composer
    .filter((ctx) => deskOf(desks, ctx.update) !== undefined)
    .use(sequentialize((ctx: Context) => deskOf(desks, ctx.update)!.sequenceKey(ctx.update)))
    .use(async (ctx) => {
      const desk = deskOf(desks, ctx.update);
      const inbound = desk?.inboundOf(ctx.update, ctx.me.username);
      if (inbound) await registry.receive(inbound);
    });
  return composer;
}

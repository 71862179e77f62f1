/**
 * The desk's side of the bot, as a grammY Composer the platform mounts before the guide's: an update from the desk
 * group goes to the desk core (never to the guide), one ticket's thread in order while threads run in parallel;
 * any other update passes on to the guide.
 */
import { Composer, type Context } from 'grammy';
import { sequentialize } from '@grammyjs/runner';
import type { DeskRegistry } from '../../../desk/port.js';
import type { TelegramDesk } from './port.js';

export function deskUpdates(desk: TelegramDesk, registry: DeskRegistry): Composer<Context> {
  const composer = new Composer<Context>();
  composer
    .filter((ctx) => desk.owns(ctx.update))
    .use(sequentialize((ctx: Context) => desk.sequenceKey(ctx.update)))
    .use(async (ctx) => {
      const inbound = desk.inboundOf(ctx.update, ctx.me.username);
      if (inbound) await registry.receive(inbound);
    });
  return composer;
}

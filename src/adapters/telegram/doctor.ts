/**
 * `npm run doctor` for Telegram, against Telegram for real: the token (getMe), how updates arrive (getWebhookInfo
 * against TELEGRAM_WEBHOOK_URL), and the desk group — a forum, the bot an admin allowed to manage topics, pin and
 * delete messages. Lines are built from our own words, Telegram's descriptions and ids: never the token (the
 * doctor scrubs every line of `secrets()` besides).
 */
import { Api, GrammyError } from 'grammy';
import type { CheckResult } from '../../ops/check-result.js';
import type { DeskPlace } from '../platform.js';
import type { TelegramConfig } from './config.js';
import { telegramProblem } from './errors.js';

const ok = (name: string, detail: string): CheckResult => ({ name, status: 'ok', detail });
const warn = (name: string, detail: string, fix?: string): CheckResult => ({ name, status: 'warn', detail, ...(fix ? { fix } : {}) });
const fail = (name: string, detail: string, fix: string): CheckResult => ({ name, status: 'fail', detail, fix });

type GrammySignal = Parameters<Api['getMe']>[0];

/**
 * `deskPlaces`: the coalition's desk groups on Telegram (a desks file), each checked like the single desk, its
 * lines named after its port. The module's `check(config, options)` has no deps, so the doctor passes them only
 * once its options carry them; without them, TELEGRAM_DESK_CHAT_ID's group is checked, as before desks files.
 */
export async function checkTelegram(
  telegram: TelegramConfig,
  options: { timeoutMs: number; deskPlaces?: ReadonlyArray<Pick<DeskPlace, 'place' | 'port'>> },
): Promise<CheckResult[]> {
  const api = new Api(telegram.token, telegram.apiRoot ? { apiRoot: telegram.apiRoot } : {});
  // grammY types its signal with the abort-controller polyfill's AbortSignal; Node's own is what it really takes.
  const signal = () => AbortSignal.timeout(options.timeoutMs) as unknown as GrammySignal;
  let me: Awaited<ReturnType<Api['getMe']>>;
  try {
    me = await api.getMe(signal());
  } catch (error) {
    const refused = error instanceof GrammyError && (error.error_code === 401 || error.error_code === 404);
    return [
      fail(
        'telegram token',
        refused ? 'Telegram refuses TELEGRAM_BOT_TOKEN (getMe: Unauthorized)' : telegramProblem(error),
        refused ? 'copy the token again from @BotFather (/mybots → API Token), or /revoke it and use the new one' : 'check the network and TELEGRAM_API_ROOT, then try again',
      ),
    ];
  }
  const results = [ok('telegram token', `the bot is @${me.username} (id ${me.id})`)];
  try {
    const info = await api.getWebhookInfo(signal());
    const pending = info.pending_update_count ? `, ${info.pending_update_count} updates waiting` : '';
    const lastError = info.last_error_message ? `; Telegram's last delivery failed: ${info.last_error_message}` : '';
    if (telegram.webhook) {
      if (info.url === telegram.webhook.url) {
        results.push(
          lastError
            ? warn('telegram updates', `webhook at ${info.url}${pending}${lastError}`, `check that the reverse proxy forwards ${new URL(info.url).pathname} to port ${telegram.webhook.port}`)
            : ok('telegram updates', `webhook at ${info.url}${pending}`),
        );
      } else {
        results.push(ok('telegram updates', `webhook mode: the next start sets the webhook to ${telegram.webhook.url} (now ${info.url || 'none'})${pending}`));
      }
    } else if (info.url) {
      results.push(
        warn('telegram updates', `long polling is configured but a webhook is set at ${info.url}${pending}`, 'the next start removes it; if another instance serves that webhook with this token, stop one of them'),
      );
    } else {
      results.push(ok('telegram updates', `long polling, no webhook set${pending}`));
    }
  } catch (error) {
    results.push(warn('telegram updates', `getWebhookInfo failed: ${telegramProblem(error)}`));
  }
  const places = options.deskPlaces ?? [];
  if (places.length > 0) {
    for (const { place, port } of places) results.push(...(await checkTelegramDesk(api, { chatId: place, port }, me.id, signal)));
  } else if (telegram.desk) {
    results.push(...(await checkTelegramDesk(api, { chatId: telegram.desk.chatId }, me.id, signal)));
  }
  return results;
}

const DESK_RIGHTS = [
  ['can_manage_topics', 'Manage topics'],
  ['can_pin_messages', 'Pin messages'],
  ['can_delete_messages', 'Delete messages'],
] as const;

/**
 * One desk group: the single desk's (named as ever, set by TELEGRAM_DESK_CHAT_ID) or a desks file's (its lines
 * name its port, "telegram desk group (telegram/arn)", and the fix names the file's field).
 */
async function checkTelegramDesk(api: Api, desk: { chatId: string; port?: string }, botId: number, signal: () => GrammySignal): Promise<CheckResult[]> {
  const { chatId, port } = desk;
  const group = port ? `telegram desk group (${port})` : 'telegram desk group';
  const rightsName = port ? `telegram desk rights (${port})` : 'telegram desk rights';
  const setting = port ? `the desk's telegramChatId in the desks file` : 'TELEGRAM_DESK_CHAT_ID';
  const results: CheckResult[] = [];
  try {
    const chat = await api.getChat(chatId, signal());
    const forum = chat.type === 'supergroup' && (chat as { is_forum?: boolean }).is_forum === true;
    results.push(
      forum
        ? ok(group, `"${(chat as { title?: string }).title ?? chatId}" is a forum (topics on)`)
        : fail(group, `chat ${chatId} is a ${chat.type}${chat.type === 'supergroup' ? ' without topics' : ''}`, 'in the group\'s settings, turn Topics on (this makes it a supergroup with topics)'),
    );
  } catch (error) {
    const gone = error instanceof GrammyError && (error.error_code === 400 || error.error_code === 403);
    const moved = error instanceof GrammyError ? error.parameters?.migrate_to_chat_id : undefined;
    results.push(
      fail(
        group,
        telegramProblem(error),
        moved
          ? `the group became a supergroup: set ${port ? `${setting} to "${moved}"` : `${setting}=${moved}`}`
          : gone
            ? `add the bot to the group, and check ${setting} (a number like -1001234567890)`
            : 'try again',
      ),
    );
    return results;
  }
  try {
    const member = await api.getChatMember(chatId, botId, signal());
    const rights = member as unknown as Record<string, unknown>;
    const missing = member.status === 'administrator' ? DESK_RIGHTS.filter(([right]) => rights[right] !== true).map(([, label]) => label) : DESK_RIGHTS.map(([, label]) => label);
    results.push(
      member.status === 'administrator' && missing.length === 0
        ? ok(rightsName, 'the bot is an admin that can manage topics, pin and delete messages')
        : fail(
            rightsName,
            member.status === 'administrator' ? `the bot is an admin without: ${missing.join(', ')}` : `the bot is ${member.status === 'member' ? 'a member, not an admin' : member.status} in the desk group`,
            `make the bot an administrator of the group with ${missing.join(', ')} (group settings → Administrators)`,
          ),
    );
  } catch (error) {
    results.push(fail(rightsName, telegramProblem(error), 'add the bot to the group as an administrator'));
  }
  return results;
}

/**
 * Part (b) of the platform-shape fixture (issue 14): the `adapter_state` rows the Telegram and Matrix adapters
 * leave after a conversation with a desk, with what changes from run to run (tokens, event and room ids, update
 * ids, times) normalised, so that two runs of the same scenario give the same rows.
 *
 * The scenario runs the production shape of tests/desk/world.ts — one engine and one desk core over one SQLite
 * file, the real TelegramAdapter against the Bot API emulator and the real MatrixAdapter against the tests'
 * homeserver, both with a desk — through: a person on each platform reaching a plan and asking for a volunteer,
 * a volunteer on each desk claiming and replying, the people answering, a restart on the same file, a reply after
 * it, and a close. Then every row of `adapter_state` is read.
 */
import { openDatabase } from '../../../src/store/database.js';
import { TG_DESK, World } from '../../desk/world.js';

export interface StateRow {
  /** The `adapter` column: the namespace ("telegram:inbox", "telegram-desk", "matrix", "matrix-desk"). */
  adapter: string;
  /** The key, with its run-dependent parts replaced by placeholders. */
  key: string;
  /** What the value is made of: a JSON value's shape (types, with object keys), or a string's normalised form. */
  shape: unknown;
}

/** Run-dependent parts of a string, most specific first. */
const VOLATILE: Array<[RegExp, string]> = [
  [/\$[A-Za-z0-9_\-+/=.:]+/g, '<event>'], // Matrix event ids ("$abc…" or "$abc:server")
  [/![A-Za-z0-9_\-]+:[A-Za-z0-9.\-:]+/g, '<room>'], // Matrix room ids
  [/@[a-z0-9._=\-/]+:[A-Za-z0-9.\-:]+/g, '<user>'], // Matrix user ids
  [/\b[0-9a-f]{16,}\b/gi, '<hex>'], // tokens, hashes
  [/-?\d+/g, '<n>'], // update ids, chat ids, times, counters, sync positions
];

export function normalise(text: string): string {
  return VOLATILE.reduce((s, [pattern, placeholder]) => s.replace(pattern, placeholder), text);
}

/** A JSON value's shape: the types, object keys (normalised) and, for arrays, the shapes found in them. */
export function shapeOf(value: unknown): unknown {
  if (value === null) return 'null';
  if (Array.isArray(value)) {
    const shapes = [...new Map(value.map((v) => [JSON.stringify(shapeOf(v)), shapeOf(v)])).values()];
    return { array: shapes.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))) };
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).map(([k, v]) => [normalise(k), shapeOf(v)] as const);
    const merged = new Map<string, unknown>();
    for (const [k, v] of entries) merged.set(k, v);
    return Object.fromEntries([...merged].sort(([a], [b]) => a.localeCompare(b)));
  }
  return typeof value;
}

function rowShape(adapter: string, key: string, value: string): StateRow {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return { adapter, key: normalise(key), shape: { string: normalise(value) } };
  }
  // A JSON string is often a number or an id stored as text: keep its normalised form, like a plain string.
  return { adapter, key: normalise(key), shape: typeof parsed === 'string' ? { json: normalise(parsed) } : { json: shapeOf(parsed) } };
}

/** Rows as a set: the same (namespace, key, shape) twice counts once; sorted for a stable comparison. */
export function stateRows(rows: Array<{ adapter: string; key: string; value: string }>): StateRow[] {
  const unique = new Map(rows.map((r) => rowShape(r.adapter, r.key, r.value)).map((r) => [JSON.stringify(r), r]));
  return [...unique.values()].sort((a, b) => JSON.stringify([a.adapter, a.key, a.shape]).localeCompare(JSON.stringify([b.adapter, b.key, b.shape])));
}

type Rows = Array<{ adapter: string; key: string; value: string }>;

/** Stops the world's processes (lets the last writes land) and reads every row of `adapter_state`. */
async function rowsLeft(w: World): Promise<Rows> {
  await w.settle();
  await w.stop();
  const db = openDatabase(w.tmp.path);
  try {
    return db.prepare('SELECT adapter, key, value FROM adapter_state').all() as Rows;
  } finally {
    db.close();
  }
}

/** Both desks, a person on each platform, a restart (see the file's comment). */
async function bothDesks(): Promise<Rows> {
  const w = await World.start({ telegramDesk: true, matrixDesk: true });
  try {
    const paul = w.tgVolunteer(501, 'Paul');
    const marie = await w.mxVolunteer('marie', 'Marie');

    const alice = w.mxPerson('alice');
    await alice.reachPlan();
    await alice.say('/humain');
    await alice.say('2'); // "yes, with my name"
    const aliceRoot = w.mxRoot(1).event_id;
    await marie.say('/name Marie', aliceRoot);
    await marie.say('/claim', aliceRoot);
    await marie.say('Bonjour Alice !', aliceRoot);
    await alice.say('Bonjour Marie, merci');

    const jeanne = w.tgPerson(1007, 'Jeanne');
    await jeanne.reachPlan();
    await jeanne.say('/humain');
    await jeanne.choose('yes');
    const topic = w.tgTopic(2);
    const [card] = w.tgDeskMessages(topic.id);
    await paul.say('/name Paul', topic.id);
    await paul.press('claim', card!, topic.id);
    await paul.say('Bonjour Jeanne !', topic.id);
    await jeanne.say('Bonjour Paul');

    await w.restart();
    await paul.say('On reprend ?', topic.id);
    await jeanne.say('Oui');
    await marie.say('/close Tout est fait', aliceRoot);
    return await rowsLeft(w);
  } finally {
    await w.close();
  }
}

/**
 * The Telegram desk in a group without topics (they were turned off after the start): the card goes in the main
 * timeline and the thread in replies to it, which the desk maps back through its reply map in `adapter_state`.
 */
async function telegramReplyMode(): Promise<Rows> {
  const w = await World.start({ telegramDesk: true });
  try {
    w.tg.forum.forums.delete(String(TG_DESK));
    const paul = w.tgVolunteer(501, 'Paul');
    const jeanne = w.tgPerson(1008, 'Jeanne');
    await jeanne.reachPlan();
    await jeanne.say('/humain');
    await jeanne.choose('yes');
    const card = w.tgDeskMessages(undefined).find((m) => m.keyboard?.length);
    if (!card) throw new Error('no card in the desk group\'s timeline');
    await paul.press('claim', card, undefined as never);
    return await rowsLeft(w);
  } finally {
    await w.close();
  }
}

/** Runs the scenarios and returns the `adapter_state` rows they leave, normalised. */
export async function recordAdapterState(): Promise<StateRow[]> {
  return stateRows([...(await bothDesks()), ...(await telegramReplyMode())]);
}

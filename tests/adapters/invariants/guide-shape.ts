/**
 * Part (a) of the platform-shape fixture (issue 14): persisted guide and ticket snapshots, and what each renders.
 *
 * Recording walks scripted conversations through a real Engine and a real Desk (with the in-memory desk port of
 * tests/support/fake-desk.ts) on a temporary SQLite file, at a fixed clock, and keeps, after chosen turns, the
 * stored rows — conversations.snapshot, version, prompt_seq; the conversation's tickets' rows — with the reply the
 * person saw.
 *
 * Restoring writes those rows, with plain SQL (the schema is one of the invariants; the repositories may move),
 * into a fresh database, and asks a fresh engine to render them through a public path only:
 *  - the prompt: the row is marked "reply not known delivered" (delivered_seq < prompt_seq), so the engine's
 *    start-up re-sending (`flushOutbox`, what the composition root runs after starting the platforms) rebuilds the
 *    prompt from the saved snapshot and delivers it;
 *  - for a conversation holding tickets, also `/mesdonnees`: its text and document show what each ticket's
 *    snapshot holds (status, card, volunteer, close note).
 * The fixture keeps that rendering; the invariant test checks that every later commit renders the same.
 */
import { Desk } from '../../../src/desk/desk.js';
import type { DeskInbound } from '../../../src/desk/port.js';
import { Engine } from '../../../src/engine/engine.js';
import type { Inbound, InboundInput, OutMessage } from '../../../src/engine/types.js';
import { openDatabase, type Db } from '../../../src/store/database.js';
import { catalog, RecordingSender, tempDbPath, texts } from '../../support/engine.js';
import { FakeDeskPort } from '../../support/fake-desk.js';

/** 10:00 UTC on a weekday: no quiet hours get in the way. */
export const T0 = Date.UTC(2026, 10, 25, 10, 0, 0);
const DAY = 24 * 3600_000;
const PLATFORM = 'test';
const VOLUNTEER = { id: '@marie:asso.org', name: 'Marie' };

/** A stored conversation row, as the schema has it (the columns a restore needs). */
export interface ConversationRow {
  key: string;
  platform: string;
  chat_id: string;
  version: number;
  snapshot: string;
  prompt_seq: number;
  created_at: number;
  updated_at: number;
}

/** A stored ticket row, every column. */
export type TicketRow = Record<string, string | number | null>;

/** What a person reads: the text (our markup), the choices (id and label), the document if any. */
export interface Rendered {
  text: string;
  choices: Array<{ id: string; label: string }>;
  attachment?: { filename: string; mimeType: string; content: string };
}

export interface GuideShape {
  /** Where the walk stopped ("question:budget", "ticketClaimed"…). */
  name: string;
  conversation: ConversationRow;
  tickets: TicketRow[];
  /** The reply the person saw at that turn. */
  reply: Rendered;
  /** What a fresh engine renders from the rows: the re-sent prompt, and `/mesdonnees` when there are tickets. */
  restored: { prompt: Rendered; myData?: Rendered };
}

function rendered(message: OutMessage): Rendered {
  return {
    text: message.text,
    choices: message.choices.map((c) => ({ id: c.id, label: c.label })),
    ...(message.attachment ? { attachment: { ...message.attachment } } : {}),
  };
}

/** A real engine and desk over one SQLite file at a clock the caller moves. */
function deskWorld(path: string) {
  const clock = { now: T0 };
  const db: Db = openDatabase(path);
  const engine = new Engine({ db, catalog, texts, now: () => clock.now });
  const desk = new Desk({ db, host: engine, texts, catalog, lang: 'fr', now: () => clock.now });
  const port = new FakeDeskPort('matrix');
  port.members.add(VOLUNTEER.id);
  desk.register(port);
  const sender = new RecordingSender();
  engine.register(PLATFORM, sender);
  return { db, engine, desk, port, sender, clock, close: () => db.close() };
}

type DeskWorld = ReturnType<typeof deskWorld>;

function conversationRow(db: Db, key: string): ConversationRow {
  const row = db
    .prepare('SELECT key, platform, chat_id, version, snapshot, prompt_seq, created_at, updated_at FROM conversations WHERE key = ?')
    .get(key) as ConversationRow | undefined;
  if (!row) throw new Error(`no conversation row for ${key}`);
  return row;
}

function ticketRows(db: Db, key: string): TicketRow[] {
  return db.prepare('SELECT * FROM tickets WHERE conversation_key = ? ORDER BY id').all(key) as TicketRow[];
}

/** A person in a conversation of the recording world, and the shapes kept along the way. */
class Walk {
  private counter = 0;
  constructor(
    private readonly w: DeskWorld,
    readonly chatId: string,
    private readonly shapes: Array<Omit<GuideShape, 'restored'>>,
    private readonly langHint?: string,
  ) {}

  get key(): string {
    return `${PLATFORM}:${this.chatId}`;
  }

  get last(): OutMessage {
    return this.w.sender.last;
  }

  choiceIds(): string[] {
    return this.last.choices.map((c) => c.id);
  }

  private async send(input: InboundInput, extra: Partial<Inbound> = {}, replied = true): Promise<void> {
    const before = this.w.sender.sent.length;
    await this.w.engine.receive({
      conversation: { platform: PLATFORM, chatId: this.chatId },
      messageId: `${this.chatId}-${++this.counter}`,
      ...(this.langHint ? { langHint: this.langHint } : {}),
      input,
      ...extra,
    });
    if (replied && this.w.sender.sent.length === before) throw new Error(`${this.chatId}: no reply to ${JSON.stringify(input)}`);
  }

  start = () => this.send({ kind: 'start' });
  say = (text: string) => this.send({ kind: 'text', text });
  /** While a volunteer holds the request, the bot stays quiet: the words go to the desk. */
  sayToVolunteer = (text: string) => this.send({ kind: 'text', text }, {}, false);
  press = (choice: string, extra: Partial<Inbound> = {}) => {
    if (!this.choiceIds().includes(choice)) throw new Error(`${this.chatId}: no choice "${choice}" in ${JSON.stringify(this.choiceIds())}`);
    return this.send({ kind: 'choice', choice, promptSeq: this.last.promptSeq }, extra);
  };

  /** Keeps the stored rows as they are now, with the last reply. */
  keep(name: string): void {
    this.shapes.push({ name, conversation: conversationRow(this.w.db, this.key), tickets: ticketRows(this.w.db, this.key), reply: rendered(this.last) });
  }

  /** Answers each question with its first choice (or "dontKnow" where it has one), keeping each. */
  async answerAll(keepEach: boolean, prefer: Record<string, string> = {}, prefix = 'question:'): Promise<void> {
    for (let i = 0; i < 20; i++) {
      const ids = this.choiceIds();
      if (ids.some((id) => id.startsWith('provider:'))) return;
      const question = (this.w.engine.guideView(this.key)!.context as { question: string }).question;
      if (keepEach) this.keep(`${prefix}${question}`);
      await this.press(prefer[question] ?? (ids.includes('dontKnow') ? 'dontKnow' : ids[0]!));
    }
    throw new Error(`${this.chatId}: never reached the recommendations`);
  }

  async choosePlan(): Promise<void> {
    await this.press(this.choiceIds().find((id) => id.startsWith('provider:'))!);
  }
}

/** Walks the scripted conversations and returns the shapes kept (without their restored rendering). */
async function walkAll(): Promise<Array<Omit<GuideShape, 'restored'>>> {
  const tmp = tempDbPath();
  const w = deskWorld(tmp.path);
  const shapes: Array<Omit<GuideShape, 'restored'>> = [];
  try {
    // Alice: the whole guide in French, by buttons and by typing, to the check-in a week later.
    const alice = new Walk(w, 'alice', shapes);
    await alice.start();
    alice.keep('welcome');
    await alice.press('begin');
    alice.keep('question:oldProvider');
    await alice.say('gmail'); // a typed answer
    await alice.say('xyzzy'); // not understood: the question again, with a word about it
    alice.keep('clarify');
    await alice.answerAll(true, { forWhom: 'me', storage: 'under5', budget: 'free', location: 'europe' });
    alice.keep('recommendations');
    await alice.press('more');
    alice.keep('recommendationsPage2');
    await alice.press('whyNot');
    alice.keep('whyNot');
    await alice.press('back');
    await alice.press('change');
    alice.keep('changeAnswer');
    await alice.press('question:budget');
    alice.keep('editingBudget');
    await alice.press('about1');
    alice.keep('recommendationsAfterChange');
    await alice.choosePlan();
    alice.keep('planStep1');
    await alice.press('done');
    alice.keep('planStep2');
    await alice.press('later');
    alice.keep('planStep3');
    await alice.say('/ou');
    alice.keep('whereAmI');
    await alice.say('/aide');
    alice.keep('help');
    for (let i = 0; i < 30 && alice.choiceIds().includes('done'); i++) await alice.press('done');
    alice.keep('planEnd');
    await alice.press('checklist');
    alice.keep('checklistItem');
    await alice.press('done');
    alice.keep('checklistItem2');
    await alice.press('back');
    await alice.press('templates');
    alice.keep('templates');
    await alice.press(alice.choiceIds()[0]!);
    alice.keep('template');
    await alice.press('back');
    if (alice.choiceIds().includes('back')) await alice.press('back');
    await alice.press('reminders');
    alice.keep('remindersOffer');
    await alice.press('yes');
    alice.keep('remindersOn');
    w.clock.now = T0 + 7 * DAY;
    const before = w.sender.sent.length;
    await w.engine.fireDue();
    if (w.sender.sent.length === before) throw new Error('alice: the check-in did not come');
    alice.keep('checkin');
    w.clock.now = T0;

    // Bruno: in English, for his family (the mailboxes question asked), to a plan step, then another host from the plan's end (a host change).
    const bruno = new Walk(w, 'bruno', shapes, 'en');
    await bruno.start();
    bruno.keep('welcomeEnglish');
    await bruno.press('begin');
    await bruno.answerAll(true, { forWhom: 'family' }, 'english:');
    bruno.keep('recommendationsEnglish');
    await bruno.choosePlan();
    bruno.keep('planStepEnglish');
    for (let i = 0; i < 30 && bruno.choiceIds().includes('done'); i++) await bruno.press('done');
    await bruno.press('otherProvider');
    bruno.keep('otherProviderConfirm');
    await bruno.press('yes');
    bruno.keep('otherProvider');
    await bruno.choosePlan();
    bruno.keep('hostChanged');

    // Claire: asks for a volunteer, consents with her name; Marie claims, they talk, Marie closes.
    const claire = new Walk(w, 'claire', shapes);
    await claire.start();
    await claire.press('begin');
    await claire.answerAll(false);
    await claire.choosePlan();
    await claire.press('human');
    claire.keep('handoffConsent');
    await claire.press('yesWithName', { displayName: 'Claire' });
    claire.keep('ticketQueued');
    const thread = w.port.only().id;
    let n = 0;
    const marie = (text: string) =>
      w.desk.receive({ desk: 'matrix', threadId: thread, messageId: `d${++n}`, from: VOLUNTEER, input: { kind: 'text', text } } as DeskInbound);
    await marie('/name Marie');
    await marie('/claim');
    claire.keep('ticketClaimed');
    await marie('Bonjour Claire, où en êtes-vous ?');
    await claire.sayToVolunteer("J'ai créé le compte");
    claire.keep('withVolunteer');
    await marie('/close Compte créé, redirection faite');
    claire.keep('ticketClosed');
    await claire.say('/mesdonnees');
    claire.keep('myData');

    // Denis: asks to forget everything, mid-questions.
    const denis = new Walk(w, 'denis', shapes);
    await denis.start();
    await denis.press('begin');
    await denis.press('orange');
    await denis.say('/oublier');
    denis.keep('confirmForget');
  } finally {
    w.close();
    tmp.cleanup();
  }
  return shapes;
}

/** Renders stored rows in a fresh engine and desk, through public paths only (see the file's comment). */
export async function renderRestored(conversation: ConversationRow, tickets: TicketRow[]): Promise<GuideShape['restored']> {
  const tmp = tempDbPath();
  const w = deskWorld(tmp.path);
  try {
    w.db
      .prepare(
        `INSERT INTO conversations (key, platform, chat_id, version, snapshot, prompt_seq, recent_ids, delivered_seq, created_at, updated_at)
         VALUES (@key, @platform, @chat_id, @version, @snapshot, @prompt_seq, '[]', @prompt_seq - 1, @created_at, @updated_at)`,
      )
      .run(conversation);
    for (const ticket of tickets) {
      const columns = Object.keys(ticket);
      w.db.prepare(`INSERT INTO tickets (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`).run(ticket);
    }
    const failed = await w.engine.flushOutbox();
    if (failed > 0 || w.sender.sent.length !== 1) throw new Error(`${conversation.key}: the saved prompt was not re-sent (${w.sender.sent.length} sent)`);
    const prompt = rendered(w.sender.last);
    if (tickets.length === 0) return { prompt };
    await w.engine.receive({ conversation: { platform: conversation.platform, chatId: conversation.chat_id }, messageId: 'restored-mydata', input: { kind: 'text', text: '/mesdonnees' } });
    return { prompt, myData: rendered(w.sender.last) };
  } finally {
    w.close();
    tmp.cleanup();
  }
}

/** Records part (a): walks, then renders each shape restored. */
export async function recordGuideShapes(): Promise<GuideShape[]> {
  const shapes = await walkAll();
  const out: GuideShape[] = [];
  for (const shape of shapes) out.push({ ...shape, restored: await renderRestored(shape.conversation, shape.tickets) });
  return out;
}

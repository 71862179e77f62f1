/*
 * demailbot's web chat, in the browser: the page "/" and the widget an association embeds with one tag
 *   <script src="https://bot.example.org/widget.js" data-lang="fr" data-accent="#1d4ed8" data-payload="gmail-asso" async></script>
 * No framework, nothing loaded from anywhere but the bot. Everything shown is built as elements and text nodes:
 * what a person or a volunteer typed never becomes markup. The server serves this file wrapped in a function that
 * defines TEXTS (locales/<lang>/web.json) and MAX_MEDIA_BYTES (the largest file it takes, src/engine/media.ts).
 *
 * Files: the person attaches a picture or a PDF (POST /upload, then a `file` frame with its id and the words typed
 * with it); a volunteer's file is fetched from /media/<seq> with the conversation's secret and shown from memory.
 *
 * Coming back: the conversation's secret is kept in localStorage (never a cookie); messages are numbered, the page
 * says which it shows (hello.lastSeq, ack) and keeps what it sent until the server accepted it.
 */
const script = document.currentScript;
const scriptUrl = new URL(script.src, location.href);
const base = scriptUrl.href.replace(/\/widget\.js(\?.*)?$/, '');
const options = script.dataset;
const pageMode = options.mode === 'page';
const storeKey = 'demailbot:' + base;
const LANGS = Object.keys(TEXTS);

// ─────────────── storage (localStorage, or memory where the browser refuses it) ───────────────
const memory = {};
function load(name) {
  try {
    const raw = localStorage.getItem(storeKey + ':' + name);
    return raw === null ? undefined : JSON.parse(raw);
  } catch {
    return memory[name];
  }
}
function save(name, value) {
  memory[name] = value;
  try {
    if (value === undefined) localStorage.removeItem(storeKey + ':' + name);
    else localStorage.setItem(storeKey + ':' + name, JSON.stringify(value));
  } catch {
    /* storage refused (private mode): the conversation lasts as long as the tab */
  }
}

function langOf(hint) {
  const short = String(hint || '').toLowerCase().slice(0, 2);
  return LANGS.includes(short) ? short : undefined;
}
let lang = langOf(options.lang) || load('lang') || langOf(navigator.language) || 'fr';
function t(key, params) {
  const text = key.split('.').reduce((node, part) => (node ? node[part] : undefined), TEXTS[lang]) || key;
  return text.replace(/\{\{(\w+)\}\}/g, (_, name) => String(params && params[name] !== undefined ? params[name] : ''));
}

function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value !== undefined && value !== false) node.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children) node.append(child);
  return node;
}
/** A paperclip drawn as SVG (an emoji needs a font many computers lack); decorative: the button has its label. */
function paperclip() {
  const NS = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(NS, 'svg');
  for (const [name, value] of Object.entries({ viewBox: '0 0 24 24', width: '24', height: '24', 'aria-hidden': 'true', focusable: 'false' })) svg.setAttribute(name, value);
  const path = document.createElementNS(NS, 'path');
  path.setAttribute('d', 'M21.4 11.1l-9.2 9.2a6 6 0 0 1-8.5-8.5l9.2-9.2a4 4 0 0 1 5.7 5.7l-9.2 9.2a2 2 0 0 1-2.8-2.8l8.5-8.5');
  for (const [name, value] of Object.entries({ fill: 'none', stroke: 'currentColor', 'stroke-width': '2', 'stroke-linecap': 'round', 'stroke-linejoin': 'round' })) path.setAttribute(name, value);
  svg.append(path);
  return svg;
}
function newId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  return [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

// ─────────────── the panel ───────────────
const host = el('div', { class: 'demailbot-host' });
const root = host.attachShadow({ mode: 'open' });
root.append(el('link', { rel: 'stylesheet', href: base + '/widget.css' }));
const accent = /^#[0-9a-f]{3,8}$/i.test(options.accent || '') ? options.accent : undefined;
const accentText = /^#[0-9a-f]{3,8}$/i.test(options.accentText || '') ? options.accentText : undefined;
if (accent) host.style.setProperty('--accent', accent);
if (accentText) host.style.setProperty('--accent-text', accentText);

const title = el('h2', { id: 'title', class: 'title' });
const langButton = el('button', { type: 'button', class: 'link' });
const carryButton = el('button', { type: 'button', class: 'more-button' });
const closeButton = el('button', { type: 'button', class: 'close' }, '×');
const log = el('div', { class: 'log', role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions', tabindex: '0' });
const choices = el('div', { class: 'choices', role: 'group' });
const status = el('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
const carryBox = el('div', { class: 'carry', hidden: true });
const input = el('textarea', { id: 'input', rows: '2', autocomplete: 'off' });
const inputLabel = el('label', { for: 'input', class: 'label' });
const sendButton = el('button', { type: 'submit', class: 'send' });
// The attach button opens the system's picker (on a phone: the camera, the gallery, the files); the input itself is
// hidden, the button is what the keyboard and a screen reader reach.
const fileInput = el('input', { type: 'file', accept: 'image/*,application/pdf', hidden: true, tabindex: '-1' });
const attachButton = el('button', { type: 'button', class: 'attach' }, paperclip());
const chosenName = el('span', { class: 'chosen-name' });
const unchooseButton = el('button', { type: 'button', class: 'link unchoose' });
const chosenBox = el('div', { class: 'chosen', hidden: true }, chosenName, unchooseButton);
const form = el('form', { class: 'composer' }, inputLabel, chosenBox, el('div', { class: 'row' }, attachButton, fileInput, input, sendButton));
const codeInput = el('input', { id: 'code', type: 'text', autocomplete: 'off', spellcheck: 'false', maxlength: '12' });
const codeLabel = el('label', { for: 'code' });
const codeButton = el('button', { type: 'submit' });
const codeSummary = el('summary');
const codeForm = el('details', { class: 'code' }, codeSummary, el('form', {}, codeLabel, el('div', { class: 'row' }, codeInput, codeButton)));
const header = el('div', { class: 'header' }, title, el('div', { class: 'tools' }, langButton, pageMode ? '' : closeButton));
const more = el('div', { class: 'more' }, carryButton, codeForm);
const panel = el('section', { class: 'panel' + (pageMode ? ' page' : ''), 'aria-labelledby': 'title', id: 'panel' }, header, log, carryBox, choices, status, form, more);
const launcher = el('button', { type: 'button', class: 'launcher', 'aria-expanded': 'false', 'aria-controls': 'panel' });
if (pageMode) root.append(panel);
else {
  panel.hidden = true;
  root.append(launcher, panel);
}

function drawTexts() {
  host.lang = lang;
  title.textContent = t('title');
  langButton.textContent = t('otherLanguage');
  langButton.setAttribute('aria-label', t('otherLanguageLabel'));
  langButton.setAttribute('lang', lang === 'fr' ? 'en' : 'fr');
  carryButton.textContent = t('carry');
  closeButton.setAttribute('aria-label', t('close'));
  log.setAttribute('aria-label', t('log'));
  choices.setAttribute('aria-label', t('choices'));
  inputLabel.textContent = t('inputLabel');
  input.placeholder = t('placeholder');
  sendButton.textContent = t('send');
  attachButton.setAttribute('aria-label', t('attach', { max: megabytes(MAX_MEDIA_BYTES) }));
  attachButton.title = t('attach', { max: megabytes(MAX_MEDIA_BYTES) });
  unchooseButton.textContent = t('unchoose');
  if (chosen) chosenName.textContent = t('chosen', { filename: chosen.name, size: sizeOf(chosen.size) });
  launcher.textContent = t('open');
  codeSummary.textContent = t('carryEnter');
  codeLabel.textContent = t('carryCodeLabel');
  codeButton.textContent = t('carryUse');
}
function megabytes(bytes) {
  return Math.round(bytes / (1024 * 1024));
}
function sizeOf(bytes) {
  if (typeof bytes !== 'number') return '';
  if (bytes < 1024 * 1024) return t('kilobytes', { n: Math.max(1, Math.round(bytes / 1024)) });
  return t('megabytes', { n: (bytes / (1024 * 1024)).toFixed(1).replace('.', lang === 'fr' ? ',' : '.') });
}
let chosen; // the File attached, sent with the next "Send"
drawTexts();

function open() {
  panel.hidden = false;
  launcher.setAttribute('aria-expanded', 'true');
  launcher.hidden = true;
  connect();
  input.focus();
}
function close() {
  panel.hidden = true;
  launcher.hidden = false;
  launcher.setAttribute('aria-expanded', 'false');
  launcher.focus();
}
launcher.addEventListener('click', open);
closeButton.addEventListener('click', close);
panel.addEventListener('keydown', (event) => {
  if (event.key === 'Escape' && !pageMode) close();
});

// ─────────────── messages ───────────────
let lastSeq = 0;
let promptSeq = -1;
const pending = new Map(); // page id → its "sending…" bubble

function spansInto(parent, spans) {
  for (const span of spans) {
    if (span.kind === 'bold') parent.append(el('strong', {}, span.text));
    else if (span.kind === 'code') parent.append(el('code', {}, span.text));
    else parent.append(document.createTextNode(span.text));
  }
}
function bubble(from, lines) {
  const item = el('div', { class: 'msg ' + from });
  item.append(el('span', { class: 'sr-only' }, (from === 'me' ? t('you') : t('bot')) + ' : '));
  let paragraph;
  for (const line of lines) {
    if (line.length === 0) {
      paragraph = undefined;
      continue;
    }
    if (paragraph) paragraph.append(el('br'));
    else item.append((paragraph = el('p')));
    spansInto(paragraph, line);
  }
  return item;
}
function scrollDown() {
  log.scrollTo({ top: log.scrollHeight, behavior: 'instant' });
}
function attachmentOf(attachment) {
  if (attachment.content === undefined) return el('p', { class: 'note' }, t('downloadGone', { filename: attachment.filename }));
  const button = el('button', { type: 'button', class: 'download' }, t('download', { filename: attachment.filename }));
  button.addEventListener('click', () => {
    const url = URL.createObjectURL(new Blob([attachment.content], { type: attachment.mimeType }));
    const link = el('a', { href: url, download: attachment.filename });
    root.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  });
  return button;
}
/** The volunteer's file of message `seq`, as a Blob: asked with the conversation's secret (never in an address). */
async function mediaBlob(seq) {
  const response = await fetch(base + '/media/' + seq, { headers: { Authorization: 'Bearer ' + load('secret') } });
  if (!response.ok) throw new Error('HTTP ' + response.status);
  return response.blob();
}
const INLINE = /^image\/(png|jpeg|gif|webp)$/;
/** A volunteer's file in their message: a picture shown inline (its caption as alt text), any other a download. */
function mediaOf(m) {
  const media = m.media;
  if (media.kind !== 'photo' && !INLINE.test(media.mimeType || '')) return downloadOf(m);
  const caption = m.lines.map((line) => line.map((span) => span.text).join('')).join(' ').trim();
  const note = el('span', { class: 'note' }, t('mediaLoading'));
  const figure = el('figure', { class: 'media' }, note);
  mediaBlob(m.seq).then(
    (blob) => {
      // A "photo" the browser cannot show (a HEIC from a phone): offered as a download instead.
      if (!INLINE.test(blob.type)) return void figure.replaceWith(downloadOf(m, blob));
      const url = URL.createObjectURL(blob);
      // The alt text is the volunteer's caption: what they wanted the picture to say.
      const image = el('img', { src: url, alt: caption ? t('imageAlt', { caption }) : t('imageAltNone') });
      image.addEventListener('load', () => {
        if (m.seq === lastSeq) scrollDown();
      });
      note.replaceWith(image);
    },
    () => note.replaceWith(el('span', { class: 'note' }, t('mediaGone'))),
  );
  return figure;
}
/** A button that saves the file (fetched when pressed, unless it already was). */
function downloadOf(m, fetched) {
  const name = m.media.filename || t('document');
  const button = el('button', { type: 'button', class: 'download' }, t('mediaDownload', { filename: name, size: sizeOf(m.media.size ?? (fetched && fetched.size)) }));
  const note = el('span', { class: 'note', role: 'status' });
  button.addEventListener('click', () => {
    note.textContent = t('mediaLoading');
    (fetched ? Promise.resolve(fetched) : mediaBlob(m.seq)).then(
      (blob) => {
        note.textContent = '';
        const url = URL.createObjectURL(blob);
        const link = el('a', { href: url, download: name });
        root.append(link);
        link.click();
        link.remove();
        setTimeout(() => URL.revokeObjectURL(url), 10_000);
      },
      () => (note.textContent = t('mediaGone')),
    );
  });
  return el('div', { class: 'media' }, button, note);
}

let focusChoices = false; // a choice was pressed from the keyboard's focus: the next choices get it
function drawChoices(list, seq) {
  const hadFocus = focusChoices || (root.activeElement && choices.contains(root.activeElement));
  focusChoices = false;
  choices.replaceChildren();
  promptSeq = seq;
  for (const choice of list) {
    const button = el('button', { type: 'button', class: 'choice', 'data-choice': choice.id }, choice.label);
    button.addEventListener('click', () => choose(choice, seq));
    choices.append(button);
  }
  if (hadFocus && choices.firstChild) choices.firstChild.focus();
}

function show(m) {
  if (m.seq <= lastSeq) return; // already on screen: a reconnect never repeats one
  lastSeq = m.seq;
  if (m.from === 'me' && m.clientId && pending.has(m.clientId)) {
    pending.get(m.clientId).remove();
    pending.delete(m.clientId);
  }
  let lines = m.lines;
  if (m.typed) {
    // The server keeps no typed words: they come back from this browser's own memory (or were typed elsewhere).
    if (lines.length > 0) remember(m.clientId, lines[0][0].text);
    else lines = [[{ kind: 'text', text: typedHere[m.clientId] ?? t('typedElsewhere') }]];
  }
  const item = bubble(m.from, lines);
  if (m.attachment) item.append(attachmentOf(m.attachment));
  if (m.media) item.append(mediaOf(m));
  log.append(item);
  if (m.from === 'bot') {
    if (m.lang && m.lang !== lang && LANGS.includes(m.lang)) {
      lang = m.lang;
      save('lang', lang);
      drawTexts();
    }
    if (m.choices.length > 0 || m.promptSeq !== promptSeq) drawChoices(m.choices, m.promptSeq);
  }
  // A long answer is read from its start: the guide's message is scrolled to its top, the person's to the end.
  if (m.from === 'bot') log.scrollTo({ top: Math.max(0, item.offsetTop - 8), behavior: 'instant' });
  else scrollDown();
  scheduleAck();
  if (m.erased) forgetHere();
}

let ackTimer;
function scheduleAck() {
  clearTimeout(ackTimer);
  ackTimer = setTimeout(() => send({ t: 'ack', seq: lastSeq }), 150);
}

// ─────────────── what the person sends (kept until accepted) ───────────────
let outbox = load('outbox') || [];
let typedHere = load('typed') || {};
/** What the person typed, kept in this browser only, the last 200: to redraw the page on return. */
function remember(id, text) {
  if (!id || typedHere[id] === text) return;
  typedHere[id] = text;
  const ids = Object.keys(typedHere);
  for (const old of ids.slice(0, Math.max(0, ids.length - 200))) delete typedHere[old];
  save('typed', typedHere);
}
function keep() {
  save('outbox', outbox);
}
function pendingBubble(frame, text) {
  const item = bubble('me', [[{ kind: 'text', text }]]);
  item.classList.add('pending');
  item.append(el('span', { class: 'note' }, t('sending')));
  log.append(item);
  pending.set(frame.id, item);
  scrollDown();
}
function post(frame, text) {
  // After /oublier the page waits for "start a new conversation"; typing is just as clear a wish (as in the other apps).
  if (stopped) startAfresh();
  outbox.push(frame);
  keep();
  pendingBubble(frame, text);
  send(frame);
}
function say(text) {
  const frame = { t: 'say', id: newId(), text };
  remember(frame.id, text);
  post(frame, text);
}
function choose(choice, seq) {
  focusChoices = Boolean(root.activeElement && choices.contains(root.activeElement));
  post({ t: 'choose', id: newId(), choice: choice.id, promptSeq: seq, label: choice.label }, choice.label);
  choices.replaceChildren();
}
form.addEventListener('submit', (event) => {
  event.preventDefault();
  const text = input.value.trim();
  if (chosen) return void sendFile(chosen, text);
  if (!text) return;
  input.value = '';
  say(text);
});

// ─────────────── a file from the person ───────────────
function attachFile(file) {
  fileInput.value = '';
  // Said before a byte leaves: too big, or not a picture or a PDF (the server checks both again, by the bytes).
  if (file.size > MAX_MEDIA_BYTES) {
    status.textContent = t('refused.fileTooBig', { max: megabytes(MAX_MEDIA_BYTES) });
    return;
  }
  if (!/^image\//.test(file.type) && file.type !== 'application/pdf') {
    status.textContent = t('refused.fileType');
    return;
  }
  status.textContent = '';
  showChosen(file);
  input.focus();
}
function showChosen(file) {
  chosen = file;
  chosenBox.hidden = false;
  chosenName.textContent = t('chosen', { filename: file.name, size: sizeOf(file.size) });
}
function unchoose() {
  chosen = undefined;
  chosenBox.hidden = true;
  chosenName.textContent = '';
}
attachButton.addEventListener('click', () => fileInput.click());
fileInput.addEventListener('change', () => {
  if (fileInput.files && fileInput.files[0]) attachFile(fileInput.files[0]);
});
unchooseButton.addEventListener('click', () => {
  unchoose();
  attachButton.focus();
});

/** The files this page sent, by frame id: one the server refuses afterwards (too fast) is attached again. */
const sentFiles = new Map();
async function sendFile(file, caption) {
  const secret = load('secret');
  if (!secret || !socket || !socket.ready) {
    status.textContent = t('offline');
    return;
  }
  const id = newId();
  const label = '📎 ' + file.name + (caption ? ' — ' + caption : '');
  unchoose();
  input.value = '';
  const frame = { t: 'file', id, caption };
  pendingBubble(frame, label);
  const giveBack = (words) => {
    pending.get(id)?.remove();
    pending.delete(id);
    status.textContent = words;
    // Nothing lost: the file is attached again and the words are back in the box.
    showChosen(file);
    if (!input.value) input.value = caption;
  };
  let answer;
  try {
    const response = await fetch(base + '/upload', {
      method: 'POST',
      headers: { Authorization: 'Bearer ' + secret, 'Content-Type': file.type, 'X-Filename': encodeURIComponent(file.name) },
      body: file,
    });
    answer = await response.json().catch(() => ({ error: 'badRequest' }));
    if (!response.ok) {
      const seconds = Math.ceil((answer.retryAfterMs || 0) / 1000);
      return giveBack(t('refused.' + (answer.error || 'badRequest'), { max: megabytes(MAX_MEDIA_BYTES), seconds }));
    }
  } catch {
    return giveBack(t('refused.uploadFailed'));
  }
  // Kept now: the frame goes in the outbox like typed words, and the page remembers what it showed.
  frame.upload = answer.upload;
  sentFiles.set(id, file);
  remember(id, label);
  outbox.push(frame);
  keep();
  send(frame);
}
input.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    form.requestSubmit();
  }
});
langButton.addEventListener('click', () => {
  const other = LANGS.find((l) => l !== lang);
  lang = other;
  save('lang', lang);
  drawTexts();
  say('/langue ' + other);
});
carryButton.addEventListener('click', () => send({ t: 'carry' }));
codeForm.querySelector('form').addEventListener('submit', (event) => {
  event.preventDefault();
  const code = codeInput.value.trim();
  if (!code) return;
  codeInput.value = '';
  carryCode = code;
  restartConnection();
});

function refused(frame) {
  const seconds = Math.ceil((frame.retryAfterMs || 0) / 1000);
  status.textContent = t('refused.' + frame.reason, { seconds, minutes: Math.ceil(seconds / 60), max: frame.max });
  const index = frame.id ? outbox.findIndex((f) => f.id === frame.id) : -1;
  if (index >= 0) {
    // Not lost: what they typed goes back where they typed it.
    const [kept] = outbox.splice(index, 1);
    keep();
    pending.get(kept.id)?.remove();
    pending.delete(kept.id);
    if (kept.t === 'say' && !input.value) input.value = kept.text;
    if (kept.t === 'file' && kept.caption && !input.value) input.value = kept.caption;
    if (kept.t === 'file' && sentFiles.has(kept.id) && !chosen) showChosen(sentFiles.get(kept.id));
  }
}

function forgetHere() {
  save('secret', undefined);
  outbox = [];
  keep();
  typedHere = {};
  save('typed', undefined);
  choices.replaceChildren();
  const again = el('button', { type: 'button', class: 'choice' }, t('restart'));
  again.addEventListener('click', startAfresh);
  log.append(el('p', { class: 'note' }, t('erased')));
  choices.append(again);
  stopped = true;
  socket?.close();
}

/** A new conversation after /oublier: an empty page, a new secret from the server. */
function startAfresh() {
  log.replaceChildren();
  choices.replaceChildren();
  lastSeq = 0;
  restartConnection();
}

// ─────────────── the connection ───────────────
let socket;
let stopped = false;
let keepNote = false; // a refusal to read (a bad code) outlives the reconnection it causes
let retryMs = 1000;
let carryCode = pageMode && location.hash.startsWith('#carry=') ? decodeURIComponent(location.hash.slice(7)) : undefined;
if (carryCode) history.replaceState(null, '', location.pathname + location.search);

function send(frame) {
  if (socket && socket.readyState === 1 && socket.ready) socket.send(JSON.stringify(frame));
}
function restartConnection() {
  stopped = false;
  if (socket) {
    socket.onclose = null;
    socket.close();
    socket = undefined;
  }
  connect();
}
function connect() {
  if (socket || stopped) return;
  if (!keepNote) status.textContent = t('connecting');
  const ws = new WebSocket(base.replace(/^http/, 'ws') + '/ws');
  socket = ws;
  ws.onopen = () => {
    const secret = load('secret');
    const hello = { t: 'hello', lastSeq, lang: navigator.language };
    if (carryCode) hello.carry = carryCode;
    else if (secret) hello.secret = secret;
    if (options.payload) hello.payload = String(options.payload).slice(0, 64);
    ws.send(JSON.stringify(hello));
  };
  ws.onmessage = (event) => {
    const frame = JSON.parse(event.data);
    if (frame.t === 'ready') {
      if (frame.secret !== load('secret')) {
        log.replaceChildren();
        lastSeq = 0;
      }
      carryCode = undefined;
      save('secret', frame.secret);
      ws.ready = true;
      retryMs = 1000;
      if (!keepNote) status.textContent = '';
      keepNote = false;
      for (const kept of outbox) {
        if (!pending.has(kept.id)) pendingBubble(kept, kept.t === 'say' ? kept.text : kept.t === 'file' ? typedHere[kept.id] || '📎' : kept.label);
        ws.send(JSON.stringify(kept));
      }
    } else if (frame.t === 'msg') show(frame.m);
    else if (frame.t === 'accepted') {
      sentFiles.delete(frame.id);
      outbox = outbox.filter((f) => f.id !== frame.id);
      keep();
    } else if (frame.t === 'refused') {
      refused(frame);
      if (frame.reason === 'badCode') {
        carryCode = undefined;
        keepNote = true;
        restartConnection();
      }
      if (frame.reason === 'busy' || frame.reason === 'tooManyConversations') {
        // Try again by itself once the wait is over, the note staying readable meanwhile.
        retryMs = Math.max(retryMs, frame.retryAfterMs || 30_000);
        keepNote = true;
        ws.close();
      }
    } else if (frame.t === 'forgotten') {
      save('secret', undefined);
      typedHere = {};
      save('typed', undefined);
      log.replaceChildren();
      lastSeq = 0;
      restartConnection();
    } else if (frame.t === 'carry') {
      carryBox.hidden = false;
      carryBox.replaceChildren(
        el('p', {}, t('carryShown', { code: frame.code, minutes: Math.round((frame.expiresAt - Date.now()) / 60_000) })),
        el('p', {}, el('a', { href: frame.link }, frame.link)),
      );
    }
  };
  ws.onclose = () => {
    if (socket !== ws) return;
    socket = undefined;
    for (const bubbleOfPending of pending.values()) bubbleOfPending.remove();
    pending.clear();
    if (stopped) return;
    if (!keepNote) status.textContent = t('offline');
    setTimeout(connect, retryMs);
    retryMs = Math.min(retryMs * 2, 30_000);
  };
}

function mount() {
  const target = pageMode ? document.getElementById('demailbot') || document.body : document.body;
  target.append(host);
  if (pageMode || options.open === 'true') (pageMode ? connect() : open());
}
if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', mount);
else mount();

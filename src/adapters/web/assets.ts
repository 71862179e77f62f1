/**
 * What the web chat serves over HTTP: the page "/", /widget.js (the client, with the texts of locales/<lang>/web.json
 * and the largest file it may send put in front of it) and /widget.css. Built once at start; each with its own headers.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { escapeHtml } from '../kit/html.js';
import { LANGUAGES, type Lang, type Texts } from '../../render/i18n.js';
import { MAX_MEDIA_BYTES } from '../../engine/media.js';

/** The client's sources, read from src/ (the same path from dist/adapters/web/, three levels under the root). */
export const CLIENT_DIR = fileURLToPath(new URL('../../../src/adapters/web/client/', import.meta.url));

export interface WebAssets {
  widgetJs: string;
  widgetCss: string;
  page(lang: Lang): string;
}

/** The page's texts (locales/<lang>/web.json) in every language, as the client reads them. */
function clientTexts(texts: Texts): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const lang of LANGUAGES) out[lang] = texts.i18n.getResourceBundle(lang, 'web');
  return out;
}

export function buildAssets(texts: Texts): WebAssets {
  const client = readFileSync(CLIENT_DIR + 'widget.js', 'utf8');
  const widgetJs = `(function () {\n'use strict';\nconst TEXTS = ${JSON.stringify(clientTexts(texts))};\nconst MAX_MEDIA_BYTES = ${MAX_MEDIA_BYTES};\n${client}\n})();\n`;
  const widgetCss = readFileSync(CLIENT_DIR + 'widget.css', 'utf8');
  const pages = new Map<Lang, string>();
  for (const lang of LANGUAGES) {
    const t = texts.t(lang);
    pages.set(
      lang,
      `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(t('web:title'))}</title>
<link rel="stylesheet" href="/page.css">
</head>
<body>
<main id="demailbot"><h1 class="sr-only">${escapeHtml(t('web:title'))} — ${escapeHtml(t('web:subtitle'))}</h1>
<noscript><p>${escapeHtml(t('web:noscript'))}</p></noscript></main>
<script src="/widget.js" data-mode="page" data-lang="${lang}"></script>
</body>
</html>
`,
    );
  }
  return { widgetJs, widgetCss, page: (lang) => pages.get(lang)! };
}

/** The page's own few rules (outside the chat's shadow root). */
export const PAGE_CSS = `html,body{margin:0;padding:0;background:#f6f7f9}main{margin:0}.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}noscript p{padding:1rem;font:1rem/1.5 system-ui,sans-serif}\n`;

/** The widget's script and style, gzipped (what a visitor downloads): for the bench table. */
export function widgetGzipBytes(assets: WebAssets): { js: number; css: number } {
  return { js: gzipSync(assets.widgetJs, { level: 9 }).length, css: gzipSync(assets.widgetCss, { level: 9 }).length };
}

/**
 * What the web chat serves over plain HTTP (everything but /ws): the page "/" with its strict Content-Security-Policy,
 * the widget's script and style, a health check. GET and HEAD only; no cookie, ever.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { langFromHint, DEFAULT_LANG, type Lang } from '../../render/i18n.js';
import { PAGE_CSS, type WebAssets } from './assets.js';
import type { WebConfig } from './config.js';

/** One request: a known path is served with its headers; any other method is 405, any other path 404. */
export function serveHttp(req: IncomingMessage, res: ServerResponse, assets: WebAssets, config: WebConfig): void {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  const common = {
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Resource-Policy': 'cross-origin',
  };
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { ...common, Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' }).end('Only GET here.\n');
    return;
  }
  const asset = (type: string, body: string) => {
    res.writeHead(200, { ...common, 'Content-Type': type, 'Cache-Control': 'public, max-age=300' });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
  if (path === '/') {
    const lang = langOf(req.headers['accept-language']);
    res.writeHead(200, {
      ...common,
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': csp(config),
      'Cache-Control': 'no-cache',
      'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), interest-cohort=()',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Resource-Policy': 'same-origin',
    });
    res.end(req.method === 'HEAD' ? undefined : assets.page(lang));
  } else if (path === '/widget.js') asset('text/javascript; charset=utf-8', assets.widgetJs);
  else if (path === '/widget.css') asset('text/css; charset=utf-8', assets.widgetCss);
  else if (path === '/page.css') asset('text/css; charset=utf-8', PAGE_CSS);
  else if (path === '/favicon.ico') res.writeHead(204, { ...common, 'Cache-Control': 'public, max-age=86400' }).end();
  else if (path === '/healthz') asset('text/plain; charset=utf-8', 'ok\n');
  else res.writeHead(404, { ...common, 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found.\n');
}

/** Nothing from anywhere else; framed only by the sites allowed to embed the chat. */
export function csp(config: WebConfig): string {
  const self = new URL(config.publicUrl);
  const ws = `${self.protocol === 'https:' ? 'wss' : 'ws'}://${self.host}`;
  const ancestors = config.origins.join(' ');
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    `connect-src 'self' ${ws}`,
    // blob: for a volunteer's picture: the page fetches it with the conversation's secret and shows it from memory.
    "img-src 'self' blob:",
    `frame-ancestors ${ancestors}`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/** The page's language from Accept-Language: the first the guide speaks, else French. */
export function langOf(header: string | undefined): Lang {
  for (const part of (header ?? '').split(',')) {
    const lang = langFromHint(part.split(';')[0]!.trim());
    if (lang) return lang;
  }
  return DEFAULT_LANG;
}

/**
 * The web chat's widget as a visitor downloads it: /widget.js (with the texts of both languages) and /widget.css,
 * gzipped. The target: under 30 KB compressed, script and style together.
 */
import { buildAssets, widgetGzipBytes } from '../src/adapters/web/assets.js';
import { createTexts } from '../src/render/i18n.js';
import type { Row } from './turns.js';

const TARGET_KB = 30;

export function benchWidget(): Row[] {
  const { js, css } = widgetGzipBytes(buildAssets(createTexts()));
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  return [
    { measure: 'web widget: script + style, gzip', value: kb(js + css), target: `≤ ${TARGET_KB} KB`, ok: js + css <= TARGET_KB * 1024 },
    { measure: '  of which widget.js / widget.css', value: `${kb(js)} / ${kb(css)}` },
  ];
}

/**
 * Text relayed between a person and a volunteer is shown by apps that honour Unicode's direction controls and by
 * terminals that honour control characters: "voir \u202egnp.exe" displays as "voir exe.png", an ANSI sequence can
 * repaint a terminal. Relayed words keep their letters, emoji, line breaks and tabs; what only steers the display
 * goes.
 */

/** C0 controls but tab and line feed, DEL, C1 controls; the bidi embeddings, overrides and isolates. */
const STEERING = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

export function safeForDisplay(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(STEERING, '');
}

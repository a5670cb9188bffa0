/**
 * Conventions about text, one copy each: the byte order mark, the root user, and text shortened
 * to one line for messages and labels.
 */

/** A text without its leading byte order mark, and whether it had one (offsets then start after it). */
export function stripBom(text: string): { text: string; bom: boolean } {
  return text.charCodeAt(0) === 0xfeff ? { text: text.slice(1), bom: true } : { text, bom: false };
}

/** `root`, `0`, `root:<group>`, `0:<gid>`: a USER (or `--user`, gosu) spec that runs as root. */
export const ROOT_USER = /^(root|0)(:.*)?$/;

/** A word written so the shell reads it back as is: bare when that is safe, else in single quotes. */
export function shellQuote(s: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(s)) return s;
  if (!s.includes("'")) return `'${s}'`;
  if (!/["$`\\!]/.test(s)) return `"${s}"`;
  return `'${s.replace(/'/g, "'\\''")}'`;
}

/** Text on one line (whitespace runs become one space), cut to `max` characters with `…`. */
export function oneLine(text: string, max: number): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

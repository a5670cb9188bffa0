/**
 * Terminal control characters from linted files (in names or lines) are shown escaped, never
 * sent to the terminal or a CI log: an ANSI sequence in a file name must not rewrite the output.
 */
export function escapeControl(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

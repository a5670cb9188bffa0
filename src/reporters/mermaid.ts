/**
 * `dockerlint explain --format mermaid`: the PID 1 chain of an image as a Mermaid flowchart,
 * which GitHub (and GitLab) render from a ```mermaid code block (the Action's job summary uses
 * it). One node per hop, top to bottom: a solid edge is an exec (same PID), a dashed one a child
 * process; a hop that is not PID 1 has a dashed border.
 *
 * Escaping: every label is quoted, and every character outside a small safe set is written as
 * Mermaid's `#<code>;` entity, so a file name or a script line can never end a label, add a node
 * or a link, or close the Markdown code block around the diagram (a backtick is `#96;`).
 */
import type { Explanation } from '../explain.js';

const SAFE = /[A-Za-z0-9 _.,:/@+=()-]/;

export function mermaidText(text: string): string {
  let out = '';
  for (const ch of text.replace(/\s+/g, ' ')) out += SAFE.test(ch) ? ch : `#${ch.codePointAt(0)};`;
  return out;
}

function short(text: string, max = 80): string {
  const chars = [...text];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : text;
}

export function formatMermaid(e: Explanation): string {
  const lines = ['flowchart TD'];
  const argv = e.argv.length ? short(JSON.stringify(e.argv)) : 'none: the base image decides';
  lines.push(`  start(["${mermaidText(`docker run: ${e.dockerfile} (stage ${e.stage})`)}<br/>${mermaidText(`argv of PID 1: ${argv}`)}"])`);
  if (e.hops.length === 0) {
    lines.push(`  none["${mermaidText(e.summary)}"]`, '  start --> none');
    return `${lines.join('\n')}\n`;
  }
  e.hops.forEach((h, i) => {
    const head = `${h.pid1 ? 'PID 1' : 'child'}: ${short(h.process)}`;
    const where = `user ${h.user} · ${h.at}`;
    const note = h.note ? `<br/><i>${mermaidText(short(h.note, 100))}</i>` : '';
    lines.push(`  h${i + 1}["${mermaidText(head)}<br/>${mermaidText(where)}${note}"]`);
  });
  e.hops.forEach((h, i) => {
    const from = i === 0 ? 'start' : `h${i}`;
    if (i === 0) lines.push(`  ${from} --> h1`);
    else lines.push(h.pid1 ? `  ${from} -->|exec, same PID| h${i + 1}` : `  ${from} -.->|child process| h${i + 1}`);
  });
  const children = e.hops.map((h, i) => (h.pid1 ? null : `h${i + 1}`)).filter((n) => n !== null);
  if (children.length > 0) lines.push('  classDef child stroke-dasharray: 5 5', `  class ${children.join(',')} child`);
  return `${lines.join('\n')}\n`;
}

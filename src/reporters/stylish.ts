/**
 * The default human output: findings grouped by file, then a summary line.
 *
 *   Dockerfile
 *     14:1  error  The main process ... runs as root ...  root-process
 *           fix: Add `USER <name>` ...
 *           via: Dockerfile:14 ENTRYPOINT -> docker-entrypoint.sh:22 gosu redis
 *
 * and, when some findings have fixes, how many `--fix` (and `--fix --unsafe-fixes`) would make.
 */
import { Chalk, type ChalkInstance } from 'chalk';
import { chainText, type Finding } from '../findings.js';
import { escapeControl } from './escape.js';

export function formatStylish(findings: Finding[], color: boolean): string {
  const c: ChalkInstance = new Chalk({ level: color ? 1 : 0 });
  if (findings.length === 0) return '';
  const out: string[] = [];
  let current: string | null = null;
  const counts = { error: 0, warning: 0, info: 0 };
  for (const f of findings) {
    counts[f.severity]++;
    if (f.file !== current) {
      if (current !== null) out.push('');
      out.push(c.underline(escapeControl(f.file)));
      current = f.file;
    }
    const paint = f.severity === 'error' ? c.red : f.severity === 'warning' ? c.yellow : c.blue;
    const pos = c.dim(`${f.line}:${f.column}`.padEnd(7));
    out.push(`  ${pos} ${paint(f.severity.padEnd(7))}  ${escapeControl(f.message)}  ${c.dim(f.rule)}`);
    if (f.hint) out.push(`          ${c.green('fix:')} ${escapeControl(f.hint)}`);
    if (f.related.length > 1) out.push(`          ${c.dim('via:')} ${c.dim(escapeControl(chainText(f)))}`);
  }
  const total = counts.error + counts.warning + counts.info;
  const summary = `${total} problem${total === 1 ? '' : 's'} (${counts.error} error${counts.error === 1 ? '' : 's'}, ${counts.warning} warning${counts.warning === 1 ? '' : 's'}${counts.info ? `, ${counts.info} info` : ''})`;
  out.push('', counts.error ? c.red.bold(`✖ ${summary}`) : c.yellow.bold(`⚠ ${summary}`));
  // As ESLint says it: how many of them `--fix` would repair.
  const safe = findings.filter((f) => f.fix?.safety === 'safe').length;
  const unsafe = findings.filter((f) => f.fix?.safety === 'unsafe').length;
  if (safe || unsafe) {
    const parts = [safe ? `${safe} fixable with \`--fix\`` : null, unsafe ? `${unsafe} more with \`--fix --unsafe-fixes\`` : null].filter(Boolean);
    out.push(c.dim(`  ${parts.join(', ')} (preview: \`--fix-dry-run\`)`));
  }
  out.push('');
  return out.join('\n');
}

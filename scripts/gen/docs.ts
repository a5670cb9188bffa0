/**
 * Documentation generated from rule metadata and fixtures: one page per rule (and pseudo-rule)
 * under docs/rules/, the rule table of README.md and the hadolint/BuildKit tables of
 * docs/suppressions.md (each between `<!-- name:start ... -->` and `<!-- name:end -->` markers).
 * A page's examples are the rule's tested fixture cases, with the findings they expect.
 */
import { RULES } from '../../src/rules/index.js';
import { CATEGORIES, peersOf, type Category, type DiagnosticMeta, type Peers, type Rule } from '../../src/rules/rule.js';

/** A fixture case shown on a page: its files and the findings it expects. */
export interface Example {
  /** `fixtures/<rule>/<case>` or `fixtures/<rule>/cases.txt` (`bad: <title>`). */
  where: string;
  files: { name: string; text: string }[];
  /** The expected findings (bad cases). */
  expected: string;
}

const fence = (lang: string, text: string): string => {
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const ticks = '`'.repeat(longest + 1);
  return [`${ticks}${lang}`, text.replace(/\n$/, ''), ticks].join('\n');
};
const langOf = (name: string, text: string): string =>
  /Dockerfile|\.dockerfile$/i.test(name) ? 'dockerfile' : text.startsWith('#!') || name.endsWith('.sh') ? 'sh' : /\.[cm]?[jt]s$/.test(name) ? 'js' : /\.ya?ml$/.test(name) ? 'yaml' : /\.json$/.test(name) ? 'json' : 'text';

function showExample(e: Example): string[] {
  const out: string[] = [`From [\`${e.where}\`](../../${e.where.replace(/ \(.*$/, '')}):`, ''];
  for (const f of e.files) {
    if (e.files.length > 1) out.push(`\`${f.name}\`:`, '');
    out.push(fence(langOf(f.name, f.text), f.text), '');
  }
  if (e.expected) out.push('dockerlint reports:', '', fence('text', e.expected), '');
  return out;
}

/** Every page under docs/rules/: the rules, then the pseudo-rules. */
export function rulePage(rule: DiagnosticMeta, examples: { bad: Example | null; good: Example | null }): string {
  const d = rule.docs;
  const isRule = RULES.some((r) => r.id === rule.id);
  const full = isRule ? (rule as Rule) : null;
  const snippet = (text: string): string => fence(text.startsWith('#!') ? 'sh' : 'dockerfile', text);
  const facts = [
    `default severity: \`${rule.severity}\``,
    `category: \`${rule.category}\``,
    isRule ? (rule.recommended ? 'in the `recommended` preset' : 'only in the `all` preset') : null,
    rule.fixable ? 'fixable' : null,
  ].filter(Boolean);
  return [
    `<!-- generated from src/rules/${rule.id}.ts by npm run gen: edit the rule, not this page -->`,
    '',
    `# ${rule.id}`,
    '',
    `**${rule.title}** — ${facts.join(', ')}`,
    '',
    '## What it flags',
    '',
    d.what,
    '',
    '## Why it breaks at runtime',
    '',
    d.why,
    '',
    '## Example',
    '',
    ...(examples.bad ? showExample(examples.bad) : [snippet(d.bad), '']),
    '## Fix',
    '',
    d.howToFix,
    '',
    ...(examples.good ? showExample(examples.good) : [snippet(d.good), '']),
    ...(d.autofix?.length
      ? [
          '### Automatic fixes',
          '',
          ...d.autofix.map((a) => `- **${a.safety}** (\`dockerlint --fix${a.safety === 'unsafe' ? ' --unsafe-fixes' : ''}\`): ${a.what}. ${a.why.charAt(0).toUpperCase()}${a.why.slice(1)}.`),
          '',
        ]
      : []),
    ...(full
      ? [
          '## Messages',
          '',
          ...Object.entries(full.messages).map(([id, m]) => `- \`${id}\`: ${m.message}${m.hint ? ` (hint: ${m.hint})` : ''}`),
          '',
        ]
      : []),
    ...(full?.options
      ? ['## Options', '', fence('json', JSON.stringify({ schema: full.options.schema, defaults: full.options.defaults }, null, 2)), '']
      : []),
    ...(isRule
      ? ['## Fixtures', '', `[\`fixtures/${rule.id}/\`](../../fixtures/${rule.id}/) holds the cases that make this rule fire and that must keep it silent, each with the findings it expects.`, '']
      : []),
    '## Equivalents in other tools',
    '',
    equivalents(rule),
    '',
  ].join('\n');
}

const PEER_TOOLS: Record<keyof Peers, { name: string; url: (code: string) => string; comment: (code: string) => string | null }> = {
  hadolint: { name: 'hadolint', url: (c) => `https://github.com/hadolint/hadolint/wiki/${c}`, comment: (c) => `# hadolint ignore=${c}` },
  buildkit: {
    name: 'BuildKit',
    url: (c) => `https://docs.docker.com/reference/build-checks/${c.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase()}/`,
    comment: (c) => `# check=skip=${c}`,
  },
  shellcheck: { name: 'ShellCheck', url: (c) => `https://www.shellcheck.net/wiki/${c}`, comment: () => null },
};

/** The "Equivalents in other tools" section, from the rule's `peers`. */
function equivalents(rule: DiagnosticMeta): string {
  const lines: string[] = [];
  for (const tool of Object.keys(PEER_TOOLS) as (keyof Peers)[]) {
    const t = PEER_TOOLS[tool];
    for (const p of peersOf(rule, tool)) {
      const comment = t.comment(p.code);
      const suppresses = comment !== null && p.suppresses !== false;
      const only = p.messages ? `its \`${p.messages.join('`, `')}\` findings` : '';
      const detail = [only, p.note].filter(Boolean).join('; ');
      const how = p.equivalent === false ? ` (related, not an equivalent${detail ? `: ${detail}` : ''})` : detail ? ` (${detail})` : '';
      lines.push(`- ${t.name} [${p.code}](${t.url(p.code)})${how}${suppresses ? `; \`${comment}\` also silences ${p.messages ? 'them' : 'this rule'}` : ''}`);
    }
  }
  if (lines.length) return lines.join('\n');
  return rule.docs.noPeers ?? 'None: this check needs both the Dockerfile and the script it starts.';
}

/** The README rule table, a section per category. */
export function ruleTable(rules: readonly Rule[] = RULES): string {
  const out: string[] = [];
  for (const category of Object.keys(CATEGORIES) as Category[]) {
    const inCategory = rules.filter((r) => r.category === category);
    if (!inCategory.length) continue;
    out.push(`**${CATEGORIES[category]}** (\`${category}\`)`, '', '| rule | default | preset | what it flags |', '|---|---|---|---|');
    for (const r of inCategory) out.push(`| [\`${r.id}\`](docs/rules/${r.id}.md) | ${r.severity} | ${r.recommended ? 'recommended' : 'all'} | ${r.title}${r.fixable ? ' (fixable)' : ''} |`);
    out.push('');
  }
  return out.join('\n').replace(/\n$/, '');
}

/** The code-to-rule table of docs/migrating-from-hadolint.md, for one peer tool. */
export function migrationTable(tool: 'hadolint' | 'buildkit', rules: readonly Rule[] = RULES): string {
  const rows = new Map<string, Rule[]>();
  const related = new Set<string>();
  for (const r of rules) {
    for (const p of peersOf(r, tool)) {
      rows.set(p.code, [...(rows.get(p.code) ?? []), r]);
      if (p.equivalent === false) related.add(`${p.code} ${r.id}`);
    }
  }
  const head = tool === 'hadolint' ? '| hadolint | dockerlint rule | preset | default |' : '| BuildKit check | dockerlint rule | preset | default |';
  const lines = [...rows.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([code, rs]) => `| ${code} | ${rs.map((r) => `[\`${r.id}\`](rules/${r.id}.md)${related.has(`${code} ${r.id}`) ? ' (related)' : ''}`).join(', ')} | ${rs.map((r) => (r.recommended ? 'recommended' : 'all')).join(', ')} | ${rs.map((r) => r.severity).join(', ')} |`);
  return [head, '|---|---|---|---|', ...lines].join('\n');
}

/** A peer's suppression table for docs/suppressions.md. */
export function peerTable(tool: 'hadolint' | 'buildkit', rules: readonly Rule[] = RULES): string {
  const rows = new Map<string, string[]>();
  for (const r of rules) {
    for (const p of peersOf(r, tool)) {
      if (p.suppresses === false) continue;
      const row = rows.get(p.code) ?? [];
      const detail = [p.messages ? `its \`${p.messages.join('`, `')}\` findings` : '', p.note].filter(Boolean).join('; ');
      row.push(`\`${r.id}\`${detail ? ` (${detail})` : ''}`);
      rows.set(p.code, row);
    }
  }
  const head = tool === 'hadolint' ? '| hadolint code | silences these dockerlint rules |' : '| BuildKit check | silences these dockerlint rules, for the whole file |';
  const lines = [...rows.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([code, ids]) => `| ${code} | ${ids.join(', ')} |`);
  return [head, '|---|---|', ...lines].join('\n');
}

/** Replaces the text between `<!-- name:start ... -->` and `<!-- name:end -->`. */
export function replaceSection(text: string, name: string, body: string, file: string): string {
  const start = new RegExp(`<!-- ${name}:start[^>]*-->`).exec(text);
  const endMarker = `<!-- ${name}:end -->`;
  const end = text.indexOf(endMarker);
  if (!start || end < start.index) throw new Error(`${file} has no ${name}:start/${name}:end markers`);
  const open = start.index + start[0].length;
  return `${text.slice(0, open)}\n${body}\n${text.slice(end)}`;
}

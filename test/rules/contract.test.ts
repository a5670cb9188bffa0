/**
 * The rule contract: messages with placeholders, typed reports, fills, metadata of every rule.
 * The `@ts-expect-error` lines are the compile-time half: `npm run typecheck` fails if any of
 * them stops being an error.
 */
import { CATEGORIES, defineRule, fillMessage, peersOf, type RuleContext } from '../../src/rules/rule.js';
import { DIAGNOSTICS, RULES } from '../../src/rules/index.js';
import { peerSuppressions } from '../../src/suppressions.js';

const messages = {
  plain: { message: 'No placeholder here.' },
  named: { message: '`{cmd}` on line {line}.', hint: 'Write `{cmd} --flag`.' },
} as const;

function typedReports(ctx: RuleContext<typeof messages>): void {
  const at = { file: 'Dockerfile', span: { line: 1, column: 1, endLine: 1, endColumn: 2 } };
  ctx.report({ at, messageId: 'plain' });
  ctx.report({ at, messageId: 'named', data: { cmd: 'apt-get', line: 3 } });
  // @ts-expect-error an unknown message id
  ctx.report({ at, messageId: 'nope' });
  // @ts-expect-error a missing placeholder
  ctx.report({ at, messageId: 'named', data: { cmd: 'apt-get' } });
  // @ts-expect-error no data at all for a message with placeholders
  ctx.report({ at, messageId: 'named' });
  // @ts-expect-error an unknown placeholder
  ctx.report({ at, messageId: 'named', data: { cmd: 'x', line: 1, extra: 1 } });
}
void typedReports;

const message = 'built with ' + String(1);
defineRule({
  id: 'x',
  severity: 'info',
  category: 'style',
  recommended: false,
  title: 't',
  peers: {},
  // @ts-expect-error a message that is not one string literal cannot have its placeholders checked
  messages: { m: { message } },
  docs: { what: '', why: '', bad: '', good: '', howToFix: '' },
  check() {},
});

describe('messages', () => {
  test('placeholders are filled once, from data; unknown ones stay as written', () => {
    expect(fillMessage('`{cmd}` on {line}', { cmd: 'echo {line}', line: 3 })).toBe('`echo {line}` on 3');
    expect(fillMessage('{a} and {b}', { a: 'x' })).toBe('x and {b}');
    expect(fillMessage('${HOME} {x}', { x: 1 })).toBe('${HOME} 1');
  });

  test.each(RULES.map((r) => [r.id, r] as const))('%s: message ids are camelCase, texts are sentences', (_id, rule) => {
    const ids = Object.keys(rule.messages);
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) {
      expect(id).toMatch(/^[a-z][A-Za-z0-9]*$/);
      const spec = rule.messages[id];
      expect(spec?.message).toMatch(/[.)}]$/);
      if (spec?.hint !== undefined) expect(spec.hint).toMatch(/[.)`]$/);
    }
  });
});

describe('metadata', () => {
  test.each([...RULES, ...DIAGNOSTICS].map((r) => [r.id, r] as const))('%s: category, peers, docs', (_id, rule) => {
    expect(Object.keys(CATEGORIES)).toContain(rule.category);
    expect(typeof rule.recommended).toBe('boolean');
    expect(typeof rule.fixable).toBe('boolean');
    for (const tool of Object.keys(rule.peers)) expect(['hadolint', 'buildkit', 'shellcheck']).toContain(tool);
    for (const key of ['what', 'why', 'bad', 'good', 'howToFix'] as const) expect(rule.docs[key].length).toBeGreaterThan(10);
  });

  test('the hadolint and BuildKit suppression tables come from peers', () => {
    const hadolint = peerSuppressions('hadolint');
    const buildkit = peerSuppressions('buildkit');
    expect(hadolint).toMatchObject({ DL3002: ['last-user-root', 'root-process'], DL3004: ['sudo-in-run'], DL3008: ['apt-get-version-pin'], DL3025: ['invalid-exec-form', 'json-args', 'shell-form-pid1'] });
    expect(buildkit).toMatchObject({ JSONArgsRecommended: ['invalid-exec-form', 'json-args', 'shell-form-pid1'], MultipleInstructionsDisallowed: ['multiple-cmd', 'multiple-entrypoint', 'multiple-healthcheck'] });
    // Every code maps to rules (or `rule#messageId`, for a code that stands for some of a rule's
    // messages) that exist, and every suppressing peer code of every rule is in the table.
    expect(buildkit).toMatchObject({ StageNameCasing: ['stage-name-casing#name'], FromAsCasing: ['stage-name-casing#asCasing'] });
    const byId = new Map(RULES.map((r) => [r.id, r]));
    for (const table of [hadolint, buildkit]) {
      for (const list of Object.values(table)) {
        for (const entry of list) {
          const [id, message] = entry.split('#') as [string, string | undefined];
          expect(byId.has(id)).toBe(true);
          if (message !== undefined) expect(Object.keys(byId.get(id)?.messages ?? {})).toContain(message);
        }
      }
    }
    for (const tool of ['hadolint', 'buildkit'] as const) {
      const table = tool === 'hadolint' ? hadolint : buildkit;
      for (const r of RULES) for (const p of peersOf(r, tool)) if (p.suppresses !== false) for (const e of p.messages ? p.messages.map((m) => `${r.id}#${m}`) : [r.id]) expect(table[p.code]).toContain(e);
    }
    // su-sudo names DL3004 as a partial peer that does not silence it.
    expect(RULES.find((r) => r.id === 'su-sudo')?.peers.hadolint).toContainEqual(expect.objectContaining({ code: 'DL3004', suppresses: false }));
  });
});

/** Runs a script through the evaluator for an invocation, and prints its endings compactly. */
import { loadShellParser, type ShellParser } from '../../../src/parsers/shell.js';
import { interpret, type Ending, type Host, type ScriptRun } from '../../../src/model/evaluator/interpreter.js';
import type { ScriptFile, Var } from '../../../src/model/evaluator/state.js';
import { lit, showArgv, showUser, userFromSpec, USER_COMMAND, type Field, type UserValue } from '../../../src/model/evaluator/values.js';
import type { Dialect } from '../../../src/parsers/shell-ast.js';

let parser: ShellParser | null = null;
export async function setup(): Promise<void> {
  parser ??= await loadShellParser();
}

export interface RunSpec {
  /** Arguments: literal CMD words, or 'user' for the user-command run. */
  args?: string[] | 'user';
  user?: string;
  env?: Record<string, string | null>;
  dialect?: Dialect;
  /** Files that `. path` finds. */
  files?: Record<string, string>;
  /** Programs of the base image that dockerlint models and the build does not provide (they end with exec). */
  baseImagePrograms?: string[];
  /** What pathname patterns match in the image (absent: not known). */
  glob?: Record<string, string[]>;
  /** Absolute paths the build puts in the image (COPY/ADD); with `cwd`, file tests on the CMD's program are decided. */
  provides?: string[];
  /** The working directory (`$PWD`, from WORKDIR). */
  cwd?: string;
  /** Rewrites the parsed script before it runs (to build shapes the parser refuses, such as 5,000 nested ifs). */
  transform?: (ast: import('../../../src/parsers/shell-ast.js').ShellFile) => import('../../../src/parsers/shell-ast.js').ShellFile;
}

function file(path: string, text: string): ScriptFile {
  return { path, text, spanOf: (p, e) => ({ line: p[0], column: p[1], endLine: e[0], endColumn: e[1] }) };
}

export function run(src: string, spec: RunSpec = {}): ScriptRun {
  if (!parser) throw new Error('call setup() first');
  const p = parser;
  const dialect = spec.dialect ?? (src.startsWith('#!/bin/bash') || src.startsWith('#!/usr/bin/env bash') ? 'bash' : 'posix');
  const parsed = p.parse(src, dialect);
  if (!parsed.ok) throw new Error(parsed.error.message);
  const args = spec.args ?? ['server'];
  const params: Field[] = args === 'user' ? [{ s: USER_COMMAND, arg: 0 }] : args.map((s, i) => ({ s, arg: i }));
  const vars = new Map<string, Var>();
  for (const [k, v] of Object.entries(spec.env ?? {})) vars.set(k, { kind: 'scalar', value: v === null ? { s: null } : lit(v) });
  if (spec.cwd) vars.set('PWD', { kind: 'scalar', value: lit(spec.cwd) });
  const user: UserValue = spec.user ? userFromSpec(spec.user, `USER ${spec.user}`) : userFromSpec('root', 'no USER');
  const host: Host = {
    bash: dialect === 'bash',
    parse: (text) => {
      const r = p.parse(text, dialect);
      return r.ok ? r.file : null;
    },
    source: (path) => {
      const text = spec.files?.[path];
      if (text === undefined) return null;
      const r = p.parse(text, dialect);
      return r.ok ? { ast: r.file, file: file(path, text) } : null;
    },
    glob: (pattern) => spec.glob?.[pattern] ?? null,
    baseImageProgram: (path) => (spec.baseImagePrograms ?? []).includes(path),
  };
  return interpret(
    { file: file('entrypoint.sh', src), ast: spec.transform ? spec.transform(parsed.file) : parsed.file, arg0: lit('/usr/local/bin/entrypoint.sh'), params, user, vars, argLabel: (i) => (args === 'user' ? 'the user command' : `from CMD, word ${i + 1}`),
      // The first CMD word is the program the image's CMD names.
      argIsImageCommand: (i) => args !== 'user' && i === 0,
      ...(spec.provides ? { imageProvides: (path: string) => (spec.provides ?? []).includes(path) } : {}) },
    host,
  );
}

/** `exec gosu app server [app]`, `end [root] after chown`, `exit 1`: one line per non-error ending. */
export function endings(src: string, spec: RunSpec = {}, withErrors = false): string[] {
  return run(src, spec)
    .endings.filter((e) => withErrors || !e.failed)
    .map(describe)
    .sort();
}

export function describe(e: Ending): string {
  const user = `[${showUser(e.user)}]`;
  const line = e.cmd ? e.cmd.file.spanOf(e.cmd.stmt.p, e.cmd.stmt.e).line : '-';
  if (e.kind === 'exec') return `exec ${showArgv(e.argv)} ${user}@${line}`;
  if (e.kind === 'exit') return `exit ${e.code?.s ?? '?'} ${user}@${line}`;
  const last = e.last.map((l) => l.file.text.slice(l.stmt.p[2], l.stmt.e[2]).split(/\s+/)[0]).join('|');
  if (e.kind === 'loop') return `loop ${user}@${e.loop ? e.loop.file.spanOf(e.loop.stmt.p, e.loop.stmt.e).line : '-'}${last ? ` after ${last}` : ''}`;
  return `end ${user}${last ? ` after ${last}` : ''}`;
}

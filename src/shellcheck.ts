/**
 * Optional ShellCheck (`shellcheck: true`, `--shellcheck`): each shell-form RUN body, in the
 * dialect of the stage's SHELL (ONBUILD RUN included), and each entrypoint script the start-up
 * reaches, go to the host's `shellcheck` program on stdin; its findings come back as
 * `shellcheck/SCxxxx` findings at their place in the Dockerfile (through line continuations and
 * heredocs) or the script.
 *
 * Nothing from the repository is executed: the program is looked up on PATH outside the
 * repository (and the current folder), is given text on stdin only, runs with `--norc` (a
 * repository's `.shellcheckrc` is not read) and never follows `source`d files. As hadolint does,
 * SC2187 (ash is not supported), SC1090 and SC1091 (sourced files that cannot be given) are left
 * out, and a RUN body is preceded by `export NAME=1` for each ARG and ENV of the Dockerfile (and
 * the proxy variables) so that those count as set.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { spanFinding, type Finding, type Related, type Severity } from './findings.js';
import { keyValues, type DockerfileView } from './model/instructions.js';
import type { ScriptUnit } from './model/launch.js';
import { runShellText } from './parsers/dockerfile.js';
import type { Dialect } from './parsers/shell-ast.js';
import type { Span } from './parsers/source.js';
import { isName } from './parsers/variables.js';

/** The prefix of the rule ids of ShellCheck's findings. */
export const SHELLCHECK_PREFIX = 'shellcheck/';
/** `shellcheck/SC2086`. */
export const SHELLCHECK_ID = /^shellcheck\/SC\d{4}$/;
/** Left out as hadolint leaves them out. */
export const DEFAULT_EXCLUDES = ['SC2187', 'SC1090', 'SC1091'] as const;
const PROXY_VARS = ['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy', 'FTP_PROXY', 'ftp_proxy', 'NO_PROXY', 'no_proxy'];
const SHELL_OF: Record<Dialect, string> = { posix: 'sh', bash: 'bash', mksh: 'ksh' };
const LEVEL: Record<string, Severity> = { error: 'error', warning: 'warning', info: 'info', style: 'info' };
const TIMEOUT_MS = 20_000;
const MAX_OUTPUT = 8 * 1024 * 1024;
/** Programs run at once for one Dockerfile. */
const PARALLEL = 4;

interface Comment {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  level: string;
  code: number;
  message: string;
}

/**
 * The `shellcheck` program on PATH, skipping relative PATH entries and folders inside `inside`
 * (the repository and the current folder): null when there is none.
 */
export function findShellcheck(inside: readonly string[], pathVar = process.env.PATH ?? ''): string | null {
  const roots = inside.map((r) => path.resolve(r));
  for (const dir of pathVar.split(path.delimiter)) {
    if (!dir || !path.isAbsolute(dir)) continue;
    let real: string;
    try {
      real = fs.realpathSync(dir);
    } catch {
      continue;
    }
    if (roots.some((r) => real === r || real.startsWith(r + path.sep) || dir === r || dir.startsWith(r + path.sep))) continue;
    const file = path.join(real, 'shellcheck');
    try {
      const st = fs.statSync(file);
      if (!st.isFile()) continue;
      fs.accessSync(file, fs.constants.X_OK);
      const resolved = fs.realpathSync(file);
      if (roots.some((r) => resolved.startsWith(r + path.sep))) continue;
      return resolved;
    } catch {
      continue;
    }
  }
  return null;
}

/** Runs the program on `text` and returns its comments, or a one-line reason it could not. */
function runOn(binary: string, text: string, shell: string): Promise<Comment[] | { error: string }> {
  return new Promise((resolve) => {
    const args = ['--norc', '-f', 'json1', '-s', shell, '-e', DEFAULT_EXCLUDES.join(','), '-'];
    const child = spawn(binary, args, { cwd: path.parse(process.cwd()).root, env: { PATH: '/usr/bin:/bin', LANG: 'C.UTF-8' }, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let size = 0;
    let err = '';
    let done = false;
    const finish = (r: Comment[] | { error: string }): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(r);
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish({ error: `shellcheck took longer than ${TIMEOUT_MS / 1000} s` });
    }, TIMEOUT_MS);
    child.stdout.on('data', (b: Buffer) => {
      size += b.length;
      if (size > MAX_OUTPUT) {
        child.kill('SIGKILL');
        finish({ error: 'shellcheck wrote more than 8 MB' });
      } else out.push(b);
    });
    child.stderr.on('data', (b: Buffer) => {
      if (err.length < 2000) err += b.toString('utf8');
    });
    child.on('error', (e) => finish({ error: e.message }));
    child.on('close', (code) => {
      // 0: no comments, 1: comments; anything else is a failure of the program.
      if (code !== 0 && code !== 1) return finish({ error: `shellcheck exited with ${String(code)}${err ? `: ${err.trim().split('\n')[0]}` : ''}` });
      try {
        const parsed = JSON.parse(Buffer.concat(out).toString('utf8')) as { comments?: Comment[] };
        finish(Array.isArray(parsed.comments) ? parsed.comments : []);
      } catch {
        finish({ error: 'shellcheck wrote output that is not JSON' });
      }
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(text);
  });
}

/** Offsets of the starts of the lines of `text`. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  return starts;
}

interface Job {
  text: string;
  dialect: Dialect;
  /** Lines put before the text (not reported). */
  prefixLines: number;
  file: string;
  /** A place in the checked text (offset range) as a span in `file`. */
  spanOf(start: number, end: number, line: number, column: number, endLine: number, endColumn: number): Span;
  chain: Related[];
}

export interface ShellcheckRun {
  binary: string | null;
  /** Severity per rule id from the configuration and flags (`shellcheck/SC2086: off`). */
  severities: Record<string, Severity | 'off'> | undefined;
  /** Time by which the file's lint must end (ms since the epoch). */
  deadline: number;
}

/** ShellCheck's findings on the RUN bodies of `view` and the entrypoint scripts `scripts`. */
export async function shellcheckFindings(view: DockerfileView, scripts: readonly ScriptUnit[], dockerfile: string, run: ShellcheckRun): Promise<Finding[]> {
  const whole = { line: 1, column: 1, endLine: 1, endColumn: 1 };
  if (!run.binary) {
    return [
      spanFinding(
        'input-error',
        'info',
        dockerfile,
        whole,
        'ShellCheck is on (`shellcheck: true` or `--shellcheck`) but no `shellcheck` program was found on PATH outside the repository: RUN bodies and entrypoint scripts were not given to it',
        'Install ShellCheck (`apt-get install shellcheck`, `brew install shellcheck`), or turn the option off.',
      ),
    ];
  }
  const jobs: Job[] = [];
  const names = new Set(PROXY_VARS);
  for (const v of view.instructions) {
    if (v.keyword !== 'ARG' && v.keyword !== 'ENV') continue;
    for (const kv of keyValues(v.inst, view.ast.escape)) if (isName(kv.key)) names.add(kv.key);
  }
  const prefix = [...names].sort().map((n) => `export ${n}=1\n`).join('');
  const prefixLines = names.size;
  for (const v of view.instructions) {
    if (v.keyword !== 'RUN') continue;
    const cmds = await view.run(v);
    if (cmds.form.kind !== 'shell' || cmds.dialect === null) continue;
    const body = runShellText(v.inst);
    if (body.text.trim() === '') continue;
    const starts = lineStarts(body.text);
    jobs.push({
      text: prefix + body.text,
      dialect: cmds.dialect,
      prefixLines,
      file: dockerfile,
      spanOf: (_s, _e, line, column, endLine, endColumn) => {
        const at = (l: number, c: number): number => Math.min(body.text.length, (starts[l - 1] ?? body.text.length) + c - 1);
        const s = at(line, column);
        return body.spanOf(s, Math.max(s, at(endLine, endColumn)));
      },
      chain: [],
    });
  }
  for (const unit of scripts) {
    if (unit.kind !== 'file' || unit.ast === null) continue;
    const text = unit.source.text;
    const starts = lineStarts(text);
    jobs.push({
      text,
      dialect: unit.dialect,
      prefixLines: 0,
      file: unit.source.file.displayPath,
      spanOf: (_s, _e, line, column, endLine, endColumn) => {
        const off = (l: number, c: number): number => Math.min(text.length, (starts[l - 1] ?? text.length) + c - 1);
        return unit.source.spanOf([line, column, off(line, column)], [endLine, endColumn, off(endLine, endColumn)]);
      },
      chain: [{ file: unit.startedAt.file, line: unit.startedAt.span.line, column: unit.startedAt.span.column, message: unit.startedAt.label }],
    });
  }

  const findings: Finding[] = [];
  const failures = new Set<string>();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const job = jobs[next++] as Job;
      if (Date.now() >= run.deadline) {
        failures.add('the file\'s time budget ran out before every body was checked');
        return;
      }
      const r = await runOn(run.binary as string, job.text, SHELL_OF[job.dialect]);
      if ('error' in r) {
        failures.add(r.error);
        continue;
      }
      for (const c of r) {
        const line = c.line - job.prefixLines;
        const endLine = c.endLine - job.prefixLines;
        if (line < 1 || !Number.isInteger(c.code)) continue;
        const id = `${SHELLCHECK_PREFIX}SC${c.code}`;
        const severity = run.severities?.[id] ?? LEVEL[c.level] ?? 'info';
        if (severity === 'off') continue;
        const span = job.spanOf(0, 0, line, c.column, Math.max(line, endLine), c.endColumn);
        findings.push(
          spanFinding(id, severity, job.file, span, c.message, `See https://www.shellcheck.net/wiki/SC${c.code}`, [
            ...job.chain,
            { file: job.file, line: span.line, column: span.column, message: '' },
          ]),
        );
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, jobs.length) }, worker));
  for (const f of failures) findings.push(spanFinding('input-error', 'info', dockerfile, whole, `ShellCheck could not check everything: ${f}`));
  return findings;
}

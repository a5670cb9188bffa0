import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchOf, type Prepared } from '../../src/engine.js';
import type { Fix } from '../../src/findings.js';
import { editFile, bytesOf, type FixFile } from '../../src/fix/files.js';
import { argsFix, bomFix, chmodFix, crlfFix, execFix, execFormSwitchFix, gosuFix, pseudoJsonFix, shebangFix, shellFormFix } from '../../src/fix/builders/pid1.js';
import { execFormStrings, insertExecFormWord, pseudoJsonStrings } from '../../src/fix/builders/dockerfile.js';
import { commandForm } from '../../src/parsers/dockerfile.js';
import { ShellService } from '../../src/model/shell-service.js';
import { collectRunFacts } from '../../src/model/run-facts.js';
import type { CmdRef } from '../../src/model/evaluator/state.js';
import { scriptFile } from '../../src/model/evaluator/invocations.js';
import { wordLiteral } from '../../src/model/commands.js';
import { forEachCall } from '../../src/parsers/shell-walk.js';
import type { ScriptUnit } from '../../src/model/launch.js';
import type { Stmt } from '../../src/parsers/shell-ast.js';
import { prependExec } from '../../src/fix/builders/shell.js';
import { writeFileIn } from '../helpers.js';

const shell = new ShellService();
let dir: string;
beforeEach(() => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dockerlint-builders-')));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const write = (rel: string, text: string | Buffer, mode?: number): string => writeFileIn(dir, rel, text, mode);

async function prepare(dockerfile: string, files: Record<string, string> = {}): Promise<Prepared> {
  write('Dockerfile', dockerfile);
  for (const [rel, text] of Object.entries(files)) write(rel, text, 0o755);
  const p = await launchOf({ path: path.join(dir, 'Dockerfile') }, { cwd: dir, shell });
  if (Array.isArray(p)) throw new Error(p.map((f) => f.message).join('; '));
  return p;
}

/** The files after the fix, by the name they are shown as. */
function applied(fix: Fix | null): Record<string, string> {
  if (!fix) throw new Error('no fix');
  const out: Record<string, string> = {};
  const byFile = new Map<string, Fix['edits']>();
  for (const e of fix.edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
  for (const [file, edits] of byFile) {
    let text = fs.readFileSync(path.join(dir, file), 'utf8');
    const bom = text.charCodeAt(0) === 0xfeff;
    if (bom) text = text.slice(1);
    const f: FixFile = { path: file, bom, text, mode: 0o644 };
    out[file] = bytesOf(editFile(f, edits)).toString('utf8');
  }
  return out;
}

function shellStep(p: Prepared) {
  const step = p.launch.steps.find((s) => s.kind === 'shell');
  if (!step || step.kind !== 'shell') throw new Error('no shell step');
  return step;
}

function script(p: Prepared): ScriptUnit {
  const unit = p.launch.scripts.find((u) => u.kind === 'file');
  if (!unit) throw new Error('no script');
  return unit;
}

/** The commands of a script, in source order, as the evaluator refers to them. */
function calls(unit: ScriptUnit): (CmdRef & { name: string | null })[] {
  const out: (CmdRef & { name: string | null })[] = [];
  if (!unit.ast) return out;
  const file = scriptFile(unit);
  forEachCall(unit.ast.stmts, (call, stmt) => {
    const words = call.args.map(wordLiteral);
    const i = words[0] === 'exec' ? 1 : 0;
    const first = call.args[i];
    const name = first ? (unit.source.text.slice(first.p[2], first.e[2]) === '"$@"' ? '"$@"' : (words[i] ?? null)) : null;
    out.push({ stmt, call, file, via: [], sourcedVia: [], name });
    // `gosu redis "$@"` also runs the arguments: listed again under '"$@"'.
    if (name && ['gosu', 'su-exec', 'su', 'sudo'].includes(name) && call.args.some((w) => unit.source.text.slice(w.p[2], w.e[2]) === '"$@"')) out.push({ stmt, call, file, via: [], sourcedVia: [], name: '"$@"' });
  });
  return out;
}

function command(unit: ScriptUnit, name: string, nth = 0): CmdRef {
  const c = calls(unit).filter((x) => x.name === name)[nth];
  if (!c) throw new Error(`no ${name}`);
  return c;
}

/** The last command of the script. */
function lastCommand(unit: ScriptUnit): CmdRef | undefined {
  const all = calls(unit);
  return all[all.length - 1];
}

describe('shell form to exec form', () => {
  test.each([
    ['CMD python app.py', 'CMD ["python", "app.py"]'],
    ['ENTRYPOINT "/app/run.sh"', 'ENTRYPOINT ["/app/run.sh"]'],
    ["CMD node 'server with space.js' --port=80", 'CMD ["node", "server with space.js", "--port=80"]'],
    ['CMD python \\\n    app.py \\\n    --verbose', 'CMD ["python", "app.py", "--verbose"]'],
    ['CMD echo "a \\"quoted\\" word" \\$HOME', 'CMD ["echo", "a \\"quoted\\" word", "$HOME"]'],
  ])('%s', async (line, fixed) => {
    const p = await prepare(`FROM python:3.12-slim\n${line}\n`);
    const fix = shellFormFix(shellStep(p), p.launch, p.file);
    expect(fix?.safety).toBe('safe');
    expect(applied(fix)['Dockerfile']).toBe(`FROM python:3.12-slim\n${fixed}\n`);
  });

  test('a shell-form ENTRYPOINT with a CMD: exec form would now get the CMD as arguments, so unsafe', async () => {
    const p = await prepare('FROM alpine\nENTRYPOINT /app/server\nCMD ["--help"]\n');
    const fix = shellFormFix(shellStep(p), p.launch, p.file);
    expect(fix?.safety).toBe('unsafe');
    expect(applied(fix)['Dockerfile']).toBe('FROM alpine\nENTRYPOINT ["/app/server"]\nCMD ["--help"]\n');
  });

  test.each([
    ['CMD python app.py --port $PORT', 'CMD exec python app.py --port $PORT'],
    ['CMD cd /app && python app.py', 'CMD cd /app && exec python app.py'],
    ['CMD ls *.txt', 'CMD exec ls *.txt'],
    ['CMD python app.py > /proc/1/fd/1', 'CMD exec python app.py > /proc/1/fd/1'],
    ['CMD ["sh", "-c", "cd /app && python app.py"]', 'CMD ["sh", "-c", "cd /app && exec python app.py"]'],
    ['CMD if [ -n "$DEBUG" ]; then python -X dev app.py; else python app.py; fi', 'CMD if [ -n "$DEBUG" ]; then exec python -X dev app.py; else exec python app.py; fi'],
  ])('shell features: exec in front of the last command, unsafe: %s', async (line, fixed) => {
    const p = await prepare(`FROM python:3.12-slim\n${line}\n`);
    const fix = shellFormFix(shellStep(p), p.launch, p.file);
    expect(fix?.safety).toBe('unsafe');
    expect(applied(fix)['Dockerfile']).toBe(`FROM python:3.12-slim\n${fixed}\n`);
  });

  test.each([
    ['a pipeline', 'CMD python app.py | tee /log'],
    ['a background job last', 'CMD python app.py &'],
    ['a loop', 'CMD while true; do python app.py; done'],
    ['a builtin last', 'CMD python app.py; wait'],
    ['a Windows shell', 'SHELL ["cmd", "/S", "/C"]\nCMD python app.py'],
  ])('no fix for %s', async (_name, line) => {
    const p = await prepare(`FROM python:3.12-slim\n${line}\n`);
    const step = p.launch.steps.find((s) => s.kind === 'shell');
    expect(step && step.kind === 'shell' ? shellFormFix(step, p.launch, p.file) : null).toBeNull();
  });

  test('a function called once at the end gets exec inside its body, never in front of the call', async () => {
    const p = await prepare('FROM python:3.12-slim\nCMD start() { python app.py; }; start\n');
    expect(applied(shellFormFix(shellStep(p), p.launch, p.file))['Dockerfile']).toBe('FROM python:3.12-slim\nCMD start() { exec python app.py; }; start\n');
  });

  test('comments inside continuation lines would be lost: exec in front instead', async () => {
    const p = await prepare('FROM alpine\nCMD python \\\n# the app\n    app.py\n');
    const fix = shellFormFix(shellStep(p), p.launch, p.file);
    expect(fix?.edits[0]?.text).not.toMatch(/^\[/);
  });
});

describe('pseudo-JSON to JSON', () => {
  test.each([
    ["['/app/server', '--port', '80']", ['/app/server', '--port', '80']],
    ['["a" "b"]', ['a', 'b']],
    ['["a", "b",]', ['a', 'b']],
    ['[\u201capp\u201d, \u201c-v\u201d]', ['app', '-v']],
    ['["a\\"b", \'c d\']', ['a"b', 'c d']],
  ])('%s', (text, strings) => {
    expect(pseudoJsonStrings(text)).toEqual(strings);
  });

  test.each([["['a\\\\b']"], ['["a", 1]'], ['["a", b]'], ["['unclosed]"], ['[]']])('no guess for %s', (text) => {
    expect(pseudoJsonStrings(text)).toBeNull();
  });

  test('the instruction is rewritten in place', async () => {
    const p = await prepare("FROM alpine\nENTRYPOINT ['/usr/local/bin/server', '--port', '80']\n");
    const inst = p.ast.instructions.find((i) => i.keyword === 'ENTRYPOINT');
    if (!inst) throw new Error('no ENTRYPOINT');
    const form = commandForm(inst.rest);
    const fix = pseudoJsonFix(inst, form.text, p.file);
    expect(fix?.safety).toBe('safe');
    expect(applied(fix)['Dockerfile']).toBe('FROM alpine\nENTRYPOINT ["/usr/local/bin/server", "--port", "80"]\n');
  });
});

describe('a word put into an exec-form array', () => {
  const entrypoint = async (dockerfile: string) => {
    const p = await prepare(dockerfile);
    const inst = p.ast.instructions.find((i) => i.keyword === 'ENTRYPOINT');
    const form = inst ? commandForm(inst.rest) : null;
    if (!form || form.kind !== 'exec') throw new Error('no exec-form ENTRYPOINT');
    return { p, form };
  };
  const fixOf = (edit: ReturnType<typeof insertExecFormWord>): Fix | null => (edit ? { safety: 'safe', title: 'insert', edits: [edit] } : null);

  test('the strings of an array, quotes included, escapes skipped', () => {
    expect(execFormStrings('["sh", "-c", "a \\"b\\" c"]')).toEqual([{ start: 1, end: 5 }, { start: 7, end: 11 }, { start: 13, end: 24 }]);
    expect(execFormStrings('["unclosed]')).toBeNull();
  });

  test('right after the string it follows, the rest of the line as written', async () => {
    const { p, form } = await entrypoint('FROM alpine\nENTRYPOINT ["/bin/sh","-c","exec app \\"$@\\""] \nCMD ["serve"]\n');
    expect(applied(fixOf(insertExecFormWord(p.file, form, 2, 'sh')))['Dockerfile']).toBe('FROM alpine\nENTRYPOINT ["/bin/sh","-c","exec app \\"$@\\"", "sh"] \nCMD ["serve"]\n');
  });

  test('an array over continuation lines: the word goes where the string ends, in the file', async () => {
    const { p, form } = await entrypoint('FROM alpine\nENTRYPOINT ["/bin/sh", "-c", \\\n  "exec app \\"$@\\""]\n');
    expect(applied(fixOf(insertExecFormWord(p.file, form, 2, 'sh')))['Dockerfile']).toBe('FROM alpine\nENTRYPOINT ["/bin/sh", "-c", \\\n  "exec app \\"$@\\"", "sh"]\n');
  });

  test('before the words that follow the string, which keep their places', async () => {
    const { p, form } = await entrypoint('FROM alpine\nENTRYPOINT ["bash", "-c", "exec app \\"$@\\"", "--verbose"]\n');
    expect(applied(fixOf(insertExecFormWord(p.file, form, 2, 'bash')))['Dockerfile']).toBe('FROM alpine\nENTRYPOINT ["bash", "-c", "exec app \\"$@\\"", "bash", "--verbose"]\n');
  });
});

const ENTRY = 'FROM debian:bookworm-slim\nCOPY --chmod=755 entrypoint.sh /entrypoint.sh\nENTRYPOINT ["/entrypoint.sh"]\nCMD ["redis-server"]\n';

describe('exec in front of the hand-over', () => {
  test('the last command of the script', async () => {
    const p = await prepare(ENTRY, { 'entrypoint.sh': '#!/bin/sh\nset -e\nchown -R redis /data\ngosu redis "$@"\n' });
    const unit = script(p);
    const fix = execFix(unit, command(unit, 'gosu'));
    expect(fix?.safety).toBe('unsafe');
    expect(applied(fix)['entrypoint.sh']).toBe('#!/bin/sh\nset -e\nchown -R redis /data\nexec gosu redis "$@"\n');
  });

  test('inside if/else and after &&, in a function called once at the end', async () => {
    const text = '#!/bin/sh\nmain() {\n  if [ "$1" = redis-server ]; then\n    mkdir -p /data && gosu redis "$@"\n  else\n    "$@"\n  fi\n}\nmain "$@"\n';
    const p = await prepare(ENTRY, { 'entrypoint.sh': text });
    const unit = script(p);
    expect(applied(execFix(unit, command(unit, 'gosu')))['entrypoint.sh']).toBe(text.replace('&& gosu', '&& exec gosu'));
    expect(applied(execFix(unit, command(unit, '"$@"', 1)))['entrypoint.sh']).toBe(text.replace('    "$@"', '    exec "$@"'));
  });

  test.each([
    ['a command after it', '#!/bin/sh\ngosu redis "$@"\necho done\n'],
    ['|| after it', '#!/bin/sh\ngosu redis "$@" || true\n'],
    ['a pipeline', '#!/bin/sh\ngosu redis "$@" | tee /log\n'],
    ['a loop', '#!/bin/sh\nwhile true; do gosu redis "$@"; done\n'],
    ['a subshell', '#!/bin/sh\n( gosu redis "$@" )\n'],
    ['a function called twice', '#!/bin/sh\nrun() { gosu redis "$@"; }\nrun a\nrun "$@"\n'],
  ])('no exec with %s', async (_name, text) => {
    const p = await prepare(ENTRY, { 'entrypoint.sh': text });
    const unit = script(p);
    expect(execFix(unit, command(unit, 'gosu'))).toBeNull();
  });

  test('never in front of a shell function, or a variable that holds exec already', async () => {
    const last = async (text: string): Promise<Fix | null> => {
      const p = await prepare(ENTRY, { 'entrypoint.sh': text });
      const unit = script(p);
      const ast = unit.ast;
      if (!ast) throw new Error('no ast');
      return prependExec({ source: unit.source, ast }, ast.stmts[ast.stmts.length - 1] as Stmt);
    };
    expect(await last('#!/bin/sh\nstart_redis() { redis-server; }\nstart_redis\n')).toBeNull();
    expect(await last('#!/bin/sh\nRUN_AS="exec gosu redis"\n$RUN_AS "$@"\n')).toBeNull();
    expect(await last('#!/bin/sh\n$FROM_THE_ENVIRONMENT "$@"\n')).toBeNull();
    expect(await last('#!/bin/sh\nset -e\nwait\n')).toBeNull();
    expect(applied(await last('#!/bin/sh\nSERVER=redis-server\n$SERVER --port 1\n'))['entrypoint.sh']).toBe('#!/bin/sh\nSERVER=redis-server\nexec $SERVER --port 1\n');
  });

  test('a CRLF script keeps its line ends', async () => {
    const p = await prepare(ENTRY, { 'entrypoint.sh': '#!/bin/sh\r\nchown redis /data\r\ngosu redis "$@"\r\n' });
    const unit = script(p);
    expect(applied(execFix(unit, command(unit, 'gosu')))['entrypoint.sh']).toBe('#!/bin/sh\r\nchown redis /data\r\nexec gosu redis "$@"\r\n');
  });
});

describe('"$@" intact', () => {
  test.each([
    ['exec $@', 'exec "$@"'],
    ['exec "$*"', 'exec "$@"'],
    ['exec gosu redis $*', 'exec gosu redis "$@"'],
    ['exec ${@}', 'exec "$@"'],
  ])('%s', async (line, fixed) => {
    const p = await prepare(ENTRY, { 'entrypoint.sh': `#!/bin/sh\n${line}\n` });
    const unit = script(p);
    const c = lastCommand(unit);
    if (!c) throw new Error('no ending');
    const fix = argsFix(unit, c);
    expect(fix?.safety).toBe('safe');
    expect(applied(fix)['entrypoint.sh']).toBe(`#!/bin/sh\n${fixed}\n`);
  });

  test('glued text has no exact equivalent', async () => {
    const p = await prepare(ENTRY, { 'entrypoint.sh': '#!/bin/sh\nexec app --args=$@\n' });
    const unit = script(p);
    const c = lastCommand(unit);
    expect(c && argsFix(unit, c)).toBeNull();
  });
});

describe('su / sudo to gosu', () => {
  async function gosu(dockerfile: string, text: string): Promise<{ fix: Fix | null; files: Record<string, string> | null }> {
    const p = await prepare(dockerfile, { 'entrypoint.sh': text });
    const unit = script(p);
    const c = calls(unit).find((x) => x.name === 'su' || x.name === 'sudo' || x.name === 'runuser');
    if (!c) throw new Error('no su');
    const parser = await shell.get();
    const parse = (t: string) => {
      const r = parser.parse(t, 'posix');
      return r.ok ? r.file : null;
    };
    const fix = gosuFix(unit, c, p.stage, await collectRunFacts(p.stage, p.view), p.file, parse);
    return { fix, files: fix ? applied(fix) : null };
  }

  test('su -c with one simple command, on Debian: gosu, and its install line after FROM', async () => {
    const { fix, files } = await gosu(ENTRY, '#!/bin/sh\nchown -R app /data\nexec su app -c "node server.js"\n');
    expect(fix?.safety).toBe('unsafe');
    expect(files?.['entrypoint.sh']).toBe('#!/bin/sh\nchown -R app /data\nexec gosu app node server.js\n');
    expect(files?.['Dockerfile']).toBe(ENTRY.replace('FROM debian:bookworm-slim\n', 'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends gosu && rm -rf /var/lib/apt/lists/*\n'));
  });

  test('on Alpine: su-exec', async () => {
    const { files } = await gosu(ENTRY.replace('debian:bookworm-slim', 'alpine:3.20'), '#!/bin/sh\nexec su app -c "$*"\n');
    expect(files?.['entrypoint.sh']).toBe('#!/bin/sh\nexec su-exec app "$@"\n');
    expect(files?.['Dockerfile']).toContain('FROM alpine:3.20\nRUN apk add --no-cache su-exec\n');
  });

  test('sudo -u keeps the command words as written; an image that installs gosu gets no second edit', async () => {
    const df = ENTRY.replace('COPY', 'RUN apt-get update && apt-get install -y gosu\nCOPY');
    const { fix, files } = await gosu(df, '#!/bin/sh\nsudo -E -u app node "$APP_DIR/server.js" "$@"\n');
    expect(fix?.edits).toHaveLength(1);
    expect(files?.['entrypoint.sh']).toBe('#!/bin/sh\nexec gosu app node "$APP_DIR/server.js" "$@"\n');
  });

  test('a command string with shell features runs through sh -c as before; an unknown image gets no install line', async () => {
    const { fix, files } = await gosu(ENTRY.replace('debian:bookworm-slim', 'example/base:1'), '#!/bin/sh\nexec su -s /bin/sh app -c "cd /app && node server.js"\n');
    expect(files?.['entrypoint.sh']).toBe("#!/bin/sh\nexec gosu app sh -c 'cd /app && node server.js'\n");
    expect(fix?.edits).toHaveLength(1);
    expect(fix?.title).toMatch(/gosu must be installed/);
  });

  test.each([
    ['a login shell', '#!/bin/sh\nexec su - app -c "node server.js"\n'],
    ['a user from a variable', '#!/bin/sh\nexec su "$APP_USER" -c "node server.js"\n'],
    ['a command after it', '#!/bin/sh\nsu app -c "node server.js"\necho done\n'],
  ])('no fix for %s', async (_name, text) => {
    expect((await gosu(ENTRY, text)).fix).toBeNull();
  });
});

describe('file-level fixes', () => {
  test('CRLF to LF, every line; a lone CR inside a line is kept', async () => {
    const p = await prepare(ENTRY, { 'entrypoint.sh': '#!/bin/sh\r\necho "a\rb"\r\nexec "$@"\r\n' });
    const fix = crlfFix(script(p));
    expect(fix?.safety).toBe('safe');
    expect(applied(fix)['entrypoint.sh']).toBe('#!/bin/sh\necho "a\rb"\nexec "$@"\n');
  });

  test('the byte order mark removed; a missing shebang added (unsafe)', async () => {
    const p = await prepare(ENTRY, { 'entrypoint.sh': '\uFEFF#!/bin/sh\nexec "$@"\n' });
    expect(applied(bomFix(script(p)))['entrypoint.sh']).toBe('#!/bin/sh\nexec "$@"\n');
    const q = await prepare(ENTRY, { 'entrypoint.sh': 'set -e\nexec "$@"\n' });
    const fix = shebangFix(script(q));
    expect(fix?.safety).toBe('unsafe');
    expect(applied(fix)['entrypoint.sh']).toBe('#!/bin/sh\nset -e\nexec "$@"\n');
  });

  test('COPY --chmod=755 for a COPY of the script alone, an existing --chmod made executable, RUN chmod for a folder copy', async () => {
    const chmod = async (df: string): Promise<string | undefined> => {
      const p = await prepare(df, { 'entrypoint.sh': '#!/bin/sh\nexec "$@"\n', 'bin/other': 'x' });
      const unit = script(p);
      if (!unit.origin || unit.origin.kind === 'remote' || !unit.imagePath) throw new Error('no origin');
      return applied(chmodFix(unit.origin, unit.imagePath, p.stage, p.file))['Dockerfile'];
    };
    expect(await chmod('FROM alpine\nCOPY entrypoint.sh /entrypoint.sh\nENTRYPOINT ["/entrypoint.sh"]\n')).toBe(
      'FROM alpine\nCOPY --chmod=755 entrypoint.sh /entrypoint.sh\nENTRYPOINT ["/entrypoint.sh"]\n',
    );
    expect(await chmod('FROM alpine\nCOPY --chmod=640 entrypoint.sh /entrypoint.sh\nENTRYPOINT ["/entrypoint.sh"]\n')).toBe(
      'FROM alpine\nCOPY --chmod=750 entrypoint.sh /entrypoint.sh\nENTRYPOINT ["/entrypoint.sh"]\n',
    );
    expect(await chmod('FROM alpine\nCOPY . /app\nENTRYPOINT ["/app/entrypoint.sh"]\n')).toBe(
      'FROM alpine\nCOPY . /app\nRUN ["chmod", "+x", "/app/entrypoint.sh"]\nENTRYPOINT ["/app/entrypoint.sh"]\n',
    );
  });
});

describe('an exec-form ENTRYPOINT or CMD that starts su or sudo', () => {
  async function switchFix(line: string, base = 'debian:bookworm-slim'): Promise<string | null> {
    const p = await prepare(`FROM ${base}\nRUN useradd -r app\n${line}\n`);
    const inst = p.ast.instructions.find((i) => i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT');
    const setting = inst?.keyword === 'CMD' ? p.stage.config.cmd : p.stage.config.entrypoint;
    if (!setting) throw new Error('no setting');
    const parser = await shell.get();
    const parse = (t: string) => {
      const r = parser.parse(t, 'posix');
      return r.ok ? r.file : null;
    };
    const fix = execFormSwitchFix(setting, p.stage, await collectRunFacts(p.stage, p.view), p.file, parse);
    return fix ? (applied(fix)['Dockerfile'] ?? null) : null;
  }

  test.each([
    ['CMD ["su", "app", "-c", "/usr/local/bin/server --port 80"]', 'CMD ["gosu", "app", "/usr/local/bin/server", "--port", "80"]'],
    ['CMD ["su", "-s", "/bin/sh", "app", "-c", "cd /srv && ./server"]', 'CMD ["gosu", "app", "sh", "-c", "cd /srv && ./server"]'],
    ['ENTRYPOINT ["sudo", "-E", "-u", "app", "/usr/local/bin/server"]', 'ENTRYPOINT ["gosu", "app", "/usr/local/bin/server"]'],
    ['CMD ["runuser", "-u", "app", "--", "server", "-v"]', 'CMD ["gosu", "app", "server", "-v"]'],
  ])('%s', async (line, fixed) => {
    expect(await switchFix(line)).toBe(`FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends gosu && rm -rf /var/lib/apt/lists/*\nRUN useradd -r app\n${fixed}\n`);
  });

  test('su-exec on Alpine; nothing for a login shell, root, or a user from a variable', async () => {
    expect(await switchFix('CMD ["su", "app", "-c", "server"]', 'alpine:3.20')).toBe('FROM alpine:3.20\nRUN apk add --no-cache su-exec\nRUN useradd -r app\nCMD ["su-exec", "app", "server"]\n');
    expect(await switchFix('CMD ["su", "-", "app", "-c", "server"]')).toBeNull();
    expect(await switchFix('CMD ["sudo", "server"]')).toBeNull();
    expect(await switchFix('CMD ["su", "$APP_USER", "-c", "server"]')).toBeNull();
  });
});

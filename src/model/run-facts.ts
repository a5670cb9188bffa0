/**
 * What the RUN instructions of a stage (and the stages it builds on) do to the files that matter
 * here, read from their shell AST: `chmod` modes and paths, packages installed, symlinks made,
 * and the words they mention (a script a RUN creates is not "missing").
 */
import path from 'node:path';
import { commandForm, runShellText, type Instruction } from '../parsers/dockerfile.js';
import { forEachCall } from '../parsers/shell-walk.js';
import { basename, wordLiteral } from './commands.js';
import type { Stage } from './image.js';
import type { ShellService } from './shell-service.js';

export interface ChmodFact {
  instruction: Instruction;
  mode: string;
  /** Absolute image paths (or patterns) as written, resolved against WORKDIR. */
  paths: string[];
}

export interface RunFacts {
  chmods: ChmodFact[];
  /** Packages named by apk add / apt-get install / yum / dnf / microdnf install. */
  installs: Set<string>;
  symlinks: { target: string; link: string; instruction: Instruction }[];
  /** Every word of every RUN, split on blanks and shell operators (for "does a RUN mention this file"). */
  words: Set<string>;
}

const INSTALLERS: Record<string, string[]> = {
  apk: ['add'],
  'apt-get': ['install'],
  apt: ['install'],
  yum: ['install'],
  dnf: ['install'],
  microdnf: ['install'],
  zypper: ['install', 'in'],
};

export async function collectRunFacts(stage: Stage, shell: ShellService): Promise<RunFacts> {
  const facts: RunFacts = { chmods: [], installs: new Set(), symlinks: [], words: new Set() };
  const chain: Stage[] = [];
  for (let s: Stage | null = stage; s; s = s.baseStage) chain.unshift(s);
  for (const s of chain) {
    let workdir = '/';
    for (const inst of [s.from, ...s.instructions]) {
      if (inst.keyword === 'WORKDIR') workdir = path.posix.resolve(workdir, inst.rest.text.trim());
      if (inst.keyword !== 'RUN') continue;
      const raw = inst.rest.text + inst.heredocs.map((h) => `\n${h.body.text}`).join('');
      for (const w of raw.split(/[\s;&|()<>"'=]+/)) if (w) facts.words.add(w);
      // Only RUNs that can change a fact here are parsed (a shell parse per RUN adds up over a
      // monorepo): chmod, ln, or a package manager installing bash.
      if (!/\b(chmod|ln)\b/.test(raw) && !(/\bbash\b/.test(raw) && /\b(apk|apt-get|apt|yum|dnf|microdnf|zypper)\b/.test(raw))) continue;
      const form = commandForm(inst.rest);
      const calls: string[][] = [];
      if (form.kind === 'exec') calls.push(form.argv);
      else {
        const parser = await shell.get();
        const text = runShellText(inst);
        const result = parser.parse(text.text, 'bash');
        if (!result.ok) continue;
        forEachCall(result.file.stmts, (call) => {
          const words = call.args.map((w) => wordLiteral(w) ?? '\u0000');
          calls.push(words);
        });
      }
      for (const words of calls) record(facts, words, inst, workdir);
    }
  }
  return facts;
}

function record(facts: RunFacts, argv: string[], inst: Instruction, workdir: string): void {
  let words = argv;
  while (words[0] === 'sudo' || words[0] === 'command' || words[0] === 'exec') words = words.slice(1);
  const name = words[0] ? basename(words[0]) : '';
  const rest = words.slice(1);
  if (name === 'chmod') {
    const args = rest.filter((w) => !/^-[A-Za-z]+$/.test(w) && !w.startsWith('--'));
    const [mode, ...paths] = args;
    if (mode && paths.length > 0) {
      facts.chmods.push({ instruction: inst, mode, paths: paths.filter((p) => p !== '\u0000').map((p) => path.posix.resolve(workdir, p)) });
    }
  } else if (name === 'ln' && rest.some((w) => /^-[A-Za-z]*s/.test(w))) {
    const args = rest.filter((w) => !w.startsWith('-'));
    if (args.length === 2 && args[0] && args[1] && !args.includes('\u0000')) {
      const link = path.posix.resolve(workdir, args[1]);
      const target = path.posix.resolve(path.posix.dirname(link), args[0]);
      facts.symlinks.push({ target, link, instruction: inst });
    }
  } else if (INSTALLERS[name]?.includes(rest.find((w) => !w.startsWith('-')) ?? '')) {
    const verbIndex = rest.findIndex((w) => !w.startsWith('-'));
    for (const pkg of rest.slice(verbIndex + 1)) {
      if (!pkg.startsWith('-') && pkg !== '\u0000') facts.installs.add(pkg.replace(/[=<>~].*$/, ''));
    }
  }
}

/** Whether a chmod mode adds the execute bit (`+x`, `u+x`, `755`, `a+rx`). */
export function addsExecute(mode: string): boolean {
  if (/^[0-7]{3,4}$/.test(mode)) return (parseInt(mode.slice(-3, -2), 8) & 1) === 1;
  return /^[ugoa]*[+=][rwXxst]*x/.test(mode) || mode.split(',').some((m) => /^[ugoa]*[+=][rwXst]*x/.test(m));
}

/** Whether a chmod mode sets the setuid bit (`u+s`, `+s`, `4755`). */
export function addsSetuid(mode: string): boolean {
  if (/^[0-7]{4}$/.test(mode)) return (parseInt(mode.charAt(0), 8) & 4) === 4;
  return mode.split(',').some((m) => /^[ua]*\+[rwxXt]*s/.test(m));
}

/** Whether a chmod path (possibly a glob) covers an image path. */
export function chmodCovers(pattern: string, imagePath: string): boolean {
  if (pattern === imagePath) return true;
  if (/[*?[]/.test(pattern)) {
    const re = new RegExp(`^${pattern.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')}$`);
    return re.test(imagePath);
  }
  // `chmod -R +x /usr/local/bin` or a folder given: covers what is inside.
  return imagePath.startsWith(pattern.endsWith('/') ? pattern : `${pattern}/`);
}

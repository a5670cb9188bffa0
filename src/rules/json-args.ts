import { commandForm } from '../parsers/dockerfile.js';
import { healthcheckView } from '../model/instructions.js';
import { defineRule } from './rule.js';
import { execFormText } from '../fix/builders/dockerfile.js';
import { shellParse } from '../model/shell-service.js';
import { literalCommand } from '../fix/builders/shell.js';
import type { ShellFile, Stmt } from '../parsers/shell-ast.js';

export default defineRule({
  id: 'json-args',
  severity: 'info',
  category: 'pid1',
  recommended: false,
  scope: 'instructions',
  title: 'CMD, ENTRYPOINT or HEALTHCHECK in shell form',
  peers: { hadolint: ['DL3025'], buildkit: ['JSONArgsRecommended'] },
  messages: {
    shellForm: {
      message: '`{keyword}` in shell form runs through `/bin/sh -c`: the shell becomes the process that receives signals, and quoting follows shell rules.',
      hint: 'Write it as a JSON array: `{keyword} {json}` (or set SHELL explicitly if a shell is what you want).',
    },
  },
  docs: {
    what: 'CMD, ENTRYPOINT and `HEALTHCHECK CMD` written in shell form, in any stage, when no SHELL instruction in the stage (or the stages it builds on) says a shell is intended.',
    why: 'This is the peers\' check for every instruction of every stage; `shell-form-pid1` is the precise version for the command that really runs as PID 1, which is why this rule is off in `recommended`.',
    bad: 'FROM node:22\nCMD node server.js',
    good: 'FROM node:22\nCMD ["node", "server.js"]',
    howToFix: 'Use the JSON array form.',
  },
  async check(ctx) {
    let parse: ((text: string) => ShellFile | null) | null = null;
    for (const view of ctx.view.instructions) {
      if (view.onbuild) continue;
      const k = view.keyword;
      let form;
      if (k === 'CMD' || k === 'ENTRYPOINT') form = commandForm(view.inst.rest);
      else if (k === 'HEALTHCHECK') form = healthcheckView(view.inst).cmd;
      else continue;
      if (!form || form.kind !== 'shell' || form.invalidJson !== null || form.text.text === '') continue;
      // An explicit SHELL says a shell is meant (BuildKit's reading).
      let shellSet = false;
      for (let s = view.stage; s; s = s.baseStage) if (s.config.shell.instruction) shellSet = true;
      if (shellSet && k !== 'HEALTHCHECK') continue;
      // The string's words as the shell splits them, when it is one command of literal words.
      parse ??= await shellParse(ctx.env.shell, 'sh');
      const file = parse(form.text.text);
      const words = file && file.stmts.length === 1 ? literalCommand(file.stmts[0] as Stmt) : null;
      const argv = words && words[0] === 'exec' ? words.slice(1) : words;
      const json = execFormText(argv && argv.length > 0 ? argv : ['program', 'arg']);
      ctx.report({ messageId: 'shellForm', data: { keyword: k === 'HEALTHCHECK' ? 'HEALTHCHECK CMD' : k, json }, at: { file: ctx.env.dockerfile.displayPath, span: view.inst.keywordSpan } });
    }
  },
});

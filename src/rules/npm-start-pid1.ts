import { mainProcesses } from '../model/evaluator/questions.js';
import { basename } from '../model/commands.js';
import { packageScriptRun, startScriptHint } from '../model/node-entry.js';
import { defineRule } from './rule.js';

export default defineRule({
  id: 'npm-start-pid1',
  severity: 'warning',
  category: 'pid1',
  recommended: true,
  title: 'npm, yarn or pnpm is PID 1',
  peers: {},
  messages: {
    managerPid1: {
      message: 'PID 1 is `{command}`: {manager} runs the script as a child and stays PID 1, and it does not reliably pass SIGTERM on, so `docker stop` ends in a SIGKILL without a clean shutdown.',
      hint: '{fix}.',
    },
  },
  docs: {
    what: 'The container starts `npm start`, `npm run <script>`, `yarn start`, `pnpm start` (or `run`) as PID 1.',
    why:
      'The package manager runs the script through a shell, as a child, and stays alive as PID 1. It does not reliably pass SIGTERM on to the application (npm has changed this behaviour across versions), so `docker stop` ends in a SIGKILL with no clean shutdown. It also costs memory and start-up time for a process that does nothing.',
    bad: 'FROM node:20-slim\nWORKDIR /app\nCOPY . .\nUSER node\nCMD ["npm", "start"]',
    good: 'FROM node:20-slim\nWORKDIR /app\nCOPY . .\nUSER node\nCMD ["node", "server.js"]',
    howToFix: 'Run what the start script runs directly (`CMD ["node", "server.js"]`), so Node itself is PID 1 and handles SIGTERM.',
  },
  check(ctx) {
    const launch = ctx.launch;
    if (!launch) return;
    const done = new Set<string>();
    for (const main of mainProcesses(launch.runs.default)) {
      const step = main.hop;
      const pm = step.kind === 'program' ? packageScriptRun([step.name, ...step.args]) : null;
      if (step.kind !== 'program' || !pm) continue;
      if (main.init || !step.pid1) continue;
      // Where the word is written: the Dockerfile's CMD, or the script line that execs it.
      const fromDockerfile = step.argv[0]?.arg !== undefined;
      const at = fromDockerfile ? { file: ctx.env.dockerfile.displayPath, span: step.arg.setting.instruction.keywordSpan } : { file: step.at.file, span: step.at.span };
      const key = `${at.file}:${at.span.line}`;
      if (done.has(key)) continue;
      done.add(key);
      ctx.report({
        at,
        messageId: 'managerPid1',
        data: {
          command: [step.name, ...step.args].join(' '),
          manager: basename(step.name),
          // The hint names the Dockerfile keyword only where the word is written there.
          fix: fromDockerfile
            ? startScriptHint(ctx.stage, ctx.env.fs, ctx.env.readContext, ctx.stage?.config.workdir ?? '/', step.arg.setting.instruction.keyword, pm)
            : `Write \`exec\` with the program the \`${pm.script}\` script of package.json runs (for example \`exec node server.js\`)`,
        },
        label: fromDockerfile ? step.arg.setting.instruction.keyword : step.at.label,
      });
    }
  },
});

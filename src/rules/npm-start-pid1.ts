import { mainProcesses } from '../model/evaluator/questions.js';
import { basename } from '../model/commands.js';
import { packageScriptRun, packageScripts, startScriptHint } from '../model/node-entry.js';
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
    what: 'The container starts `npm start`, `npm run <script>`, `yarn start`, `pnpm start` (or `run`) as PID 1, or the short form of pnpm and yarn, `pnpm <script>` and `yarn <script>`: a word that is not one of their own commands runs the package.json script of that name. Where the build copies package.json from the build context to WORKDIR, the short form counts only when it names one of its scripts (`yarn eslint` may run a package\'s binary; Hadoop\'s `yarn resourcemanager` is not the package manager); where package.json is made by the build or comes from another stage, a word that is neither a command of the manager nor one of Hadoop YARN\'s counts.',
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
      if (step.kind !== 'program' || main.init || !step.pid1) continue;
      // Where the word is written: the Dockerfile's CMD, or the script line that execs it.
      const fromDockerfile = step.argv[0]?.arg !== undefined;
      // Started from the Dockerfile, the manager reads the package.json of WORKDIR (a script may
      // have changed directory first).
      const stage = ctx.stage;
      const scripts = fromDockerfile && stage && !stage.config.workdirUnknown ? packageScripts(stage, ctx.env.fs, ctx.env.readContext, stage.config.workdir) : null;
      const pm = packageScriptRun([step.name, ...step.args], scripts);
      if (!pm) continue;
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
            ? startScriptHint(stage, ctx.env.fs, ctx.env.readContext, stage?.config.workdir ?? '/', step.arg.setting.instruction.keyword, pm)
            : `Write \`exec\` with the program the \`${pm.script}\` script of package.json runs (for example \`exec node server.js\`)`,
        },
        label: fromDockerfile ? step.arg.setting.instruction.keyword : step.at.label,
      });
    }
  },
});

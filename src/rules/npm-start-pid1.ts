import { explainLaunch } from '../explain.js';
import { basename } from '../model/commands.js';
import { defineRule } from './rule.js';

const MANAGERS = new Set(['npm', 'yarn', 'pnpm']);
const RUN_VERBS = new Set(['start', 'run', 'run-script', 'dev', 'serve']);

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
      hint: 'Run the command of the start script directly, e.g. CMD ["node", "server.js"].',
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
    const hops = explainLaunch(launch).hops;
    for (const step of launch.steps) {
      if (step.kind !== 'program' || !MANAGERS.has(basename(step.name))) continue;
      const verb = step.args.find((a) => !a.startsWith('-'));
      if (!verb || !RUN_VERBS.has(verb)) continue;
      const hop = hops.find((h) => h.process.startsWith(step.name));
      if (launch.steps.some((s) => s.kind === 'init') || (hop && !hop.pid1)) continue;
      const cmd = [step.name, ...step.args].join(' ');
      ctx.report({
        at: { file: ctx.env.dockerfile.displayPath, span: step.at.span },
        messageId: 'managerPid1',
        data: { command: cmd, manager: basename(step.name) },
        label: step.at.label,
      });
    }
  },
});

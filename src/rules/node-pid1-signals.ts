import { mainProcesses } from '../model/evaluator/questions.js';
import { analyseNodeEntry, isNodeRunner, nodeScriptArg } from '../model/node-entry.js';
import { defineRule } from './rule.js';

export default defineRule({
  id: 'node-pid1-signals',
  severity: 'warning',
  category: 'pid1',
  recommended: true,
  title: 'Node.js is PID 1 and handles no SIGTERM',
  peers: {},
  messages: {
    noHandler: {
      message:
        'PID 1 is `{command}`, and {entry}{modules} registers no SIGTERM or SIGINT handler: the kernel drops signals PID 1 does not handle, so `docker stop` waits 10 s and then SIGKILLs Node with no clean shutdown. (If the container always runs with `docker run --init`, that init handles it; dockerlint cannot see that.)',
      hint: "Add `process.on('SIGTERM', () => server.close(() => process.exit(0)))`, or start with `ENTRYPOINT [\"tini\", \"--\"]`.",
    },
  },
  docs: {
    what:
      'PID 1 is `node` (or ts-node, tsx) running a file from the build context, no init (tini, dumb-init) wraps it, and neither that file nor the local modules it imports register a SIGTERM or SIGINT handler (`process.on(\'SIGTERM\', ...)`, `process.once`, NestJS `enableShutdownHooks()`, or a shutdown library such as @godaddy/terminus, stoppable, http-terminator, close-with-grace, lightship). It stays silent when a local module the entry imports cannot be read (`require(\'./dist/server.js\')`, a build output not in the checkout), or is named by an expression (`require(path.resolve(__dirname, \'dist/server.js\'))`): the handler may be there.',
    why:
      'The kernel applies no default signal action to PID 1: a SIGTERM that PID 1 does not handle is dropped. Node installs no SIGTERM handler of its own, so `docker stop` waits its 10 seconds and then SIGKILLs the process: open requests are cut, buffers are not flushed, deploys are slow. `docker run --init` fixes it too, but dockerlint cannot see how the container is run.',
    bad: 'FROM node:20-slim\nWORKDIR /app\nCOPY server.js .\nUSER node\nCMD ["node", "server.js"]\n// server.js: http.createServer(handler).listen(3000)',
    good: "FROM node:20-slim\nWORKDIR /app\nCOPY server.js .\nUSER node\nCMD [\"node\", \"server.js\"]\n// server.js: process.on('SIGTERM', () => server.close(() => process.exit(0)))",
    howToFix: "Handle SIGTERM (`process.on('SIGTERM', () => server.close(() => process.exit(0)))`), or run an init as PID 1: `ENTRYPOINT [\"tini\", \"--\"]` (or `docker run --init`).",
  },
  async check(ctx) {
    const launch = ctx.launch;
    const stage = ctx.stage;
    if (!launch || !stage) return;
    // The default run's main process, holding PID 1 with no init before it.
    const mains = mainProcesses(launch.runs.default);
    const main = mains[0];
    if (!main || mains.length !== 1 || main.staying || main.init || !main.pid1) return;
    const last = main.hop;
    if (last.kind !== 'program' || !isNodeRunner(last.name)) return;
    const script = nodeScriptArg(last.args);
    if (!script) return;
    const handling = await analyseNodeEntry(stage, ctx.env.fs, script, ctx.env.readContext);
    // A local module that cannot be read (a build output the entry requires) may hold the handler.
    if (!handling || handling.handler || handling.errors.length > 0 || handling.unread.length > 0) return;
    const others = handling.files.length - 1;
    ctx.report({
      at: { file: ctx.env.dockerfile.displayPath, span: last.arg.setting.instruction.keywordSpan },
      messageId: 'noHandler',
      data: {
        command: `${last.name} ${script}`,
        entry: handling.entry,
        modules: others > 0 ? ` (with the ${others} local module${others === 1 ? '' : 's'} it imports)` : '',
      },
      chain: [{ file: handling.entry.startsWith('/') ? handling.entry : ctx.env.displayPath(handling.entry), span: { line: 1, column: 1, endLine: 1, endColumn: 1 }, label: 'entry file' }],
      label: last.arg.setting.instruction.keyword,
    });
  },
});

import { isWindowsImage, knownBaseImage } from '../model/base-images.js';
import type { Step } from '../model/launch.js';
import { rootStage } from '../model/image.js';
import { defineRule } from './rule.js';

export const ROOT_USERS = /^(root|0)(:.*)?$/;

export default defineRule({
  id: 'root-process',
  severity: 'error',
  category: 'privilege',
  recommended: true,
  title: 'The main process runs as root',
  peers: { hadolint: [{ code: 'DL3002', note: 'only an explicit last `USER root`' }] },
  messages: {
    lastUserRoot: {
      message:
        'The main process ({main}) runs as root: `USER {user}` is the last USER of the image, and nothing between ENTRYPOINT/CMD and the main process drops privileges. As root it holds every privilege in the container and, through bind mounts, over host files.',
      hint: 'Add `USER <name>` to the final stage, or drop privileges at the end of the entrypoint with `exec gosu <user> "$@"`.',
    },
    noUser: {
      message:
        'The main process ({main}) runs as root: no USER is set in the final stage{stages}, and {base} is assumed to run as root, as Docker does for an image with no user, and nothing between ENTRYPOINT/CMD and the main process drops privileges. As root it holds every privilege in the container and, through bind mounts, over host files.',
      hint: 'Add `USER <name>` to the final stage, or drop privileges at the end of the entrypoint with `exec gosu <user> "$@"`.',
    },
  },
  docs: {
    what:
      'The final stage leaves the user as root (`USER root`, `USER 0`, `USER root:*`, or no USER at all after inheritance) and nothing on the way from ENTRYPOINT/CMD to the main process drops privileges (no `gosu`, `su-exec`, `setpriv`, ... in the entrypoint script or the command).',
    why:
      'A process running as root in a container holds every privilege inside it and, through bind-mounted volumes, over host files. A bug or an exploit in the server then owns the container. Docker runs as root when nothing says otherwise: an image whose base sets no user runs as uid 0.',
    bad: 'FROM node:20-slim\nWORKDIR /app\nCOPY . .\nCMD ["node", "server.js"]',
    good: 'FROM node:20-slim\nWORKDIR /app\nCOPY --chown=node:node . .\nUSER node\nCMD ["node", "server.js"]',
    howToFix:
      'Add `USER <name>` (or a numeric uid) to the final stage, or keep root for set-up only and hand over with `exec gosu <user> "$@"` at the end of the entrypoint script (the docker-library official-image pattern, which this rule recognises).',
  },
  check(ctx) {
    const stage = ctx.stage;
    const launch = ctx.launch;
    if (!stage || !launch) return;
    const user = stage.config.user;
    if (user && !user.known) return;
    if (user && !ROOT_USERS.test(user.value)) return;
    if (isWindowsImage(stage, rootStage(stage))) return; // ContainerAdministrator/ContainerUser, not root
    const base = knownBaseImage(rootStage(stage), ctx.env.baseImageFacts);
    if (!user && base?.user && !ROOT_USERS.test(base.user)) return;
    if (launch.steps.length === 0) return; // no ENTRYPOINT/CMD: the base image's own command runs
    if (launch.steps.some((s) => s.kind === 'unknown')) return; // a step dockerlint cannot see into
    if (!launch.pid1.entrypoint && base?.dropsPrivileges) return;
    if (dropsPrivileges(launch.steps)) return;
    for (const unit of launch.scripts) {
      if (unit.analysis?.endings.some((e) => e.userSwitch && !switchTarget(e.userSwitch.info)?.toRoot)) return;
      if (!unit.analysis) return; // unparsable script: cannot tell
    }

    const mainStep = launch.steps[launch.steps.length - 1] as Step;
    const chain = launch.steps.filter((s) => s.kind !== 'unknown').map((s) => ({ ...s.at, label: stepLabel(s) }));
    const fromStage = rootStage(stage);
    const file = ctx.env.dockerfile.displayPath;
    const main = mainLabel(mainStep);
    if (user) {
      ctx.report({ at: { file, span: user.instruction.keywordSpan }, messageId: 'lastUserRoot', data: { main, user: user.value }, chain, label: `USER ${user.value}` });
    } else {
      const data = { main, stages: stage.baseStage ? ' or the stages it builds on' : '', base: fromStage.baseKnown ? `\`${fromStage.base}\`` : 'the base image' };
      ctx.report({ at: { file, span: stage.from.keywordSpan }, messageId: 'noUser', data, chain, label: 'FROM' });
    }
  },
});

function switchTarget(info: import('../model/commands.js').CommandInfo) {
  return info.switcher ?? info.forking;
}

function dropsPrivileges(steps: Step[]): boolean {
  return steps.some((s) => (s.kind === 'switch' || s.kind === 'forking-switch') && !s.toRoot);
}

function stepLabel(s: Step): string {
  switch (s.kind) {
    case 'init':
      return `${s.at.label} ${s.name}`;
    case 'switch':
    case 'forking-switch':
      return `${s.at.label} ${s.tool} ${s.user ?? ''}`.trim();
    case 'shell':
      return `${s.at.label} ${s.shellForm ? 'shell form' : 'sh -c'}`;
    case 'script':
      return `${s.at.label} ${s.arg.value}`;
    case 'program':
      return `${s.at.label} ${s.name}`;
    case 'unknown':
      return s.at.label;
  }
}

function mainLabel(s: Step): string {
  switch (s.kind) {
    case 'program':
      return `\`${s.name}\``;
    case 'script':
      return `\`${s.arg.value}\``;
    case 'shell':
      return '`/bin/sh -c ...`';
    default:
      return stepLabel(s);
  }
}

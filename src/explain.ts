/**
 * `dockerlint explain`: what runs when the container starts, step by step, from the same launch
 * model the rules use: the PID 1 argv from the ENTRYPOINT x CMD table, then which process holds
 * PID 1, as which user, and where each step is.
 */
import type { Launch, Step } from './model/launch.js';
import { isErrorExit, type Ending } from './model/script.js';
import { knownBaseImage } from './model/base-images.js';
import { rootStage } from './model/image.js';
import { commandText } from './evidence.js';

export interface Hop {
  /** What runs: `docker-entrypoint.sh redis-server`, `exec gosu redis`, ... */
  process: string;
  user: string;
  /** Still PID 1 (exec), or a child of it. */
  pid1: boolean;
  /** Where it happens: `Dockerfile:13`, `docker-entrypoint.sh:15`. */
  at: string;
  note: string | null;
}

export interface Explanation {
  dockerfile: string;
  stage: string;
  argv: string[];
  startUser: string;
  hops: Hop[];
  summary: string;
}

export function explainLaunch(launch: Launch): Explanation {
  const stage = launch.stage;
  const cfgUser = stage.config.user;
  const baseUser = knownBaseImage(rootStage(stage))?.user ?? null;
  let user = cfgUser ? cfgUser.value : (baseUser ?? 'root');
  const hops: Hop[] = [];
  let pid1 = true;
  const at = (s: Step): string => `${s.at.file}:${s.at.span.line}`;
  for (const step of launch.steps) {
    switch (step.kind) {
      case 'init':
        hops.push({ process: step.name, user, pid1, at: at(step), note: 'init: forwards signals and reaps zombies; what follows is its child' });
        pid1 = false;
        break;
      case 'switch':
        user = step.user ?? user;
        hops.push({ process: `${step.tool} ${step.user ?? ''}`.trim(), user, pid1, at: at(step), note: 'switches user and execs (same PID)' });
        break;
      case 'forking-switch':
        hops.push({ process: `${step.tool} ${step.user ?? ''}`.trim(), user, pid1, at: at(step), note: `${step.tool} forks and stays the parent: the command runs as its child` });
        user = step.user ?? user;
        pid1 = false;
        break;
      case 'shell': {
        const shell = step.shellArgv.join(' ');
        hops.push({ process: `${shell} "${oneLine(step.unit.source.text)}"`, user, pid1, at: at(step), note: step.shellForm ? 'shell form: a shell runs the string' : null });
        const endings = (step.unit.analysis?.endings ?? []).filter((e) => !isErrorExit(e));
        if (endings.length > 0 && endings.every((e) => e.kind !== 'exec')) pid1 = false;
        break;
      }
      case 'script': {
        const unit = step.unit;
        hops.push({ process: [step.arg.value, ...argsAfter(launch, step)].join(' '), user, pid1, at: at(step), note: unit.imagePath ? `script ${unit.imagePath}` : null });
        const endings = (unit.analysis?.endings ?? []).filter((e) => !isErrorExit(e));
        const drop = endings.find((e) => e.kind === 'exec' && e.last?.info.switcher && !e.last.info.switcher.toRoot);
        const where = (e: Ending): string => {
          const src = e.last?.source;
          const file = src ? src.path : unit.source.file.displayPath;
          const line = e.last ? (src ? src.spanOf(e.last.stmt.p, e.last.stmt.e) : unit.source.spanOf(e.last.stmt.p, e.last.stmt.e)).line : 0;
          return `${file}:${line}`;
        };
        if (drop?.last) {
          user = drop.last.info.switcher?.user ?? user;
          hops.push({
            process: commandText(unit, drop.last),
            user,
            pid1,
            at: where(drop),
            note: drop.last.info.reexec ? `same PID, user ${user}: the script runs again as ${user}` : `same PID, user ${user}`,
          });
        }
        const handover = endings.find((e) => e.kind === 'exec' && e.last?.info.runsArgs === 'quoted' && !e.last.info.switcher);
        const other = endings.find((e) => e.kind !== 'exec');
        if (handover?.last) hops.push({ process: commandText(unit, handover.last), user, pid1, at: where(handover), note: 'same PID: hands over to its arguments' });
        else if (other) {
          const sw = other.last?.info.switcher ?? other.last?.info.forking;
          if (sw?.user) user = sw.user;
          hops.push({ process: other.last ? commandText(unit, other.last) : '(end of script)', user, pid1: false, at: other.last ? where(other) : unit.source.file.displayPath, note: `not exec'd: the shell stays${pid1 ? ' PID 1' : ''} and this runs as its child` });
          pid1 = false;
        }
        break;
      }
      case 'program':
        hops.push({ process: [step.name, ...step.args].join(' '), user, pid1, at: at(step), note: pid1 ? 'the main process, PID 1' : 'the main process' });
        break;
      case 'unknown':
        hops.push({ process: '?', user, pid1, at: at(step), note: step.reason });
        break;
    }
  }
  const argv = launch.pid1.argv.map((a) => a.value);
  const summary =
    hops.length === 0
      ? 'No ENTRYPOINT or CMD: the base image decides what runs.'
      : `PID 1: ${hops.map((h, i) => `${i === 0 ? '' : '-> '}${h.process} (${h.pid1 ? (i === 0 ? '' : 'same PID, ') : 'child, '}${i === 0 ? h.user : `user ${h.user}`})`).join(' ')}`;
  return {
    dockerfile: launch.steps[0]?.at.file ?? '',
    stage: `${stage.name ? `${stage.name}, ` : ''}${stage.index + 1} of ${launch.stageCount}, FROM ${stage.base}`,
    argv,
    startUser: cfgUser ? cfgUser.value : (baseUser ?? 'root'),
    hops,
    summary,
  };
}

function argsAfter(launch: Launch, step: Step & { arg: { value: string } }): string[] {
  const argv = launch.pid1.argv;
  const i = argv.findIndex((a) => a === (step as { arg: unknown }).arg);
  return i >= 0 ? argv.slice(i + 1).filter((a) => !a.fromShell).map((a) => a.value) : [];
}

function oneLine(s: string): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > 60 ? `${t.slice(0, 59)}…` : t;
}

export function formatExplanation(e: Explanation): string {
  const lines = [
    `${e.dockerfile} (stage ${e.stage})`,
    `argv of PID 1: ${e.argv.length ? JSON.stringify(e.argv) : '(none: the base image decides)'}`,
    `starts as: ${e.startUser}`,
    '',
  ];
  e.hops.forEach((h, i) => {
    lines.push(`${String(i + 1).padStart(2)}. ${h.pid1 ? 'PID 1' : 'child'}  ${h.process}  [user ${h.user}]  ${h.at}`);
    if (h.note) lines.push(`      ${h.note}`);
  });
  lines.push('', e.summary, '');
  return lines.join('\n');
}

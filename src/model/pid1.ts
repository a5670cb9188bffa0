/**
 * The ENTRYPOINT x CMD table: what argv the container's first process gets.
 *
 * |                 | no ENTRYPOINT      | ENTRYPOINT shell `e f` | ENTRYPOINT exec `["e","f"]` |
 * | no CMD          | nothing to run     | sh -c "e f"            | e f                         |
 * | CMD exec [a,b]  | a b                | sh -c "e f" (CMD lost) | e f a b                     |
 * | CMD shell `a b` | sh -c "a b"        | sh -c "e f" (CMD lost) | e f sh -c "a b"             |
 */
import type { MappedText } from '../parsers/source.js';
import type { CommandSetting, Stage } from './image.js';

export type ArgOrigin = 'entrypoint' | 'cmd';

export interface Arg {
  value: string;
  origin: ArgOrigin;
  setting: CommandSetting;
  /** Inserted by Docker (the SHELL words in front of a shell-form string). */
  fromShell: boolean;
  /** For the string a shell form runs: its text, mapped to the Dockerfile. */
  script: MappedText | null;
}

export interface Pid1 {
  argv: Arg[];
  entrypoint: CommandSetting | null;
  cmd: CommandSetting | null;
  /** A CMD that never runs because ENTRYPOINT is in shell form. */
  cmdIgnored: CommandSetting | null;
}

export function computePid1(stage: Stage): Pid1 {
  const { entrypoint, cmd, shell } = stage.config;
  const words = (setting: CommandSetting, origin: ArgOrigin): Arg[] => {
    const form = setting.form;
    if (form.kind === 'exec') {
      return form.argv.map((value) => ({ value, origin, setting, fromShell: false, script: null }));
    }
    return [
      ...shell.argv.map((value) => ({ value, origin, setting, fromShell: true, script: null })),
      { value: form.text.text, origin, setting, fromShell: false, script: form.text },
    ];
  };

  if (entrypoint) {
    if (entrypoint.form.kind === 'shell') {
      return { argv: words(entrypoint, 'entrypoint'), entrypoint, cmd, cmdIgnored: cmd };
    }
    return {
      argv: [...words(entrypoint, 'entrypoint'), ...(cmd ? words(cmd, 'cmd') : [])],
      entrypoint,
      cmd,
      cmdIgnored: null,
    };
  }
  return { argv: cmd ? words(cmd, 'cmd') : [], entrypoint: null, cmd, cmdIgnored: null };
}

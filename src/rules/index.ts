/**
 * Every rule, in the order of the documentation. The rule id is the file name.
 */
import cmdIgnored from './cmd-ignored.js';
import entrypointCrlf from './entrypoint-crlf.js';
import gosuWithoutExec from './gosu-without-exec.js';
import invalidExecForm from './invalid-exec-form.js';
import missingExecArgs from './missing-exec-args.js';
import rootProcess from './root-process.js';
import shellFormPid1 from './shell-form-pid1.js';
import suSudo from './su-sudo.js';
import sudoInRun from './sudo-in-run.js';
import entrypointNotExecutable from './entrypoint-not-executable.js';
import entrypointNotFound from './entrypoint-not-found.js';
import entrypointShebang from './entrypoint-shebang.js';
import gosuNeedsRoot from './gosu-needs-root.js';
import gosuSetuid from './gosu-setuid.js';
import nodePid1Signals from './node-pid1-signals.js';
import npmStartPid1 from './npm-start-pid1.js';
import entrypointNoExec from './entrypoint-no-exec.js';
import shellPortability from './shell-portability.js';
import type { Rule } from './rule.js';

export const RULES: readonly Rule[] = [
  rootProcess,
  shellFormPid1,
  cmdIgnored,
  invalidExecForm,
  suSudo,
  gosuWithoutExec,
  sudoInRun,
  missingExecArgs,
  entrypointNoExec,
  gosuNeedsRoot,
  entrypointNotFound,
  entrypointNotExecutable,
  entrypointCrlf,
  entrypointShebang,
  shellPortability,
  gosuSetuid,
  nodePid1Signals,
  npmStartPid1,
];

/** Findings that are not rules: the input could not be read or parsed. */
export const DIAGNOSTIC_IDS = ['input-error', 'syntax-error', 'suppression'] as const;

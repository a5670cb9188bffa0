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
import aptGetMissingYes from './apt-get-missing-yes.js';
import aptGetInstallRecommends from './apt-get-install-recommends.js';
import aptGetVersionPin from './apt-get-version-pin.js';
import aptListsNotRemoved from './apt-lists-not-removed.js';
import aptInsteadOfAptGet from './apt-instead-of-apt-get.js';
import apkVersionPin from './apk-version-pin.js';
import apkAddNoCache from './apk-add-no-cache.js';
import pipVersionPin from './pip-version-pin.js';
import pipNoCacheDir from './pip-no-cache-dir.js';
import cdInRun from './cd-in-run.js';
import pointlessCommand from './pointless-command.js';
import addInsteadOfCopy from './add-instead-of-copy.js';
import consecutiveRun from './consecutive-run.js';
import copyFromOwnStage from './copy-from-own-stage.js';
import copyFromUnknownStage from './copy-from-unknown-stage.js';
import copyMultipleSourcesSlash from './copy-multiple-sources-slash.js';
import copyRelativeWithoutWorkdir from './copy-relative-without-workdir.js';
import copyWholeFilesystem from './copy-whole-filesystem.js';
import duplicateStageName from './duplicate-stage-name.js';
import envSelfReference from './env-self-reference.js';
import exposePort from './expose-port.js';
import fromPlatformConstant from './from-platform-constant.js';
import redundantTargetPlatform from './redundant-target-platform.js';
import instructionBeforeFrom from './instruction-before-from.js';
import instructionCasing from './instruction-casing.js';
import jsonArgs from './json-args.js';
import labelKeyInvalid from './label-key-invalid.js';
import latestTag from './latest-tag.js';
import legacyKeyValue from './legacy-key-value.js';
import lnBinSh from './ln-bin-sh.js';
import maintainerDeprecated from './maintainer-deprecated.js';
import multipleCmd from './multiple-cmd.js';
import multipleEntrypoint from './multiple-entrypoint.js';
import multipleHealthcheck from './multiple-healthcheck.js';
import onbuildForbiddenTrigger from './onbuild-forbidden-trigger.js';
import pipefail from './pipefail.js';
import reservedStageName from './reserved-stage-name.js';
import secretInArgOrEnv from './secret-in-arg-or-env.js';
import stageNameCasing from './stage-name-casing.js';
import untaggedImage from './untagged-image.js';
import userNotNumeric from './user-not-numeric.js';
import useraddWithoutNoLogInit from './useradd-without-no-log-init.js';
import wgetAndCurl from './wget-and-curl.js';
import wgetWithoutProgress from './wget-without-progress.js';
import workdirRelative from './workdir-relative.js';
import dnfCacheNotCleaned from './dnf-cache-not-cleaned.js';
import dnfMissingYes from './dnf-missing-yes.js';
import emptyContinuation from './empty-continuation.js';
import fromArgDefaultInvalid from './from-arg-default-invalid.js';
import fromArgUndefined from './from-arg-undefined.js';
import gemVersionPin from './gem-version-pin.js';
import goInstallVersionPin from './go-install-version-pin.js';
import npmVersionPin from './npm-version-pin.js';
import rpmVersionPin from './rpm-version-pin.js';
import yarnCacheNotCleaned from './yarn-cache-not-cleaned.js';
import yumCacheNotCleaned from './yum-cache-not-cleaned.js';
import yumMissingYes from './yum-missing-yes.js';
import zypperCacheNotCleaned from './zypper-cache-not-cleaned.js';
import zypperDistUpgrade from './zypper-dist-upgrade.js';
import zypperNonInteractive from './zypper-non-interactive.js';
import zypperVersionPin from './zypper-version-pin.js';
import inputError from './input-error.js';
import syntaxError from './syntax-error.js';
import suppression from './suppression.js';
import { peersOf, type DiagnosticMeta, type Peers, type Rule } from './rule.js';

export const RULES: readonly Rule[] = [
  rootProcess,
  shellFormPid1,
  cmdIgnored,
  invalidExecForm,
  suSudo,
  gosuWithoutExec,
  sudoInRun,
  missingExecArgs,
  gosuNeedsRoot,
  entrypointNotFound,
  entrypointNotExecutable,
  entrypointCrlf,
  entrypointShebang,
  gosuSetuid,
  nodePid1Signals,
  npmStartPid1,
  aptGetMissingYes,
  aptGetInstallRecommends,
  aptGetVersionPin,
  aptListsNotRemoved,
  aptInsteadOfAptGet,
  apkVersionPin,
  apkAddNoCache,
  pipVersionPin,
  pipNoCacheDir,
  cdInRun,
  pointlessCommand,
  addInsteadOfCopy,
  consecutiveRun,
  copyFromOwnStage,
  copyFromUnknownStage,
  copyMultipleSourcesSlash,
  copyRelativeWithoutWorkdir,
  copyWholeFilesystem,
  duplicateStageName,
  envSelfReference,
  exposePort,
  fromPlatformConstant,
  redundantTargetPlatform,
  instructionBeforeFrom,
  instructionCasing,
  jsonArgs,
  labelKeyInvalid,
  latestTag,
  legacyKeyValue,
  lnBinSh,
  maintainerDeprecated,
  multipleCmd,
  multipleEntrypoint,
  multipleHealthcheck,
  onbuildForbiddenTrigger,
  pipefail,
  reservedStageName,
  secretInArgOrEnv,
  stageNameCasing,
  untaggedImage,
  userNotNumeric,
  useraddWithoutNoLogInit,
  wgetAndCurl,
  wgetWithoutProgress,
  workdirRelative,
  dnfCacheNotCleaned,
  dnfMissingYes,
  emptyContinuation,
  fromArgDefaultInvalid,
  fromArgUndefined,
  gemVersionPin,
  goInstallVersionPin,
  npmVersionPin,
  rpmVersionPin,
  yarnCacheNotCleaned,
  yumCacheNotCleaned,
  yumMissingYes,
  zypperCacheNotCleaned,
  zypperDistUpgrade,
  zypperNonInteractive,
  zypperVersionPin,
];

/** Findings that are not rules: the input could not be read or parsed, a suppression is wrong. */
export const DIAGNOSTICS: readonly DiagnosticMeta[] = [inputError, syntaxError, suppression];
export const DIAGNOSTIC_IDS = ['input-error', 'syntax-error', 'suppression'] as const;

/**
 * Codes of a peer tool whose suppression comments also silence rules here (`# hadolint
 * ignore=DL3002`, `# check=skip=JSONArgsRecommended`): from each rule's `peers`.
 */
export function peerSuppressions(tool: Exclude<keyof Peers, 'shellcheck'>, rules: readonly Rule[] = RULES): Record<string, string[]> {
  const table: Record<string, string[]> = {};
  for (const rule of rules) {
    for (const p of peersOf(rule, tool)) if (p.suppresses !== false) (table[p.code] ??= []).push(rule.id);
  }
  return table;
}

import { lacksBash, lacksShell } from '../model/base-images.js';
import { rootStage, type Stage } from '../model/image.js';
import { readShebang } from '../parsers/shebang.js';
import type { DockerfileView } from '../model/instructions.js';
import { apkPackages, isApkAdd } from '../model/packages.js';
import { oneLine } from '../text.js';
import { scriptChain } from '../evidence.js';
import { defineRule } from './rule.js';
import { bomFix, installBashFix, shebangFix } from '../fix/builders/pid1.js';
import { fixOf } from '../fix/builders/report.js';

const BASH_PACKAGES = new Set(['bash', 'bash-completion']);

/**
 * Alpine packages that neither are nor depend on bash (their apk dependencies, as Alpine's
 * package index lists them). Any other package an `apk add` installs may pull bash in as a
 * dependency (`apk add frr` does), so a bash script is then not reported.
 */
const APK_WITHOUT_BASH = new Set([
  'ca-certificates', 'curl', 'wget', 'tzdata', 'su-exec', 'tini', 'dumb-init', 'openssl', 'jq', 'libc6-compat', 'gcompat',
  'libstdc++', 'libgcc', 'shadow', 'netcat-openbsd', 'unzip', 'zip', 'gzip', 'tar', 'xz', 'zstd', 'git', 'openssh-client',
  'python3', 'py3-pip', 'nodejs', 'npm', 'perl', 'busybox-extras', 'bind-tools', 'iproute2', 'iputils', 'coreutils',
  'findutils', 'grep', 'sed', 'gawk', 'procps', 'gettext', 'icu-libs', 'krb5-libs', 'zlib', 'libffi', 'musl', 'file', 'less',
]);

export default defineRule({
  id: 'entrypoint-shebang',
  severity: 'error',
  category: 'startup',
  recommended: true,
  fixable: true,
  title: 'The entrypoint script has no usable shebang',
  peers: { shellcheck: [{ code: 'SC2148', note: 'missing shebang, without knowing how the file is run' }] },
  messages: {
    bom: {
      message: '{script} starts with a UTF-8 byte order mark (BOM) before `#!`, and {command} execs it directly: the kernel sees the bytes EF BB BF, not `#!`, so the container fails at start with "exec format error".',
      hint: "Save the file as UTF-8 without a BOM, e.g. `sed -i '1s/^\\xEF\\xBB\\xBF//' FILE`.",
    },
    noShebang: {
      message: '{script} has no shebang (`#!` on its first line), and {command} execs it directly: the container fails at start with "exec format error".',
      hint: 'Add `#!/bin/sh` as the first line.',
    },
    noBash: {
      message: '{script} starts with `{shebang}`, but `{base}` has no bash and no RUN installs it: the container fails at start with "no such file or directory".',
      hint: 'Use `#!/bin/sh` (and POSIX syntax), or `RUN apk add --no-cache bash`.',
    },
    noShell: {
      message: '{script} starts with `{shebang}`, but `{base}` has no shell at all (no bash, no /bin/sh) and nothing copies one in: the container fails at start with "no such file or directory".',
      hint: 'Build the final stage FROM an image that has bash (`debian:12-slim`), or put the program itself in an exec-form ENTRYPOINT and drop the script.',
    },
  },
  docs: {
    what:
      'A script that ENTRYPOINT or CMD execs directly has no `#!` line (or a byte order mark before it), or names an interpreter the image is unlikely to have: `#!/bin/bash` on Alpine, BusyBox or distroless with no `apk add bash`, and no `apk add` of a package that may depend on bash (only a short list of common packages known not to, such as ca-certificates, curl, tzdata or su-exec, leaves the image without it). Only images known to lack bash count (plain Alpine, BusyBox, distroless, and the Alpine variants of official images whose own scripts are POSIX sh, such as node or python); an image that may add bash itself (postgres:alpine does), a RUN that builds, downloads or checks for bash, or a COPY of a file called bash keep it silent, and so does a COPY from another stage or an image onto the root or a system folder (`FROM scratch` then `COPY --from=initial / /`, a squashed image: it has the programs of that stage). On scratch and distroless (but for its `debug` tags) there is no shell at all, and the message says so (`noShell`).',
    why:
      'Without a shebang (and the kernel sees none behind a byte order mark) the kernel cannot exec the file: Docker reports `exec format error` and the container never starts. With `#!/bin/bash` on an image that has no bash, the kernel cannot find the interpreter and Docker reports `no such file or directory`, naming the script, not bash.',
    bad: 'FROM alpine:3.20\nCOPY --chmod=755 entrypoint.sh /\nENTRYPOINT ["/entrypoint.sh"]\n# entrypoint.sh starts with #!/bin/bash',
    good: 'FROM alpine:3.20\nRUN apk add --no-cache bash\nCOPY --chmod=755 entrypoint.sh /\nENTRYPOINT ["/entrypoint.sh"]',
    howToFix: 'Start the script with `#!/bin/sh` (and keep it POSIX), or install the interpreter it names.',
    autofix: [
      { safety: 'safe', what: 'Removes the byte order mark before `#!`', why: 'Only the three invisible bytes change' },
      { safety: 'unsafe', what: 'Adds `#!/bin/sh` as the first line of a script that has none and parses as POSIX sh', why: 'The interpreter is a guess: a script written for bash may still parse as sh' },
      { safety: 'unsafe', what: 'For `#!/bin/bash` on an image without bash: installs bash after FROM (`apk add --no-cache bash`), where the base image\'s package manager is known', why: 'It adds a package to the image' },
    ],
  },
  async check(ctx) {
    const launch = ctx.launch;
    const stage = ctx.stage;
    if (!launch || !stage) return;
    for (const step of launch.steps) {
      if (step.kind !== 'script' || !step.direct) continue;
      const unit = step.unit;
      const first = unit.source.text.split('\n', 1)[0]?.replace(/\r$/, '') ?? '';
      const script = unit.imagePath ?? 'The script';
      const chain = scriptChain(unit, ctx.env.dockerfile.displayPath);
      const at = { file: unit.source.file.displayPath, span: unit.source.spanOf([1, 1, 0], [1, first.length + 1, first.length]) };
      if (unit.bom && first.startsWith('#!')) {
        ctx.report({
          at,
          messageId: 'bom',
          data: { script, command: step.at.label },
          chain,
          label: 'line 1',
          ...fixOf(bomFix(unit)),
        });
        continue;
      }
      if (!first.startsWith('#!')) {
        ctx.report({
          at,
          messageId: 'noShebang',
          data: { script, command: step.at.label },
          chain,
          // What a RUN wrote is shown at that RUN: say what its first line is.
          label: unit.origin?.kind === 'written' && unit.source.noEdits ? `${script}:1 ${oneLine(first, 40)}` : 'line 1',
          ...fixOf(shebangFix(unit)),
        });
        continue;
      }
      // `#!/bin/bash`, `#!/usr/bin/env -S bash -e`, `#!/usr/bin/dumb-init /bin/bash`: one reader.
      if (readShebang(first)?.interpreter !== 'bash') continue;
      if (!lacksBash(rootStage(stage))) continue;
      if (copiesSystemFromElsewhere(stage)) continue;
      const facts = await ctx.runFacts();
      if ([...facts.installs].some((p) => BASH_PACKAGES.has(p))) continue;
      if (await apkMayAddBash(stage, ctx.view)) continue;
      // A RUN that builds, downloads or checks for bash, or a COPY of a file called bash: it may be there.
      if ([...facts.words].some((w) => /(^|\/)bash([-.]|$)/.test(w)) || mayCopyBash(stage)) continue;
      const root = rootStage(stage);
      const base = root.base;
      if (lacksShell(root)) {
        ctx.report({ at, messageId: 'noShell', data: { script, shebang: first, base }, chain, label: first });
        continue;
      }
      ctx.report({
        at,
        messageId: 'noBash',
        data: { script, shebang: first, base },
        chain,
        label: first,
        ...fixOf(installBashFix(stage, ctx.env.dockerfile)),
      });
    }
  },
});

/**
 * An `apk add` in this stage or the stages it is built on installs a package that may depend on
 * bash (one not in APK_WITHOUT_BASH, or a word only the build knows).
 */
async function apkMayAddBash(stage: Stage, view: DockerfileView): Promise<boolean> {
  for (let s: Stage | null = stage; s; s = s.baseStage) {
    for (const inst of s.instructions) {
      if (inst.keyword !== 'RUN' || (!inst.rest.text.includes('apk') && !inst.heredocs.some((h) => h.body.text.includes('apk')))) continue;
      const v = view.viewOf(inst);
      if (!v) continue;
      const run = await view.run(v);
      for (const cmd of run.commands) {
        if (!isApkAdd(cmd)) continue;
        if (apkPackages(cmd).some((w) => w.value === null || !APK_WITHOUT_BASH.has(w.value.split(/[=<>~]/)[0] ?? ''))) return true;
      }
    }
  }
  return false;
}

/** Some COPY of this stage (or the stages it is built on) names a file or folder called bash. */
function mayCopyBash(stage: Stage): boolean {
  for (let s: Stage | null = stage; s; s = s.baseStage) {
    for (const op of s.copies) {
      if (/(^|\/)bash$/.test(op.dest)) return true;
      if (op.sources.some((src) => (src.kind === 'context' || src.kind === 'stage') && /(^|\/)bash(\/|$)/.test(src.pattern))) return true;
    }
  }
  return false;
}

/** Folders whose copy from another stage or an image may bring bash (`FROM scratch` then `COPY --from=build / /`). */
const SYSTEM_FOLDERS = new Set(['/', '/bin', '/usr', '/usr/bin', '/usr/local', '/usr/local/bin']);

/**
 * A COPY from a build stage or an image onto the root or a system folder of the image: a
 * squashed image (`FROM scratch` + `COPY --from=initial / /`) has the source stage's programs,
 * bash among them, whatever its FROM line says.
 */
function copiesSystemFromElsewhere(stage: Stage): boolean {
  for (let s: Stage | null = stage; s; s = s.baseStage) {
    if (s.copies.some((op) => SYSTEM_FOLDERS.has(op.dest) && op.sources.some((src) => src.kind === 'stage' || (src.kind === 'remote' && src.image !== undefined)))) return true;
  }
  return false;
}

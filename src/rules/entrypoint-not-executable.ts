import { addsExecute, chmodCovers, collectRunFacts, type ChmodFact } from '../model/run-facts.js';
import type { Instruction } from '../parsers/dockerfile.js';
import { rootStage, type Stage } from '../model/image.js';
import { isPlainOs } from '../model/base-images.js';
import type { DockerfileView } from '../model/instructions.js';
import { scriptChain } from '../evidence.js';
import { defineRule } from './rule.js';
import { chmodFix } from '../fix/builders/pid1.js';
import { fixOf } from '../fix/builders/report.js';

export default defineRule({
  id: 'entrypoint-not-executable',
  severity: 'error',
  category: 'startup',
  recommended: true,
  fixable: true,
  title: 'The entrypoint script is not executable',
  peers: {},
  messages: {
    noExecBit: {
      message: '{imagePath} (copied from {file}) has no execute bit, and nothing makes it executable (no COPY --chmod, no RUN chmod +x): {command} fails at start with "permission denied".',
      hint: 'Use `COPY --chmod=755`, or commit the file with `git update-index --chmod=+x`.',
    },
    serviceNoExecBit: {
      message: '{imagePath} (copied from {file}) is the run file of a service that `{supervisor}` starts, and it has no execute bit, and nothing makes it executable (no COPY --chmod, no RUN chmod +x): the supervisor cannot start the service ("permission denied") and tries again every second.',
      hint: 'Use `COPY --chmod=755`, or commit the file with `git update-index --chmod=+x`.',
    },
    heredoc: {
      message: '{imagePath} is created by a COPY heredoc with mode 0644, and nothing makes it executable (no COPY --chmod, no RUN chmod +x): {command} fails at start with "permission denied".',
      hint: 'Write `COPY --chmod=755 <<EOF ...`.',
    },
    written: {
      message: '{imagePath} is created by the RUN on line {line} with mode 0644 (a shell redirection does not set the execute bit), and nothing makes it executable (no RUN chmod +x): {command} fails at start with "permission denied".',
      hint: 'Add `&& chmod +x {imagePath}` to that RUN.',
    },
  },
  docs: {
    what:
      'ENTRYPOINT or CMD runs a script directly (exec form, not `sh script.sh`) whose file has no execute bit in the build context (its git/file mode), with no `COPY --chmod=...x` and no `RUN chmod +x` on it. The `--chmod` value is expanded from ARG and ENV as BuildKit does, and a RUN\'s chmod paths from ENV as the shell does (`chmod +x $APP_HOME/run.sh`); a mode or a path only the build knows (`--chmod=$MODE` from an ARG with no default, `chmod +x "/app/$SCRIPT"`) may make the script executable, so the rule stays silent. A heredoc (`COPY <<EOF /entrypoint.sh`) is created 0644 unless `--chmod` says otherwise. A file a RUN creates with a redirection (`printf ... > /start.sh`, `cat > /start.sh <<EOF`) is 0644 too; it is judged only where it is known to be new (no earlier COPY or RUN put a file there, and the base image is a plain OS image that ships none), since a redirection keeps the mode of a file that was already there. A chmod counts only when it runs after the COPY that brings the file (COPY gives the file the mode of its source) and names the file, a glob that matches it, or, with `-R`, a folder above it: `chmod 2775 /opt` changes the folder alone. The `run` file of a service that runit, s6 or s6-overlay starts is checked the same way: its supervisor execs it, and cannot without the bit.',
    why:
      'The kernel refuses to exec a file without the execute bit: the container fails at start with `exec /entrypoint.sh: permission denied`. It often works on the author\'s machine and fails in CI, where the file was checked out from git without `+x`.',
    bad: 'FROM alpine:3.20\nCOPY entrypoint.sh /entrypoint.sh\nENTRYPOINT ["/entrypoint.sh"]',
    good: 'FROM alpine:3.20\nCOPY --chmod=755 entrypoint.sh /entrypoint.sh\nENTRYPOINT ["/entrypoint.sh"]',
    howToFix: 'Commit the script with its execute bit (`git update-index --chmod=+x entrypoint.sh`), or copy it with `COPY --chmod=755`, or `RUN chmod +x` it.',
    autofix: [
      { safety: 'unsafe', what: 'Adds `--chmod=755` to the COPY that brings the script alone (or makes its `--chmod` executable); for a COPY of a folder, adds `RUN ["chmod", "+x", PATH]` after it', why: '`COPY --chmod` needs BuildKit, and `RUN chmod` needs chmod in the image' },
    ],
  },
  async check(ctx) {
    const launch = ctx.launch;
    const stage = ctx.stage;
    if (!launch) return;
    for (const [index, step] of launch.steps.entries()) {
      if (step.kind !== 'script' || step.direct !== true) continue;
      const before = launch.steps[index - 1];
      const supervisor = before?.kind === 'supervisor' ? before.name : null;
      const unit = step.unit;
      const origin = unit.origin;
      if (!origin || origin.kind === 'remote' || !unit.imagePath) continue;
      if (origin.kind === 'written') {
        // A redirection keeps the mode of a file that was there before: judged only when the
        // RUN made it, on a base image that ships no such file.
        const w = origin.write;
        if (!w.created || origin.via.length > 0 || !stage || !isPlainOs(rootStage(stage))) continue;
        const facts = await ctx.runFacts();
        const paths = [unit.imagePath, ...(unit.aliases ?? [])];
        if (facts.chmods.some((c) => after(c, w.instruction) && makesExecutable(c, paths))) continue;
        ctx.report({
          messageId: 'written',
          data: { imagePath: unit.imagePath, line: String(w.instruction.keywordSpan.line), command: step.at.label },
          at: { file: ctx.env.dockerfile.displayPath, span: w.instruction.keywordSpan },
          chain: [...scriptChain(unit, ctx.env.dockerfile.displayPath).slice(0, 1)],
          label: 'RUN',
        });
        continue;
      }
      const ops = [origin.op, ...origin.via];
      if (ops.some((op) => op.chmod !== null && mayAddExecute(op.chmod))) continue;
      if (origin.kind === 'context') {
        const entry = ctx.env.fs.context.stat(origin.contextPath);
        if (!entry || entry.kind !== 'file' || (entry.mode & 0o111) !== 0) continue;
      }
      const facts = await ctx.runFacts();
      const imagePath = unit.imagePath;
      // A chmod of the path RUN linked, moved or copied it to counts too (chmod follows links; a moved file keeps its mode).
      const paths = [imagePath, ...(unit.aliases ?? [])];
      // Only a chmod that runs once the file is there: COPY gives it the mode of its source.
      if (facts.chmods.some((c) => after(c, origin.op.instruction) && makesExecutable(c, paths))) continue;
      // Made executable in an earlier stage it was copied from (`COPY rootfs/ /out/`, `RUN chmod +x
      // /out/...` there, then `COPY --from=dist /out/ /`): COPY --from keeps the mode.
      if (await chmodedInEarlierStage(origin.through ?? [], ctx.view)) continue;
      const place = {
        at: { file: ctx.env.dockerfile.displayPath, span: origin.op.instruction.keywordSpan },
        chain: [...scriptChain(unit, ctx.env.dockerfile.displayPath).slice(0, 1)],
        label: origin.op.instruction.keyword,
      };
      const fix = fixOf(stage ? chmodFix(origin, imagePath, stage, ctx.env.dockerfile) : null);
      if (origin.kind === 'heredoc') ctx.report({ ...place, messageId: 'heredoc', data: { imagePath, command: step.at.label }, ...fix });
      else if (supervisor) ctx.report({ ...place, messageId: 'serviceNoExecBit', data: { imagePath, file: unit.source.file.displayPath, supervisor }, ...fix });
      else ctx.report({ ...place, messageId: 'noExecBit', data: { imagePath, file: unit.source.file.displayPath, command: step.at.label }, ...fix });
    }
  },
});

/** The chmod runs in the instruction that made the file or after it (a chmod before a COPY changes nothing the COPY brings). */
function after(c: ChmodFact, made: Instruction): boolean {
  return c.instruction === made || c.instruction.keywordSpan.line > made.keywordSpan.line;
}

/** A mode that adds an execute bit, or one only the build knows (`--chmod=$MODE`, `chmod "$MODE"`): it may. */
function mayAddExecute(mode: string): boolean {
  return mode.includes('\u0000') || addsExecute(mode);
}

/** The chmod may make one of `paths` executable: its mode may add the bit, and it names the path, a glob or (`-R`) a folder above it, or a path only the build knows. */
function makesExecutable(c: ChmodFact, paths: readonly string[]): boolean {
  return mayAddExecute(c.mode) && (c.unknownPath === true || c.paths.some((p) => paths.some((x) => chmodCovers(p, x, c.recursive === true))));
}

async function chmodedInEarlierStage(through: readonly { stage: Stage; path: string }[], view: DockerfileView): Promise<boolean> {
  for (const hop of through) {
    const facts = await collectRunFacts(hop.stage, view);
    if (facts.chmods.some((c) => makesExecutable(c, [hop.path]))) return true;
  }
  return false;
}

import type { Fix } from '../findings.js';
import type { Instruction } from '../parsers/dockerfile.js';
import type { MappedText, Span } from '../parsers/source.js';
import { guardsUnset, varReferences, type VarRef } from '../parsers/variables.js';
import { envIsOnlyPath } from '../model/base-images.js';
import { splitWords } from '../model/expand.js';
import { rootStage, type Stage } from '../model/image.js';
import { fromView, keyValues, type InstructionView } from '../model/instructions.js';
import { suggestion } from '../model/suggest.js';
import { defineRule } from './rule.js';

/** Build arguments BuildKit predefines: visible in FROM, and in a stage only after `ARG NAME`. */
const PREDEFINED = new Set([
  'TARGETPLATFORM', 'TARGETOS', 'TARGETARCH', 'TARGETVARIANT', 'BUILDPLATFORM', 'BUILDOS', 'BUILDARCH', 'BUILDVARIANT', 'TARGETSTAGE',
  'HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy', 'FTP_PROXY', 'ftp_proxy', 'NO_PROXY', 'no_proxy', 'ALL_PROXY', 'all_proxy',
]);
/** Arguments the builder consumes itself and never reports (nor puts in the environment). */
const NOT_ENV = new Set(['BUILDKIT_SBOM_SCAN_CONTEXT', 'BUILDKIT_SBOM_SCAN_STAGE']);

/**
 * The variables the builder looks up when it expands `text`, as its word lexer reads it (operands
 * included); not in single quotes nor after the escape character. `raw` is a heredoc body: quotes
 * are text. A reference that says what happens when the variable is unset is left out.
 */
function referencesIn(text: string, escape: string, raw: boolean): VarRef[] {
  return varReferences(text, { escape, quotes: !raw, operands: true }).filter((ref) => !guardsUnset(ref));
}

/** What a stage has declared so far: ARG and ENV names (its base stages' included). */
interface Scope {
  names: Set<string>;
  /** The base image (the root stage's), for the message. */
  image: string;
}

/** Where a reference was read. */
interface Site {
  text: MappedText;
  ref: VarRef;
  /** The heredoc delimiter, when the reference is in a COPY/ADD heredoc body. */
  heredoc: string | null;
}

/** The texts of an instruction the builder expands, and how (BuildKit's expansion per instruction). */
function expandedTexts(inst: Instruction): { text: MappedText; raw: boolean; heredoc: string | null }[] {
  const out: { text: MappedText; raw: boolean; heredoc: string | null }[] = [];
  const flags = (names: readonly string[]): void => {
    if (!inst.flags.some((f) => names.includes(f.name) && (f.value ?? '').includes('$'))) return;
    const args = inst.args.text;
    for (const w of splitWords(args)) {
      const m = /^--([a-z-]+)=/.exec(w.text);
      if (!m) {
        if (!w.text.startsWith('--')) break;
        continue;
      }
      if (names.includes(m[1] as string)) out.push({ text: inst.args.sub(w.start + m[0].length, w.end), raw: false, heredoc: null });
    }
  };
  switch (inst.keyword) {
    case 'ENV':
    case 'LABEL':
    case 'WORKDIR':
    case 'USER':
    case 'VOLUME':
    case 'STOPSIGNAL':
      out.push({ text: inst.rest, raw: false, heredoc: null });
      break;
    case 'COPY':
    case 'ADD':
      flags(inst.keyword === 'ADD' ? ['chown', 'chmod', 'checksum'] : ['chown', 'chmod']);
      out.push({ text: inst.rest, raw: false, heredoc: null });
      for (const h of inst.heredocs) if (!h.quoted) out.push({ text: h.body, raw: true, heredoc: h.name });
      break;
    case 'RUN':
      // The shell expands the command itself; the builder expands only the mount options.
      flags(['mount']);
      break;
    default:
      break;
  }
  return out;
}

export default defineRule({
  id: 'undefined-var',
  severity: 'warning',
  category: 'build',
  recommended: true,
  scope: 'instructions',
  fixable: true,
  title: 'A variable the build expands is not set there',
  peers: { buildkit: [{ code: 'UndefinedVar', note: 'only in stages whose base image environment is known (scratch, alpine, busybox, debian, ubuntu, or a stage built on one)' }] },
  messages: {
    undefined: {
      message: '`${name}` is not set here: no ARG or ENV before this line sets it and the base image `{image}` sets only PATH, so the build expands it to an empty string{suggest}.',
      hint: 'Declare it before this line (`ARG {name}=<default>` or `ENV {name}=<value>`), or correct the name.',
    },
    globalArg: {
      message: '`${name}` is a global ARG (declared before the first FROM), which only FROM lines see: inside a stage it is set only after `ARG {name}`, so here it expands to an empty string.',
      hint: 'Add `ARG {name}` (without a value: it takes the global default) after this stage\'s FROM.',
    },
    predefinedArg: {
      message: '`${name}` is a build argument BuildKit predefines, but inside a stage it is set only after `ARG {name}`, so here it expands to an empty string.',
      hint: 'Add `ARG {name}` after this stage\'s FROM.',
    },
    beforeDeclared: {
      message: '`${name}` is used before the `{keyword} {name}` on line {line} sets it, so here it expands to an empty string.',
      hint: 'Move `{keyword} {name}` above this line.',
    },
    sameEnv: {
      message: '`${name}` reads the value {name} had before this ENV: the names an ENV sets apply from the next instruction, and nothing sets {name} before it, so here it expands to an empty string.',
      hint: 'Set `{name}` in an ENV of its own above this one.',
    },
    heredocParam: {
      message: '`${name}` in this heredoc is a parameter of the script, but the build expands it first (the delimiter `{delim}` is not quoted), so the file gets an empty string in its place.',
      hint: 'Quote the heredoc\'s delimiter (<<"{delim}" instead of <<{delim}) so the script keeps `${name}` as written.',
    },
    heredoc: {
      message: '`${name}` in this heredoc is expanded by the build (its delimiter `{delim}` is not quoted) and nothing sets it here, so the file gets an empty string in its place.',
      hint: 'Quote the heredoc\'s delimiter (<<"{delim}" instead of <<{delim}) to keep every `$` as written, or set `{name}` with ARG or ENV before this line.',
    },
  },
  docs: {
    what: 'A `$variable` in an instruction the builder expands itself (ENV, ARG defaults, LABEL, COPY and ADD sources, destination, `--chown`/`--chmod`/`--checksum` and unquoted heredocs, WORKDIR, USER, VOLUME, STOPSIGNAL, `RUN --mount` options) that no ARG or ENV sets at that point: not earlier in the stage, not in a stage it is built on, and not by its base image. A global ARG counts only after `ARG NAME` in the stage, and so do the build arguments BuildKit predefines (`TARGETARCH`, `BUILDPLATFORM`, `HTTP_PROXY`, ...). Shell-form RUN, CMD and ENTRYPOINT are not checked (the shell expands them at run time), nor exec form (never expanded), nor ONBUILD (expanded in the image built later). A reference that says what happens when the variable is unset (`${X:-word}`, `${X+word}`, `${X:?message}`) is not reported, unlike BuildKit: it is the written intent. It is checked only where the base image\'s environment is known: `scratch`, the official alpine, busybox, debian and ubuntu images (whose config sets only PATH), and stages built on them. On any other base image the variable may come from the image\'s ENV (`PYTHON_VERSION` in `python`), which BuildKit reads from the registry and dockerlint does not, so it stays silent there. A file with `COPY --from=image:${VERSION}` is taken as a template that a script fills in (BuildKit refuses a variable in `--from`), and is not checked.',
    why: 'An unset variable expands to an empty string without an error: `COPY app-${VERSION}.tar.gz /` copies `app-.tar.gz`, a heredoc script loses its `$1`, a global ARG read in a stage without `ARG` is empty. The rule is in `recommended` because it fires only where the value is certainly empty (the base image\'s environment is known), which is a mistake nearly every time.',
    bad: 'ARG VERSION=1.4.2\nFROM alpine:3.20\nADD https://example.com/tool-${VERSION}.tar.gz /opt/',
    good: 'ARG VERSION=1.4.2\nFROM alpine:3.20\nARG VERSION\nADD https://example.com/tool-${VERSION}.tar.gz /opt/',
    howToFix: 'Declare the variable before its use (`ARG NAME` takes a global default), correct a misspelt name, or quote a heredoc\'s delimiter to keep `$` for the script.',
    autofix: [
      {
        safety: 'unsafe',
        what: 'For a global ARG or a predefined build argument read in a stage without `ARG NAME`, adds `ARG NAME` after the stage\'s FROM',
        why: 'the value changes from empty to the global default (or the platform): that is what the line meant, but the image it builds changes, so review it',
      },
    ],
  },
  check(ctx) {
    // Only stages built (through other stages) on an image whose environment is known are read.
    if (!ctx.model.stages.some((s) => knownBase(rootStage(s)))) return;
    // `COPY --from=image:${VERSION}` is an error for BuildKit (no expansion in --from): a file
    // written so is a template whose variables a script fills in, not a Dockerfile built as is.
    if (ctx.view.instructions.some((v) => v.keyword === 'COPY' && v.inst.flags.some((f) => f.name === 'from' && (f.value ?? '').includes('$')))) return;
    const globals = new Set<string>();
    const scopes = new Map<number, Scope | null>();
    const file = ctx.env.dockerfile.displayPath;
    for (const view of ctx.view.instructions) {
      if (view.onbuild) continue;
      const inst = view.inst;
      if (view.stageIndex < 0) {
        if (inst.keyword === 'ARG') for (const w of splitWords(inst.rest.text, ctx.dockerfile.escape)) globals.add(argName(w.text));
        continue;
      }
      const stage = view.stage;
      if (!stage) continue;
      if (inst.keyword === 'FROM') {
        scopes.set(stage.index, scopeOf(stage, scopes, ctx.dockerfile.escape));
        continue;
      }
      const scope = scopes.get(stage.index);
      if (!scope) continue;
      // Nothing to expand: only the names an ARG or ENV sets matter.
      if (!inst.args.text.includes('$') && !inst.heredocs.some((h) => !h.quoted && h.body.text.includes('$'))) {
        if (inst.keyword === 'ARG') for (const w of splitWords(inst.rest.text, ctx.dockerfile.escape)) scope.names.add(argName(w.text));
        else if (inst.keyword === 'ENV') for (const kv of keyValues(inst, ctx.dockerfile.escape)) scope.names.add(kv.key);
        continue;
      }
      const sites: Site[] = [];
      if (inst.keyword === 'ARG') {
        // Each ARG's default is expanded with the ones before it on the line already set.
        const text = inst.rest.text;
        for (const w of splitWords(text, ctx.dockerfile.escape)) {
          const eq = w.text.indexOf('=');
          if (eq >= 0 && text.includes('$', w.start)) {
            for (const ref of referencesIn(w.text.slice(eq + 1), ctx.dockerfile.escape, false)) {
              const shifted = { ...ref, start: ref.start + w.start + eq + 1, end: ref.end + w.start + eq + 1 };
              if (!known(scope, ref.name)) sites.push({ text: inst.rest, ref: shifted, heredoc: null });
            }
          }
          scope.names.add(argName(w.text));
        }
      } else {
        for (const part of expandedTexts(inst)) {
          if (!part.text.text.includes('$')) continue;
          for (const ref of referencesIn(part.text.text, part.raw ? '\\' : ctx.dockerfile.escape, part.raw)) {
            if (!known(scope, ref.name)) sites.push({ text: part.text, ref, heredoc: part.heredoc });
          }
        }
      }
      // ENV sets its names after the whole line is expanded: `ENV A=1 B=$A` reads the old A.
      const envKeys = inst.keyword === 'ENV' ? keyValues(inst, ctx.dockerfile.escape).map((kv) => kv.key) : [];
      const seen = new Set<string>();
      for (const site of sites) {
        const name = site.ref.name;
        if (seen.has(name)) continue;
        seen.add(name);
        const at = { file, span: site.text.spanOf(site.ref.start, site.ref.end) };
        if (site.heredoc !== null) {
          if (/^[\d@*#?$!-]/.test(name)) ctx.report({ messageId: 'heredocParam', data: { name, delim: site.heredoc }, at });
          else ctx.report({ messageId: 'heredoc', data: { name, delim: site.heredoc }, at });
          continue;
        }
        if (envKeys.includes(name)) {
          ctx.report({ messageId: 'sameEnv', data: { name }, at });
          continue;
        }
        const later = declaredLater(ctx.view.instructions, view, name, ctx.dockerfile.escape);
        if (later) {
          ctx.report({ messageId: 'beforeDeclared', data: { name, keyword: later.keyword, line: later.line }, at });
          continue;
        }
        const messageId = globals.has(name) ? 'globalArg' : PREDEFINED.has(name) ? 'predefinedArg' : null;
        if (messageId) {
          // Every finding of the name in the stage carries the same edit (made once).
          ctx.report({ messageId, data: { name }, at, fix: addArgFix(ctx.env.dockerfile, file, stage, name) });
          continue;
        }
        const s = suggestion(name, scope.names);
        ctx.report({ messageId: 'undefined', data: { name, image: scope.image, suggest: s ? ` (did you mean $${s}?)` : '' }, at });
      }
      for (const k of envKeys) scope.names.add(k);
    }
  },
});

function knownBase(stage: Stage): boolean {
  return envIsOnlyPath(stage) && !stage.from.rest.text.includes('$');
}

function known(scope: Scope, name: string): boolean {
  return scope.names.has(name) || NOT_ENV.has(name);
}

/** The name an ARG or ENV word declares (`NAME=value`, `NAME`), quotes removed. */
function argName(word: string): string {
  const eq = word.indexOf('=');
  return (eq >= 0 ? word.slice(0, eq) : word).replace(/["']/g, '');
}

/**
 * The names in scope at a stage's start: those of the stage it is built on (at its end), or
 * PATH on a base image whose environment is only PATH; null when the base image's environment
 * is not known (any other image, or a reference with a variable).
 */
function scopeOf(stage: Stage, scopes: Map<number, Scope | null>, escape: string): Scope | null {
  if (stage.baseStage) {
    const base = scopes.get(stage.baseStage.index);
    return base ? { names: new Set(base.names), image: base.image } : null;
  }
  const from = fromView(stage.from, escape);
  if (!from.ref || from.ref.variable || !envIsOnlyPath(stage)) return null;
  return { names: new Set(['PATH']), image: from.ref.text };
}

/** An ARG or ENV later in the same stage that declares `name`. */
function declaredLater(all: readonly InstructionView[], view: InstructionView, name: string, escape: string): { keyword: string; line: number } | null {
  let after = false;
  for (const v of all) {
    if (v === view) {
      after = true;
      continue;
    }
    if (!after || v.onbuild) continue;
    if (v.stageIndex !== view.stageIndex) {
      if (v.stageIndex > view.stageIndex) break;
      continue;
    }
    if (v.keyword === 'ARG' && splitWords(v.inst.rest.text, escape).some((w) => argName(w.text) === name)) return { keyword: 'ARG', line: v.inst.keywordSpan.line };
    if (v.keyword === 'ENV' && keyValues(v.inst, escape).some((kv) => kv.key === name)) return { keyword: 'ENV', line: v.inst.keywordSpan.line };
  }
  return null;
}

function addArgFix(src: { offsetOf(line: number, column: number): number }, file: string, stage: Stage, name: string): Fix {
  const sp: Span = stage.from.span;
  const at = src.offsetOf(sp.endLine, sp.endColumn);
  return { safety: 'unsafe', title: `Declare ARG ${name} in the stage`, edits: [{ file, start: at, end: at, text: `\nARG ${name}` }] };
}

// esbuild plugins for the command line's bundle (dist/dockerlint.cjs) that keep work out of its
// start-up: an ES module's top level runs when the bundle loads, on every run, whether or not
// the run needs what it prepares. Measured on one small build context (docs/performance.md).
//
// - lazyStringWidth: yargs, cliui and wrap-ansi import string-width (three copies) only to lay
//   out `--help` and error text, but each copy builds an `Intl.Segmenter` (ICU's break-iterator
//   data) and compiles `\p{RGI_Emoji}`-class regular expressions at its top level: about 20 ms
//   of CPU per process. Each `import stringWidth from 'string-width'` is resolved as esbuild
//   resolves it (the importer's own copy: same version, same code) and handed a module that
//   require()s that copy on its first call; esbuild wraps the copy in its lazy module
//   initialiser, so its top level runs only when some text is measured.
// - leanYargsShim: yargs's platform shim imports node:assert (3.5 ms: assert loads Node's
//   inspect and error-diff machinery) for two internal checks, one of which fails on every run
//   (yargs guesses a version through findUp, which finds nothing in the bundle: see
//   esbuild-no-pkgup.mjs; the failure is caught) and then builds an AssertionError message with
//   util.inspect. The shim gets two equivalent checks that throw a plain Error. The shim's
//   findUp patch (esbuild-no-pkgup.mjs) is applied here too: one onLoad per file.
import fs from 'node:fs';
import path from 'node:path';
import { patch, patchFindUp } from './esbuild-no-pkgup.mjs';

const NAMESPACE = 'lazy-string-width';

export const lazyStringWidth = {
  name: NAMESPACE,
  setup(b) {
    // Paths in this namespace are relative to the build's folder: they name the module in the
    // bundle's comments, which then hold no build-time path.
    const base = b.initialOptions.absWorkingDir ?? process.cwd();
    b.onResolve({ filter: /^string-width$/ }, async (args) => {
      if (args.pluginData?.real) return undefined; // the resolve below: esbuild's own answer
      const real = await b.resolve(args.path, { importer: args.importer, resolveDir: args.resolveDir, kind: args.kind, pluginData: { real: true } });
      if (real.errors.length > 0) return { errors: real.errors };
      return { path: path.relative(base, real.path), namespace: NAMESPACE };
    });
    b.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => {
      const file = path.resolve(base, args.path);
      return {
        contents: `let real;\nexport default function stringWidth(string, options) {\n  real ??= require(${JSON.stringify(file)}).default;\n  return real(string, options);\n}\n`,
        loader: 'js',
        resolveDir: path.dirname(file),
      };
    });
  },
};

const ASSERT_IMPORT = "import { notStrictEqual, strictEqual } from 'assert'";
const LIGHT_ASSERT = [
  '// dockerlint: the checks of node:assert without loading it (scripts/esbuild-lean-start.mjs)',
  "const notStrictEqual = (actual, expected, message) => { if (Object.is(actual, expected)) throw new Error(message ?? 'yargs: internal check failed'); };",
  "const strictEqual = (actual, expected, message) => { if (!Object.is(actual, expected)) throw new Error(message ?? 'yargs: internal check failed'); };",
].join('\n');

/** Must come before noPackageJsonLookup in the plugin list (the first onLoad that answers wins). */
export const leanYargsShim = {
  name: 'lean-yargs-shim',
  setup(b) {
    b.onLoad({ filter: /[\\/]yargs[\\/]lib[\\/]platform-shims[\\/]esm\.mjs$/ }, async (args) => {
      const text = await fs.promises.readFile(args.path, 'utf8');
      return { contents: patch(patchFindUp(text, args.path), args.path, ASSERT_IMPORT, LIGHT_ASSERT), loader: 'js' };
    });
  },
};

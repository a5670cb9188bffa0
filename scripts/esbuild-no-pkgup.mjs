// An esbuild plugin for the bundles (dist/dockerlint.cjs, action/index.js) that keeps yargs from
// reading files of its own choosing at start-up:
//
// - yargs looks for the nearest package.json by itself (to guess a version; dockerlint gives its
//   own), from the folder above its node_modules, which in a bundle is the current folder. A
//   linted repository could put a FIFO or a 50 MB package.json there. Its platform shim's findUp
//   is replaced by one that finds nothing, so yargs reads no package.json at all.
// - y18n, yargs's translator, reads `<bundle>/../../../locales/<LANG>.json` the first time a
//   message is needed: outside dockerlint's own files (for a package installed in a repository,
//   `node_modules/locales/`, which the repository could commit, a FIFO included). Its platform
//   shim is given no file reader (y18n then uses the English strings of yargs's source, as it does
//   in bundlers without fs) and no file is said to exist, so it opens and stats nothing.
import fs from 'node:fs';

/** Replaces `from` (exactly once) with `to` in the text of a module. */
export function patch(text, file, from, to) {
  const count = text.split(from).length - 1;
  if (count !== 1) throw new Error(`${file}: expected ${from} exactly once, found it ${count} times`);
  return text.replace(from, to);
}

/** yargs's platform shim (lib/platform-shims/esm.mjs) with a findUp that finds nothing. */
export function patchFindUp(text, file) {
  return patch(text, file, 'findUp: escalade,', 'findUp: () => undefined,');
}

export const noPackageJsonLookup = {
  name: 'no-package-json-lookup',
  setup(b) {
    b.onLoad({ filter: /[\\/]yargs[\\/]lib[\\/]platform-shims[\\/]esm\.mjs$/ }, async (args) => {
      const text = await fs.promises.readFile(args.path, 'utf8');
      return { contents: patchFindUp(text, args.path), loader: 'js' };
    });
    b.onLoad({ filter: /[\\/]y18n[\\/]build[\\/]lib[\\/]platform-shims[\\/]node\.js$/ }, async (args) => {
      let text = await fs.promises.readFile(args.path, 'utf8');
      text = patch(text, args.path, /fs: \{\s*readFileSync,/.exec(text)?.[0] ?? 'fs: { readFileSync,', 'fs: { readFileSync: undefined,');
      text = patch(text, args.path, /exists: \(file\) => \{/.exec(text)?.[0] ?? 'exists: (file) => {', 'exists: (file) => { return false;');
      return { contents: text, loader: 'js' };
    });
  },
};

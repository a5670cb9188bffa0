// An esbuild plugin for the bundles (dist/dockerlint.cjs, action/index.js): yargs looks for the
// nearest package.json by itself at start-up (to guess a version; dockerlint gives its own), from
// the folder above its node_modules, which in a bundle is the current folder. A linted repository
// could put a FIFO or a 50 MB package.json there. Its platform shim's findUp is replaced by one
// that finds nothing, so yargs reads no package.json at all.
import fs from 'node:fs';

export const noPackageJsonLookup = {
  name: 'no-package-json-lookup',
  setup(b) {
    b.onLoad({ filter: /[\\/]yargs[\\/]lib[\\/]platform-shims[\\/]esm\.mjs$/ }, async (args) => {
      const text = await fs.promises.readFile(args.path, 'utf8');
      const from = 'findUp: escalade,';
      const count = text.split(from).length - 1;
      if (count !== 1) throw new Error(`${args.path}: expected ${from} exactly once, found it ${count} times`);
      return { contents: text.replace(from, 'findUp: () => undefined,'), loader: 'js' };
    });
  },
};

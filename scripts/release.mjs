#!/usr/bin/env node
// Cuts a release: `npm run release -- <patch|minor|major|X.Y.Z>`.
//
//   1. checks the work tree is clean;
//   2. sets the version in package.json, package-lock.json and src/meta.ts;
//   3. moves CHANGELOG.md's "Unreleased" section under the new version and date (it refuses an
//      empty one: say what changed first), leaving a fresh, empty Unreleased section;
//   4. regenerates what embeds the version (`npm run gen`: docs, schema, the action/ bundle);
//   5. runs `npm test`;
//   6. commits "Release X.Y.Z" and makes the annotated tag vX.Y.Z.
//
// It pushes and publishes nothing: it prints the commands for that (git push with the tag,
// npm publish, which builds the package through prepack, and moving the Action's major tag).
// Until a release exists, the docs name no tag: they use `main` or a commit SHA.
//
//   --no-test    skip step 5 (when the tests just ran)
//   --dry-run    check everything (clean tree, version, changelog, tag) and print what a real
//                run would change and run; write nothing
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The next version: a bump of `current`, or an explicit X.Y.Z above it. */
export function nextVersion(current, spec) {
  const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(current);
  if (!m) throw new Error(`package.json version ${current} is not X.Y.Z`);
  const [major, minor, patch] = m.slice(1).map(Number);
  if (spec === 'major') return `${major + 1}.0.0`;
  if (spec === 'minor') return `${major}.${minor + 1}.0`;
  if (spec === 'patch') return `${major}.${minor}.${patch + 1}`;
  const e = /^(\d+)\.(\d+)\.(\d+)$/.exec(spec ?? '');
  if (!e) throw new Error(`usage: npm run release -- <patch|minor|major|X.Y.Z> (got ${spec ?? 'nothing'})`);
  const cmp = e.slice(1).map(Number).map((n, i) => n - [major, minor, patch][i]).find((d) => d !== 0) ?? 0;
  if (cmp <= 0) throw new Error(`${spec} is not above the current version ${current}`);
  return spec;
}

/** CHANGELOG.md with its Unreleased section moved under `## [version] - date`. */
export function releaseChangelog(text, version, date) {
  const heading = /^## Unreleased[ \t]*$/m;
  const m = heading.exec(text);
  if (!m) throw new Error('CHANGELOG.md has no "## Unreleased" section');
  const start = m.index + m[0].length;
  const next = text.slice(start).search(/^## /m);
  const body = next === -1 ? text.slice(start) : text.slice(start, start + next);
  if (body.trim() === '') throw new Error('the Unreleased section of CHANGELOG.md is empty: say what changed first');
  const rest = next === -1 ? '' : text.slice(start + next);
  return `${text.slice(0, m.index)}## Unreleased\n\n## [${version}] - ${date}\n\n${body.trim()}\n${rest ? `\n${rest}` : ''}`;
}

/** src/meta.ts with the new VERSION. */
export function releaseMeta(text, version) {
  const re = /^export const VERSION = '[^']*';$/m;
  if (!re.test(text)) throw new Error("src/meta.ts has no `export const VERSION = '...';` line");
  return text.replace(re, `export const VERSION = '${version}';`);
}

function run(cmd, args) {
  console.log(`$ ${cmd} ${args.join(' ')}`);
  execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });
}

/** The commands that publish a release made locally (the script runs none of them). */
export function publishCommands(version) {
  const major = `v${version.split('.')[0]}`;
  return [
    `git push origin HEAD v${version}`,
    'npm publish                      # builds the package first (prepack)',
    `git tag -f ${major} v${version}^{} && git push -f origin ${major}   # the Action's moving major tag`,
  ];
}

function fail(message) {
  console.error(`release: ${message}`);
  process.exit(2);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const dryRun = args.includes('--dry-run');
  const unknown = args.filter((a) => a.startsWith('--') && a !== '--dry-run' && a !== '--no-test');
  if (unknown.length > 0) fail(`unknown option ${unknown.join(', ')}; usage: npm run release -- <patch|minor|major|X.Y.Z> [--dry-run] [--no-test]`);
  const spec = args.find((a) => !a.startsWith('--'));
  const status = execFileSync('git', ['status', '--porcelain'], { cwd: root, encoding: 'utf8' });
  if (status.trim() !== '') fail('the work tree has uncommitted changes; commit or stash them first');
  const pkgFile = path.join(root, 'package.json');
  const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8'));
  let version;
  let changelog;
  let meta;
  const date = new Date().toISOString().slice(0, 10);
  const changelogFile = path.join(root, 'CHANGELOG.md');
  const metaFile = path.join(root, 'src', 'meta.ts');
  try {
    version = nextVersion(pkg.version, spec);
    changelog = releaseChangelog(fs.readFileSync(changelogFile, 'utf8'), version, date);
    meta = releaseMeta(fs.readFileSync(metaFile, 'utf8'), version);
  } catch (e) {
    fail(e.message);
  }
  const tag = `v${version}`;
  const tagged = execFileSync('git', ['tag', '--list', tag], { cwd: root, encoding: 'utf8' });
  if (tagged.trim() !== '') fail(`the tag ${tag} exists already`);
  const steps = [
    ['npm', ['version', version, '--no-git-tag-version', '--ignore-scripts']],
    ['npm', ['run', 'gen']],
    ...(args.includes('--no-test') ? [] : [['npm', ['test']]]),
    ['git', ['add', '-A']],
    ['git', ['commit', '-m', `Release ${version}`]],
    ['git', ['tag', '-a', tag, '-m', `dockerlint ${version}`]],
  ];

  if (dryRun) {
    const section = changelog.slice(changelog.indexOf(`## [${version}]`)).split(/^## \[/m).slice(0, 2).join('## [');
    console.log(`release (dry run, nothing is written): ${pkg.version} -> ${version}, dated ${date}

It would set the version in package.json, package-lock.json and src/meta.ts, and release this
CHANGELOG.md section (a fresh, empty Unreleased section above it):

${section.trim().replace(/^(?=.)/gm, '  ')}

Then it would run:
${steps.map(([cmd, a]) => `  $ ${cmd} ${a.map((x) => (/\s/.test(x) ? JSON.stringify(x) : x)).join(' ')}`).join('\n')}

and print the commands that publish it:
${publishCommands(version).map((c) => `  ${c}`).join('\n')}
`);
    process.exit(0);
  }

  run(...steps[0]);
  fs.writeFileSync(changelogFile, changelog);
  fs.writeFileSync(metaFile, meta);
  for (const step of steps.slice(1)) run(...step);
  console.log(`
Released ${version} locally (commit and tag ${tag}). To publish:

${publishCommands(version).map((c) => `  ${c}`).join('\n')}
`);
}

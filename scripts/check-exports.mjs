#!/usr/bin/env node
// Fails on exports of src/ that nothing imports: an export no module uses is dead code, or should
// not be exported. Part of `npm test`.
//
// Built on the TypeScript compiler API (typescript is pinned already) rather than a tool such as
// knip: one check, no extra packages, and the same module resolution as `tsc`. Imports are read
// from every TypeScript file of tsconfig.json (src, test, bench, scripts) and from the JavaScript
// scripts (whose `../dist/x.js` imports stand for `src/x.ts`); `import * as` and an `import()`
// whose result is used as a whole count as using every export of the module. Exports read from
// outside the sources (bin/ loads the bundle's `main`) are in ENTRY_EXPORTS.
//
//   node scripts/check-exports.mjs
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const norm = (p) => path.resolve(p).split(path.sep).join('/');

/** Exports used from outside the sources: the bundles' entry points (scripts/bundle-*.mjs). */
const ENTRY_EXPORTS = {
  'src/cli.ts': ['main', 'VERSION'],
  'src/action.ts': ['runAction'],
};

const configFile = ts.readConfigFile(path.join(root, 'tsconfig.json'), ts.sys.readFile);
const parsed = ts.parseJsonConfigFileContent(configFile.config, ts.sys, root);
const program = ts.createProgram(parsed.fileNames, parsed.options);
const checker = program.getTypeChecker();

/** `${file}#${name}` of every export used; `${file}#*` when all of them are. */
const used = new Set();
const useAll = (file) => used.add(`${file}#*`);
const use = (file, name) => used.add(`${file}#${name}`);

function resolve(spec, fromFile) {
  if (!spec.startsWith('.')) return null;
  const r = ts.resolveModuleName(spec, fromFile, parsed.options, ts.sys).resolvedModule;
  if (r && !r.isExternalLibraryImport) return norm(r.resolvedFileName);
  // A script importing the build: ../dist/x.js is src/x.ts.
  const abs = path.resolve(path.dirname(fromFile), spec);
  const rel = path.relative(path.join(root, 'dist'), abs);
  if (!rel.startsWith('..')) return norm(path.join(root, 'src', rel.replace(/\.js$/, '.ts')));
  return null;
}

function scan(sf) {
  const from = sf.fileName;
  const visit = (node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const target = resolve(node.moduleSpecifier.text, from);
      const clause = node.importClause;
      if (target && clause) {
        if (clause.name) use(target, 'default');
        const nb = clause.namedBindings;
        if (nb && ts.isNamespaceImport(nb)) useAll(target);
        if (nb && ts.isNamedImports(nb)) for (const el of nb.elements) use(target, (el.propertyName ?? el.name).text);
      }
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const target = resolve(node.moduleSpecifier.text, from);
      if (target) {
        if (!node.exportClause || ts.isNamespaceExport(node.exportClause)) useAll(target);
        else for (const el of node.exportClause.elements) use(target, (el.propertyName ?? el.name).text);
      }
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteralLike(node.arguments[0])) {
      const target = resolve(node.arguments[0].text, from);
      if (target) dynamicUse(node, target);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
}

/** `(await import(x)).name`, `const { a, b } = await import(x)`; anything else uses it all. */
function dynamicUse(call, target) {
  let node = call.parent;
  while (node && (ts.isAwaitExpression(node) || ts.isParenthesizedExpression(node))) node = node.parent;
  if (node && ts.isPropertyAccessExpression(node)) return use(target, node.name.text);
  if (node && ts.isVariableDeclaration(node) && ts.isObjectBindingPattern(node.name)) {
    for (const el of node.name.elements) {
      const name = el.propertyName ?? el.name;
      if (ts.isIdentifier(name)) use(target, name.text);
      else return useAll(target);
    }
    return;
  }
  // Promise.all([import(a), import(b)]) destructured: too indirect to follow.
  useAll(target);
}

for (const sf of program.getSourceFiles()) if (!sf.isDeclarationFile && !sf.fileName.includes('/node_modules/')) scan(sf);
for (const dir of ['scripts', 'bench', 'bin']) {
  const walk = (d) => {
    for (const e of fs.existsSync(d) ? fs.readdirSync(d, { withFileTypes: true }) : []) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(mjs|cjs|js)$/.test(e.name)) scan(ts.createSourceFile(norm(p), fs.readFileSync(p, 'utf8'), ts.ScriptTarget.Latest, true, ts.ScriptKind.JS));
    }
  };
  walk(path.join(root, dir));
}
for (const [file, names] of Object.entries(ENTRY_EXPORTS)) for (const n of names) use(norm(path.join(root, file)), n);

function isTypeOnly(sym) {
  const target = sym.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(sym) : sym;
  return (target.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.TypeAlias)) !== 0 && (target.flags & ts.SymbolFlags.Value) === 0;
}

function usedInOwnFile(sf, name, decl) {
  let found = false;
  const visit = (node) => {
    if (found) return;
    if (ts.isIdentifier(node) && node.text === name && node !== decl.name && !(node.parent && node.parent === decl)) found = true;
    else ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

const unused = [];
for (const sf of program.getSourceFiles()) {
  const file = norm(sf.fileName);
  if (!file.startsWith(`${norm(root)}/src/`)) continue;
  if (used.has(`${file}#*`)) continue;
  const moduleSymbol = checker.getSymbolAtLocation(sf);
  if (!moduleSymbol) continue;
  for (const sym of checker.getExportsOfModule(moduleSymbol)) {
    const name = sym.getName();
    if (used.has(`${file}#${name}`)) continue;
    const decl = sym.declarations?.[0];
    // A type used in the module's own signatures is part of them (as knip's ignoreExportsUsedInFile).
    if (decl && isTypeOnly(sym) && usedInOwnFile(sf, name, decl)) continue;
    // An export meant for code outside the repository (an editor server, rule authors) says so.
    if (decl && ts.getJSDocTags(decl).some((t) => t.tagName.text === 'public')) continue;
    // Re-exports (`export { x } from`) are the module's own lines too.
    const line = decl ? decl.getSourceFile().getLineAndCharacterOfPosition(decl.getStart()).line + 1 : 1;
    unused.push(`${path.relative(root, file)}:${line}: ${name} is exported but nothing imports it`);
  }
}
if (unused.length) {
  for (const u of unused.sort()) console.error(u);
  console.error(`${unused.length} unused export${unused.length === 1 ? '' : 's'}: remove the code, or the \`export\` keyword`);
  process.exitCode = 1;
}

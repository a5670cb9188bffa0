/**
 * The SARIF 2.1.0 schema (revision rtm.5, the OASIS standard's, JSON Schema draft-04) as shipped
 * by @microsoft/jest-sarif, loaded from node_modules so the tests run offline, as a validator.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import Ajv04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';

const require = createRequire(import.meta.url);
const schemaPath = path.join(path.dirname(require.resolve('@microsoft/jest-sarif/package.json')), 'lib', 'schemas', 'sarif-2.1.0-rtm.5.json');

/** A validator of SARIF logs; `allErrors` collects every error instead of stopping at the first (slower). */
export function sarifValidator(opts: { allErrors: boolean }): ReturnType<InstanceType<typeof Ajv04.default>['compile']> {
  // unicodeRegExp: false because the schema's `language` pattern has a stray `]`, a syntax error
  // only with the `u` flag Ajv 8 uses by default (JSON Schema patterns are ECMA-262 without it).
  const ajv = new Ajv04.default({ allErrors: opts.allErrors, strict: false, unicodeRegExp: false });
  addFormats.default(ajv);
  return ajv.compile(JSON.parse(fs.readFileSync(schemaPath, 'utf8')) as Record<string, unknown>);
}

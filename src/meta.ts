/**
 * Where dockerlint lives: the one place that names the package and its repository. package.json
 * (`name`, `repository`, `homepage`, `bugs`), the README, the rule documentation links in
 * findings, SARIF (`informationUri`, `helpUri`) and the GitHub Action's docs all use these values;
 * test/meta.test.ts checks that package.json and the docs agree with them.
 *
 * The npm name `dockerlint` belongs to an unrelated, older project: this package is published as
 * `dockerlint-pid1`, and its command is still `dockerlint`.
 */
export const PACKAGE_NAME = 'dockerlint-pid1';

/** The version (package.json's; `npm run release` changes both). */
export const VERSION = '0.1.0';

/** The canonical repository (GitHub: the Action is `uses: <owner>/<repo>@<ref>`). */
export const REPOSITORY_URL = 'https://github.com/dockerlint-pid1/dockerlint';

/** The rule documentation pages, on the default branch (never a tag that may not exist yet). */
const RULE_DOCS_URL = `${REPOSITORY_URL}/blob/main/docs/rules/`;

/** The documentation page of a rule (or of a finding id that is not a rule, such as `input-error`). */
export function ruleDocUrl(id: string): string {
  return `${RULE_DOCS_URL}${encodeURIComponent(id)}.md`;
}

import { defineDiagnostic } from './rule.js';

export default defineDiagnostic({
  id: 'suppression',
  severity: 'warning',
  category: 'input',
  title: 'A suppression comment is wrong or unused',
  peers: {},
  docs: {
    what:
      'A `# dockerlint ignore=...` comment names a rule id that does not exist, cannot be read, or (with --report-unused-suppressions) suppresses nothing.',
    why: 'A suppression with a typo in its rule id suppresses nothing, so the finding it was meant for comes back, or a stale one hides a future finding on the same line.',
    bad: 'FROM alpine:3.20\n# dockerlint ignore=root-procss\nUSER root',
    good: 'FROM alpine:3.20\n# dockerlint ignore=root-process -- the init drops privileges\nUSER root',
    howToFix: 'Correct the rule id (`dockerlint --list-rules`), or remove the comment when it suppresses nothing.',
    noPeers: 'ESLint reports unused disable directives the same way (`--report-unused-disable-directives`).',
  },
});

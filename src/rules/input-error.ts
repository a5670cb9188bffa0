import { defineDiagnostic } from './rule.js';

export default defineDiagnostic({
  id: 'input-error',
  severity: 'error',
  category: 'input',
  title: 'The input could not be linted',
  peers: {},
  docs: {
    what:
      'A Dockerfile could not be read, is empty, has no FROM instruction or lacks the `--target` stage; or dockerlint could not follow a step from ENTRYPOINT/CMD to the main process, so the checks that needed it were skipped.',
    why:
      'A file dockerlint cannot read is a file nobody checked: it is reported, with its file and line, instead of being skipped in silence. Read errors are errors; steps that cannot be followed (a script sourced from a path computed at runtime, a base image dockerlint does not know) are information.',
    bad: 'RUN echo "no FROM before me"',
    good: 'FROM alpine:3.20\nRUN echo "built on alpine"',
    howToFix: 'Fix what the message names (the path, the encoding, the missing FROM or stage); for a step that cannot be followed, nothing is wrong: the checks that needed it were skipped.',
    noPeers: 'hadolint and BuildKit stop with an error of their own on a file they cannot parse.',
  },
});

import { scriptChain } from '../evidence.js';
import { defineRule } from './rule.js';
import { crlfFix } from '../fix/builders/pid1.js';
import { fixOf } from '../fix/builders/report.js';

export default defineRule({
  id: 'entrypoint-crlf',
  severity: 'error',
  category: 'startup',
  recommended: true,
  fixable: true,
  title: 'The entrypoint script has CRLF line endings',
  peers: { shellcheck: ['SC1017'] },
  messages: {
    crlf: {
      message: '{file} has CRLF line endings: the kernel looks for the interpreter `{interpreter}\\r`, so the container fails at start with "no such file or directory".',
      hint: 'Convert the file to LF line endings (dos2unix) and add `*.sh text eol=lf` to .gitattributes.',
    },
  },
  docs: {
    what: 'A script that ENTRYPOINT or CMD runs has Windows (CRLF) line endings.',
    why:
      'The kernel reads the shebang up to the newline, so `#!/bin/sh\\r` names an interpreter `/bin/sh\\r` that does not exist: the container fails at start with `exec /entrypoint.sh: no such file or directory`, an error that points nowhere near the cause. Other lines fail with `$\'\\r\': command not found`.',
    bad: '#!/bin/sh\\r\\nexec "$@"\\r\\n',
    good: '#!/bin/sh\\nexec "$@"\\n',
    howToFix: 'Convert the file to LF (`dos2unix`, or `git add --renormalize` with `*.sh text eol=lf` in .gitattributes).',
    autofix: [
      { safety: 'safe', what: 'Deletes the carriage return of every CRLF line end of the script', why: 'Only the line ends change; a CR inside a line is kept' },
    ],
  },
  check(ctx) {
    for (const unit of ctx.launch?.scripts ?? []) {
      if (unit.kind !== 'file' || !unit.crlf) continue;
      const first = (unit.source.text.split('\n', 1)[0] ?? '').replace(/\r$/, '');
      ctx.report({
        at: { file: unit.source.file.displayPath, span: unit.source.spanOf([1, 1, 0], [1, first.length + 1, first.length]) },
        messageId: 'crlf',
        data: { file: unit.source.file.displayPath, interpreter: first.replace(/^#!\s*/, '').replace(/\r$/, '') },
        chain: scriptChain(unit, ctx.env.dockerfile.displayPath),
        label: 'line 1',
        ...fixOf(crlfFix(unit)),
      });
    }
  },
});

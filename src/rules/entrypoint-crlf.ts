import { scriptChain } from './evidence.js';
import { defineRule } from './rule.js';

export default defineRule({
  id: 'entrypoint-crlf',
  severity: 'error',
  title: 'The entrypoint script has CRLF line endings',
  docs: {
    what: 'A script that ENTRYPOINT or CMD runs has Windows (CRLF) line endings.',
    why:
      'The kernel reads the shebang up to the newline, so `#!/bin/sh\\r` names an interpreter `/bin/sh\\r` that does not exist: the container fails at start with `exec /entrypoint.sh: no such file or directory`, an error that points nowhere near the cause. Other lines fail with `$\'\\r\': command not found`.',
    bad: '#!/bin/sh\\r\\nexec "$@"\\r\\n',
    good: '#!/bin/sh\\nexec "$@"\\n',
    fix: 'Convert the file to LF (`dos2unix`, or `git add --renormalize` with `*.sh text eol=lf` in .gitattributes).',
    equivalents: ['ShellCheck SC1017'],
  },
  check(ctx) {
    for (const unit of ctx.launch?.scripts ?? []) {
      if (unit.kind !== 'file' || !unit.crlf) continue;
      const first = (unit.source.text.split('\n', 1)[0] ?? '').replace(/\r$/, '');
      ctx.report({
        at: { file: unit.source.file.displayPath, span: unit.source.spanOf([1, 1, 0], [1, first.length + 1, first.length]) },
        message: `${unit.source.file.displayPath} has CRLF line endings: the kernel looks for the interpreter \`${first.replace(/^#!\s*/, '').replace(/\r$/, '')}\\r\`, so the container fails at start with "no such file or directory".`,
        hint: 'Convert the file to LF line endings (dos2unix) and add `*.sh text eol=lf` to .gitattributes.',
        chain: scriptChain(unit, ctx.env.dockerfile.displayPath),
        label: 'line 1',
      });
    }
  },
});

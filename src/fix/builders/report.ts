import type { Fix } from '../../findings.js';
import type { ShellService } from '../../model/shell-service.js';
import type { ShellFile } from '../../parsers/shell-ast.js';

/** `{ fix }` for a report when there is one, nothing otherwise: `ctx.report({ ..., ...fixOf(f) })`. */
export function fixOf(fix: Fix | null): { fix?: Fix } {
  return fix ? { fix } : {};
}

/** A parse function for the builders that read a command string (`su -c "..."`). */
export async function shellParse(shell: ShellService, interpreter: string): Promise<(text: string) => ShellFile | null> {
  const parser = await shell.get();
  const dialect = interpreter === 'bash' ? 'bash' : 'posix';
  return (text) => {
    const r = parser.parse(text, dialect);
    return r.ok ? r.file : null;
  };
}

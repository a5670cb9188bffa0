/**
 * The shell parser, loaded the first time something needs it (the WebAssembly module costs
 * tens of milliseconds to instantiate, which a Dockerfile with no script never pays).
 */
import type { ShellParser } from '../parsers/shell.js';
import type { ShellFile } from '../parsers/shell-ast.js';

export class ShellService {
  private parser: Promise<ShellParser> | null = null;

  get(): Promise<ShellParser> {
    this.parser ??= import('../parsers/shell.js').then((m) => m.loadShellParser());
    return this.parser;
  }
}

/** A parse function for the rules and fix builders that read a command string (`su -c "..."`). */
export async function shellParse(shell: ShellService, interpreter: string): Promise<(text: string) => ShellFile | null> {
  const parser = await shell.get();
  const dialect = interpreter === 'bash' ? 'bash' : 'posix';
  return (text) => {
    const r = parser.parse(text, dialect);
    return r.ok ? r.file : null;
  };
}

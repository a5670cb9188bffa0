/**
 * The shell parser, loaded the first time something needs it (the WebAssembly module costs
 * tens of milliseconds to instantiate, which a Dockerfile with no script never pays).
 */
import type { ShellParser } from '../parsers/shell.js';

export class ShellService {
  private parser: Promise<ShellParser> | null = null;

  get(): Promise<ShellParser> {
    this.parser ??= import('../parsers/shell.js').then((m) => m.loadShellParser());
    return this.parser;
  }
}

import type { Finding } from '../../src/findings.js';

/** A finding for the reporter tests: root-process's error at Dockerfile:3:2-3:6, with `over` on top. */
export function finding(over: Partial<Finding> = {}): Finding {
  return {
    rule: 'root-process',
    severity: 'error',
    message: 'The main process runs as root',
    hint: null,
    file: 'Dockerfile',
    line: 3,
    column: 2,
    endLine: 3,
    endColumn: 6,
    related: [],
    ...over,
  };
}

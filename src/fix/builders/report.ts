import type { Fix } from '../../findings.js';

/** `{ fix }` for a report when there is one, nothing otherwise: `ctx.report({ ..., ...fixOf(f) })`. */
export function fixOf(fix: Fix | null): { fix?: Fix } {
  return fix ? { fix } : {};
}

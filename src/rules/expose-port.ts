import { exposeView } from '../model/instructions.js';
import { defineRule } from './rule.js';

export default defineRule({
  id: 'expose-port',
  severity: 'error',
  category: 'build',
  recommended: true,
  scope: 'instructions',
  title: 'EXPOSE with a port outside 0-65535, a host mapping or an upper-case protocol',
  peers: { hadolint: [{ code: 'DL3011', messages: ['range'] }], buildkit: [{ code: 'ExposeInvalidFormat', messages: ['mapping'] }, { code: 'ExposeProtoCasing', messages: ['casing'] }] },
  messages: {
    range: {
      message: '`EXPOSE {port}`: a port number is 0-65535, so the build fails ("invalid containerPort").',
      hint: 'Use the port the process listens on, 0-65535.',
    },
    mapping: {
      message: '`EXPOSE {port}` names an IP address or a host port: EXPOSE only documents the container\'s port, the host side belongs to `docker run -p`, and BuildKit plans to reject this form.',
      hint: 'Write only the container port (and protocol): `EXPOSE {container}`.',
    },
    casing: {
      message: '`EXPOSE {port}`: the protocol is written in lower case (`tcp`, `udp`, `sctp`).',
      hint: 'Write `EXPOSE {lower}`.',
    },
  },
  docs: {
    what: 'An EXPOSE port above 65535 (also in a range), an `ip:host:container` or `host:container` mapping, or a protocol not in lower case. Ports from `$variables` are not judged.',
    why: 'A port out of range fails the build; a host mapping in EXPOSE is ignored on the host side and misleads the reader; BuildKit warns on both forms.',
    bad: 'FROM nginx:1.27\nEXPOSE 8080:80/TCP',
    good: 'FROM nginx:1.27\nEXPOSE 80/tcp',
    howToFix: 'Keep only the container port with a lower-case protocol; map the host port with `docker run -p`.',
  },
  check(ctx) {
    for (const view of ctx.view.byKeyword('EXPOSE')) {
      for (const w of exposeView(view.inst, ctx.dockerfile.escape).ports) {
        const port = w.value;
        if (port === null) continue;
        const at = { file: ctx.env.dockerfile.displayPath, span: w.span };
        const slash = port.indexOf('/');
        const spec = slash >= 0 ? port.slice(0, slash) : port;
        const proto = slash >= 0 ? port.slice(slash + 1) : '';
        if (spec.includes(':')) {
          const container = spec.slice(spec.lastIndexOf(':') + 1) + (proto ? `/${proto.toLowerCase()}` : '');
          ctx.report({ messageId: 'mapping', data: { port, container }, at });
          continue;
        }
        if (proto !== proto.toLowerCase()) ctx.report({ messageId: 'casing', data: { port, lower: `${spec}/${proto.toLowerCase()}` }, at });
        const nums = spec.split('-').map(Number);
        if (nums.some((n) => Number.isInteger(n) && n > 65535)) ctx.report({ messageId: 'range', data: { port }, at });
      }
    }
  },
});

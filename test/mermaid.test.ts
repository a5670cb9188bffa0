import path from 'node:path';
import type { Explanation } from '../src/explain.js';
import { formatMermaid, mermaidText } from '../src/reporters/mermaid.js';
import { runCli } from './helpers.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const { code, out, err } = await runCli(args, { cwd: root, env: {} });
  return { code, out, err };
}

test('explain --format mermaid: the redis pattern, exec edges solid, every hop with its user and place', async () => {
  const r = await cli(['explain', 'examples/cache/Dockerfile', '--format', 'mermaid']);
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  expect(r.out).toBe(
    [
      'flowchart TD',
      '  start(["docker run: examples/cache/Dockerfile (stage 1 of 1, FROM alpine:3.20)<br/>argv of PID 1: #91;#34;docker-entrypoint.sh#34;,#34;redis-server#34;#93;"])',
      '  h1["PID 1: docker-entrypoint.sh redis-server<br/>user root #183; examples/cache/Dockerfile:8<br/><i>script /usr/local/bin/docker-entrypoint.sh</i>"]',
      '  h2["PID 1: exec gosu redis #34;#36;0#34; #34;#36;@#34;<br/>user redis #183; examples/cache/docker-entrypoint.sh:12<br/><i>same PID, user redis: the script runs again as redis</i>"]',
      '  h3["PID 1: exec #34;#36;@#34;<br/>user redis #183; examples/cache/docker-entrypoint.sh:15<br/><i>same PID: hands over to its arguments</i>"]',
      '  h4["PID 1: redis-server<br/>user redis #183; examples/cache/Dockerfile:10<br/><i>the main process, PID 1</i>"]',
      '  start --> h1',
      '  h1 -->|exec, same PID| h2',
      '  h2 -->|exec, same PID| h3',
      '  h3 -->|exec, same PID| h4',
      '',
    ].join('\n'),
  );
});

test('a child process: dashed edge and border', async () => {
  const r = await cli(['explain', 'examples/worker/Dockerfile', '-f', 'mermaid']);
  expect(r.out).toContain('  h1 -.->|child process| h2\n  classDef child stroke-dasharray: 5 5\n  class h2 child\n');
});

test('labels cannot break out: quotes, brackets, newlines, backticks and HTML become entities', () => {
  const evil = 'x"] --> pwn["\n```\n<script>';
  expect(mermaidText(evil)).toBe('x#34;#93; --#62; pwn#91;#34; #96;#96;#96; #60;script#62;');
  const e: Explanation = {
    dockerfile: 'a`b/Dockerfile',
    stage: '1 of 1, FROM alpine',
    argv: [evil],
    startUser: 'root',
    hops: [{ process: evil, user: 'root', pid1: true, at: 'a`b/Dockerfile:1', note: evil }],
    summary: '',
  };
  const text = formatMermaid(e);
  // Only the formatter's own quotes, brackets and tags; no backtick (it would close the fence).
  expect(text).not.toContain('`');
  expect(text).not.toContain('<script');
  expect(text.split('\n').filter((l) => l !== '')).toHaveLength(4); // flowchart, start, h1, one edge
  expect(text.match(/"/g)).toHaveLength(4);
});

test('no ENTRYPOINT or CMD: one note under the start', () => {
  const e: Explanation = { dockerfile: 'Dockerfile', stage: '1 of 1, FROM alpine', argv: [], startUser: 'root', hops: [], summary: 'No ENTRYPOINT or CMD: the base image decides what runs.' };
  expect(formatMermaid(e)).toBe(
    'flowchart TD\n  start(["docker run: Dockerfile (stage 1 of 1, FROM alpine)<br/>argv of PID 1: none: the base image decides"])\n  none["No ENTRYPOINT or CMD: the base image decides what runs."]\n  start --> none\n',
  );
});

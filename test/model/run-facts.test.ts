import { collectRunFacts, mayChangeFacts } from '../../src/model/run-facts.js';
import { DockerfileView } from '../../src/model/instructions.js';
import { buildImageModel, targetStage } from '../../src/model/image.js';
import { ShellService } from '../../src/model/shell-service.js';
import { ast } from '../helpers.js';

async function facts(text: string) {
  const a = ast(text);
  const model = buildImageModel(a);
  const stage = targetStage(model, undefined);
  if (!stage) throw new Error('no stage');
  return collectRunFacts(stage, new DockerfileView(a, model, new ShellService()));
}

describe('RUN facts', () => {
  it('reads chmod, ln -s, mkdir, install -d and a bash install', async () => {
    const f = await facts(
      [
        'FROM debian:12',
        'WORKDIR /app',
        'RUN chmod +x run.sh && ln -s /app/run.sh /usr/local/bin/run',
        'RUN mkdir -p data && install -o app -m 0755 -d /var/lib/app',
        'RUN apt-get update && apt-get install -y --no-install-recommends bash ca-certificates',
      ].join('\n'),
    );
    expect(f.chmods.map((c) => [c.mode, c.paths])).toEqual([['+x', ['/app/run.sh']]]);
    expect(f.symlinks.map((l) => [l.link, l.target])).toEqual([['/usr/local/bin/run', '/app/run.sh']]);
    // The folders above a made folder are folders too.
    expect([...f.dirs].sort()).toEqual(['/app', '/app/data', '/var', '/var/lib', '/var/lib/app']);
    expect([...f.installs].sort()).toEqual(['bash', 'ca-certificates']);
  });

  it('reads where mv and cp put files: into a folder (several sources, -t, a trailing slash, a program folder, a folder RUN made), else that name or inside it', async () => {
    const f = await facts(
      [
        'FROM debian:12',
        'WORKDIR /src',
        'RUN mv /tmp/a.sh /tmp/b.sh /usr/local/bin && mv -t /opt/x run.sh && cp -r conf /etc/app/',
        'RUN mkdir -p /srv/tools && mv tool.sh /srv/tools && cp /tmp/*.sh /usr/bin',
        'RUN cp entry.sh /entrypoint && mv "$UNKNOWN" /usr/bin',
      ].join('\n'),
    );
    expect(f.moves.map((m) => [m.from, m.to, m.into])).toEqual([
      ['/tmp/a.sh', '/usr/local/bin', 'folder'],
      ['/tmp/b.sh', '/usr/local/bin', 'folder'],
      ['/src/run.sh', '/opt/x', 'folder'],
      ['/src/conf', '/etc/app', 'folder'],
      ['/src/tool.sh', '/srv/tools', 'folder'],
      ['/tmp/*.sh', '/usr/bin', 'folder'],
      ['/src/entry.sh', '/entrypoint', 'either'],
    ]);
  });

  it('skips the parse of a RUN that can hold none of them', () => {
    expect(mayChangeFacts('apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*')).toBe(false);
    expect(mayChangeFacts('install -m 0755 tool /usr/local/bin/tool')).toBe(false);
    expect(mayChangeFacts('make install && install -m 0644 a b; echo -d')).toBe(false);
    expect(mayChangeFacts('apk add --no-cache tini')).toBe(false);
    // Each of these passes the filter (it may hold a fact).
    expect(mayChangeFacts('install \\\n  -d /srv')).toBe(true);
    expect(mayChangeFacts('install --directory /srv')).toBe(true);
    expect(mayChangeFacts('set -eux; mkdir /srv')).toBe(true);
    expect(mayChangeFacts('chmod 4755 /usr/sbin/gosu')).toBe(true);
    expect(mayChangeFacts('ln -sf /bin/bash /bin/sh')).toBe(true);
    expect(mayChangeFacts('apk add --no-cache bash')).toBe(true);
  });

  it('keeps what the skipped RUNs mention as words', async () => {
    const f = await facts('FROM alpine:3.20\nRUN apk add --no-cache su-exec tini\n');
    expect(f.words.has('su-exec')).toBe(true);
    expect(f.installs.size).toBe(0);
  });
});

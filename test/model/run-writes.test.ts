import { collectRunWrites, mayWriteFiles } from '../../src/model/run-writes.js';
import { DockerfileView } from '../../src/model/instructions.js';
import { buildImageModel } from '../../src/model/image.js';
import { ShellService } from '../../src/model/shell-service.js';
import { ast } from '../helpers.js';

/** The last thing the RUNs of the last stage did to each file: its text, or `?` and why. */
async function written(lines: string[]): Promise<Record<string, string>> {
  const a = ast(lines.join('\n'));
  const model = buildImageModel(a);
  const shell = new ShellService();
  const writes = await collectRunWrites(model.stages, new DockerfileView(a, model, shell), await shell.get());
  const out: Record<string, string> = {};
  for (const s of model.stages) for (const w of writes.get(s) ?? []) out[w.path] = w.content ? w.content.text : `? ${w.why ?? ''}`;
  return out;
}

describe('files a RUN writes', () => {
  it('printf: the format with its escapes, %s filled from the arguments, %% a percent sign', async () => {
    expect(await written(['FROM alpine:3.20', `RUN printf '#!/bin/sh\\nexec %s "$@"\\n' gosu > /start.sh`])).toEqual({ '/start.sh': '#!/bin/sh\nexec gosu "$@"\n' });
    expect(await written(['FROM alpine:3.20', `RUN printf '%s\\n' '#!/bin/sh' 'exec "$@"' > /s`])).toEqual({ '/s': '#!/bin/sh\nexec "$@"\n' });
    expect(await written(['FROM alpine:3.20', `RUN printf '100%%\\n' > /p`])).toEqual({ '/p': '100%\n' });
  });

  it('printf: a conversion or an escape it does not read leaves the text unknown', async () => {
    expect((await written(['FROM alpine:3.20', `RUN printf '%d\\n' 3 > /n`]))['/n']).toMatch(/^\? its format has `%d`/);
    expect((await written(['FROM alpine:3.20', `RUN printf '\\x41' > /n`]))['/n']).toMatch(/^\? its format has an escape/);
  });

  it("echo: dash reads backslash escapes, bash and busybox only with -e; an unknown /bin/sh leaves them unknown", async () => {
    expect(await written(['FROM debian:12', `RUN echo '#!/bin/sh\\nexec "$@"' > /e`])).toEqual({ '/e': '#!/bin/sh\nexec "$@"\n' });
    // busybox's echo keeps `\n` without -e: the `#!` line names no program, so the text is not judged.
    expect((await written(['FROM alpine:3.20', `RUN echo '#!/bin/sh\\nexec "$@"' > /e`]))['/e']).toMatch(/^\? its `\\n` stays as written/);
    expect(await written(['FROM alpine:3.20', `RUN echo 'echo -e "a\\nb"' > /e`])).toEqual({ '/e': 'echo -e "a\\nb"\n' });
    expect(await written(['FROM alpine:3.20', `RUN echo -e '#!/bin/sh\\nexec "$@"' > /e`])).toEqual({ '/e': '#!/bin/sh\nexec "$@"\n' });
    // dash's echo prints -e as a word.
    expect(await written(['FROM debian:12', `RUN echo -e 'a\\nb' > /e`])).toEqual({ '/e': '-e a\nb\n' });
    expect((await written(['FROM example.com/base:1', `RUN echo 'a\\nb' > /e`]))['/e']).toMatch(/^\? its backslashes/);
    // No backslash: the same in every shell.
    expect(await written(['FROM example.com/base:1', `RUN echo -n 'exec "$@"' > /e`])).toEqual({ '/e': 'exec "$@"' });
  });

  it('echo >> appends to text written before, in the same RUN or an earlier one', async () => {
    expect(
      await written(['FROM alpine:3.20', `RUN echo '#!/bin/sh' > /e && echo 'set -e' >> /e`, `RUN echo 'exec "$@"' >> /e`]),
    ).toEqual({ '/e': '#!/bin/sh\nset -e\nexec "$@"\n' });
    // Appended to a file whose text is not known (it may be the base image's).
    expect((await written(['FROM alpine:3.20', `RUN echo 'exec "$@"' >> /e`]))['/e']).toMatch(/^\? a RUN appends to a file whose earlier content is not known/);
  });

  it('{ ...; } > f and ( ... ) > f: the output of the group, when every command in it is echo, printf or cat <<EOF', async () => {
    expect(await written(['FROM alpine:3.20', `RUN { echo '#!/bin/sh'; printf 'exec "$@"\\n'; } > /g`])).toEqual({ '/g': '#!/bin/sh\nexec "$@"\n' });
    expect((await written(['FROM alpine:3.20', `RUN { echo '#!/bin/sh'; cat /tmp/rest; } > /g`]))['/g']).toMatch(/^\?/);
  });

  it('cat <<EOF: a quoted delimiter keeps the body as written; an unquoted one only when it has no $, ` or backslash', async () => {
    const quoted = await written(['FROM alpine:3.20', `RUN cat > /h <<'EOF'`, 'exec "$@"', 'EOF']);
    expect(quoted).toEqual({ '/h': 'exec "$@"\n' });
    expect(await written(['FROM alpine:3.20', 'RUN cat <<EOF > /h', 'exec app', 'EOF'])).toEqual({ '/h': 'exec app\n' });
    expect((await written(['FROM alpine:3.20', 'RUN cat <<EOF > /h', 'exec $APP', 'EOF']))['/h']).toMatch(/^\? the heredoc's delimiter is not quoted and its body uses `\$APP`/);
    expect(await written(['FROM alpine:3.20', "RUN tee /t <<'EOF' >/dev/null", 'exec "$@"', 'EOF'])).toEqual({ '/t': 'exec "$@"\n' });
  });

  it('relative paths follow WORKDIR and cd', async () => {
    expect(Object.keys(await written(['FROM alpine:3.20', 'WORKDIR /app', "RUN echo a > run.sh && cd /srv && echo b > x.sh"]))).toEqual(['/app/run.sh', '/srv/x.sh']);
  });

  it('what runs on some paths only, or into a path not known, leaves files unknown', async () => {
    expect((await written(['FROM alpine:3.20', "RUN if [ -n \"$X\" ]; then echo a > /c; fi"]))['/c']).toMatch(/^\? a RUN writes it on some paths only/);
    expect((await written(['FROM alpine:3.20', "RUN echo a > /c", 'RUN echo b > "$TARGET"']))['/c']).toMatch(/^\? a RUN writes to a path that is not known/);
    expect((await written(['FROM alpine:3.20', "RUN echo a | tee /c"]))['/c']).toMatch(/^\?/);
  });

  it('a later command that may change the file makes it unknown; reading it, chmod and ln -s to it do not', async () => {
    expect((await written(['FROM alpine:3.20', "RUN echo a > /c", "RUN sed -i 's/a/b/' /c"]))['/c']).toMatch(/^\? `sed` in a RUN may change it/);
    expect((await written(['FROM alpine:3.20', "RUN echo a > /opt/c", 'RUN rm -rf /opt']))['/opt/c']).toMatch(/^\? `rm`/);
    expect((await written(['FROM alpine:3.20', 'RUN echo a > /opt/c', 'RUN tar -xzf /tmp/x.tgz -C /']))['/opt/c']).toMatch(/^\? `tar`/);
    expect(await written(['FROM alpine:3.20', 'RUN echo a > /opt/c', 'RUN chmod +x /opt/c && cat /opt/c && ln -s /opt/c /usr/local/bin/c'])).toEqual({ '/opt/c': 'a\n' });
  });

  it('a write creates the file when no earlier COPY or RUN put one there', async () => {
    const a = ast(['FROM alpine:3.20', 'COPY run.sh /opt/', 'RUN echo a > /opt/run.sh && echo b > /new.sh && echo c > /new.sh'].join('\n'));
    const model = buildImageModel(a);
    const shell = new ShellService();
    const writes = await collectRunWrites(model.stages, new DockerfileView(a, model, shell), await shell.get());
    expect(writes.get(model.stages[0]!)?.map((w) => [w.path, w.created ?? false])).toEqual([['/opt/run.sh', false], ['/new.sh', true], ['/new.sh', false]]);
  });

  it('mv and cp take the text along; the moved-away name is unknown', async () => {
    expect(await written(['FROM alpine:3.20', 'RUN echo a > /tmp/s.sh && mv /tmp/s.sh /usr/local/bin/'])).toEqual({ '/tmp/s.sh': '? a RUN moves it away', '/usr/local/bin/s.sh': 'a\n' });
  });

  it('a stage starts from the files of the stage it builds on', async () => {
    expect(await written(['FROM alpine:3.20 AS base', 'RUN echo a > /s', 'FROM base', 'RUN echo b >> /s'])).toEqual({ '/s': 'a\nb\n' });
  });

  it('skips the parse of a RUN that neither redirects nor tees', () => {
    const [, run] = ast('FROM alpine:3.20\nRUN apk add --no-cache curl').instructions;
    expect(mayWriteFiles(run!)).toBe(false);
  });
});

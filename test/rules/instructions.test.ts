import { ruleCases } from './cases.js';

ruleCases('untagged-image', [
  { name: 'no tag', dockerfile: 'FROM node\nCMD ["node"]\n', expect: ['1:6 `FROM node` has no tag'] },
  { name: 'registry with a port and no tag', dockerfile: 'FROM localhost:5000/app\n', expect: ['1:6 `FROM localhost:5000/app`'] },
  { name: 'tags, digests, scratch, stages and build arguments', dockerfile: 'ARG BASE=debian:12\nFROM node:22 AS build\nFROM ${BASE}\nFROM debian@sha256:0123\nFROM scratch\nFROM build\nFROM localhost:5000/app:1\n', expect: [] },
]);

ruleCases('latest-tag', [
  { name: ':latest', dockerfile: 'FROM python:latest\n', expect: ['1:6 `latest` tag'] },
  { name: 'latest with a digest, other tags', dockerfile: 'FROM python:latest@sha256:abc\nFROM python:3.12\nFROM latest:1\n', expect: [] },
]);

ruleCases('workdir-relative', [
  { name: 'relative first WORKDIR', dockerfile: 'FROM nginx:1.27\nWORKDIR usr/share/nginx/html\n', expect: ['2:9 `WORKDIR usr/share/nginx/html` is relative'] },
  { name: 'relative after an absolute one, in a stage built on it, variables, quotes, Windows', dockerfile: 'FROM debian:12 AS a\nWORKDIR /app\nWORKDIR sub\nFROM a\nWORKDIR more\nFROM debian:12\nWORKDIR $HOME\nWORKDIR "/quoted"\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nWORKDIR C:\\\\app\n', expect: [] },
  { name: 'only the first relative one of a stage', dockerfile: 'FROM debian:12\nWORKDIR a\nWORKDIR b\nFROM debian:12\nWORKDIR "c d"\n', expect: ['2:9', '5:9'] },
]);

ruleCases('expose-port', [
  { name: 'out of range, in a range too', dockerfile: 'FROM nginx:1.27\nEXPOSE 80 70000 8000-65536/udp\n', expect: ['2:11 65535', '2:17 65535'] },
  { name: 'host mappings', dockerfile: 'FROM nginx:1.27\nEXPOSE 8080:80 127.0.0.1:443:443/tcp\n', expect: ['2:8 `EXPOSE 8080:80`', '2:16 IP address'] },
  { name: 'protocol casing', dockerfile: 'FROM nginx:1.27\nEXPOSE 80/TCP 53/Udp\n', expect: ['2:8 lower case', '2:15'] },
  { name: 'valid ports, protocols and variables', dockerfile: 'FROM nginx:1.27\nARG PORT=8080\nEXPOSE 80 443/tcp 53/udp 9000-9010 $PORT ${PORT}/tcp 0\n', expect: [] },
]);

for (const [id, kw] of [['multiple-cmd', 'CMD'], ['multiple-entrypoint', 'ENTRYPOINT']] as const) {
  ruleCases(id, [
    { name: 'two in a stage: the first is ignored', dockerfile: `FROM alpine:3.20\n${kw} ["a"]\nRUN true\n${kw} b\n`, expect: [`2:1 later ${kw} (line 4)`] },
    { name: 'one per stage, and ONBUILD', dockerfile: `FROM alpine:3.20 AS a\n${kw} ["a"]\nONBUILD ${kw} ["x"]\nFROM alpine:3.20\n${kw} ["b"]\n`, expect: [] },
    { name: 'three in a stage', dockerfile: `FROM alpine:3.20\n${kw} a\n${kw} b\n${kw} c\n`, expect: ['2:1', '3:1'] },
  ]);
}

ruleCases('multiple-healthcheck', [
  { name: 'two in a stage', dockerfile: 'FROM alpine:3.20\nHEALTHCHECK CMD true\nHEALTHCHECK NONE\n', expect: ['2:1 (line 3)'] },
  { name: 'one per stage', dockerfile: 'FROM alpine:3.20\nHEALTHCHECK CMD true\nFROM alpine:3.20\nHEALTHCHECK --interval=5s CMD ["true"]\n', expect: [] },
]);

ruleCases('add-instead-of-copy', [
  { name: 'plain files and folders', dockerfile: 'FROM alpine:3.20\nADD app.py /app/\nADD --chown=1000 src/ /src/\n', expect: ['2:1 `ADD app.py`', '3:1'] },
  { name: 'a zip is not unpacked', dockerfile: 'FROM alpine:3.20\nADD "site.zip" /srv/\n', expect: ['2:1'] },
  { name: 'URLs, git, tar archives, heredocs', dockerfile: 'FROM alpine:3.20\nADD https://example.com/a.bin /a\nADD git@github.com:o/r.git /r\nADD rootfs.tar.xz /\nADD ["b.tgz", "/b/"]\nADD https://github.com/o/r.git#v1 /s\n', expect: [] },
  { name: 'ONBUILD', dockerfile: 'FROM alpine:3.20\nONBUILD ADD . /app\n', expect: ['2:9'] },
]);

ruleCases('copy-multiple-sources-slash', [
  { name: 'several sources, no slash', dockerfile: 'FROM alpine:3.20\nCOPY a.txt b.txt /data\nCOPY ["x", "y", "/z"]\n', expect: ['2:18 `COPY` of 2 sources to `/data`', '3:17'] },
  { name: 'slash, one source, globs', dockerfile: 'FROM alpine:3.20\nCOPY a b /data/\nCOPY a /data\nCOPY *.txt /data\nCOPY --from=0 a b c/\n', expect: [] },
]);

ruleCases('copy-from-unknown-stage', [
  { name: 'misspelt stage', dockerfile: 'FROM golang:1.23 AS build\nFROM alpine:3.20\nCOPY --from=biuld /app /app\n', expect: ['3:6 `COPY --from=biuld`'] },
  { name: 'a later stage is not an earlier one', dockerfile: 'FROM alpine:3.20\nCOPY --from=later /a /a\nFROM alpine:3.20 AS later\n', expect: ['2:6'] },
  { name: 'stage names in any case, indexes, images with tags, variables', dockerfile: 'ARG IMG=nginx:1\nFROM golang:1.23 AS Build\nFROM alpine:3.20\nCOPY --from=build /a /a\nCOPY --from=BUILD /a /a\nCOPY --from=0 /b /b\nCOPY --from=nginx:1.27 /etc/nginx /n\nCOPY --from=${IMG} /x /x\nCOPY --from=ghcr.io/o/i@sha256:1 /y /y\n', expect: [] },
]);

ruleCases('copy-from-own-stage', [
  { name: 'by name and by index', dockerfile: 'FROM alpine:3.20 AS app\nCOPY --from=app /a /b\nFROM alpine:3.20\nCOPY --from=1 /a /b\n', expect: ['2:6 inside stage `app`', '4:6'] },
  { name: 'another stage', dockerfile: 'FROM alpine:3.20 AS base\nFROM alpine:3.20 AS app\nCOPY --from=base /a /b\n', expect: [] },
]);

ruleCases('duplicate-stage-name', [
  { name: 'same name, any case', dockerfile: 'FROM node:22 AS build\nFROM golang:1.23 AS Build\n', expect: ['2:21 already used on line 1'] },
  { name: 'distinct names', dockerfile: 'FROM node:22 AS web\nFROM golang:1.23 AS api\nFROM alpine:3.20\n', expect: [] },
]);

ruleCases('json-args', [
  { name: 'shell form CMD, ENTRYPOINT, HEALTHCHECK CMD', dockerfile: 'FROM node:22 AS a\nCMD node server.js\nFROM node:22\nENTRYPOINT node app.js\nHEALTHCHECK CMD curl -f http://localhost/\n', expect: ['2:1 `CMD` in shell form', '4:1', '5:1 `HEALTHCHECK CMD`'] },
  { name: 'exec form, an explicit SHELL, HEALTHCHECK NONE', dockerfile: 'FROM node:22\nCMD ["node", "server.js"]\nHEALTHCHECK NONE\nFROM node:22\nSHELL ["/bin/bash", "-c"]\nCMD node server.js\n', expect: [] },
]);

ruleCases('from-platform-constant', [
  { name: 'constant platform', dockerfile: 'FROM --platform=linux/amd64 node:22\n', expect: ['1:6 pins this stage'] },
  { name: 'variables, and stage names that say the platform', dockerfile: 'FROM --platform=$BUILDPLATFORM golang:1.23 AS build\nFROM --platform=linux/arm64 alpine:3.20 AS tools-arm64\nFROM --platform=${TARGETPLATFORM} alpine:3.20\n', expect: [] },
]);

ruleCases('redundant-target-platform', [
  { name: '$TARGETPLATFORM and ${TARGETPLATFORM}', dockerfile: 'FROM --platform=$TARGETPLATFORM alpine:3.20\nFROM --platform=${TARGETPLATFORM} alpine:3.20\n', expect: ['1:6 what FROM does anyway', '2:6'] },
  { name: 'other values', dockerfile: 'FROM --platform=$BUILDPLATFORM alpine:3.20\nFROM alpine:3.20\n', expect: [] },
]);

ruleCases('maintainer-deprecated', [
  { name: 'MAINTAINER', dockerfile: 'FROM alpine:3.20\nMAINTAINER Jane Doe <jane@example.com>\n', expect: ['2:1 deprecated'] },
  { name: 'the label', dockerfile: 'FROM alpine:3.20\nLABEL org.opencontainers.image.authors="Jane Doe"\n', expect: [] },
]);

ruleCases('onbuild-forbidden-trigger', [
  { name: 'ONBUILD ONBUILD, FROM, MAINTAINER', dockerfile: 'FROM alpine:3.20\nONBUILD ONBUILD RUN x\nONBUILD FROM alpine\nONBUILD MAINTAINER me\n', expect: ['2:9 `ONBUILD ONBUILD`', '3:9 `ONBUILD FROM`', '4:9'] },
  { name: 'allowed triggers', dockerfile: 'FROM alpine:3.20\nONBUILD RUN make\nONBUILD COPY . /app\n', expect: [] },
]);

ruleCases('env-self-reference', [
  { name: 'a value uses a name the same ENV sets', dockerfile: 'FROM alpine:3.20\nENV APP_HOME=/app APP_BIN=$APP_HOME/bin\nENV A=1 B=${A:-x}\n', expect: ['2:19 uses `$APP_HOME`', '3:9'] },
  { name: 'defined before, self reference, prefixes of longer names', dockerfile: 'FROM alpine:3.20\nARG V=1\nENV V=2 W=$V\nENV PATH=/x:$PATH\nENV A=1 B=$AB\nENV X=1\nENV X=2 Y=$X\n', expect: [] },
]);

ruleCases('copy-relative-without-workdir', [
  { name: 'relative destination, no WORKDIR', dockerfile: 'FROM node:22\nCOPY package.json .\nADD app.tgz app/\n', expect: ['2:19 relative path', '3:13'] },
  { name: 'after WORKDIR, in a stage built on one with WORKDIR, absolute and variable destinations', dockerfile: 'FROM node:22 AS base\nCOPY a /abs/\nARG DEST=/d\nCOPY b $DEST\nWORKDIR /app\nCOPY c .\nFROM base\nCOPY d ./\n', expect: [] },
  { name: 'a WORKDIR in another stage does not count', dockerfile: 'FROM node:22\nWORKDIR /app\nFROM node:22\nCOPY x y\n', expect: ['4:8'] },
]);

ruleCases('useradd-without-no-log-init', [
  { name: 'high UID without -l', dockerfile: 'FROM debian:12\nRUN useradd -u 123456789 app && useradd --uid=2000000 b\n', expect: ['2:5 /var/log/lastlog', '2:33'] },
  { name: '-l, --no-log-init, low UIDs, no UID', dockerfile: 'FROM debian:12\nRUN useradd -l -u 123456789 a && useradd --no-log-init --uid 99999999 b && useradd -u 1000 c && useradd d\n', expect: [] },
]);

ruleCases('wget-without-progress', [
  { name: 'plain wget', dockerfile: 'FROM debian:12\nRUN wget https://example.com/a.tgz\n', expect: ['2:5 progress'] },
  { name: '--progress, -q, -nv, -O with -q, output logs', dockerfile: 'FROM debian:12\nRUN wget --progress=dot:giga u && wget -q u && wget -nv u && wget -qO- u && wget -o log u && wget --no-verbose u\n', expect: [] },
]);

ruleCases('label-key-invalid', [
  { name: 'upper case, bad ends, characters, separators, reserved namespaces', dockerfile: 'FROM alpine:3.20\nLABEL Version=1 a.=2 a..b=3 com.docker.x=4 a$b=5\n', expect: ['2:7 `Version`', '2:17', '2:22', '2:29', '2:44'] },
  { name: 'conventional keys', dockerfile: 'FROM alpine:3.20\nLABEL org.opencontainers.image.version=1 maintainer=me "com.example.key"=v\n', expect: [] },
]);

ruleCases('consecutive-run', [
  { name: 'two one-command RUNs, a comment between them', dockerfile: 'FROM debian:12\nRUN apt-get update\n# then\nRUN apt-get install -y curl\n', expect: ['4:1 line 2'] },
  { name: 'chained RUNs, other flags, another instruction between', dockerfile: 'FROM debian:12\nRUN a && b\nRUN c\nRUN --mount=type=cache,target=/x d\nWORKDIR /\nRUN e\n', expect: [] },
]);

ruleCases('instruction-before-from', [
  { name: 'LABEL first', dockerfile: 'LABEL x=y\nFROM alpine:3.20\n', expect: ['1:1 `LABEL` before the first FROM'] },
  { name: 'ARG and comments first', dockerfile: '# syntax=docker/dockerfile:1\n# comment\nARG V=3.20\nFROM alpine:${V}\nLABEL x=y\n', expect: [] },
]);

ruleCases('reserved-stage-name', [
  { name: 'scratch and context', dockerfile: 'FROM alpine:3.20 AS scratch\nFROM alpine:3.20 AS Context\n', expect: ['1:21 `scratch` is reserved', '2:21 build context'] },
  { name: 'other names', dockerfile: 'FROM alpine:3.20 AS base\nFROM scratch\n', expect: [] },
]);

ruleCases('secret-in-arg-or-env', [
  { name: 'tokens, passwords, keys', dockerfile: 'FROM node:22\nARG NPM_TOKEN\nENV DB_PASSWORD=x AWS_SECRET_ACCESS_KEY=y\n', expect: ['2:5 `ARG NPM_TOKEN`', '3:5', '3:19'] },
  { name: 'names that only look like secrets', dockerfile: 'FROM node:22\nARG GPG_KEY_FILE\nENV PUBLIC_KEY=x NODE_VERSION=22 KEYBOARD=us TOKENIZER=x\n', expect: [] },
]);

ruleCases('user-not-numeric', [
  { name: 'a name', dockerfile: 'FROM node:22\nUSER node\nUSER app:staff\n', expect: ['2:6 `USER node`', '3:6'] },
  { name: 'UIDs and variables', dockerfile: 'FROM node:22\nARG UID=1000\nUSER 1000\nUSER 1000:1000\nUSER ${UID}\n', expect: [] },
]);

ruleCases('copy-whole-filesystem', [
  { name: '/ to /', dockerfile: 'FROM golang:1.23 AS build\nFROM alpine:3.20\nCOPY --from=build / /\n', expect: ['3:1 entire filesystem'] },
  { name: 'paths, and / from the context', dockerfile: 'FROM golang:1.23 AS build\nFROM alpine:3.20\nCOPY --from=build /go/bin /usr/local/bin\nCOPY / /\n', expect: [] },
]);

ruleCases('wget-and-curl', [
  { name: 'both in a stage', dockerfile: 'FROM debian:12\nRUN curl -fsSLO https://e/a\nRUN wget https://e/b\n', expect: ['3:5 `wget` here and `curl` on line 2'] },
  { name: 'one each per stage', dockerfile: 'FROM debian:12\nRUN curl -fsSLO https://e/a\nFROM debian:12\nRUN wget https://e/b\n', expect: [] },
]);

ruleCases('ln-bin-sh', [
  { name: 'symlink to /bin/sh', dockerfile: 'FROM debian:12\nRUN ln -sf /bin/bash /bin/sh\n', expect: ['2:5 system shell'] },
  { name: 'other links', dockerfile: 'FROM debian:12\nRUN ln -s /bin/sh /usr/local/bin/mysh && ln -s /opt/x /usr/bin/x\nSHELL ["/bin/bash", "-c"]\n', expect: [] },
]);

ruleCases('pipefail', [
  { name: 'a pipe under /bin/sh', dockerfile: 'FROM debian:12\nRUN curl -fsSL https://e/app.tgz | tar -xz -C /opt\n', expect: ['2:5 `curl -fsSL https://e/app.tgz | tar -xz -C /opt`'] },
  { name: 'SHELL with pipefail, set -o pipefail first, no pipe, exec form, PowerShell', dockerfile: 'FROM debian:12 AS a\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN a | b\nFROM a\nRUN c | d\nFROM debian:12\nRUN set -euo pipefail; e | f\nRUN g || h\nRUN ["sh", "-c", "i | j"]\nFROM mcr.microsoft.com/windows\nSHELL ["powershell", "-Command"]\nRUN Get-Item x | Remove-Item\n', expect: [] },
  { name: 'a SHELL without pipefail, pipes in heredocs', dockerfile: 'FROM debian:12\nSHELL ["/bin/bash", "-c"]\nRUN <<EOF\ncat x | grep y\nEOF\n', expect: ['4:1'] },
]);

ruleCases('stage-name-casing', [
  { name: 'upper-case stage names, AS casing', dockerfile: 'FROM golang:1.23 AS Build\nFROM alpine:3.20 as base\nfrom alpine:3.20 AS other\n', expect: ['1:21 `Build` is not lower case', '2:18 `as` and `FROM`', '3:18'] },
  { name: 'consistent', dockerfile: 'FROM golang:1.23 AS build\nfrom alpine:3.20 as base\n', expect: [] },
]);

ruleCases('instruction-casing', [
  { name: 'mixed and minority casing', dockerfile: 'FROM alpine:3.20\nRun echo a\nrun echo b\nCMD ["sh"]\n', expect: ['2:1 `Run`', '3:1'] },
  { name: 'all upper, all lower', dockerfile: 'from alpine:3.20\nrun echo a\n', expect: [] },
]);

ruleCases('legacy-key-value', [
  { name: 'ENV, ARG and LABEL with a space', dockerfile: 'FROM alpine:3.20\nENV APP_HOME /app\nARG V 1\nLABEL maintainer me\n', expect: ['2:1 `ENV APP_HOME /app`', '3:1', '4:1'] },
  { name: 'key=value, bare ARG', dockerfile: 'FROM alpine:3.20\nENV A=1 B="two words"\nARG C\nLABEL d=e\n', expect: [] },
]);

import { ruleCases } from './cases.js';

ruleCases('apt-get-missing-yes', [
  { name: 'install without -y', dockerfile: 'FROM debian:12\nRUN apt-get update && apt-get install curl\n', expect: ['2:23 without `-y`'] },
  { name: 'ONBUILD RUN', dockerfile: 'FROM debian:12\nONBUILD RUN apt-get install curl\n', expect: ['2:13'] },
  { name: 'inside sh -c, exec form', dockerfile: 'FROM debian:12\nRUN ["sh", "-c", "apt-get install curl"]\n', expect: ['2:19'] },
  { name: 'heredoc body', dockerfile: 'FROM debian:12\nRUN <<EOF\nset -e\napt-get install curl\nEOF\n', expect: ['4:1'] },
  { name: 'continuation lines', dockerfile: 'FROM debian:12\nRUN apt-get update \\\n  && apt-get \\\n     install curl\n', expect: ['3:6'] },
  { name: 'behind sudo and env', dockerfile: 'FROM debian:12\nRUN env DEBIAN_FRONTEND=noninteractive apt-get install curl\n', expect: ['2:40'] },
  { name: '-y, --yes, --assume-yes, -qq, -q -q, -q=2, clusters', dockerfile: 'FROM debian:12\nRUN apt-get install -y a && apt-get --yes install b && apt-get --assume-yes install c \\\n && apt-get -qq install d && apt-get -q -q install e && apt-get -q=2 install f && apt-get -qy install g\n', expect: [] },
  { name: 'other apt-get verbs and words that only mention install', dockerfile: 'FROM debian:12\nRUN apt-get update && apt-get remove -y x && echo "apt-get install curl"\n', expect: [] },
  { name: 'a single -q is not enough', dockerfile: 'FROM debian:12\nRUN apt-get -q install x\n', expect: ['2:5'] },
]);

ruleCases('apt-get-install-recommends', [
  { name: 'install without the flag', dockerfile: 'FROM debian:12\nRUN apt-get install -y curl\n', expect: ['2:5 recommended'] },
  { name: 'ONBUILD and sh -c', dockerfile: 'FROM debian:12\nONBUILD RUN sh -c "apt-get -y install curl"\n', expect: ['2:20'] },
  { name: 'flag before or after the verb, or the apt option', dockerfile: 'FROM debian:12\nRUN apt-get --no-install-recommends install -y a && apt-get install -y --no-install-recommends b \\\n && apt-get -o APT::Install-Recommends=false install -y c\n', expect: [] },
  { name: 'apt-get update only', dockerfile: 'FROM debian:12\nRUN apt-get update\n', expect: [] },
]);

ruleCases('apt-get-version-pin', [
  { name: 'each unpinned package', dockerfile: 'FROM debian:12\nRUN apt-get install -y curl=7.88.1 git \\\n    make\n', expect: ['2:36 `apt-get install git`', '3:5 `apt-get install make`'] },
  { name: 'pinned, .deb files, paths, release values and variables', dockerfile: 'FROM debian:12\nARG PKGS\nRUN apt-get install -y -t bookworm-backports a=1 ./local.deb /tmp/x.deb $PKGS "b=2*" \\\n && apt-get install --target-release=bookworm c=3\n', expect: [] },
  { name: 'ONBUILD', dockerfile: 'FROM debian:12\nONBUILD RUN apt-get install -y vim\n', expect: ['2:32'] },
]);

ruleCases('apt-lists-not-removed', [
  { name: 'update without removal in the final stage', dockerfile: 'FROM debian:12\nRUN apt-get update && apt-get install -y curl\n', expect: ['2:5 /var/lib/apt/lists'] },
  { name: 'removed in the same RUN, any rm spelling', dockerfile: 'FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -fr /var/lib/apt/lists/*\nRUN apt-get update && rm --recursive --force /var/lib/apt/lists\n', expect: [] },
  { name: 'removed only in a later RUN', dockerfile: 'FROM debian:12\nRUN apt-get update && apt-get install -y curl\nRUN rm -rf /var/lib/apt/lists/*\n', expect: ['2:5'] },
  { name: 'a builder stage nothing builds on', dockerfile: 'FROM debian:12 AS build\nRUN apt-get update && apt-get install -y gcc\nFROM debian:12\nCOPY --from=build /x /x\n', expect: [] },
  { name: 'a stage the final one builds on', dockerfile: 'FROM debian:12 AS base\nRUN apt-get update && apt-get install -y curl\nFROM base\nCMD ["curl"]\n', expect: ['2:5'] },
  { name: 'cache mounts', dockerfile: 'FROM debian:12\nRUN --mount=type=cache,target=/var/lib/apt/lists apt-get update && apt-get install -y a\nRUN --mount=type=cache,target=/var/lib/apt --mount=type=cache,target=/var/cache/apt apt-get update\n', expect: [] },
  { name: 'ONBUILD in a builder stage still ships', dockerfile: 'FROM debian:12 AS b\nONBUILD RUN apt-get update\nFROM scratch\n', expect: ['2:13'] },
  { name: 'apt update too', dockerfile: 'FROM debian:12\nRUN apt update\n', expect: ['2:5 `apt update`'] },
]);

ruleCases('apt-instead-of-apt-get', [
  { name: 'apt install', dockerfile: 'FROM debian:12\nRUN apt update && apt install -y curl\n', expect: ['2:5 `apt`', '2:19'] },
  { name: 'apt-get and apt-cache, and apt as an argument', dockerfile: 'FROM debian:12\nRUN apt-get update && apt-cache policy curl && echo apt\n', expect: [] },
  { name: 'ONBUILD', dockerfile: 'FROM debian:12\nONBUILD RUN apt install -y x\n', expect: ['2:13'] },
]);

ruleCases('apk-version-pin', [
  { name: 'unpinned packages', dockerfile: 'FROM alpine:3.20\nRUN apk add --no-cache curl git=2.45.2-r0\n', expect: ['2:24 `apk add curl`'] },
  { name: 'pins, .apk files, --virtual and --repository values', dockerfile: 'FROM alpine:3.20\nRUN apk add --no-cache --virtual .build-deps a=1 b~2 "c>3" ./x.apk \\\n && apk add -t .deps -X https://dl-cdn.alpinelinux.org/alpine/edge/testing d=4\n', expect: [] },
  { name: 'ONBUILD and heredoc', dockerfile: 'FROM alpine:3.20\nONBUILD RUN apk add bash\nRUN <<EOF\napk add make\nEOF\n', expect: ['2:21', '4:9'] },
]);

ruleCases('apk-add-no-cache', [
  { name: 'apk add without --no-cache', dockerfile: 'FROM alpine:3.20\nRUN apk update && apk add curl\n', expect: ['2:19 --no-cache'] },
  { name: 'with --no-cache or a cache mount', dockerfile: 'FROM alpine:3.20\nRUN apk add --no-cache curl\nRUN --mount=type=cache,target=/var/cache/apk apk add git\n', expect: [] },
  { name: 'ONBUILD and sh -c', dockerfile: 'FROM alpine:3.20\nONBUILD RUN sh -c "apk add curl"\n', expect: ['2:20'] },
  { name: 'other apk verbs', dockerfile: 'FROM alpine:3.20\nRUN apk del curl && apk info\n', expect: [] },
]);

ruleCases('pip-version-pin', [
  { name: 'unpinned packages', dockerfile: 'FROM python:3.12\nRUN pip install --no-cache-dir requests flask==3.0.3\n', expect: ['2:32 `pip install requests`'] },
  { name: 'python -m pip and pipx', dockerfile: 'FROM python:3.12\nRUN python3 -m pip install django && pipx install black\n', expect: ['2:28', '2:51'] },
  { name: 'requirements, constraints, ., specifiers, wheels, paths, VCS with a ref', dockerfile: 'FROM python:3.12\nRUN pip install -r requirements.txt && pip install -c c.txt x && pip install . \\\n && pip install "a>=1" b~=2 c!=3 ./d.whl e.tar.gz ./src/pkg git+https://github.com/o/r@v1 \\\n && pip install --index-url https://pypi.example/simple f==1 --target /opt g==2\n', expect: [] },
  { name: 'a VCS URL without a ref', dockerfile: 'FROM python:3.12\nRUN pip install git+https://github.com/o/r\n', expect: ['2:17'] },
  { name: 'ONBUILD', dockerfile: 'FROM python:3.12\nONBUILD RUN pip install six\n', expect: ['2:25'] },
]);

ruleCases('pip-no-cache-dir', [
  { name: 'pip install without the flag', dockerfile: 'FROM python:3.12\nRUN pip install -r requirements.txt\n', expect: ['2:5 ~/.cache/pip'] },
  { name: 'the flag, PIP_NO_CACHE_DIR in ENV or in the RUN, a cache mount, pipx and pipenv', dockerfile: 'FROM python:3.12\nRUN pip install --no-cache-dir a\nRUN PIP_NO_CACHE_DIR=1 pip install b\nRUN --mount=type=cache,target=/root/.cache/pip pip install c\nRUN pipx install d && pipenv install\nENV PIP_NO_CACHE_DIR=true\nRUN pip install e\n', expect: [] },
  { name: 'ENV in a base stage covers the stages built on it', dockerfile: 'FROM python:3.12 AS base\nENV PIP_NO_CACHE_DIR=1\nFROM base\nRUN pip install a\nFROM python:3.12\nRUN pip install b\n', expect: ['6:5'] },
  { name: 'ENV set to a false value, or after the RUN', dockerfile: 'FROM python:3.12\nENV PIP_NO_CACHE_DIR=0\nRUN pip install a\n', expect: ['3:5'] },
  { name: 'ONBUILD and python -m pip', dockerfile: 'FROM python:3.12\nONBUILD RUN python -m pip install a\n', expect: ['2:13'] },
]);

ruleCases('cd-in-run', [
  { name: 'cd in RUN', dockerfile: 'FROM node:22\nRUN cd /app && npm ci\n', expect: ['2:5 WORKDIR'] },
  { name: 'WORKDIR, and cd only as a word', dockerfile: 'FROM node:22\nWORKDIR /app\nRUN npm ci && echo cd\n', expect: [] },
]);

ruleCases('pointless-command', [
  { name: 'service and ps', dockerfile: 'FROM debian:12\nRUN service nginx start && ps aux\n', expect: ['2:5 `service`', '2:28 `ps`'] },
  { name: 'ssh-keygen, and names as arguments', dockerfile: 'FROM debian:12\nRUN ssh-keygen -A && echo kill && apt-get install -y vim\n', expect: [] },
]);

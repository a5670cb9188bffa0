import { ruleCases } from './cases.js';

ruleCases('yum-missing-yes', [
  { name: 'install without -y', dockerfile: 'FROM centos:7\nRUN yum install httpd && yum clean all\n', expect: ['2:5 `yum install` without `-y`'] },
  { name: 'groupinstall, ONBUILD', dockerfile: 'FROM centos:7\nONBUILD RUN yum groupinstall "Development Tools"\n', expect: ['2:13 `yum groupinstall`'] },
  { name: '-y, --assumeyes, -qy, other verbs', dockerfile: 'FROM centos:7\nRUN yum install -y a && yum --assumeyes install b && yum -qy localinstall c.rpm && yum clean all && yum remove d\n', expect: [] },
]);

ruleCases('dnf-missing-yes', [
  { name: 'dnf and microdnf without -y', dockerfile: 'FROM fedora:40\nRUN dnf install httpd && microdnf install curl\n', expect: ['2:5 `dnf install`', '2:26 `microdnf install`'] },
  { name: 'with -y', dockerfile: 'FROM fedora:40\nRUN dnf -y install httpd && microdnf install --assumeyes curl\n', expect: [] },
]);

ruleCases('zypper-non-interactive', [
  { name: 'install and remove without -n', dockerfile: 'FROM opensuse/leap:15.6\nRUN zypper install curl && zypper rm vim\n', expect: ['2:5 `zypper install`', '2:28 `zypper rm`'] },
  { name: '-n, --non-interactive, -y, refresh', dockerfile: 'FROM opensuse/leap:15.6\nRUN zypper -n install a && zypper --non-interactive in b && zypper install -y c && zypper refresh\n', expect: [] },
]);

ruleCases('zypper-dist-upgrade', [
  { name: 'dup and dist-upgrade', dockerfile: 'FROM opensuse/leap:15.5\nRUN zypper -n dup && zypper dist-upgrade -y\n', expect: ['2:5 `zypper dup`', '2:22 `zypper dist-upgrade`'] },
  { name: 'update', dockerfile: 'FROM opensuse/leap:15.6\nRUN zypper -n update\n', expect: [] },
]);

ruleCases('yum-cache-not-cleaned', [
  { name: 'no clean', dockerfile: 'FROM centos:7\nRUN yum install -y httpd\n', expect: ['2:5 no `yum clean all`'] },
  { name: 'clean before the install does not count', dockerfile: 'FROM centos:7\nRUN yum clean all && yum install -y httpd\n', expect: ['2:22'] },
  { name: 'yum clean all, rm -rf of the cache, a cache mount', dockerfile: 'FROM centos:7\nRUN yum install -y a && yum clean all\nRUN yum install -y b && rm -rf /var/cache/yum/*\nRUN --mount=type=cache,target=/var/cache/yum yum install -y c\n', expect: [] },
]);

ruleCases('dnf-cache-not-cleaned', [
  { name: 'no clean, and another tool\'s clean', dockerfile: 'FROM fedora:40\nRUN dnf install -y a\nRUN dnf install -y b && microdnf clean all\n', expect: ['2:5 `dnf install`', '3:5'] },
  { name: 'dnf clean all, rm -rf of the cache, upgrades cleaned, cache mounts', dockerfile: 'FROM fedora:40\nRUN dnf install -y a && dnf clean all\nRUN microdnf upgrade -y && rm -rf /var/cache/yum/*\nRUN --mount=type=cache,target=/var/cache/libdnf5 dnf install -y c\n', expect: [] },
]);

ruleCases('zypper-cache-not-cleaned', [
  { name: 'no clean', dockerfile: 'FROM opensuse/leap:15.6\nRUN zypper -n install curl\n', expect: ['2:5 no `zypper clean`'] },
  { name: 'clean and cc', dockerfile: 'FROM opensuse/leap:15.6\nRUN zypper -n in a && zypper clean\nRUN zypper -n install b && zypper cc -a\n', expect: [] },
]);

ruleCases('rpm-version-pin', [
  { name: 'unpinned yum, dnf and module packages', dockerfile: 'FROM rockylinux:9\nRUN yum install -y httpd mod_ssl-2.4.57 && dnf module install -y nodejs\n', expect: ['2:20 `yum install httpd`', '2:66 `dnf install nodejs`'] },
  { name: 'versions, rpm files, module streams, variables', dockerfile: 'FROM rockylinux:9\nARG V\nRUN dnf install -y a-1.2 b-1.2-3.el9 ./c.rpm "d-${V}" && dnf module install -y nodejs:20 && microdnf install -y e-2.0\n', expect: [] },
]);

ruleCases('zypper-version-pin', [
  { name: 'unpinned', dockerfile: 'FROM opensuse/leap:15.6\nRUN zypper -n install curl "vim>=9"\n', expect: ['2:23 `zypper install curl`'] },
  { name: 'pinned', dockerfile: 'FROM opensuse/leap:15.6\nRUN zypper -n in a=1 "b<2" c.rpm\n', expect: [] },
]);

ruleCases('npm-version-pin', [
  { name: 'unpinned global tools, scoped too', dockerfile: 'FROM node:22\nRUN npm install -g typescript @angular/cli@17 @vue/cli\n', expect: ['2:20 `npm install typescript`', '2:47 `npm install @vue/cli`'] },
  { name: 'package.json installs, versions, tags, tarballs, folders, git with a ref', dockerfile: 'FROM node:22\nRUN npm install && npm ci && npm i -g pnpm@9 && npm install ./local ../x.tgz git+https://github.com/o/r#v1 && npm install --registry https://r.example/ a@latest\n', expect: [] },
]);

ruleCases('gem-version-pin', [
  { name: 'unpinned gems', dockerfile: 'FROM ruby:3.3\nRUN gem install bundler rake:13.2\n', expect: ['2:17 `gem install bundler`'] },
  { name: ':version, -v, options with values', dockerfile: 'FROM ruby:3.3\nRUN gem install bundler:2.5 && gem install rails -v 7.1 && gem install --install-dir /g rake:13 && gem i --version=1 x\n', expect: [] },
]);

ruleCases('go-install-version-pin', [
  { name: '@latest and no version', dockerfile: 'FROM golang:1.23\nRUN go install golang.org/x/tools/gopls@latest && go run example.com/tool\n', expect: ['2:16 `go install golang.org/x/tools/gopls@latest`', '2:58 `go run example.com/tool`'] },
  { name: 'versions and local paths; arguments of go run', dockerfile: 'FROM golang:1.23\nRUN go install example.com/a@v1.2.3 && go install ./cmd/... && go run . serve && go run example.com/b@v1 arg && go build ./...\n', expect: [] },
]);

ruleCases('yarn-cache-not-cleaned', [
  { name: 'install without clean', dockerfile: 'FROM node:22\nRUN yarn install --frozen-lockfile\n', expect: ['2:5 `yarn cache clean`'] },
  { name: 'cleaned, a cache mount, a builder stage', dockerfile: 'FROM node:22 AS build\nRUN yarn install\nFROM node:22\nRUN yarn install && yarn cache clean\nRUN --mount=type=cache,target=/usr/local/share/.cache/yarn yarn install\n', expect: [] },
]);

ruleCases('empty-continuation', [
  { name: 'a blank line in a continued RUN', dockerfile: 'FROM debian:12\nRUN apt-get update && \\\n\n    apt-get install -y curl\n', expect: ['3:1 continued `RUN`'] },
  { name: 'comment lines, heredoc blank lines, blank lines between instructions', dockerfile: 'FROM debian:12\nRUN a && \\\n# a comment\n    b\n\nRUN <<EOF\nc\n\nd\nEOF\n', expect: [] },
]);

ruleCases('from-arg-undefined', [
  { name: 'ARG declared in a stage, typo of a global one', dockerfile: 'ARG VERSION=1.27\nFROM alpine:3.20 AS base\nARG TAG=1\nFROM nginx:${TAG}\nFROM nginx:$VERSON\n', expect: ['4:6 `$TAG`', '5:6 did you mean VERSION?'] },
  { name: 'global ARGs, predefined platform ARGs', dockerfile: 'ARG BASE=alpine\nARG TAG\nFROM --platform=$BUILDPLATFORM ${BASE}:${TAG:-3.20}\nFROM --platform=$TARGETPLATFORM alpine:3.20\n', expect: [] },
]);

ruleCases('from-arg-default-invalid', [
  { name: 'empty tag and empty name', dockerfile: 'ARG TAG\nARG IMG=\nFROM alpine:${TAG}\nFROM ${IMG}\n', expect: ['3:6 `alpine:`', '4:6'] },
  { name: 'defaults that make a valid image, defaults in the reference', dockerfile: 'ARG TAG=3.20\nARG REG=ghcr.io/o\nFROM alpine:${TAG}\nFROM ${REG}/app:1\nARG T2\nFROM alpine:${T2:-3.19}\n', expect: [] },
]);

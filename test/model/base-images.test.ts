import { baseImageFacts, imageName, imageSh, isPlainOs, knownBaseImage, lacksBash, lacksShell } from '../../src/model/base-images.js';
import { buildImageModel, chosenAtBuildText } from '../../src/model/image.js';
import { ast } from '../helpers.js';

const from = (base: string) => ({ base, baseKnown: true, baseStage: null });
const user = (ref: string) => baseImageFacts(ref)?.user ?? null;

describe('imageName', () => {
  it('splits name and tag, with latest when there is no tag', () => {
    expect(imageName('php:8.3-apache-bookworm')).toEqual({ name: 'php', tag: '8.3-apache-bookworm' });
    expect(imageName('node')).toEqual({ name: 'node', tag: 'latest' });
  });

  it('keeps a registry port apart from the tag', () => {
    expect(imageName('registry.example:5000/team/app:1.2')).toEqual({ name: 'registry.example:5000/team/app', tag: '1.2' });
    expect(imageName('registry.example:5000/team/app')).toEqual({ name: 'registry.example:5000/team/app', tag: 'latest' });
  });

  it('drops the digest, the Docker Hub prefixes and the per-architecture namespaces', () => {
    expect(imageName('docker.io/library/postgres:16@sha256:' + 'a'.repeat(64))).toEqual({ name: 'postgres', tag: '16' });
    expect(imageName('arm64v8/redis:7-alpine')).toEqual({ name: 'redis', tag: '7-alpine' });
    expect(imageName('AMD64/PHP:8-APACHE')).toEqual({ name: 'php', tag: '8-apache' });
  });
});

describe('baseImageFacts: the default user', () => {
  it('distroless runs as nonroot only with a nonroot tag, arch-suffixed or debug', () => {
    expect(user('gcr.io/distroless/static-debian12:nonroot')).toBe('65532');
    expect(user('gcr.io/distroless/base-debian12:debug-nonroot')).toBe('65532');
    expect(user('gcr.io/distroless/static-debian12:nonroot-amd64')).toBe('65532');
    expect(user('gcr.io/distroless/java21-debian12:debug-nonroot-arm64')).toBe('65532');
    expect(user('gcr.io/distroless/static-debian12:nonroot@sha256:' + 'b'.repeat(64))).toBe('65532');
  });

  it('distroless without a nonroot tag runs as root', () => {
    expect(baseImageFacts('gcr.io/distroless/static-debian12')).toBeNull();
    expect(baseImageFacts('gcr.io/distroless/static-debian12:latest-amd64')).toBeNull();
    expect(baseImageFacts('gcr.io/distroless/base:debug')).toBeNull();
  });

  it('chainguard runs as nonroot, except its -dev variants and wolfi-base', () => {
    expect(user('cgr.dev/chainguard/python:latest')).toBe('65532');
    expect(user('cgr.dev/chainguard/nginx')).toBe('65532');
    expect(user('cgr.dev/my-org.com/node:22')).toBe('65532');
    expect(baseImageFacts('cgr.dev/chainguard/python:latest-dev')).toBeNull();
    expect(baseImageFacts('cgr.dev/chainguard/python:3.12-dev@sha256:' + 'c'.repeat(64))).toBeNull();
    expect(baseImageFacts('cgr.dev/chainguard/wolfi-base')).toBeNull();
  });

  it('SQL Server runs as root on its 2017 images and as mssql from 2019 on', () => {
    expect(baseImageFacts('mcr.microsoft.com/mssql/server:2017-latest')?.user).toBeNull();
    expect(baseImageFacts('mcr.microsoft.com/mssql/server:2017-CU31-ubuntu-18.04')?.user).toBeNull();
    expect(user('mcr.microsoft.com/mssql/server:2019-latest')).toBe('mssql');
    expect(user('mcr.microsoft.com/mssql/server:2022-CU14-ubuntu-22.04')).toBe('mssql');
    expect(user('mcr.microsoft.com/mssql/server')).toBe('mssql');
    expect(user('mcr.microsoft.com/mssql/rhel/server:2022-latest')).toBe('mssql');
  });

  it('bitnami application images run as 1001, minideb as root', () => {
    expect(user('bitnami/redis:7.2')).toBe('1001');
    expect(user('docker.io/bitnami/postgresql:16-debian-12')).toBe('1001');
    expect(baseImageFacts('bitnami/minideb:bookworm')).toBeNull();
  });

  it('jenkins and the vendor images that set a USER of their own', () => {
    expect(user('jenkins/jenkins:lts-jdk17')).toBe('jenkins');
    expect(user('jenkins/inbound-agent:latest-alpine-jdk21')).toBe('jenkins');
    expect(baseImageFacts('jenkins/ssh-agent')).toBeNull(); // sshd needs root
    expect(user('sonarqube:community')).toBe('sonarqube');
    expect(user('sonatype/nexus3')).toBe('nexus');
    expect(user('grafana/grafana-oss:11.0.0')).toBe('472');
    expect(user('docker.elastic.co/elasticsearch/elasticsearch:8.15.0')).toBe('1000');
    expect(user('memcached:1.6-alpine')).toBe('memcache');
    expect(user('solr:9')).toBe('solr');
    expect(user('nginxinc/nginx-unprivileged:alpine')).toBe('101');
  });

  it('language images run as root and do not step down', () => {
    for (const ref of ['node:20-slim', 'python:3.12', 'golang:1.23-alpine', 'ruby:3.3', 'openjdk:21-jdk', 'eclipse-temurin:21-jre-alpine']) {
      expect(baseImageFacts(ref)).toMatchObject({ user: null, dropsPrivileges: false, rootCommand: null });
    }
  });

  it('the docker-library images that step down in their entrypoint, with any tag', () => {
    for (const ref of ['postgres:16-alpine3.20', 'mysql:8.4-oracle', 'mariadb:11', 'redis', 'mongo:7-jammy', 'rabbitmq:3-management', 'arm64v8/postgres:16', 'cassandra:5']) {
      expect(baseImageFacts(ref)).toMatchObject({ user: null, dropsPrivileges: true });
    }
  });

  it('knows the root server that php, httpd, tomcat and the php applications start when nothing else is set', () => {
    expect(baseImageFacts('php:8.3-apache-bookworm')?.rootCommand).toBe('apache2-foreground');
    expect(baseImageFacts('php:apache')?.rootCommand).toBe('apache2-foreground');
    expect(baseImageFacts('php:8.4-fpm-alpine3.20')?.rootCommand).toBe('php-fpm');
    expect(baseImageFacts('php:8.3-zts')?.rootCommand).toBeNull(); // the cli: php -a
    expect(baseImageFacts('php:8-cli')?.rootCommand).toBeNull();
    expect(baseImageFacts('drupal:10-apache')?.rootCommand).toBe('apache2-foreground');
    expect(baseImageFacts('wordpress')?.rootCommand).toBe('apache2-foreground');
    expect(baseImageFacts('wordpress:6-fpm-alpine')?.rootCommand).toBe('php-fpm');
    expect(baseImageFacts('wordpress:cli')?.rootCommand ?? null).toBeNull();
    expect(baseImageFacts('httpd:2.4-alpine')?.rootCommand).toBe('httpd-foreground');
    expect(baseImageFacts('tomcat:10-jdk17')?.rootCommand).toBe('catalina.sh run');
  });

  it('knows the ENTRYPOINT that node, eclipse-temurin, tomcat on temurin and php leave to the images built on them', () => {
    const entry = (ref: string): [string, string | null] | null => {
      const e = baseImageFacts(ref)?.entrypoint;
      return e ? [e.path, e.next.kind === 'args' ? e.next.prefix : null] : null;
    };
    expect(entry('node:22-bookworm-slim')).toEqual(['/usr/local/bin/docker-entrypoint.sh', 'node']);
    expect(entry('node:18-alpine')).toEqual(['/usr/local/bin/docker-entrypoint.sh', 'node']);
    expect(entry('eclipse-temurin:21-jre-noble')).toEqual(['/__cacert_entrypoint.sh', null]);
    expect(entry('tomcat:10.1-jdk21-temurin')).toEqual(['/__cacert_entrypoint.sh', null]);
    expect(entry('tomcat:10')).toEqual(['/__cacert_entrypoint.sh', null]);
    expect(entry('tomcat:9-jdk11-openjdk')).toBeNull();
    expect(entry('tomcat:9-jdk17-corretto')).toBeNull();
    expect(entry('php:8.3-apache')).toEqual(['/usr/local/bin/docker-php-entrypoint', 'apache2-foreground']);
    expect(entry('php:8.4-fpm-alpine')).toEqual(['/usr/local/bin/docker-php-entrypoint', 'php-fpm']);
    expect(entry('php:8.4-alpine')).toEqual(['/usr/local/bin/docker-php-entrypoint', 'php']);
    // Images with entrypoints of their own that are not modelled, or none.
    expect(entry('wordpress:6-apache')).toBeNull();
    expect(entry('openjdk:17')).toBeNull();
    expect(entry('python:3.12')).toBeNull();
    expect(entry('httpd:2.4')).toBeNull();
  });

  it('knows the foreground scripts of the php apache variants and of httpd, and which server they exec', () => {
    const programs = (ref: string): string[] => (baseImageFacts(ref)?.programs ?? []).map((p) => `${p.path} -> ${p.next.kind === 'command' ? p.next.argv.join(' ') : `"$@" (${p.next.prefix ?? 'as is'})`}`);
    expect(programs('php:8.3-apache')).toEqual(['/usr/local/bin/docker-php-entrypoint -> "$@" (apache2-foreground)', '/usr/local/bin/apache2-foreground -> apache2 -DFOREGROUND']);
    expect(programs('wordpress:6')).toEqual(['/usr/local/bin/docker-php-entrypoint -> "$@" (apache2-foreground)', '/usr/local/bin/apache2-foreground -> apache2 -DFOREGROUND']);
    expect(programs('httpd:2.4-alpine')).toEqual(['/usr/local/bin/httpd-foreground -> httpd -DFOREGROUND']);
    expect(programs('nginx:1.27')).toEqual([]);
  });

  it('knows nothing of an image it has not listed', () => {
    expect(baseImageFacts('example.com/team/app:1')).toBeNull();
    // s6-overlay runs the image's own services as abc, but a CMD of a derived image as root.
    expect(baseImageFacts('lscr.io/linuxserver/jellyfin:latest')).toBeNull();
    expect(baseImageFacts('phpmyadmin')).toBeNull();
  });
});

describe('imageSh: what /bin/sh is', () => {
  const sh = (ref: string) => imageSh(from(ref));

  it('busybox ash on Alpine, BusyBox, Wolfi and the Alpine tags of other images', () => {
    expect(sh('alpine:3.20')).toEqual({ flavour: 'ash', known: true });
    expect(sh('node:20-alpine3.19')).toEqual({ flavour: 'ash', known: true });
    expect(sh('nginx:alpine-slim')).toEqual({ flavour: 'ash', known: true });
    expect(sh('cgr.dev/chainguard/wolfi-base')).toEqual({ flavour: 'ash', known: true });
    expect(sh('gcr.io/distroless/base-debian12:debug-nonroot')).toEqual({ flavour: 'ash', known: true });
    expect(sh('arm64v8/alpine')).toEqual({ flavour: 'ash', known: true });
  });

  it('bash on the Red Hat family, Amazon Linux and their tags of other images', () => {
    expect(sh('registry.access.redhat.com/ubi9/ubi-minimal:9.4')).toEqual({ flavour: 'bash', known: true });
    expect(sh('rockylinux:9')).toEqual({ flavour: 'bash', known: true });
    expect(sh('amazonlinux:2023')).toEqual({ flavour: 'bash', known: true });
    expect(sh('eclipse-temurin:21-ubi9-minimal')).toEqual({ flavour: 'bash', known: true });
    expect(sh('amazoncorretto:21-al2023')).toEqual({ flavour: 'bash', known: true });
    expect(sh('jenkins/jenkins:lts-rhel-ubi9-jdk21')).toEqual({ flavour: 'bash', known: true });
    expect(sh('mysql:8.4')).toEqual({ flavour: 'bash', known: true });
  });

  it('dash on Debian, Ubuntu and the official images built on them; a Debian tag wins', () => {
    expect(sh('debian:12-slim')).toEqual({ flavour: 'dash', known: true });
    expect(sh('ubuntu:24.04')).toEqual({ flavour: 'dash', known: true });
    expect(sh('python:3.12')).toEqual({ flavour: 'dash', known: true });
    expect(sh('php:8.3-apache')).toEqual({ flavour: 'dash', known: true });
    expect(sh('mysql:8.0-debian')).toEqual({ flavour: 'dash', known: true });
    expect(sh('example.com/app:1.0-bookworm')).toEqual({ flavour: 'dash', known: true });
  });

  it('an image it does not know is taken to be dash, as a guess', () => {
    expect(sh('example.com/team/base:1')).toEqual({ flavour: 'dash', known: false });
    expect(imageSh({ base: '${BASE}', baseKnown: false, baseStage: null })).toEqual({ flavour: 'dash', known: false });
  });
});

describe('plain OS images and bash', () => {
  it('plain OS images ship no entrypoint scripts; official application images do', () => {
    expect(isPlainOs(from('debian:12'))).toBe(true);
    expect(isPlainOs(from('arm64v8/alpine:3.20'))).toBe(true);
    expect(isPlainOs(from('gcr.io/distroless/static-debian12:nonroot'))).toBe(true);
    expect(isPlainOs(from('node:20'))).toBe(false);
    expect(isPlainOs(from('alpine/git'))).toBe(false);
  });

  it('bash is missing on Alpine, BusyBox, distroless and Chainguard unless installed', () => {
    expect(lacksBash(from('alpine:3.20'))).toBe(true);
    expect(lacksBash(from('python:3.12-alpine'))).toBe(true);
    expect(lacksBash(from('cgr.dev/chainguard/static'))).toBe(true);
    expect(lacksBash(from('debian:12'))).toBe(false);
    expect(lacksBash(from('registry.access.redhat.com/ubi9'))).toBe(false);
  });

  it('no shell at all only on scratch and distroless without a debug tag', () => {
    expect(lacksShell(from('scratch'))).toBe(true);
    expect(lacksShell(from('gcr.io/distroless/static-debian12:nonroot'))).toBe(true);
    expect(lacksShell(from('gcr.io/distroless/base-debian12'))).toBe(true);
    expect(lacksShell(from('gcr.io/distroless/base-debian12:debug-nonroot'))).toBe(false);
    expect(lacksShell(from('alpine:3.20'))).toBe(false);
    expect(lacksShell(from('busybox'))).toBe(false);
  });
});

describe('a base image named by build arguments', () => {
  const stage = (dockerfile: string) => {
    const s = buildImageModel(ast(dockerfile)).stages.at(-1);
    if (!s) throw new Error('no stage');
    return s;
  };

  it('a default that names no image one can pull leaves the image to the build', () => {
    const s = stage('ARG RUNTIME_IMAGE=placeholder\nFROM ${RUNTIME_IMAGE}\n');
    expect(s.baseKnown).toBe(false);
    expect(s.baseChosenAtBuild).toEqual({ args: ['RUNTIME_IMAGE'], value: 'placeholder' });
    expect(chosenAtBuildText(s)).toBe('`FROM ${RUNTIME_IMAGE}` takes the image from the build argument RUNTIME_IMAGE, whose default `placeholder` names no image one can pull');
    expect(knownBaseImage(s)).toBeNull();
  });

  it('no default, or one that is not a reference, leaves it to the build too', () => {
    expect(stage('ARG BASE\nFROM $BASE\n').baseChosenAtBuild).toEqual({ args: ['BASE'], value: null });
    expect(chosenAtBuildText(stage('ARG BASE\nFROM $BASE\n'))).toBe('`FROM $BASE` takes the image from the build argument BASE, which has no default');
    expect(stage('ARG BASE=PLEASE_SET_ME\nFROM $BASE\n').baseChosenAtBuild).toEqual({ args: ['BASE'], value: 'PLEASE_SET_ME' });
    expect(stage('ARG BASE=default_root_image\nFROM docker.io/library/$BASE\n').baseChosenAtBuild?.value).toBe('docker.io/library/default_root_image');
  });

  it('a default that names an image one can pull is that image, with its facts', () => {
    const nonroot = stage('ARG BASE=gcr.io/distroless/static-debian12:nonroot\nFROM $BASE\n');
    expect(nonroot.baseChosenAtBuild).toBeNull();
    expect(nonroot.baseKnown).toBe(true);
    expect(knownBaseImage(nonroot)?.user).toBe('65532');
    for (const ref of ['alpine', 'debian:13-slim', 'rockylinux/rockylinux:9', 'ghcr.io/acme/base:1', 'scratch']) {
      expect(stage(`ARG BASE=${ref}\nFROM \${BASE}\n`).baseChosenAtBuild).toBeNull();
    }
    expect(stage('ARG BASE=debian:13-slim\nFROM index.docker.io/library/${BASE}\n').baseKnown).toBe(true);
    expect(stage('ARG IMG=alpine\nARG TAG=3.20\nFROM ${IMG}:${TAG}\n').base).toBe('alpine:3.20');
  });

  it('a registry, a namespace or a tag from a build argument leaves the image named', () => {
    expect(stage('ARG RELEASE\nFROM ubuntu:$RELEASE\n').baseChosenAtBuild).toBeNull();
    expect(stage('ARG ARCH\nARG OS=trixie\nFROM ${ARCH}/debian:${OS}-slim\n').baseChosenAtBuild).toBeNull();
    expect(stage('ARG REGISTRY\nFROM ${REGISTRY}acme/base:${TAG:-1}\n').baseChosenAtBuild).toBeNull();
  });

  it('an earlier stage chosen by a build argument is that stage', () => {
    const s = stage('ARG FLAVOUR=slim\nFROM debian:13 AS base-slim\nFROM base-${FLAVOUR}\n');
    expect(s.baseChosenAtBuild).toBeNull();
    expect(s.baseStage?.name).toBe('base-slim');
  });
});

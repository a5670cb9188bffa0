/**
 * Programs of the base image that the build does not provide and dockerlint cannot read, but
 * whose behaviour is modelled (base-images.ts): the ENTRYPOINT an image inherits when no stage
 * sets one (node's `docker-entrypoint.sh`, eclipse-temurin's `/__cacert_entrypoint.sh`, php's
 * `docker-php-entrypoint`), and the php and httpd images' foreground scripts, which exec the
 * server. explain shows each as a hop of the chain; a build's own file of that name wins.
 */
import { explainAndLint, removeContexts } from './explain-harness.js';
import { ShellService } from '../src/model/shell-service.js';
import { setup } from './model/evaluator/harness.js';

const shell = new ShellService();
beforeAll(setup);
afterAll(removeContexts);

const explain = (files: Record<string, string>) => explainAndLint(files, shell);

const NODE_EP = "the ENTRYPOINT inherited from `node:22-bookworm-slim` (no stage sets one): the node image's /usr/local/bin/docker-entrypoint.sh, which (as modelled: the image itself is not read) runs its arguments with exec, putting `node` in front when the first is an option or a script for node rather than a command";

describe('the ENTRYPOINT inherited from the base image', () => {
  test('node, CMD node main.js: docker-entrypoint.sh execs it, which stays PID 1 as the USER', async () => {
    const { e, json } = await explain({ Dockerfile: 'FROM node:22-bookworm-slim\nWORKDIR /app\nCOPY main.js .\nUSER node\nCMD ["node", "main.js"]\n', 'main.js': 'console.log(1)\n' });
    expect(e.hops.map((h) => [h.process, h.user, h.pid1, h.at.replace(/^.*\//, ''), h.note])).toEqual([
      ['docker-entrypoint.sh node main.js', 'node', true, 'Dockerfile:1', `${NODE_EP}; here \`node\` is a command: it runs it as it is`],
      ['node main.js', 'node', true, 'Dockerfile:5', 'the main process, PID 1'],
    ]);
    expect(e.summary).toBe('PID 1: docker-entrypoint.sh node main.js (node) -> node main.js (same PID, user node)');
    expect(e.userCommand?.hops.map((h) => h.process)).toEqual(['docker-entrypoint.sh <command>', '<command>']);
    expect(json.hops).toEqual(JSON.parse(JSON.stringify(e.hops)));
  });
  test('node, CMD a script for node: node is put in front', async () => {
    const { e } = await explain({ Dockerfile: 'FROM node:22-bookworm-slim\nWORKDIR /app\nCOPY server.js .\nUSER node\nCMD ["server.js"]\n', 'server.js': 'console.log(1)\n' });
    expect(e.hops.map((h) => h.process)).toEqual(['docker-entrypoint.sh server.js', 'node server.js']);
    expect(e.hops[0]?.note).toBe(`${NODE_EP}; here \`server.js\` is a script for node, not a command on the PATH: it runs \`node server.js\``);
  });
  test('twin: an ENTRYPOINT of the Dockerfile replaces the inherited one', async () => {
    const { e } = await explain({ Dockerfile: 'FROM node:22-bookworm-slim\nUSER node\nENTRYPOINT ["node"]\nCMD ["main.js"]\n' });
    expect(e.hops.map((h) => h.process)).toEqual(['node main.js']);
  });
  test('twin: ENTRYPOINT [] resets it', async () => {
    const { e } = await explain({ Dockerfile: 'FROM node:22-bookworm-slim\nUSER node\nENTRYPOINT []\nCMD ["node", "main.js"]\n' });
    expect(e.hops.map((h) => h.process)).toEqual(['node main.js']);
  });
  test('twin: the build copies its own docker-entrypoint.sh onto the PATH: that script is what runs', async () => {
    const { e } = await explain({
      Dockerfile: 'FROM node:22-bookworm-slim\nCOPY docker-entrypoint.sh /usr/local/bin/\nUSER node\nCMD ["node", "main.js"]\n',
      'docker-entrypoint.sh': '#!/bin/sh\nset -e\nexec "$@"\n',
    });
    expect(e.hops.map((h) => [h.process, h.note])).toEqual([
      ['/usr/local/bin/docker-entrypoint.sh node main.js', 'script /usr/local/bin/docker-entrypoint.sh'],
      ['exec "$@"', 'same PID: hands over to its arguments'],
      ['node main.js', 'the main process, PID 1'],
    ]);
  });
  test('eclipse-temurin: /__cacert_entrypoint.sh execs the CMD; root-process still fires for java as root', async () => {
    const { e, rules } = await explain({ Dockerfile: 'FROM eclipse-temurin:21-jre\nCOPY app.jar /app.jar\nCMD ["java", "-jar", "/app.jar"]\n', 'app.jar': 'x' });
    expect(e.hops.map((h) => [h.process, h.user, h.pid1])).toEqual([
      ['/__cacert_entrypoint.sh java -jar /app.jar', 'root', true],
      ['java -jar /app.jar', 'root', true],
    ]);
    expect(e.hops[0]?.note).toBe("the ENTRYPOINT inherited from `eclipse-temurin:21-jre` (no stage sets one): the eclipse-temurin image's /__cacert_entrypoint.sh, which (as modelled: the image itself is not read) imports the certificates of /certificates when USE_SYSTEM_CA_CERTS is set, then runs its arguments with exec; here `java` is a command: it runs it as it is");
    expect(rules).toContain('root-process');
  });
  test('twin: openjdk has no such entrypoint', async () => {
    const { e } = await explain({ Dockerfile: 'FROM openjdk:17\nCOPY app.jar /app.jar\nCMD ["java", "-jar", "/app.jar"]\n', 'app.jar': 'x' });
    expect(e.hops.map((h) => h.process)).toEqual(['java -jar /app.jar']);
  });
});

describe("the php and httpd images' foreground scripts", () => {
  test('php:*-apache, CMD apache2-foreground: docker-php-entrypoint, then apache2-foreground, then apache2 (root by design, silent)', async () => {
    const { e, rules } = await explain({ Dockerfile: 'FROM php:8.3-apache\nCOPY index.php /var/www/html/\nCMD ["apache2-foreground"]\n', 'index.php': '<?php echo 1;\n' });
    expect(e.hops.map((h) => [h.process, h.pid1])).toEqual([
      ['docker-php-entrypoint apache2-foreground', true],
      ['apache2-foreground', true],
      ['apache2 -DFOREGROUND', true],
    ]);
    expect(e.hops[1]?.note).toBe("the php:*-apache image's /usr/local/bin/apache2-foreground, which (as modelled: the image itself is not read) prepares the Apache run folders, then execs `apache2 -DFOREGROUND` with its arguments; here it runs `apache2 -DFOREGROUND`");
    expect(rules).not.toContain('root-process');
  });
  test('php:*-apache with an option as CMD: apache2-foreground is put in front', async () => {
    const { e } = await explain({ Dockerfile: 'FROM php:8.3-apache\nCMD ["-X"]\n' });
    expect(e.hops.map((h) => h.process)).toEqual(['docker-php-entrypoint -X', 'apache2-foreground -X', 'apache2 -DFOREGROUND -X']);
  });
  test('an entrypoint script of the image that execs "$@" into docker-php-entrypoint php-fpm reaches php-fpm', async () => {
    const { e } = await explain({
      Dockerfile: 'FROM php:8.3-fpm-alpine\nCOPY entrypoint.sh /usr/local/bin/\nUSER www-data\nENTRYPOINT ["entrypoint.sh", "docker-php-entrypoint"]\nCMD ["php-fpm"]\n',
      'entrypoint.sh': '#!/bin/sh\nset -e\nexec "$@"\n',
    });
    expect(e.hops.map((h) => [h.process, h.user])).toEqual([
      ['entrypoint.sh docker-php-entrypoint php-fpm', 'www-data'],
      ['exec "$@"', 'www-data'],
      ['docker-php-entrypoint php-fpm', 'www-data'],
      ['php-fpm', 'www-data'],
    ]);
  });
  test('httpd, CMD httpd-foreground: httpd -DFOREGROUND', async () => {
    const { e } = await explain({ Dockerfile: 'FROM httpd:2.4\nCMD ["httpd-foreground"]\n' });
    expect(e.hops.map((h) => h.process)).toEqual(['httpd-foreground', 'httpd -DFOREGROUND']);
  });
  test('twin: on another base, apache2-foreground is not known', async () => {
    const { e } = await explain({ Dockerfile: 'FROM debian:12-slim\nCMD ["apache2-foreground"]\n' });
    // Not the php image's script, but root-process still knows the program: its workers drop.
    expect(e.hops.map((h) => [h.process, h.note])).toEqual([['apache2-foreground', 'the main process, PID 1; `apache2-foreground` starts as root by design: its workers run as the `User` of httpd.conf']]);
  });
  test('twin: the build provides its own apache2-foreground: that script is followed', async () => {
    const { e } = await explain({
      Dockerfile: 'FROM php:8.3-apache\nCOPY apache2-foreground /usr/local/bin/\nCMD ["apache2-foreground"]\n',
      'apache2-foreground': '#!/bin/sh\nset -e\nexec apache2ctl -DFOREGROUND\n',
    });
    expect(e.hops.map((h) => h.process)).toEqual(['docker-php-entrypoint apache2-foreground', 'apache2-foreground', 'exec apache2ctl -DFOREGROUND', 'apache2ctl -DFOREGROUND']);
  });
});

describe('tini under a name of its own', () => {
  test('`as-tini-static -r SIGUSR1 -t SIGTERM -- /entrypoint.sh asd`: tini, then the script as its child', async () => {
    const { e } = await explain({
      Dockerfile: 'FROM debian:12-slim\nCOPY as-tini-static /usr/bin/\nCOPY entrypoint.sh /entrypoint.sh\nENTRYPOINT ["/usr/bin/as-tini-static", "-r", "SIGUSR1", "-t", "SIGTERM", "--", "/entrypoint.sh"]\nCMD ["asd"]\n',
      'as-tini-static': '\u0000ELF',
      'entrypoint.sh': '#!/bin/sh\nset -e\nexec "$@"\n',
    });
    expect(e.hops.map((h) => [h.process, h.pid1])).toEqual([
      ['as-tini-static', true],
      ['/entrypoint.sh asd', false],
      ['exec "$@"', false],
      ['asd', false],
    ]);
  });
  test('twin: a program whose name only contains tini is not an init', async () => {
    const { e } = await explain({ Dockerfile: 'FROM debian:12-slim\nCOPY tinifier /usr/bin/\nENTRYPOINT ["/usr/bin/tinifier", "--", "/entrypoint.sh"]\n', tinifier: '\u0000ELF' });
    expect(e.hops.map((h) => h.process)).toEqual(['/usr/bin/tinifier -- /entrypoint.sh']);
  });
});

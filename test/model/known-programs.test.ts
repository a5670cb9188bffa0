import { rootByDesign } from '../../src/model/known-programs.js';

describe('rootByDesign', () => {
  it('knows servers whose master stays root while the workers drop', () => {
    expect(rootByDesign('nginx', ['-g', 'daemon off;'])).toMatch(/workers run as the `user` of nginx.conf/);
    expect(rootByDesign('/usr/sbin/httpd', ['-DFOREGROUND'])).toMatch(/^`httpd` starts as root by design/);
    expect(rootByDesign('php-fpm8.2', ['-F'])).toMatch(/pool workers/);
  });

  it('takes an interactive shell or REPL alone as a base image command', () => {
    expect(rootByDesign('python3', [])).toMatch(/interactive shell or REPL/);
    expect(rootByDesign('php', ['-a'])).toMatch(/interactive shell or REPL/);
    expect(rootByDesign('bash', [])).toMatch(/interactive shell or REPL/);
  });

  it('does not excuse a REPL under an explicit USER root, as hadolint DL3002 does not', () => {
    expect(rootByDesign('sh', [], true)).toBeNull();
    expect(rootByDesign('nginx', [], true)).toMatch(/by design/);
  });

  it('knows nothing of a program given work to do, or of an unknown server', () => {
    expect(rootByDesign('python3', ['app.py'])).toBeNull();
    expect(rootByDesign('node', ['server.js'])).toBeNull();
    expect(rootByDesign('bash', ['/start.sh'])).toBeNull();
    expect(rootByDesign('java', [])).toBeNull();
    expect(rootByDesign('gunicorn', ['app:app'])).toBeNull();
  });

  it('looks through wrappers that exec their arguments: Docker\'s dind script and tini as docker-init', () => {
    expect(rootByDesign('/usr/local/bin/dind', ['docker-init', '--', 'dockerd', '--host=unix:///var/run/docker.sock'])).toMatch(/^`dockerd` starts as root by design/);
    expect(rootByDesign('docker-init', ['-g', '--', 'nginx', '-g', 'daemon off;'])).toMatch(/nginx.conf/);
    expect(rootByDesign('dind', ['python3', 'app.py'])).toBeNull();
    expect(rootByDesign('dind', [])).toBeNull();
  });
});

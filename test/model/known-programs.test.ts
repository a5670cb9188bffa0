import { handedCommandAt, rootByDesign, runsInForeground, type FindInImage } from '../../src/model/known-programs.js';
import { startStopDaemonSwitch } from '../../src/model/commands.js';

describe('rootByDesign', () => {
  it('knows servers whose master stays root while the workers drop', () => {
    expect(rootByDesign('nginx', ['-g', 'daemon off;'])).toMatch(/workers run as the `user` of nginx.conf/);
    expect(rootByDesign('/usr/sbin/httpd', ['-DFOREGROUND'])).toMatch(/^`httpd` starts as root by design/);
    expect(rootByDesign('php-fpm8.2', ['-F'])).toMatch(/pool workers/);
  });

  it('knows netdata, and rspamd and shadowsocks only with the option that names their user', () => {
    expect(rootByDesign('/usr/sbin/netdata', ['-D'])).toMatch(/its `-u` user/);
    expect(rootByDesign('rspamd', ['-f', '-u', '_rspamd', '-g', '_rspamd'])).toMatch(/workers run as its `-u` user/);
    expect(rootByDesign('rspamd', ['-f', '--insecure'])).toBeNull();
    expect(rootByDesign('ss-server', ['-c', '/etc/ss.json', '-a', 'nobody'])).toMatch(/its `-a` user/);
    expect(rootByDesign('ss-server', ['-c', '/etc/ss.json'])).toBeNull();
  });

  it('knows uWSGI drops itself only when told its uid: option, environment or the ini file it loads', () => {
    const files: Record<string, string> = { 'uwsgi.ini': '[uwsgi]\nmodule = app\nuid = www-data\n', 'plain.ini': '[uwsgi]\nmodule = app\n\n[deploy]\nuid = app\n', 'zero.ini': '[uwsgi]\nuid = 0\n' };
    const image = (env: Record<string, string> = {}) => ({ read: (f: string) => files[f] ?? null, env: new Map(Object.entries(env)) });
    expect(rootByDesign('uwsgi', ['--http', ':8000', 'uwsgi.ini'], image())).toMatch(/switches to its `uid`/);
    expect(rootByDesign('uwsgi', ['--ini', 'uwsgi.ini'], image())).toMatch(/switches to its `uid`/);
    expect(rootByDesign('uwsgi', ['--ini=plain.ini:deploy'], image())).toMatch(/switches to its `uid`/);
    expect(rootByDesign('uwsgi', ['--module', 'app', '--uid', 'app'])).toMatch(/switches to its `uid`/);
    expect(rootByDesign('uwsgi', ['--module', 'app'], image({ UWSGI_UID: '1000' }))).toMatch(/switches to its `uid`/);
    expect(rootByDesign('uwsgi', ['--ini', 'plain.ini'], image())).toBeNull();
    expect(rootByDesign('uwsgi', ['zero.ini'], image())).toBeNull();
    expect(rootByDesign('uwsgi', ['--ini', 'missing.ini'], image())).toBeNull();
    expect(rootByDesign('uwsgi', ['--uid', 'root', 'uwsgi.ini'], image())).toBeNull();
  });

  it('takes an interactive shell or REPL alone as a base image command', () => {
    expect(rootByDesign('python3', [])).toMatch(/interactive shell or REPL/);
    expect(rootByDesign('php', ['-a'])).toMatch(/interactive shell or REPL/);
    expect(rootByDesign('bash', [])).toMatch(/interactive shell or REPL/);
  });

  it('takes a build tool alone as a tool image command', () => {
    expect(rootByDesign('mvn', [])).toMatch(/^`mvn` alone is a build tool/);
    expect(rootByDesign('/usr/bin/gradle', [])).toMatch(/^`gradle` alone is a build tool/);
    expect(rootByDesign('composer', [])).toMatch(/build tool/);
    expect(rootByDesign('sbt', [])).toMatch(/build tool/);
  });

  it('knows nothing of a build tool given a task: that is a service or a job of the image', () => {
    expect(rootByDesign('mvn', ['spring-boot:run'])).toBeNull();
    expect(rootByDesign('gradle', ['bootRun'])).toBeNull();
    expect(rootByDesign('composer', ['serve'])).toBeNull();
  });

  it('knows NGINX Unit and dnsmasq, whose workers run as their --user, and not caddy, which keeps root', () => {
    expect(rootByDesign('unitd', ['--no-daemon', '--control', 'unix:/var/run/control.unit.sock'])).toMatch(/router and application processes/);
    expect(rootByDesign('unitd-debug', ['--no-daemon'])).toMatch(/by design/);
    expect(rootByDesign('dnsmasq', ['-k'])).toMatch(/--user/);
    expect(rootByDesign('caddy', ['run', '--config', '/etc/caddy/Caddyfile'])).toBeNull();
  });

  it('knows openvpn, which opens the tun device as root and then switches to its --user, and vsftpd, whose sessions run as its unprivileged user', () => {
    expect(rootByDesign('openvpn', ['--config', '/etc/openvpn/server.conf'])).toMatch(/tun device.*--user nobody/);
    expect(rootByDesign('/usr/sbin/openvpn', [])).toMatch(/by design/);
    expect(rootByDesign('/usr/sbin/vsftpd', ['/etc/vsftpd/vsftpd.conf'])).toMatch(/drops privileges itself/);
    expect(rootByDesign('openconnect', ['vpn.example.com'])).toBeNull();
    expect(rootByDesign('openvpn-portal', [])).toBeNull();
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

describe('runsInForeground', () => {
  it('knows servers run in their foreground mode by a subcommand, and not their one-shot options', () => {
    expect(runsInForeground('/opt/hadoop/bin/hdfs', ['--config', '/etc/hadoop', 'namenode'])).toBe(true);
    expect(runsInForeground('hdfs', ['namenode', '-format'])).toBe(false);
    expect(runsInForeground('hdfs', ['dfs', '-ls', '/'])).toBe(false);
    expect(runsInForeground('catalina.sh', ['run'])).toBe(true);
    expect(runsInForeground('catalina.sh', ['start'])).toBe(false);
    expect(runsInForeground('consul', ['agent', '-dev'])).toBe(true);
    expect(runsInForeground('consul', ['version'])).toBe(false);
  });

  it('knows servers by name, unless they are told to detach', () => {
    expect(runsInForeground('/usr/sbin/vsftpd', ['/etc/vsftpd/vsftpd.conf'])).toBe(true);
    expect(runsInForeground('clamd', [])).toBe(true);
    expect(runsInForeground('pgbouncer', ['-d', '/etc/pgbouncer.ini'])).toBe(false);
    expect(runsInForeground('unbound', ['-d'])).toBe(true);
    expect(runsInForeground('freshclam', [])).toBe(false);
  });

  it('takes a daemon-like name as long-running only with a foreground option', () => {
    expect(runsInForeground('/usr/sbin/gatewayd', ['-f', '-c', '/etc/gateway.conf'])).toBe(true);
    expect(runsInForeground('/usr/sbin/gatewayd', ['-c', '/etc/gateway.conf'])).toBe(false);
    expect(runsInForeground('find', ['-f'])).toBe(false);
    expect(runsInForeground('sed', ['-n', 'p'])).toBe(false);
  });
});

describe('REPLs of language base images', () => {
  it('takes raku, swipl, perl -de0 and the other REPLs alone as a base image command', () => {
    for (const name of ['raku', 'rakudo', 'swipl', 'racket', 'sbcl', 'guile', 'ocaml', 'utop', 'csi', 'erl', 'iex', 'ghci', 'irb', 'R', 'julia', 'scala', 'clojure', 'groovysh', 'lua']) {
      expect(rootByDesign(name, [])).toBe(`\`${name}\` alone is an interactive shell or REPL: a base image's CMD, for the images built on it`);
    }
    expect(rootByDesign('perl', ['-de0'])).toMatch(/^`perl` alone is an interactive shell or REPL/);
    expect(rootByDesign('perl5.40.0', ['-de0'])).toMatch(/^`perl5.40.0` alone is an interactive shell or REPL/);
    expect(rootByDesign('perl', ['-d', '-e', '0'])).toMatch(/REPL/);
  });

  it('does not take them running a program for a REPL', () => {
    expect(rootByDesign('raku', ['/srv/app.raku'])).toBeNull();
    expect(rootByDesign('perl', ['-d', 'app.pl'])).toBeNull();
    expect(rootByDesign('perl', ['-de', 'print 1'])).toBeNull();
    expect(rootByDesign('swipl', ['/srv/server.pl'])).toBeNull();
  });
});

describe('startStopDaemonSwitch', () => {
  it('reads --chuid, -c and --chuid= with the program of --exec or --startas and the words after --', () => {
    expect(startStopDaemonSwitch(['--start', '--chuid', 'app:app', '--exec', '/usr/sbin/prog', '--', '-f'])).toEqual({ userAt: 2, user: null, programAt: 4, argsFrom: 6 });
    expect(startStopDaemonSwitch(['-S', '-c', 'app', '-x', '/usr/sbin/prog'])).toEqual({ userAt: 2, user: null, programAt: 4, argsFrom: 5 });
    expect(startStopDaemonSwitch(['--start', '--chuid=app', '--pidfile', '/run/p.pid', '--exec', '/usr/sbin/prog', '--startas', '/usr/sbin/wrapper'])).toEqual({ userAt: 1, user: 'app', programAt: 7, argsFrom: 8 });
  });

  it('is no switch without --start or --chuid, with --background, or with --user only', () => {
    expect(startStopDaemonSwitch(['--start', '--exec', '/usr/sbin/prog'])).toBeNull();
    expect(startStopDaemonSwitch(['--start', '--background', '--chuid', 'app', '--exec', '/usr/sbin/prog'])).toBeNull();
    expect(startStopDaemonSwitch(['-S', '-b', '-c', 'app', '-x', '/usr/sbin/prog'])).toBeNull();
    expect(startStopDaemonSwitch(['--stop', '--chuid', 'app', '--exec', '/usr/sbin/prog'])).toBeNull();
    expect(startStopDaemonSwitch(['--start', '--user', 'app', '--exec', '/usr/sbin/prog'])).toBeNull();
    expect(startStopDaemonSwitch(['--start', '--chuid', 'app'])).toBeNull();
  });
});

describe('handedCommandAt', () => {
  // `server` is copied to /usr/local/bin by name; `serve` only inside a folder copied from a stage.
  const find: FindInImage = (w) => (w === 'server' || w === '/usr/local/bin/server' ? 'named' : w === 'serve' || w === '/usr/local/bin/serve' ? 'guessed' : null);

  it('finds the command a launcher is given: a named program, a well-known one, a bin path, after --', () => {
    expect(handedCommandAt('launcher', ['server', 'serve'], find)).toBe(0);
    expect(handedCommandAt('/usr/local/bin/mvn-entrypoint.sh', ['java', '-jar', '/app/app.jar'], find)).toBe(0);
    expect(handedCommandAt('env-setup', ['/usr/local/bin/serve', 'start'], find)).toBe(0);
    expect(handedCommandAt('webui', ['--port', '8080', '--', 'server', '--foreground'], find)).toBe(3);
  });

  it('takes a word only a copied folder may hold for the program\'s own subcommand', () => {
    expect(handedCommandAt('./gotify-app', ['serve'], find)).toBeNull();
    expect(handedCommandAt('./app', ['--', 'serve'], find)).toBeNull();
    expect(handedCommandAt('/app/server', ['/etc/app.yml'], find)).toBeNull();
  });

  it('gives no command to programs that read their own arguments', () => {
    expect(handedCommandAt('java', ['server'], find)).toBeNull();
    expect(handedCommandAt('consul', ['agent'], find)).toBeNull();
    expect(handedCommandAt('cp', ['/usr/local/bin/server', '/tmp'], find)).toBeNull();
    expect(handedCommandAt('which', ['python'], find)).toBeNull();
  });

  it('reads the options of the wrappers it knows, and gives up on an unknown one', () => {
    expect(handedCommandAt('dockerize', ['-wait', 'tcp://db:5432', 'gunicorn', 'app:app'], find)).toBe(2);
    expect(handedCommandAt('dockerize', ['-frobnicate', 'yes', 'gunicorn'], find)).toBeNull();
    expect(handedCommandAt('wait-for-it.sh', ['db:5432', '--', 'serve'], find)).toBe(2);
    expect(handedCommandAt('env', ['-u', 'X', 'A=b', 'serve'], find)).toBe(3);
    expect(handedCommandAt('env', [null, 'python'], find)).toBeNull();
  });
});

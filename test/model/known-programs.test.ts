import { dropsWhenTold, handedCommandAt, rootByDesign, runsInForeground, type FindInImage } from '../../src/model/known-programs.js';
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

  it('knows servers that switch user only when an option names one, and fires without it', () => {
    expect(rootByDesign('/usr/sbin/asterisk', ['-vvvdddf', '-T', '-W', '-U', 'asterisk', '-p'])).toBe('`asterisk` starts as root by design: it switches to its `-U` user (or the `runuser` of asterisk.conf) after start');
    expect(rootByDesign('asterisk', ['-fUasterisk'])).toMatch(/its `-U` user/);
    expect(rootByDesign('asterisk', ['-f', '-G', 'asterisk'])).toBeNull();
    expect(rootByDesign('asterisk', ['-f', '-C', 'U'])).toBeNull(); // `U` is the value of -C, not the option
    expect(rootByDesign('asterisk', ['-f', '-U', 'root'])).toBeNull();
    expect(rootByDesign('maxscale', ['-d', '-U', 'maxscale'])).toMatch(/^`maxscale` starts as root by design: it switches to its `-U`\/`--user` user/);
    expect(rootByDesign('maxscale', ['--nodaemon', '--user=maxscale'])).toMatch(/--user/);
    expect(rootByDesign('maxscale', ['--nodaemon'])).toBeNull();
    expect(rootByDesign('tor', ['--User', 'debian-tor'])).toMatch(/^`tor` starts as root by design: it switches to the `User` of its torrc/);
    expect(rootByDesign('tor', ['-f', '/etc/tor/torrc'])).toBeNull();
    expect(rootByDesign('slapd', ['-d', '0', '-h', 'ldap:///', '-u', 'ldap', '-g', 'ldap'])).toMatch(/its `-u` user once its listeners are open/);
    expect(rootByDesign('slapd', ['-d', '0', '-h', 'ldap:///'])).toBeNull();
    expect(rootByDesign('kamailio', ['-DD', '-E', '-u', 'kamailio', '-g', 'kamailio'])).toMatch(/^`kamailio` starts as root by design: it switches to its `-u` user/);
    expect(rootByDesign('kamailio', ['-DD', '-E'])).toBeNull();
    expect(rootByDesign('freeswitch', ['-nonat', '-nc', '-u', 'freeswitch', '-g', 'freeswitch'])).toMatch(/^`freeswitch` starts as root by design/);
    expect(rootByDesign('freeswitch', ['-nonat', '-nc'])).toBeNull();
    expect(rootByDesign('chronyd', ['-d', '-u', 'chrony'])).toMatch(/its `-u` user \(or the `user` of chrony.conf, else the user it was built with\)/);
    expect(rootByDesign('chronyd', ['-d', '-s'])).toMatch(/by design/); // the user it was built with
    expect(rootByDesign('chronyd', ['-d', '-u', 'root'])).toBeNull();
    expect(rootByDesign('chronyd', ['-d', 'user root'])).toBeNull();
    expect(rootByDesign('ntpd', ['-g', '-n', '-u', 'ntp:ntp'])).toMatch(/^`ntpd` starts as root by design: it switches to its `-u` user/);
    expect(rootByDesign('ntpd', ['-g', '-n', '-u', 'root:ntp'])).toBeNull();
    expect(rootByDesign('ntpd', ['-g', '-n'])).toBeNull();
    expect(rootByDesign('mysqld', ['--user=mysql', '--console'])).toMatch(/^`mysqld` starts as root by design: it switches to its `--user`/);
    expect(rootByDesign('mariadbd', ['--user', 'mysql'])).toMatch(/by design/);
    expect(rootByDesign('mysqld', ['--user=root'])).toBeNull();
    expect(rootByDesign('mysqld', ['--console'])).toBeNull();
    expect(rootByDesign('named', ['-g', '-u', 'bind'])).toMatch(/^`named` starts as root by design: it switches to its `-u` user once its sockets are bound/);
    expect(rootByDesign('named', ['-g', '-c', '/etc/bind/named.conf'])).toBeNull();
    expect(rootByDesign('pgbouncer', ['-u', 'postgres', '/etc/pgbouncer/pgbouncer.ini'])).toMatch(/its `-u` user \(or the `user` of its ini file\) on startup, and refuses to run as root without one/);
    expect(rootByDesign('pgbouncer', ['/etc/pgbouncer/pgbouncer.ini'])).toBeNull();
  });

  it('reads the user those servers are told in the configuration files the build provides', () => {
    const files: Record<string, string> = {
      '/etc/asterisk/asterisk.conf': '[directories]\nastetcdir => /etc/asterisk\n[options]\nrunuser = asterisk ; the user to run as\n',
      '/srv/root-asterisk.conf': '[options]\nrunuser = root\n',
      '/etc/tor/torrc': 'SocksPort 0.0.0.0:9050\n# User nobody\nuser tor\n',
      '/srv/torrc-no-user': 'SocksPort 9050\n',
      '/srv/chrony-root.conf': '! user chrony\npool pool.ntp.org iburst\nuser root\n',
      '/etc/mysql/my.cnf': '[client]\nuser = app\n[mysqld]\nuser = mysql\n',
      '/srv/client-only.cnf': '[client]\nuser = app\n',
      '/usr/local/etc/haproxy/haproxy.cfg': 'global\n    log stdout format raw local0\n    user haproxy\n    group haproxy\n\ndefaults\n    mode http\n',
      '/srv/haproxy-userlist.cfg': 'global\n    maxconn 100\nuserlist admins\n    user admin password secret\n',
      '/etc/pgbouncer/pgbouncer.ini': '[databases]\n* = host=db\n[pgbouncer]\nlisten_addr = *\nuser = postgres\n',
      '/srv/pgbouncer-plain.ini': '[databases]\n* = host=db\n[pgbouncer]\nauth_user = pgbouncer\n',
    };
    const image = { read: (f: string) => files[f] ?? null, env: new Map<string, string>() };
    expect(rootByDesign('asterisk', ['-f'], image)).toMatch(/runuser/);
    expect(rootByDesign('asterisk', ['-f', '-C', '/srv/root-asterisk.conf'], image)).toBeNull();
    expect(rootByDesign('tor', [], image)).toMatch(/`User` of its torrc/);
    expect(rootByDesign('tor', ['-f', '/srv/torrc-no-user'], image)).toBeNull();
    expect(rootByDesign('chronyd', ['-d', '-f', '/srv/chrony-root.conf'], image)).toBeNull();
    expect(rootByDesign('mysqld', [], image)).toMatch(/\[mysqld\] section of my.cnf/);
    expect(rootByDesign('mysqld', ['--defaults-file=/srv/client-only.cnf'], image)).toBeNull();
    expect(rootByDesign('haproxy', ['-W', '-db', '-f', '/usr/local/etc/haproxy/haproxy.cfg'], image)).toBe('`haproxy` starts as root by design: it switches to the `user` (or `uid`) of the global section of its configuration after binding');
    expect(rootByDesign('haproxy', ['-f', '/srv/haproxy-userlist.cfg'], image)).toBeNull(); // a userlist's `user` is a login, not the process's
    expect(rootByDesign('haproxy', ['-f', '/missing.cfg'], image)).toBeNull();
    expect(rootByDesign('pgbouncer', ['/etc/pgbouncer/pgbouncer.ini'], image)).toMatch(/by design/);
    expect(rootByDesign('pgbouncer', ['/srv/pgbouncer-plain.ini'], image)).toBeNull();
  });

  it('says how a server that is not told a user would drop root itself', () => {
    expect(dropsWhenTold('/usr/sbin/asterisk', ['-f'])).toBe('`asterisk` can drop root itself: it switches to its `-U` user (or the `runuser` of asterisk.conf) after start; no user other than root is given to it here, in its options or in a configuration file the build copies');
    expect(dropsWhenTold('mysqld', ['--user=root'])).toMatch(/^`mysqld` can drop root itself: .*refuses to start as root without one; no user other than root/);
    expect(dropsWhenTold('docker-init', ['--', 'named', '-g'])).toMatch(/^`named` can drop root itself/);
    expect(dropsWhenTold('asterisk', ['-f', '-U', 'asterisk'])).toBeNull(); // it does drop
    expect(dropsWhenTold('nginx', ['-g', 'daemon off;'])).toBeNull(); // root by design, nothing to tell
    expect(dropsWhenTold('redis-server', [])).toBeNull();
  });

  it('knows redis-server does not drop privileges itself', () => {
    expect(rootByDesign('redis-server', ['/usr/local/etc/redis/redis.conf'])).toBeNull();
    expect(rootByDesign('redis-server', ['--protected-mode', 'no'])).toBeNull();
  });

  it('keeps the servers that switch only when told out of what the names alone say of a program', () => {
    expect(runsInForeground('asterisk', ['-U', 'asterisk'])).toBe(false);
    expect(runsInForeground('maxscale', ['-U', 'maxscale'])).toBe(false);
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

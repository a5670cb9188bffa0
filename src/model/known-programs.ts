/**
 * What dockerlint knows about a few main processes that it cannot read: servers whose master
 * process stays root by design while their workers switch to the user of their configuration,
 * the interactive shells and REPLs that base images (`python`, `node`, `eclipse-temurin`) leave
 * as their CMD for the images built on them, and the build tools that tool images (`maven`,
 * `gradle`, `composer`) leave as theirs: one-shot commands run on a mounted project, not services.
 */
import { basename } from './commands.js';
import { readIni } from './supervisord.js';

/**
 * What a server's configuration can be read from: the text of a file the build puts in the image
 * (a path as the command line writes it, relative to the WORKDIR), and the image's ENV.
 */
export interface ProgramImage {
  read(file: string): string | null;
  env: ReadonlyMap<string, string | null>;
}

/** Servers that start as root and switch their workers (or themselves) to an unprivileged user. */
const DROPS_ITSELF: ReadonlyArray<{ match: RegExp; how: string; /** only with these options (or this configuration) */ when?: (args: readonly string[], image?: ProgramImage) => boolean }> = [
  { match: /^(httpd|apache2|apache2ctl|apachectl|apache2-foreground|httpd-foreground)$/, how: "its workers run as the `User` of httpd.conf" },
  { match: /^nginx(-debug)?$/, how: 'its workers run as the `user` of nginx.conf' },
  { match: /^php-fpm[0-9.]*$/, how: 'its pool workers run as the `user` of the pool configuration' },
  { match: /^varnishd$/, how: 'it switches to its own unprivileged users after start' },
  { match: /^mosquitto$/, how: 'it switches to the `user` of mosquitto.conf (mosquitto by default)' },
  { match: /^(sshd|postfix|dovecot|unbound|squid|vsftpd|pure-ftpd|cron|crond)$/, how: 'it drops privileges itself, per connection or after binding' },
  // The system logger: distributions run it as root, to own /dev/log and read the kernel's log
  // (rsyslog can drop with `$PrivDropToUser`, syslog-ng with `--user`, busybox syslogd cannot).
  { match: /^(syslogd|rsyslogd|syslog-ng|klogd|metalog)$/, how: 'it is the system logger, which distributions run as root to own /dev/log' },
  // named(8): `-u user` sets the user after the privileged operations (binding port 53); without it named stays root.
  { match: /^named$/, how: 'it switches to its `-u` user once its sockets are bound', when: (args) => switchesTo(shortOption(args, 'u', 'ACcdDELMmnNpStTUuxX')) },
  { match: /^dockerd$/, how: 'Docker in Docker needs root (and --privileged) by design' },
  // `/sbin/init` reaches here only as the system's init: tini-like inits are hops of their own.
  { match: /^(systemd|init)$/, how: 'it is the system manager, which runs as root and starts each service as the `User=` of its unit' },
  // NGINX Unit: the main process keeps root to bind and to start the others; the router and the
  // application processes run as the `--user` it was built or started with (`unit` in its images).
  { match: /^unitd(-debug)?$/, how: 'its router and application processes run as its `--user` (unit in its images)' },
  { match: /^openresty$/, how: 'it is nginx: its workers run as the `user` of nginx.conf' },
  { match: /^dnsmasq$/, how: 'it switches to its `--user` (nobody by default) once its ports are bound' },
  // OpenVPN opens the tun device and sets routes as root, then switches to the `user`/`group` of
  // its configuration (`--user nobody`); only a root-free setup with a prepared device avoids it.
  { match: /^openvpn$/, how: 'it needs root for the tun device and routes, then switches to the `user` of its configuration (`--user nobody`)' },
  { match: /^netdata$/, how: 'it switches to its `-u` user (netdata by default) once its collectors are started' },
  // rspamd refuses to run as root without `-u` (or `--insecure`): started as root, its workers run as that user.
  { match: /^rspamd$/, how: 'its workers run as its `-u` user (_rspamd in the packages)', when: (args) => args.some((a) => a === '-u' || a.startsWith('--user')) },
  // shadowsocks-libev's servers switch to `-a user` after binding; without `-a` they stay root.
  { match: /^ss-(server|local|redir|tunnel|manager)$/, how: 'it switches to its `-a` user after binding', when: (args) => args.includes('-a') },
  // uWSGI binds its sockets as root, then every process (the master too) switches to its `uid`
  // and `gid`; without them it stays root.
  { match: /^uwsgi$/, how: 'it switches to its `uid` after binding (`--uid`, `UWSGI_UID`, or `uid =` in its ini file)', when: uwsgiSetsUid },
];

/**
 * Servers that switch user only when told to, by an option or their configuration: without it
 * they stay root (or refuse to start as root), and the rule applies. Kept apart from DROPS_ITSELF
 * because their names alone say nothing of how they run (foreground or not), which the other
 * rules ask of that table.
 */
const DROPS_WHEN_TOLD: ReadonlyArray<{ match: RegExp; how: string; when: (args: readonly string[], image?: ProgramImage) => boolean }> = [
  // asterisk(8): `-U user` runs as that user (`-G group`); asterisk.conf `runuser` in [options] does the same (default root).
  { match: /^asterisk$/, how: 'it switches to its `-U` user (or the `runuser` of asterisk.conf) after start', when: asteriskSetsUser },
  // maxscale --help: `-U, --user=USER` runs MaxScale as another user, with that user's uid and gid.
  { match: /^maxscale$/, how: 'it switches to its `-U`/`--user` user after start', when: (args) => switchesTo(shortOption(args, 'U', 'fFlLDCBAEHMNPRsSGgU') ?? longOption(args, 'user')) },
  // tor(1): `User name` (in the torrc it reads, or `--User name` on the command line): on startup, setuid to this user.
  { match: /^tor$/, how: 'it switches to the `User` of its torrc (or its `--User`) on startup', when: torSetsUser },
  // slapd(8): `-u user` is the user (id or name) to run as; without it slapd stays root.
  { match: /^slapd$/, how: 'it switches to its `-u` user once its listeners are open', when: (args) => switchesTo(shortOption(args, 'u', 'cdfFghlnorsTu')) },
  // kamailio(8): `-u uid` changes the uid (and `-g gid` the gid) after start.
  { match: /^kamailio$/, how: 'it switches to its `-u` user after start', when: (args) => switchesTo(shortOption(args, 'u', 'aAbBfgGlLmMnNOPQtuwxXYW')) },
  // freeswitch -help: `-u [user]` is the user to switch to (`-g [group]` the group).
  { match: /^freeswitch$/, how: 'it switches to its `-u` user after start', when: (args) => switchesTo(wordOption(args, '-u')) },
  // chronyd(8): `-u user` (or the `user` directive) is the user chronyd switches to after start to drop root, by default
  // the one it was compiled with (`--with-user`: chrony or _chrony in the distributions' packages); only root is no switch.
  { match: /^chronyd$/, how: 'it switches to its `-u` user (or the `user` of chrony.conf, else the user it was built with) after start', when: (args, image) => chronydUser(args, image) !== 'root' },
  // ntpd(8): `-u user[:group]` is the user, and optionally the group, to switch to after start.
  { match: /^ntpd$/, how: 'it switches to its `-u` user after start', when: (args) => switchesTo(shortOption(args, 'u', 'cfiklpPrstuUvVI')?.split(':')[0] ?? longOption(args, 'user')?.split(':')[0]) },
  // MySQL manual (How to Run MySQL as a Normal User): started as root with `--user=name` (or `user=` in [mysqld] of
  // my.cnf), mysqld switches to that user before accepting connections; without it, it refuses to run as root.
  { match: /^(mysqld|mariadbd)$/, how: 'it switches to its `--user` (or the `user` of the [mysqld] section of my.cnf) before accepting connections, and refuses to start as root without one', when: mysqldSetsUser },
  // HAProxy configuration manual, global section: `user <name>` / `uid <number>` change the process's user after binding.
  { match: /^haproxy$/, how: 'it switches to the `user` (or `uid`) of the global section of its configuration after binding', when: haproxySetsUser },
  // pgbouncer(1): `-u user` (or `user` in its ini file) switches user on startup; without one, it refuses to run as root.
  { match: /^pgbouncer$/, how: 'it switches to its `-u` user (or the `user` of its ini file) on startup, and refuses to run as root without one', when: pgbouncerSetsUser },
];

/**
 * Programs whose job is the host's network: they create interfaces (a tun or WireGuard device), set
 * routes or change the firewall. Docker gives the capabilities they need (`--cap-add NET_ADMIN`) to
 * root only: a process of another user gets none of them as effective capabilities, so these run as
 * root by design.
 */
const NEEDS_ROOT: ReadonlyArray<{ match: RegExp; how: string; when?: (args: readonly string[]) => boolean }> = [
  { match: /^zerotier-one$/, how: 'it creates its tun device and routes, which need root and NET_ADMIN' },
  // `--tun=userspace-networking` makes tailscaled a user-space proxy that needs no device.
  { match: /^tailscaled$/, how: 'it creates its tun device and routes, which need root and NET_ADMIN', when: (args) => !args.some((a, i) => a === '--tun=userspace-networking' || (a === '--tun' && args[i + 1] === 'userspace-networking')) },
  { match: /^(wg-quick|wireguard-go|boringtun|boringtun-cli)$/, how: 'it creates the WireGuard device and its routes, which need root and NET_ADMIN' },
  { match: /^fail2ban-server$/, how: 'it bans addresses by changing the firewall (iptables or nftables), which needs root and NET_ADMIN' },
  { match: /^fail2ban-client$/, how: 'it starts the server that bans addresses by changing the firewall, which needs root and NET_ADMIN', when: (args) => args.includes('start') },
  { match: /^keepalived$/, how: 'it moves virtual addresses between hosts (VRRP), which needs root and NET_ADMIN' },
  { match: /^(charon|charon-systemd|ipsec)$/, how: 'strongSwan installs IPsec policies and routes in the kernel, which need root and NET_ADMIN' },
];

/** Interactive shells and REPLs: the CMD of an image meant to be built on, not a service. */
const INTERACTIVE = /^(sh|bash|ash|dash|zsh|ksh|fish|python[0-9.]*|pypy[0-9.]*|node|nodejs|deno|bun|irb|ruby|jshell|php|erl|iex|ghci|R|julia|groovysh|clojure|lua[0-9.]*|perl[0-9.]*|raku|rakudo|swipl|racket|sbcl|guile|ocaml|utop|csi|tclsh|swift|scala|kotlinc|dotnet|psql|mysql|mongosh|redis-cli|busybox)$/;

/**
 * Build tools: the CMD of a tool image, run once on the project mounted into it (`docker run -v
 * "$PWD":/src maven mvn package`), not a service. Alone they print their usage or run their
 * default task and exit.
 */
const BUILD_TOOL = /^(mvn|mvnw|gradle|gradlew|composer|sbt|lein|ant|bazel|bazelisk)$/;

/**
 * Why a main process that runs as root is not the image's problem: a server that drops
 * privileges itself, an interactive shell or REPL left as a base image's CMD, or a build tool left
 * as a tool image's CMD. Null when nothing is known, and the root-process rule applies. The same
 * whether the root comes from no USER or from an explicit `USER root`: what runs is root by design
 * either way (a last `USER root` as such is last-user-root's, hadolint's DL3002).
 */
export function rootByDesign(program: string, args: readonly string[], image?: ProgramImage): string | null {
  const name = basename(program);
  // Wrappers that set up and exec their arguments: Docker's `dind` script, and tini as docker-init.
  const wrapped = passThrough(name, args);
  if (wrapped) return rootByDesign(wrapped[0], wrapped.slice(1), image);
  const server = [...DROPS_ITSELF, ...DROPS_WHEN_TOLD].find((d) => d.match.test(name) && (!d.when || d.when(args, image)));
  if (server) return `\`${name}\` starts as root by design: ${server.how}`;
  const network = NEEDS_ROOT.find((d) => d.match.test(name) && (!d.when || d.when(args)));
  if (network) return `\`${name}\` runs as root by design: ${network.how}`;
  const interactive = args.length === 0 || (name === 'php' && args.length === 1 && args[0] === '-a') || (/sh$/.test(name) && args.length === 1 && args[0] === '-l') || (/^perl[0-9.]*$/.test(name) && perlDebuggerRepl(args));
  if (interactive && INTERACTIVE.test(name)) return `\`${name}\` alone is an interactive shell or REPL: a base image's CMD, for the images built on it`;
  if (args.length === 0 && BUILD_TOOL.test(name)) return `\`${name}\` alone is a build tool: a tool image's CMD, run once on a mounted project`;
  return null;
}

/**
 * How a server that is not root by design here would drop root itself if told a user (no option,
 * and no configuration file the build copies, names one other than root; a file the build writes
 * otherwise, such as with `RUN echo`, is not read): what a message can teach. Null for any other
 * program.
 */
export function dropsWhenTold(program: string, args: readonly string[], image?: ProgramImage): string | null {
  const name = basename(program);
  const wrapped = passThrough(name, args);
  if (wrapped) return dropsWhenTold(wrapped[0], wrapped.slice(1), image);
  const server = [...DROPS_ITSELF, ...DROPS_WHEN_TOLD].find((d) => d.match.test(name) && d.when);
  return server && !server.when?.(args, image) ? `\`${name}\` can drop root itself: ${server.how}; no user other than root is given to it here, in its options or in a configuration file the build copies` : null;
}

/** A user to switch to that is not root (`www-data`, `1000`); an unknown value counts (`$(APP_UID)`). */
function notRoot(value: string | null | undefined): boolean {
  const v = value?.trim() ?? '';
  return v !== '' && v !== 'root' && v !== '0';
}

/**
 * uWSGI is told to switch user: `--uid name` on its command line, `UWSGI_UID` in the image's ENV
 * (uWSGI reads every `UWSGI_<OPTION>` variable as an option), or `uid =` in the `[uwsgi]` section
 * (or the `file.ini:section` named) of an ini file it loads (`--ini file`, or a bare `file.ini`
 * argument) that the build puts in the image. A `uid` of root or 0 is no switch.
 */
function uwsgiSetsUid(args: readonly string[], image?: ProgramImage): boolean {
  const inis: string[] = [];
  let uid: string | null = null;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    const [flag, value] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, null];
    if (flag === '--uid') uid = value ?? args[++i] ?? null;
    else if (flag === '--ini') {
      const f = value ?? args[++i];
      if (f) inis.push(f);
    } else if (!a.startsWith('-') && /\.ini(:[^/]+)?$/.test(a)) inis.push(a);
  }
  if (uid !== null) return notRoot(uid);
  if (image?.env.has('UWSGI_UID')) return notRoot(image.env.get('UWSGI_UID'));
  for (const f of inis) {
    const colon = /^(.*\.ini):([^/]+)$/.exec(f);
    const text = image?.read(colon ? (colon[1] as string) : f) ?? null;
    if (text === null) continue;
    const section = colon ? (colon[2] as string) : 'uwsgi';
    const value = readIni(text).filter((s) => s.name === section).map((s) => s.keys.get('uid')?.value).find((v) => v !== undefined);
    if (value !== undefined) return notRoot(value);
  }
  return false;
}

/** A user named to switch to that is not root; absent (undefined) or empty is no switch. */
function switchesTo(value: string | null | undefined): boolean {
  return value !== undefined && value !== null && notRoot(value.trim().replace(/^(["'])(.*)\1$/, '$2'));
}

/**
 * The value of a short option as getopt reads it (`-u app`, `-uapp`, or last in a cluster of flags:
 * `-vvvdddfU asterisk`), the last one given; undefined when it is not given. `valued` is every
 * option letter of the program that takes a value, whose value ends the cluster. Options stop at `--`.
 */
function shortOption(args: readonly string[], letter: string, valued: string): string | undefined {
  let found: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === '--') break;
    if (!/^-[^-]/.test(a)) continue;
    for (let j = 1; j < a.length; j++) {
      const c = a[j] as string;
      if (!valued.includes(c)) continue;
      const inline = a.slice(j + 1);
      const value = inline !== '' ? inline : args[i + 1];
      if (inline === '') i++;
      if (c === letter) found = value ?? '';
      break;
    }
  }
  return found;
}

/** The value of a long option (`--user=app`, `--user app`), the last one given; undefined when it is not given. */
function longOption(args: readonly string[], name: string): string | undefined {
  let found: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === '--') break;
    if (a.startsWith(`--${name}=`)) found = a.slice(name.length + 3);
    else if (a === `--${name}`) found = args[++i] ?? '';
  }
  return found;
}

/** The word after an option that is a whole word (`freeswitch -nc -u freeswitch`), the last one given. */
function wordOption(args: readonly string[], option: string): string | undefined {
  let found: string | undefined;
  for (let i = 0; i < args.length; i++) if (args[i] === option) found = args[++i] ?? '';
  return found;
}

/** The value of `key` in the first of `sections` of an ini file that sets it, or undefined. */
function iniValue(text: string, sections: readonly string[], key: string): string | undefined {
  const found = readIni(text).filter((s) => sections.includes(s.name.toLowerCase()));
  return found.map((s) => s.keys.get(key)?.value).find((v) => v !== undefined);
}

/**
 * The value of a directive in a configuration of `keyword value` lines (a torrc, chrony.conf), the
 * last one given: `#` starts a comment line (and `comments` lists more such characters).
 */
function directive(text: string, keyword: string, opts: { ignoreCase?: boolean; comments?: string } = {}): string | undefined {
  let found: string | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || `#${opts.comments ?? ''}`.includes(line[0] as string)) continue;
    const [word = '', ...rest] = line.split(/\s+/);
    if (opts.ignoreCase ? word.toLowerCase() === keyword.toLowerCase() : word === keyword) found = rest.join(' ').replace(/\s+#.*$/, '');
  }
  return found;
}

/** The first of the files the build provides, read. */
function readFirst(image: ProgramImage | undefined, files: readonly (string | undefined)[]): string | null {
  for (const f of files) {
    const text = f ? (image?.read(f) ?? null) : null;
    if (text !== null) return text;
  }
  return null;
}

/**
 * asterisk is told its user by `-U user`, or by `runuser` in the [options] section of the
 * asterisk.conf it reads (`-C file`, else /etc/asterisk/asterisk.conf) when the build provides it.
 */
function asteriskSetsUser(args: readonly string[], image?: ProgramImage): boolean {
  const VALUED = 'CeGLMsUx';
  const option = shortOption(args, 'U', VALUED);
  if (option !== undefined) return switchesTo(option);
  const text = readFirst(image, [shortOption(args, 'C', VALUED) ?? '/etc/asterisk/asterisk.conf']);
  // asterisk.conf also writes `key => value`.
  const runuser = text === null ? undefined : iniValue(text, ['options'], 'runuser')?.replace(/^>\s*/, '');
  return switchesTo(runuser);
}

/**
 * tor is told its user by `User name` on its command line (`--User name`, or `User name`: tor
 * takes any torrc option there, its name in any case), or in the torrc it reads (`-f file`, else
 * the default torrc of a package, /etc/tor/torrc, or of a source build, /usr/local/etc/tor/torrc)
 * when the build provides that file.
 */
function torSetsUser(args: readonly string[], image?: ProgramImage): boolean {
  let user: string | undefined;
  let torrc: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a.replace(/^--/, '').toLowerCase() === 'user') user = args[++i] ?? '';
    else if (a === '-f' || a === '--torrc-file') torrc = args[++i];
  }
  if (user !== undefined) return switchesTo(user);
  const text = readFirst(image, torrc !== undefined ? [torrc] : ['/etc/tor/torrc', '/usr/local/etc/tor/torrc']);
  return text !== null && switchesTo(directive(text, 'User', { ignoreCase: true }));
}

/**
 * The user chronyd is told: by `-u user`, or by the `user` directive, on its command line (the
 * words after its options are directives) or in the chrony.conf it reads (`-f file`, else
 * /etc/chrony/chrony.conf or /etc/chrony.conf) when the build provides it; undefined when neither
 * says, and it switches to the user it was built with.
 */
function chronydUser(args: readonly string[], image?: ProgramImage): string | undefined {
  const VALUED = 'flLtuFP';
  const unquote = (v: string) => v.trim().replace(/^(["'])(.*)\1$/, '$2');
  const option = shortOption(args, 'u', VALUED);
  if (option !== undefined) return unquote(option);
  // A directive on the command line is one word (`"user chrony"`) or two.
  let inline: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (/^user\s/.test(a)) inline = a.slice(5);
    else if (a === 'user' && args[i - 1] !== '-u') inline = args[++i] ?? '';
  }
  if (inline !== undefined) return unquote(inline);
  const text = readFirst(image, [shortOption(args, 'f', VALUED) ?? '/etc/chrony/chrony.conf', '/etc/chrony.conf']);
  const directed = text === null ? undefined : directive(text, 'user', { comments: '!;%' });
  return directed === undefined ? undefined : unquote(directed);
}

/**
 * mysqld (and mariadbd) is told its user by `--user=name` (`-u name`), or by `user=` in the
 * [mysqld] (or [mariadbd], [server], [mariadb]) section of an option file it reads
 * (`--defaults-file`, `--defaults-extra-file`, /etc/my.cnf, /etc/mysql/my.cnf) that the build provides.
 */
function mysqldSetsUser(args: readonly string[], image?: ProgramImage): boolean {
  const option = longOption(args, 'user') ?? shortOption(args, 'u', 'bChlLOPTu');
  if (option !== undefined) return switchesTo(option);
  const defaults = longOption(args, 'defaults-file');
  const files = defaults !== undefined ? [defaults] : [longOption(args, 'defaults-extra-file'), '/etc/my.cnf', '/etc/mysql/my.cnf'];
  for (const f of files) {
    const text = f ? (image?.read(f) ?? null) : null;
    const user = text === null ? undefined : iniValue(text, ['mysqld', 'mariadbd', 'server', 'mariadb'], 'user');
    if (user !== undefined) return switchesTo(user);
  }
  return false;
}

/** The sections of an HAProxy configuration: a line that starts with one of these words opens one. */
const HAPROXY_SECTION = /^(global|defaults|frontend|backend|listen|peers|resolvers|userlist|mailers|program|http-errors|ring|cache|fcgi-app|crt-store|traces|log-forward)$/;

/**
 * HAProxy is told its user by `user <name>` or `uid <number>` in the global section of a
 * configuration file it loads (`-f file`, any number of them) that the build provides.
 */
function haproxySetsUser(args: readonly string[], image?: ProgramImage): boolean {
  let user: string | undefined;
  for (let i = 0; i < args.length; i++) {
    if (args[i] !== '-f') continue;
    const text = readFirst(image, [args[++i]]);
    if (text === null) continue;
    let section = '';
    for (const raw of text.split(/\r?\n/)) {
      const [word = '', value = ''] = raw.replace(/#.*$/, '').trim().split(/\s+/);
      if (HAPROXY_SECTION.test(word)) section = word;
      else if (section === 'global' && (word === 'user' || word === 'uid')) user = value;
    }
  }
  return switchesTo(user);
}

/**
 * pgbouncer is told its user by `-u user` (`--user=user`), or by `user` in the [pgbouncer]
 * section of the ini file it is given, when the build provides it.
 */
function pgbouncerSetsUser(args: readonly string[], image?: ProgramImage): boolean {
  const option = longOption(args, 'user') ?? shortOption(args, 'u', 'u');
  if (option !== undefined) return switchesTo(option);
  const ini = args.find((a, i) => !a.startsWith('-') && !(args[i - 1] === '-u' || args[i - 1] === '--user'));
  const text = readFirst(image, [ini]);
  return text !== null && switchesTo(iniValue(text, ['pgbouncer'], 'user'));
}

/** `perl -de0` (the perl image's CMD), `perl -d -e 0`: the debugger on an empty program, perl's REPL. */
function perlDebuggerRepl(args: readonly string[]): boolean {
  const line = args.join(' ');
  return /^-de ?0$|^-d -e ?0$/.test(line);
}

/** The command line a known pass-through wrapper execs, or null. */
function passThrough(name: string, args: readonly string[]): [string, ...string[]] | null {
  let rest: readonly string[];
  if (name === 'dind') rest = args;
  else if (name === 'docker-init' || name === 'tini' || name === 'tini-static') {
    const dash = args.indexOf('--');
    rest = dash >= 0 ? args.slice(dash + 1) : args.filter((a, i) => !a.startsWith('-') && !/^-[sp]$/.test(args[i - 1] ?? ''));
  } else return null;
  const [first, ...more] = rest;
  return first ? [first, ...more] : null;
}

/** Language runtimes whose images run them by name (`CMD ["java", "-jar", ...]`). */
const RUNTIME = /^(java|javaw|node|deno|bun|python[0-9.]*|pypy[0-9.]*|ruby|php|perl|dotnet|erl|elixir|julia|Rscript|R|lua[0-9.]*)$/;

/** A language runtime by name (`java`, `node`, `python3`): the interpreter, never a launcher of another user. */
export function isRuntime(program: string): boolean {
  return RUNTIME.test(basename(program));
}

/**
 * A program every image that names it in its CMD has: a shell, an interpreter or runtime, a
 * build tool, or one of the servers above. Not a word of an entrypoint's own command interface
 * (`agent`, `server`, `worker`), which `command -v` does not find.
 */
export function isWellKnownProgram(program: string): boolean {
  const name = basename(program);
  return RUNTIME.test(name) || INTERACTIVE.test(name) || BUILD_TOOL.test(name) || DROPS_ITSELF.some((d) => d.match.test(name));
}

/**
 * Servers that run a subcommand in the foreground until they are stopped: Hadoop's daemons
 * (`hdfs namenode`), Tomcat's `catalina.sh run`, the `console`/`foreground` modes of Erlang
 * releases, ZooKeeper's `start-foreground`.
 */
const SERVING_SUBCOMMAND: ReadonlyArray<{ match: RegExp; sub: RegExp }> = [
  { match: /^hdfs$/, sub: /^(namenode|datanode|secondarynamenode|journalnode|zkfc|nfs3|portmap|dfsrouter|httpfs)$/ },
  { match: /^yarn$/, sub: /^(resourcemanager|nodemanager|timelineserver|proxyserver|router|timelinereader)$/ },
  { match: /^mapred$/, sub: /^historyserver$/ },
  { match: /^(catalina\.sh|jetty\.sh)$/, sub: /^run$/ },
  { match: /^(activemq|vernemq|rabbitmq-server|emqx|riak)$/, sub: /^console$/ },
  { match: /^(ejabberdctl|emqx|elixir-release)$/, sub: /^foreground$/ },
  { match: /^zkServer\.sh$/, sub: /^start-foreground$/ },
  // The JVM build tools' goals that run the application in the foreground until it stops
  // (`sbt run`, `sbt "runMain app.Main 2551"`, `mvn spring-boot:run`, `gradle bootRun`).
  { match: /^sbt$/, sub: /^(run|runMain|reStart)(\s|$)/ },
  { match: /^(mvn|mvnw)$/, sub: /^(spring-boot:run|exec:java|jetty:run|quarkus:dev|liberty:run|liberty:dev)$/ },
  { match: /^(gradle|gradlew)$/, sub: /^(bootRun|run|appRun|quarkusDev)$/ },
];

/** Options that make a serving subcommand do one job and exit (`hdfs namenode -format`). */
const ONE_SHOT_OPTION = /^-(format|bootstrapStandby|initializeSharedEdits|finalize|rollback|recover|upgrade|version|help)$/;

/**
 * Servers started by name. Many detach by default, but as the last command of a script that
 * stays PID 1 in a working image they do not: if they did, the script would end and the
 * container with it.
 */
const SERVERS = /^(sqlservr|kafka-server-start\.sh|zookeeper-server-start\.sh|connect-distributed\.sh|standalone\.sh|domain\.sh|clamd|redis-sentinel|valkey-server|keydb-server|influxd|grafana-server|grafana|prometheus|alertmanager|etcd|mosquitto|pgbouncer|elasticsearch|logstash|kibana|fluentd|fluent-bit|td-agent|telegraf|searchd|zabbix_server|zabbix_agentd|zabbix_proxy|spiped|slapd|smbd|nmbd|rsyslogd|syslogd|syslog-ng|dockerd|containerd|xinetd|postgrest|coredns|mongos|couchdb|memcached|beanstalkd|nsqd|gitea|caddy|lighttpd|stunnel|privoxy|tor|ntpd|chronyd|named|unbound|dnsmasq|squid|vsftpd|pure-ftpd|proftpd|dovecot|exim|exim4|opendkim|postsrsd|cupsd|avahi-daemon|mysqld_safe|sidekiq|hz|firebird|fbguard|prosody|factorio)$/;
/** Servers whose first argument says what to serve: `consul agent`, `vault server`, `minio server`. */
const SERVING_FIRST = /^(consul|nomad|vault|minio|gitlab-runner|concourse|traefik|dex|keycloak|kc\.sh|odoo|airflow|celery|dgraph|cockroach|pocketbase|hugo|mkdocs|jekyll)$/;
const SERVING_FIRST_SUB = /^(agent|server|run|web|worker|webserver|scheduler|start|start-dev|beat|triggerer|dag-processor|alpha|zero|start-single-node|serve)$/;

/** Options that keep a daemon in the foreground (`-f`, `--foreground`, `-nodaemon`). */
const FOREGROUND_FLAG = /^(-f|-F|-n|-D|-N|--foreground|-foreground|--nodaemon|-nodaemon|--no-daemon|--nodetach|-nodetach|--no-fork|--no-detach|-DFOREGROUND)$/;

/** Options that make a daemon detach into the background: the command returns at once. */
const DETACH_FLAG = /^(--daemon|-daemon|--daemonize|--detach|--fork|--background|-B)$/;
/** Daemons whose `-d` means "detach" (for unbound, dnsmasq or slapd it means the opposite). */
const DASH_D_DETACHES = /^(freshclam|pgbouncer|mosquitto|memcached|redis-server|clamd|rsync|xinetd|hz|privoxy|dockerd)$/;

/** A name that says daemon: `…d` (`vsftpd`, `clamd`, `smbd`), `…-daemon`, `…-server`. */
const DAEMON_NAME = /^[a-z][a-z0-9_.-]*[a-z0-9](d|-daemon|-server|_server)$/;
/** Everyday commands whose names end in `d` like a daemon's. */
const NOT_DAEMONS = /^(sed|find|head|dd|xxd|cmd|add|chmod|chown|chgrp|build|load|upload|download|passwd|chpasswd|sshd-keygen|mkpasswd|send|bind|append|expand|unexpand|wait|read|cd|pwd|id|uuid|uniq-d|systemd-[a-z-]+|launchd|crowd|cloud|word|field|cod|bod)$/;

/**
 * The command runs until it is stopped, by what dockerlint knows of the program: a server run
 * in its foreground mode, a daemon whose name says so started with a foreground option, or one
 * of the servers above. False when it is told to detach (`-d`, `--daemon`).
 */
export function runsInForeground(program: string, args: readonly string[]): boolean {
  const name = basename(program);
  const detaches = args.some((a) => DETACH_FLAG.test(a) || (a === '-d' && DASH_D_DETACHES.test(name)));
  if (detaches && !args.some((a) => FOREGROUND_FLAG.test(a))) return false;
  const sub = SERVING_SUBCOMMAND.find((s) => s.match.test(name));
  // `hdfs namenode -format`: a one-shot step of the same subcommand.
  if (sub) return args.some((a) => sub.sub.test(a)) && !args.some((a) => ONE_SHOT_OPTION.test(a));
  if (SERVING_FIRST.test(name)) return SERVING_FIRST_SUB.test(args.find((a) => !a.startsWith('-')) ?? '');
  if (SERVERS.test(name) || DROPS_ITSELF.some((d) => d.match.test(name))) return true;
  return DAEMON_NAME.test(name) && !NOT_DAEMONS.test(name) && args.some((a) => FOREGROUND_FLAG.test(a));
}

/**
 * A command that never returns on its own and only keeps the container running: `tail -f` (it
 * follows the file for good) and `sleep infinity`. The shell that runs it in the foreground stays
 * there, and what the script has after it never runs.
 */
export function keepsRunning(program: string, args: readonly string[]): boolean {
  const name = basename(program);
  return (name === 'tail' && args.some((w) => /^-[a-zA-Z]*[fF]/.test(w))) || (name === 'sleep' && args[0] === 'infinity');
}

/**
 * The program can be what an image exists to run (a runtime, a server, a daemon by its name), not
 * a utility, a keep-alive (`tail -f /dev/null`) or a script of unknown purpose: what messages may
 * name as the main process when a script that stays PID 1 ends with it.
 */
export function looksLikeMainProgram(program: string, args: readonly string[]): boolean {
  const name = basename(program);
  return runsInForeground(program, args) || isWellKnownProgram(program) || (DAEMON_NAME.test(name) && !NOT_DAEMONS.test(name));
}

/**
 * Where a word of a command line is in the image: a file a COPY or ADD names (`named`), one that a
 * folder copied from a stage, an image or a URL may hold (`guessed`: `COPY --from=build /out /`
 * puts anything anywhere), or none the build provides (null).
 */
export type FindInImage = (word: string) => 'named' | 'guessed' | null;

/**
 * The word names a program to run: a program every image that names it has (`java`, `nginx`), one
 * a COPY or ADD puts on the PATH by that name, or a path to a bin folder (`/usr/local/bin/agent`)
 * that the build provides or that names a well-known program. A bare word that only a copied
 * folder may hold is not one: it is a word of the program's own command line (`serve`, `agent`).
 */
function namesProgram(word: string, find: FindInImage): boolean {
  if (!word.includes('/')) return isWellKnownProgram(word) || find(word) === 'named';
  if (!/(^|\/)s?bin\/[^/]+$/.test(word)) return false;
  return find(word) !== null || isWellKnownProgram(word);
}

/**
 * Everyday utilities whose operands are files, names or text, never a command they run
 * (`cp /usr/local/bin/app /opt`, `which python`).
 */
const OPERANDS_ONLY = /^(cat|cp|mv|rm|ln|mkdir|rmdir|chmod|chown|chgrp|touch|ls|stat|file|install|tar|head|tail|less|more|readlink|realpath|basename|dirname|test|\[|echo|printf|grep|egrep|fgrep|sed|awk|gawk|diff|cmp|sha1sum|sha256sum|md5sum|which|whereis|type|command|hash|ldd|strings|setcap|getcap|rsync|scp|curl|wget|kill|pkill|killall|pgrep|pidof|ps|update-alternatives|dpkg|rpm|apk|apt-get|apt|yum|dnf|microdnf|zypper|pip|pip3|npm|yarn|pnpm|git)$/;

/** dockerize's options that take a value (Go flags: `-wait tcp://db:5432`, `--wait=...`). */
const DOCKERIZE_VALUE = /^(template|stdout|stderr|delims|wait-http-header|wait|timeout|wait-retry-interval)$/;
const DOCKERIZE_BOOL = /^(poll|no-overwrite)$/;

/**
 * Where the command that `program args` is given to run starts (an index into `args`), or null
 * when its arguments hand over no command. Null words are values not known.
 *
 * Wrappers whose options dockerlint knows are read by them: `dockerize [options] cmd args` (waits
 * and renders templates, then runs cmd), `wait-for-it host:port -- cmd`, `wait-for host:port --
 * cmd` (nothing after `--`: they only wait), and `env [-i] [-u NAME] [NAME=value...] cmd`; an
 * option or word not known leaves the answer null, as what they run is then a guess.
 *
 * Any other program is given a command when its first argument, or the first word after its `--`,
 * names a program (see `namesProgram`): `ssh-env-config.sh /usr/local/bin/agent start`, `webproc
 * -c conf -- dnsmasq`, an entrypoint given `CMD ["java", "-jar", "app.jar"]`. Not when the program
 * is the one its words configure: a runtime or server dockerlint knows (`java -jar`, `nginx -g`),
 * one that takes subcommands (`consul agent`, `catalina.sh run`), a utility whose operands are
 * files (`cp`, `which`), or a program given a word that names no program (`./gotify-app serve`).
 */
export function handedCommandAt(program: string, args: readonly (string | null)[], find: FindInImage): number | null {
  const name = basename(program);
  if (name === 'dockerize') {
    for (let i = 0; i < args.length; i++) {
      const w = args[i];
      if (w === null || w === undefined) return null;
      if (w === '--') return i + 1 < args.length ? i + 1 : null;
      if (!w.startsWith('-') || w === '-') return i;
      const [flag = '', value] = w.replace(/^--?/, '').split('=', 2);
      if (DOCKERIZE_VALUE.test(flag)) {
        if (value === undefined) i++;
      } else if (!DOCKERIZE_BOOL.test(flag)) return null; // -version prints and exits; others are unknown
    }
    return null;
  }
  if (/^wait-for(-it)?(\.sh)?$/.test(name)) {
    const dash = args.indexOf('--');
    return dash >= 0 && dash + 1 < args.length ? dash + 1 : null;
  }
  if (name === 'env') {
    for (let i = 0; i < args.length; i++) {
      const w = args[i];
      if (w === null || w === undefined) return null;
      if (w === '-i' || w === '-' || w === '--ignore-environment') continue;
      if (w === '-u' || w === '--unset') {
        i++;
        continue;
      }
      if (w.startsWith('--unset=')) continue;
      if (w.startsWith('-')) return null;
      if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(w)) continue;
      return i;
    }
    return null;
  }
  if (isWellKnownProgram(name) || OPERANDS_ONLY.test(name) || SERVING_FIRST.test(name) || SERVING_SUBCOMMAND.some((s) => s.match.test(name))) return null;
  const dash = args.indexOf('--');
  for (const at of [0, dash >= 0 ? dash + 1 : -1]) {
    const word = at >= 0 ? args[at] : undefined;
    if (word === null || word === undefined || word.startsWith('-')) continue;
    if (namesProgram(word, find)) return at;
  }
  return null;
}

/**
 * What dockerlint knows about well-known base images, since it cannot pull them: their default
 * user, whether their own ENTRYPOINT drops root (the docker-library gosu pattern), which matters
 * when a Dockerfile only sets CMD, the command they start when a Dockerfile sets none, and what
 * their `/bin/sh` is. Unknown images are assumed to run as root with no entrypoint of their own,
 * as Docker does for an image with no config; an image left to the build (FROM takes its name from
 * a build argument with no default, or one that names no image one can pull: `placeholder`) is
 * not known at all, and neither is its user (Stage.baseChosenAtBuild).
 *
 * References are matched by repository name and tag separately, after normalising what does not
 * change the image's config: letter case, a digest (`@sha256:...`), the Docker Hub registry and
 * `library/` prefixes, and the per-architecture namespaces of the official images
 * (`arm64v8/postgres`, `amd64/php`). Tags are matched with their variant and architecture
 * suffixes (`8.3-apache-bookworm`, `nonroot-amd64`, `debug-nonroot-arm64`).
 */
export interface BaseImageFacts {
  /** Default user when it is not root. */
  user: string | null;
  /** Its ENTRYPOINT steps down from root (gosu/su-exec) before running CMD. */
  dropsPrivileges: boolean;
  note: string;
  /**
   * The long-running command it starts by default (inherited CMD), as root, when a Dockerfile
   * built on it sets neither ENTRYPOINT nor CMD nor USER; null when unknown or none.
   */
  rootCommand?: string | null;
  /**
   * The image's own ENTRYPOINT, which an image built on it inherits when no stage sets one (it
   * then runs with the CMD as its arguments); null when it has none or it is not modelled.
   */
  entrypoint?: ImageProgram | null;
  /** Other programs of the image whose behaviour is modelled (`apache2-foreground`), found by name on the PATH. */
  programs?: ImageProgram[];
}

/**
 * A program of a base image that dockerlint cannot read but knows the behaviour of: the small
 * start scripts of the official images, which only put a default command in front of their
 * arguments or start the server in the foreground. A summary, not the image's file: what it runs
 * next, in the same process (it execs), as the same user.
 */
export interface ImageProgram {
  /** Its path in the image: `/usr/local/bin/docker-entrypoint.sh`. */
  path: string;
  /** The image it comes from, as explain names it: `node`, `php:*-apache`. */
  image: string;
  /**
   * What it runs next. `args`: its arguments (`exec "$@"`), after putting `prefix` in front of them
   * when the first is an option (`-x`) or there is none, and also, with `orScript`, when the first
   * is a file for `prefix` to run rather than a command (node's `docker-entrypoint.sh` runs
   * `index.js` with node), or with `orFile` when the first is a file name it matches (redis's
   * entrypoint runs `redis.conf` with redis-server). `stepsDown`: it re-runs itself as another
   * user first (see `StepDown`). `command`: that command, followed by its arguments.
   */
  next: { kind: 'args'; prefix: string | null; orScript?: RegExp; orFile?: RegExp; does: string; stepsDown?: StepDown } | { kind: 'command'; argv: string[]; does: string };
}

/**
 * The docker-library step-down (semantics §4): started as root with its server as the first
 * argument (after the prefix), the entrypoint prepares the server's folders and re-runs itself as
 * `user` with `tool` (same PID), then execs its arguments as that user. Any other command, or a
 * start as another user, runs as it is.
 */
export interface StepDown {
  /** The user it re-runs itself as: `postgres`. */
  user: string;
  /** The first arguments it steps down for: its server (`postgres`), or a family (`mongo*`). */
  commands: RegExp;
  /** What `commands` says, for explain: `\`postgres\``, `a \`mongo*\` program`. */
  commandsText: string;
  /** Options anywhere in the arguments that make the server print and exit (`--help`): then no step-down. */
  helpOptions?: string[];
  tool: string;
}

const NODE_ENTRYPOINT: ImageProgram = {
  path: '/usr/local/bin/docker-entrypoint.sh',
  image: 'node',
  next: { kind: 'args', prefix: 'node', orScript: /\.(js|mjs|cjs)$/, does: 'runs its arguments with exec, putting `node` in front when the first is an option or a script for node rather than a command' },
};

const TEMURIN_ENTRYPOINT: ImageProgram = {
  path: '/__cacert_entrypoint.sh',
  image: 'eclipse-temurin',
  next: { kind: 'args', prefix: null, does: 'imports the certificates of /certificates when USE_SYSTEM_CA_CERTS is set, then runs its arguments with exec' },
};

/** A docker-library `docker-entrypoint.sh` that steps down from root for its server (see `StepDown`). */
function stepDownEntrypoint(image: string, prefix: string | null, orConf: boolean, step: StepDown): ImageProgram {
  const front = prefix === null ? '' : `puts \`${prefix}\` in front when the first argument is an option${orConf ? ' or a `.conf` file' : ''}; `;
  const help = step.helpOptions ? ' (without `--help` or `--version`)' : '';
  return {
    path: '/usr/local/bin/docker-entrypoint.sh',
    image,
    next: {
      kind: 'args',
      prefix,
      ...(orConf ? { orFile: /\.conf$/ } : {}),
      does: `${front}started as root with ${step.commandsText}${help} as its first argument, it prepares the server's folders and re-runs itself as ${step.user} with ${step.tool} (same PID); then it runs its arguments with exec`,
      stepsDown: step,
    },
  };
}

const POSTGRES_ENTRYPOINT = stepDownEntrypoint('postgres', 'postgres', false, { user: 'postgres', commands: /^postgres$/, commandsText: '`postgres`', helpOptions: ['-?', '--help', '--describe-config', '-V', '--version'], tool: 'gosu' });
const MYSQL_ENTRYPOINT = stepDownEntrypoint('mysql', 'mysqld', false, { user: 'mysql', commands: /^mysqld$/, commandsText: '`mysqld`', helpOptions: ['-?', '--help', '--print-defaults', '-V', '--version'], tool: 'gosu' });
const MARIADB_ENTRYPOINT = stepDownEntrypoint('mariadb', 'mariadbd', false, { user: 'mysql', commands: /^(mariadbd|mysqld)$/, commandsText: '`mariadbd` (or `mysqld`)', helpOptions: ['-?', '--help', '--print-defaults', '-V', '--version'], tool: 'gosu' });
const REDIS_ENTRYPOINT = stepDownEntrypoint('redis', 'redis-server', true, { user: 'redis', commands: /^redis-server$/, commandsText: '`redis-server`', tool: 'gosu' });
const MONGO_ENTRYPOINT = stepDownEntrypoint('mongo', 'mongod', false, { user: 'mongodb', commands: /^mongo/, commandsText: 'a `mongo*` program (`mongod`, `mongos`)', tool: 'gosu' });
const RABBITMQ_ENTRYPOINT = stepDownEntrypoint('rabbitmq', null, false, { user: 'rabbitmq', commands: /^rabbitmq/, commandsText: 'a `rabbitmq*` program (`rabbitmq-server`)', tool: 'gosu' });

/** The php image's entrypoint: the variant's server (or `php`) in front of options. */
function phpEntrypoint(variant: string, server: string): ImageProgram {
  return {
    path: '/usr/local/bin/docker-php-entrypoint',
    image: variant,
    next: { kind: 'args', prefix: server, does: `runs its arguments with exec, putting \`${server}\` in front when the first is an option` },
  };
}

const APACHE2_FOREGROUND: ImageProgram = {
  path: '/usr/local/bin/apache2-foreground',
  image: 'php:*-apache',
  next: { kind: 'command', argv: ['apache2', '-DFOREGROUND'], does: 'prepares the Apache run folders, then execs `apache2 -DFOREGROUND` with its arguments' },
};

const HTTPD_FOREGROUND: ImageProgram = {
  path: '/usr/local/bin/httpd-foreground',
  image: 'httpd',
  next: { kind: 'command', argv: ['httpd', '-DFOREGROUND'], does: 'removes a stale httpd.pid, then execs `httpd -DFOREGROUND` with its arguments' },
};

/** A reference split into repository name and tag (`latest` when none), normalised. */
export interface ImageName {
  /** `php`, `gcr.io/distroless/static-debian12`, `bitnami/redis`. */
  name: string;
  tag: string;
}

/** Official images built per architecture live in namespaces of their own on Docker Hub. */
const ARCH_NAMESPACE = /^(amd64|arm32v5|arm32v6|arm32v7|arm64v8|i386|mips64le|ppc64le|riscv64|s390x|windows-amd64)\//;

export function imageName(ref: string): ImageName {
  let r = ref.trim().toLowerCase().replace(/@[a-z0-9]+:[a-f0-9]+$/, '');
  r = r.replace(/^(docker\.io|index\.docker\.io|registry-1\.docker\.io|registry\.hub\.docker\.com)\//, '');
  r = r.replace(/^library\//, '').replace(ARCH_NAMESPACE, '');
  // The tag is after the last `:` that follows the last `/` (a registry may have a port).
  const slash = r.lastIndexOf('/');
  const colon = r.indexOf(':', slash + 1);
  return colon < 0 ? { name: r, tag: 'latest' } : { name: r.slice(0, colon), tag: r.slice(colon + 1) };
}

/** An architecture suffix on a tag: `nonroot-amd64`, `latest-arm64`, `3.20-arm64v8`. */
const ARCH = '(-(amd64|arm64|arm64v8|arm|armv7|arm32v7|armhf|ppc64le|s390x|riscv64|386|i386))?';

interface Entry extends BaseImageFacts {
  /** The repository name, whole. */
  name: RegExp;
  /** The tag, whole; any tag when absent. */
  tag?: RegExp;
}

const DROPS = 'the official image ENTRYPOINT re-runs itself with gosu (or su-exec) as an unprivileged user before it starts the server';

const TABLE: Entry[] = [
  // Distroless: root unless the tag is a `nonroot` one (`nonroot`, `debug-nonroot`, `latest-nonroot`, with an arch suffix).
  { name: /^gcr\.io\/distroless\/.+$/, tag: new RegExp(`^(.*-)?nonroot${ARCH}$`), user: '65532', dropsPrivileges: false, note: 'distroless :nonroot images run as uid 65532 (nonroot)' },
  // Chainguard: nonroot by default, except the `-dev` variants and wolfi-base, which run as root.
  { name: /^(cgr\.dev\/[^/]+|chainguard)\/(?!wolfi-base$)[^/]+$/, tag: new RegExp(`^(?!(.*-)?dev${ARCH}$).*$`), user: '65532', dropsPrivileges: false, note: 'Chainguard images run as nonroot (uid 65532) by default; their -dev variants run as root' },
  // Bitnami application images run as uid 1001; minideb is a plain Debian base and runs as root.
  { name: /^(public\.ecr\.aws\/)?bitnami(legacy)?\/(?!minideb$)[^/]+$/, user: '1001', dropsPrivileges: false, note: 'Bitnami images run as uid 1001' },
  { name: /^(.+\/)?nginx-unprivileged$/, user: '101', dropsPrivileges: false, note: 'the *-unprivileged nginx images run as the nginx user (uid 101)' },
  { name: /^jenkins\/(jenkins|inbound-agent|agent)$/, user: 'jenkins', dropsPrivileges: false, note: 'the Jenkins images set USER jenkins (uid 1000) and start under tini' },
  { name: /^(sonarqube|sonarsource\/sonarqube)$/, user: 'sonarqube', dropsPrivileges: false, note: 'the sonarqube image sets USER sonarqube' },
  // SQL Server: the 2017 images run as root; from 2019 on they set USER mssql (uid 10001).
  { name: /^(mcr\.microsoft\.com\/)?mssql\/(server|rhel\/server)$/, tag: /^2017/, user: null, dropsPrivileges: false, note: 'the SQL Server 2017 images run as root' },
  { name: /^(mcr\.microsoft\.com\/)?mssql\/(server|rhel\/server)$/, user: 'mssql', dropsPrivileges: false, note: 'the SQL Server images from 2019 on set USER mssql (uid 10001)' },
  { name: /^(sonatype\/)?nexus3$/, user: 'nexus', dropsPrivileges: false, note: 'the nexus3 image sets USER nexus' },
  { name: /^grafana\/grafana(-oss|-enterprise)?$/, user: '472', dropsPrivileges: false, note: 'the grafana image sets USER grafana (uid 472)' },
  { name: /^(quay\.io\/)?prom\/(prometheus|alertmanager|node-exporter|pushgateway)$/, user: 'nobody', dropsPrivileges: false, note: 'the Prometheus images set USER nobody' },
  { name: /^(quay\.io\/)?keycloak\/keycloak$/, user: '1000', dropsPrivileges: false, note: 'the keycloak image sets USER 1000' },
  { name: /^(docker\.elastic\.co\/(elasticsearch|kibana|logstash)\/)?(elasticsearch|kibana|logstash)$/, user: '1000', dropsPrivileges: false, note: 'the Elastic images set USER 1000' },
  { name: /^(solr|apache\/solr)$/, user: 'solr', dropsPrivileges: false, note: 'the solr image sets USER solr (uid 8983)' },
  { name: /^memcached$/, user: 'memcache', dropsPrivileges: false, note: 'the memcached image sets USER memcache' },
  { name: /^odoo$/, user: 'odoo', dropsPrivileges: false, note: 'the odoo image sets USER odoo' },
  { name: /^haproxy(tech\/haproxy-\w+)?$/, user: 'haproxy', dropsPrivileges: false, note: 'the haproxy image sets USER haproxy' },
  { name: /^jetty$/, user: 'jetty', dropsPrivileges: false, note: 'the jetty image sets USER jetty' },
  { name: /^(apache\/)?flink$/, user: 'flink', dropsPrivileges: false, note: 'the flink image sets USER flink (older tags step down with gosu)' },
  { name: /^varnish$/, user: 'varnish', dropsPrivileges: false, note: 'the varnish image sets USER varnish' },
  { name: /^kong(\/kong-gateway)?$/, user: 'kong', dropsPrivileges: false, note: 'the kong image sets USER kong' },
  // The docker-library images whose entrypoint steps down from root for their server command:
  // modelled for these (explain follows them), ...
  { name: /^postgres$/, user: null, dropsPrivileges: true, note: DROPS, entrypoint: POSTGRES_ENTRYPOINT, programs: [POSTGRES_ENTRYPOINT] },
  { name: /^mysql$/, user: null, dropsPrivileges: true, note: DROPS, entrypoint: MYSQL_ENTRYPOINT, programs: [MYSQL_ENTRYPOINT] },
  { name: /^mariadb$/, user: null, dropsPrivileges: true, note: DROPS, entrypoint: MARIADB_ENTRYPOINT, programs: [MARIADB_ENTRYPOINT] },
  { name: /^redis$/, user: null, dropsPrivileges: true, note: DROPS, entrypoint: REDIS_ENTRYPOINT, programs: [REDIS_ENTRYPOINT] },
  { name: /^mongo$/, user: null, dropsPrivileges: true, note: DROPS, entrypoint: MONGO_ENTRYPOINT, programs: [MONGO_ENTRYPOINT] },
  { name: /^rabbitmq$/, user: null, dropsPrivileges: true, note: DROPS, entrypoint: RABBITMQ_ENTRYPOINT, programs: [RABBITMQ_ENTRYPOINT] },
  // ... and known, not modelled, for these.
  {
    name: /^(cassandra|couchdb|zookeeper|ghost|redmine|percona|neo4j|storm|znc|clickhouse(\/clickhouse-server)?)$/,
    user: null,
    dropsPrivileges: true,
    note: DROPS,
  },
  // Images whose inherited CMD is a server that runs as root (its master process, at least).
  { name: /^php$/, tag: /(^|-)apache(-|$)/, user: null, dropsPrivileges: false, note: 'php:*-apache runs apache2-foreground as root (its workers run as www-data)', rootCommand: 'apache2-foreground', entrypoint: phpEntrypoint('php:*-apache', 'apache2-foreground'), programs: [phpEntrypoint('php:*-apache', 'apache2-foreground'), APACHE2_FOREGROUND] },
  { name: /^php$/, tag: /(^|-)fpm(-|$)/, user: null, dropsPrivileges: false, note: 'php:*-fpm runs php-fpm as root (its pool workers run as www-data)', rootCommand: 'php-fpm', entrypoint: phpEntrypoint('php:*-fpm', 'php-fpm'), programs: [phpEntrypoint('php:*-fpm', 'php-fpm')] },
  // The other php variants (cli, zts): no server, `php` in front of options.
  { name: /^php$/, user: null, dropsPrivileges: false, note: 'the php image runs as root', entrypoint: phpEntrypoint('php', 'php'), programs: [phpEntrypoint('php', 'php')] },
  // The CMS images built on php: their own entrypoints are not modelled, the php image's programs are.
  { name: /^(wordpress|drupal|joomla|nextcloud|matomo|yourls|mediawiki|postfixadmin)$/, tag: /^(?!.*(^|-)(fpm|cli)(-|$))/, user: null, dropsPrivileges: false, note: 'the image runs apache2-foreground as root (its workers run as www-data)', rootCommand: 'apache2-foreground', programs: [phpEntrypoint('php:*-apache', 'apache2-foreground'), APACHE2_FOREGROUND] },
  { name: /^(wordpress|drupal|joomla|nextcloud|matomo|yourls|mediawiki|postfixadmin)$/, tag: /(^|-)fpm(-|$)/, user: null, dropsPrivileges: false, note: 'the image runs php-fpm as root (its pool workers run as www-data)', rootCommand: 'php-fpm', programs: [phpEntrypoint('php:*-fpm', 'php-fpm')] },
  { name: /^httpd$/, user: null, dropsPrivileges: false, note: 'httpd runs httpd-foreground as root (its workers run as www-data)', rootCommand: 'httpd-foreground', programs: [HTTPD_FOREGROUND] },
  // tomcat is built on eclipse-temurin (its older `-openjdk` and `-corretto` tags on other JDK images) and inherits its ENTRYPOINT.
  { name: /^tomcat$/, tag: /^(?!.*(openjdk|corretto))/, user: null, dropsPrivileges: false, note: 'tomcat runs catalina.sh run as root', rootCommand: 'catalina.sh run', entrypoint: TEMURIN_ENTRYPOINT, programs: [TEMURIN_ENTRYPOINT] },
  { name: /^tomcat$/, user: null, dropsPrivileges: false, note: 'tomcat runs catalina.sh run as root', rootCommand: 'catalina.sh run' },
  // Language images: root, and no entrypoint of their own that steps down.
  { name: /^node$/, user: null, dropsPrivileges: false, note: 'the node image runs as root; its node user (uid 1000) is there to be chosen with USER node', entrypoint: NODE_ENTRYPOINT, programs: [NODE_ENTRYPOINT] },
  // eclipse-temurin, and the official images built on it that set no ENTRYPOINT of their own.
  { name: /^eclipse-temurin$/, user: null, dropsPrivileges: false, note: 'the language image runs as root, with no entrypoint that steps down', entrypoint: TEMURIN_ENTRYPOINT, programs: [TEMURIN_ENTRYPOINT] },
  { name: /^(python|pypy|golang|ruby|openjdk|amazoncorretto|ibm-semeru-runtimes|sapmachine|perl|rust|gcc|maven|gradle|composer|buildpack-deps|elixir|erlang|julia|swift|dart|bash)$/, user: null, dropsPrivileges: false, note: 'the language image runs as root, with no entrypoint that steps down' },
];

type BaseRef = { base: string; baseKnown: boolean; baseStage: unknown };

export function knownBaseImage(stage: BaseRef, trusted?: (ref: string) => BaseImageFacts | null): BaseImageFacts | null {
  if (stage.baseStage || !stage.baseKnown) return null;
  const ref = stage.base.toLowerCase();
  const fromConfig = trusted?.(ref);
  if (fromConfig) return fromConfig;
  return baseImageFacts(ref);
}

/** The table's facts about an image reference, or null when it is not in the table. */
export function baseImageFacts(ref: string): BaseImageFacts | null {
  const { name, tag } = imageName(ref);
  const hit = TABLE.find((e) => e.name.test(name) && (!e.tag || e.tag.test(tag)));
  return hit ? { user: hit.user, dropsPrivileges: hit.dropsPrivileges, note: hit.note, rootCommand: hit.rootCommand ?? null, entrypoint: hit.entrypoint ?? null, programs: hit.programs ?? [] } : null;
}

/** Whether a reference parses as `[registry/]name[:tag][@digest]` (lower-case name, tag charset). */
export function validReference(ref: string): boolean {
  let rest = ref;
  const at = rest.indexOf('@');
  if (at >= 0) {
    if (!/^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/.test(rest.slice(at + 1))) return false;
    rest = rest.slice(0, at);
  }
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > slash) {
    if (!/^[\w][\w.-]{0,127}$/.test(rest.slice(colon + 1))) return false;
    rest = rest.slice(0, colon);
  }
  const parts = rest.split('/');
  const first = parts[0] ?? '';
  if (parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost')) parts.shift();
  return parts.length > 0 && parts.every((p) => /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/.test(p));
}

/**
 * The official images of Docker Hub: the only images a reference without a namespace or registry
 * (`alpine`, `python:3.12`) can pull. Any other single name (`placeholder`, `base`) is an image
 * built locally or a value meant to be replaced.
 */
const OFFICIAL_IMAGES = new Set([
  'adminer', 'aerospike', 'almalinux', 'alpine', 'alt', 'amazoncorretto', 'amazonlinux', 'api-firewall', 'arangodb', 'archlinux',
  'backdrop', 'bash', 'bonita', 'buildpack-deps', 'busybox', 'caddy', 'cassandra', 'centos', 'chronograf', 'cirros', 'clearlinux',
  'clickhouse', 'clojure', 'composer', 'consul', 'convertigo', 'couchbase', 'couchdb', 'crate', 'dart', 'debian', 'docker', 'drupal',
  'eclipse-mosquitto', 'eclipse-temurin', 'eggdrop', 'elasticsearch', 'elixir', 'emqx', 'erlang', 'fedora', 'flink', 'fluentd',
  'friendica', 'gazebo', 'gcc', 'geonetwork', 'ghost', 'golang', 'gradle', 'groovy', 'haproxy', 'haskell', 'haxe', 'hello-world',
  'hitch', 'httpd', 'hylang', 'ibm-semeru-runtimes', 'ibmjava', 'influxdb', 'irssi', 'jenkins', 'jetty', 'jobber', 'joomla', 'jruby',
  'julia', 'kapacitor', 'kibana', 'kong', 'krakend', 'liquibase', 'logstash', 'mageia', 'mariadb', 'matomo', 'maven', 'mediawiki',
  'memcached', 'mongo', 'mongo-express', 'monica', 'mono', 'mysql', 'nats', 'neo4j', 'neurodebian', 'nextcloud', 'nginx', 'node',
  'notary', 'odoo', 'open-liberty', 'openjdk', 'opensuse', 'oraclelinux', 'orientdb', 'percona', 'perl', 'photon', 'php',
  'php-zendserver', 'phpmyadmin', 'plone', 'postfixadmin', 'postgres', 'pypy', 'python', 'r-base', 'rabbitmq', 'rakudo-star', 'redis',
  'redmine', 'registry', 'rethinkdb', 'rocket.chat', 'rockylinux', 'ros', 'ruby', 'rust', 'sapmachine', 'satosa', 'scratch',
  'silverpeas', 'sl', 'solr', 'sonarqube', 'spark', 'spiped', 'storm', 'swift', 'swipl', 'teamspeak', 'telegraf', 'tomcat', 'tomee',
  'traefik', 'ubuntu', 'unit', 'varnish', 'websphere-liberty', 'wordpress', 'xwiki', 'yourls', 'znc', 'zookeeper',
]);

/**
 * A reference one can pull, as far as the text tells: valid, and either in a namespace or on a
 * registry (`bitnami/redis`, `ghcr.io/org/app:1`) or an official image (`alpine:3.20`).
 */
export function namesPullableImage(ref: string): boolean {
  if (!validReference(ref)) return false;
  const { name } = imageName(ref);
  return name.includes('/') || OFFICIAL_IMAGES.has(name);
}

/** Plain OS images: they ship no entrypoint scripts of their own. */
const PLAIN_OS = /^(scratch|alpine|debian|ubuntu|busybox|centos|fedora|rockylinux|almalinux|amazonlinux|oraclelinux|archlinux|opensuse\/[\w.-]+|gcr\.io\/distroless\/.+|(cgr\.dev\/[^/]+|chainguard)\/(static|wolfi-base))$/;
/** Images known to ship no bash unless it is installed (Chainguard's `-dev` variants may have it). */
const NO_BASH_NAME = /^(alpine|busybox|scratch|gcr\.io\/distroless\/.+|(cgr\.dev\/[^/]+|chainguard)\/.+)$/;
/**
 * Official images whose Alpine variants ship no bash: their own scripts are POSIX sh. Other
 * `*-alpine` images often add bash for their own entrypoint (postgres does), so an Alpine
 * variant not listed here is not assumed to lack it.
 */
const NO_BASH_ON_ALPINE = /^(node|python|golang|nginx|redis|httpd|memcached|ruby|php|traefik|haproxy|eclipse-temurin)$/;
/** An Alpine variant of another image: `node:20-alpine3.19`, `nginx:alpine-slim`. */
const ALPINE_TAG = /(^|-)alpine/;

/**
 * The CMD of a plain OS image, when it is a shell (`/bin/sh` on alpine, `bash` on debian and
 * ubuntu): what an image built on it runs when no stage sets ENTRYPOINT or CMD (such images have
 * no ENTRYPOINT). Null for any other image, or scratch and distroless, which have no shell CMD.
 */
export function osShellCommand(stage: BaseRef): string | null {
  if (stage.baseStage || !stage.baseKnown) return null;
  const { name } = imageName(stage.base);
  if (name === 'alpine' || name === 'busybox') return name === 'alpine' ? '/bin/sh' : 'sh';
  if (name === 'debian' || name === 'ubuntu') return 'bash';
  if (/^(centos|fedora|rockylinux|almalinux|amazonlinux|oraclelinux|opensuse\/[\w.-]+)$/.test(name)) return '/bin/bash';
  if (name === 'archlinux') return '/usr/bin/bash';
  return null;
}

export function isPlainOs(stage: BaseRef): boolean {
  return !stage.baseStage && stage.baseKnown && PLAIN_OS.test(imageName(stage.base).name);
}

export function lacksBash(stage: BaseRef): boolean {
  if (stage.baseStage || !stage.baseKnown) return false;
  const { name, tag } = imageName(stage.base);
  if (NO_BASH_NAME.test(name)) return !/^cgr\.dev\/|^chainguard\//.test(name) || !/(^|-)dev(-|$)/.test(tag);
  return NO_BASH_ON_ALPINE.test(name) && ALPINE_TAG.test(tag);
}

/** scratch, and distroless but for its `debug` tags (busybox sh): no shell at all, not even /bin/sh. */
export function lacksShell(stage: BaseRef): boolean {
  if (stage.baseStage || !stage.baseKnown) return false;
  const { name, tag } = imageName(stage.base);
  return name === 'scratch' || (/^gcr\.io\/distroless\//.test(name) && !/(^|-)debug(-|$)/.test(tag));
}

/** Windows images: no root user or PID 1 semantics of Linux; the Linux rules do not apply. */
export function isWindowsImage(stage: { base: string; config: { shell: { argv: string[] } } }, root: { base: string }): boolean {
  const shell = (stage.config.shell.argv[0] ?? '').toLowerCase();
  return /(^|\/)(windows|nanoserver|servercore)|windows\/|:ltsc|nanoserver|windowsservercore/i.test(root.base) || /(^|\\|\/)(cmd|powershell|pwsh)(\.exe)?$/.test(shell);
}

/** What `/bin/sh` is in an image: busybox ash, dash, or bash. */
export type ShFlavour = 'ash' | 'dash' | 'bash';

/** Images whose /bin/sh is busybox ash (Alpine, BusyBox, Wolfi, and official images built on Alpine only). */
const ASH_NAME = /^(alpine|busybox|(cgr\.dev\/[^/]+|chainguard)\/.+|docker|traefik|caddy|registry|nats)$/;
/** The Red Hat family, SUSE, Arch, Photon and Amazon Linux: /bin/sh is bash. */
const BASH_NAME = /(^|\/)(ubi\d*(-\w+)?|ubi-minimal|ubi-micro|centos|fedora|rockylinux|almalinux|amazonlinux|oraclelinux|rhel\d*|photon|archlinux|opensuse\/[\w.-]+|sles\d*|amazoncorretto|mysql)$|^registry\.access\.redhat\.com\/|^quay\.io\/centos\//;
/** A tag naming such a base: `21-ubi9-minimal`, `17-al2023`, `8-oraclelinux9`, `8.4-oracle`. */
const BASH_TAG = /(^|-)(ubi\d*|ubi\d*-minimal|rhel-ubi\d*|centos\d*|rockylinux\d*|almalinux\d*|fedora\d*|al2(023)?|amazonlinux\d*|oraclelinux\d*|oracle)(-|$)/;
/** A tag naming a Debian or Ubuntu release. */
const DASH_TAG = /(^|-)(slim|bookworm|bullseye|buster|stretch|trixie|sid|jammy|noble|focal|bionic|oracular|plucky|debian\d*|ubuntu[\d.]*)(-|$)/;
/**
 * Images whose default tags are built on Debian or Ubuntu (their Alpine or UBI tags say so, and
 * are matched first).
 */
const DASH_NAME = /^(debian|ubuntu|node|python|pypy|ruby|golang|php|perl|rust|gcc|buildpack-deps|openjdk|eclipse-temurin|maven|gradle|tomcat|httpd|nginx|redis|postgres|mongo|mariadb|rabbitmq|memcached|cassandra|elasticsearch|solr|zookeeper|ghost|wordpress|drupal|joomla|nextcloud|matomo|redmine|haproxy|jenkins\/jenkins|jenkins\/inbound-agent|jenkins\/agent|bitnami\/[^/]+|gcr\.io\/distroless\/.+)$/;

/**
 * `/bin/sh` of the image the stage is built on: ash on Alpine, BusyBox and Wolfi (and the tags
 * built on them), bash on the Red Hat family, SUSE, Arch and Amazon Linux; dash on Debian and
 * Ubuntu and the official images built on them (a Debian tag wins: `mysql:8.0-debian`; the
 * distroless `:debug` tags have busybox). `known` is false when the base is not
 * recognised (then dash is the guess, as most images are built on Debian or Ubuntu).
 */
export function imageSh(stage: BaseRef): { flavour: ShFlavour; known: boolean } {
  if (stage.baseStage || !stage.baseKnown) return { flavour: 'dash', known: false };
  const { name, tag } = imageName(stage.base);
  if (ASH_NAME.test(name) || ALPINE_TAG.test(tag) || (/^gcr\.io\/distroless\//.test(name) && /(^|-)debug(-|$)/.test(tag))) return { flavour: 'ash', known: true };
  if (DASH_TAG.test(tag)) return { flavour: 'dash', known: true };
  if (BASH_NAME.test(name) || BASH_TAG.test(tag)) return { flavour: 'bash', known: true };
  return { flavour: 'dash', known: DASH_NAME.test(name) };
}

/**
 * Images whose config sets no environment but PATH (the official alpine, busybox, debian and
 * ubuntu images are a root filesystem and a CMD), and `scratch`, where the builder sets PATH.
 * On any other base image an unknown variable may come from the image's ENV.
 */
const PATH_ONLY_ENV = /^(scratch|alpine|busybox|debian|ubuntu)$/;

/** The stage is built on such an image (named without a variable), so its environment is known. */
export function envIsOnlyPath(stage: BaseRef & { from?: unknown }): boolean {
  return !stage.baseStage && stage.baseKnown && PATH_ONLY_ENV.test(imageName(stage.base).name);
}

/**
 * What dockerlint knows about a few well-known base images, since it cannot pull them: their
 * default user, and whether their own ENTRYPOINT drops root (the docker-library gosu pattern),
 * which matters when a Dockerfile only sets CMD. Unknown images are assumed to run as root
 * with no entrypoint of their own, as Docker does for an image with no config.
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
}

interface Entry extends BaseImageFacts {
  match: RegExp;
}

/** An architecture suffix on a tag: `:nonroot-amd64`, `:latest-arm64`. */
const ARCH = '(-(amd64|arm64|arm|armv7|ppc64le|s390x|riscv64))?';

const TABLE: Entry[] = [
  { match: new RegExp(`^(gcr\\.io/)?distroless/.+:(.*-)?nonroot${ARCH}$`), user: '65532', dropsPrivileges: false, note: 'distroless :nonroot runs as uid 65532' },
  // wolfi-base is the one Chainguard image that runs as root (it is the base to apk add on).
  { match: /^cgr\.dev\/chainguard\/(?!wolfi-base(:|@|$))(?!.*-dev$).+/, user: '65532', dropsPrivileges: false, note: 'Chainguard images run as nonroot by default' },
  { match: /^(docker\.io\/)?bitnami\//, user: '1001', dropsPrivileges: false, note: 'Bitnami images run as uid 1001' },
  { match: /-unprivileged(:|$)/, user: '101', dropsPrivileges: false, note: '*-unprivileged images run as a non-root user' },
  { match: /^(docker\.io\/)?(library\/)?(jenkins\/jenkins|jenkins\/inbound-agent|jenkins\/agent)(:|@|$)/, user: '1000', dropsPrivileges: false, note: 'the Jenkins images run as the jenkins user (uid 1000)' },
  { match: /^(docker\.io\/)?(library\/)?(sonarqube|nexus3|sonatype\/nexus3|grafana\/grafana(-oss)?|prom\/prometheus|keycloak\/keycloak|quay\.io\/keycloak\/keycloak)(:|@|$)/, user: 'app', dropsPrivileges: false, note: 'the image sets a non-root USER of its own' },
  { match: /^(docker\.io\/)?(library\/)?(node):[^@]*$/, user: null, dropsPrivileges: false, note: 'the node image runs as root; its node user (uid 1000) is there to be chosen with USER node' },
  {
    match: /^(docker\.io\/)?(library\/)?(redis|postgres|mysql|mariadb|mongo|rabbitmq|memcached|cassandra|couchdb|elasticsearch|zookeeper|solr|ghost|redmine|percona|neo4j)(:|@|$)/,
    user: null,
    dropsPrivileges: true,
    note: 'the official image ENTRYPOINT re-runs itself with gosu as an unprivileged user',
  },
  // Images whose inherited CMD is a server that runs as root (its master process, at least).
  { match: /^(docker\.io\/)?(library\/)?php:[^@]*apache/, user: null, dropsPrivileges: false, note: 'php:*-apache runs apache2-foreground as root', rootCommand: 'apache2-foreground' },
  { match: /^(docker\.io\/)?(library\/)?php:[^@]*fpm/, user: null, dropsPrivileges: false, note: 'php:*-fpm runs php-fpm as root', rootCommand: 'php-fpm' },
  { match: /^(docker\.io\/)?(library\/)?(wordpress|drupal|joomla|nextcloud|matomo|yourls|mediawiki)(:|@|$)/, user: null, dropsPrivileges: false, note: 'the image runs its apache or php-fpm as root', rootCommand: 'apache2-foreground' },
  { match: /^(docker\.io\/)?(library\/)?httpd(:|@|$)/, user: null, dropsPrivileges: false, note: 'httpd runs httpd-foreground as root', rootCommand: 'httpd-foreground' },
  { match: /^(docker\.io\/)?(library\/)?tomcat(:|@|$)/, user: null, dropsPrivileges: false, note: 'tomcat runs catalina.sh run as root', rootCommand: 'catalina.sh run' },
];

export function knownBaseImage(
  stage: { base: string; baseKnown: boolean; baseStage: unknown },
  trusted?: (ref: string) => BaseImageFacts | null,
): BaseImageFacts | null {
  if (stage.baseStage || !stage.baseKnown) return null;
  const ref = stage.base.toLowerCase();
  const fromConfig = trusted?.(ref);
  if (fromConfig) return fromConfig;
  const hit = TABLE.find((e) => e.match.test(ref));
  return hit ? { user: hit.user, dropsPrivileges: hit.dropsPrivileges, note: hit.note, rootCommand: hit.rootCommand ?? null } : null;
}

/** Plain OS images: they ship no entrypoint scripts of their own, and no bash where noted. */
const PLAIN_OS = /^(docker\.io\/)?(library\/)?(scratch|alpine|debian|ubuntu|busybox|centos|fedora|rockylinux|almalinux|amazonlinux|oraclelinux|archlinux|opensuse\/\w+)(:|@|$)|^(gcr\.io\/)?distroless\/|^cgr\.dev\/chainguard\/(static|wolfi-base)/;
/**
 * Images known to ship no bash unless it is installed: the plain small images, and the Alpine
 * variants of official images whose own scripts are POSIX sh. Other `*-alpine` images often add
 * bash for their own entrypoint (postgres, for one), so an image not listed is not assumed to lack it.
 */
const NO_BASH =
  /^(docker\.io\/)?(library\/)?(alpine|busybox|scratch)(:|@|$)|^(gcr\.io\/)?distroless\/|^cgr\.dev\/chainguard\/(static|glibc-dynamic)(:|@|$)|^(docker\.io\/)?(library\/)?(node|python|golang|nginx|redis|httpd|memcached|ruby|php|traefik|haproxy|eclipse-temurin):[^@]*alpine/;

export function isPlainOs(stage: { base: string; baseKnown: boolean; baseStage: unknown }): boolean {
  return !stage.baseStage && stage.baseKnown && PLAIN_OS.test(stage.base.toLowerCase());
}

export function lacksBash(stage: { base: string; baseKnown: boolean; baseStage: unknown }): boolean {
  return !stage.baseStage && stage.baseKnown && NO_BASH.test(stage.base.toLowerCase());
}

/** Windows images: no root user or PID 1 semantics of Linux; the Linux rules do not apply. */
export function isWindowsImage(stage: { base: string; config: { shell: { argv: string[] } } }, root: { base: string }): boolean {
  const shell = (stage.config.shell.argv[0] ?? '').toLowerCase();
  return /(^|\/)(windows|nanoserver|servercore)|windows\/|:ltsc|nanoserver/i.test(root.base) || /(^|\\|\/)(cmd|powershell|pwsh)(\.exe)?$/.test(shell);
}

/** What `/bin/sh` is in an image: busybox ash, dash, or bash. */
export type ShFlavour = 'ash' | 'dash' | 'bash';

const ASH_IMAGES = /^(docker\.io\/)?(library\/)?(alpine|busybox)(:|@|$)|-alpine|:alpine|^cgr\.dev\/chainguard\/|^(docker\.io\/)?(library\/)?(docker|traefik|caddy|registry)(:|@|$)/;
const BASH_SH_IMAGES = /(^|\/)(ubi\d*(-\w+)?|ubi-minimal|ubi-micro|centos|fedora|rockylinux|almalinux|amazonlinux|oraclelinux|rhel\d*|photon|archlinux|opensuse\/\w+|sles\d*)(:|@|$)|^registry\.access\.redhat\.com\/|^quay\.io\/centos\//;

/**
 * `/bin/sh` of the image the stage is built on: ash on Alpine and BusyBox (and the images built
 * on them), bash on the Red Hat family, SUSE and Arch; dash elsewhere (Debian and Ubuntu, which
 * most official images are built on). `known` is false when the base is not recognised.
 */
export function imageSh(stage: { base: string; baseKnown: boolean; baseStage: unknown }): { flavour: ShFlavour; known: boolean } {
  if (!stage.baseKnown) return { flavour: 'dash', known: false };
  const ref = stage.base.toLowerCase();
  if (ASH_IMAGES.test(ref)) return { flavour: 'ash', known: true };
  if (BASH_SH_IMAGES.test(ref)) return { flavour: 'bash', known: true };
  return { flavour: 'dash', known: /^(docker\.io\/)?(library\/)?(debian|ubuntu)(:|@|$)|-(bookworm|bullseye|buster|trixie|slim|jammy|noble|focal)\b|:(bookworm|bullseye|buster|trixie|jammy|noble|focal)/.test(ref) };
}

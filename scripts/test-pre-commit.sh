#!/usr/bin/env bash
# Checks the pre-commit hook (.pre-commit-hooks.yaml) for real: a throwaway git repository with a
# bad Dockerfile and entrypoint script, `pre-commit try-repo <dockerlint> dockerlint --all-files`,
# and the hook must fail with dockerlint's findings in its output.
#
#   bash scripts/test-pre-commit.sh          test the current working tree (a snapshot of it is
#                                           committed to a temporary repository, since try-repo
#                                           installs a repository's committed HEAD)
#   bash scripts/test-pre-commit.sh --head   test this repository's HEAD as it is
#
# Needs pre-commit (Debian package `pre-commit`; installed with apt-get when missing and
# possible, otherwise the test is skipped with a message and exit code 0) and node on PATH. The
# hook runs the committed bundle action/dockerlint.js: installing it is a clone, no npm install.
# The first and second runs are timed (the first one installs the hook).
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
mode="${1:-snapshot}"

if ! command -v pre-commit >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "test-pre-commit: installing pre-commit (apt-get)"
    (apt-get install -y --no-install-recommends pre-commit >/dev/null 2>&1 ||
      { apt-get update >/dev/null 2>&1 && apt-get install -y --no-install-recommends pre-commit >/dev/null 2>&1; }) || true
  fi
fi
if ! command -v pre-commit >/dev/null 2>&1; then
  echo "test-pre-commit: SKIPPED: pre-commit is not installed and could not be installed (apt-get install pre-commit)"
  exit 0
fi

tmp="$(mktemp -d "${TMPDIR:-/tmp}/dockerlint-pre-commit.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
git_() { git -c user.name=dockerlint-test -c user.email=test@example.invalid -c commit.gpgsign=false -c init.defaultBranch=main "$@"; }

# The hook repository.
if [ "$mode" = "--head" ]; then
  hook_repo="$here"
else
  hook_repo="$tmp/dockerlint"
  mkdir -p "$hook_repo"
  # Tracked and untracked files, without what .gitignore excludes (node_modules, dist, ...).
  (cd "$here" && git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
    tar --null -T - -cf -) | tar -xf - -C "$hook_repo"
  git_ -C "$hook_repo" init -q
  git_ -C "$hook_repo" add -A
  git_ -C "$hook_repo" commit -q -m "snapshot of the working tree for test-pre-commit.sh"
fi

# The project a developer commits to: root by default, shell-form CMD, su in the entrypoint.
proj="$tmp/project"
mkdir -p "$proj"
cat >"$proj/Dockerfile" <<'DOCKERFILE'
FROM alpine:3.20
RUN apk add --no-cache redis
COPY docker-entrypoint.sh /usr/local/bin/
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["redis-server"]
DOCKERFILE
cat >"$proj/docker-entrypoint.sh" <<'SCRIPT'
#!/bin/sh
set -e
if [ "$1" = 'redis-server' ] && [ "$(id -u)" = '0' ]; then
	exec su redis -s /bin/sh -c "$0 $*"
fi
exec "$@"
SCRIPT
chmod +x "$proj/docker-entrypoint.sh"
git_ -C "$proj" init -q
git_ -C "$proj" add -A

echo "test-pre-commit: pre-commit $(pre-commit --version | awk '{print $2}'), try-repo $hook_repo"
run_hook() {
  local start end
  start=$(date +%s%N)
  set +e
  output="$(cd "$proj" && PRE_COMMIT_HOME="$tmp/cache" pre-commit try-repo "$hook_repo" dockerlint --all-files --color never 2>&1)"
  status=$?
  set -e
  end=$(date +%s%N)
  elapsed="$(( (end - start) / 1000000 )) ms"
}
run_hook
first="$elapsed"
printf '%s\n' "$output"

fail() {
  echo "test-pre-commit: FAILED: $1"
  exit 1
}
[ "$status" -ne 0 ] || fail "the hook passed on a bad Dockerfile"
grep -q '^dockerlint\.*Failed' <<<"$output" || fail "no 'dockerlint....Failed' line"
grep -q 'docker-entrypoint.sh' <<<"$output" || fail "the entrypoint script's finding is missing"
grep -q 'su-sudo' <<<"$output" || fail "the su-sudo finding is missing"
if grep -qi 'npm' <<<"$output"; then fail "the hook mentioned npm: it should not install anything"; fi
run_hook
second="$elapsed"
[ "$status" -ne 0 ] || fail "the second run passed on a bad Dockerfile"
echo "test-pre-commit: first run (installs the hook) $first, second run $second"
echo "test-pre-commit: OK: the hook failed with dockerlint's findings"

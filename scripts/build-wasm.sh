#!/usr/bin/env bash
# Rebuilds the shell parser: wasm/shparse.go (mvdan.cc/sh/v3/syntax) compiled to
# wasm/shparse.wasm, plus Go's JavaScript glue copied to wasm/wasm_exec.cjs.
#
#   bash scripts/build-wasm.sh          rebuild and overwrite the committed files
#   bash scripts/build-wasm.sh --check  rebuild in a temp dir; exit 1 if the committed files differ
#
# The build is reproducible (fixed flags, -trimpath, no VCS stamping, no build-time paths), so the
# same toolchain gives the same bytes. The committed files were built with the toolchain below;
# another Go or mvdan/sh version produces different (but equivalent) bytes and fails --check.
#
# One file of mvdan/sh is replaced for this build: see wasm/overlay/fileutil.go.
#
# Requirements: Go (GOOS=js GOARCH=wasm) and mvdan.cc/sh/v3 in GOPATH layout. On Debian/Ubuntu:
#   apt-get install golang-go golang-mvdan-sh-dev
# The build runs in GOPATH mode with no network: GOPATH defaults to /usr/share/gocode (where
# golang-mvdan-sh-dev installs the source); override with SHPARSE_GOPATH.
set -euo pipefail

EXPECTED_GO="go1.19.8"
EXPECTED_MVDAN="3.6.0"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WASM_DIR="$ROOT/wasm"
GOPATH_DIR="${SHPARSE_GOPATH:-/usr/share/gocode}"

check=0
case "${1:-}" in
  "") ;;
  --check) check=1 ;;
  -h | --help)
    awk 'NR == 1 { next } /^#/ { sub(/^# ?/, ""); print; next } { exit }' "$0"
    exit 0
    ;;
  *)
    echo "build-wasm: unknown argument '$1' (usage: build-wasm.sh [--check])" >&2
    exit 2
    ;;
esac

install_hint() {
  cat >&2 <<EOF
build-wasm: $1
  Install Go and the mvdan/sh sources, e.g. on Debian/Ubuntu:
    sudo apt-get install golang-go golang-mvdan-sh-dev
  (the committed wasm was built with $EXPECTED_GO and mvdan.cc/sh/v3 $EXPECTED_MVDAN;
  set SHPARSE_GOPATH if mvdan.cc/sh/v3 lives in another GOPATH).
EOF
}

have_deps() {
  command -v go >/dev/null 2>&1 && [ -d "$GOPATH_DIR/src/mvdan.cc/sh/v3/syntax" ]
}

if ! have_deps; then
  if [ "$(id -u)" = "0" ] && [ -n "${CI:-}" ] && command -v apt-get >/dev/null 2>&1; then
    echo "build-wasm: Go or mvdan/sh missing; installing golang-go golang-mvdan-sh-dev (CI, root)" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq || true
    apt-get install -y -qq golang-go golang-mvdan-sh-dev >&2
  fi
  if ! command -v go >/dev/null 2>&1; then
    install_hint "'go' is not installed."
    exit 1
  fi
  if [ ! -d "$GOPATH_DIR/src/mvdan.cc/sh/v3/syntax" ]; then
    install_hint "mvdan.cc/sh/v3/syntax not found under $GOPATH_DIR/src."
    exit 1
  fi
fi

goroot="$(go env GOROOT)"
goversion="$(go env GOVERSION)"
wasm_exec=""
for candidate in "$goroot/misc/wasm/wasm_exec.js" "$goroot/lib/wasm/wasm_exec.js"; do
  if [ -f "$candidate" ]; then
    wasm_exec="$candidate"
    break
  fi
done
if [ -z "$wasm_exec" ]; then
  install_hint "wasm_exec.js not found under $goroot (misc/wasm or lib/wasm)."
  exit 1
fi
wasm_exec_rel="${wasm_exec#"$goroot"/}"

tmp="$(mktemp -d "${TMPDIR:-/tmp}/build-wasm.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

# mvdan.cc/sh/v3/fileutil's file.go is replaced by wasm/overlay/fileutil.go for this build (that
# file says why: the package compiles two regular expressions at every start of the module, for a
# printer the parser never runs). Everything else is built from the mvdan/sh sources as they are.
fileutil_go="$GOPATH_DIR/src/mvdan.cc/sh/v3/fileutil/file.go"
if [ ! -f "$fileutil_go" ]; then
  install_hint "mvdan.cc/sh/v3/fileutil/file.go not found under $GOPATH_DIR/src."
  exit 1
fi
printf '{"Replace": {"%s": "%s"}}\n' "$fileutil_go" "$WASM_DIR/overlay/fileutil.go" >"$tmp/overlay.json"

# Fixed environment: GOPATH mode (no module downloads), no cgo, default wasm features, a fresh
# build cache, no GOFLAGS from the caller. The source file is built by path.
(
  cd "$WASM_DIR"
  env GO111MODULE=off GOPATH="$GOPATH_DIR" GOFLAGS= GOOS=js GOARCH=wasm GOWASM= CGO_ENABLED=0 \
    GOCACHE="$tmp/gocache" GOTMPDIR= GOPROXY=off GOTOOLCHAIN=local \
    go build -trimpath -buildvcs=false -overlay "$tmp/overlay.json" -ldflags="-s -w -buildid=" -o "$tmp/shparse.wasm" ./shparse.go
)

{
  printf '// Copied unmodified below this line from %s of Go %s (BSD-style licence, https://go.dev/LICENSE). Regenerate with scripts/build-wasm.sh.\n' \
    "$wasm_exec_rel" "$goversion"
  cat "$wasm_exec"
} >"$tmp/wasm_exec.cjs"

if [ "$check" = 1 ]; then
  status=0
  for f in shparse.wasm wasm_exec.cjs; do
    if [ ! -f "$WASM_DIR/$f" ]; then
      echo "build-wasm --check: wasm/$f is missing; run 'npm run build:wasm' and commit it." >&2
      status=1
    elif ! cmp -s "$tmp/$f" "$WASM_DIR/$f"; then
      if [ "$f" = shparse.wasm ]; then
        echo "build-wasm --check: wasm/shparse.wasm differs from a fresh build of wasm/shparse.go." >&2
      else
        echo "build-wasm --check: wasm/wasm_exec.cjs differs from this toolchain's $wasm_exec_rel." >&2
      fi
      status=1
    fi
  done
  if [ "$status" != 0 ]; then
    echo "  Rebuild with 'npm run build:wasm' and commit the result." >&2
    if [ "$goversion" != "$EXPECTED_GO" ]; then
      echo "  Note: this toolchain is $goversion; the committed files were built with $EXPECTED_GO, and another Go version gives different bytes." >&2
    fi
    exit 1
  fi
  echo "build-wasm --check: wasm/shparse.wasm and wasm/wasm_exec.cjs are up to date ($goversion)."
  exit 0
fi

cp "$tmp/shparse.wasm" "$WASM_DIR/shparse.wasm"
cp "$tmp/wasm_exec.cjs" "$WASM_DIR/wasm_exec.cjs"
chmod 0644 "$WASM_DIR/shparse.wasm" "$WASM_DIR/wasm_exec.cjs"
size="$(wc -c <"$WASM_DIR/shparse.wasm" | tr -d ' ')"
echo "build-wasm: wrote wasm/shparse.wasm ($size bytes) and wasm/wasm_exec.cjs ($goversion)."

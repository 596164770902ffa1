#!/usr/bin/env bash
# Checks and installs what `make test` needs on a fresh Debian machine.
# Installs only what is missing; needs root (or sudo) only when it installs.
set -euo pipefail

# Debian packages the build and the tests need. The engine and the CLI are
# pure Go; git lets the go command read the module's version-control state.
# The visual simulator links Ebitengine, which on Linux needs cgo, OpenGL and
# X11 headers to build, and a display to run: its tests run under Xvfb.
# The web build is tested in headless Chromium, and the engine's tests run
# as WebAssembly under Node.js, to show they give the same results there.
NEEDED=(
	git
	gcc libc6-dev pkg-config
	libgl1-mesa-dev libx11-dev libxcursor-dev libxi-dev libxinerama-dev libxrandr-dev libxxf86vm-dev
	xvfb xauth
	chromium fonts-liberation
)
# Node.js may come from elsewhere than Debian (the machine's own install);
# any node on PATH will do.
command -v node >/dev/null 2>&1 || NEEDED+=(nodejs)

missing=()
for pkg in "${NEEDED[@]}"; do
	dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
	echo "deps: installing ${missing[*]}"
	sudo=""
	[ "$(id -u)" -eq 0 ] || sudo="sudo"
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if ! command -v go >/dev/null 2>&1; then
	echo "deps: Go is not installed; install Go 1.25 or newer (https://go.dev/dl/) and put it on PATH" >&2
	exit 1
fi
want_minor=25
have=$(go env GOVERSION | sed -E 's/^go1\.([0-9]+).*/\1/')
if [ "$have" -lt "$want_minor" ]; then
	echo "deps: $(go env GOVERSION) is too old; this project needs go1.$want_minor or newer" >&2
	exit 1
fi

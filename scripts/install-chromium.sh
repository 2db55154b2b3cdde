#!/usr/bin/env bash
# Installs headless Chromium from Debian's packages for the browser tests
# (web/browser_test.go) when it is missing. Needs root (or sudo) and the
# configured Debian mirror; prints where Chromium is and exits 0 when it is
# already there. Exits non-zero when it cannot install: the browser tests
# then skip with a message saying so.
set -euo pipefail

for c in chromium chromium-browser; do
	if p=$(command -v "$c" 2>/dev/null); then
		echo "chromium: $p"
		exit 0
	fi
done

if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
		echo "install-chromium: not root and no sudo; install Debian's chromium package" >&2
		exit 1
	fi
else
	SUDO=
fi
if ! command -v apt-get >/dev/null 2>&1; then
	echo "install-chromium: no apt-get; install Chromium and put it on PATH" >&2
	exit 1
fi

echo "install-chromium: installing Debian's chromium package"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
echo "chromium: $(command -v chromium)"

#!/usr/bin/env bash
# Installs Debian packages that the tests need on a fresh machine: with apt-get as root, else says what to install and
# fails. Usage: scripts/apt-install.sh WHY PACKAGE... (WHY starts the messages, e.g. "test.sh").
set -euo pipefail
why=$1
shift
echo "$why: installing $*" >&2
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
else
  echo "$why: install $* (e.g. 'sudo apt-get install -y $*') and run again" >&2
  exit 1
fi

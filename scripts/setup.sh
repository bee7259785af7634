#!/usr/bin/env bash
# Set up this checkout: Debian libraries Qt needs and the PostgreSQL server the team tests start
# (only those missing), .venv, the package.
set -euo pipefail
cd "$(dirname "$0")/.."

QT_DEBS="libegl1 libgl1 libx11-6 libdbus-1-3 libfontconfig1 libfreetype6 libglib2.0-0 libxkbcommon0 \
xvfb xauth libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render-util0 \
libxcb-shape0 libxkbcommon-x11-0 fonts-dejavu-core poppler-utils desktop-file-utils"
# The team tests run a real PostgreSQL server of their own (initdb and pg_ctl in a temporary folder).
PG_DEBS="postgresql"

missing=()
if command -v dpkg >/dev/null 2>&1; then
  for pkg in $QT_DEBS $PG_DEBS; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${missing[*]}"
  if [ "$(id -u)" = "0" ]; then SUDO=""; else SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.arrs-installed
# Reinstall when the project's metadata changes: pyproject.toml, or the version it reads.
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ] || [ arrs_desktop/__init__.py -nt "$stamp" ]; then
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e '.[test,build]'
  touch "$stamp"
fi

#!/usr/bin/env bash
# Installs the Debian packages deckbuild needs when they are absent.
#   scripts/bootstrap.sh build   fonts, Graphviz and cairo for building decks
#   scripts/bootstrap.sh test    the same plus LibreOffice and poppler for the tests
# Uses sudo when not run as root; never asks questions (CI has no stdin).
set -euo pipefail

mode=${1:-build}
packages=(fontconfig fonts-dejavu-core fonts-noto-cjk fonts-noto-color-emoji graphviz libcairo2 libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0)
if [ "$mode" = test ]; then
  packages+=(libreoffice-impress poppler-utils)
fi

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "bootstrap: not a Debian system; make sure these are installed: ${packages[*]}" >&2
  exit 0
fi

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed"; then
    missing+=("$package")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "bootstrap: installing ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi
$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"

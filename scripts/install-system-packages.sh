#!/usr/bin/env bash
# Installs the Debian packages the tests need (scripts/system-packages.txt, one a line) when they
# are missing. Called by scripts/test.sh so a clean machine gets them; a no-op once they are there.
# Needs root (or passwordless sudo) and the Debian mirror; fails loudly otherwise.
set -euo pipefail
cd "$(dirname "$0")"
mapfile -t wanted < <(sed -e 's/#.*//' -e 's/[[:space:]]//g' system-packages.txt | grep -v '^$' || true)
missing=()
for package in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
[ "${#missing[@]}" -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then as_root=(); else as_root=(sudo -n); fi
echo "installing Debian packages for the tests: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

#!/usr/bin/env bash
# Install everything plangen and its tests need: LibreOffice and fonts (Debian/Ubuntu
# packages, for PDF output; python3-uno keeps one LibreOffice running between documents),
# Chromium (the web page's tests drive the system browser through Playwright), then
# plangen itself with its test tools.
# Usage: bash scripts/install.sh        (as root, or with sudo available)
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(libreoffice-writer-nogui libreoffice-calc-nogui fonts-liberation fonts-dejavu fonts-crosextra-carlito
          fonts-crosextra-caladea poppler-utils python3-uno chromium chromium-driver)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

python3 -m pip install --quiet --disable-pip-version-check -e ".[test]"
echo "plangen installed: $(command -v plangen)"

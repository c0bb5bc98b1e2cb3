#!/usr/bin/env bash
# The system packages `make test` needs beyond Python: LibreOffice for the PDF path, the fonts
# its output is compared with (metric-compatible stand-ins for Calibri, Cambria, Arial, Times),
# poppler's pdftoppm and pdftotext to look at the pages, LibreOffice's Python bridge (uno) that
# the warm converter (unoserver, in a venv of its own: the Makefile's .venv-office) needs, and
# chromium, the real browser the desk's tests drive (Playwright cannot fetch its own here),
# curl and jq, with which the README test runs the README's stories as a reader would, and
# faketime, which runs the date-sensitive tests and the stories again on a far day (make test-on).
# Installed where this machine allows it (root with apt-get);
# anywhere else this stops at once, in one line, before any test runs.
#
#   scripts/system-packages.sh            check, and install what is missing when allowed
#   scripts/system-packages.sh --dry-run  say what would happen; change nothing
set -euo pipefail

PACKAGES=(
  libreoffice-writer-nogui
  fonts-crosextra-carlito
  fonts-crosextra-caladea
  fonts-liberation2
  poppler-utils
  curl
  jq
  faketime
  python3-uno
  chromium
)

dry_run=false
[[ "${1:-}" == "--dry-run" ]] && dry_run=true

installed() {
  [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" == "install ok installed" ]]
}

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for package in "${PACKAGES[@]}"; do
    installed "$package" || missing+=("$package")
  done
else
  # Not Debian: judge by the programs, and name the Debian packages as the nearest guide.
  { command -v soffice && command -v pdftoppm && command -v curl && command -v jq && command -v faketime && command -v chromium; } >/dev/null 2>&1 || missing=("${PACKAGES[@]}")
fi

if ((${#missing[@]} == 0)); then
  $dry_run && echo "system packages: all present (${PACKAGES[*]})"
  exit 0
fi

if [[ "$(id -u)" == "0" ]] && command -v apt-get >/dev/null 2>&1; then
  if $dry_run; then
    echo "system packages: would run apt-get install ${missing[*]}"
    exit 0
  fi
  echo "system packages: installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  exit 0
fi

echo "make test needs these system packages, not installed here: ${missing[*]} (as root: apt-get install ${missing[*]})" >&2
exit 1

#!/usr/bin/env bash
# Installs the Debian packages PCMD needs when they are missing and we may (root + apt).
#   python: the venv module for the chosen Python.
#   node:   Node.js and npm (front-end packages from package.json, e.g. axe-core).
#   test:   Chromium (browser tests), gettext (catalog checks), LibreOffice Writer and the
#           Liberation fonts (DOCX -> PDF conversion of report documents).
# Without root, it says loudly what is missing; browser tests then skip, except under CI=true.
set -euo pipefail
what=${1:-test}
apt_install() {
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing Debian packages: $*"
    if [ -z "${PCMD_APT_UPDATED:-}" ]; then apt-get update -qq; export PCMD_APT_UPDATED=1; fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
    return 0
  fi
  return 1
}
case "$what" in
  python)
    py=$(command -v python3.11 || command -v python3)
    if ! "$py" -c "import venv, ensurepip" 2>/dev/null; then
      apt_install python3-venv || { echo "ERROR: $py has no venv module: apt-get install python3-venv"; exit 1; }
    fi
    ;;
  node)
    if ! command -v npm >/dev/null; then
      apt_install nodejs npm || { echo "ERROR: npm is missing: apt-get install nodejs npm"; exit 1; }
    fi
    ;;
  test)
    missing=()
    [ -x /usr/bin/chromium ] || missing+=(chromium)
    command -v msgfmt >/dev/null && command -v xgettext >/dev/null || missing+=(gettext)
    command -v soffice >/dev/null || missing+=(libreoffice-writer-nogui)
    [ -d /usr/share/fonts/truetype/liberation ] || missing+=(fonts-liberation)
    if [ ${#missing[@]} -gt 0 ] && ! apt_install "${missing[@]}"; then
      echo "#####################################################################"
      echo "## WARNING: missing Debian packages: ${missing[*]}"
      echo "## Browser and PDF tests will be SKIPPED (apt-get install ${missing[*]})."
      echo "#####################################################################"
      if [ "${CI:-}" = "true" ]; then echo "ERROR: under CI=true nothing may be skipped."; exit 1; fi
    fi
    ;;
esac

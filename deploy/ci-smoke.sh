#!/usr/bin/env bash
# CI: serve PCMD with gunicorn exactly as deploy/README.md says (production settings, the
# gunicorn config, collected static files) on the database in DATABASE_URL, load the demo,
# and run deploy/smoke.py against it. Run from the repository root after `make install`.
set -euo pipefail
: "${DATABASE_URL:?set DATABASE_URL (PostgreSQL)}"
export PCMD_ENV=production
export PCMD_SECRET_KEY="ci-$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(40))')"
export PCMD_ALLOWED_HOSTS=127.0.0.1
# The person-layer keys: made once per database and kept under var/ (never committed), so that
# a second run on the same database reads the identities the first one stored (/healthz checks
# that the keys read them).
keys_file="var/ci-smoke-keys-$(.venv/bin/python -c 'import sys, urllib.parse; print(urllib.parse.urlsplit(sys.argv[1]).path.strip("/") or "db")' "$DATABASE_URL").env"
if [ ! -f "$keys_file" ]; then
  mkdir -p var
  (umask 077
   {
     echo "PCMD_FIELD_KEYS=$(.venv/bin/python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')"
     echo "PCMD_BLIND_INDEX_KEY=$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(40))')"
   } > "$keys_file")
fi
set -a; . "$keys_file"; set +a
export PCMD_STATIC_ROOT="$(mktemp -d)/static" PCMD_MEDIA_ROOT="$(mktemp -d)/media"
export PCMD_BIND=127.0.0.1:8765 PCMD_WORKERS=2
export PCMD_DEMO_PASSWORD="Smoke-$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(9))')"
mkdir -p "$PCMD_STATIC_ROOT" "$PCMD_MEDIA_ROOT"

.venv/bin/python manage.py migrate --noinput -v0
.venv/bin/python manage.py load_demo >/dev/null
.venv/bin/python manage.py collectstatic --noinput -v0
.venv/bin/python manage.py check --deploy --fail-level WARNING
pidfile="$(mktemp -u)"
.venv/bin/gunicorn -c deploy/gunicorn.conf.py config.wsgi --daemon --pid "$pidfile"
trap 'kill "$(cat "$pidfile")" 2>/dev/null || true' EXIT
for _ in $(seq 1 30); do
  curl -sf -H 'X-Forwarded-Proto: https' "http://$PCMD_BIND/healthz" >/dev/null && break
  sleep 1
done
PCMD_SMOKE_PASSWORD="$PCMD_DEMO_PASSWORD" .venv/bin/python deploy/smoke.py "http://$PCMD_BIND" lanhdao

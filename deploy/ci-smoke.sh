#!/usr/bin/env bash
# CI: serve PCMD with gunicorn exactly as deploy/README.md says (production settings, the
# gunicorn config, collected static files) on a scratch database of the PostgreSQL server in
# DATABASE_URL, load the demo, and run deploy/smoke.py against it. Run from the repository
# root after `make install`.
set -euo pipefail
: "${DATABASE_URL:?set DATABASE_URL (PostgreSQL)}"
export PCMD_ENV=production
export PCMD_SECRET_KEY="ci-$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(40))')"
export PCMD_ALLOWED_HOSTS=127.0.0.1
# A scratch database next to the one in DATABASE_URL, made empty for this run and dropped after
# it: a database left by an earlier run (or by anything else on the server) holds identities
# stored with other keys, which /healthz rightly reports as unreadable.
scratch_url=$(.venv/bin/python deploy/scratch_db.py create "$DATABASE_URL" pcmd_smoke_ci)
export DATABASE_URL="$scratch_url"
pidfile="$(mktemp -u)"
cleanup() {
  if [ -f "$pidfile" ]; then kill "$(cat "$pidfile")" 2>/dev/null || true; sleep 2; fi
  .venv/bin/python deploy/scratch_db.py drop "$DATABASE_URL" || true
}
trap cleanup EXIT
# Fresh person-layer keys for the fresh database (production refuses to start without them).
PCMD_FIELD_KEYS=$(.venv/bin/python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')
PCMD_BLIND_INDEX_KEY=$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(40))')
export PCMD_FIELD_KEYS PCMD_BLIND_INDEX_KEY
export PCMD_STATIC_ROOT="$(mktemp -d)/static" PCMD_MEDIA_ROOT="$(mktemp -d)/media"
export PCMD_BIND=127.0.0.1:8765 PCMD_WORKERS=2
export PCMD_DEMO_PASSWORD="Smoke-$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(9))')"
mkdir -p "$PCMD_STATIC_ROOT" "$PCMD_MEDIA_ROOT"

.venv/bin/python manage.py migrate --noinput -v0
.venv/bin/python manage.py load_demo >/dev/null
.venv/bin/python manage.py collectstatic --noinput -v0
.venv/bin/python manage.py check --deploy --fail-level WARNING
.venv/bin/gunicorn -c deploy/gunicorn.conf.py config.wsgi --daemon --pid "$pidfile"
for _ in $(seq 1 30); do
  curl -sf -H 'X-Forwarded-Proto: https' "http://$PCMD_BIND/healthz" >/dev/null && break
  sleep 1
done
PCMD_SMOKE_PASSWORD="$PCMD_DEMO_PASSWORD" .venv/bin/python deploy/smoke.py "http://$PCMD_BIND" lanhdao

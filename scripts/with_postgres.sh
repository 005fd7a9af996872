#!/usr/bin/env bash
# Run a command against PostgreSQL: DATABASE_URL if it names one, else the local server.
# With CI=true PostgreSQL is mandatory: if it cannot be reached the run fails instead of skipping.
set -euo pipefail
fallback_url="$1"; shift
url="${DATABASE_URL:-}"
case "$url" in postgres://*|postgresql://*) ;; *) url="$fallback_url" ;; esac

reachable() { pg_isready -q -d "$url" 2>/dev/null || (echo > /dev/tcp/127.0.0.1/5432) 2>/dev/null; }

if ! reachable && command -v pg_ctlcluster >/dev/null 2>&1; then
  # The machines of this project run PostgreSQL 15 with trust auth; start it if it is down.
  for version in $(ls /etc/postgresql 2>/dev/null); do
    pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>/dev/null || true
  done
  sleep 2
fi
if ! reachable; then
  if [ "${CI:-}" = "true" ]; then
    echo "PostgreSQL is not reachable at $url: the PostgreSQL run is mandatory in CI." >&2
    exit 1
  fi
  echo "PostgreSQL is not reachable at $url: skipping the PostgreSQL run (set DATABASE_URL to run it)."
  exit 0
fi
echo "Running the suite on PostgreSQL ($url)"
DATABASE_URL="$url" exec "$@"

#!/usr/bin/env bash
# The production way to start, checked end to end: `npm run build`, then a copy of the tree with
# its dependencies installed by `npm ci --omit=dev` (so no tsx, no TypeScript) starts with
# `npm start` from dist/, answers /readyz and discovery, and stops cleanly on SIGTERM.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PORT=3300
BASE="http://127.0.0.1:$PORT"

npm run build

copy=$(mktemp -d)
pid=
cleanup() {
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then kill -KILL -- "-$pid" 2>/dev/null || true; fi
  rm -rf "$copy"
}
trap cleanup EXIT

# what a deployment ships: the sources' folders read at run time and dist/, not node_modules
tar --exclude=./node_modules --exclude=./.git --exclude=./.test-build --exclude=./data --exclude='./keys/*' -cf - . | tar -xf - -C "$copy"
(cd "$copy" && npm ci --omit=dev --no-audit --no-fund)
for tool in tsx typescript; do
  if [[ -e "$copy/node_modules/$tool" ]]; then
    echo "$tool is installed by npm ci --omit=dev: it must be a development dependency only" >&2
    exit 1
  fi
done

# the operators' CLI runs from dist/ as well
(cd "$copy" && env -u DATABASE_URL -u REDIS_URL -u NODE_ENV DATA_DIR="$copy/data" KEYS_DIR="$copy/keys" npm run migrate)

# the whole development city (sandbox authorities, demo apps) on the embedded stores, from dist/
(
  cd "$copy"
  exec setsid env -u DATABASE_URL -u REDIS_URL -u NODE_ENV PORT=$PORT SANDBOX_PORT=3390 DEMO_PORTS=3301,3302 METRICS_PORT=0 \
    DATA_DIR="$copy/data" KEYS_DIR="$copy/keys" npm start >"$copy/start.log" 2>&1
) &
pid=$!

ready=
for ((i = 0; i < 120; i++)); do
  if curl -fsS "$BASE/readyz" >/dev/null 2>&1; then ready=1; break; fi
  if ! kill -0 "$pid" 2>/dev/null; then break; fi
  sleep 1
done
if [[ -z "$ready" ]]; then
  echo "the compiled service did not become ready:" >&2
  cat "$copy/start.log" >&2
  exit 1
fi
curl -fsS "$BASE/readyz"
echo
issuer=$(curl -fsS "$BASE/.well-known/openid-configuration" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).issuer))')
echo "discovery: issuer $issuer"
[[ "$issuer" == "http://localhost:$PORT" ]]
curl -fsS -o /dev/null "http://127.0.0.1:3301/" && echo "demo app answers"

# SIGTERM to the service itself (its pid is in its log lines), as a process manager would send it;
# npm start then exits with the service's own status
service_pid=$(grep -o '"pid":[0-9]*' "$copy/start.log" | head -n 1 | cut -d: -f2)
kill -TERM "$service_pid"
status=0
wait "$pid" || status=$?
pid=
if [[ $status -ne 0 ]]; then
  echo "npm start exited with status $status after SIGTERM" >&2
  cat "$copy/start.log" >&2
  exit 1
fi
grep -q '"msg":"stopped"' "$copy/start.log"
echo "compiled start: ready, discovery served, stopped cleanly"

#!/usr/bin/env bash
# Whole-system figures on this machine: start a node, run the game-day
# scenarios against it with STUDENTS simulated students, print each JSON
# report, stop the node. Usage: scripts/bench-gameday.sh BIN STUDENTS
set -euo pipefail
bin=${1:-bin/homeroom}
students=${2:-2000}
port=${PORT:-18080}
url="ws://127.0.0.1:$port"

# Load runs authenticate like real classes: the node verifies tokens with
# this secret and gameday mints them with it, after setting up the course,
# session and enrollments through the admin API.
export HOMEROOM_GAMEDAY_SECRET=${HOMEROOM_GAMEDAY_SECRET:-bench-secret-0123456789abcdef0123456789}
export HOMEROOM_GAMEDAY_ADMIN_KEY=${HOMEROOM_GAMEDAY_ADMIN_KEY:-bench-admin-key-0123456789}

data=$(mktemp -d)
"$bin" serve --addr "127.0.0.1:$port" --log-level warn --data-dir "$data" \
	--token-secret "$HOMEROOM_GAMEDAY_SECRET" --admin-key "$HOMEROOM_GAMEDAY_ADMIN_KEY" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true; rm -rf "$data"' EXIT
for _ in $(seq 1 50); do
	curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
	sleep 0.1
done

echo "== lecture fan-out: $students students, teacher at 30 changes/s for 10 s" >&2
"$bin" gameday --url "$url" --scenario lecture --students "$students" --draw-rate 30 --duration 10s --server-pid "$pid" --json

echo "== join storm: $students students at once onto a 2,000-stroke board" >&2
"$bin" gameday --url "$url" --scenario lecture --students "$students" --preload-strokes 2000 --draw-rate 1 --duration 2s --server-pid "$pid" --json

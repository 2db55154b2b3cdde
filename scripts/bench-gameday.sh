#!/usr/bin/env bash
# Whole-system figures on this machine: start a node, run the game-day
# scenarios against it with STUDENTS simulated students, print each JSON
# report, stop the node. Usage: scripts/bench-gameday.sh BIN STUDENTS
#
# The node keeps its data in the embedded store of a temporary directory,
# or, with BENCH_POSTGRES_URL=postgres://user@host:port/db?sslmode=disable,
# in Postgres: in a schema of its own, created for the run and dropped
# after it (needs psql), so nothing else in that database is touched.
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
store=(--data-dir "$data")
schema=""
cleanup() {
	[ -n "${pid:-}" ] && { kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; }
	[ -n "$schema" ] && psql -q "$BENCH_POSTGRES_URL" -c "DROP SCHEMA $schema CASCADE" >/dev/null
	rm -rf "$data"
}
trap cleanup EXIT
if [ -n "${BENCH_POSTGRES_URL:-}" ]; then
	schema="bench_gameday_$$"
	psql -q "$BENCH_POSTGRES_URL" -c "CREATE SCHEMA $schema" >/dev/null
	sep='?'
	case "$BENCH_POSTGRES_URL" in *\?*) sep='&' ;; esac
	store+=(--database-url "$BENCH_POSTGRES_URL${sep}search_path=$schema")
fi

"$bin" serve --addr "127.0.0.1:$port" --log-level warn "${store[@]}" \
	--token-secret "$HOMEROOM_GAMEDAY_SECRET" --admin-key "$HOMEROOM_GAMEDAY_ADMIN_KEY" &
pid=$!
for _ in $(seq 1 50); do
	curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
	sleep 0.1
done

# busy is the CPU time the whole machine has spent, ticks of this machine's
# clock (CLK_TCK); cpu_of a process's own; reaped that of this shell's
# finished children.
busy() { awk '/^cpu /{print $2+$3+$4+$7+$8+$9}' /proc/stat; }
cpu_of() { awk '{print $14+$15}' "/proc/$1/stat"; }
reaped() { awk '{print $16+$17}' "/proc/$$/stat"; }

# run TITLE ARGS...: one gameday run, its JSON report on stdout; on stderr the
# CPU it cost the node and the load tool, and what the rest of the machine
# took meanwhile (noisy neighbours: compare runs only where that is small).
run() {
	local title=$1 b0 s0 g0 b1 s1 g1
	shift
	echo "== $title" >&2
	b0=$(busy) s0=$(cpu_of "$pid") g0=$(reaped)
	"$bin" gameday --url "$url" --server-pid "$pid" --json "$@"
	b1=$(busy) s1=$(cpu_of "$pid") g1=$(reaped)
	awk -v b=$((b1 - b0)) -v s=$((s1 - s0)) -v g=$((g1 - g0)) -v hz="$(getconf CLK_TCK)" 'BEGIN {
		printf "   cpu during the run: node %.1fs, gameday %.1fs, rest of the machine %.1fs\n", s/hz, g/hz, (b-s-g)/hz }' >&2
}

run "lecture fan-out: $students students, teacher at 30 changes/s for 10 s" \
	--scenario lecture --students "$students" --draw-rate 30 --duration 10s
run "join storm: $students students at once onto a 2,000-stroke board" \
	--scenario lecture --students "$students" --preload-strokes 2000 --draw-rate 1 --duration 2s
run "chat: $students students, 20 messages/s for 10 s" \
	--scenario chat --students "$students" --chat-rate 20 --duration 10s
run "poll: $students students answer within 2 s" \
	--scenario poll --students "$students" --poll-window 2s

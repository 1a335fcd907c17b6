#!/usr/bin/env bash
# Intake of two built trees in the same run, e.g. before and after a change:
#   bench/intake-vs.sh /path/to/old/checkout /path/to/new/checkout
# Both servers are up at once (each on its own fresh database); ROUNDS (default 8) pairs of 10 s
# wrk rounds alternate which goes first, so the drift of a shared machine hits both alike. Per
# round: requests/s and the intake process's CPU microseconds per request, and new/old ratios.
# Needs wrk, bc, a PostgreSQL that trusts postgres@127.0.0.1, Redis, and `npm run build` in both.
set -u
OLD=$(cd "$1" && pwd); NEW=$(cd "$2" && pwd)
ROUNDS=${ROUNDS:-8}
LUA="$NEW/bench/unique-reports.lua"
for v in old new; do
  psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS hb_$v WITH (FORCE)" -c "CREATE DATABASE hb_$v" postgres
done
(cd "$OLD" && DATABASE_URL=postgres://postgres@127.0.0.1:5432/hb_old node dist/apps/cli/src/main.js db:migrate >/dev/null)
(cd "$NEW" && DATABASE_URL=postgres://postgres@127.0.0.1:5432/hb_new node dist/apps/cli/src/main.js db:migrate >/dev/null)
start() { # dir port db
  (cd "$1" && DATABASE_URL=postgres://postgres@127.0.0.1:5432/$3 INTAKE_PORT=$2 INTAKE_RATE_LIMIT=off LOG_LEVEL=warn REDIS_PREFIX="{hb-$3}" \
     SECRETS_FILE="$(mktemp -u)" OPENAPI_UI=false exec node --max-semi-space-size=64 dist/apps/intake-api/src/main.js) > /dev/null 2>&1 &
  echo $!
}
B=$(start "$OLD" 4101 hb_old); A=$(start "$NEW" 4102 hb_new)
for p in 4101 4102; do for _ in $(seq 1 60); do curl -sf localhost:$p/health/ready >/dev/null && break; sleep 0.5; done; done
cpu() { awk '{print $14+$15}' /proc/$1/stat; }
rps() { # port pid -> "rps cpu_us_per_request"
  local c0=$(cpu $2)
  local out=$(wrk -t2 -c100 -d10s -s "$LUA" "http://127.0.0.1:$1/api/v1/reports" -- $(openssl rand -hex 4))
  local c1=$(cpu $2)
  local r=$(echo "$out" | awk '/Requests\/sec/ {print $2}'); local n=$(echo "$out" | awk '/requests in/ {print $1}')
  echo "$r $(echo "scale=1; ($c1 - $c0) * 1000000 / $(getconf CLK_TCK) / $n" | bc)"
}
for i in $(seq 1 $ROUNDS); do
  if (( i % 2 )); then b=$(rps 4101 $B); a=$(rps 4102 $A); else a=$(rps 4102 $A); b=$(rps 4101 $B); fi
  echo "round $i old $b new $a rps-ratio $(echo "scale=3; ${a% *} / ${b% *}" | bc) cpu-ratio $(echo "scale=3; ${a#* } / ${b#* }" | bc)"
done
kill $B $A; wait 2>/dev/null
for v in old new; do psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS hb_$v WITH (FORCE)" postgres; done

#!/usr/bin/env bash
# AvLedger test runner: the one entry point for CI (.ci/run) and developers.
#
#   ./test.sh          install what is missing, start PostgreSQL, build once,
#                      run every tests/*/*.Tests.csproj, then the Node e2e tests
#   ./test.sh --long   the same, then the tests marked [Trait("Category", "Long")]
#                      (skipped otherwise) and every bench/*.sh
#
# Ends with exactly one line "N passed, N failed, N skipped" and exits non-zero
# if anything failed. The .NET totals come from each stage's TRX file; a stage
# that leaves none (a crash, a timeout) counts as failed. Logs and TRX files go
# to a temp dir printed at the end.
#
# Environment (all optional):
#   AVLEDGER_TEST_POSTGRES        use this connection string; do not manage PostgreSQL
#                                 (its role needs CREATEDB and pg_signal_backend)
#   AVLEDGER_TEST_PG_PASSWORD     password for the avledger_test role
#   AVLEDGER_TEST_BUDGET_SECONDS  overall time budget for build + tests (default 4800, 7200 with --long);
#                                 steps that would start after it are counted as failed
#   AVLEDGER_TEST_PROJECT_TIMEOUT every test stage's timeout in seconds (default: STAGE_TIMEOUTS
#                                 below, 300 for a stage not listed there)
#   AVLEDGER_TEST_E2E_TIMEOUT     Node e2e timeout in seconds (default 900)
#   AVLEDGER_TEST_BENCH_TIMEOUT   per bench script timeout in seconds (default 1800)
#   AVLEDGER_SCREENSHOTS          where the browser tests save page screenshots (default: the
#                                 test output dir; docs/screenshots refreshes the README's)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"
ROOT=$(pwd)

LONG=0
for arg in "$@"; do
  case "$arg" in
    --long) LONG=1 ;;
    -h | --help)
      awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"
      exit 0
      ;;
    *)
      echo "test.sh: unknown argument: $arg (try --help)" >&2
      exit 2
      ;;
  esac
done

START_TIME=$SECONDS
BUDGET=${AVLEDGER_TEST_BUDGET_SECONDS:-$((LONG ? 7200 : 4800))}
PROJECT_TIMEOUT=300
E2E_TIMEOUT=${AVLEDGER_TEST_E2E_TIMEOUT:-900}
BENCH_TIMEOUT=${AVLEDGER_TEST_BENCH_TIMEOUT:-1800}

export DEBIAN_FRONTEND=noninteractive
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_UI_LANGUAGE=en

WORK=$(mktemp -d "${TMPDIR:-/tmp}/avledger-test.XXXXXX")
LOGDIR=$WORK/logs
TRXDIR=$WORK/trx
mkdir -p "$LOGDIR" "$TRXDIR"
# Servers started by tests register "<pid> <starttime>" files here (see
# tests/e2e/server.mjs); whatever is still alive at exit gets killed.
export AVLEDGER_TEST_PIDDIR=$WORK/pids
export AVLEDGER_TEST_LOGDIR=$LOGDIR
mkdir -p "$AVLEDGER_TEST_PIDDIR"

log() { printf '[test.sh %4ds] %s\n' "$((SECONDS - START_TIME))" "$*"; }

SUDO=()
if [[ $(id -u) -ne 0 ]] && command -v sudo >/dev/null 2>&1; then SUDO=(sudo); fi

# ---------------------------------------------------------------- results
NAMES=() R_PASS=() R_FAIL=() R_SKIP=() R_NOTE=()
record() { # name passed failed skipped note
  NAMES+=("$1") R_PASS+=("$2") R_FAIL+=("$3") R_SKIP+=("$4") R_NOTE+=("${5:-}")
}

# Seconds left for a step: min(step default, what is left of the budget).
step_timeout() {
  local want=$1 left=$((BUDGET - (SECONDS - START_TIME)))
  if ((left < want)); then want=$left; fi
  echo "$want"
}

# Runs "$@" under timeout(1), output to the console and to LOGFILE; returns its
# exit code. It runs in the background and is waited for, so a TERM/INT to this
# script takes effect at once (cleanup() then stops the step).
STEP_PID=''
run_step() { # LOGFILE TIMEOUT_SECONDS COMMAND...
  local logf=$1 t=$2 rc=0
  shift 2
  (
    set +e
    timeout -k 30 "$t" "$@" 2>&1 | tee "$logf"
    exit "${PIPESTATUS[0]}"
  ) </dev/null &
  STEP_PID=$!
  wait "$STEP_PID" || rc=$?
  STEP_PID=''
  return "$rc"
}

stop_running_step() {
  [[ -n $STEP_PID ]] || return 0
  # timeout(1) forwards TERM to the command's process group
  pkill -TERM -P "$STEP_PID" 2>/dev/null || true
  wait "$STEP_PID" 2>/dev/null || true
  STEP_PID=''
}

# ---------------------------------------------------------------- cleanup
PG_VERSION='' PG_CLUSTER=main PG_PORT=5432 PG_STARTED_BY_US=0 CLEANED_UP=0 PG_SERVER_LOG='' PG_LOG_FROM=0

kill_leftover_servers() {
  local f pid start now_start
  shopt -s nullglob
  for f in "$AVLEDGER_TEST_PIDDIR"/*.pid; do
    read -r pid start <"$f" || true
    rm -f "$f"
    [[ $pid =~ ^[0-9]+$ ]] || continue
    [[ -r /proc/$pid/stat ]] || continue
    # Guard against pid reuse: the start time must be the registered one.
    now_start=$(sed 's/^.*) //' "/proc/$pid/stat" | cut -d' ' -f20)
    if [[ -n ${start:-} && $now_start != "$start" ]]; then continue; fi
    echo "test.sh: killing leftover server process group $pid" >&2
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for _ in 1 2 3 4 5 6 7 8 9 10; do
      [[ -e /proc/$pid ]] || break
      sleep 0.5
    done
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
  done
  shopt -u nullglob
}

cleanup() {
  ((CLEANED_UP)) && return 0
  CLEANED_UP=1
  stop_running_step
  kill_leftover_servers
  if ((PG_STARTED_BY_US)); then
    "${SUDO[@]}" pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" stop -m fast >>"$LOGDIR/postgres.log" 2>&1 ||
      echo "test.sh: could not stop PostgreSQL $PG_VERSION/$PG_CLUSTER (see $LOGDIR/postgres.log)" >&2
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------- prerequisites
pkg_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

install_prereqs() {
  local missing=()
  command -v ffmpeg >/dev/null 2>&1 && command -v ffprobe >/dev/null 2>&1 || missing+=(ffmpeg)
  pkg_installed postgresql || missing+=(postgresql)
  pkg_installed fonts-noto-cjk || missing+=(fonts-noto-cjk)
  command -v curl >/dev/null 2>&1 || missing+=(curl)
  command -v openssl >/dev/null 2>&1 || missing+=(openssl)
  command -v node >/dev/null 2>&1 || missing+=(nodejs)
  command -v npm >/dev/null 2>&1 || missing+=(npm)
  # The browser tests drive Debian's chromium through Playwright (never a downloaded browser).
  [[ -x /usr/bin/chromium ]] || missing+=(chromium)
  # A verifier test shows bsdtar (a streaming extractor) extracting what a crafted package hides.
  command -v bsdtar >/dev/null 2>&1 || missing+=(libarchive-tools)
  # --long runs the published Windows verifier under Wine; GNU time reports the benches' peak RSS.
  if ((LONG)); then
    [[ -x /usr/lib/wine/wine64 || -x /usr/bin/wine64 || -x /usr/bin/wine ]] || missing+=(wine64)
    [[ -x /usr/bin/time ]] || missing+=(time)
  fi
  if ((${#missing[@]} == 0)); then
    log "prerequisites present"
    return 0
  fi
  log "installing: ${missing[*]} (log: $LOGDIR/apt.log)"
  if ! {
    "${SUDO[@]}" apt-get -o DPkg::Lock::Timeout=600 update -q &&
      "${SUDO[@]}" apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends "${missing[@]}"
  } >"$LOGDIR/apt.log" 2>&1; then
    tail -n 30 "$LOGDIR/apt.log"
    log "apt-get failed"
    return 1
  fi
  log "installed"
}

# tests/e2e's node packages: the Node e2e tests' tus-js-client, and axe-core, which the .NET browser tests
# (AvLedger.Server.Pages.Tests AccessibilityTests) load from tests/e2e/node_modules; so this runs with the
# prerequisites, before any .NET test stage.
install_e2e_deps() {
  local dir=$ROOT/tests/e2e stamp want
  [[ -f $dir/package.json ]] || return 0
  stamp=$dir/node_modules/.avledger-install-stamp
  if [[ -f $dir/package-lock.json ]]; then
    want=$(sha256sum "$dir/package-lock.json" "$dir/package.json" | sha256sum | cut -d' ' -f1)
  else
    want=$(sha256sum "$dir/package.json" | cut -d' ' -f1)
  fi
  if [[ -d $dir/node_modules && -f $stamp && $(cat "$stamp") == "$want" ]]; then
    return 0
  fi
  log "npm install in tests/e2e (log: $LOGDIR/npm.log)"
  local cmd=(npm install --no-audit --no-fund)
  [[ -f $dir/package-lock.json ]] && cmd=(npm ci --no-audit --no-fund)
  if ! (cd "$dir" && "${cmd[@]}") >"$LOGDIR/npm.log" 2>&1; then
    tail -n 30 "$LOGDIR/npm.log"
    log "npm failed"
    return 1
  fi
  echo "$want" >"$stamp"
}

# ---------------------------------------------------------------- PostgreSQL
as_postgres() { # runs a shell command line as the postgres user, stdin passed through
  if [[ $(id -u) -eq 0 ]]; then
    su postgres -s /bin/sh -c "cd / && $1"
  else
    sudo -u postgres sh -c "cd / && $1"
  fi
}

start_postgres() {
  if [[ -n ${AVLEDGER_TEST_POSTGRES:-} ]]; then
    log "using AVLEDGER_TEST_POSTGRES from the environment; not managing PostgreSQL"
    return 0
  fi
  command -v pg_lsclusters >/dev/null 2>&1 || { log "pg_lsclusters not found (postgresql-common missing)"; return 1; }
  local line status
  # Ver Cluster Port Status Owner Data-directory Log-file; newest version's "main" first.
  line=$(pg_lsclusters --no-header 2>/dev/null | awk '$2 == "main"' | sort -k1,1Vr | head -n 1)
  if [[ -z $line ]]; then
    local v
    v=$(find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' 2>/dev/null | sort -Vr | head -n 1)
    [[ -n $v ]] || { log "no PostgreSQL server installed"; return 1; }
    log "creating PostgreSQL cluster $v/main"
    "${SUDO[@]}" pg_createcluster "$v" main >>"$LOGDIR/postgres.log" 2>&1
    line=$(pg_lsclusters --no-header | awk -v v="$v" '$1 == v && $2 == "main"')
  fi
  read -r PG_VERSION PG_CLUSTER PG_PORT status _ <<<"$line"
  PG_SERVER_LOG=/var/log/postgresql/postgresql-$PG_VERSION-$PG_CLUSTER.log
  PG_LOG_FROM=$(stat -c %s "$PG_SERVER_LOG" 2>/dev/null || echo 0)
  if [[ $status != online* ]]; then
    log "starting PostgreSQL $PG_VERSION/$PG_CLUSTER on port $PG_PORT"
    if ! "${SUDO[@]}" pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" start >>"$LOGDIR/postgres.log" 2>&1; then
      cat "$LOGDIR/postgres.log"
      tail -n 30 "$PG_SERVER_LOG" 2>/dev/null || true
      return 1
    fi
    PG_STARTED_BY_US=1
  else
    log "PostgreSQL $PG_VERSION/$PG_CLUSTER already running on port $PG_PORT"
  fi
  local i
  for ((i = 0; i < 60; i++)); do
    pg_isready -q -h 127.0.0.1 -p "$PG_PORT" && break
    sleep 0.5
  done
  pg_isready -q -h 127.0.0.1 -p "$PG_PORT" || { log "PostgreSQL does not accept connections on 127.0.0.1:$PG_PORT"; return 1; }

  local pw=${AVLEDGER_TEST_PG_PASSWORD:-avledger-test-pw}
  [[ $pw =~ ^[A-Za-z0-9._-]+$ ]] || { log "AVLEDGER_TEST_PG_PASSWORD may only hold [A-Za-z0-9._-]"; return 1; }
  # Idempotent role setup; then drop databases left behind by earlier crashed runs
  # (the role is for tests only, so everything it owns is disposable).
  if ! as_postgres "psql -X -q -v ON_ERROR_STOP=1 -p $PG_PORT -d postgres" >>"$LOGDIR/postgres.log" 2>&1 <<SQL; then
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'avledger_test') THEN
    CREATE ROLE avledger_test LOGIN CREATEDB PASSWORD '$pw';
  ELSE
    ALTER ROLE avledger_test LOGIN CREATEDB PASSWORD '$pw';
  END IF;
END
\$\$;
-- DROP DATABASE ... WITH (FORCE) also has to stop an autovacuum worker busy in the test
-- database; such a worker runs as no role, so only pg_signal_backend may signal it.
GRANT pg_signal_backend TO avledger_test;
SELECT format('DROP DATABASE IF EXISTS %I WITH (FORCE)', d.datname)
  FROM pg_database d JOIN pg_roles r ON r.oid = d.datdba
 WHERE r.rolname = 'avledger_test' AND NOT d.datistemplate
\gexec
SQL
    cat "$LOGDIR/postgres.log"
    log "could not set up role avledger_test"
    return 1
  fi
  export AVLEDGER_TEST_POSTGRES="Host=127.0.0.1;Port=$PG_PORT;Username=avledger_test;Password=$pw;Database=postgres"
  log "AVLEDGER_TEST_POSTGRES set (role avledger_test, port $PG_PORT)"
}

# ---------------------------------------------------------------- parsing
# Reads the totals of a TRX file (dotnet test --logger trx), whose ResultSummary holds one line
#   <Counters total="12" executed="12" passed="12" failed="0" error="0" timeout="0" aborted="0" … notExecuted="0" … />
# and prints "failed passed skipped total found outcome". Errors, timeouts and aborted tests count as
# failed; skipped tests are TRX's notExecuted. found is 0 when the file is missing or has no Counters;
# outcome is the ResultSummary's ("Completed" for a whole run, "Failed" also when the test host crashed).
parse_trx() {
  [[ -r $1 ]] || { echo "0 0 0 0 0 none"; return 0; }
  awk '
    match($0, /<ResultSummary outcome="[A-Za-z]+"/) { o = substr($0, RSTART, RLENGTH); sub(/.*outcome="/, "", o); sub(/"$/, "", o) }
    match($0, /<Counters [^>]*>/) {
      c = substr($0, RSTART, RLENGTH)
      n = split("total passed failed error timeout aborted notExecuted", keys, " ")
      for (i = 1; i <= n; i++) {
        v[keys[i]] = 0
        if (match(c, " " keys[i] "=\"[0-9]+\"")) { s = substr(c, RSTART, RLENGTH); gsub(/[^0-9]/, "", s); v[keys[i]] = s + 0 }
      }
      found = 1
    }
    END {
      printf "%d %d %d %d %d %s\n", v["failed"] + v["error"] + v["timeout"] + v["aborted"], v["passed"], v["notExecuted"], v["total"], found, (o == "" ? "none" : o)
    }' "$1"
}

# Reads the closing counts of node --test TAP output: prints "pass fail skipped found".
# Cancelled tests count as failed, todo as skipped.
parse_tap_summary() {
  awk '
    /^# pass [0-9]+$/      { p = $3; found = 1 }
    /^# fail [0-9]+$/      { f += $3 }
    /^# cancelled [0-9]+$/ { f += $3 }
    /^# skipped [0-9]+$/   { s += $3 }
    /^# todo [0-9]+$/      { s += $3 }
    END { printf "%d %d %d %d\n", p, f, s, found }' "$1"
}

# ---------------------------------------------------------------- steps
run_dotnet_build() {
  local t
  t=$(step_timeout 1200)
  if ((t < 60)); then
    record "build" 0 1 0 "not run: time budget exhausted"
    return 1
  fi
  if [[ ! -f AvLedger.slnx ]]; then
    log "AvLedger.slnx not found"
    record "build" 0 1 0 "AvLedger.slnx missing"
    return 1
  fi
  log "dotnet build AvLedger.slnx -c Release"
  local rc=0
  run_step "$LOGDIR/build.log" "$t" \
    dotnet build AvLedger.slnx -c Release --disable-build-servers -nologo -v q || rc=$?
  if ((rc != 0)); then
    log "build failed (exit $rc; log: $LOGDIR/build.log)"
    record "build" 0 1 0 "exit $rc"
    return 1
  fi
  log "build ok"
}

# Tests with [Trait("Category", "Long")] (4 GiB files, published executables) run only with --long:
#   run_dotnet_tests short   every project, Category!=Long
#   run_dotnet_tests long    the projects that have such tests, Category=Long
# A project listed in SPLIT_STAGES runs as several stages, one per filter, so that no stage runs long
# on a loaded machine; STAGE_TIMEOUTS gives a stage three times what it takes on a quiet 2-core machine.
declare -A SPLIT_STAGES=(
  [AvLedger.Server.Tests]='matrix:FullyQualifiedName~AuthorizationMatrixTests sqlite:FullyQualifiedName!~OnPostgres&FullyQualifiedName!~AuthorizationMatrixTests postgres:FullyQualifiedName~OnPostgres'
  [AvLedger.Server.Pages.Tests]='approvals-exports:FullyQualifiedName~.Approvals.|FullyQualifiedName~.Exports.|FullyQualifiedName~.Verify. accessibility:FullyQualifiedName~.AccessibilityTests pages:FullyQualifiedName!~.Approvals.&FullyQualifiedName!~.Exports.&FullyQualifiedName!~.Verify.&FullyQualifiedName!~.AccessibilityTests'
  [AvLedger.Cli.Tests]='demo:FullyQualifiedName~DemoTests cli:FullyQualifiedName!~DemoTests'
)
declare -A STAGE_TIMEOUTS=(
  [AvLedger.Server.Tests/matrix]=600
  [AvLedger.Server.Tests/sqlite]=1200
  [AvLedger.Server.Tests/postgres]=1100
  [AvLedger.Server.Pages.Tests/approvals-exports]=1200
  [AvLedger.Server.Pages.Tests/accessibility]=600
  [AvLedger.Server.Pages.Tests/pages]=1200
  [AvLedger.Cli.Tests/demo]=600
  [AvLedger.Cli.Tests/cli]=600
)
run_dotnet_tests() {
  local kind=$1 projects=() proj base name t rc logf trx f p s total found outcome note filter base_filter='Category!=Long' suffix='' stages stage
  mapfile -t projects < <(find tests -mindepth 2 -maxdepth 2 -name '*.Tests.csproj' | LC_ALL=C sort)
  if ((${#projects[@]} == 0)); then
    log "no tests/*/*.Tests.csproj found"
    return 0
  fi
  if [[ $kind == long ]]; then
    base_filter='Category=Long' suffix=' (long)'
    mapfile -t projects < <(for proj in "${projects[@]}"; do
      grep -rlq --include='*.cs' 'Trait("Category", "Long")' "$(dirname "$proj")" && echo "$proj"
    done)
  fi
  for proj in "${projects[@]}"; do
    base=$(basename "$proj" .csproj)
    stages=${SPLIT_STAGES[$base]:-all:}
    [[ $kind == long ]] && stages='all:'
    for stage in $stages; do
      name=$base filter=$base_filter
      if [[ $stage != all:* ]]; then
        name=$base/${stage%%:*} filter="$base_filter&(${stage#*:})"
      fi
      logf=$LOGDIR/${name//[\/ ]/-}$suffix.log
      trx=${name//[\/ ]/-}${suffix:+-long}.trx
      t=$(step_timeout "${AVLEDGER_TEST_PROJECT_TIMEOUT:-${STAGE_TIMEOUTS[$name]:-$PROJECT_TIMEOUT}}")
      name=$name$suffix
      if ((t < 30)); then
        record "$name" 0 1 0 "not run: time budget exhausted"
        continue
      fi
      log "dotnet test $proj --filter '$filter' (timeout ${t}s)"
      rc=0
      rm -f "$TRXDIR/$trx"
      run_step "$logf" "$t" dotnet test "$proj" -c Release --no-build --disable-build-servers --filter "$filter" \
        --logger "trx;LogFileName=$trx" --results-directory "$TRXDIR" || rc=$?
      note="exit $rc"
      ((rc == 124 || rc == 137)) && note="timed out after ${t}s"
      read -r f p s total found outcome < <(parse_trx "$TRXDIR/$trx")
      # A stage without results crashed, timed out or matched nothing: it never counts as passed.
      if ((found == 0)); then
        log "$name: no TRX results ($note; log: $logf)"
        record "$name" 0 1 0 "no TRX results, $note"
      elif ((total == 0)); then
        log "$name: ran no test ($note)"
        record "$name" 0 1 0 "ran no test, $note"
      elif ((f == 0)) && [[ $rc != 0 || $outcome != Completed ]]; then
        # e.g. the test host crashed after the tests it had run passed
        log "$name: $note, run outcome $outcome, although no test failed (log: $logf)"
        record "$name" "$p" 1 "$s" "$note, run outcome $outcome"
      else
        record "$name" "$p" "$f" "$s"
      fi
    done
  done
}

run_e2e() {
  local files=() t rc=0 p f s found tap=$LOGDIR/e2e.tap
  shopt -s nullglob
  files=(tests/e2e/*.test.mjs)
  shopt -u nullglob
  ((${#files[@]})) || return 0
  t=$(step_timeout "$E2E_TIMEOUT")
  if ((t < 60)); then
    record "e2e (node)" 0 1 0 "not run: time budget exhausted"
    return 0
  fi
  log "node --test ${files[*]}"
  run_step "$LOGDIR/e2e.log" "$t" node --test --test-concurrency=1 \
    --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=tap --test-reporter-destination="$tap" \
    "${files[@]}" || rc=$?
  read -r p f s found < <(parse_tap_summary "$tap" 2>/dev/null || echo "0 0 0 0")
  if ((found == 0)); then
    record "e2e (node)" "$p" 1 "$s" "no TAP summary (exit $rc)"
  elif ((rc != 0 && f == 0)); then
    record "e2e (node)" "$p" 1 "$s" "exit $rc"
  else
    record "e2e (node)" "$p" "$f" "$s"
  fi
}

run_benches() {
  local b name rc t
  shopt -s nullglob
  for b in bench/*.sh; do
    name=bench/$(basename "$b")
    log "$name"
    rc=0
    t=$BENCH_TIMEOUT
    run_step "$LOGDIR/$(basename "$b").log" "$t" bash "$b" || rc=$?
    if ((rc == 0)); then record "$name" 1 0 0; else record "$name" 0 1 0 "exit $rc"; fi
  done
  shopt -u nullglob
}

# ---------------------------------------------------------------- main
log "logs: $LOGDIR"
# A failed setup step is counted as a failure, and the run goes on: whatever
# does not depend on it still runs and reports.
install_prereqs || record "setup: apt prerequisites" 0 1 0 "see $LOGDIR/apt.log"
install_e2e_deps || record "setup: npm (tests/e2e)" 0 1 0 "see $LOGDIR/npm.log"
start_postgres || record "setup: postgresql" 0 1 0 "see $LOGDIR/postgres.log"

if run_dotnet_build; then
  run_dotnet_tests short
  run_e2e
  if ((LONG)); then
    run_dotnet_tests long
    run_benches
  fi
else
  log "skipping tests: the build failed"
fi

cleanup

# A fixture's failure can show in the test output only as an exception's type; the server's
# own errors during this run say what it was (EF's probe for a missing history table is normal).
if [[ " ${R_FAIL[*]} " == *' '[1-9]* && -r $PG_SERVER_LOG ]]; then
  pg_errors=$(tail -c "+$((PG_LOG_FROM + 1))" "$PG_SERVER_LOG" | grep -E ' (ERROR|FATAL|PANIC): ' |
    grep -v -E '"__EFMigrationsHistory" does not exist|terminating connection due to administrator command' | head -n 40 || true)
  echo
  echo "PostgreSQL errors during this run ($PG_SERVER_LOG):${pg_errors:+$'\n'}${pg_errors:- none}"
fi

TOTAL_P=0 TOTAL_F=0 TOTAL_S=0
echo
echo "Summary ($((SECONDS - START_TIME)) s; logs in $LOGDIR, TRX results in $TRXDIR):"
for i in "${!NAMES[@]}"; do
  note=${R_NOTE[$i]}
  printf '  %-40s %4d passed, %4d failed, %4d skipped%s\n' "${NAMES[$i]}" "${R_PASS[$i]}" "${R_FAIL[$i]}" "${R_SKIP[$i]}" "${note:+  ($note)}"
  TOTAL_P=$((TOTAL_P + R_PASS[i])) TOTAL_F=$((TOTAL_F + R_FAIL[i])) TOTAL_S=$((TOTAL_S + R_SKIP[i]))
done
echo "$TOTAL_P passed, $TOTAL_F failed, $TOTAL_S skipped"
if ((TOTAL_F > 0)); then exit 1; fi
exit 0

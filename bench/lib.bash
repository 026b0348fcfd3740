# Shared by the bench scripts (sourced, not run — hence not *.sh, which ./test.sh --long runs):
# work dirs, a recording, a server on 127.0.0.1, the API.
#
# Environment:
#   BENCH_DIR   cache/work dir (default /tmp/avledger-bench); recordings are made once and
#               kept there, servers' data dirs are removed when the script ends

BENCH_DIR=${BENCH_DIR:-/tmp/avledger-bench}
GIB=1073741824
DEVICE=DSJ-0001 BADGE=500101
ACTIVITY=inspection # one of the server's ActivityTypes codes

say() { printf '[bench] %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
mibps() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.1f", (s > 0 ? n / 1048576 / s : 0) }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }

require_tools() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool not found (./test.sh installs the prerequisites)"
  done
}

# bench_dirs [PATTERN]: DATA (a server's data dir), TMP and LOG (the server log) under BENCH_DIR,
# removed at exit with the server stopped; the log's tail is shown on failure, and on success
# the lines matching PATTERN.
bench_dirs() {
  mkdir -p "$BENCH_DIR"
  DATA=$(mktemp -d "$BENCH_DIR/data.XXXXXX")
  TMP=$(mktemp -d "$BENCH_DIR/tmp.XXXXXX")
  LOG=$TMP/server.log
  LOG_ON_SUCCESS=${1:-}
  trap bench_cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}
bench_cleanup() {
  local rc=$?
  stop_server
  if ((rc != 0)) && [[ -f $LOG ]]; then
    say "server log (last 50 lines):"
    tail -n 50 "$LOG" >&2 || true
  elif [[ -n $LOG_ON_SUCCESS && -f $LOG ]]; then
    grep -hE "$LOG_ON_SUCCESS" "$LOG" | sed 's/^/[server] /' >&2 || true
  fi
  rm -rf "$DATA" "$TMP"
  exit "$rc"
}

# ------------------------------------------------------------------ recordings
# A valid H.264/AAC MP4 of at least 1 GiB (path on stdout). Appending or looping bytes would
# not give a valid MP4, so ffmpeg encodes one: testsrc2 with temporal noise (incompressible),
# x264 ultrafast at qp 1 (near-lossless, yuv420p, so the noise stays in the bitstream) gives
# ~40 MB per second of 720p30 video, i.e. ~26 s of video per GiB, several times faster than
# real time. If the result is still under 1 GiB the duration is scaled up and it is redone.
# Made once and cached in BENCH_DIR, its sha256 beside it.
gib_recording() {
  local file=$BENCH_DIR/${DEVICE}_${BADGE}_20261126120000.mp4 secs=28 size tmp=$BENCH_DIR/.recording.tmp.mp4
  mkdir -p "$BENCH_DIR"
  if [[ ! -f $file || $(stat -c %s "$file") -lt $GIB ]]; then
    rm -f "$file" "$file.sha256"
    for _ in 1 2 3; do
      say "making a ${secs} s recording (this is cached in $BENCH_DIR)"
      ffmpeg -hide_banner -loglevel error -nostdin -y \
        -f lavfi -i "testsrc2=size=1280x720:rate=30,noise=alls=40:allf=t+u" \
        -f lavfi -i "sine=frequency=1000:sample_rate=48000" \
        -t "$secs" -c:v libx264 -preset ultrafast -qp 1 -pix_fmt yuv420p \
        -c:a aac -b:a 128k -shortest "$tmp" >&2
      size=$(stat -c %s "$tmp")
      if ((size >= GIB)); then
        mv "$tmp" "$file"
        break
      fi
      secs=$(awk -v s="$secs" -v n="$size" -v g="$GIB" 'BEGIN { printf "%d", s * g / n * 1.1 + 1 }')
    done
    rm -f "$tmp"
    [[ -f $file ]] || die "could not make a recording of at least 1 GiB"
  fi
  sha256_of "$file" >/dev/null
  echo "$file"
}

# SHA-256 of FILE, cached beside it as FILE.sha256.
sha256_of() {
  if [[ ! -s $1.sha256 || $1.sha256 -ot $1 ]]; then
    sha256sum "$1" | cut -d' ' -f1 >"$1.sha256"
  fi
  cat "$1.sha256"
}

# ------------------------------------------------------------------ server
PORT='' BASE='' SERVER_PID='' SERVER_LOG=''
ADMIN_PASSWORD=Bench-$(openssl rand -hex 12)

free_port() {
  node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

# start_server DATA_DIR LOG: ./avledger serve on a free 127.0.0.1 port, waits until healthy.
start_server() {
  PORT=$(free_port)
  BASE=http://127.0.0.1:$PORT
  SERVER_LOG=$2
  say "starting ./avledger serve on $BASE (data dir $1)"
  # setsid: own process group, so stopping it reaches the server even behind a wrapper.
  AVLEDGER_ADMIN_PASSWORD=$ADMIN_PASSWORD setsid ./avledger serve --data-dir "$1" --urls "$BASE" \
    </dev/null >>"$SERVER_LOG" 2>&1 &
  SERVER_PID=$!
  if [[ -n ${AVLEDGER_TEST_PIDDIR:-} ]]; then
    mkdir -p "$AVLEDGER_TEST_PIDDIR"
    echo "$SERVER_PID $(sed 's/^.*) //' "/proc/$SERVER_PID/stat" | cut -d' ' -f20)" >"$AVLEDGER_TEST_PIDDIR/$SERVER_PID.pid"
  fi
  local deadline=$((SECONDS + 300))
  until curl -fsS -o /dev/null "$BASE/healthz" 2>/dev/null; do
    [[ -e /proc/$SERVER_PID ]] || die "server exited during startup"
    ((SECONDS < deadline)) || die "server not healthy within 300 s"
    sleep 0.25
  done
  say "server is up"
}

stop_server() {
  [[ -n $SERVER_PID ]] || return 0
  if [[ -e /proc/$SERVER_PID ]]; then
    kill -TERM -- "-$SERVER_PID" 2>/dev/null || kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 40); do
      [[ -e /proc/$SERVER_PID ]] || break
      sleep 0.5
    done
    kill -KILL -- "-$SERVER_PID" 2>/dev/null || kill -KILL "$SERVER_PID" 2>/dev/null || true
  fi
  wait "$SERVER_PID" 2>/dev/null || true
  [[ -n ${AVLEDGER_TEST_PIDDIR:-} ]] && rm -f "$AVLEDGER_TEST_PIDDIR/$SERVER_PID.pid"
  SERVER_PID=''
}

# Peak RSS in MiB (VmHWM) of the process listening on our port (the dotnet server), else of
# the spawned pid (./avledger execs dotnet, so that is the server too); empty if unknown.
server_peak_rss_mib() {
  local pid kb
  pid=$(ss -Hltnp "sport = :$PORT" 2>/dev/null | sed -nE 's/.*pid=([0-9]+).*/\1/p' | head -n 1 || true)
  pid=${pid:-$SERVER_PID}
  kb=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status" 2>/dev/null || true)
  [[ -n $kb ]] && echo $((kb / 1024))
}

# ------------------------------------------------------------------ API
# JSON helpers (node is there anyway for the e2e tests).
json_field() { # FIELD < json
  node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const v=JSON.parse(s)[process.argv[1]];process.stdout.write(v==null?"":String(v))})' "$1"
}
API_BODY=''
api() { # METHOD PATH TOKEN JSON_BODY EXPECTED_STATUS  → body on stdout
  local code args=(-sS -o "$API_BODY" -w '%{http_code}' -X "$1")
  [[ -n $3 ]] && args+=(-H "Authorization: Bearer $3")
  [[ -n $4 ]] && args+=(-H 'Content-Type: application/json' --data-binary "$4")
  code=$(curl "${args[@]}" "$BASE$2")
  [[ $code == "$5" ]] || die "$1 $2: expected $5, got $code: $(head -c 500 "$API_BODY")"
  cat "$API_BODY"
}
token_for() { # USER PASSWORD
  api POST /api/v1/auth/token '' "{\"username\":\"$1\",\"password\":\"$2\"}" 200 | json_field accessToken
}

# setup_world WORK_DIR: unit U01, device DSJ-0001, officer1 (badge 500101) and legal1 (a legal
# officer of U01); sets ADMIN_TOKEN, OFFICER_TOKEN and LEGAL_TOKEN.
setup_world() {
  API_BODY=$1/api-body
  ADMIN_TOKEN=$(token_for admin "$ADMIN_PASSWORD")
  api POST /api/v1/units "$ADMIN_TOKEN" '{"code":"U01","name":"一大队"}' 201 >/dev/null
  api POST /api/v1/devices "$ADMIN_TOKEN" "{\"code\":\"$DEVICE\",\"kind\":\"bodyWornRecorder\",\"unitCode\":\"U01\"}" 201 >/dev/null
  new_user officer1 张三 "$BADGE" officer
  new_user legal1 李四 500199 legalOfficer
  OFFICER_TOKEN=$(token_for officer1 Bench-pass-1)
  LEGAL_TOKEN=$(token_for legal1 Bench-pass-1)
  [[ -n $OFFICER_TOKEN && -n $LEGAL_TOKEN ]] || die "no tokens"
}
new_user() { # USERNAME NAME BADGE ROLE; the administrator's password is replaced by the owner's
  api POST /api/v1/users "$ADMIN_TOKEN" \
    "{\"username\":\"$1\",\"password\":\"Initial-pass-1\",\"name\":\"$2\",\"badge\":\"$3\",\"unitCode\":\"U01\",\"roles\":[\"$4\"]}" 201 >/dev/null
  api POST /api/v1/auth/password '' "{\"username\":\"$1\",\"currentPassword\":\"Initial-pass-1\",\"newPassword\":\"Bench-pass-1\"}" 204 >/dev/null
}

# tus_upload FILE SHA256 RECORDED_AT WORK_DIR: creation + one streamed PATCH of the whole file
# (curl -T, no 100-continue) as officer1; prints the upload id.
tus_upload() {
  local file=$1 sha=$2 recorded=$3 work=$4 code location b64
  b64() { printf '%s' "$1" | base64 -w0; }
  local metadata="filename $(b64 "$(basename "$file")"),sha256 $(b64 "$sha"),deviceCode $(b64 "$DEVICE"),officerBadge $(b64 "$BADGE"),recordedAt $(b64 "$recorded"),activityType $(b64 "$ACTIVITY")"
  code=$(curl -sS -D "$work/create.headers" -o "$work/create.body" -w '%{http_code}' -X POST \
    -H "Authorization: Bearer $OFFICER_TOKEN" -H 'Tus-Resumable: 1.0.0' \
    -H "Upload-Length: $(stat -c %s "$file")" -H "Upload-Metadata: $metadata" -H 'Content-Length: 0' \
    "$BASE/api/v1/uploads")
  [[ $code == 201 ]] || die "tus creation: expected 201, got $code: $(head -c 500 "$work/create.body")"
  location=$(sed -nE 's/^[Ll]ocation:[[:space:]]*([^[:space:]]+).*/\1/p' "$work/create.headers" | tr -d '\r' | head -n 1)
  [[ -n $location ]] || die "tus creation: no Location header"
  case $location in
    http://* | https://*) ;;
    /*) location=$BASE$location ;;
    *) location=$BASE/api/v1/uploads/$location ;;
  esac
  code=$(curl -sS -o "$work/patch.body" -w '%{http_code}' -X PATCH -T "$file" \
    -H "Authorization: Bearer $OFFICER_TOKEN" -H 'Tus-Resumable: 1.0.0' \
    -H 'Content-Type: application/offset+octet-stream' -H 'Upload-Offset: 0' -H 'Expect:' \
    "$location")
  [[ $code == 204 ]] || die "tus PATCH: expected 204, got $code: $(head -c 500 "$work/patch.body")"
  location=${location%/}
  echo "${location##*/}"
}

# wait_stored UPLOAD_ID WORK_DIR [SECONDS]: polls until stored; prints the record id.
wait_stored() {
  local deadline=$((SECONDS + ${3:-600})) state
  while :; do
    curl -sS -o "$2/status" -H "Authorization: Bearer $OFFICER_TOKEN" "$BASE/api/v1/uploads/$1" || true
    state=$(json_field state <"$2/status" 2>/dev/null || true)
    case $state in
      stored) json_field recordId <"$2/status"; return 0 ;;
      rejected) die "upload rejected: $(cat "$2/status")" ;;
    esac
    ((SECONDS < deadline)) || die "not stored in time: $(cat "$2/status")"
    sleep 0.05
  done
}

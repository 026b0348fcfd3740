#!/usr/bin/env bash
# Ingest benchmark: one 1 GiB recording through tus into the vault.
#
# Times from the tus creation request (POST /api/v1/uploads) through the upload
# (PATCH) until GET /api/v1/uploads/{id} says "stored", and compares that rate
# with `openssl dgst -sha256` over the same file on the same machine in the same
# run (hashing is the floor of what ingest must do). Also reports the server's
# peak RSS (VmHWM). Everything is on 127.0.0.1.
#
# Output (MiB = 2^20 bytes):
#   ingest: 612.3 MiB/s
#   openssl sha256: 1450.2 MiB/s
#   ratio: 0.42
#   server peak RSS: 180 MiB
#
# Environment:
#   BENCH_DIR        cache/work dir (default /tmp/avledger-bench); the recording
#                    is made once and kept there, the server's data dir is removed
#   BENCH_CLIENT     curl (default: one PATCH with the whole file) or tus
#                    (tus-js-client from tests/e2e, BENCH_CHUNK_MIB per PATCH)
#   BENCH_CHUNK_MIB  chunk size for BENCH_CLIENT=tus (default 64)
set -euo pipefail

cd "$(dirname "$0")/.."
BENCH_DIR=${BENCH_DIR:-/tmp/avledger-bench}
BENCH_CLIENT=${BENCH_CLIENT:-curl}
BENCH_CHUNK_MIB=${BENCH_CHUNK_MIB:-64}
GIB=1073741824

DEVICE=DSJ-0001 BADGE=500101 STAMP=20261126120000 RECORDED_AT=2026-11-26T12:00:00+08:00
ACTIVITY=inspection # one of the server's ActivityTypes codes
FILE=$BENCH_DIR/${DEVICE}_${BADGE}_${STAMP}.mp4

say() { printf '[bench] %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
mibps() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.1f", (s > 0 ? n / 1048576 / s : 0) }'; }

for tool in ffmpeg curl openssl node base64 sha256sum; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool not found (./test.sh installs the prerequisites)"
done
mkdir -p "$BENCH_DIR"

# ------------------------------------------------------------------ recording
# A valid H.264/AAC MP4 of at least 1 GiB. Appending or looping bytes would not
# give a valid MP4, so ffmpeg encodes one: testsrc2 with temporal noise
# (incompressible), x264 ultrafast at qp 1 (near-lossless, yuv420p, so the noise
# stays in the bitstream) runs at ~40 MB of output per second of 720p30 video,
# i.e. ~26 s of video per GiB, and encodes several times faster than real time.
# If the result is still under 1 GiB the duration is scaled up and it is redone.
# Made once and cached in BENCH_DIR (with its sha256 beside it).
make_recording() {
  local secs=28 size tmp=$BENCH_DIR/.recording.tmp.mp4
  for _ in 1 2 3; do
    say "making a ${secs} s recording (this is cached in $BENCH_DIR)"
    ffmpeg -hide_banner -loglevel error -nostdin -y \
      -f lavfi -i "testsrc2=size=1280x720:rate=30,noise=alls=40:allf=t+u" \
      -f lavfi -i "sine=frequency=1000:sample_rate=48000" \
      -t "$secs" -c:v libx264 -preset ultrafast -qp 1 -pix_fmt yuv420p \
      -c:a aac -b:a 128k -shortest "$tmp"
    size=$(stat -c %s "$tmp")
    if ((size >= GIB)); then
      mv "$tmp" "$FILE"
      return 0
    fi
    secs=$(awk -v s="$secs" -v n="$size" -v g="$GIB" 'BEGIN { printf "%d", s * g / n * 1.1 + 1 }')
  done
  rm -f "$tmp"
  die "could not make a recording of at least 1 GiB"
}

if [[ ! -f $FILE || $(stat -c %s "$FILE") -lt $GIB ]]; then
  rm -f "$FILE" "$FILE.sha256"
  make_recording
fi
SIZE=$(stat -c %s "$FILE")
if [[ ! -s $FILE.sha256 || $FILE.sha256 -ot $FILE ]]; then
  sha256sum "$FILE" | cut -d' ' -f1 >"$FILE.sha256"
fi
SHA=$(cat "$FILE.sha256")
say "recording: $FILE ($SIZE bytes, sha256 $SHA)"

# ------------------------------------------------------------------ server
PORT=$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
BASE=http://127.0.0.1:$PORT
DATA=$(mktemp -d "$BENCH_DIR/data.XXXXXX")
TMP=$(mktemp -d "$BENCH_DIR/tmp.XXXXXX")
LOG=$TMP/server.log
ADMIN_PASSWORD=Bench-$(openssl rand -hex 12)
SERVER_PID=''

stop_server() {
  [[ -n $SERVER_PID ]] || return 0
  if [[ -e /proc/$SERVER_PID ]]; then
    kill -TERM -- "-$SERVER_PID" 2>/dev/null || kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 20); do
      [[ -e /proc/$SERVER_PID ]] || break
      sleep 0.5
    done
    kill -KILL -- "-$SERVER_PID" 2>/dev/null || kill -KILL "$SERVER_PID" 2>/dev/null || true
  fi
  wait "$SERVER_PID" 2>/dev/null || true
  [[ -n ${AVLEDGER_TEST_PIDDIR:-} ]] && rm -f "$AVLEDGER_TEST_PIDDIR/$SERVER_PID.pid"
  SERVER_PID=''
}
cleanup() {
  local rc=$?
  stop_server
  if ((rc != 0)) && [[ -f $LOG ]]; then
    say "server log (last 50 lines):"
    tail -n 50 "$LOG" >&2 || true
  elif [[ -f $LOG ]]; then
    grep -hE "stored as record|last PATCH" "$LOG" | sed 's/^/[server] /' >&2 || true
  fi
  rm -rf "$DATA" "$TMP"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

say "starting ./avledger serve on $BASE (data dir $DATA)"
# setsid: own process group, so stopping it reaches the server even behind a wrapper.
AVLEDGER_ADMIN_PASSWORD=$ADMIN_PASSWORD setsid ./avledger serve --data-dir "$DATA" --urls "$BASE" \
  </dev/null >"$LOG" 2>&1 &
SERVER_PID=$!
if [[ -n ${AVLEDGER_TEST_PIDDIR:-} ]]; then
  mkdir -p "$AVLEDGER_TEST_PIDDIR"
  echo "$SERVER_PID $(sed 's/^.*) //' "/proc/$SERVER_PID/stat" | cut -d' ' -f20)" >"$AVLEDGER_TEST_PIDDIR/$SERVER_PID.pid"
fi
deadline=$((SECONDS + 120))
until curl -fsS -o /dev/null "$BASE/healthz" 2>/dev/null; do
  [[ -e /proc/$SERVER_PID ]] || die "server exited during startup"
  ((SECONDS < deadline)) || die "server not healthy within 120 s"
  sleep 0.25
done
say "server is up"

# JSON helpers (node is there anyway for the e2e tests)
json_field() { # FIELD < json
  node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const v=JSON.parse(s)[process.argv[1]];process.stdout.write(v==null?"":String(v))})' "$1"
}
api() { # METHOD PATH TOKEN JSON_BODY EXPECTED_STATUS  → body on stdout
  local code body=$TMP/body args=(-sS -o "$TMP/body" -w '%{http_code}' -X "$1")
  [[ -n $3 ]] && args+=(-H "Authorization: Bearer $3")
  [[ -n $4 ]] && args+=(-H 'Content-Type: application/json' --data-binary "$4")
  code=$(curl "${args[@]}" "$BASE$2")
  [[ $code == "$5" ]] || die "$1 $2: expected $5, got $code: $(head -c 500 "$body")"
  cat "$body"
}
token_for() { # USER PASSWORD
  api POST /api/v1/auth/token '' "{\"username\":\"$1\",\"password\":\"$2\"}" 200 | json_field accessToken
}

ADMIN_TOKEN=$(token_for admin "$ADMIN_PASSWORD")
api POST /api/v1/admin/units "$ADMIN_TOKEN" '{"code":"U01","name":"一大队"}' 201 >/dev/null
api POST /api/v1/admin/users "$ADMIN_TOKEN" \
  "{\"username\":\"officer1\",\"password\":\"Officer-pass-1\",\"role\":\"officer\",\"displayName\":\"张三\",\"badge\":\"$BADGE\",\"unitCode\":\"U01\"}" 201 >/dev/null
api POST /api/v1/admin/devices "$ADMIN_TOKEN" "{\"code\":\"$DEVICE\",\"kind\":\"bodyWornRecorder\",\"unitCode\":\"U01\"}" 201 >/dev/null
TOKEN=$(token_for officer1 Officer-pass-1)
[[ -n $TOKEN ]] || die "no officer token"

# ------------------------------------------------------------------ ingest
b64() { printf '%s' "$1" | base64 -w0; }
METADATA="filename $(b64 "$(basename "$FILE")"),sha256 $(b64 "$SHA"),deviceCode $(b64 "$DEVICE"),officerBadge $(b64 "$BADGE"),recordedAt $(b64 "$RECORDED_AT"),activityType $(b64 "$ACTIVITY")"

upload_state() { # ID → state (and the whole JSON in $TMP/status)
  curl -sS -o "$TMP/status" -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/uploads/$1" || true
  sed -nE 's/.*"state"[[:space:]]*:[[:space:]]*"([A-Za-z]+)".*/\1/p' "$TMP/status"
}

cat "$FILE" >/dev/null # same warm page cache for us and for openssl
say "uploading with $BENCH_CLIENT"

T0=$(now)
if [[ $BENCH_CLIENT == curl ]]; then
  code=$(curl -sS -D "$TMP/create.headers" -o "$TMP/create.body" -w '%{http_code}' -X POST \
    -H "Authorization: Bearer $TOKEN" -H 'Tus-Resumable: 1.0.0' \
    -H "Upload-Length: $SIZE" -H "Upload-Metadata: $METADATA" -H 'Content-Length: 0' \
    "$BASE/api/v1/uploads")
  [[ $code == 201 ]] || die "tus creation: expected 201, got $code: $(head -c 500 "$TMP/create.body")"
  LOCATION=$(sed -nE 's/^[Ll]ocation:[[:space:]]*([^[:space:]]+).*/\1/p' "$TMP/create.headers" | tr -d '\r' | head -n 1)
  [[ -n $LOCATION ]] || die "tus creation: no Location header"
  case $LOCATION in
    http://* | https://*) UPLOAD_URL=$LOCATION ;;
    /*) UPLOAD_URL=$BASE$LOCATION ;;
    *) UPLOAD_URL=$BASE/api/v1/uploads/$LOCATION ;;
  esac
  # -T streams the file (no 1 GiB in memory); "Expect:" skips 100-continue.
  code=$(curl -sS -o "$TMP/patch.body" -w '%{http_code}' -X PATCH -T "$FILE" \
    -H "Authorization: Bearer $TOKEN" -H 'Tus-Resumable: 1.0.0' \
    -H 'Content-Type: application/offset+octet-stream' -H 'Upload-Offset: 0' -H 'Expect:' \
    "$UPLOAD_URL")
  [[ $code == 204 ]] || die "tus PATCH: expected 204, got $code: $(head -c 500 "$TMP/patch.body")"
elif [[ $BENCH_CLIENT == tus ]]; then
  [[ -d tests/e2e/node_modules/tus-js-client ]] || die "tests/e2e/node_modules missing (run npm ci in tests/e2e)"
  UPLOAD_URL=$(cd tests/e2e && node --input-type=module - "$BASE/api/v1/uploads" "$TOKEN" "$FILE" "$BENCH_CHUNK_MIB" \
    "$SHA" "$DEVICE" "$BADGE" "$RECORDED_AT" "$ACTIVITY" <<'JS'
import fs from 'node:fs';
import path from 'node:path';
import * as tus from 'tus-js-client';
const [endpoint, token, file, chunkMib, sha256, deviceCode, officerBadge, recordedAt, activityType] = process.argv.slice(2);
const upload = new tus.Upload(fs.createReadStream(file), {
  endpoint,
  chunkSize: Number(chunkMib) * 1024 * 1024,
  retryDelays: null,
  headers: { Authorization: `Bearer ${token}` },
  metadata: { filename: path.basename(file), sha256, deviceCode, officerBadge, recordedAt, activityType },
  onSuccess: () => console.log(upload.url),
  onError: (err) => { console.error(String(err)); process.exit(1); },
});
upload.start();
JS
  ) || die "tus-js-client upload failed"
else
  die "BENCH_CLIENT must be curl or tus"
fi
T_UPLOADED=$(now)
UPLOAD_ID=${UPLOAD_URL%/}
UPLOAD_ID=${UPLOAD_ID##*/}

deadline=$((SECONDS + 600))
while :; do
  state=$(upload_state "$UPLOAD_ID")
  case $state in
    stored) break ;;
    rejected) die "upload rejected: $(cat "$TMP/status")" ;;
  esac
  ((SECONDS < deadline)) || die "not stored within 600 s: $(cat "$TMP/status")"
  sleep 0.05
done
T1=$(now)

RECORD_ID=$(json_field recordId <"$TMP/status")
RECORD_SHA=$(api GET "/api/v1/records/$RECORD_ID" "$TOKEN" '' 200 | json_field sha256)
[[ $RECORD_SHA == "$SHA" ]] || die "stored record sha256 $RECORD_SHA != $SHA"

# Peak RSS of the process listening on our port (the dotnet server), else the
# spawned pid (./avledger execs dotnet, so that is the server too).
RSS_PID=$(ss -Hltnp "sport = :$PORT" 2>/dev/null | sed -nE 's/.*pid=([0-9]+).*/\1/p' | head -n 1 || true)
RSS_PID=${RSS_PID:-$SERVER_PID}
HWM_KB=$(awk '/^VmHWM:/ { print $2 }' "/proc/$RSS_PID/status" 2>/dev/null || true)
stop_server

# ------------------------------------------------------------------ openssl
O0=$(now)
openssl dgst -sha256 "$FILE" >/dev/null
O1=$(now)

T_ALL=$(elapsed "$T0" "$T1")
T_UP=$(elapsed "$T0" "$T_UPLOADED")
T_PROC=$(elapsed "$T_UPLOADED" "$T1")
T_SSL=$(elapsed "$O0" "$O1")
INGEST=$(mibps "$SIZE" "$T_ALL")
SSL=$(mibps "$SIZE" "$T_SSL")

echo "file: $SIZE bytes ($(awk -v n="$SIZE" 'BEGIN { printf "%.2f", n / 1073741824 }') GiB), client: $BENCH_CLIENT"
echo "timing: ${T_ALL} s total = ${T_UP} s create+upload + ${T_PROC} s until stored; openssl ${T_SSL} s"
echo "ingest: $INGEST MiB/s"
echo "openssl sha256: $SSL MiB/s"
echo "ratio: $(awk -v a="$INGEST" -v b="$SSL" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')"
if [[ -n $HWM_KB ]]; then
  echo "server peak RSS: $((HWM_KB / 1024)) MiB"
else
  echo "server peak RSS: unknown (no /proc/$RSS_PID/status)"
fi

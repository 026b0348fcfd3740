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
source bench/lib.bash
BENCH_CLIENT=${BENCH_CLIENT:-curl}
BENCH_CHUNK_MIB=${BENCH_CHUNK_MIB:-64}
RECORDED_AT=2026-11-26T12:00:00+08:00

require_tools ffmpeg curl openssl node base64 sha256sum
FILE=$(gib_recording)
SIZE=$(stat -c %s "$FILE")
SHA=$(sha256_of "$FILE")
say "recording: $FILE ($SIZE bytes, sha256 $SHA)"

bench_dirs "stored as record|last PATCH"

start_server "$DATA" "$LOG"
setup_world "$TMP"
TOKEN=$OFFICER_TOKEN

cat "$FILE" >/dev/null # same warm page cache for us and for openssl
say "uploading with $BENCH_CLIENT"

T0=$(now)
if [[ $BENCH_CLIENT == curl ]]; then
  UPLOAD_ID=$(tus_upload "$FILE" "$SHA" "$RECORDED_AT" "$TMP")
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
  UPLOAD_ID=${UPLOAD_URL%/}
  UPLOAD_ID=${UPLOAD_ID##*/}
else
  die "BENCH_CLIENT must be curl or tus"
fi
T_UPLOADED=$(now)
RECORD_ID=$(wait_stored "$UPLOAD_ID" "$TMP")
T1=$(now)

RECORD_SHA=$(api GET "/api/v1/records/$RECORD_ID" "$TOKEN" '' 200 | json_field sha256)
[[ $RECORD_SHA == "$SHA" ]] || die "stored record sha256 $RECORD_SHA != $SHA"
RSS_MIB=$(server_peak_rss_mib)
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
echo "ratio: $(ratio "$INGEST" "$SSL")"
echo "server peak RSS: ${RSS_MIB:-unknown} MiB"

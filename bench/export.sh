#!/usr/bin/env bash
# Evidence-package benchmark: a package over 4 GiB built by the server with bounded memory.
#
# One original of BENCH_EXPORT_MIB (default 4352 MiB = 4.25 GiB, so the ZIP needs ZIP64 both for
# the entry and for the offsets after it) is uploaded through tus. The server is then restarted on
# the same data dir, so its peak RSS (VmHWM) measures the export alone; a legal officer exports
# the record and the progress is shown as the job reports it. The package is downloaded, its
# SHA-256 and size held against what the API says, and `./avledger verify --trusted-key` checks it
# offline. Peers in the same run: `openssl dgst -sha256` over the package.
#
# Output (MiB = 2^20 bytes):
#   package: 4563402752 bytes (4.25 GiB), 1 original
#   export: 312.4 MiB/s (14.6 s from request to ready)
#   openssl sha256: 1450.2 MiB/s
#   ratio: 0.22
#   server peak RSS during export: 190 MiB
#   verify: 820.0 MiB/s, ratio 0.57, peak RSS 60 MiB
#
# Fails when the package is not over 4 GiB, does not verify, or the server's peak RSS is above
# BENCH_MAX_RSS_MIB (default 1024): memory must not grow with the package.
#
# Environment: BENCH_DIR (see bench/lib.bash), BENCH_EXPORT_MIB, BENCH_MAX_RSS_MIB.
set -euo pipefail

cd "$(dirname "$0")/.."
source bench/lib.bash
TARGET_MIB=${BENCH_EXPORT_MIB:-4352}
MAX_RSS_MIB=${BENCH_MAX_RSS_MIB:-1024}
RECORDED_AT=2026-11-26T13:00:00+08:00

require_tools ffmpeg curl openssl node base64 sha256sum ss
SOURCE=$(gib_recording)

bench_dirs

# ------------------------------------------------------------------ a recording over 4 GiB
# The 1 GiB recording followed by a top-level ISO BMFF 'free' box (64-bit size) that fills it up:
# a valid MP4 of any size in seconds, where encoding 4 GiB would take minutes.
FILE=$TMP/${DEVICE}_${BADGE}_20261126130000.mp4
base=$(stat -c %s "$SOURCE")
target=$((TARGET_MIB * 1048576))
((target > base + 16)) || die "BENCH_EXPORT_MIB must exceed the 1 GiB recording"
say "making a $TARGET_MIB MiB recording in $TMP"
cp "$SOURCE" "$FILE"
box=$((target - base))
be64() { local n=$1 i out=''; for ((i = 7; i >= 0; i--)); do out+=$(printf '\\x%02x' $(((n >> (i * 8)) & 255))); done; printf '%s' "$out"; }
printf "\x00\x00\x00\x01free$(be64 "$box")" >>"$FILE"
head -c $((box - 16)) /dev/zero >>"$FILE"
SIZE=$(stat -c %s "$FILE")
((SIZE == target)) || die "made $SIZE bytes, wanted $target"
SHA=$(sha256_of "$FILE")
say "recording: $SIZE bytes, sha256 $SHA"

# ------------------------------------------------------------------ ingest
start_server "$DATA" "$LOG"
setup_world "$TMP"
say "uploading"
RECORD_ID=$(wait_stored "$(tus_upload "$FILE" "$SHA" "$RECORDED_AT" "$TMP")" "$TMP" 1200)
say "stored as record $RECORD_ID"
rm -f "$FILE" "$FILE.sha256" # the vault holds it now; keep the disk for the package
stop_server

# ------------------------------------------------------------------ export
start_server "$DATA" "$LOG"
LEGAL_TOKEN=$(token_for legal1 Bench-pass-1)
T0=$(now)
EXPORT_ID=$(api POST /api/v1/exports "$LEGAL_TOKEN" "{\"recordIds\":[\"$RECORD_ID\"],\"purpose\":\"性能测试：超过 4 GiB 的证据包\"}" 202 | json_field id)
say "export $EXPORT_ID queued"
deadline=$((SECONDS + 1800)) last=''
while :; do
  api GET "/api/v1/exports/$EXPORT_ID" "$LEGAL_TOKEN" '' 200 >"$TMP/export.json"
  state=$(json_field state <"$TMP/export.json")
  progress=$(json_field progress <"$TMP/export.json")
  [[ "$state $progress" != "$last" ]] && say "export: $state $progress%"
  last="$state $progress"
  case $state in
    ready) break ;;
    failed) die "export failed: $(json_field error <"$TMP/export.json")" ;;
  esac
  ((SECONDS < deadline)) || die "export not ready within 1800 s"
  sleep 0.5
done
T1=$(now)
RSS_MIB=$(server_peak_rss_mib)
PACKAGE_SIZE=$(json_field size <"$TMP/export.json")
PACKAGE_SHA=$(json_field packageSha256 <"$TMP/export.json")
KEY=$(api GET /api/v1/ledger/key "$LEGAL_TOKEN" '' 200)

say "downloading the package"
PACKAGE=$TMP/evidence-$EXPORT_ID.zip
D0=$(now)
code=$(curl -sS -o "$PACKAGE" -w '%{http_code}' -H "Authorization: Bearer $LEGAL_TOKEN" "$BASE/api/v1/exports/$EXPORT_ID/download")
D1=$(now)
[[ $code == 200 ]] || die "download: expected 200, got $code"
stop_server
[[ $(stat -c %s "$PACKAGE") == "$PACKAGE_SIZE" ]] || die "downloaded $(stat -c %s "$PACKAGE") bytes, the API says $PACKAGE_SIZE"
((PACKAGE_SIZE > 4 * GIB)) || die "the package is $PACKAGE_SIZE bytes, not over 4 GiB"

# ------------------------------------------------------------------ peers and the offline check
O0=$(now)
OPENSSL_SHA=$(openssl dgst -sha256 -r "$PACKAGE" | cut -d' ' -f1)
O1=$(now)
[[ $OPENSSL_SHA == "$PACKAGE_SHA" ]] || die "package sha256 $OPENSSL_SHA != the API's $PACKAGE_SHA"

say "verifying offline from $TMP (no server running)"
V0=$(now)
VERIFY_RSS=''
if [[ -x /usr/bin/time ]]; then
  (cd "$TMP" && /usr/bin/time -f '%M' -o "$TMP/verify.rss" "$OLDPWD/avledger" verify "$PACKAGE" --trusted-key "$KEY") >"$TMP/verify.out" 2>&1 ||
    { cat "$TMP/verify.out" >&2; die "the package does not verify"; }
  VERIFY_RSS=$(($(tail -n 1 "$TMP/verify.rss") / 1024))
else
  (cd "$TMP" && "$OLDPWD/avledger" verify "$PACKAGE" --trusted-key "$KEY") >"$TMP/verify.out" 2>&1 ||
    { cat "$TMP/verify.out" >&2; die "the package does not verify"; }
fi
V1=$(now)
grep -E "originals/$RECORD_ID" "$TMP/verify.out" | head -n 2 | sed 's/^/[verify] /' >&2

T_EXPORT=$(elapsed "$T0" "$T1")
EXPORT=$(mibps "$PACKAGE_SIZE" "$T_EXPORT")
SSL=$(mibps "$PACKAGE_SIZE" "$(elapsed "$O0" "$O1")")
VERIFY=$(mibps "$PACKAGE_SIZE" "$(elapsed "$V0" "$V1")")
echo "package: $PACKAGE_SIZE bytes ($(awk -v n="$PACKAGE_SIZE" 'BEGIN { printf "%.2f", n / 1073741824 }') GiB), 1 original of $SIZE bytes"
echo "export: $EXPORT MiB/s (${T_EXPORT} s from request to ready)"
echo "download: $(mibps "$PACKAGE_SIZE" "$(elapsed "$D0" "$D1")") MiB/s"
echo "openssl sha256: $SSL MiB/s"
echo "ratio: $(ratio "$EXPORT" "$SSL")"
echo "server peak RSS during export: ${RSS_MIB:-unknown} MiB (limit $MAX_RSS_MIB MiB)"
echo "verify: $VERIFY MiB/s, ratio $(ratio "$VERIFY" "$SSL"), peak RSS ${VERIFY_RSS:-unknown} MiB"
[[ -n $RSS_MIB ]] || die "could not read the server's peak RSS"
((RSS_MIB <= MAX_RSS_MIB)) || die "the server's peak RSS ($RSS_MIB MiB) is above $MAX_RSS_MIB MiB"

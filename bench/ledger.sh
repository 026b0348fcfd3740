#!/usr/bin/env bash
# Ledger benchmark: append throughput and inclusion-proof latency at 1 M leaves (SQLite, the
# embedded default), against `openssl dgst -sha256` over the same leaf bytes in the same run.
#   LEDGER_LEAVES   how many leaves (default 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
LEAVES=${LEDGER_LEAVES:-1000000}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/avledger-ledger-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
command -v openssl >/dev/null || { echo "openssl not found" >&2; exit 1; }

dotnet build bench/LedgerBench/LedgerBench.csproj -c Release --disable-build-servers -nologo -v q >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log" >&2; exit 1; }
out=$(dotnet bench/LedgerBench/bin/Release/net10.0/LedgerBench.dll "$LEAVES" "$WORK")
echo "$out" | grep -v '^leaf bytes:'
file=$(echo "$out" | sed -n 's/^leaf bytes: //p')
size=$(stat -c %s "$file")
start=$(date +%s.%N)
openssl dgst -sha256 "$file" >/dev/null
end=$(date +%s.%N)
ours=$(echo "$out" | sed -n 's/^append bytes: \([0-9.]*\) MiB\/s/\1/p')
awk -v s="$size" -v a="$start" -v b="$end" -v ours="$ours" 'BEGIN {
  ref = s / 1048576 / (b - a)
  printf "openssl sha256 over the same bytes: %.1f MiB/s\n", ref
  printf "ratio (append bytes/s ÷ openssl): %.4f\n", ours / ref
}'

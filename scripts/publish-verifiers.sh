#!/usr/bin/env bash
# Builds the single-file evidence package verifiers (avledger-verify) for Linux and Windows into
# dist/verifiers/: self-contained, nothing to install. Usage: scripts/publish-verifiers.sh [RID...]
# (default: linux-x64 win-x64). Prints each file with its SHA-256 for publication beside the key.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
OUT=dist/verifiers
RIDS=("$@")
((${#RIDS[@]})) || RIDS=(linux-x64 win-x64)
mkdir -p "$OUT"
for rid in "${RIDS[@]}"; do
  dir=$(mktemp -d)
  dotnet publish src/AvLedger.Verifier/AvLedger.Verifier.csproj -c Release -r "$rid" \
    --self-contained -p:PublishSingleFile=true -p:IncludeNativeLibrariesForSelfExtract=true -p:EnableCompressionInSingleFile=true \
    -p:DebugType=none -nologo -v q -o "$dir"
  case $rid in
    win-*) src=$dir/avledger-verify.exe dst=$OUT/avledger-verify-$rid.exe ;;
    *) src=$dir/avledger-verify dst=$OUT/avledger-verify-$rid ;;
  esac
  cp "$src" "$dst"
  rm -rf "$dir"
  sha256sum "$dst"
done

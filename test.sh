#!/usr/bin/env bash
# Installs missing prerequisites (Debian/Ubuntu), starts a throwaway PostgreSQL, runs every test
# (database tests on SQLite and on PostgreSQL), stops what it started. Non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")"

packages=(dcmtk postgresql chromium orthanc orthanc-dicomweb dicom3tools plastimatch python3-pydicom)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "test.sh: installing ${missing[*]}"
  sudo_cmd=""; [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
command -v dotnet >/dev/null || { echo "test.sh: the .NET 10 SDK is required (dotnet not on PATH)" >&2; exit 1; }

pgdir=$(mktemp -d /tmp/draw-test-pg.XXXXXX)
cleanup() { tests/scripts/postgres.sh stop "$pgdir"; }
trap cleanup EXIT
DRAW_TEST_POSTGRES=$(tests/scripts/postgres.sh start "$pgdir")
export DRAW_TEST_POSTGRES
echo "test.sh: PostgreSQL on port $(cat "$pgdir/port")"

results=$(mktemp -d /tmp/draw-test-results.XXXXXX)
export DRAW_TEST_ARTIFACTS="$results"
dotnet build Draw.sln -c Release -warnaserror -nologo -v q
set +e
dotnet test Draw.sln -c Release --no-build --nologo --logger "console;verbosity=normal" \
  --results-directory "$results" -- RunConfiguration.TestSessionTimeout=2400000 2>&1 | tee "$results/dotnet-test.log"
status=${PIPESTATUS[0]}
set -e
# awk alone (no grep): a count with no matching line is 0, not a failed pipeline under pipefail.
count() { awk -v word="$1" '$1 == word":" && $2 ~ /^[0-9]+$/ && NF == 2 {s += $2} END {print s + 0}' "$results/dotnet-test.log"; }
passed=$(count Passed)
failed=$(count Failed)
skipped=$(count Skipped)
[ "$status" -ne 0 ] && [ "$failed" -eq 0 ] && failed=1   # a crashed test host counts as a failure

# Benchmark smoke test (issue 11): the short mode must finish and write its tables; timings are never asserted.
benchwork=$(mktemp -d /tmp/draw-bench.XXXXXX)
if dotnet run --project tests/Draw.Benchmarks -c Release --no-build -- --short --work "$benchwork" \
     --output "$results/benchmarks.md" >"$results/benchmarks.log" 2>&1 && [ -s "$results/benchmarks.md" ]; then
  echo "test.sh: benchmark smoke test passed: $results/benchmarks.md"
else
  echo "test.sh: benchmark smoke test FAILED, see $results/benchmarks.log" >&2
  status=1
fi
rm -rf "$benchwork"

echo "test.sh: artifacts (screenshots, logs) in $results"
# CI keeps only the tail of this output: repeat each failed test with its message here, at the end.
if [ "$failed" -gt 0 ]; then
  echo "test.sh: failed tests (first 40 lines of each):"
  awk '/^  (Passed|Skipped) |^\[xUnit|^Test Run |^Results File/ {keep = 0}
       /^  Failed / {keep = 1; lines = 0}
       keep && lines++ < 40 {print}' "$results/dotnet-test.log"
fi
echo "$passed passed, $failed failed, $skipped skipped"
if [ "$status" -ne 0 ]; then echo "test.sh: FAILED" >&2; fi
exit "$status"

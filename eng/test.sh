#!/usr/bin/env bash
# Runs every test: unit, integration (real Redis), end-to-end through the AppHost, browser. See README "Quick start".
set -euo pipefail
cd "$(dirname "$0")/.."
bash eng/prerequisites.sh --browser
dotnet build MarketIntel.sln -c Release -nologo -v quiet
mkdir -p artifacts/test-results
status=0
dotnet test MarketIntel.sln -c Release --no-build -nologo \
  --logger "console;verbosity=normal" --logger "trx" --results-directory artifacts/test-results "$@" \
  | tee artifacts/test-results/console.log || status=$?
# One closing line in the plain "N passed, N failed" form, summed over all test projects.
awk '/^ +Passed: +[0-9]+$/ { p += $2 } /^ +Failed: +[0-9]+$/ { f += $2 }
     END { printf "Total: %d passed, %d failed\n", p, f }' artifacts/test-results/console.log
exit $status

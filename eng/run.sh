#!/usr/bin/env bash
# Runs the whole app (Aspire dashboard, api, workers, Redis, model emulator). See README "Quick start".
set -euo pipefail
cd "$(dirname "$0")/.."
bash eng/prerequisites.sh
exec dotnet run --project src/MarketIntel.AppHost --launch-profile http "$@"

#!/usr/bin/env bash
# Runs the benchmarks (docs/benchmarks.md): "app" drives the real processes, "micro" runs BenchmarkDotNet.
#   eng/bench.sh              both, with the defaults docs/benchmarks.md quotes (about 45 minutes on 2 cores)
#   eng/bench.sh app [opts]   only the app benchmark (options: see its usage, e.g. --overhead-jobs 10); its realistic
#                             scenario runs three full jobs at the real models' speed (about ten minutes)
#                             --latency-scale 0.01 --throughput-rounds 0: a few minutes, without the throughput runs
#   eng/bench.sh micro [args] only the micro-benchmarks (BenchmarkDotNet arguments, e.g. --filter '*validate*')
# Results: artifacts/bench/app.md and artifacts/bench/micro/results/. Run on a quiet machine: nothing else building.
# The gateway peer (Portkey, from npm) needs node and npm: the app benchmark installs it with npm ci into
# bench/gateway/node_modules (git-ignored) the first time, and skips it, saying so, where node or npm is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
bash eng/prerequisites.sh
dotnet build bench/MarketIntel.Bench -c Release -nologo -v quiet
bench=(dotnet bench/MarketIntel.Bench/bin/Release/net10.0/MarketIntel.Bench.dll)
case "${1:-all}" in
  app|micro) "${bench[@]}" "$@" ;;
  all) "${bench[@]}" app && "${bench[@]}" micro ;;
  *) echo "usage: eng/bench.sh [all | app [options] | micro [BenchmarkDotNet arguments]]" >&2; exit 2 ;;
esac

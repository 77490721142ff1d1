#!/usr/bin/env bash
# Installs what is missing, builds Hearth (Release) and starts hearthd with
# its embedded database under ./var. Extra arguments go to hearthd, e.g.
#   ./deploy/run.sh --listen 127.0.0.1:9000
set -euo pipefail
cd "$(dirname "$0")/.."
. deploy/lib.sh

ensure_packages "${BUILD_PACKAGES[@]}"
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release -DHEARTH_TESTS=OFF >/dev/null
cmake --build build/release -j"$(build_jobs)"
mkdir -p var
chmod 700 var
echo "Built build/release/hearthd and the terminal client build/release/hearth."
exec build/release/hearthd --data-dir ./var --web-root ./client/web "$@"

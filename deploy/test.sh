#!/usr/bin/env bash
# Installs what is missing, builds Hearth with AddressSanitizer and
# UndefinedBehaviorSanitizer, and runs every test through ctest. Exits
# non-zero on any failure or sanitizer report.
set -euo pipefail
cd "$(dirname "$0")/.."
. deploy/lib.sh

ensure_packages "${BUILD_PACKAGES[@]}" "${TEST_PACKAGES[@]}"
cmake -S . -B build/asan -DCMAKE_BUILD_TYPE=Debug -DHEARTH_SANITIZE=ON >/dev/null
cmake --build build/asan -j"$(build_jobs)"
cd build/asan
ctest --output-on-failure -j"$(build_jobs)" --timeout 900 "$@"

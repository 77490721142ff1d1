#!/usr/bin/env bash
# Installs what is missing, builds Hearth with AddressSanitizer and
# UndefinedBehaviorSanitizer, and runs every test through ctest: the C unit
# and integration tests and the browser client's tests (Node unit tests and
# Playwright end-to-end tests in Debian's headless chromium, tests/web).
# Exits non-zero on any failure or sanitizer report. Extra arguments go to
# ctest, e.g. ./deploy/test.sh -R web_
set -euo pipefail
cd "$(dirname "$0")/.."
. deploy/lib.sh

ensure_packages "${BUILD_PACKAGES[@]}" "${TEST_PACKAGES[@]}" "${WEB_TEST_PACKAGES[@]}"
ensure_node
ensure_web_node
ensure_web_node_modules
cmake -S . -B build/asan -DCMAKE_BUILD_TYPE=Debug -DHEARTH_SANITIZE=ON -DHEARTH_NODE="$WEB_NODE" >/dev/null
cmake --build build/asan -j"$(build_jobs)"
cd build/asan
ctest --output-on-failure -j"$(build_jobs)" --timeout 900 "$@"

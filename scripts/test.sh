#!/usr/bin/env bash
# The whole test suite, as CI runs it: installs dependencies, then
#  1. builds with gcc (warnings as errors) and runs every test with ctest,
#     and builds the demo's Release configuration with warnings as errors;
#  2. runs the batch tests under ThreadSanitizer;
#  3. builds with clang under AddressSanitizer + UndefinedBehaviorSanitizer
#     and runs every test again;
#  4. builds the libFuzzer targets and gives each a short smoke run over
#     its seed corpus (FUZZ_SECONDS each, default 20).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
JOBS=$(nproc)
FUZZ_SECONDS=${FUZZ_SECONDS:-20}

echo "== gcc build and tests"
CC=gcc cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DINTERDICT_WERROR=ON >/dev/null
cmake --build build -j "$JOBS"
ctest --test-dir build --output-on-failure -j "$JOBS"

echo "== gcc Release build, the demo's configuration (-O3 finds other warnings)"
CC=gcc cmake -S . -B build-release -G Ninja -DCMAKE_BUILD_TYPE=Release -DINTERDICT_WERROR=ON >/dev/null
cmake --build build-release -j "$JOBS" >/dev/null

echo "== clang + ThreadSanitizer (batch screens on several threads; the server under load and reloads)"
CC=clang cmake -S . -B build-tsan -G Ninja -DCMAKE_BUILD_TYPE=Debug \
  -DCMAKE_C_FLAGS="-fsanitize=thread -g" -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=thread" >/dev/null
cmake --build build-tsan -j "$JOBS" --target interdict
TSAN_OPTIONS=halt_on_error=1 ctest --test-dir build-tsan --output-on-failure -R 'cli_batch|cli_serve'

echo "== clang + AddressSanitizer + UndefinedBehaviorSanitizer"
CC=clang cmake -S . -B build-san -G Ninja -DCMAKE_BUILD_TYPE=Debug \
  -DINTERDICT_SANITIZE=ON -DINTERDICT_WERROR=ON >/dev/null
cmake --build build-san -j "$JOBS"
ASAN_OPTIONS=detect_leaks=1:halt_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
  ctest --test-dir build-san --output-on-failure -j "$JOBS"

echo "== fuzz smoke runs (${FUZZ_SECONDS}s each)"
CC=clang cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DINTERDICT_FUZZ=ON -DINTERDICT_SANITIZE=ON -DCMAKE_C_FLAGS=-fsanitize=fuzzer-no-link >/dev/null
cmake --build build-fuzz -j "$JOBS"
for src in fuzz/fuzz_*.c; do
  target=$(basename "$src" .c)
  target=${target#fuzz_}
  corpus=$(mktemp -d)
  cp fuzz/corpus/"$target"/* "$corpus"/
  build-fuzz/fuzz/fuzz_"$target" -max_total_time="$FUZZ_SECONDS" -max_len=65536 \
    -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 "$corpus" 2>&1 | tail -n 3
  rm -rf "$corpus"
done
echo "== all tests passed"

#!/usr/bin/env bash
# Fresh machine to first screening: installs dependencies, builds
# build/interdict and screens a few names against the bundled UN list.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build --target interdict

build/interdict lists show
for name in "Ayman al-Zawahiri" "Айман аз-Завахири" "أيمن الظواهري" \
            "Abu Bakr al-Baghdadi" "Jane Smith"; do
  echo
  build/interdict screen "$name" || [ $? -eq 4 ]   # 4 = alert
done

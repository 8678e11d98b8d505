#!/usr/bin/env bash
# Fresh machine to first screening: installs dependencies, builds
# build/interdict and screens a few names against the bundled UN list.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DINTERDICT_WERROR=OFF >/dev/null
cmake --build build --target interdict

build/interdict lists show
for name in "Ayman al-Zawahiri" "Айман аз-Завахири" "أيمن الظواهري" \
            "Abu Bakr al-Baghdadi" "Jane Smith"; do
  echo
  build/interdict screen "$name" || [ $? -eq 4 ]   # 4 = alert
done

# The same party on several lists is one alert with its sources.
echo
build/interdict screen "Ayman al-Zawahiri" --list data/un/consolidated.xml \
  --list tests/data/eu/eu_fsf.xml --list tests/data/uk/fcdo_sanctions_list.xml \
  --list tests/data/ofac/sdn.csv || [ $? -eq 4 ]

# Mentions in running text, with byte offsets.
echo
printf 'Reports say Ayman al-Zawahiri met leaders of al-Qaida and ISIL.\n' |
  build/interdict text - || [ $? -eq 4 ]

# A payment whose beneficiary is listed is held.
echo
build/interdict payment tests/data/payment/mt103_59_listed.txt || [ $? -eq 4 ]

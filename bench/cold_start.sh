#!/usr/bin/env bash
# Cold start: `eventwire code` on one short article, models loaded from disk, one process.
set -euo pipefail
cd "$(dirname "$0")/.."
article=$(mktemp --suffix=.txt)
trap 'rm -f "$article"' EXIT
printf 'Rebels attacked an army base near the town of Kidal on Monday, the army said.\n' > "$article"
for run in 1 2 3; do
  /usr/bin/time -f "run $run: %e s wall, %U s user, %M KB peak" .venv/bin/eventwire code "$article" > /dev/null
done

#!/usr/bin/env bash
# The test command: installs what is missing, then runs every test (make test).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh
exec make test

#!/usr/bin/env bash
# The first command: installs everything, builds the app (release) and starts it.
# Without a display it says so in one line and how to use the command line instead.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh
ui/node_modules/.bin/tauri build --no-bundle
cargo build --release --bin saraban
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "สารบรรณ: ไม่มีจอภาพ (DISPLAY) จึงเปิดหน้าต่างไม่ได้ — ใช้คำสั่ง target/release/saraban render tests/fixtures/jclair-specialists.json -o letter.pdf แทน หรือ xvfb-run target/release/saraban-app (no display: use the CLI, target/release/saraban --help)"
  exit 0
fi
exec target/release/saraban-app "$@"

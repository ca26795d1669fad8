#!/usr/bin/env bash
# The first command: installs everything, builds the app (release) and starts it.
# Without a display it says so in one line and how to use the command line instead.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh
# The app and the command line in one cargo run, so that the crates they share are built
# once (two runs, `tauri build` then the CLI, compiled many of them twice with other
# features). About 8 minutes the first time on two cores (with the rest of the set-up;
# measured in a fresh Debian 12, README); seconds afterwards.
echo "start: building the window's pages"
npm --prefix ui run --silent build
echo "start: building the app and the command line (release; the first time takes 5 to 10 minutes on two cores)"
cargo build --release -p saraban-app -p saraban --features saraban-app/custom-protocol
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "สารบรรณ: ไม่มีจอภาพ (DISPLAY) จึงเปิดหน้าต่างไม่ได้ — ใช้คำสั่ง target/release/saraban render tests/fixtures/jclair-specialists.json -o letter.pdf แทน หรือ xvfb-run target/release/saraban-app (no display: use the CLI, target/release/saraban --help)"
  exit 0
fi
exec target/release/saraban-app "$@"

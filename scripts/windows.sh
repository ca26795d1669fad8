#!/usr/bin/env bash
# Saraban for Windows, made on Debian (make windows / package-windows / test-windows).
#
# No Windows toolchain is reachable here, but Debian has one: Rust 1.96 with its library's
# source (rustc-web, cargo-web, rust-web-src) builds the standard library for
# x86_64-pc-windows-gnu itself (-Zbuild-std, allowed by RUSTC_BOOTSTRAP on this stable
# compiler), and MinGW-w64's gcc links. Nothing is downloaded but Debian packages and
# crates; no prebuilt binary from elsewhere.
#
#   bash scripts/windows.sh build     the CLI and the app: target/windows/x86_64-pc-windows-gnu/release/
#   bash scripts/windows.sh package   a per-user installer (NSIS): target/windows/Saraban-setup.exe
#   bash scripts/windows.sh test      the core's tests built for Windows, run under Wine
set -euo pipefail
cd "$(dirname "$0")/.."

TARGET=x86_64-pc-windows-gnu
export CARGO_TARGET_DIR="$PWD/target/windows"
OUT="$CARGO_TARGET_DIR/$TARGET/release"
step() { echo "windows: $*" >&2; }

need_packages() {
  local need=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
  done
  if [ ${#need[@]} -gt 0 ]; then
    step "installing Debian packages: ${need[*]}"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}"
  fi
}

# The Debian compiler, not the machine's rustup one (which has no Windows standard library).
toolchain() {
  need_packages rustc-web cargo-web rust-web-src gcc-mingw-w64-x86-64 g++-mingw-w64-x86-64
  export RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc RUSTC_BOOTSTRAP=1
  unset RUSTUP_TOOLCHAIN RUSTFLAGS
  export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc
  export CC_x86_64_pc_windows_gnu=x86_64-w64-mingw32-gcc
  export CXX_x86_64_pc_windows_gnu=x86_64-w64-mingw32-g++
  export AR_x86_64_pc_windows_gnu=x86_64-w64-mingw32-ar
  # Statically linked C runtime pieces: the .exe runs without MinGW's DLLs beside it.
  export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUSTFLAGS="-C target-feature=+crt-static"
  # No debug symbols in what is shipped (70 MB with them).
  export CARGO_PROFILE_RELEASE_STRIP=symbols
  CARGO=(/usr/bin/cargo)
  BUILD_STD=(-Zbuild-std=std,panic_abort --target "$TARGET")
}

# The shim Wine 8 needs (tests only, never shipped): Rust's standard library asks
# bcryptprimitives.dll for ProcessPrng, which Wine 8's lacks; this one answers it from
# BCryptGenRandom.
shim() {
  local dir="$CARGO_TARGET_DIR/wine-shim"
  mkdir -p "$dir"
  if [ ! -f "$dir/bcryptprimitives.dll" ] || [ scripts/windows/prng-shim.c -nt "$dir/bcryptprimitives.dll" ]; then
    x86_64-w64-mingw32-gcc -O2 -shared -o "$dir/bcryptprimitives.dll" \
      scripts/windows/prng-shim.c scripts/windows/prng-shim.def -lbcrypt
  fi
  echo "$dir/bcryptprimitives.dll"
}

wine_env() {
  need_packages wine64
  export WINEPREFIX="$CARGO_TARGET_DIR/wineprefix" WINEDEBUG=-all
  export WINEDLLOVERRIDES="bcryptprimitives=n,b;mscoree=;mshtml="
  WINE=/usr/lib/wine/wine64
  if [ ! -d "$WINEPREFIX/drive_c" ]; then
    step "making a Wine prefix in $WINEPREFIX"
    "$WINE" wineboot --init >/dev/null 2>&1 || true
  fi
}

build() {
  toolchain
  local t0=$SECONDS
  step "building the CLI for Windows (Debian's Rust $(/usr/bin/rustc --version | cut -d' ' -f2), -Zbuild-std)"
  "${CARGO[@]}" build --release "${BUILD_STD[@]}" --bin saraban
  step "the CLI: $OUT/saraban.exe ($(( SECONDS - t0 )) s)"
  [ "${SARABAN_WINDOWS_CLI_ONLY:-}" = 1 ] && return 0
  # The app: its pages built and embedded, on WebView2. Windows wants an .ico for the
  # program's resources: made from the app's PNG icon (ImageMagick), not kept in git.
  t0=$SECONDS
  step "building the app for Windows (Tauri on WebView2)"
  source scripts/env.sh
  npm --prefix ui run --silent build
  convert src-tauri/icons/icon.png -define icon:auto-resize=256,128,64,48,32,16 src-tauri/icons/icon.ico
  "${CARGO[@]}" build --release "${BUILD_STD[@]}" -p saraban-app --features saraban-app/custom-protocol
  step "the app: $OUT/saraban-app.exe ($(( SECONDS - t0 )) s)"
}

package() {
  build
  need_packages nsis fonts-tlwg-laksaman-ttf
  step "making the installer (NSIS)"
  local stage="$CARGO_TARGET_DIR/stage"
  rm -rf "$stage" && mkdir -p "$stage/fonts"
  cp "$OUT/saraban.exe" "$stage/"
  [ -f "$OUT/saraban-app.exe" ] && cp "$OUT/saraban-app.exe" "$stage/"
  cp /usr/share/fonts/truetype/tlwg/Laksaman.ttf /usr/share/fonts/truetype/tlwg/Laksaman-Bold.ttf "$stage/fonts/"
  makensis -V2 -INPUTCHARSET UTF8 -DSTAGE="$stage" -DOUTFILE="$CARGO_TARGET_DIR/Saraban-setup.exe" \
    -DVERSION="$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)" scripts/windows/installer.nsi
  step "the installer: $CARGO_TARGET_DIR/Saraban-setup.exe ($(du -h "$CARGO_TARGET_DIR/Saraban-setup.exe" | cut -f1))"
  # It installs and uninstalls silently, for the user alone (under Wine).
  local dll; dll=$(shim)
  wine_env
  local home
  "$WINE" "$CARGO_TARGET_DIR/Saraban-setup.exe" /S
  wineserver_wait
  home=$(ls -d "$WINEPREFIX"/drive_c/users/*/AppData/Local/Programs/Saraban 2>/dev/null | head -1)
  [ -n "$home" ] && [ -f "$home/saraban.exe" ] && [ -f "$home/fonts/Laksaman.ttf" ] \
    || { step "FAILED: the installer did not install saraban.exe and the font"; exit 1; }
  ls "$WINEPREFIX"/drive_c/users/*/AppData/Roaming/Microsoft/Windows/Start\ Menu/Programs/Saraban/*.lnk >/dev/null \
    || { step "FAILED: no Start-menu entry"; exit 1; }
  cp "$dll" "$home/"
  local v; v=$(cd "$home" && "$WINE" saraban.exe --version 2>/dev/null | tr -d '\r')
  # The installed CLI sets a letter with the font the installer put beside it.
  cp tests/fixtures/memo.json "$home/../memo.json"
  (cd "$home/.." && env -u SARABAN_FONT_DIR "$WINE" Saraban/saraban.exe render memo.json -o memo.pdf >/dev/null 2>&1)
  pdftotext "$home/../memo.pdf" - 2>/dev/null | grep -q "บันทึกข้อความ" \
    || { step "FAILED: the installed CLI did not render a letter with its own font"; exit 1; }
  rm -f "$home/bcryptprimitives.dll" "$home/../memo.json" "$home/../memo.pdf"
  step "installed under Wine in $home: $v; it renders a letter with the font beside it"
  "$WINE" "$home/uninstall.exe" /S
  wineserver_wait
  sleep 2
  [ ! -e "$home/saraban.exe" ] || { step "FAILED: the uninstaller left saraban.exe"; exit 1; }
  step "uninstalled: $(ls -A "$home" 2>/dev/null | wc -l) files left in $home"
}

# NSIS's uninstaller copies itself to a temporary folder and returns at once: wait for
# Wine's processes to end.
wineserver_wait() {
  /usr/lib/wine/wineserver -w 2>/dev/null || true
}

tests() {
  toolchain
  local t0=$SECONDS
  step "building the core's tests for Windows"
  # The crates below the office, and the office's own library tests: what runs without a
  # server (the tests that start PostgreSQL, mail servers or the app need Linux's).
  local crates=(saraban-thai saraban-model saraban-typeset saraban-pdf saraban-docx saraban-register saraban-sign)
  local args=()
  for c in "${crates[@]}"; do args+=(-p "$c"); done
  "${CARGO[@]}" test --release "${BUILD_STD[@]}" "${args[@]}" -p saraban --lib --no-run \
    --message-format=json 2>/dev/null | python3 -c '
import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m.get("executable") and m.get("profile", {}).get("test"):
        print(m["target"]["name"] + "\t" + m["executable"])
' > "$CARGO_TARGET_DIR/test-binaries.txt"
  step "built in $(( SECONDS - t0 )) s; running them under Wine"
  local dll; dll=$(shim)
  wine_env
  local pass=0 fail=0 total_failed=()
  while IFS=$'\t' read -r name exe; do
    cp "$dll" "$(dirname "$exe")/"
    local log="$CARGO_TARGET_DIR/wine-$name.log"
    if (cd "$(dirname "$exe")" && SARABAN_FONT_DIR="Z:\\usr\\share\\fonts\\truetype\\tlwg" timeout 900 "$WINE" "$exe" --test-threads=2 >"$log" 2>&1); then :; fi
    local line; line=$(grep -a "^test result:" "$log" | tail -1 || true)
    echo "  $name: ${line:-no result (see $log)}"
    local p f
    p=$(sed -n 's/.* \([0-9]*\) passed.*/\1/p' <<<"$line"); f=$(sed -n 's/.* \([0-9]*\) failed.*/\1/p' <<<"$line")
    pass=$(( pass + ${p:-0} )); fail=$(( fail + ${f:-0} ))
    grep -a "^test .* FAILED$" "$log" | sed "s/^/    /" || true
  done < "$CARGO_TARGET_DIR/test-binaries.txt"
  step "under Wine: $pass passed, $fail failed ($(( SECONDS - t0 )) s in all)"
  [ "$fail" -eq 0 ]
}

case "${1:-build}" in
  build) build ;;
  package) package ;;
  test) tests ;;
  *) echo "usage: bash scripts/windows.sh build|package|test" >&2; exit 2 ;;
esac

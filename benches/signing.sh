#!/usr/bin/env bash
# Times signing and verifying with farm-bench, each run a fresh release process, against a
# throw-away authority on loopback (openssl: the root, the signer's PKCS #12 file, an OCSP
# responder, a time-stamp authority behind a small HTTP server): issuing alone; issuing and
# signing at B-B (no time-stamp); issuing and signing at B-LT (time-stamp, OCSP answers in
# the DSS); verifying a B-LT letter; verifying a 300 dpi scan of a printed page by its QR
# code. Run from the repository: bash benches/signing.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build -q --release --bin saraban
B=$PWD/target/release/saraban
W=$(mktemp -d)
cd $W
export SARABAN_KEYS=$W/keys SARABAN_SIGN_PASSWORD=bench-pw
OCSP_PORT=$(python3 -c "import socket;s=socket.socket();s.bind(('127.0.0.1',0));print(s.getsockname()[1])")
mkdir newcerts && touch index.txt && echo 1000 > serial && echo 01 > tsaserial
cat > ca.cnf <<CNF
[ ca ]
default_ca = CA_default
[ CA_default ]
dir = .
database = index.txt
new_certs_dir = newcerts
serial = serial
default_md = sha256
policy = policy_any
unique_subject = no
default_days = 30
[ policy_any ]
commonName = supplied
[ signer_ext ]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature, nonRepudiation
authorityInfoAccess = OCSP;URI:http://127.0.0.1:$OCSP_PORT/
[ ocsp_ext ]
keyUsage = critical, digitalSignature
extendedKeyUsage = critical, OCSPSigning
noCheck = ignored
[ tsa_ext ]
keyUsage = critical, digitalSignature, nonRepudiation
extendedKeyUsage = critical, timeStamping
[ tsa ]
default_tsa = tsa1
[ tsa1 ]
dir = .
serial = tsaserial
crypto_device = builtin
signer_cert = tsa.crt
certs = ca.crt
signer_key = tsa.key
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256
accuracy = secs:1
ess_cert_id_alg = sha256
CNF
q() { "$@" >/dev/null 2>&1; }
q openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 30 -subj "/CN=Bench Root"
for n in signer ocsp tsa; do
  q openssl req -new -newkey rsa:2048 -nodes -keyout $n.key -out $n.csr -subj "/CN=Bench $n"
  q openssl ca -batch -notext -config ca.cnf -cert ca.crt -keyfile ca.key -in $n.csr -out $n.crt -extensions ${n/signer/signer}_ext
done
q openssl pkcs12 -export -inkey signer.key -in signer.crt -certfile ca.crt -out signer.p12 -passout pass:bench-pw
openssl ocsp -index index.txt -port $OCSP_PORT -rsigner ocsp.crt -rkey ocsp.key -CA ca.crt -ndays 1 -ignore_err >/dev/null 2>&1 &
OCSP=$!
cat > tsa.py <<'PY'
import http.server, subprocess, sys, tempfile, os
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        with tempfile.TemporaryDirectory() as d:
            open(f"{d}/q", "wb").write(body)
            subprocess.run(["openssl", "ts", "-reply", "-config", "ca.cnf", "-queryfile", f"{d}/q", "-out", f"{d}/r"], capture_output=True)
            out = open(f"{d}/r", "rb").read()
        self.send_response(200); self.send_header("Content-Type", "application/timestamp-reply")
        self.send_header("Content-Length", str(len(out))); self.end_headers(); self.wfile.write(out)
    def log_message(self, *a): pass
s = http.server.HTTPServer(("127.0.0.1", 0), H)
print(s.server_address[1], flush=True)
s.serve_forever()
PY
coproc TSA { python3 tsa.py; }
read -r TSA_PORT <&"${TSA[0]}"
sleep 0.5
$B --db r.sqlite init >/dev/null
$B --db r.sqlite trust add ca.crt >/dev/null
python3 - <<'PY'
import json
l = json.load(open(__import__("os").environ["OLDPWD"] + "/tests/fixtures/jclair-specialists.json"))
json.dump(l, open("letter.json", "w"), ensure_ascii=False)
PY
cat > issue.sh <<SH
#!/usr/bin/env bash
$B --db $W/r.sqlite issue $W/letter.json --json >/dev/null
SH
cat > issue-sign-bb.sh <<SH
#!/usr/bin/env bash
id=\$($B --db $W/r.sqlite issue $W/letter.json --json | python3 -c "import json,sys;print(json.load(sys.stdin)['id'])")
$B --db $W/r.sqlite sign \$id --p12 $W/signer.p12 >/dev/null 2>&1
SH
cat > issue-sign-blt.sh <<SH
#!/usr/bin/env bash
id=\$($B --db $W/r.sqlite issue $W/letter.json --json | python3 -c "import json,sys;print(json.load(sys.stdin)['id'])")
$B --db $W/r.sqlite sign \$id --p12 $W/signer.p12 --tsa http://127.0.0.1:$TSA_PORT/ -o $W/blt.pdf --json | grep -q '"B-LT"'
SH
chmod +x *.sh
./issue-sign-blt.sh
pages=$(pdfinfo blt.pdf | awk '/^Pages:/{print $2}')
pdftoppm -r 300 -png -singlefile -f $pages -l $pages blt.pdf page
cat > verify-pdf.sh <<SH
#!/usr/bin/env bash
$B --db $W/r.sqlite verify $W/blt.pdf >/dev/null
SH
cat > verify-png.sh <<SH
#!/usr/bin/env bash
$B --db $W/r.sqlite verify $W/page.png >/dev/null
SH
chmod +x *.sh
echo "== issue alone vs issue + sign B-B (PKCS #12, RSA 2048)"
farm-bench -n 5 --timeout 300 -- $W/issue.sh
farm-bench -n 5 --timeout 300 -- $W/issue-sign-bb.sh
echo "== issue + sign B-LT (time-stamp and OCSP on loopback)"
farm-bench -n 5 --timeout 300 -- $W/issue-sign-blt.sh
echo "== verify a B-LT letter (offline) / a 300 dpi scan of its printed page"
farm-bench -n 5 --timeout 300 -- $W/verify-pdf.sh
farm-bench -n 5 --timeout 300 -- $W/verify-png.sh
kill $OCSP "$TSA_PID" 2>/dev/null || true

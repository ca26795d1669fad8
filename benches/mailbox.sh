#!/usr/bin/env bash
# Times the mailbox's CLI against the tests' mail servers (examples/mail_servers: Postfix
# and Dovecot on loopback with TLS; needs root, as Postfix does) with farm-bench, each run
# a fresh release process: issuing alone, issuing and sending to one recipient (STARTTLS,
# login, the message), a fetch with nothing new (TLS, login, select, search), and issue +
# send + the fetch that takes it. Run from the repository: bash benches/mailbox.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build -q --release --bin saraban
cargo build -q --example mail_servers
B=$PWD/target/release/saraban
W=$(mktemp -d)
coproc SERVERS { ./target/debug/examples/mail_servers --serve saraban@a.test saraban@b.test; }
read -r line <&"${SERVERS[0]}"
echo "$line" > $W/servers.json
SMTP=$(python3 -c "import json;print(json.load(open('$W/servers.json'))['smtp'])")
IMAPS=$(python3 -c "import json;print(json.load(open('$W/servers.json'))['imaps'])")
CA=$(python3 -c "import json;print(json.load(open('$W/servers.json'))['ca'])")
export SARABAN_MAIL_PASSWORD=saraban-test-pw
for o in a b; do
  SARABAN_MAIL_SECRETS=$W/$o.json $B --db $W/$o.sqlite init >/dev/null
  echo "{\"agency\": \"office $o\", \"units\": [{\"name\": \"u\", \"prefix\": \"ทส ๐๐๐๑\"}]}" > $W/$o-profile.json
  SARABAN_MAIL_SECRETS=$W/$o.json $B --db $W/$o.sqlite profile set $W/$o-profile.json >/dev/null
  SARABAN_MAIL_SECRETS=$W/$o.json $B --db $W/$o.sqlite mailbox set --address saraban@$o.test --smtp smtp://127.0.0.1:$SMTP --imap imaps://127.0.0.1:$IMAPS --pin-cert $CA >/dev/null
done
python3 - "$W" <<'PY'
import json,sys
l=json.load(open('tests/fixtures/jclair-specialists.json'))
l['recipient']='saraban@b.test'
json.dump(l,open(sys.argv[1]+'/letter.json','w'),ensure_ascii=False)
PY
cat > $W/issue-send.sh <<SH
#!/usr/bin/env bash
id=\$(SARABAN_MAIL_SECRETS=$W/a.json $B --db $W/a.sqlite issue $W/letter.json --json | python3 -c "import json,sys;print(json.load(sys.stdin)['id'])")
SARABAN_MAIL_SECRETS=$W/a.json $B --db $W/a.sqlite send \$id --to saraban@b.test >/dev/null
SH
cat > $W/issue.sh <<SH
#!/usr/bin/env bash
SARABAN_MAIL_SECRETS=$W/a.json $B --db $W/a.sqlite issue $W/letter.json --json >/dev/null
SH
cat > $W/fetch.sh <<SH
#!/usr/bin/env bash
SARABAN_MAIL_SECRETS=$W/b.json $B --db $W/b.sqlite fetch >/dev/null
SH
chmod +x $W/*.sh
echo "== issue alone vs issue + send (one recipient)"
farm-bench -n 5 --timeout 300 -- $W/issue.sh
farm-bench -n 5 --timeout 300 -- $W/issue-send.sh
echo "== fetch with nothing new (the warm-up run takes what the sends left)"
farm-bench -n 5 --timeout 300 -- $W/fetch.sh
cat > $W/send-fetch.sh <<SH
#!/usr/bin/env bash
$W/issue-send.sh && $W/fetch.sh
SH
chmod +x $W/send-fetch.sh
echo "== issue + send + fetch of that one letter"
farm-bench -n 5 --timeout 300 -- $W/send-fetch.sh
echo quit >&"${SERVERS[1]}"
wait

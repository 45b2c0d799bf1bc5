#!/bin/sh
# t0860: what a content rule sees of text that is not plain UTF-8 with LF:
# files that start with a UTF-16 BOM (Windows PowerShell 5's ">", regedit,
# many Windows editors) are decoded and checked as text, with the same
# added-lines semantics, line numbers, redaction and allow comments; UTF-16
# without a BOM, and UTF-32, stay binary. A line that differs only by the
# CR of its CRLF is not added: converting line endings adds nothing. Keys
# are made up at run time.
. "$(dirname "$0")/../lib/test-lib.sh"

UPPER=ABCDEFGHIJKLMNOPQRSTUVWXYZ234567
AKID=$(gen_key AKIA 16 $UPPER 31)
AKID2=$(gen_key AKIA 16 $UPPER 32)
GHP=$(gen_key ghp_ 36 ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 33)

# u16 le|be FILE: stdin (UTF-8) written as UTF-16 with a BOM
u16() {
	case $1 in
	le) printf "\377\376" && iconv -f UTF-8 -t UTF-16LE ;;
	be) printf "\376\377" && iconv -f UTF-8 -t UTF-16BE ;;
	esac >"$2"
}

short() { git rev-parse --short=12 "$1"; }

# ps1 FILE LINE...: a PowerShell script of LINEs, as PowerShell 5's ">" writes it (UTF-16LE, CRLF)
ps1() {
	f=$1 && shift &&
	for l in "$@"; do printf "%s\r\n" "$l"; done | u16 le "$f"
}

test_expect_success 'a key in a UTF-16LE file (BOM) blocks the commit, at its line, redacted' '
	new_repo r1 && cd r1 &&
	echo base >README && git add README && git commit -qm base && git branch base &&
	before=$(git rev-parse HEAD) &&
	ps1 config.ps1 "# deploy settings" "\$env:AWS_REGION = \"eu-west-1\"" "\$env:AWS_ACCESS_KEY_ID = \"$AKID\"" &&
	git add config.ps1 && expect_code 1 git commit -qm "add config" &&
	test "$(git rev-parse HEAD)" = "$before" &&
	contains "$TRASH/stderr" "error[secrets.aws-access-key-id] config.ps1:3: AWS access key ID: \$env:AWS_ACCESS_KEY_ID = \"AKIA****" &&
	test "$(grep -c "error\[" "$TRASH/stderr")" = 1 &&
	lacks "$TRASH/stderr" "$AKID" &&
	lacks "$TRASH/stderr" "binary"
'

test_expect_success 'json names the same line, never the key' '
	cd r1 &&
	expect_code 1 "$RG" pre-commit --format json &&
	contains "$TRASH/stdout" "\"line\": 3" &&
	lacks "$TRASH/stdout" "$AKID"
'

test_expect_success 'UTF-16BE with a BOM: a token in a .reg file is found' '
	cd r1 && git reset -q --hard &&
	printf "Windows Registry Editor Version 5.00\r\n\r\n[HKEY_CURRENT_USER\\\\Software\\\\Tool]\r\n\"Token\"=\"%s\"\r\n" "$GHP" |
		u16 be tool.reg &&
	git add tool.reg && expect_code 1 git commit -qm reg &&
	contains "$TRASH/stderr" "error[secrets.github-token] tool.reg:4:" &&
	lacks "$TRASH/stderr" "$GHP"
'

test_expect_success 'a clean UTF-16 file passes, without a skip note' '
	cd r1 && git reset -q --hard &&
	ps1 clean.ps1 "Write-Host \"hello\"" "\$x = 1" &&
	git add clean.ps1 && git commit -qm clean 2>err &&
	lacks err "skipped" && lacks err "error["
'

test_expect_success 'only added lines count: an unrelated line added to a UTF-16 file with old debt passes' '
	new_repo r2 && cd r2 &&
	ps1 app.ps1 "\$a = 1" "\$key = \"$AKID\"" "\$b = 2" &&
	git add app.ps1 && git commit -qm "old debt" --no-verify && git branch base &&
	ps1 app.ps1 "\$a = 1" "\$key = \"$AKID\"" "\$b = 2" "\$c = 3" &&
	git add app.ps1 && git commit -qm "unrelated line" &&
	ps1 app.ps1 "\$a = 10" "\$key = \"$AKID\"" "\$b = 2" "\$c = 3" &&
	git add app.ps1 && git commit -qm "edit another line"
'

test_expect_success 'a key added to a UTF-16 file with old debt: exactly that line' '
	cd r2 &&
	ps1 app.ps1 "\$a = 10" "\$key = \"$AKID\"" "\$b = 2" "\$c = 3" "\$d = \"$AKID2\"" &&
	git add app.ps1 && expect_code 1 git commit -qm "new key" &&
	contains "$TRASH/stderr" "error[secrets.aws-access-key-id] app.ps1:5:" &&
	test "$(grep -c "error\[" "$TRASH/stderr")" = 1
'

test_expect_success 'ci over the range: only the commit that added the key, at its line' '
	cd r2 && git commit -qm "new key" --no-verify && leak=$(short HEAD) &&
	ps1 app.ps1 "\$a = 10" "\$key = \"$AKID\"" "\$b = 2" "\$c = 3" "\$d = \"$AKID2\"" "\$e = 5" &&
	git add app.ps1 && git commit -qm more &&
	expect_code 1 "$RG" ci --base base --head HEAD &&
	contains "$TRASH/stdout" "error[secrets.aws-access-key-id] $leak:app.ps1:5:" &&
	test "$(grep -c "error\[" "$TRASH/stdout")" = 1 &&
	lacks "$TRASH/stdout" "$AKID2"
'

test_expect_success 're-saving a UTF-8 file as UTF-16 adds no line' '
	new_repo r3 && cd r3 &&
	printf "a = 1\r\nkey = %s\r\n" "$AKID" >settings.ini &&
	git add settings.ini && git commit -qm "old debt" --no-verify && git branch base &&
	iconv -f UTF-8 -t UTF-16LE settings.ini >tmp && { printf "\377\376"; cat tmp; } >settings.ini && rm tmp &&
	git add settings.ini && git commit -qm "save as UTF-16" &&
	expect_code 0 "$RG" ci --base base --head HEAD
'

test_expect_success 'a UTF-16 file renamed with an edit adds only the edit' '
	cd r3 &&
	for i in 1 2 3 4 5 6 7 8 9 10 11 12; do printf "line %s\r\n" $i; done >"$TRASH/lines" &&
	{ cat "$TRASH/lines"; printf "key = %s\r\n" "$AKID"; } | u16 le big.ini &&
	git add big.ini && git commit -qm "more debt" --no-verify &&
	git mv big.ini moved.ini &&
	{ cat "$TRASH/lines"; printf "key = %s\r\nend = 1\r\n" "$AKID"; } | u16 le moved.ini &&
	git add moved.ini && git commit -qm "rename with an edit" &&
	{ cat "$TRASH/lines"; printf "key = %s\r\nend = 1\r\nnew = %s\r\n" "$AKID" "$AKID2"; } | u16 le moved.ini &&
	git add moved.ini && expect_code 1 git commit -qm "a key" &&
	contains "$TRASH/stderr" "error[secrets.aws-access-key-id] moved.ini:15:" &&
	test "$(grep -c "error\[" "$TRASH/stderr")" = 1
'

test_expect_success 'a repoguard:allow comment in a UTF-16 file is honoured and counted' '
	new_repo r4 && cd r4 &&
	ps1 fixture.ps1 "# test data" "\$id = \"$AKID\" # repoguard:allow secrets.aws-access-key-id" &&
	git add fixture.ps1 && git commit -qm fixture 2>err &&
	contains err "1 finding allowed by repoguard:allow comments: secrets.aws-access-key-id at fixture.ps1:2" &&
	ps1 fixture.ps1 "# test data" "\$id = \"$AKID\" # repoguard:allow secrets.aws-access-key-id" \
		"\$other = \"$AKID2\" # repoguard:allow secrets.jwt" &&
	git add fixture.ps1 && expect_code 1 git commit -qm "wrong id" &&
	contains "$TRASH/stderr" "error[secrets.aws-access-key-id] fixture.ps1:3:"
'

test_expect_success 'a [content.NAME] rule and a conflict marker in a UTF-16 file' '
	new_repo r5 && cd r5 &&
	printf "[content.no-demo-tenant]\npattern = tenant_id\\\\s*=\\\\s*\"demo\"\nmessage = no demo tenant\n" >.repoguard.ini &&
	git add .repoguard.ini && git commit -qm rules &&
	ps1 t.ps1 "\$ok = 1" "\$tenant_id = \"demo\"" "<<<<<<< HEAD" &&
	git add t.ps1 && expect_code 1 git commit -qm t &&
	contains "$TRASH/stderr" "error[content.no-demo-tenant] t.ps1:2:" &&
	contains "$TRASH/stderr" "error[conflict] t.ps1:3:"
'

test_expect_success 'UTF-16 without a BOM, and UTF-32, stay binary: skipped with the note' '
	new_repo r6 && cd r6 &&
	printf "key = %s\r\n" "$AKID" | iconv -f UTF-8 -t UTF-16LE >nobom.ps1 &&
	printf "key = %s\r\n" "$AKID" | iconv -f UTF-8 -t UTF-32 >wide.txt &&
	od -An -tx1 wide.txt | head -n 1 | grep -q "ff fe 00 00" &&
	git add nobom.ps1 wide.txt && git commit -qm binary 2>err &&
	contains err "content checks skipped 2 binary files: nobom.ps1, wide.txt" &&
	lacks err "error["
'

test_expect_success 'an unpaired surrogate is U+FFFD: no error, the next line still checked' '
	new_repo r7 && cd r7 &&
	{ printf "\377\376" && printf "x\000\000\330=\000\r\000\n\000" &&
	  printf "key = %s\r\n" "$AKID" | iconv -f UTF-8 -t UTF-16LE && printf "\000\334"; } >odd.ini &&
	git add odd.ini && expect_code 1 git commit -qm odd &&
	contains "$TRASH/stderr" "error[secrets.aws-access-key-id] odd.ini:2:" &&
	test "$(grep -c "error\[" "$TRASH/stderr")" = 1
'

test_expect_success 'a merge keeps what its other parent added to a UTF-16 file: reported once, at its commit' '
	new_repo r8 && cd r8 &&
	ps1 m.ps1 "\$a = 1" "\$b = 2" "\$c = 3" "\$d = 4" "\$e = 5" "\$f = 6" &&
	git add m.ps1 && git commit -qm base && git branch base &&
	git checkout -qb side &&
	ps1 m.ps1 "\$a = 1" "\$b = 2" "\$c = 3" "\$d = 4" "\$e = 5" "\$f = 6" "\$key = \"$AKID\"" &&
	git commit -qam "side: a key" --no-verify && leak=$(short HEAD) &&
	git checkout -q main &&
	ps1 m.ps1 "\$a = 10" "\$b = 2" "\$c = 3" "\$d = 4" "\$e = 5" "\$f = 6" &&
	git commit -qam "main: an edit" &&
	ps1 m.ps1 "\$a = 10" "\$b = 2" "\$c = 3" "\$d = 4" "\$e = 5" "\$f = 6" "\$key = \"$AKID\"" &&
	{ git merge -q --no-verify side 2>/dev/null || true; } &&
	ps1 m.ps1 "\$a = 10" "\$b = 2" "\$c = 3" "\$d = 4" "\$e = 5" "\$f = 6" "\$key = \"$AKID\"" &&
	git add m.ps1 && git commit -qm merge --no-verify &&
	test "$(git rev-list --parents -n 1 HEAD | wc -w)" = 3 &&
	expect_code 1 "$RG" ci --base base --head HEAD &&
	contains "$TRASH/stdout" "error[secrets.aws-access-key-id] $leak:m.ps1:7:" &&
	test "$(grep -c "error\[" "$TRASH/stdout")" = 1
'

test_expect_success 'audit reads a UTF-16 file whole' '
	cd r2 &&
	expect_code 1 "$RG" audit &&
	contains "$TRASH/stdout" "error[secrets.aws-access-key-id] app.ps1:2:" &&
	contains "$TRASH/stdout" "error[secrets.aws-access-key-id] app.ps1:5:" &&
	lacks "$TRASH/stdout" "$AKID"
'

# legacy REPO: a CRLF file with old debt (a conflict marker, a [content.NAME]
# match, a key), committed past the hooks; branch debt is that commit
legacy() {
	new_repo "$1" && cd "$1" &&
	printf "[content.no-demo-tenant]\npattern = tenant_id\\\\s*=\\\\s*\"demo\"\nmessage = no demo tenant\n" >.repoguard.ini &&
	git add .repoguard.ini && git commit -qm rules &&
	printf "a = 1\r\n<<<<<<< HEAD\r\ntenant_id = \"demo\"\r\nkey = %s\r\nb = 2\r\n" "$AKID" >legacy.cfg &&
	git add legacy.cfg && git commit -qm debt --no-verify && git branch debt
}

test_expect_success 'CRLF to LF: lines that lost only their CR are not added, old debt does not block' '
	legacy crlf1 &&
	tr -d "\r" <legacy.cfg >tmp && mv tmp legacy.cfg && git add legacy.cfg &&
	test "$(git diff --cached --numstat | cut -f1)" = 5 &&
	expect_code 0 "$RG" pre-commit &&
	git commit -qm "LF line endings" 2>err && lacks err "error[" &&
	expect_code 0 "$RG" ci --base debt --head HEAD
'

test_expect_success 'LF back to CRLF adds nothing either' '
	cd crlf1 &&
	sed "s/\$/\r/" legacy.cfg >tmp && mv tmp legacy.cfg && git add legacy.cfg &&
	git commit -qm "CRLF again" 2>err && lacks err "error[" &&
	expect_code 0 "$RG" ci --base debt --head HEAD
'

test_expect_success 'converted and edited: exactly the new line, at its line number' '
	legacy crlf2 &&
	printf "a = 1\n<<<<<<< HEAD\ntenant_id = \"demo\"\nkey = %s\nb = 2\ntenant_id = \"demo\"\n" "$AKID" >legacy.cfg &&
	git add legacy.cfg && expect_code 1 git commit -qm "LF and a line" &&
	contains "$TRASH/stderr" "error[content.no-demo-tenant] legacy.cfg:6:" &&
	test "$(grep -c "error\[" "$TRASH/stderr")" = 1 &&
	printf "a = 1\n<<<<<<< HEAD\nsecret_key = %s\ntenant_id = \"demo\"\nkey = %s\nb = 2\n" "$AKID2" "$AKID" >legacy.cfg &&
	git add legacy.cfg && expect_code 1 git commit -qm "LF and a key" &&
	contains "$TRASH/stderr" "error[secrets.aws-access-key-id] legacy.cfg:3:" &&
	test "$(grep -c "error\[" "$TRASH/stderr")" = 1 &&
	lacks "$TRASH/stderr" "$AKID2"
'

test_expect_success 'ci over conversions both ways: only the line a commit adds' '
	cd crlf2 &&
	git commit -qm "LF and a key" --no-verify && leak=$(short HEAD) &&
	sed "s/\$/\r/" legacy.cfg >tmp && mv tmp legacy.cfg && echo "c = 3" >>legacy.cfg &&
	git add legacy.cfg && git commit -qm "CRLF again, one line more" &&
	expect_code 1 "$RG" ci --base debt --head HEAD &&
	contains "$TRASH/stdout" "error[secrets.aws-access-key-id] $leak:legacy.cfg:3:" &&
	test "$(grep -c "error\[" "$TRASH/stdout")" = 1
'

test_expect_success 'a line that changes more than its CR is still added' '
	legacy crlf3 &&
	printf "a = 1\n<<<<<<< HEAD  \ntenant_id = \"demo\"\nkey = %s\nb = 2\n" "$AKID" >legacy.cfg &&
	git add legacy.cfg && expect_code 1 "$RG" pre-commit &&
	contains "$TRASH/stderr" "error[conflict] legacy.cfg:2:" &&
	test "$(grep -c "error\[" "$TRASH/stderr")" = 1
'

test_expect_success 'a UTF-16 file converted from CRLF to LF adds nothing' '
	new_repo crlf4 && cd crlf4 &&
	printf "a = 1\r\nkey = %s\r\n" "$AKID" | u16 le w.ps1 &&
	git add w.ps1 && git commit -qm debt --no-verify &&
	printf "a = 1\nkey = %s\n" "$AKID" | u16 le w.ps1 &&
	git add w.ps1 && git commit -qm "LF" 2>err && lacks err "error["
'

test_expect_success 'a UTF-8 BOM is not part of line 1: anchored rules still see the line' '
	new_repo bom8 && cd bom8 &&
	echo base >README && git add README && git commit -qm base &&
	printf "\357\273\277DB_PASSWORD=s3cr3tP4ss99x\nhost=db\n" >app.properties &&
	printf "\357\273\277password: Xk9#mQ2vLp\n" >settings.yml &&
	printf "\357\273\277-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n" >id.pem &&
	git add app.properties settings.yml id.pem && expect_code 1 git commit -qm "BOM files" &&
	contains "$TRASH/stderr" "error[secrets.generic-password] app.properties:1: hard-coded password or secret: DB_PASSWORD=s3**" &&
	contains "$TRASH/stderr" "error[secrets.generic-password] settings.yml:1:" &&
	contains "$TRASH/stderr" "error[secrets.private-key] id.pem:1: private key: ----" &&
	lacks "$TRASH/stderr" "s3cr3tP4ss99x" &&
	test "$(grep -c "error\[" "$TRASH/stderr")" = 3
'

test_expect_success 'adding a UTF-8 BOM to a file adds no line' '
	cd bom8 && git commit -qm debt --no-verify &&
	tail -c +4 app.properties >tmp && mv tmp app.properties &&
	git add app.properties && git commit -qm "no BOM" 2>err && lacks err "error[" &&
	{ printf "\357\273\277" && cat app.properties; } >tmp && mv tmp app.properties &&
	git add app.properties && git commit -qm "BOM again" 2>err && lacks err "error["
'

test_done

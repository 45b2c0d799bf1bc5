#!/bin/sh
# t0340: --format sarif (validated against the SARIF 2.1.0 schema) and
# --format github (workflow commands) on a range with every kind of finding.
. "$(dirname "$0")/../lib/test-lib.sh"

VALIDATE="python3 $SRC_DIR/tests/lib/sarif-validate.py"

commit() { git add -A && git commit -qm "$1" --no-verify; }

test_expect_success 'setup: a branch with directory, file, deleted-path and path-less findings' '
	git init -q r && cd r &&
	printf "[protect]\npaths = keep.txt\n\n[bulk]\nmax_added_files = 30\n" >.repoguard.ini &&
	echo keep >keep.txt && echo base >README && commit base &&
	git checkout -qb feature &&
	mkdir -p node_modules/a && echo x >node_modules/a/x.js && commit "dir finding" &&
	head -c 6000000 /dev/zero >"big,x:y%.bin" && commit "file finding" &&
	git rm -q keep.txt && git commit -qm "deleted path" --no-verify &&
	mkdir many && for i in $(seq 1 31); do echo $i >many/f$i; done && commit "path-less finding" &&
	mkdir -p "sp ace/node_modules" "$(printf "\303\274")/node_modules" "$(printf "\377")/node_modules" &&
	echo 1 >"sp ace/node_modules/x" && echo 2 >"$(printf "\303\274")/node_modules/y" &&
	echo 3 >"$(printf "\377")/node_modules/z" && commit "odd names" &&
	git checkout -q main
'

test_expect_success 'sarif output is valid SARIF 2.1.0 with a file location for every result' '
	cd r &&
	expect_code 1 "$RG" ci --base main --head feature --format sarif &&
	cp "$TRASH/stdout" "$TRASH/one.sarif" &&
	$VALIDATE "$TRASH/one.sarif" >v && contains v "valid SARIF 2.1.0: 7 results" &&
	contains "$TRASH/one.sarif" "\"uri\": \"big,x%3Ay%25.bin\"" &&
	contains "$TRASH/one.sarif" "\"uri\": \".gitignore\"" &&
	contains "$TRASH/one.sarif" "\"uri\": \"keep.txt\"" &&
	contains "$TRASH/one.sarif" "\"uri\": \".repoguard.ini\"" &&
	contains "$TRASH/one.sarif" "\"path\": \"sp ace/node_modules\"" &&
	contains "$TRASH/one.sarif" "\"id\": \"block\"" &&
	contains "$TRASH/one.sarif" "\"startLine\": 1"
'

test_expect_success 'the validator rejects broken SARIF (the check can fail)' '
	sed "s/\"version\": \"2.1.0\"/\"version\": \"2.0\"/" "$TRASH/one.sarif" >bad1.sarif &&
	expect_code 1 $VALIDATE bad1.sarif &&
	sed "s/\"uri\": \"keep.txt\"/\"uri\": \"dir\/\"/" "$TRASH/one.sarif" >bad2.sarif &&
	expect_code 1 $VALIDATE bad2.sarif &&
	sed "s/\"level\": \"error\"/\"level\": \"fatal\"/" "$TRASH/one.sarif" >bad3.sarif &&
	expect_code 1 $VALIDATE bad3.sarif
'

test_expect_success 'fingerprints are stable across runs and across a rebase' '
	cd r &&
	expect_code 1 "$RG" ci --base main --head feature --format sarif &&
	cmp "$TRASH/stdout" "$TRASH/one.sarif" &&
	grep -o "\"repoguard/v1\": \"[0-9a-f]*\"" "$TRASH/one.sarif" | sort >"$TRASH/fp1" &&
	test "$(sort -u "$TRASH/fp1" | wc -l)" = 7 &&
	git checkout -q -b moved main && echo more >more && commit "main moves on" &&
	git checkout -q -b feature2 feature && git rebase -q moved &&
	test "$(git rev-parse feature2~1)" != "$(git rev-parse feature~1)" &&
	expect_code 1 "$RG" ci --base moved --head feature2 --format sarif &&
	grep -o "\"repoguard/v1\": \"[0-9a-f]*\"" "$TRASH/stdout" | sort >"$TRASH/fp2" &&
	cmp "$TRASH/fp1" "$TRASH/fp2" &&
	git checkout -q main
'

test_expect_success 'a clean range is a valid SARIF log with no results' '
	cd r && "$RG" ci --base main --head main --format sarif >clean.sarif &&
	$VALIDATE clean.sarif >v && contains v "0 results"
'

test_expect_success 'sarif: notes (REPOGUARD_SKIP) are the invocation'"'"'s toolExecutionNotifications' '
	cd r &&
	expect_code 1 "$RG" ci --base main --head feature --format sarif &&
	python3 -c "
import json, sys
inv = json.load(open(sys.argv[1]))[\"runs\"][0][\"invocations\"]
assert len(inv) == 1 and inv[0][\"executionSuccessful\"] is True, inv
texts = [n[\"message\"][\"text\"] for n in inv[0][\"toolExecutionNotifications\"]]
assert texts == [\"content checks skipped 1 binary file: big,x:y%.bin\"], texts
" "$TRASH/stdout" &&
	REPOGUARD_SKIP=block,secrets.github-token expect_code 1 "$RG" ci --base main --head feature --format sarif &&
	$VALIDATE "$TRASH/stdout" >v && contains v "valid SARIF 2.1.0: 3 results" &&
	python3 -c "
import json, sys
inv = json.load(open(sys.argv[1]))[\"runs\"][0][\"invocations\"]
assert len(inv) == 1 and inv[0][\"executionSuccessful\"] is True, inv
notes = inv[0][\"toolExecutionNotifications\"]
assert {\"message\": {\"text\": \"skipped by REPOGUARD_SKIP: secrets.github-token\"}, \"level\": \"note\"} in notes, notes
assert {\"message\": {\"text\": \"skipped by REPOGUARD_SKIP: block\"}, \"level\": \"note\"} in notes, notes
" "$TRASH/stdout"
'

test_expect_success 'github: workflow commands with the toolkit escaping' '
	cd r &&
	expect_code 1 "$RG" ci --base main --head feature --format github &&
	contains "$TRASH/stdout" "::error file=big%2Cx%3Ay%25.bin,line=1,title=repoguard size::big,x:y%25.bin: " &&
	contains "$TRASH/stdout" "::error file=.gitignore,line=1,title=repoguard block::node_modules/: 1 file" &&
	contains "$TRASH/stdout" "%0Afix:%0A" &&
	contains "$TRASH/stdout" "repoguard ci: 7 errors, 0 warnings" &&
	test "$(grep -c "^::error " "$TRASH/stdout")" = 7
'

test_expect_success 'github: only the first 10 errors are annotations, then a summary' '
	git init -q g && cd g && echo a >a && commit a && git checkout -qb pr &&
	for i in $(seq 1 13); do mkdir -p d$i/node_modules && echo $i >d$i/node_modules/x; done &&
	commit many &&
	expect_code 1 "$RG" ci --base main --format github &&
	test "$(grep -c "^::error " "$TRASH/stdout")" = 10 &&
	test "$(grep -c "^error\[block\] " "$TRASH/stdout")" = 3 &&
	contains "$TRASH/stdout" "repoguard ci: 13 errors, 0 warnings (GitHub shows 10 annotations per level"
'

test_expect_success 'github: past the 10th, plain lines in the text form (path:line, not escaped)' '
	git init -q gp && cd gp && echo a >a && commit a &&
	for i in 01 02 03 04 05 06 07 08 09 10 11; do printf "ok\n<<<<<<< x\n" >c$i.txt; done &&
	printf "ok\n<<<<<<< x\n" >"z%25,a:b.txt" && git add -A &&
	expect_code 1 "$RG" pre-commit --format github &&
	test "$(grep -c "^::error " "$TRASH/stdout")" = 10 &&
	contains "$TRASH/stdout" "error[conflict] c11.txt:2: merge conflict marker" &&
	contains "$TRASH/stdout" "error[conflict] z%25,a:b.txt:2: merge conflict marker" &&
	lacks "$TRASH/stdout" "%2525" &&
	git commit -qm c --no-verify &&
	expect_code 1 "$RG" ci --base HEAD~1 --format github &&
	contains "$TRASH/stdout" "error[conflict] $(git rev-parse --short=12 HEAD):z%25,a:b.txt:2: merge conflict marker"
'

q="'"
esc=$(printf "a\033[2Jb")
# no_esc FILE...: no raw ESC (or other control byte but newline) in any FILE
no_esc() {
	for f; do
		if LC_ALL=C grep -q "$(printf "[\001-\011\013-\037\177]")" "$f"; then
			echo "raw control byte in $f:"; cat -v "$f"; return 1
		fi
	done
}

test_expect_success 'control characters in paths never reach the output raw (text, github; pre-commit, ci, audit)' '
	git init -q esc && cd esc && echo a >a && commit a &&
	printf "<<<<<<< x\n" >"$esc.txt" && echo A=1 >".env.$esc" && git add -A &&
	expect_code 1 "$RG" pre-commit && no_esc "$TRASH/stderr" &&
	contains "$TRASH/stderr" "git add -- \$${q}a\\033[2Jb.txt${q}" &&
	contains "$TRASH/stderr" "git rm --cached --quiet -- \$${q}.env.a\\033[2Jb${q}" &&
	expect_code 1 "$RG" pre-commit --format github && no_esc "$TRASH/stdout" "$TRASH/stderr" &&
	contains "$TRASH/stdout" "::error file=a%1B[2Jb.txt,line=1," &&
	contains "$TRASH/stdout" "git add -- \$${q}a\\033[2Jb.txt${q}" &&
	GIT_AUTHOR_NAME="E${esc}vil" git commit -qm esc --no-verify &&
	expect_code 1 "$RG" ci --base HEAD~1 && no_esc "$TRASH/stdout" "$TRASH/stderr" &&
	expect_code 1 "$RG" ci --base HEAD~1 --format github && no_esc "$TRASH/stdout" "$TRASH/stderr" &&
	expect_code 1 "$RG" audit && no_esc "$TRASH/stdout" "$TRASH/stderr" &&
	contains "$TRASH/stdout" "git add -- \$${q}a\\033[2Jb.txt${q} && git commit -m \$${q}Remove conflict from a\\033[2Jb.txt${q}" &&
	expect_code 1 "$RG" audit --format github && no_esc "$TRASH/stdout" "$TRASH/stderr" &&
	expect_code 1 "$RG" audit --history && no_esc "$TRASH/stdout" "$TRASH/stderr" &&
	contains "$TRASH/stdout" "by Ea\\033[2Jbvil on 2026-01-01"
'

# no_c1 FILE...: no raw 0x9B (8-bit CSI, a C1 control that is not UTF-8) in any FILE
no_c1() {
	for f; do
		if LC_ALL=C grep -q "$(printf "\233")" "$f"; then
			echo "raw 0x9B in $f:"; cat -v "$f"; return 1
		fi
	done
}

test_expect_success 'a C1 control byte (0x9B) in a path never reaches the output raw, notes too; UTF-8 names stay readable' '
	git init -q c1 && cd c1 && echo a >a && commit a &&
	c1=$(printf "\233") && cafe=$(printf "caf\303\251") &&
	printf "<<<<<<< x\n" >"c${c1}2J.txt" && printf "a\000b" >"bin${c1}2J.dat" &&
	printf "<<<<<<< x\n" >"$cafe.txt" && git add -A &&
	for fmt in text github json sarif; do
		expect_code 1 "$RG" pre-commit --format $fmt && no_c1 "$TRASH/stdout" "$TRASH/stderr" &&
		cat "$TRASH/stdout" "$TRASH/stderr" >"out.$fmt" || return 1
	done &&
	contains out.text "error[conflict] \"c\\2332J.txt\":1: merge conflict marker" &&
	contains out.text "note: content checks skipped 1 binary file: \"bin\\2332J.dat\"" &&
	contains out.github "::error file=c%9B2J.txt,line=1,title=repoguard conflict::" &&
	contains out.github "note: content checks skipped 1 binary file: \"bin\\2332J.dat\"" &&
	contains out.github "::error file=$cafe.txt,line=1," &&
	contains out.json "\"path\": \"$cafe.txt\"" &&
	contains out.json "content checks skipped 1 binary file: \\\"bin\\\\2332J.dat\\\"" &&
	$VALIDATE out.sarif >v && contains v "valid SARIF 2.1.0" &&
	git commit -qm c1 --no-verify &&
	for fmt in text github json sarif; do
		expect_code 1 "$RG" ci --base HEAD~1 --format $fmt && no_c1 "$TRASH/stdout" "$TRASH/stderr" &&
		expect_code 1 "$RG" audit --format $fmt && no_c1 "$TRASH/stdout" "$TRASH/stderr" || return 1
	done &&
	expect_code 1 "$RG" audit --format github &&
	contains "$TRASH/stdout" "file=c%9B2J.txt" && contains "$TRASH/stdout" "file=$cafe.txt"
'

test_expect_success 'a fix for such a path works when pasted into bash' '
	cd esc && git reset -q --soft HEAD~1 &&
	expect_code 1 "$RG" pre-commit &&
	grep -E "^    (git rm|printf) " "$TRASH/stderr" >fix.sh && test -s fix.sh &&
	bash fix.sh && rm fix.sh &&
	test -z "$(git ls-files -- ".env.$esc")" && test -f ".env.$esc" &&
	test "$(cat .gitignore)" = "$(printf "\n.env.a\033\\\\[2Jb")" &&
	git check-ignore -q ".env.$esc"
'

test_expect_success 'sarif and github work for the hooks too (stdout)' '
	cd g && mkdir -p node_modules && echo x >node_modules/x && git add node_modules &&
	expect_code 1 "$RG" pre-commit --format sarif &&
	$VALIDATE "$TRASH/stdout" >v && contains v "1 results" &&
	expect_code 1 "$RG" pre-commit --format github &&
	contains "$TRASH/stdout" "::error file=.gitignore"
'

test_expect_success 'a report that cannot be written is an error (exit 4), never a clean exit with an empty report' '
	cd g && test -w /dev/full &&
	for fmt in json sarif github; do
		code=0 && "$RG" pre-commit --format $fmt >/dev/full 2>"$TRASH/err" || code=$? &&
		test "$code" = 4 && contains "$TRASH/err" "cannot write" || return 1
	done &&
	git reset -q && code=0 && "$RG" ci --base HEAD --format sarif >/dev/full 2>"$TRASH/err" || code=$? &&
	test "$code" = 4 && contains "$TRASH/err" "No space left on device" &&
	code=0 && "$RG" config >/dev/full 2>"$TRASH/err" || code=$? &&
	test "$code" = 4
'

test_expect_success 'sarif, github: a finding about no file points at the repository file line that set its rule, never at a .repoguard.ini that is not there' '
	git init -q nopath && cd nopath && echo a >a && commit a && base=$(git rev-parse HEAD) &&
	mkdir many && for i in 1 2 3 4; do echo $i >many/f$i; done && commit adds &&
	git rm -rq many && git commit -qm dels --no-verify &&
	printf "[bulk]\nmax_added_files = 3\n[protect]\nmax_deleted_files = 1\n" >"$TRASH/outside.ini" &&
	expect_code 1 "$RG" ci --base $base --config "$TRASH/outside.ini" --format sarif &&
	$VALIDATE "$TRASH/stdout" >v && contains v "valid SARIF 2.1.0: 2 results" &&
	lacks "$TRASH/stdout" ".repoguard.ini" &&
	test "$(grep -c "\"uri\": \"many/f1\", \"uriBaseId\": \"%SRCROOT%\"}, \"region\": {\"startLine\": 1}" "$TRASH/stdout")" = 2 &&
	REPOGUARD_CONFIG="$TRASH/outside.ini" expect_code 1 "$RG" ci --base $base --format github &&
	lacks "$TRASH/stdout" ".repoguard.ini" &&
	contains "$TRASH/stdout" "::error file=many/f1,line=1,title=repoguard bulk::4 files added" &&
	contains "$TRASH/stdout" "::error file=many/f1,line=1,title=repoguard protect::4 files deleted" &&
	mkdir conf && printf "; rules\n\n[protect]\nmax_deleted_files = 1\n[bulk]\nmax_added_files = 3\n" >conf/rg.ini &&
	git add conf && git commit -qm conf --no-verify && git config repoguard.config conf/rg.ini &&
	expect_code 1 "$RG" ci --base $base --head HEAD~1 --format sarif &&
	$VALIDATE "$TRASH/stdout" >v && contains v "valid SARIF 2.1.0: 2 results" &&
	contains "$TRASH/stdout" "\"uri\": \"conf/rg.ini\", \"uriBaseId\": \"%SRCROOT%\"}, \"region\": {\"startLine\": 6}" &&
	contains "$TRASH/stdout" "\"uri\": \"conf/rg.ini\", \"uriBaseId\": \"%SRCROOT%\"}, \"region\": {\"startLine\": 4}" &&
	expect_code 1 "$RG" ci --base $base --head HEAD~1 --format github &&
	contains "$TRASH/stdout" "::error file=conf/rg.ini,line=6,title=repoguard bulk::" &&
	contains "$TRASH/stdout" "::error file=conf/rg.ini,line=4,title=repoguard protect::" &&
	git config --unset repoguard.config &&
	expect_code 1 "$RG" ci --base $base --head HEAD~1 --config conf/rg.ini --format github &&
	contains "$TRASH/stdout" "::error file=conf/rg.ini,line=6,title=repoguard bulk::" &&
	(cd conf && expect_code 1 "$RG" ci --base $base --head HEAD~1 --config rg.ini --format github) &&
	contains "$TRASH/stdout" "::error file=conf/rg.ini,line=4,title=repoguard protect::" &&
	printf "[branch]\nprotected = main\n" >"$TRASH/branch.ini" && echo b >b && git add b &&
	expect_code 1 "$RG" pre-commit --config "$TRASH/branch.ini" --format github &&
	contains "$TRASH/stdout" "::error title=repoguard branch::" &&
	expect_code 1 "$RG" pre-commit --config "$TRASH/branch.ini" --format sarif &&
	$VALIDATE "$TRASH/stdout" >v && contains v "valid SARIF 2.1.0: 1 results" &&
	printf "; ours\n[branch]\nprotected = main\n" >.repoguard.ini &&
	expect_code 1 "$RG" pre-commit --format github &&
	contains "$TRASH/stdout" "::error file=.repoguard.ini,line=3,title=repoguard branch::" &&
	expect_code 1 "$RG" pre-commit --format sarif &&
	contains "$TRASH/stdout" "\"uri\": \".repoguard.ini\", \"uriBaseId\": \"%SRCROOT%\"}, \"region\": {\"startLine\": 3}"
'

test_expect_success 'json: a path that is not UTF-8 also has path_bytes (base64 of its exact bytes); a UTF-8 one has none' '
	git init -q nonutf && cd nonutf && echo a >a && commit a &&
	for n in "$(printf "\377")" "$(printf "a\377b")" "$(printf "ab\376cd")" "$(printf "caf\303\251")"; do
		printf "<<<<<<< x\n" >"$n.txt" || return 1
	done && git add -A &&
	expect_code 1 "$RG" pre-commit --format json &&
	python3 -c "
import base64, json, os, sys
f = json.load(open(sys.argv[1]))[\"findings\"]
got = sorted(base64.b64decode(x[\"path_bytes\"]) for x in f if \"path_bytes\" in x)
want = sorted(os.fsencode(n) for n in os.listdir(\".\") if n.endswith(\".txt\") and not n.startswith(\"caf\"))
assert len(f) == 4 and got == want and len(got) == 3, (got, want)
assert [x for x in f if x[\"path\"] == \"caf\u00e9.txt\" and \"path_bytes\" not in x], f
assert all(\"\ufffd\" in x[\"path\"] for x in f if \"path_bytes\" in x), f
" "$TRASH/stdout"
'

test_done

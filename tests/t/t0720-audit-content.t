#!/bin/sh
# t0720: repoguard audit's content section: the hooks' line rules (secrets,
# conflict markers, [content.NAME]) over every file of HEAD's tree and, with
# --history, over every blob ever committed, once. Sample secrets are made up
# at run time (gen_key), so none is stored in this file.
. "$(dirname "$0")/../lib/test-lib.sh"

# gen_key PREFIX LENGTH ALPHABET SEED: a deterministic made-up token (as t0800)
UPPER=ABCDEFGHIJKLMNOPQRSTUVWXYZ234567
AKID=$(gen_key AKIA 16 $UPPER 11)
AKID2=$(gen_key AKIA 16 $UPPER 12)
GHP=$(gen_key ghp_ 36 ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 13)

short() { git rev-parse --short=10 "$1"; }
long12() { git rev-parse "$1" | cut -c1-12; }

# A repository whose old line holds a key committed past the hook, and a
# later commit that only touches another line (the hooks never see the key again).
make_debt() {
	new_repo "$1" && (
		cd "$1" &&
		mkdir -p config && printf "region = eu-west-1\naws_access_key_id = %s\n" "$AKID" >config/prod.ini &&
		git add config && git commit -q --no-verify -m "add config" &&
		printf "region = eu-west-2\naws_access_key_id = %s\n" "$AKID" >config/prod.ini &&
		git commit -qam "move region"
	)
}

test_expect_success 'a key committed with --no-verify on an old line: found at HEAD, redacted, exit 1' '
	make_debt debt && cd debt &&
	expect_code 0 "$RG" pre-commit &&
	before=$(repo_state .) &&
	expect_code 1 "$RG" audit &&
	test "$(repo_state .)" = "$before" &&
	contains "$TRASH/stdout" "== content: HEAD $(short HEAD): 1 file checked, 1 finding; history not checked" &&
	contains "$TRASH/stdout" "error[secrets.aws-access-key-id] config/prod.ini:2: AWS access key ID: aws_access_key_id = AKIA****" &&
	contains "$TRASH/stdout" "# remove line 2 of config/prod.ini (or add a \"repoguard:allow secrets.aws-access-key-id\" comment to it), then:" &&
	contains "$TRASH/stdout" "git add -- config/prod.ini && git commit -m" &&
	contains "$TRASH/stdout" "# then rotate the secret" &&
	contains "$TRASH/stdout" "repoguard audit content: 1 error, 0 warnings" &&
	lacks "$TRASH/stdout" "$AKID" &&
	lacks "$TRASH/stderr" "$AKID"
'

test_expect_success 'json: the same finding, the verdict in notes, never the secret' '
	cd debt &&
	expect_code 1 "$RG" audit --format json &&
	lacks "$TRASH/stdout" "$AKID" &&
	python3 -c "
import json, sys
d = json.load(open(sys.argv[1]))
f = [x for x in d[\"findings\"] if x[\"rule\"].startswith(\"secrets.\")]
assert len(f) == 1, f
f = f[0]
assert f[\"rule\"] == \"secrets.aws-access-key-id\" and f[\"severity\"] == \"error\", f
assert f[\"path\"] == \"config/prod.ini\" and f[\"line\"] == 2, f
assert not f.get(\"commit\"), f
assert \"AKIA****\" in f[\"message\"], f
assert \"git add -- config/prod.ini\" in f[\"fix\"], f
assert any(n.startswith(\"content: HEAD \") and \"1 file checked, 1 finding\" in n for n in d[\"notes\"]), d[\"notes\"]
assert d[\"summary\"][\"errors\"] == 1, d[\"summary\"]
" "$TRASH/stdout" &&
	expect_code 1 "$RG" audit --format sarif &&
	lacks "$TRASH/stdout" "$AKID" &&
	contains "$TRASH/stdout" "\"ruleId\": \"secrets.aws-access-key-id\""
'

test_expect_success 'repoguard:allow comments and [secrets] allow paths apply as in the hooks' '
	new_repo allow && cd allow &&
	printf "const demo = \"%s\"; // repoguard:allow secrets.github-token\n" "$GHP" >fixture.js &&
	mkdir -p tests/fixtures src && echo "k = $AKID" >tests/fixtures/aws.txt && echo "k = $AKID2" >src/aws.txt &&
	printf "[secrets]\nallow = tests/fixtures/**\n" >.repoguard.ini &&
	git add -A && git commit -q --no-verify -m fixtures &&
	expect_code 1 "$RG" audit &&
	contains "$TRASH/stdout" "note: 1 finding allowed by repoguard:allow comments: secrets.github-token at fixture.js:1" &&
	contains "$TRASH/stdout" "error[secrets.aws-access-key-id] src/aws.txt:1" &&
	lacks "$TRASH/stdout" "tests/fixtures/aws.txt" &&
	lacks "$TRASH/stdout" "$AKID" && lacks "$TRASH/stdout" "$AKID2" && lacks "$TRASH/stdout" "$GHP" &&
	git rm -q src/aws.txt && git commit -q --no-verify -m "drop the key" &&
	expect_code 0 "$RG" audit &&
	contains "$TRASH/stdout" "3 files checked, clean"
'

test_expect_success 'per-rule paths, conflict markers, severity warn' '
	new_repo rules && cd rules &&
	mkdir -p src docs &&
	echo "tenant_id = \"demo\"" >src/a.py && echo "tenant_id = \"demo\"" >docs/a.md &&
	printf "a\n<<<<<<< HEAD\nb\n=======\nc\n>>>>>>> topic\n" >src/merge.txt &&
	printf "[content.no-demo-tenant]\npattern = tenant_id\\\\s*=\\\\s*\"demo\"\npaths = src/**\nseverity = warn\nmessage = no demo tenant\n" >.repoguard.ini &&
	git add -A && git commit -q --no-verify -m init &&
	expect_code 1 "$RG" audit &&
	contains "$TRASH/stdout" "warning[content.no-demo-tenant] src/a.py:1: no demo tenant" &&
	lacks "$TRASH/stdout" "docs/a.md" &&
	contains "$TRASH/stdout" "error[conflict] src/merge.txt:2" &&
	contains "$TRASH/stdout" "error[conflict] src/merge.txt:6"
'

test_expect_success 'binary and oversize files are skipped with a note' '
	new_repo bin && cd bin &&
	printf "key = %s\0\1\2" "$AKID" >logo.bin &&
	awk "BEGIN { for (i = 0; i < 200; i++) print \"line\", i }" >big.txt && echo "k = $AKID" >>big.txt &&
	printf "[content]\nmax_file_size = 1K\n" >.repoguard.ini &&
	git add -A && git commit -q --no-verify -m init &&
	expect_code 0 "$RG" audit &&
	contains "$TRASH/stdout" "note: content checks skipped 1 binary file: logo.bin" &&
	contains "$TRASH/stdout" "note: content checks skipped 1 file over [content] max_file_size: big.txt" &&
	contains "$TRASH/stdout" "1 file checked, 2 skipped, clean" &&
	lacks "$TRASH/stdout" "$AKID"
'

test_expect_success 'bare repository and linked worktree: same finding; fixes run in a clone' '
	make_debt forbare && git clone -q --bare forbare bare.git &&
	expect_code 1 "$RG" -C "$TRASH/bare.git" audit &&
	contains "$TRASH/stdout" "error[secrets.aws-access-key-id] config/prod.ini:2" &&
	contains "$TRASH/stdout" "# in a clone with a work tree:" &&
	lacks "$TRASH/stdout" "$AKID" &&
	cd forbare && git worktree add -q ../linked HEAD~1 && cd ../linked &&
	expect_code 1 "$RG" audit &&
	contains "$TRASH/stdout" "error[secrets.aws-access-key-id] config/prod.ini:2" &&
	lacks "$TRASH/stdout" "# in a clone with a work tree:"
'

test_expect_success 'unborn HEAD; partial clone without blobs: a note, never a crash' '
	git init -q unborn && cd unborn &&
	expect_code 0 "$RG" audit &&
	contains "$TRASH/stdout" "== content: HEAD is unborn: nothing committed yet" &&
	cd .. && make_debt forpartial && git -C forpartial config uploadpack.allowFilter true &&
	git clone -q --bare --filter=blob:none "file://$TRASH/forpartial" partial.git && cd partial.git &&
	expect_code 0 "$RG" audit --history &&
	contains "$TRASH/stdout" "note: content checks skipped 2 files whose object is missing (partial clone): config/prod.ini, config/prod.ini"
'

# history: A adds a key in deploy.env.txt and copy.txt (one blob: met first as
# copy.txt, in tree order), B edits deploy.env.txt, M adds a conflict marker, C
# deletes it all.
make_leak() {
	new_repo "$1" && (
		cd "$1" &&
		echo base >README && git add README && git commit -qm base &&
		printf "user = app\ntoken = %s\n" "$GHP" >deploy.env.txt && cp deploy.env.txt copy.txt &&
		git add -A && git commit -q --no-verify -m A &&
		printf "user = app2\ntoken = %s\n" "$GHP" >deploy.env.txt && git commit -q --no-verify -qam B &&
		printf "<<<<<<< HEAD\n" >notes.txt && git add notes.txt && git commit -q --no-verify -m M &&
		git rm -q deploy.env.txt copy.txt notes.txt && git commit -qm C
	)
}

test_expect_success '--history: a key deleted since is found in every blob that held it, once per blob' '
	make_leak leak && cd leak &&
	A=$(git rev-parse HEAD~3) && B=$(git rev-parse HEAD~2) && M=$(git rev-parse HEAD~1) &&
	expect_code 0 "$RG" audit &&
	contains "$TRASH/stdout" "1 file checked, clean; history not checked" &&
	expect_code 1 "$RG" audit --history &&
	contains "$TRASH/stdout" "== content: HEAD $(short HEAD): 1 file checked, clean; history: 3 other blobs checked, 3 findings" &&
	contains "$TRASH/stdout" "error[secrets.github-token] $(long12 $A):copy.txt:2: GitHub token: token = ghp_" &&
	contains "$TRASH/stdout" "error[secrets.github-token] $(long12 $B):deploy.env.txt:2" &&
	test "$(grep -c "^error\[secrets.github-token\]" "$TRASH/stdout")" = 2 &&
	lacks "$TRASH/stdout" "$(long12 $A):deploy.env.txt" &&
	contains "$TRASH/stdout" "warning[conflict] $(long12 $M):notes.txt:1" &&
	contains "$TRASH/stdout" "# rotate the secret first" &&
	contains "$TRASH/stdout" "git filter-repo --replace-text" &&
	contains "$TRASH/stdout" "Rewriting history changes the id of every commit" &&
	lacks "$TRASH/stdout" "$GHP" &&
	expect_code 1 "$RG" audit --history --format json &&
	lacks "$TRASH/stdout" "$GHP" &&
	python3 -c "
import json, sys
d = json.load(open(sys.argv[1]))
f = [x for x in d[\"findings\"] if x[\"rule\"] == \"secrets.github-token\"]
assert [(x[\"commit\"], x[\"path\"], x[\"line\"]) for x in f] == [(sys.argv[2], \"copy.txt\", 2), (sys.argv[3], \"deploy.env.txt\", 2)], f
assert all(x[\"severity\"] == \"error\" and \"filter-repo\" in x[\"fix\"] for x in f), f
" "$TRASH/stdout" "$A" "$B"
'

test_expect_success '--history: a key first committed under an allowed path, then copied out of it, is found where it is not allowed' '
	new_repo allowfwd && cd allowfwd &&
	printf "[secrets]\nallow = tests/fixtures/**\n" >.repoguard.ini &&
	mkdir -p tests/fixtures src && printf "user = app\ntoken = %s\n" "$GHP" >tests/fixtures/key.txt &&
	git add -A && git commit -q -m fixture &&
	cp tests/fixtures/key.txt src/key.txt && git add src && git commit -q --no-verify -m copy &&
	C=$(git rev-parse HEAD) &&
	git rm -q src/key.txt && git commit -q -m remove &&
	expect_code 0 "$RG" audit &&
	expect_code 1 "$RG" audit --history &&
	contains "$TRASH/stdout" "error[secrets.github-token] $(long12 $C):src/key.txt:2: GitHub token: token = ghp_" &&
	test "$(grep -c "^error\[secrets.github-token\]" "$TRASH/stdout")" = 1 &&
	lacks "$TRASH/stdout" "tests/fixtures/key.txt:2" &&
	lacks "$TRASH/stdout" "$GHP"
'

test_expect_success '--history: a key HEAD holds under an allowed path is found at the older paths it had outside it' '
	new_repo allowback && cd allowback &&
	printf "[secrets]\nallow = tests/fixtures/**\n" >.repoguard.ini && git add .repoguard.ini && git commit -q -m rules &&
	mkdir -p src/keys && printf "user = app\ntoken = %s\n" "$GHP" >src/key.txt && cp src/key.txt src/keys/other.txt &&
	git add src && git commit -q --no-verify -m leak &&
	A=$(git rev-parse HEAD) &&
	mkdir -p tests/fixtures && git mv src/key.txt tests/fixtures/key.txt && git commit -q -m "move to fixtures" &&
	git mv src/keys tests/fixtures/keys && git commit -q -m "move a directory to fixtures" &&
	expect_code 0 "$RG" audit &&
	expect_code 1 "$RG" audit --history &&
	contains "$TRASH/stdout" "error[secrets.github-token] $(long12 $A):src/key.txt:2: GitHub token: token = ghp_" &&
	test "$(grep -c "^error\[secrets.github-token\]" "$TRASH/stdout")" = 1 &&
	lacks "$TRASH/stdout" "tests/fixtures/key.txt:2" &&
	lacks "$TRASH/stdout" "$GHP"
'

test_expect_success '--history: a directory moved out of an allowed path unchanged (the same tree): its key is found where it landed' '
	new_repo allowdir && cd allowdir &&
	printf "[secrets]\nallow = tests/fixtures/**\n" >.repoguard.ini &&
	mkdir -p tests/fixtures/keys && printf "token = %s\n" "$GHP" >tests/fixtures/keys/key.txt &&
	git add -A && git commit -q -m fixture &&
	mkdir -p src && git mv tests/fixtures/keys src/keys && git commit -q --no-verify -m "move out" &&
	C=$(git rev-parse HEAD) &&
	git rm -q -r src/keys && git commit -q -m remove &&
	expect_code 1 "$RG" audit --history &&
	contains "$TRASH/stdout" "error[secrets.github-token] $(long12 $C):src/keys/key.txt:1" &&
	test "$(grep -c "^error\[secrets.github-token\]" "$TRASH/stdout")" = 1
'

test_expect_success '--history: [content.NAME] paths: a line first committed outside its paths, then copied into them, is found there' '
	new_repo scoped && cd scoped &&
	printf "[content.no-demo-tenant]\npattern = tenant_id\\\\s*=\\\\s*\"demo\"\npaths = src/**\nseverity = warn\nmessage = no demo tenant\n" >.repoguard.ini &&
	mkdir -p docs src && echo "tenant_id = \"demo\"" >docs/a.py && echo "tenant_id = \"demo\"" >docs/b.py &&
	git add -A && git commit -q -m docs &&
	cp docs/a.py src/a.py && git add src && git commit -q --no-verify -m copy &&
	C=$(git rev-parse HEAD) &&
	git rm -q src/a.py && git commit -q -m remove &&
	expect_code 0 "$RG" audit &&
	lacks "$TRASH/stdout" "warning[content.no-demo-tenant]" &&
	expect_code 0 "$RG" audit --history &&
	contains "$TRASH/stdout" "warning[content.no-demo-tenant] $(long12 $C):src/a.py:1: no demo tenant" &&
	contains "$TRASH/stdout" "HEAD has this version of the file only at paths where" &&
	test "$(grep -c "^warning\[content.no-demo-tenant\]" "$TRASH/stdout")" = 1 &&
	lacks "$TRASH/stdout" "docs/a.py:1"
'

test_expect_success '--history: a rule'"'"'s own path condition counts too: a value HEAD keeps in a TypeScript declaration file, copied once to YAML' '
	new_repo dts && cd dts &&
	printf "password: Zq8#vL2!mK9x\n" >api.d.ts && git add api.d.ts && git commit -q -m types &&
	cp api.d.ts conf.yml && git add conf.yml && git commit -q --no-verify -m yaml &&
	C=$(git rev-parse HEAD) &&
	git rm -q conf.yml && git commit -q -m remove &&
	expect_code 0 "$RG" audit &&
	expect_code 1 "$RG" audit --history &&
	contains "$TRASH/stdout" "error[secrets.generic-password] $(long12 $C):conf.yml:1" &&
	contains "$TRASH/stdout" "history: 1 other blob checked, 1 finding (1 of them again at a path where other rules apply)" &&
	lacks "$TRASH/stdout" "api.d.ts:1"
'

test_expect_success '--history: history_severity applies to other rules only; REPOGUARD_SKIP is noted, skipping every rule says "not checked"' '
	cd leak &&
	printf "[audit]\nhistory_severity = off\n" >.repoguard.ini &&
	expect_code 1 "$RG" audit --history &&
	lacks "$TRASH/stdout" "warning[conflict]" &&
	contains "$TRASH/stdout" "error[secrets.github-token]" &&
	rm .repoguard.ini &&
	REPOGUARD_SKIP=secrets.github-token expect_code 0 "$RG" audit --history &&
	contains "$TRASH/stdout" "note: skipped by REPOGUARD_SKIP: secrets.github-token" &&
	lacks "$TRASH/stdout" "error[secrets." &&
	REPOGUARD_SKIP=secrets expect_code 0 "$RG" audit --history &&
	lacks "$TRASH/stdout" "error[secrets." &&
	contains "$TRASH/stdout" "warning[conflict]" &&
	contains "$TRASH/stdout" "note: skipped by REPOGUARD_SKIP: secrets" &&
	REPOGUARD_SKIP=secrets,conflict,content expect_code 0 "$RG" audit --history &&
	contains "$TRASH/stdout" "== content: not checked: every content rule is skipped by REPOGUARD_SKIP" &&
	contains "$TRASH/stdout" "note: skipped by REPOGUARD_SKIP: secrets, conflict" &&
	lacks "$TRASH/stdout" "warning[conflict]"
'

test_expect_success '--history: a rotated key listed by its id in [secrets] ignore is noted, not reported; others still are' '
	cd leak &&
	id=$(printf %s "$GHP" | git hash-object --stdin) &&
	expect_code 1 "$RG" audit --history &&
	contains "$TRASH/stdout" "\"ignore = $(echo $id | cut -c1-16)\" in [secrets]" &&
	expect_code 1 "$RG" audit --history --format json &&
	python3 -c "
import json, sys
f = [x for x in json.load(open(sys.argv[1]))[\"findings\"] if x[\"rule\"].startswith(\"secrets.\")]
assert len(f) == 2 and all(x[\"text_id\"] == sys.argv[2] for x in f), f
c = [x for x in json.load(open(sys.argv[1]))[\"findings\"] if x[\"rule\"] == \"conflict\"]
assert c and all(\"text_id\" not in x for x in c), c
" "$TRASH/stdout" "$id" &&
	expect_code 1 "$RG" audit --history --format sarif &&
	contains "$TRASH/stdout" "\"textId\": \"$id\"" &&
	printf "[secrets]\nignore = %s   ; rotated 2026-12-07\n" "$(echo $id | cut -c1-12)" >.repoguard.ini &&
	expect_code 0 "$RG" audit --history &&
	contains "$TRASH/stdout" "history: 3 other blobs checked, 1 finding" &&
	lacks "$TRASH/stdout" "error[secrets." &&
	contains "$TRASH/stdout" "note: 2 findings ignored by their text" &&
	contains "$TRASH/stdout" "secrets.github-token at $(long12 HEAD~3):copy.txt:2 ($(echo $id | cut -c1-16))" &&
	contains "$TRASH/stdout" "warning[conflict]" &&
	lacks "$TRASH/stdout" "$GHP" &&
	printf "[secrets]\nignore = %s\n" "$(printf %s "${GHP}x" | git hash-object --stdin)" >.repoguard.ini &&
	expect_code 1 "$RG" audit --history &&
	test "$(grep -c "^error\[secrets.github-token\]" "$TRASH/stdout")" = 2 &&
	printf "[secrets]\nignore = %s\n    ghp_not_an_id\n" "$id" >.repoguard.ini &&
	expect_code 3 "$RG" audit --history &&
	contains "$TRASH/stderr" ".repoguard.ini:3: [secrets] ignore: '"'"'ghp_not_an_id'"'"' is not a text'"'"'s id" &&
	rm .repoguard.ini
'

test_expect_success '--history: a key in a commit message is found, with filter-repo --replace-message as the fix' '
	new_repo msgs && cd msgs && echo a >a && git add a && git commit -qm base &&
	echo b >b && git add b && git commit -q --no-verify -m "deploy" -m "with $AKID2" &&
	c=$(long12 HEAD) &&
	expect_code 0 "$RG" audit &&
	expect_code 1 "$RG" audit --history &&
	contains "$TRASH/stdout" "history: 0 other blobs checked, clean; 2 commit messages checked, 1 finding" &&
	contains "$TRASH/stdout" "error[secrets.aws-access-key-id] $c: commit message, line 3: AWS access key ID: with AKIA" &&
	contains "$TRASH/stdout" "git filter-repo --replace-message ../replacements.txt" &&
	contains "$TRASH/stdout" "Rewriting history changes the id of every commit" &&
	lacks "$TRASH/stdout" "$AKID2" &&
	REPOGUARD_SKIP=secrets expect_code 0 "$RG" audit --history &&
	git tag -a v1 -m "release" -m "key $AKID" HEAD~1 && git tag v2 &&
	expect_code 1 "$RG" audit --history &&
	contains "$TRASH/stdout" "2 commit messages and 1 tag message checked, 2 findings" &&
	contains "$TRASH/stdout" "error[secrets.aws-access-key-id] tag v1'"'"'s message, line 3: AWS access key ID: key AKIA" &&
	lacks "$TRASH/stdout" "$AKID"
'

test_expect_success 'the files are checked on several threads (those the working tree vouches for): the same report as on one, in the same order' '
	new_repo many && cd many && i=0 &&
	while [ $i -lt 80 ]; do
		mkdir -p d$((i % 7)) &&
		if [ $((i % 9)) = 0 ]; then printf "x = 1\naws_access_key_id = %s\n" "$(gen_key AKIA 16 $UPPER $((100 + i)))"
		elif [ $((i % 13)) = 0 ]; then printf "\000binary %d\n" $i
		else printf "line %d\n" $i; fi >d$((i % 7))/f$i.txt
		i=$((i + 1))
	done &&
	touch -d "2020-01-01 00:00:00" d*/f*.txt && git add . && git commit -q --no-verify -m many &&
	for f in d1/f1.txt d2/f9.txt d3/f3.txt; do printf "y = %s\n" "$(gen_key ghp_ 36 $UPPER$UPPER 7)" >>$f; done &&
	git commit -q --no-verify -am more && git rm -q d2/f9.txt && git commit -q --no-verify -m gone &&
	REPOGUARD_THREADS=1 "$RG" audit --history --format json >one.json 2>&1 || test $? = 1 &&
	REPOGUARD_THREADS=2 "$RG" audit --history --format json >two.json 2>&1 || test $? = 1 &&
	REPOGUARD_THREADS=1 "$RG" audit --history >one.txt 2>&1 || test $? = 1 &&
	REPOGUARD_THREADS=2 "$RG" audit --history >two.txt 2>&1 || test $? = 1 &&
	sed 1d one.txt >one.body && sed 1d two.txt >two.body && cmp one.body two.body &&
	REPOGUARD_TRACE_READS=1 REPOGUARD_THREADS=2 "$RG" audit >/dev/null 2>trace || test $? = 1 &&
	contains trace "d0/f7.txt: working tree" &&
	python3 -c "
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
assert a[\"findings\"] == b[\"findings\"], (a, b)
n = [x for x in a[\"findings\"] if x[\"rule\"].startswith(\"secrets.\")]
assert len(n) >= 10, n
" one.json two.json &&
	contains one.txt "== content: HEAD" && contains one.txt "binary file"
'

test_expect_success '--history over more blobs than one batch (1,024): every one counted, keys past the first batch found' '
	new_repo batch && cd batch && mkdir d &&
	awk '"'"'BEGIN { for (i = 0; i < 1030; i++) { f = sprintf("d/f%04d.txt", i); print "v1", i > f; close(f) } }'"'"' &&
	printf "aws_access_key_id = %s\n" "$AKID" >>d/f0000.txt && printf "aws_access_key_id = %s\n" "$AKID2" >>d/f1029.txt &&
	git add d && git commit -q --no-verify -m v1 &&
	awk '"'"'BEGIN { for (i = 0; i < 1030; i++) { f = sprintf("d/f%04d.txt", i); print "v2", i > f; close(f) } }'"'"' &&
	git add d && git commit -q --no-verify -m v2 &&
	expect_code 1 "$RG" audit --history &&
	contains "$TRASH/stdout" "1,030 files checked, clean; history: 1,030 other blobs checked, 2 findings" &&
	contains "$TRASH/stdout" ":d/f0000.txt:2: AWS access key ID" &&
	contains "$TRASH/stdout" ":d/f1029.txt:2: AWS access key ID"
'

# A file written just before `git add` may share the index's mtime (racily
# clean, never trusted): files expected to be read from the working tree are aged.
age() { touch -d "2020-01-01 00:00:00" "$@"; }
NOKEY=AKIAxxxxxxxxxxxxxxxx

test_expect_success 'a file of HEAD that the index and its stat data vouch for is read from the working tree' '
	new_repo wt && cd wt &&
	printf "id = %s\n" "$AKID" >prod.ini && printf "clean\n" >other.txt && age prod.ini other.txt &&
	git add . && git commit -q --no-verify -m keys &&
	REPOGUARD_TRACE_READS=1 "$RG" audit >out 2>err || test $? = 1 &&
	contains err "trace: prod.ini: working tree" &&
	contains out "error[secrets.aws-access-key-id] prod.ini:1:"
'

test_expect_success 'a file edited since the commit: HEAD'"'"'s blob is audited, not the file' '
	cd wt && printf "id = %s\n" "$NOKEY" >prod.ini &&
	REPOGUARD_TRACE_READS=1 "$RG" audit >out 2>err || test $? = 1 &&
	contains err "trace: prod.ini: object database" &&
	contains out "error[secrets.aws-access-key-id] prod.ini:1:" &&
	git checkout -q prod.ini
'

test_expect_success 'a key only in the working tree, or only in the index, is not HEAD'"'"'s' '
	cd wt && printf "id = %s\n" "$NOKEY" >prod.ini && git commit -q --no-verify -am clean &&
	age prod.ini && git update-index --refresh >/dev/null &&
	printf "id = %s\n" "$AKID2" >prod.ini &&
	expect_code 0 "$RG" audit && lacks "$TRASH/stdout" "prod.ini:1" &&
	age prod.ini && git add prod.ini &&
	REPOGUARD_TRACE_READS=1 "$RG" audit >out 2>err &&
	contains err "trace: prod.ini: object database" && lacks out "prod.ini:1" &&
	git reset -q --hard
'

test_expect_success 'a bare repository: audit and config read the .repoguard.ini committed at HEAD' '
	make_debt forbare2 && (
		cd forbare2 &&
		printf "[secrets]\nallow = config/**\n" >.repoguard.ini &&
		git add .repoguard.ini && git commit -qm "allow config" --no-verify
	) &&
	git clone -q --bare forbare2 bare2.git &&
	expect_code 0 "$RG" -C "$TRASH/bare2.git" audit &&
	lacks "$TRASH/stdout" "error[secrets" &&
	expect_code 0 "$RG" -C "$TRASH/bare2.git" config &&
	contains "$TRASH/stdout" "HEAD:.repoguard.ini"
'

test_expect_success 'conflict-marker-size=N (.gitattributes at HEAD) applies in the audit as in the hooks' '
	new_repo markersize && cd markersize &&
	echo "*.rst conflict-marker-size=32" >.gitattributes &&
	long=$(printf "%032d" 0 | tr 0 "<") && close=$(printf "%032d" 0 | tr 0 ">") &&
	printf "Doc\n<<<<<<< not a marker here\n=======\n>>>>>>> nor this\n" >doc.rst &&
	printf "a\n%s HEAD\nb\n%s side\n" "$long" "$close" >real.rst &&
	printf "a\n<<<<<<< HEAD\nb\n>>>>>>> side\n" >g.txt &&
	git add -A && git commit -q --no-verify -m init &&
	expect_code 1 "$RG" audit &&
	contains "$TRASH/stdout" "error[conflict] real.rst:2: merge conflict marker: $long HEAD" &&
	contains "$TRASH/stdout" "error[conflict] real.rst:4: merge conflict marker: $close side" &&
	contains "$TRASH/stdout" "error[conflict] g.txt:2" &&
	lacks "$TRASH/stdout" "doc.rst" &&
	test "$(grep -c "error\[conflict\]" "$TRASH/stdout")" = 4 &&
	expect_code 1 "$RG" audit --history &&
	lacks "$TRASH/stdout" "conflict] doc.rst" &&
	test "$(grep -c "error\[conflict\]" "$TRASH/stdout")" = 4 &&
	git rm -q .gitattributes && git commit -q --no-verify -m "the size from info/attributes" &&
	echo "*.rst conflict-marker-size=32" >.git/info/attributes &&
	expect_code 1 "$RG" audit &&
	contains "$TRASH/stdout" "error[conflict] real.rst:2:" && lacks "$TRASH/stdout" "conflict] doc.rst" &&
	test "$(grep -c "error\[conflict\]" "$TRASH/stdout")" = 4
'

test_done

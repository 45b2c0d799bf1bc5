#!/bin/sh
# t0830: where the content rules read staged bytes from. A pre-commit reads a
# staged file from the working tree only when the index entry's stat data
# vouches for it and no checkin conversion applies (src/core/worktree.c);
# everything else comes from the object database. REPOGUARD_TRACE_READS
# makes each read say where it came from. Files are scanned on several
# threads: the report must not depend on how many.
. "$(dirname "$0")/../lib/test-lib.sh"

AKID=$(gen_key AKIA 16 $B32 11)
AKID2=$(gen_key AKIA 16 $B32 12)
# same length, no key: "AKIA" and 16 characters that are not all upper case
NOKEY=AKIAxxxxxxxxxxxxxxxx

trace() { REPOGUARD_TRACE_READS=1 "$@"; }
# The file system stamps times by the jiffy: a file written just before
# `git add` may carry the same mtime as the index, and such a racily clean
# entry is (rightly) never trusted. Files expected to be read from the
# working tree are aged first.
age() { touch -d "2020-01-01 00:00:00" "$@"; }

test_expect_success 'an unchanged staged file is read from the working tree' '
	new_repo r1 && cd r1 &&
	echo base >README && git add README && git commit -qm base &&
	printf "id = %s\n" "$AKID" >prod.ini && age prod.ini && git add prod.ini &&
	expect_code 1 trace "$RG" pre-commit &&
	contains "$TRASH/stderr" "trace: prod.ini: working tree" &&
	contains "$TRASH/stderr" "error[secrets.aws-access-key-id] prod.ini:1:"
'

test_expect_success 'a file edited after git add: the staged blob is checked, not the file' '
	cd r1 &&
	printf "id = %s\n" "$NOKEY" >prod.ini &&
	expect_code 1 trace "$RG" pre-commit &&
	contains "$TRASH/stderr" "trace: prod.ini: object database" &&
	contains "$TRASH/stderr" "error[secrets.aws-access-key-id] prod.ini:1:"
'

test_expect_success 'same size and mtime restored: the changed ctime still tells' '
	new_repo r2 && cd r2 &&
	printf "id = %s\n" "$NOKEY" >prod.ini && git add prod.ini &&
	touch -r prod.ini "$TRASH/stamp" &&
	printf "id = %s\n" "$AKID" >prod.ini && touch -r "$TRASH/stamp" prod.ini &&
	expect_code 0 trace "$RG" pre-commit &&
	contains "$TRASH/stderr" "trace: prod.ini: object database" &&
	lacks "$TRASH/stderr" "error["
'

test_expect_success 'a clean filter: the object database, always' '
	new_repo r3 && cd r3 &&
	git config filter.scrub.clean "sed s/AKIA[A-Z0-9]*/REDACTED/" &&
	git config filter.scrub.smudge cat &&
	echo "*.ini filter=scrub" >.gitattributes &&
	printf "id = %s\n" "$AKID" >prod.ini && age .gitattributes prod.ini && git add .gitattributes prod.ini &&
	expect_code 0 trace "$RG" pre-commit &&
	contains "$TRASH/stderr" "trace: prod.ini: object database" &&
	contains "$TRASH/stderr" "trace: .gitattributes: working tree" &&
	git show :prod.ini >"$TRASH/blob" && contains "$TRASH/blob" "REDACTED"
'

test_expect_success 'a clean filter set only in the working tree .gitattributes (unstaged) still counts' '
	new_repo r3w && cd r3w &&
	git config filter.fill.clean "sed s/placeholder/$AKID/" &&
	git config filter.fill.smudge cat &&
	echo "*.ini filter=fill" >.gitattributes &&
	mkdir -p sub && echo "*.cfg filter=fill" >sub/.gitattributes &&
	echo "id = placeholder" >prod.ini && echo "id = placeholder" >sub/a.cfg &&
	age prod.ini sub/a.cfg && git add prod.ini sub/a.cfg &&
	git show :prod.ini >"$TRASH/blob" && contains "$TRASH/blob" "$AKID" &&
	expect_code 1 trace "$RG" pre-commit &&
	contains "$TRASH/stderr" "trace: prod.ini: object database" &&
	contains "$TRASH/stderr" "trace: sub/a.cfg: object database" &&
	contains "$TRASH/stderr" "error[secrets.aws-access-key-id] prod.ini:1:" &&
	contains "$TRASH/stderr" "error[secrets.aws-access-key-id] sub/a.cfg:1:"
'

test_expect_success 'a clean filter set through an [attr] macro counts too' '
	new_repo r3m && cd r3m &&
	git config filter.fill.clean "sed s/placeholder/$AKID/" &&
	git config filter.fill.smudge cat &&
	printf "[attr]filled filter=fill\n*.ini filled\n" >.gitattributes && git add .gitattributes &&
	echo "id = placeholder" >prod.ini && age prod.ini && git add prod.ini &&
	git show :prod.ini >"$TRASH/blob" && contains "$TRASH/blob" "$AKID" &&
	expect_code 1 trace "$RG" pre-commit &&
	contains "$TRASH/stderr" "trace: prod.ini: object database" &&
	contains "$TRASH/stderr" "error[secrets.aws-access-key-id] prod.ini:1:"
'

test_expect_success 'a clean filter through a macro of another file, a quoted pattern or core.ignorecase counts too' '
	new_repo r3x && cd r3x &&
	git config filter.fill.clean "sed s/placeholder/$AKID/" &&
	git config filter.fill.smudge cat &&
	echo "[attr]filled filter=fill" >.git/info/attributes &&
	mkdir -p "my dir" &&
	printf "*.ini filled\n\"my dir/*.cfg\" filter=fill\n*.CONF filter=fill\n" >.gitattributes &&
	git config core.ignorecase true &&
	for f in prod.ini "my dir/a.cfg" b.conf; do echo "id = placeholder" >"$f" || return 1; done &&
	age prod.ini "my dir/a.cfg" b.conf && git add .gitattributes prod.ini "my dir/a.cfg" b.conf &&
	git show :b.conf >"$TRASH/blob" && contains "$TRASH/blob" "$AKID" &&
	expect_code 1 trace "$RG" pre-commit &&
	for f in prod.ini "my dir/a.cfg" b.conf; do
		contains "$TRASH/stderr" "trace: $f: object database" &&
		contains "$TRASH/stderr" "error[secrets.aws-access-key-id] $f:1:" || return 1
	done
'

test_expect_success 'a clean filter named only in core.attributesFile or info/attributes counts too' '
	new_repo r3g && cd r3g &&
	git config filter.fill.clean "sed s/placeholder/$AKID/" &&
	git config filter.fill.smudge cat &&
	echo "*.ini filter=fill" >"$TRASH/r3g-attributes" &&
	git config core.attributesFile "$TRASH/r3g-attributes" &&
	echo "id = placeholder" >prod.ini && age prod.ini && git add prod.ini &&
	git show :prod.ini >"$TRASH/blob" && contains "$TRASH/blob" "$AKID" &&
	expect_code 1 trace "$RG" pre-commit &&
	contains "$TRASH/stderr" "trace: prod.ini: object database" &&
	contains "$TRASH/stderr" "error[secrets.aws-access-key-id] prod.ini:1:" &&
	new_repo r3i && cd r3i &&
	git config filter.fill.clean "sed s/placeholder/$AKID/" &&
	git config filter.fill.smudge cat &&
	echo "*.cfg filter=fill" >.git/info/attributes &&
	echo "id = placeholder" >a.cfg && echo "id = placeholder" >b.txt && age a.cfg b.txt && git add a.cfg b.txt &&
	expect_code 1 trace "$RG" pre-commit &&
	contains "$TRASH/stderr" "trace: a.cfg: object database" &&
	contains "$TRASH/stderr" "trace: b.txt: working tree" &&
	contains "$TRASH/stderr" "error[secrets.aws-access-key-id] a.cfg:1:"
'

test_expect_success 'git lfs track without staging .gitattributes: the size rule sees the pointer, not the file' '
	new_repo r3l && cd r3l &&
	printf "[size]\nmax_file_size = 1K\n" >.repoguard.ini &&
	git config filter.lfs.clean "printf \"version https://git-lfs.github.com/spec/v1\\nsize 4096\\n\" #" &&
	git config filter.lfs.smudge cat &&
	echo "*.psd filter=lfs diff=lfs merge=lfs -text" >.gitattributes &&
	awk "BEGIN { for (i = 0; i < 512; i++) print \"0123456\" }" >big.psd &&
	age big.psd && git add big.psd &&
	test "$(git cat-file -s :big.psd)" -lt 100 &&
	expect_code 0 "$RG" pre-commit
'

test_expect_success 'many staged files: sizes are read on several threads, and a changed working tree file still defers to the blob' '
	new_repo r3s && cd r3s &&
	printf "[size]\nmax_file_size = 1K\n" >"$TRASH/m.ini" &&
	mkdir d && i=0 && while [ $i -lt 300 ]; do echo $i >d/f$i.txt; i=$((i + 1)); done &&
	head -c 2000 /dev/zero >d/big-file.bin && head -c 2000 /dev/zero >d/big-blob.bin &&
	echo small >d/small-blob.bin && age d/* && git add d &&
	: "the working tree no longer vouches for these two: the blobs decide" &&
	echo small >d/big-blob.bin && head -c 3000 /dev/zero >d/small-blob.bin &&
	for t in 1 2; do
		REPOGUARD_THREADS=$t expect_code 1 "$RG" pre-commit --config "$TRASH/m.ini" &&
		contains "$TRASH/stderr" "error[size] d/big-file.bin: 2.0 KiB" &&
		contains "$TRASH/stderr" "error[size] d/big-blob.bin: 2.0 KiB" &&
		lacks "$TRASH/stderr" "small-blob" &&
		test "$(grep -c "error\[size\]" "$TRASH/stderr")" = 2 || return 1
	done
'

test_expect_success 'the size and block checks take the sizes of the files the content rules read, stat only the others, and report first' '
	new_repo r3r && cd r3r &&
	printf "[size]\nmax_file_size = 1K\n[content]\nmax_file_size = 1500\n" >"$TRASH/r.ini" &&
	awk "BEGIN { for (i = 0; i < 150; i++) print \"line\", i }" >read.txt &&
	awk "BEGIN { for (i = 0; i < 300; i++) print \"line\", i }" >too-big.txt &&
	printf "id = %s\n" "$AKID" >key.ini && mkdir node_modules && seq 1 100 >node_modules/a.js &&
	seq 1 200 >node_modules/b.js && age read.txt too-big.txt key.ini node_modules/* && git add . &&
	test "$(wc -c <read.txt)" -gt 1024 && test "$(wc -c <read.txt)" -le 1500 &&
	expect_code 1 trace "$RG" pre-commit --config "$TRASH/r.ini" &&
	contains "$TRASH/stderr" "trace: read.txt: working tree" &&
	lacks "$TRASH/stderr" "read.txt: size: lstat" &&
	contains "$TRASH/stderr" "trace: too-big.txt: size: lstat" &&
	contains "$TRASH/stderr" "error[size] read.txt: 1.2 KiB" &&
	contains "$TRASH/stderr" "error[size] too-big.txt:" &&
	: "the block rule sums the sizes of what it blocks from the same reads" &&
	lacks "$TRASH/stderr" "node_modules/a.js: size: lstat" &&
	contains "$TRASH/stderr" "error[block] node_modules/: 2 files, $(cat node_modules/* | wc -c | tr -d " ") bytes staged" &&
	test "$(grep -n "^error\[block\]" "$TRASH/stderr" | cut -d: -f1)" -lt \
		"$(grep -n "^error\[size\] read.txt" "$TRASH/stderr" | cut -d: -f1)" &&
	: "findings in rule table order: size before secrets, though it runs after them" &&
	test "$(grep -n "^error\[size\] read.txt" "$TRASH/stderr" | cut -d: -f1)" -lt \
		"$(grep -n "^error\[secrets" "$TRASH/stderr" | cut -d: -f1)" &&
	: "content rules skipped: every size by lstat, the same findings" &&
	REPOGUARD_SKIP=secrets,content,conflict expect_code 1 trace "$RG" pre-commit --config "$TRASH/r.ini" &&
	contains "$TRASH/stderr" "trace: read.txt: size: lstat" &&
	contains "$TRASH/stderr" "error[size] read.txt: 1.2 KiB"
'

test_expect_success 'core.autocrlf: a file with CRs comes from the object database, one without from the file' '
	new_repo r4 && cd r4 && git config core.autocrlf true &&
	printf "a = 1\r\nid = %s\r\n" "$AKID" >crlf.ini &&
	printf "a = 1\nb = 2\n" >lf.ini && age crlf.ini lf.ini &&
	git add crlf.ini lf.ini 2>/dev/null &&
	expect_code 1 trace "$RG" pre-commit &&
	contains "$TRASH/stderr" "trace: crlf.ini: object database" &&
	contains "$TRASH/stderr" "trace: lf.ini: working tree" &&
	contains "$TRASH/stderr" "crlf.ini:2:"
'

test_expect_success 'the text attribute counts like core.autocrlf' '
	new_repo r5 && cd r5 &&
	echo "*.txt text" >.gitattributes &&
	printf "x\r\n" >a.txt && printf "y\n" >b.txt && printf "z\r\n" >c.bin && age a.txt b.txt c.bin &&
	git add . 2>/dev/null &&
	expect_code 0 trace "$RG" pre-commit &&
	contains "$TRASH/stderr" "trace: a.txt: object database" &&
	contains "$TRASH/stderr" "trace: b.txt: working tree" &&
	contains "$TRASH/stderr" "trace: c.bin: working tree"
'

test_expect_success 'working-tree-encoding=UTF-16: the blob git made (UTF-8) is checked, not the UTF-16 file' '
	new_repo r5e && cd r5e &&
	echo "*.ps1 text working-tree-encoding=UTF-16" >.gitattributes &&
	git add .gitattributes && git commit -qm attributes && git branch base &&
	printf "\$a = 1\r\n\$key = \"%s\"\r\n" "$AKID" | iconv -f UTF-8 -t UTF-16 >conf.ps1 &&
	age conf.ps1 && git add conf.ps1 &&
	: "the file is UTF-16 with a BOM, the blob UTF-8 without one" &&
	head -c 2 conf.ps1 | od -An -tx1 | grep -Eq "ff fe|fe ff" &&
	git cat-file blob :conf.ps1 >"$TRASH/blob" && contains "$TRASH/blob" "\$key = \"$AKID\"" &&
	expect_code 1 trace "$RG" pre-commit &&
	contains "$TRASH/stderr" "trace: conf.ps1: object database" &&
	contains "$TRASH/stderr" "error[secrets.aws-access-key-id] conf.ps1:2:" &&
	test "$(grep -c "error\[" "$TRASH/stderr")" = 1 &&
	lacks "$TRASH/stderr" "$AKID" &&
	git commit -qm debt --no-verify &&
	printf "\$a = 1\r\n\$key = \"%s\"\r\n\$b = 2\r\n" "$AKID" | iconv -f UTF-8 -t UTF-16 >conf.ps1 &&
	git add conf.ps1 && expect_code 0 "$RG" pre-commit &&
	printf "\$a = 1\r\n\$key = \"%s\"\r\n\$b = 2\r\n\$c = \"%s\"\r\n" "$AKID" "$AKID2" |
		iconv -f UTF-8 -t UTF-16 >conf.ps1 &&
	git add conf.ps1 && git commit -qm more --no-verify && leak=$(git rev-parse --short=12 HEAD) &&
	expect_code 1 "$RG" ci --base base --head HEAD &&
	contains "$TRASH/stdout" "error[secrets.aws-access-key-id] $(git rev-parse --short=12 HEAD~1):conf.ps1:2:" &&
	contains "$TRASH/stdout" "error[secrets.aws-access-key-id] $leak:conf.ps1:4:" &&
	test "$(grep -c "error\[" "$TRASH/stdout")" = 2
'

test_expect_success 'assume-unchanged and racily clean entries are never trusted' '
	new_repo r6 && cd r6 &&
	echo one >assumed.txt && git add assumed.txt &&
	git update-index --assume-unchanged assumed.txt &&
	echo future >racy.txt && touch -d "2099-01-01 00:00:00" racy.txt && git add racy.txt &&
	expect_code 0 trace "$RG" pre-commit &&
	contains "$TRASH/stderr" "trace: assumed.txt: object database" &&
	contains "$TRASH/stderr" "trace: racy.txt: object database"
'

test_expect_success 'an entry without stat data (update-index --cacheinfo) is never read from a file' '
	new_repo r9 && cd r9 &&
	printf "id = %s\n" "$AKID" >"$TRASH/key.ini" &&
	blob=$(git hash-object -w "$TRASH/key.ini") &&
	git update-index --add --cacheinfo 100644,$blob,prod.ini &&
	printf "id = %s\n" "$NOKEY" >prod.ini &&
	expect_code 1 trace "$RG" pre-commit &&
	contains "$TRASH/stderr" "trace: prod.ini: object database" &&
	contains "$TRASH/stderr" "error[secrets.aws-access-key-id] prod.ini:1:"
'

test_expect_success 'git commit -a: the hook reads what git staged in its own index' '
	new_repo r7 && cd r7 &&
	echo base >app.ini && git add app.ini && git commit -qm base &&
	printf "id = %s\n" "$AKID" >>app.ini && age app.ini &&
	expect_code 1 trace git commit -qam "add a key" &&
	contains "$TRASH/stderr" "trace: app.ini: working tree" &&
	contains "$TRASH/stderr" "trace: app.ini: object database" &&
	contains "$TRASH/stderr" "app.ini:2:"
'

test_expect_success 'REPOGUARD_NO_WORKTREE_READS reads every blob' '
	cd r1 && printf "id = %s\n" "$AKID" >prod.ini && git add prod.ini &&
	REPOGUARD_NO_WORKTREE_READS=1 expect_code 1 trace "$RG" pre-commit &&
	contains "$TRASH/stderr" "trace: prod.ini: object database" &&
	lacks "$TRASH/stderr" "working tree"
'

test_expect_success 'the report is the same on one thread and on four' '
	new_repo r8 && cd r8 && mkdir -p src &&
	i=0 && while [ $i -lt 60 ]; do
		k=$(gen_key AKIA 16 $B32 $((100 + i))) &&
		printf "line\nid = %s\nline\n" "$k" >src/f$i.ini &&
		{ [ $((i % 7)) -ne 0 ] || printf "secret_note = \"repoguard:allow\" id = %s repoguard:allow secrets\n" "$k" >>src/f$i.ini; } &&
		i=$((i + 1))
	done &&
	printf "<<<<<<< HEAD\nmine\n" >src/a-open.txt &&
	printf "=======\ntheirs\n" >src/b-sep.txt &&
	printf "bin\000ary\n" >src/c.bin &&
	git add src &&
	REPOGUARD_THREADS=1 expect_code 1 "$RG" pre-commit --format json && cp "$TRASH/stdout" "$TRASH/one.json" &&
	REPOGUARD_THREADS=4 expect_code 1 "$RG" pre-commit --format json && cp "$TRASH/stdout" "$TRASH/four.json" &&
	cmp "$TRASH/one.json" "$TRASH/four.json" &&
	REPOGUARD_THREADS=1 expect_code 1 "$RG" pre-commit && cp "$TRASH/stderr" "$TRASH/one.txt" &&
	REPOGUARD_THREADS=4 expect_code 1 "$RG" pre-commit && cp "$TRASH/stderr" "$TRASH/four.txt" &&
	cmp "$TRASH/one.txt" "$TRASH/four.txt" &&
	test "$(grep -c "error\[secrets.aws-access-key-id\]" "$TRASH/four.txt")" = 60 &&
	contains "$TRASH/four.txt" "error[conflict] src/a-open.txt:1:" &&
	lacks "$TRASH/four.txt" "src/b-sep.txt" &&
	contains "$TRASH/four.txt" "allowed by repoguard:allow comments" &&
	contains "$TRASH/four.txt" "skipped 1 binary file: src/c.bin"
'

test_skip() {
	test_count=$((test_count + 1))
	echo "ok $test_count # skip $1"
}

# a line of the trace, whole
has_line() { grep -qxF -- "$2" "$1" || { echo "expected the line '$2' in $1:"; cat "$1"; return 1; }; }

test_expect_success 'files read in batches (io_uring) report as files read one by one, and every check still holds' '
	new_repo r9b && cd r9b && mkdir -p src && git config core.autocrlf true &&
	printf "[content]\nmax_file_size = 3M\n" >"$TRASH/b.ini" &&
	i=0 && while [ $i -lt 40 ]; do
		printf "line\nid = %s\n" "$(gen_key AKIA 16 $B32 $((300 + i)))" >src/f$i.ini && i=$((i + 1))
	done &&
	printf "id = %s\n" "$NOKEY" >src/edited.ini && printf "id = %s\n" "$NOKEY" >src/gone.ini &&
	printf "id = %s\n" "$NOKEY" >src/link.ini && printf "a = 1\r\nid = %s\r\n" "$AKID" >src/crlf.ini &&
	awk "BEGIN { for (i = 0; i < 80000; i++) print \"filler line\", i; print \"id = $AKID2\" }" >src/big.txt &&
	awk "BEGIN { for (i = 0; i < 200000; i++) print \"filler line\", i }" >src/huge.txt &&
	age src/* && git add src 2>/dev/null &&
	: "after git add: the files no longer vouch for what git staged" &&
	printf "id = %s\n" "$AKID" >src/edited.ini && rm src/gone.ini &&
	rm src/link.ini && ln -s edited.ini src/link.ini &&
	for mode in 1 0; do
		REPOGUARD_IO_URING=$mode expect_code 1 "$RG" pre-commit --config "$TRASH/b.ini" --format json &&
		cp "$TRASH/stdout" "$TRASH/batch$mode.json" &&
		REPOGUARD_IO_URING=$mode REPOGUARD_THREADS=1 expect_code 1 "$RG" pre-commit --config "$TRASH/b.ini" --format json &&
		cmp "$TRASH/stdout" "$TRASH/batch$mode.json" || return 1
	done &&
	cmp "$TRASH/batch1.json" "$TRASH/batch0.json" &&
	n=$(grep -c "\"rule\": \"secrets.aws-access-key-id\"" "$TRASH/batch1.json") && test "$n" = 42 || { grep -o "\"path\": \"[^\"]*\"" "$TRASH/batch1.json"; false; } &&
	contains "$TRASH/batch1.json" "src/big.txt" && contains "$TRASH/batch1.json" "src/crlf.ini" &&
	lacks "$TRASH/batch1.json" "src/edited.ini" && lacks "$TRASH/batch1.json" "src/link.ini" &&
	REPOGUARD_THREADS=1 expect_code 1 trace "$RG" pre-commit --config "$TRASH/b.ini" &&
	for f in edited gone link crlf; do has_line "$TRASH/stderr" "trace: src/$f.ini: object database" || return 1; done &&
	: "over 1 MiB: read alone; over max_file_size: not read, and noted" &&
	has_line "$TRASH/stderr" "trace: src/big.txt: working tree" &&
	contains "$TRASH/stderr" "skipped 1 file over [content] max_file_size: src/huge.txt" &&
	if grep -q "no batched reads" "$TRASH/stderr"; then
		echo "# io_uring unavailable here: only the one-by-one reads were tested"
	else
		has_line "$TRASH/stderr" "trace: src/f7.ini: working tree, read in a batch"
	fi &&
	REPOGUARD_IO_URING=0 expect_code 1 trace "$RG" pre-commit --config "$TRASH/b.ini" &&
	contains "$TRASH/stderr" "trace: no batched reads" &&
	has_line "$TRASH/stderr" "trace: src/f7.ini: working tree"
'

# The kernel refusing a batch (tests/lib/uring-fail.c makes liburing's submit
# fail from its Nth call on): every file is then read one by one, with the
# same report.
uring_shim=
if cc -shared -fPIC -o "$TRASH/uring-fail.so" "$SRC_DIR/tests/lib/uring-fail.c" -ldl 2>/dev/null &&
	! nm -D "$REPOGUARD" 2>/dev/null | grep -q __asan_init; then
	uring_shim=$TRASH/uring-fail.so
fi
if [ -z "$uring_shim" ] || (cd r9b && REPOGUARD_TRACE_READS=1 "$RG" pre-commit 2>&1) | grep -q "no batched reads"; then
	test_skip "a refused batch falls back to one-by-one reads (no io_uring here, no cc, or a sanitizer build)"
else
	test_expect_success 'a refused batch falls back to one-by-one reads: the same report' '
		cd r9b &&
		for at in 1 2 3 5; do
			URING_FAIL_AT=$at LD_PRELOAD=$uring_shim expect_code 1 "$RG" pre-commit --config "$TRASH/b.ini" --format json &&
			cmp "$TRASH/stdout" "$TRASH/batch0.json" &&
			URING_FAIL_AT=$at LD_PRELOAD=$uring_shim REPOGUARD_THREADS=1 expect_code 1 trace "$RG" pre-commit --config "$TRASH/b.ini" &&
			has_line "$TRASH/stderr" "trace: src/f39.ini: working tree" || return 1
		done &&
		URING_FAIL_AT=3 LD_PRELOAD=$uring_shim REPOGUARD_THREADS=1 expect_code 1 trace "$RG" pre-commit --config "$TRASH/b.ini" &&
		: "the first batch was read before the ring failed" &&
		grep -q "read in a batch" "$TRASH/stderr"
	'
fi

test_expect_success 'a missing object outside a partial clone fails closed (ci exits 4), naming the object' '
	new_repo r20 && cd r20 &&
	echo base >README && git add README && git commit -qm base && git branch base &&
	printf "id = %s\n" "$AKID" >b.ini && git add b.ini && git commit -qm b --no-verify &&
	blob=$(git rev-parse HEAD:b.ini) &&
	rm -f ".git/objects/$(echo $blob | cut -c1-2)/$(echo $blob | cut -c3-)" &&
	expect_code 4 "$RG" ci --base base --head HEAD &&
	contains "$TRASH/stderr" "$blob" &&
	contains "$TRASH/stderr" "git fsck" &&
	lacks "$TRASH/stderr" "partial clone)"
'

test_expect_success 'in a partial clone a missing blob a change adds fails closed too, saying how to fetch it' '
	cd r20 && git config remote.origin.promisor true &&
	expect_code 4 "$RG" ci --base base --head HEAD &&
	contains "$TRASH/stderr" "$(git rev-parse HEAD:b.ini) (b.ini) is missing: this is a partial clone" &&
	contains "$TRASH/stderr" "git cat-file --batch-check"
'

test_expect_success 'a CI clone with --filter=blob:none: a secret and a large file in an earlier commit of the range are not passed unread' '
	git init -q r22up && (cd r22up && git config uploadpack.allowFilter true &&
		echo base >README && git add README && git commit -qm base &&
		git checkout -qb pr && printf "id = %s\n" "$AKID" >b.ini &&
		head -c 6000000 /dev/zero >big.bin && git add b.ini big.bin && git commit -qm b --no-verify &&
		git rm -q b.ini big.bin && echo ok >ok && git add ok && git commit -qm clean --no-verify) &&
	git clone -q --filter=blob:none --branch pr "file://$TRASH/r22up" r22 && cd r22 &&
	test -n "$(git rev-list --objects --missing=print origin/main..pr | sed -n "s/^?//p")" &&
	expect_code 4 "$RG" ci --base origin/main --head pr &&
	contains "$TRASH/stderr" "is missing: this is a partial clone" &&
	RG_BASE=origin/main RG_HEAD=pr REPOGUARD="$RG" expect_code 1 "$SRC_DIR/integrations/ci-check.sh" &&
	contains "$TRASH/stderr" "partial clone: fetching the blobs the range needs" &&
	contains "$TRASH/stdout" ":big.bin: 5.7 MiB, over the 5.0 MiB limit" &&
	contains "$TRASH/stdout" "secrets.aws-access-key-id"
'

test_expect_success 'a CI clone with --filter=blob:none: the routing check does not take a router it cannot read for one without imports' '
	git init -q r23up && (cd r23up && git config uploadpack.allowFilter true &&
		printf "[routes]\nroots = src/App.tsx\ncomponents = src/components/**\n" >.repoguard.ini &&
		mkdir -p src/components && echo "export default 1" >src/components/Feed.tsx &&
		printf "import Feed from \"./components/Feed\"\n" >src/App.tsx &&
		git add . && git commit -qm base && git checkout -qb pr &&
		git rm -q src/components/Feed.tsx && git commit -qm "delete Feed, App still imports it" --no-verify &&
		echo "export default 1" >src/App.tsx && git commit -qam "fix App" --no-verify) &&
	git clone -q --filter=blob:none --branch pr "file://$TRASH/r23up" r23 && cd r23 &&
	expect_code 4 "$RG" ci --base origin/main --head pr &&
	contains "$TRASH/stderr" "a file the routing check follows, is missing" &&
	RG_BASE=origin/main RG_HEAD=pr REPOGUARD="$RG" expect_code 1 "$SRC_DIR/integrations/ci-check.sh" &&
	contains "$TRASH/stdout" "src/App.tsx:1: imports '"'"'./components/Feed'"'"' (src/components/Feed.tsx), which this commit deletes"
'

test_expect_success 'the size and lfs rules fail closed on a missing object too (content rules off)' '
	new_repo r21 && cd r21 &&
	printf "[secrets]\nenabled = false\n[conflict]\nseverity = off\n" >.repoguard.ini &&
	echo "big.bin filter=lfs" >.gitattributes &&
	git add .repoguard.ini .gitattributes && git commit -qm base && git branch base &&
	echo small >big.bin && echo other >c.txt && git add big.bin c.txt && git commit -qm b --no-verify &&
	blob=$(git rev-parse HEAD:big.bin) &&
	rm -f ".git/objects/$(echo $blob | cut -c1-2)/$(echo $blob | cut -c3-)" &&
	expect_code 4 "$RG" ci --base base --head HEAD &&
	contains "$TRASH/stderr" "$blob (big.bin) is missing" &&
	REPOGUARD_SKIP=size expect_code 4 "$RG" ci --base base --head HEAD &&
	contains "$TRASH/stderr" "$blob (big.bin) is missing" &&
	git config remote.origin.promisor true &&
	expect_code 4 "$RG" ci --base base --head HEAD &&
	contains "$TRASH/stderr" "$blob (big.bin) is missing: this is a partial clone"
'

test_expect_success 'a malformed REPOGUARD_THREADS is a usage error naming the variable, not silently one per CPU' '
	new_repo rthr && cd rthr && echo a >a && git add a &&
	for v in abc 0 -2 "4x"; do
		REPOGUARD_THREADS="$v" expect_code 2 "$RG" pre-commit &&
		contains "$TRASH/stderr" "REPOGUARD_THREADS='"'"'$v'"'"' is not a number of threads" || return 1
	done &&
	REPOGUARD_THREADS=3 "$RG" pre-commit && REPOGUARD_THREADS=64 "$RG" pre-commit && REPOGUARD_THREADS= "$RG" pre-commit
'

test_done

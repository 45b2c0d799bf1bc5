#!/bin/sh
# t0310: the server-side pre-receive hook in a bare repository, pushed to
# with the real git client over file://. Refused pushes must leave the
# server's refs and objects exactly as they were.
. "$(dirname "$0")/../lib/test-lib.sh"

# server NAME: a bare repository with the pre-receive hook and one commit on main
server() {
	git init -q --bare "$1.git" &&
	(cd "$1.git" && "$RG" install --server >/dev/null) &&
	git clone -q "file://$TRASH/$1.git" "$1" 2>/dev/null &&
	(cd "$1" && echo base >README && git add README && git commit -qm base && git push -q origin main)
}

add_nm() { mkdir -p node_modules && echo "$1" >node_modules/x.js && git add node_modules; }

test_expect_success 'an accepted push lands' '
	server s1 && cd s1 &&
	echo a >a && git add a && git commit -qm a &&
	git push -q origin main &&
	test "$(git -C ../s1.git rev-parse main)" = "$(git rev-parse main)"
'

test_expect_success 'a refused push leaves refs and objects unchanged' '
	server s2 && cd s2 &&
	add_nm 1 && git commit -qm deps && bad=$(git rev-parse HEAD) &&
	git rm -rq node_modules && git commit -qm clean &&
	repo_state ../s2.git >"$TRASH/before" &&
	expect_code 1 git push origin main &&
	contains "$TRASH/stderr" "remote: error[block] $(echo $bad | cut -c1-12):node_modules/" &&
	contains "$TRASH/stderr" "pre-receive hook declined" &&
	repo_state ../s2.git >"$TRASH/after" &&
	cmp "$TRASH/before" "$TRASH/after" &&
	! git -C ../s2.git cat-file -e $bad 2>/dev/null
'

test_expect_success 'a new branch is checked for commits no server ref has' '
	server s3 && cd s3 &&
	git checkout -qb feature && echo f >f && git add f && git commit -qm f &&
	git push -q origin feature &&
	git checkout -qb f2 && add_nm 1 && git commit -qm deps &&
	expect_code 1 git push origin f2 &&
	test "$(grep -c "error\[block\]" "$TRASH/stderr")" = 1
'

test_expect_success 'every ref of a multi-ref push is checked; one bad ref refuses all (atomic)' '
	server s4 && cd s4 &&
	git checkout -qb good && echo g >g && git add g && git commit -qm g &&
	git checkout -qb bad main && add_nm 1 && git commit -qm deps &&
	expect_code 1 git push --atomic origin good bad &&
	expect_code 1 git -C ../s4.git rev-parse -q --verify refs/heads/good &&
	expect_code 1 git -C ../s4.git rev-parse -q --verify refs/heads/bad
'

test_expect_success 'a tag pointing at a bad commit is refused' '
	server s5 && cd s5 &&
	git checkout -q --detach && add_nm 1 && git commit -qm deps &&
	git tag -a -m v1 v1 &&
	expect_code 1 git push origin v1 &&
	contains "$TRASH/stderr" ":node_modules/"
'

test_expect_success 'deleting a branch is allowed when not protected' '
	server s6 && cd s6 &&
	git push -q origin main:tmp && git push -q origin :tmp &&
	expect_code 1 git -C ../s6.git rev-parse -q --verify refs/heads/tmp
'

test_expect_success '--gitlab prefixes every line with GL-HOOK-ERR:' '
	server s7 && cd s7 &&
	rm ../s7.git/hooks/pre-receive &&
	printf "#!/bin/sh\nexec repoguard pre-receive --gitlab\n" >../s7.git/hooks/pre-receive &&
	chmod +x ../s7.git/hooks/pre-receive &&
	add_nm 1 && git commit -qm deps &&
	expect_code 1 git push origin main &&
	grep "^remote: " "$TRASH/stderr" | grep -v "^remote: GL-HOOK-ERR: " | grep -v "^remote: *$" >other || true &&
	test ! -s other &&
	contains "$TRASH/stderr" "remote: GL-HOOK-ERR: error[block]"
'

test_expect_success 'a push cannot weaken the rules it is checked by' '
	server s8 && cd s8 &&
	printf "[block]\nseverity = off\n" >.repoguard.ini && git add .repoguard.ini &&
	add_nm 1 && git commit -qm "switch block off and add deps" &&
	expect_code 1 git push origin main &&
	contains "$TRASH/stderr" "remote: error[block]"
'

test_expect_success 'rules committed on the target branch before the push apply' '
	server s9 && cd s9 &&
	printf "[size]\nmax_file_size = 10\n" >.repoguard.ini && git add .repoguard.ini &&
	git commit -qm "strict size" && git push -q origin main &&
	echo "more than ten bytes" >f && git add f && git commit -qm f &&
	expect_code 1 git push origin main &&
	contains "$TRASH/stderr" "remote: error[size]" &&
	expect_code 1 git push origin main:other &&
	expect_code 1 git -C ../s9.git rev-parse -q --verify refs/heads/other
'

test_expect_success 'new branches use the default branch'"'"'s rules; existing ones their own' '
	server s10 && cd s10 &&
	git checkout -qb lax && printf "[size]\nmax_file_size = 1G\n" >.repoguard.ini &&
	git add .repoguard.ini && git commit -qm lax && git push -q origin lax &&
	git checkout -q main && printf "[size]\nmax_file_size = 10\n" >.repoguard.ini &&
	git add .repoguard.ini && git commit -qm strict && git push -q origin main &&
	git checkout -q lax && echo "more than ten bytes" >f && git add f && git commit -qm f &&
	git push -q origin lax &&
	echo "another file over ten bytes" >g && git add g && git commit -qm g &&
	expect_code 1 git push origin lax:brand-new &&
	contains "$TRASH/stderr" "remote: error[size]"
'

test_expect_success 'repoguard.config in the server git config wins (relative to the repository)' '
	server s11 && cd s11 &&
	printf "[block]\nseverity = off\n" >../s11.git/server-rules.ini &&
	git -C ../s11.git config repoguard.config server-rules.ini &&
	add_nm 1 && git commit -qm deps && git push -q origin main &&
	printf "[block]\npaths = vendor/\n" >../s11.git/server-rules.ini &&
	mkdir vendor && echo v >vendor/v && git add vendor && git commit -qm vendor &&
	expect_code 1 git push origin main &&
	contains "$TRASH/stderr" "remote: error[block]"
'

test_expect_success 'a broken server configuration refuses every push (fail closed)' '
	server s12 && cd s12 &&
	printf "[block]\nno_such_key = 1\n" >../s12.git/rules.ini &&
	git -C ../s12.git config repoguard.config rules.ini &&
	echo a >a && git add a && git commit -qm a &&
	expect_code 1 git push origin main &&
	contains "$TRASH/stderr" "remote: repoguard: configuration error; pre-receive refuses to run" &&
	contains "$TRASH/stderr" "rules.ini:2: unknown key"
'

test_expect_success 'the quarantine is found when the server path needs C-quoting' '
	mkdir -p "q:u\"o te" && git init -q --bare "q:u\"o te/s.git" &&
	(cd "q:u\"o te/s.git" && "$RG" install --server >/dev/null) &&
	git clone -q "q:u\"o te/s.git" q 2>/dev/null && cd q &&
	echo base >README && git add README && git commit -qm base && git push -q origin main &&
	echo b >b && git add b && git commit -qm b && git push -q origin main &&
	add_nm 1 && git commit -qm deps &&
	expect_code 1 git push origin main &&
	contains "$TRASH/stderr" "remote: error[block]" &&
	lacks "$TRASH/stderr" "repoguard: error"
'

test_expect_success 'pushes over git:// (git daemon --enable=receive-pack on 127.0.0.1)' '
	server s13 &&
	port=$(python3 -c "import socket; s=socket.socket(); s.bind((\"127.0.0.1\", 0)); print(s.getsockname()[1]); s.close()")
	git daemon --listen=127.0.0.1 --port=$port --base-path="$TRASH" --export-all \
		--enable=receive-pack --reuseaddr --informative-errors "$TRASH" 2>"$TRASH/daemon.log" &
	echo $! >"$TRASH/daemon.pid" &&
	i=0 && until git ls-remote "git://127.0.0.1:$port/s13.git" >/dev/null 2>&1; do
		i=$((i + 1)); test $i -lt 100 || { cat "$TRASH/daemon.log"; false; }; sleep 0.1; done &&
	cd s13 && git remote add daemon "git://127.0.0.1:$port/s13.git" &&
	repo_state ../s13.git >"$TRASH/before" &&
	add_nm 1 && git commit -qm deps &&
	expect_code 1 git push daemon main &&
	contains "$TRASH/stderr" "remote: error[block]" &&
	repo_state ../s13.git >"$TRASH/after" && cmp "$TRASH/before" "$TRASH/after" &&
	git reset -q --hard HEAD~1 && echo ok >ok && git add ok && git commit -qm ok &&
	git push -q daemon main &&
	test "$(git -C ../s13.git rev-parse main)" = "$(git rev-parse main)"
'

test_expect_success 'stop git daemon' '
	kill "$(cat "$TRASH/daemon.pid")" && wait 2>/dev/null; true
'

# main's debt, already on the server (pushed before the hook was there): a
# secret and three commits each under [bulk], merged into a feature branch.
test_expect_success 'a merge of main into a feature branch does not re-check main' '
	server s14 && cd s14 &&
	mv ../s14.git/hooks/pre-receive ../s14-hook &&
	printf "[bulk]\nmax_added_files = 3\n" >.repoguard.ini && git add .repoguard.ini &&
	git commit -qm rules && git push -q origin main &&
	git checkout -qb feat && echo f >f && git add f && git commit -qm f && git push -q origin feat &&
	git checkout -q main &&
	echo "T=$(gen_key ghp_ 36 "$B32" 14)" >legacy.cfg && git add legacy.cfg && git commit -qm legacy &&
	for i in 1 2 3; do mkdir d$i && echo 1 >d$i/1 && echo 2 >d$i/2 && git add d$i &&
		git commit -qm d$i; done &&
	git push -q origin main && mv ../s14-hook ../s14.git/hooks/pre-receive &&
	git checkout -q feat && git merge -q --no-edit main &&
	git push origin feat 2>err && lacks err legacy.cfg && lacks err "error[" &&
	test "$(git -C ../s14.git rev-parse feat)" = "$(git rev-parse feat)"
'

test_expect_success 'an evil merge (a secret added in the merge commit itself) is refused' '
	cd s14 && git checkout -q main && echo m >m && git add m && git commit -qm m &&
	git push -q origin main &&
	git checkout -q feat && git merge -q --no-commit main &&
	echo "K=$(gen_key ghp_ 36 "$B32" 15)" >evil.cfg && git add evil.cfg && git commit -q --no-edit &&
	expect_code 1 git push origin feat &&
	contains "$TRASH/stderr" "remote: error[secrets.github-token] $(git rev-parse --short=12 feat):evil.cfg:1" &&
	lacks "$TRASH/stderr" legacy.cfg &&
	contains "$TRASH/stderr" "1 error"
'

test_expect_success 'a commit shared by an updated and a new branch (same rules) is reported once' '
	server s15 && cd s15 &&
	echo "T=$(gen_key ghp_ 36 "$B32" 16)" >t && git add t && git commit -qm t &&
	expect_code 1 git push origin main:main main:refs/heads/b2 &&
	test "$(grep -c "error\[secrets.github-token\]" "$TRASH/stderr")" = 1 &&
	contains "$TRASH/stderr" "1 error," &&
	expect_code 1 git push origin main:refs/heads/b3 main:refs/heads/b4 &&
	test "$(grep -c "error\[secrets.github-token\]" "$TRASH/stderr")" = 1 &&
	expect_code 1 git push origin main:refs/heads/b5 main:main &&
	test "$(grep -c "error\[secrets.github-token\]" "$TRASH/stderr")" = 1
'

# ac47907 hid each group's tips from the later groups: a commit the lax group
# (secrets off) had walked was then skipped by the strict one.
test_expect_success 'a commit shared by updates under different rules is checked with each' '
	server s16 && cd s16 &&
	git checkout -qb zrel && git push -q origin zrel && git checkout -q main &&
	printf "[secrets]\nenabled = false\n" >.repoguard.ini && git add .repoguard.ini &&
	git commit -qm lax && git push -q origin main:aaa &&
	git checkout -q zrel &&
	echo "token = $(gen_key ghp_ 36 "$B32" 17)" >t && git add t && git commit -qm t &&
	repo_state ../s16.git >"$TRASH/before" &&
	expect_code 1 git push origin zrel &&
	expect_code 1 git push -f origin zrel:aaa zrel:zrel &&
	test "$(grep -c "error\[secrets.github-token\]" "$TRASH/stderr")" = 1 &&
	expect_code 1 git push -f origin zrel:zrel zrel:aaa &&
	test "$(grep -c "error\[secrets.github-token\]" "$TRASH/stderr")" = 1 &&
	repo_state ../s16.git >"$TRASH/after" && cmp "$TRASH/before" "$TRASH/after"
'

test_expect_success 'a finding two rule groups make alike is reported once' '
	cd s16 && git checkout -q -b wide origin/main &&
	printf "[size]\nmax_file_size = 1G\n" >.repoguard.ini && git add .repoguard.ini &&
	git commit -qm wide && git push -q origin wide &&
	expect_code 1 git push -f origin zrel:wide zrel:zrel &&
	test "$(grep -c "error\[secrets.github-token\]" "$TRASH/stderr")" = 1 &&
	contains "$TRASH/stderr" "1 error," &&
	expect_code 1 git push -f origin zrel:zrel zrel:wide &&
	test "$(grep -c "error\[secrets.github-token\]" "$TRASH/stderr")" = 1
'

# every commit keeps billing.ts against its first parent, yet main loses it:
# the merge made with -s ours has feat's tree, and main fast-forwards to it
test_expect_success 'a fast-forward to a merge made with -s ours loses a protected file: refused' '
	server s17 && cd s17 &&
	printf "[protect]\npaths = billing.ts\n" >.repoguard.ini && git add .repoguard.ini &&
	git commit -qm protect && git push -q origin main &&
	git checkout -qb feat && echo f >f && git add f && git commit -qm f &&
	git checkout -q main && echo b >billing.ts && git add billing.ts && git commit -qm billing &&
	git push -q origin main && old=$(git rev-parse main) &&
	git checkout -q feat && git merge -q -s ours --no-edit main &&
	git checkout -q main && git merge -q --ff-only feat && new=$(git rev-parse --short=12 main) &&
	expect_code 1 git push origin main &&
	contains "$TRASH/stderr" "remote: error[protect] $new:billing.ts: protected, and gone from refs/heads/main: at its old tip $(echo $old | cut -c1-12), not at the new tip $new" &&
	contains "$TRASH/stderr" "1 error," &&
	test "$(git -C ../s17.git rev-parse main)" = "$old"
'

test_expect_success 'a protected file edited, kept by a merge, or deleted in a commit: no net finding' '
	cd s17 && git reset -q --hard "$(git -C ../s17.git rev-parse main)" &&
	echo edit >>billing.ts && git commit -qam edit && git push -q origin main &&
	git checkout -q feat && git reset -q --hard HEAD~1 && git merge -q --no-edit main &&
	git checkout -q main && git merge -q --ff-only feat && git push -q origin main &&
	git rm -q billing.ts && git commit -qm gone &&
	expect_code 1 git push origin main &&
	test "$(grep -c "error\[protect\]" "$TRASH/stderr")" = 1 &&
	contains "$TRASH/stderr" "billing.ts: protected, must not be deleted" &&
	lacks "$TRASH/stderr" "gone from"
'

# several workers read the pushed blobs, each through a repository of its own
# (rg_ctx_thread_repos): they must find the objects in the quarantine too
test_expect_success 'a push of many files is read on several threads from the quarantine' '
	server s20 && cd s20 &&
	i=0 && while [ $i -lt 48 ]; do echo "line $i" >f$i.txt; i=$((i + 1)); done &&
	git add . && git commit -qm many &&
	REPOGUARD_THREADS=4 git push -q origin main &&
	test "$(git -C ../s20.git rev-parse main)" = "$(git rev-parse main)" &&
	i=0 && while [ $i -lt 48 ]; do echo "more $i" >>f$i.txt; i=$((i + 1)); done &&
	for n in 0 23 47; do echo "T=$(gen_key ghp_ 36 "$B32" $((20 + n)))" >>f$n.txt; done &&
	git commit -qam secrets &&
	expect_code 1 env REPOGUARD_THREADS=4 REPOGUARD_TRACE_READS=1 git push origin main &&
	contains "$TRASH/stderr" "blobs on 4 threads, 3 with a repository of their own" &&
	test "$(grep -c "error\[secrets.github-token\]" "$TRASH/stderr")" = 3 &&
	contains "$TRASH/stderr" ":f0.txt:3:" &&
	contains "$TRASH/stderr" ":f23.txt:3:" &&
	contains "$TRASH/stderr" ":f47.txt:3:" &&
	lacks "$TRASH/stderr" "cannot read" &&
	cp "$TRASH/stderr" "$TRASH/threads" &&
	expect_code 1 env REPOGUARD_THREADS=1 git push origin main &&
	grep "error\[" "$TRASH/threads" >"$TRASH/a" && grep "error\[" "$TRASH/stderr" >"$TRASH/b" &&
	cmp "$TRASH/a" "$TRASH/b"
'

AKID=$(gen_key AKIA 16 $B32 31)

test_expect_success 'an annotated tag whose message holds a key is refused by the server, whatever the client ran' '
	server stag && cd stag &&
	git tag -a v1 -m "key $AKID" && git tag -a v1b -m "fine" &&
	expect_code 1 git push --no-verify origin v1 v1b &&
	contains "$TRASH/stderr" "remote: error[secrets.aws-access-key-id] tag v1'"'"'s message, line 1" &&
	lacks "$TRASH/stderr" "$AKID" &&
	expect_code 1 git -C ../stag.git rev-parse -q --verify refs/tags/v1b &&
	git push -q origin v1b
'

test_expect_success 'a server whose HEAD names no branch refuses new branches and tags (their rules are unknown)' '
	git init -q --bare -b master sd.git && (cd sd.git && "$RG" install --server >/dev/null) &&
	git init -q sd && cd sd && git remote add origin "file://$TRASH/sd.git" &&
	printf "[block]\npaths = zzz/\n" >.repoguard.ini && git add .repoguard.ini && git commit -qm base &&
	git push -q origin main &&
	git checkout -qb sneak && mkdir zzz && echo x >zzz/x && git add zzz && git commit -qm sneak --no-verify &&
	expect_code 1 git push origin sneak &&
	contains "$TRASH/stderr" "HEAD names a branch that does not exist" &&
	contains "$TRASH/stderr" "git symbolic-ref HEAD refs/heads/main" &&
	expect_code 1 git push origin sneak:main &&
	contains "$TRASH/stderr" "error[block]" &&
	git -C ../sd.git symbolic-ref HEAD refs/heads/main &&
	expect_code 1 git push origin sneak &&
	contains "$TRASH/stderr" "error[block]" &&
	git checkout -q main && git checkout -qb ok && echo ok >ok && git add ok && git commit -qm ok &&
	git push -q origin ok
'

test_expect_success 'a tag of a tree or of a blob: findings name the ref, and the fix is the tag'"'"'s' '
	server st && cd st &&
	b1=$(echo x | git hash-object -w --stdin) &&
	b2=$(echo "k=AKIAQ7XK2M9PLR4TZW3B" | git hash-object -w --stdin) &&
	nm=$(printf "100644 blob %s\tx.js\n" "$b1" | git mktree) &&
	tree=$(printf "040000 tree %s\tnode_modules\n" "$nm" | git mktree) &&
	git tag treetag "$tree" && git tag blobtag "$b2" &&
	expect_code 1 git push origin treetag blobtag &&
	contains "$TRASH/stderr" "error[block] refs/tags/treetag:node_modules/: 1 file, 2 bytes tagged" &&
	contains "$TRASH/stderr" "error[secrets.aws-access-key-id] refs/tags/blobtag:1:" &&
	contains "$TRASH/stderr" "git tag -d treetag   # it points at a tree or blob holding this" &&
	contains "$TRASH/stderr" "git tag -d blobtag" &&
	lacks "$TRASH/stderr" "staged" && lacks "$TRASH/stderr" "git add --" &&
	lacks "$TRASH/stderr" "git rm -r --cached"
'

# Every ref of a push used to be walked on its own, hiding the refs walked
# before it: n refs cost n walks (2,000 tags: 15 s). They are walked at
# once now, each commit going to the first ref that reaches it.
test_expect_success 'a push of hundreds of refs: each commit checked once, with the ref that brings it' '
	server smany && cd smany &&
	printf "[deploy.web]\npaths = web/**\nbranches = deploy/web\n[deploy.api]\npaths = api/**\nbranches = deploy/api\n" >.repoguard.ini &&
	git add .repoguard.ini && git commit -qm deploy && git push -q origin main &&
	commit_tags 300 &&
	git checkout -q -b side t150 && add_nm 1 && git commit -qm deps && bad=$(git rev-parse HEAD) &&
	git tag x-bad && git tag x-bad2 && git checkout -q main && git branch -D -q side &&
	git checkout -q -b deploy/api t200 && mkdir web && echo w >web/w && git add web && git commit -qm web &&
	web=$(git rev-parse HEAD) && git checkout -q main &&
	git tag -a -m "key $AKID" t250a t250 &&
	repo_state ../smany.git >"$TRASH/before" &&
	expect_code 1 git push origin main deploy/api --tags &&
	test "$(grep -c "error\[block\]" "$TRASH/stderr")" = 1 &&
	contains "$TRASH/stderr" "remote: error[block] $(echo $bad | cut -c1-12):node_modules/" &&
	contains "$TRASH/stderr" "remote: error[deploy] $(echo $web | cut -c1-12): pushing deploy/api deploys api, but" &&
	contains "$TRASH/stderr" "remote: error[secrets.aws-access-key-id] tag t250a'"'"'s message, line 1" &&
	contains "$TRASH/stderr" "3 errors" &&
	repo_state ../smany.git >"$TRASH/after" && cmp "$TRASH/before" "$TRASH/after" &&
	git tag -d x-bad x-bad2 t250a >/dev/null &&
	git push -q origin main --tags &&
	test "$(git -C ../smany.git tag | wc -l)" = 300 &&
	test "$(git -C ../smany.git rev-parse main)" = "$(git rev-parse main)"
'

# Whether an update is a fast-forward was asked of libgit2 once per ref,
# each question reading the history again: 500 refs force-moved onto a
# history rewritten by git filter-repo took 13 s. One graph answers them
# all now; the answers must stay git's, whatever the dates say.
test_expect_success 'many refs moved over a merging, clock-skewed history: forced exactly where git says so' '
	git init -q --bare dag.git && cd dag.git &&
	python3 "$SRC_DIR/tests/lib/random-dag.py" 7 800 | git fast-import --quiet --export-marks=../dag.marks &&
	git symbolic-ref HEAD refs/heads/x && printf "[branch]\nprotected = *\n" >../dag.ini &&
	awk "BEGIN { srand(3) } { id[NR] = \$2 } END { for (k = 0; k < 200; k++) {
		a = int(rand() * NR) + 1
		b = int(rand() * NR) + 1
		if (a != b) print id[a], id[b], \"refs/heads/b\" k } }" ../dag.marks >../dag.in &&
	while read old new ref; do
		git update-ref "$ref" "$old" || exit 1
		git merge-base --is-ancestor "$old" "$new" || echo "${ref#refs/heads/}"
	done <../dag.in | sort >../dag.want &&
	test "$(wc -l <../dag.want)" -gt 20 && test "$(wc -l <../dag.want)" -lt 190 &&
	REPOGUARD_CONFIG=../dag.ini expect_code 1 "$RG" pre-receive <../dag.in &&
	sed -n "s/^error\[branch\] non-fast-forward push (history rewrite) to protected branch .\(b[0-9]*\).*/\1/p" \
		"$TRASH/stderr" | sort >../dag.got &&
	diff ../dag.want ../dag.got
'

test_done

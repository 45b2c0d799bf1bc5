#!/bin/sh
# t0300: the pre-push hook driven through real `git push`: every ref, every
# new commit, new branches, deletions, tags and force pushes.
. "$(dirname "$0")/../lib/test-lib.sh"

# remote + clone with the client hooks; the remote has no hooks
setup_pair() {
	git init -q --bare "$1.git" &&
	git clone -q "$1.git" "$1" 2>/dev/null &&
	(cd "$1" && "$RG" install >/dev/null &&
	 echo base >README && git add README && git commit -qm base && git push -q origin main)
}

add_nm() { mkdir -p node_modules && echo "$1" >node_modules/x.js && git add node_modules; }

test_expect_success 'a clean push passes and lands' '
	setup_pair p1 && cd p1 &&
	echo a >a && git add a && git commit -qm a &&
	git push -q origin main &&
	test "$(git -C ../p1.git rev-parse main)" = "$(git rev-parse main)"
'

test_expect_success 'a violation in an earlier commit, removed later, is still refused' '
	setup_pair p2 && cd p2 &&
	add_nm 1 && git commit -qm "add deps" --no-verify && bad=$(git rev-parse HEAD) &&
	git rm -rq node_modules && git commit -qm "remove deps" --no-verify &&
	before=$(git -C ../p2.git rev-parse main) &&
	expect_code 1 git push origin main &&
	contains "$TRASH/stderr" "error[block] $(echo $bad | cut -c1-12):node_modules/" &&
	contains "$TRASH/stderr" "repoguard pre-push: 1 error" &&
	test "$(git -C ../p2.git rev-parse main)" = "$before"
'

test_expect_success 'pushing from a subdirectory: the note says where the fix commands run (GIT_PREFIX)' '
	setup_pair p2s && cd p2s &&
	mkdir -p web/src && echo w >web/src/w.js && git add web && git commit -qm web &&
	mkdir -p web/src/node_modules && echo x >web/src/node_modules/x.js &&
	git add web && git commit -qm "add deps" --no-verify &&
	cd web/src && expect_code 1 git push origin main &&
	contains "$TRASH/stderr" "web/src/node_modules" &&
	contains "$TRASH/stderr" "note: the fix commands name paths from the top of the work tree, not from the directory git was started in: run them there (cd ../../)" &&
	cd ../.. && expect_code 1 git push origin main &&
	lacks "$TRASH/stderr" "note: the fix commands"
'

test_expect_success 'only commits the remote does not have are checked' '
	setup_pair p3 && cd p3 &&
	add_nm 1 && git commit -qm deps --no-verify && git push -q --no-verify origin main &&
	echo b >b && git add b && git commit -qm b &&
	git push -q origin main &&
	git checkout -qb topic && echo t >t && git add t && git commit -qm t &&
	git push -q origin topic 2>err && lacks err node_modules
'

test_expect_success 'a new branch is checked for the commits the remote lacks' '
	setup_pair p4 && cd p4 &&
	git checkout -qb feature && add_nm 1 && git commit -qm deps --no-verify &&
	echo c >c && git add c && git commit -qm c &&
	expect_code 1 git push origin feature &&
	contains "$TRASH/stderr" ":node_modules/" &&
	test "$(grep -c "error\[block\]" "$TRASH/stderr")" = 1 &&
	expect_code 1 git -C ../p4.git rev-parse -q --verify refs/heads/feature
'

test_expect_success 'several refs at once: each is checked, a shared commit once' '
	setup_pair p5 && cd p5 &&
	git checkout -qb one && add_nm 1 && git commit -qm deps --no-verify &&
	git checkout -qb two && echo two >two && git add two && git commit -qm two &&
	git checkout -q main && echo ok >ok && git add ok && git commit -qm ok &&
	expect_code 1 git push origin main one two &&
	test "$(grep -c "error\[block\]" "$TRASH/stderr")" = 1 &&
	contains "$TRASH/stderr" ":node_modules/"
'

test_expect_success 'the ref list reaches the hook: --format json names commits' '
	setup_pair p6 && cd p6 &&
	add_nm 1 && git commit -qm deps --no-verify &&
	c=$(git rev-parse HEAD) && r=$(git -C ../p6.git rev-parse main) &&
	echo "refs/heads/main $c refs/heads/main $r" |
	expect_code 1 "$RG" pre-push --format json origin "$(git remote get-url origin)" &&
	contains "$TRASH/stdout" "\"commit\": \"$c\"" &&
	contains "$TRASH/stdout" "\"path\": \"node_modules\""
'

test_expect_success 'a tag brings its commits; an annotated tag is peeled' '
	setup_pair p7 && cd p7 &&
	git checkout -q --detach && add_nm 1 && git commit -qm deps --no-verify &&
	git tag -a -m v1 v1 && git checkout -q main &&
	expect_code 1 git push origin v1 &&
	contains "$TRASH/stderr" ":node_modules/" &&
	git tag light HEAD && git push -q origin light
'

test_expect_success 'deleting a branch checks nothing but protection' '
	setup_pair p8 && cd p8 &&
	git checkout -qb gone && add_nm 1 && git commit -qm deps --no-verify &&
	git push -q --no-verify origin gone &&
	git push -q origin :gone &&
	expect_code 1 git -C ../p8.git rev-parse -q --verify refs/heads/gone
'

test_expect_success 'a force push checks the rewritten commits' '
	setup_pair p9 && cd p9 &&
	echo a >a && git add a && git commit -qm a && git push -q origin main &&
	git reset -q --hard HEAD~1 && add_nm 1 && git commit -qm deps --no-verify &&
	expect_code 1 git push -f origin main &&
	contains "$TRASH/stderr" ":node_modules/" &&
	git reset -q --hard HEAD~1 && echo b >b && git add b && git commit -qm b &&
	git push -q -f origin main
'

test_expect_success 'malformed input is a usage error naming the line' '
	setup_pair p10 && cd p10 &&
	printf "refs/heads/main deadbeef refs/heads/main\n" |
	expect_code 2 "$RG" pre-push origin x &&
	contains "$TRASH/stderr" "line 1" &&
	expect_code 2 "$RG" pre-push
'

test_expect_success 'pushing to a URL uses the tracking refs of the remote with that URL' '
	setup_pair p11 && cd p11 &&
	add_nm 1 && git commit -qm deps --no-verify && git push -q --no-verify origin main &&
	git checkout -qb topic && echo t >t && git add t && git commit -qm t &&
	git push -q "$(git remote get-url origin)" topic 2>err && lacks err node_modules &&
	git checkout -qb topic2 && echo u >u && git add u && git commit -qm u &&
	git init -q --bare ../elsewhere.git &&
	expect_code 1 git push ../elsewhere.git topic2 &&
	contains "$TRASH/stderr" ":node_modules/"
'

test_expect_success 'a forced push over a remote tip this clone never fetched' '
	setup_pair p12 && cd p12 &&
	git clone -q ../p12.git ../p12-other && (cd ../p12-other && echo o >o && git add o &&
		git commit -qm other && git push -q origin main) &&
	add_nm 1 && git commit -qm deps --no-verify &&
	expect_code 1 git push -f origin main &&
	contains "$TRASH/stderr" ":node_modules/" &&
	git reset -q --hard HEAD~1 && echo c >c && git add c && git commit -qm c &&
	git push -q -f origin main
'

test_expect_success 'a pre-push hook that was there gets the same arguments and stdin' '
	git init -q --bare p13.git && git clone -q p13.git p13 2>/dev/null && cd p13 &&
	printf "#!/bin/sh\necho \"args: \$*\" >>\"$TRASH/p13.log\"\ncat >>\"$TRASH/p13.log\"\n" >.git/hooks/pre-push &&
	chmod +x .git/hooks/pre-push && "$RG" install >/dev/null &&
	echo a >a && git add a && git commit -qm a &&
	git push -q origin main main:other &&
	contains "$TRASH/p13.log" "args: origin $TRASH/p13.git" &&
	contains "$TRASH/p13.log" "refs/heads/main $(git rev-parse main) refs/heads/main 0000000000000000000000000000000000000000" &&
	contains "$TRASH/p13.log" "refs/heads/main $(git rev-parse main) refs/heads/other 0000000000000000000000000000000000000000"
'

# main's debt, already on the remote (a secret, three commits each under
# [bulk]), merged into a feature branch: the merge brings nothing new.
test_expect_success 'pushing a merge of main into a feature branch does not re-check main' '
	setup_pair p14 && cd p14 &&
	printf "[bulk]\nmax_added_files = 3\n" >.repoguard.ini && git add .repoguard.ini &&
	git commit -qm rules && git push -q origin main &&
	git checkout -qb feat && echo f >f && git add f && git commit -qm f && git push -q origin feat &&
	git checkout -q main &&
	echo "T=$(gen_key ghp_ 36 "$B32" 14)" >legacy.cfg && git add legacy.cfg && git commit -qm legacy --no-verify &&
	for i in 1 2 3; do mkdir d$i && echo 1 >d$i/1 && echo 2 >d$i/2 && git add d$i &&
		git commit -qm d$i --no-verify; done &&
	git push -q --no-verify origin main &&
	git checkout -q feat && git merge -q --no-edit --no-verify main &&
	git push origin feat 2>err && lacks err legacy.cfg && lacks err "error[" &&
	test "$(git -C ../p14.git rev-parse feat)" = "$(git rev-parse feat)"
'

test_expect_success 'an evil merge (a secret added in the merge commit itself) is refused' '
	cd p14 && git checkout -q main && echo m >m && git add m && git commit -qm m --no-verify &&
	git push -q --no-verify origin main &&
	git checkout -q feat && git merge -q --no-commit main &&
	echo "K=$(gen_key ghp_ 36 "$B32" 15)" >evil.cfg && git add evil.cfg &&
	git commit -q --no-edit --no-verify &&
	expect_code 1 git push origin feat &&
	contains "$TRASH/stderr" "$(git rev-parse --short=12 feat):evil.cfg:1" &&
	lacks "$TRASH/stderr" legacy.cfg &&
	contains "$TRASH/stderr" "repoguard pre-push: 1 error"
'

test_expect_success 'a local remote is known by any spelling of its path' '
	git init -q --bare srv16.git && git clone -q "$TRASH/srv16.git" p16 2>/dev/null && cd p16 &&
	"$RG" install >/dev/null && echo base >README && git add README && git commit -qm base &&
	test "$(git remote get-url origin)" = "$TRASH/srv16.git" &&
	add_nm 1 && git commit -qm deps --no-verify && git push -q --no-verify origin main &&
	git checkout -qb feat && echo f >f && git add f && git commit -qm f &&
	git push ../srv16.git feat:feat1 2>err && lacks err node_modules &&
	git push "$PWD/../srv16.git/" feat:feat2 2>err && lacks err node_modules &&
	git push "file://$PWD/../srv16.git" feat:feat3 2>err && lacks err node_modules &&
	git push ../srv16 feat:feat4 2>err && lacks err node_modules &&
	git push "file://localhost$TRASH/srv16.git" feat:feat5 2>err && lacks err node_modules &&
	git init -q --bare ../p16-other.git &&
	expect_code 1 git push ../p16-other.git feat &&
	contains "$TRASH/stderr" ":node_modules/"
'

# every commit keeps billing.ts against its first parent, yet main loses it:
# the merge made with -s ours has feat's tree, and main fast-forwards to it
test_expect_success 'a fast-forward to a merge made with -s ours loses a protected file: refused' '
	setup_pair p20 && cd p20 &&
	printf "[protect]\npaths = billing.ts\n" >.repoguard.ini && git add .repoguard.ini &&
	git commit -qm protect && git push -q origin main &&
	git checkout -qb feat && echo f >f && git add f && git commit -qm f &&
	git checkout -q main && echo b >billing.ts && git add billing.ts && git commit -qm billing &&
	git push -q origin main && old=$(git rev-parse main) &&
	git checkout -q feat && git merge -q -s ours --no-edit main &&
	git checkout -q main && git merge -q --ff-only feat && new=$(git rev-parse --short=12 main) &&
	expect_code 1 git push origin main &&
	contains "$TRASH/stderr" "error[protect] $new:billing.ts: protected, and gone from refs/heads/main: at its old tip $(echo $old | cut -c1-12), not at the new tip $new" &&
	contains "$TRASH/stderr" "repoguard pre-push: 1 error" &&
	test "$(git -C ../p20.git rev-parse main)" = "$old"
'

test_expect_success 'a protected file edited, kept by a merge, or deleted in a commit: no net finding' '
	cd p20 && git reset -q --hard "$(git -C ../p20.git rev-parse main)" &&
	echo edit >>billing.ts && git commit -qam edit && git push -q origin main &&
	git checkout -q feat && git reset -q --hard HEAD~1 && git merge -q --no-edit main &&
	git checkout -q main && git merge -q --ff-only feat && git push -q origin main &&
	git rm -q billing.ts && git commit -qm gone --no-verify &&
	expect_code 1 git push origin main &&
	test "$(grep -c "error\[protect\]" "$TRASH/stderr")" = 1 &&
	contains "$TRASH/stderr" "billing.ts: protected, must not be deleted" &&
	lacks "$TRASH/stderr" "gone from"
'

# paste_fix FILE [EDIT]: the first fix: block of FILE, pasted into sh as a
# user would: its first line (the interactive rebase, which marks the first
# commit 'edit'), then the edit it asks for (EDIT), then the rest
paste_fix() {
	sed -n "/^  fix:\$/,/^[^ ]/{/^    /s/^    //p}" "$1" | sed "/^if this/,\$d" >"$TRASH/fix.sh" &&
	GIT_SEQUENCE_EDITOR="sed -i 1s/^pick/edit/" sh -ec "$(sed -n 1p "$TRASH/fix.sh")" >/dev/null 2>&1 &&
	eval "${2:-:}" &&
	sed 1d "$TRASH/fix.sh" >"$TRASH/fix-rest.sh" && sh -e "$TRASH/fix-rest.sh"
}

test_expect_success 'a pushed commit holding only a blocked path: the pasted fix makes the push pass' '
	setup_pair p21 && cd p21 &&
	add_nm x && git commit -q --no-verify -m deps &&
	expect_code 1 git push origin main &&
	contains "$TRASH/stderr" "error[block]" &&
	paste_fix "$TRASH/stderr" &&
	test -z "$(git ls-tree -r --name-only HEAD node_modules)" &&
	git push -q origin main
'

test_expect_success 'a pushed commit holding only an env file: the pasted fix makes the push pass' '
	setup_pair p22 && cd p22 &&
	echo X=1 >.env && git add .env && git commit -q --no-verify -m env &&
	expect_code 1 git push origin main &&
	contains "$TRASH/stderr" "error[envfile]" &&
	paste_fix "$TRASH/stderr" &&
	test -z "$(git ls-tree --name-only HEAD .env)" &&
	git push -q origin main
'

test_expect_success 'a pushed commit adding only a secret line: the pasted fix makes the push pass' '
	setup_pair p23 && cd p23 &&
	echo "stripe = \"sk_live_$(gen_key "" 24 abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 7)\"" >>README &&
	git commit -qam key --no-verify &&
	expect_code 1 git push origin main &&
	contains "$TRASH/stderr" "error[secrets.stripe-key]" &&
	paste_fix "$TRASH/stderr" "sed -i 2d README" &&
	git push -q origin main
'

test_expect_success 'a pushed commit deleting a protected file: the pasted fix makes the push pass' '
	setup_pair p24 && cd p24 &&
	echo b >billing.ts && printf "[protect]\npaths = billing.ts\n" >.repoguard.ini &&
	git add -A && git commit -qm billing && git push -q origin main &&
	echo x >x && git add x && git commit -qm x &&
	git rm -q billing.ts && git commit -q --no-verify -m cleanup &&
	echo y >y && git add y && git commit -qm y &&
	expect_code 1 git push origin main &&
	contains "$TRASH/stderr" "billing.ts: protected, must not be deleted" &&
	paste_fix "$TRASH/stderr" &&
	test "$(git show HEAD:billing.ts)" = b && test "$(git show HEAD:y)" = y &&
	git push -q origin main
'

AKID=$(gen_key AKIA 16 $B32 30)

test_expect_success 'an annotated tag whose message holds a key is refused (a tag of it too); a lightweight tag passes' '
	setup_pair ptag && cd ptag &&
	git tag -a v1 -m "release" -m "deploy key $AKID" && git tag -a v1-signed -m "wraps v1" v1 && git tag v2 &&
	expect_code 1 git push origin v1 &&
	contains "$TRASH/stderr" "error[secrets.aws-access-key-id] tag v1'"'"'s message, line 3: AWS access key ID: deploy key AKIA" &&
	contains "$TRASH/stderr" "git tag -f -a v1 v1^{}" &&
	lacks "$TRASH/stderr" "$AKID" &&
	expect_code 1 git -C ../ptag.git rev-parse -q --verify refs/tags/v1 &&
	expect_code 1 git push origin v1-signed &&
	contains "$TRASH/stderr" "tag v1-signed'"'"'s message, line 3" &&
	git push -q origin v2 &&
	git tag -f -a v1 -m "release" v1^{} && git push -q origin v1
'

test_expect_success 'a shallow clone pushes a fast-forward; a force push over its edge counts as forced' '
	setup_pair p30 && cd p30 && echo 2 >two && git add two && git commit -qm two && git push -q origin main &&
	cd .. && git clone -q --depth 1 "file://$TRASH/p30.git" p30s && cd p30s &&
	"$RG" install >/dev/null && test "$(git rev-parse --is-shallow-repository)" = true &&
	printf "[branch]\nprotected = main\n" >.repoguard.ini && git add .repoguard.ini &&
	git commit -qm rules --no-verify && git push -q origin HEAD:refs/heads/main &&
	echo 3 >three && git add three && git commit -qm three --no-verify &&
	git push -q origin HEAD:refs/heads/main &&
	git reset -q --hard HEAD~1 && echo 4 >four && git add four && git commit -qm four --no-verify &&
	expect_code 1 git push -f origin HEAD:refs/heads/main &&
	contains "$TRASH/stderr" "error[branch]" &&
	lacks "$TRASH/stderr" "object not found"
'

test_expect_success 'pre-push runs in a bare mirror: rules from HEAD, a clean push passes, a bad one is refused' '
	git init -q mr-src && (cd mr-src && echo a >a && git add a && git commit -qm a &&
		printf "[block]\npaths = zzz/\n" >.repoguard.ini && git add .repoguard.ini && git commit -qm rules) &&
	git clone -q --mirror mr-src mr.git && git init -q --bare mr-dst.git &&
	"$RG" install mr.git >/dev/null && test -e mr.git/hooks/pre-push &&
	(cd mr.git && git push -q --mirror ../mr-dst.git) &&
	(cd mr-src && mkdir zzz && echo x >zzz/x && git add zzz && git commit -qm bad --no-verify) &&
	git -C mr.git fetch -q origin && cd mr.git && git ls-tree -r HEAD --name-only >"$TRASH/ls" &&
	contains "$TRASH/ls" "zzz/x" &&
	expect_code 1 git push --mirror ../mr-dst.git &&
	contains "$TRASH/stderr" "error[block]" && contains "$TRASH/stderr" "zzz/"
'

# Every pushed ref used to be walked on its own, hiding the refs walked
# before it: n refs cost n walks (2,000 tags: 18 s). They are walked at
# once now, each commit going to the first ref that reaches it; a ref whose
# old tip the remote-tracking refs do not show keeps a walk of its own.
test_expect_success 'a push of hundreds of refs: each commit checked once, with the ref that brings it' '
	setup_pair pmany && cd pmany &&
	printf "[deploy.web]\npaths = web/**\nbranches = deploy/web\n[deploy.api]\npaths = api/**\nbranches = deploy/api\n" >.repoguard.ini &&
	git add .repoguard.ini && git commit -qm deploy && git push -q origin main &&
	base=$(git rev-parse HEAD) && commit_tags 300 &&
	git checkout -q -b side t150 && add_nm 1 && git commit -qm deps --no-verify && bad=$(git rev-parse HEAD) &&
	git tag x-bad && git tag x-bad2 && git checkout -q main && git branch -D -q side &&
	git checkout -q -b deploy/api t200 && mkdir web && echo w >web/w && git add web && git commit -qm web &&
	web=$(git rev-parse HEAD) && git checkout -q main &&
	git tag -a -m "key $AKID" t250a t250 &&
	expect_code 1 git push origin main deploy/api --tags &&
	test "$(grep -c "error\[block\]" "$TRASH/stderr")" = 1 &&
	contains "$TRASH/stderr" "error[block] $(echo $bad | cut -c1-12):node_modules/" &&
	contains "$TRASH/stderr" "error[deploy] $(echo $web | cut -c1-12): pushing deploy/api deploys api, but" &&
	contains "$TRASH/stderr" "error[secrets.aws-access-key-id] tag t250a'"'"'s message, line 1" &&
	contains "$TRASH/stderr" "repoguard pre-push: 3 errors" &&
	test "$(git -C ../pmany.git rev-parse main)" = "$base" &&
	test -z "$(git -C ../pmany.git tag)" &&
	git tag -d x-bad x-bad2 t250a >/dev/null &&
	git push -q origin main --tags &&
	test "$(git -C ../pmany.git tag | wc -l)" = 300 &&
	git checkout -q -b line2 "$base" && echo 2 >two && git add two && git commit -qm two &&
	commit_tags 300 &&
	git checkout -q -b side2 t120 && add_nm 2 && git commit -qm deps2 --no-verify && bad2=$(git rev-parse HEAD) &&
	git tag -f t120 >/dev/null && git checkout -q main &&
	git update-ref -d refs/remotes/origin/main &&
	expect_code 1 git push -f origin --tags &&
	test "$(grep -c "error\[" "$TRASH/stderr")" = 1 &&
	contains "$TRASH/stderr" "error[block] $(echo $bad2 | cut -c1-12):node_modules/" &&
	test "$(git -C ../pmany.git rev-parse t120)" = "$(git rev-parse main~180)"
'

test_done

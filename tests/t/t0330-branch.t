#!/bin/sh
# t0330: branch protection ([branch] protected, allow_force) in pre-commit,
# pre-push and pre-receive.
. "$(dirname "$0")/../lib/test-lib.sh"

RULES='[branch]
protected = main release/*
allow_force = release/*
'

test_expect_success 'pre-commit refuses direct commits on a protected branch only' '
	new_repo c1 && cd c1 &&
	printf "%s" "$RULES" >.repoguard.ini &&
	echo a >a && git add a .repoguard.ini &&
	expect_code 1 git commit -qm a &&
	contains "$TRASH/stderr" "error[branch] direct commit on protected branch '"'"'main'"'"'" &&
	contains "$TRASH/stderr" "git switch -c my-change" &&
	git switch -qc feature && git commit -qm a &&
	git switch -qc release/1.0 && echo b >b && git add b &&
	expect_code 1 git commit -qm b &&
	git switch -qc releases-x && git commit -qm b &&
	git switch -qc release/2.0/hotfix && echo c >c && git add c && git commit -qm "deeper is not matched by *"
'

test_expect_success 'REPOGUARD_SKIP=branch lets a maintainer commit' '
	cd c1 && git switch -q main 2>/dev/null || git switch -q --orphan main &&
	echo m >m && git add m && REPOGUARD_SKIP=branch git commit -qm m
'

# a pair: bare remote (no hooks) + clone with client hooks and the rules committed on main
pair() {
	git init -q --bare "$1.git" && git clone -q "$1.git" "$1" 2>/dev/null &&
	(cd "$1" && "$RG" install >/dev/null && printf "%s" "$RULES" >.repoguard.ini &&
	 echo base >README && git add README .repoguard.ini &&
	 REPOGUARD_SKIP=branch git commit -qm base && git push -q origin main &&
	 git push -q origin main:release/1.0 && git push -q origin main:topic)
}

test_expect_success 'pre-push: fast-forward to a protected branch is fine' '
	pair p1 && cd p1 &&
	git switch -qc work && echo w >w && git add w && git commit -qm w &&
	git push -q origin work:main
'

test_expect_success 'pre-push: deleting a protected branch is refused, other branches may go' '
	pair p2 && cd p2 &&
	expect_code 1 git push origin :main &&
	contains "$TRASH/stderr" "error[branch] deleting protected branch '"'"'main'"'"'" &&
	git -C ../p2.git rev-parse -q --verify refs/heads/main &&
	expect_code 1 git push origin :release/1.0 &&
	git push -q origin :topic
'

test_expect_success 'pre-push: force push to main refused, to release/* allowed' '
	pair p3 && cd p3 &&
	git switch -qc rewrite && git commit -q --amend -m "rewritten base" &&
	expect_code 1 git push -f origin rewrite:main &&
	contains "$TRASH/stderr" "non-fast-forward push (history rewrite) to protected branch '"'"'main'"'"'" &&
	git push -q -f origin rewrite:release/1.0 &&
	git push -q -f origin rewrite:topic
'

server() {
	git init -q --bare "$1.git" && (cd "$1.git" && "$RG" install --server >/dev/null) &&
	git clone -q "file://$TRASH/$1.git" "$1" 2>/dev/null &&
	(cd "$1" && printf "%s" "$RULES" >.repoguard.ini &&
	 echo base >README && git add README .repoguard.ini && git commit -qm base &&
	 git push -q origin main && git push -q origin main:release/1.0 && git push -q origin main:topic)
}

test_expect_success 'pre-receive: deletion and force push of protected branches are refused' '
	server s1 && cd s1 &&
	before=$(git -C ../s1.git rev-parse main) &&
	expect_code 1 git push --no-verify origin :main &&
	contains "$TRASH/stderr" "remote: error[branch] deleting protected branch" &&
	git commit -q --amend -m rewritten &&
	expect_code 1 git push --no-verify -f origin main &&
	contains "$TRASH/stderr" "remote: error[branch] non-fast-forward push" &&
	test "$(git -C ../s1.git rev-parse main)" = "$before" &&
	git push -q --no-verify -f origin main:release/1.0 &&
	git push -q --no-verify origin :topic
'

test_expect_success 'pre-receive: a push cannot switch off its own protection' '
	server s2 && cd s2 &&
	before=$(git -C ../s2.git rev-parse main) &&
	git rm -q .repoguard.ini && git commit -q --amend --no-verify -m "base without rules" &&
	expect_code 1 git push --no-verify -f origin main &&
	contains "$TRASH/stderr" "remote: error[branch] non-fast-forward push" &&
	test "$(git -C ../s2.git rev-parse main)" = "$before"
'

test_expect_success 'pre-receive: rules that landed on the branch govern the next push' '
	server s3 && cd s3 &&
	printf "[branch]\nseverity = off\n" >.repoguard.ini && git commit -qam weaken --no-verify &&
	git push -q --no-verify origin main &&
	git commit -q --amend --no-verify -m "weaken, amended" &&
	git push -q --no-verify -f origin main
'

test_done

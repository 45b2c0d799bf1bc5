#!/bin/sh
# t0430: the checkpoint rule on pushes and ranges: pre-push (measured now),
# ci and pre-receive (replayed at every pushed commit), with a fixed clock.
. "$(dirname "$0")/../lib/test-lib.sh"

at() { date -u -d "$1" +%s; }

# commit_at DATE MESSAGE: a commit dated DATE (author and committer), no hooks
commit_at() {
	echo "$2" >>file && git add file &&
	GIT_AUTHOR_DATE="$1" GIT_COMMITTER_DATE="$1" git commit -qm "$2" --no-verify
}

short() { git rev-parse --short=12 "$1"; }

# remote + clone with the client hooks; the rule on at pre-push (its default)
setup_pair() {
	git init -q --bare "$1.git" &&
	git clone -q "$1.git" "$1" 2>/dev/null &&
	(cd "$1" && "$RG" install >/dev/null &&
	 printf "[checkpoint]\nevery = 4h\n" >.repoguard.ini && git add .repoguard.ini &&
	 GIT_COMMITTER_DATE=2026-01-01T00:00:00Z git commit -qm base --no-verify &&
	 git tag checkpoint-base &&
	 REPOGUARD_NOW=$(at 2026-01-01T00:00:00Z) git push -q origin main checkpoint-base)
}

# stretch: one (01:00), two (03:00), three (06:00) on main: 5h without a checkpoint
stretch() {
	commit_at 2026-01-01T01:00:00Z one && commit_at 2026-01-01T03:00:00Z two &&
	commit_at 2026-01-01T06:00:00Z three
}

test_expect_success 'pre-push: young uncovered work passes, old fails with the fix' '
	setup_pair p1 && cd p1 &&
	commit_at 2026-01-01T01:00:00Z one && commit_at 2026-01-01T02:00:00Z two &&
	REPOGUARD_NOW=$(at 2026-01-01T04:00:00Z) git push -q origin main &&
	commit_at 2026-01-01T05:30:00Z three &&
	before=$(git -C ../p1.git rev-parse main) &&
	expect_code 1 env REPOGUARD_NOW=$(at 2026-01-01T06:00:00Z) git push origin main &&
	contains "$TRASH/stderr" "error[checkpoint] main: last checkpoint checkpoint-base is 6h00m old; 3 commits (5h00m of work) not covered by a checkpoint, over the limit of 4h00m" &&
	contains "$TRASH/stderr" "oldest uncovered commit: $(short HEAD~2) one (2026-01-01 01:00 UTC)" &&
	contains "$TRASH/stderr" "repoguard checkpoint --push origin" &&
	test "$(git -C ../p1.git rev-parse main)" = "$before" &&
	REPOGUARD_NOW=$(at 2026-01-01T06:00:00Z) "$RG" checkpoint --push origin >/dev/null 2>&1 &&
	git -C ../p1.git rev-parse -q --verify refs/tags/checkpoint-20260101-0600 &&
	REPOGUARD_NOW=$(at 2026-01-01T06:00:00Z) git push -q origin main &&
	test "$(git -C ../p1.git rev-parse main)" = "$(git rev-parse main)"
'

test_expect_success 'pre-push: a pushed branch that is not HEAD gets a git tag fix' '
	setup_pair p2 && cd p2 &&
	git checkout -qb feature && commit_at 2026-01-01T01:00:00Z f1 && git checkout -q main &&
	expect_code 1 env REPOGUARD_NOW=$(at 2026-01-01T06:00:00Z) git push origin feature &&
	contains "$TRASH/stderr" "error[checkpoint] feature: last checkpoint checkpoint-base" &&
	contains "$TRASH/stderr" "git tag -a checkpoint-20260101-0600 -m checkpoint $(short feature) && git push origin checkpoint-20260101-0600" &&
	git tag -a checkpoint-20260101-0600 -m checkpoint feature &&
	REPOGUARD_NOW=$(at 2026-01-01T06:00:00Z) git push -q origin feature checkpoint-20260101-0600
'

test_expect_success 'pre-push: tags and deletions are not work; two refs at one commit report once' '
	setup_pair p3 && cd p3 &&
	commit_at 2026-01-01T01:00:00Z one && git tag release-1 &&
	REPOGUARD_NOW=$(at 2026-01-02T00:00:00Z) git push -q origin release-1 &&
	git branch copy &&
	expect_code 1 env REPOGUARD_NOW=$(at 2026-01-02T00:00:00Z) git push origin main copy &&
	test "$(grep -c "error\[checkpoint\]" "$TRASH/stderr")" = 1 &&
	git push -q --no-verify origin copy &&
	REPOGUARD_NOW=$(at 2026-01-02T00:00:00Z) git push -q origin :copy
'

test_expect_success 'pre-push: checkpoints pushed with the branch count (main TAG, --follow-tags)' '
	setup_pair p5 && cd p5 && stretch &&
	expect_code 1 env REPOGUARD_NOW=$(at 2026-01-01T06:10:00Z) git push origin main &&
	git tag checkpoint-two HEAD~1 &&
	REPOGUARD_NOW=$(at 2026-01-01T06:10:00Z) git push -q origin main checkpoint-two &&
	test "$(git -C ../p5.git rev-parse main)" = "$(git rev-parse main)" &&
	git -C ../p5.git rev-parse -q --verify refs/tags/checkpoint-two &&
	commit_at 2026-01-01T07:00:00Z four && commit_at 2026-01-01T12:00:00Z five &&
	expect_code 1 env REPOGUARD_NOW=$(at 2026-01-01T12:00:00Z) git push origin main &&
	git tag mark HEAD~1 &&
	REPOGUARD_NOW=$(at 2026-01-01T12:00:00Z) git push -q origin main mark:refs/tags/checkpoint-mark &&
	git -C ../p5.git rev-parse -q --verify refs/tags/checkpoint-mark &&
	cd "$TRASH" && setup_pair p6 && cd p6 && stretch &&
	GIT_COMMITTER_DATE=2026-01-01T03:30:00Z git tag -a -m cp checkpoint-cp HEAD~1 &&
	REPOGUARD_NOW=$(at 2026-01-01T06:10:00Z) git push -q --follow-tags origin main &&
	git -C ../p6.git rev-parse -q --verify refs/tags/checkpoint-cp
'

test_expect_success 'pre-push: a pushed checkpoint outside the branch history does not count for it' '
	setup_pair p7 && cd p7 &&
	git checkout -qb side && echo s >s && git add s &&
	GIT_COMMITTER_DATE=2026-01-01T05:00:00Z git commit -qm side1 --no-verify &&
	git tag checkpoint-side && git checkout -q main && stretch &&
	expect_code 1 env REPOGUARD_NOW=$(at 2026-01-01T06:10:00Z) git push origin main checkpoint-side &&
	contains "$TRASH/stderr" "error[checkpoint] main: last checkpoint checkpoint-base is 6h10m old; 3 commits (5h10m of work)" &&
	test "$(git -C ../p7.git tag)" = checkpoint-base
'

test_expect_success 'pre-push: a checkpoint deleted on the remote by the same push does not count' '
	setup_pair p8 && cd p8 && stretch && git tag checkpoint-two HEAD~1 &&
	REPOGUARD_NOW=$(at 2026-01-01T06:10:00Z) git push -q origin checkpoint-two &&
	expect_code 1 env REPOGUARD_NOW=$(at 2026-01-01T06:10:00Z) git push origin main :refs/tags/checkpoint-two &&
	contains "$TRASH/stderr" "error[checkpoint] main: last checkpoint checkpoint-base is 6h10m old" &&
	git -C ../p8.git rev-parse -q --verify refs/tags/checkpoint-two &&
	REPOGUARD_NOW=$(at 2026-01-01T06:10:00Z) git push -q origin main
'

# git lists the refs the remote has first, then new ones in command-line order
test_expect_success 'pre-push: a tag listed before a new branch at its tip does not hide the branch (regression)' '
	setup_pair p9 && cd p9 && git checkout -qb topic &&
	commit_at 2026-01-01T01:00:00Z one && git tag release-1 &&
	expect_code 1 env REPOGUARD_NOW=$(at 2026-01-01T06:00:00Z) git push origin release-1 topic &&
	contains "$TRASH/stderr" "error[checkpoint] topic: last checkpoint checkpoint-base is 6h00m old; 1 commit (5h00m of work)"
'

test_expect_success 'pre-push: the rule is not enforced where on does not say so' '
	setup_pair p4 && cd p4 &&
	printf "[checkpoint]\nevery = 4h\non = ci\n" >.repoguard.ini && git add .repoguard.ini &&
	commit_at 2026-01-01T01:00:00Z one &&
	REPOGUARD_NOW=$(at 2026-01-05T00:00:00Z) git push -q origin main
'

# ci: main is the base, with old history and the checkpoint that adopted
# the rule; feature holds the pushed history
setup_ci() {
	git init -q "$1" && cd "$1" &&
	printf "[checkpoint]\nevery = 4h\non = ci\n" >.repoguard.ini && git add .repoguard.ini &&
	GIT_COMMITTER_DATE=2025-12-01T00:00:00Z git commit -qm "old history" &&
	commit_at 2025-12-02T00:00:00Z "old too" &&
	GIT_COMMITTER_DATE=2025-12-02T00:00:00Z git tag -a -m adopted checkpoint-adopted &&
	git checkout -qb feature
}

test_expect_success 'ci: a stretch of more than every without a checkpoint fails, with the split' '
	setup_ci c1 &&
	commit_at 2026-01-01T01:00:00Z f1 && commit_at 2026-01-01T02:00:00Z f2 &&
	commit_at 2026-01-01T06:00:00Z f3 &&
	expect_code 1 env REPOGUARD_NOW=$(at 2026-01-02T00:00:00Z) "$RG" ci --base main &&
	contains "$TRASH/stdout" "error[checkpoint] $(short HEAD~2): feature: 5h00m of pushed work without a checkpoint (3 commits, 2026-01-01 01:00 UTC to 2026-01-01 06:00 UTC), over the limit of 4h00m" &&
	contains "$TRASH/stdout" "from $(short HEAD~2) f1" &&
	contains "$TRASH/stdout" "to   $(short HEAD) f3" &&
	contains "$TRASH/stdout" "the last checkpoint before it: checkpoint-adopted (2025-12-02 00:00 UTC)" &&
	contains "$TRASH/stdout" "git tag checkpoint-20260101-0200 $(short HEAD~1) && git push origin checkpoint-20260101-0200" &&
	git tag checkpoint-20260101-0200 HEAD~1 &&
	REPOGUARD_NOW=$(at 2026-01-02T00:00:00Z) "$RG" ci --base main
'

test_expect_success 'ci: within every passes, one second more fails' '
	setup_ci c2 &&
	commit_at 2026-01-01T01:00:00Z f1 && commit_at 2026-01-01T05:00:00Z f2 &&
	REPOGUARD_NOW=$(at 2026-01-02T00:00:00Z) "$RG" ci --base main &&
	commit_at 2026-01-01T05:00:01Z f3 &&
	expect_code 1 env REPOGUARD_NOW=$(at 2026-01-02T00:00:00Z) "$RG" ci --base main &&
	contains "$TRASH/stdout" "4h00m of pushed work without a checkpoint (3 commits"
'

test_expect_success 'ci: no checkpoint yet fails on the uncovered history' '
	git init -q c8 && cd c8 &&
	printf "[checkpoint]\nevery = 4h\non = ci\n" >.repoguard.ini && git add .repoguard.ini &&
	GIT_COMMITTER_DATE=2025-12-01T00:00:00Z git commit -qm "old history" &&
	git checkout -qb feature && commit_at 2026-01-01T01:00:00Z f1 &&
	expect_code 1 env REPOGUARD_NOW=$(at 2026-01-02T00:00:00Z) "$RG" ci --base main &&
	contains "$TRASH/stdout" "31d01h of pushed work without a checkpoint (2 commits, 2025-12-01 00:00 UTC to 2026-01-01 01:00 UTC)" &&
	contains "$TRASH/stdout" "no checkpoint before it" &&
	git tag checkpoint-main main &&
	REPOGUARD_NOW=$(at 2026-01-02T00:00:00Z) "$RG" ci --base main
'

test_expect_success 'ci: an annotated checkpoint counts from its tagger date' '
	setup_ci c3 &&
	commit_at 2026-01-01T01:00:00Z f1 && commit_at 2026-01-01T02:00:00Z f2 &&
	GIT_COMMITTER_DATE=2026-01-01T07:00:00Z git tag -a -m late checkpoint-late &&
	commit_at 2026-01-01T06:00:00Z f3 &&
	expect_code 1 env REPOGUARD_NOW=$(at 2026-01-02T00:00:00Z) "$RG" ci --base main &&
	contains "$TRASH/stdout" "5h00m of pushed work" &&
	GIT_COMMITTER_DATE=2026-01-01T03:00:00Z git tag -a -m "in time" checkpoint-in-time HEAD~1 &&
	REPOGUARD_NOW=$(at 2026-01-02T00:00:00Z) "$RG" ci --base main
'

test_expect_success 'ci: the last checkpoint before the stretch is named' '
	setup_ci c4 &&
	commit_at 2026-01-01T01:00:00Z f1 && git tag checkpoint-f1 &&
	commit_at 2026-01-01T02:00:00Z f2 && commit_at 2026-01-01T07:00:00Z f3 &&
	expect_code 1 env REPOGUARD_NOW=$(at 2026-01-02T00:00:00Z) "$RG" ci --base main &&
	contains "$TRASH/stdout" "5h00m of pushed work without a checkpoint (2 commits" &&
	contains "$TRASH/stdout" "the last checkpoint before it: checkpoint-f1 (2026-01-01 01:00 UTC)"
'

test_expect_success 'ci: merges, a checkpoint on a merged branch covers that branch' '
	setup_ci c5 &&
	commit_at 2026-01-01T01:00:00Z f1 &&
	git checkout -qb side && echo s >s && git add s &&
	GIT_COMMITTER_DATE=2026-01-01T01:30:00Z git commit -qm s1 --no-verify &&
	GIT_COMMITTER_DATE=2026-01-01T02:00:00Z git tag -a -m cp checkpoint-side &&
	git checkout -q feature && commit_at 2026-01-01T03:00:00Z f2 &&
	GIT_AUTHOR_DATE=2026-01-01T04:30:00Z GIT_COMMITTER_DATE=2026-01-01T04:30:00Z git merge -q --no-ff -m merge side &&
	REPOGUARD_NOW=$(at 2026-01-02T00:00:00Z) "$RG" ci --base main &&
	commit_at 2026-01-01T07:30:00Z f3 &&
	expect_code 1 env REPOGUARD_NOW=$(at 2026-01-02T00:00:00Z) "$RG" ci --base main &&
	contains "$TRASH/stdout" "4h30m of pushed work without a checkpoint (3 commits, 2026-01-01 03:00 UTC to 2026-01-01 07:30 UTC)"
'

test_expect_success 'ci: commits dated after the clock are left out and reported' '
	setup_ci c6 &&
	commit_at 2026-01-01T01:00:00Z f1 && commit_at 2030-01-01T00:00:00Z future &&
	REPOGUARD_NOW=$(at 2026-01-02T00:00:00Z) "$RG" ci --base main >out 2>&1 &&
	contains out "checkpoint: 1 pushed commit is dated after now (clock skew?) and left out of the replay" &&
	commit_at 2026-01-01T06:00:00Z f3 &&
	expect_code 1 env REPOGUARD_NOW=$(at 2026-01-02T00:00:00Z) "$RG" ci --base main &&
	contains "$TRASH/stdout" "(2 commits, 2026-01-01 01:00 UTC to 2026-01-01 06:00 UTC)" &&
	contains "$TRASH/stdout" "1 pushed commit is dated after now (clock skew?) and left out"
'

test_expect_success 'ci: a checkpoint outside the head history does not count; one in it does' '
	setup_ci c9 && stretch &&
	git checkout -qb other main && echo o >o && git add o &&
	GIT_COMMITTER_DATE=2026-01-01T05:00:00Z git commit -qm other1 --no-verify &&
	git tag checkpoint-other && git checkout -q feature &&
	expect_code 1 env REPOGUARD_NOW=$(at 2026-01-02T00:00:00Z) "$RG" ci --base main &&
	contains "$TRASH/stdout" "error[checkpoint] $(short HEAD~2): feature: 5h00m of pushed work without a checkpoint (3 commits" &&
	contains "$TRASH/stdout" "the last checkpoint before it: checkpoint-adopted" &&
	git tag checkpoint-two HEAD~1 &&
	REPOGUARD_NOW=$(at 2026-01-02T00:00:00Z) "$RG" ci --base main
'

test_expect_success 'ci: off unless on says ci; severity warn does not fail' '
	setup_ci c7 &&
	commit_at 2026-01-01T01:00:00Z f1 && commit_at 2026-01-01T09:00:00Z f2 &&
	expect_code 1 env REPOGUARD_NOW=$(at 2026-01-02T00:00:00Z) "$RG" ci --base main &&
	git checkout -q main &&
	printf "[checkpoint]\nevery = 4h\non = pre-push\n" >.repoguard.ini &&
	git commit -qam "pre-push only" --no-verify && git checkout -q feature &&
	REPOGUARD_NOW=$(at 2026-01-02T00:00:00Z) "$RG" ci --base main --head feature &&
	REPOGUARD_NOW=$(at 2026-01-02T00:00:00Z) "$RG" ci --base main --head feature \
		--config /dev/null >/dev/null &&
	printf "[checkpoint]\nevery = 4h\non = ci\nseverity = warn\n" >"$TRASH/warn.ini" &&
	REPOGUARD_NOW=$(at 2026-01-02T00:00:00Z) "$RG" ci --base main --config "$TRASH/warn.ini" >out &&
	contains out "warning[checkpoint]"
'

# server NAME: a bare repository with the pre-receive hook, its rules in its git config
server() {
	git init -q --bare "$1.git" &&
	(cd "$1.git" && "$RG" install --server >/dev/null &&
	 printf "[checkpoint]\nevery = 4h\non = pre-receive\n" >rules.ini &&
	 git config repoguard.config rules.ini) &&
	git clone -q "file://$TRASH/$1.git" "$1" 2>/dev/null &&
	(cd "$1" && GIT_COMMITTER_DATE=2026-01-01T00:00:00Z git commit -q --allow-empty -m base &&
	 git tag checkpoint-base &&
	 REPOGUARD_NOW=$(at 2026-01-01T00:00:00Z) git push -q origin main checkpoint-base)
}

test_expect_success 'pre-receive: a pushed stretch is refused; with a checkpoint pushed first it lands' '
	server s1 && cd s1 &&
	commit_at 2026-01-01T01:00:00Z one && commit_at 2026-01-01T03:00:00Z two &&
	commit_at 2026-01-01T06:00:00Z three &&
	repo_state ../s1.git >"$TRASH/before" &&
	expect_code 1 env REPOGUARD_NOW=$(at 2026-01-01T06:10:00Z) git push origin main &&
	contains "$TRASH/stderr" "remote: error[checkpoint] $(short HEAD~2): main: 5h00m of pushed work without a checkpoint (3 commits" &&
	contains "$TRASH/stderr" "pre-receive replays the rule at the time of every pushed commit" &&
	repo_state ../s1.git >"$TRASH/after" && cmp "$TRASH/before" "$TRASH/after" &&
	git tag checkpoint-20260101-0300 HEAD~1 &&
	REPOGUARD_NOW=$(at 2026-01-01T06:10:00Z) git push -q origin checkpoint-20260101-0300 &&
	REPOGUARD_NOW=$(at 2026-01-01T06:10:00Z) git push -q origin main &&
	test "$(git -C ../s1.git rev-parse main)" = "$(git rev-parse main)"
'

test_expect_success 'pre-receive: a checkpoint pushed with an existing branch counts, listed after or before it' '
	server s4 && cd s4 && stretch && git tag checkpoint-two HEAD~1 &&
	expect_code 1 env REPOGUARD_NOW=$(at 2026-01-01T06:10:00Z) git push origin main &&
	REPOGUARD_NOW=$(at 2026-01-01T06:10:00Z) git push -q origin main checkpoint-two &&
	test "$(git -C ../s4.git rev-parse main)" = "$(git rev-parse main)" &&
	test "$(git -C ../s4.git rev-parse checkpoint-two)" = "$(git rev-parse checkpoint-two)" &&
	cd "$TRASH" && server s5 && cd s5 && stretch && git tag checkpoint-two HEAD~1 &&
	REPOGUARD_NOW=$(at 2026-01-01T06:10:00Z) git push -q origin checkpoint-two main &&
	test "$(git -C ../s5.git rev-parse main)" = "$(git rev-parse main)"
'

test_expect_success 'pre-receive: git push --follow-tags carries an annotated checkpoint with the branch' '
	server s6 && cd s6 && stretch &&
	GIT_COMMITTER_DATE=2026-01-01T03:30:00Z git tag -a -m cp checkpoint-cp HEAD~1 &&
	REPOGUARD_NOW=$(at 2026-01-01T06:10:00Z) git push -q --follow-tags origin main &&
	test "$(git -C ../s6.git rev-parse main)" = "$(git rev-parse main)" &&
	git -C ../s6.git rev-parse -q --verify refs/tags/checkpoint-cp
'

test_expect_success 'pre-receive: a checkpoint pushed with the branch but tagged later than the stretch does not count' '
	server s7 && cd s7 && stretch &&
	GIT_COMMITTER_DATE=2026-01-01T06:05:00Z git tag -a -m late checkpoint-late HEAD~1 &&
	repo_state ../s7.git >"$TRASH/before" &&
	expect_code 1 env REPOGUARD_NOW=$(at 2026-01-01T06:10:00Z) git push --follow-tags origin main &&
	contains "$TRASH/stderr" "remote: error[checkpoint] $(short HEAD~2): main: 5h00m of pushed work" &&
	repo_state ../s7.git >"$TRASH/after" && cmp "$TRASH/before" "$TRASH/after"
'

test_expect_success 'pre-receive: a pushed checkpoint outside the branch history does not count for it' '
	server s8 && cd s8 &&
	git checkout -qb side && echo s >s && git add s &&
	GIT_COMMITTER_DATE=2026-01-01T02:00:00Z git commit -qm side1 --no-verify &&
	git tag checkpoint-side && git checkout -q main && stretch &&
	repo_state ../s8.git >"$TRASH/before" &&
	expect_code 1 env REPOGUARD_NOW=$(at 2026-01-01T06:10:00Z) git push origin main checkpoint-side &&
	contains "$TRASH/stderr" "remote: error[checkpoint] $(short HEAD~2): main: 5h00m of pushed work" &&
	contains "$TRASH/stderr" "the last checkpoint before it: checkpoint-base" &&
	repo_state ../s8.git >"$TRASH/after" && cmp "$TRASH/before" "$TRASH/after" &&
	expect_code 1 env REPOGUARD_NOW=$(at 2026-01-01T06:10:00Z) git push origin main side checkpoint-side &&
	test "$(grep -c "error\[checkpoint\]" "$TRASH/stderr")" = 1 &&
	lacks "$TRASH/stderr" "side: " &&
	REPOGUARD_NOW=$(at 2026-01-01T06:10:00Z) git push -q origin side checkpoint-side
'

test_expect_success 'pre-receive: a checkpoint deleted in the same push does not count' '
	server s9 && cd s9 && stretch && git tag checkpoint-two HEAD~1 &&
	REPOGUARD_NOW=$(at 2026-01-01T06:10:00Z) git push -q origin checkpoint-two &&
	repo_state ../s9.git >"$TRASH/before" &&
	expect_code 1 env REPOGUARD_NOW=$(at 2026-01-01T06:10:00Z) git push origin main :refs/tags/checkpoint-two &&
	contains "$TRASH/stderr" "remote: error[checkpoint] $(short HEAD~2): main: 5h00m of pushed work" &&
	repo_state ../s9.git >"$TRASH/after" && cmp "$TRASH/before" "$TRASH/after" &&
	REPOGUARD_NOW=$(at 2026-01-01T06:10:00Z) git push -q origin main &&
	test "$(git -C ../s9.git rev-parse main)" = "$(git rev-parse main)"
'

test_expect_success 'pre-receive: a checkpoint moved by the same push counts where it points now' '
	server s10 && cd s10 && stretch && git tag checkpoint-moving HEAD~3 &&
	REPOGUARD_NOW=$(at 2026-01-01T06:10:00Z) git push -q origin checkpoint-moving &&
	expect_code 1 env REPOGUARD_NOW=$(at 2026-01-01T06:10:00Z) git push origin main &&
	git tag -f checkpoint-moving HEAD~1 >/dev/null &&
	REPOGUARD_NOW=$(at 2026-01-01T06:10:00Z) git push -q origin main +refs/tags/checkpoint-moving &&
	test "$(git -C ../s10.git rev-parse checkpoint-moving)" = "$(git rev-parse HEAD~1)"
'

# The branch's own rules (its .repoguard.ini before the push) say which
# pushed tags are checkpoints: release has tags = rel-*, main (and so the
# group of tags and new branches) the default checkpoint-*.
test_expect_success 'pre-receive: the branch rules before the push decide which pushed tags count' '
	git init -q --bare b1.git && (cd b1.git && "$RG" install --server >/dev/null) &&
	git clone -q "file://$TRASH/b1.git" b1 2>/dev/null && cd b1 &&
	printf "[checkpoint]\nevery = 4h\non = pre-receive\n" >.repoguard.ini && git add .repoguard.ini &&
	GIT_COMMITTER_DATE=2026-01-01T00:00:00Z git commit -qm base --no-verify &&
	git tag checkpoint-base &&
	REPOGUARD_NOW=$(at 2026-01-01T00:00:00Z) git push -q origin main checkpoint-base &&
	git checkout -qb release &&
	printf "[checkpoint]\nevery = 4h\non = pre-receive\ntags = rel-*\nname = rel-%%Y%%m%%d-%%H%%M\n" >.repoguard.ini &&
	GIT_COMMITTER_DATE=2026-01-01T00:00:00Z git commit -qam "release rules" --no-verify &&
	git tag rel-base &&
	REPOGUARD_NOW=$(at 2026-01-01T00:00:00Z) git push -q origin release rel-base &&
	stretch && git tag checkpoint-two HEAD~1 &&
	expect_code 1 env REPOGUARD_NOW=$(at 2026-01-01T06:10:00Z) git push origin release checkpoint-two &&
	contains "$TRASH/stderr" "remote: error[checkpoint] $(short HEAD~2): release: 5h00m of pushed work" &&
	contains "$TRASH/stderr" "Checkpoints are tags matching rel-*" &&
	printf "[checkpoint]\nevery = 4h\non = pre-receive\n" >.repoguard.ini &&
	GIT_COMMITTER_DATE=2026-01-01T06:01:00Z git commit -qam "pushed rules do not count" --no-verify &&
	expect_code 1 env REPOGUARD_NOW=$(at 2026-01-01T06:10:00Z) git push origin release checkpoint-two &&
	contains "$TRASH/stderr" "Checkpoints are tags matching rel-*" &&
	git reset -q --hard HEAD~1 && git tag rel-two HEAD~1 &&
	REPOGUARD_NOW=$(at 2026-01-01T06:10:00Z) git push -q origin release rel-two &&
	test "$(git -C ../b1.git rev-parse release)" = "$(git rev-parse release)"
'

test_expect_success 'pre-receive: a tag at a new branch tip does not hide the branch (regression)' '
	server s12 && cd s12 && git checkout -qb topic && stretch && git tag release-1 &&
	expect_code 1 env REPOGUARD_NOW=$(at 2026-01-01T06:10:00Z) git push origin release-1 topic &&
	contains "$TRASH/stderr" "remote: error[checkpoint] $(short HEAD~2): topic: 5h00m of pushed work"
'

test_expect_success 'pre-receive: pushing often does not hide a long stretch' '
	server s2 && cd s2 &&
	commit_at 2026-01-01T01:00:00Z one &&
	REPOGUARD_NOW=$(at 2026-01-01T01:10:00Z) git push -q origin main &&
	commit_at 2026-01-01T04:00:00Z two &&
	REPOGUARD_NOW=$(at 2026-01-01T04:10:00Z) git push -q origin main &&
	commit_at 2026-01-01T06:00:00Z three &&
	expect_code 1 env REPOGUARD_NOW=$(at 2026-01-01T06:10:00Z) git push origin main &&
	contains "$TRASH/stderr" "remote: error[checkpoint] $(short HEAD~2): main: 5h00m of pushed work without a checkpoint (3 commits, 2026-01-01 01:00 UTC to 2026-01-01 06:00 UTC)" &&
	contains "$TRASH/stderr" "the last checkpoint before it: checkpoint-base (2026-01-01 00:00 UTC)"
'

test_expect_success 'pre-receive: a new branch and a deletion' '
	server s3 && cd s3 &&
	git checkout -qb topic && commit_at 2026-01-01T01:00:00Z t1 && commit_at 2026-01-01T03:00:00Z t2 &&
	REPOGUARD_NOW=$(at 2026-01-01T05:00:00Z) git push -q origin topic &&
	commit_at 2026-01-01T06:00:00Z t3 &&
	expect_code 1 env REPOGUARD_NOW=$(at 2026-01-01T06:10:00Z) git push origin topic:other &&
	contains "$TRASH/stderr" "remote: error[checkpoint] $(short HEAD~2): other: 5h00m of pushed work" &&
	contains "$TRASH/stderr" "the last checkpoint before it: checkpoint-base (2026-01-01 00:00 UTC)" &&
	git tag checkpoint-t2 HEAD~1 &&
	REPOGUARD_NOW=$(at 2026-01-01T06:10:00Z) git push -q origin topic:other checkpoint-t2 &&
	REPOGUARD_NOW=$(at 2026-01-01T06:10:00Z) git push -q origin :topic
'

test_done

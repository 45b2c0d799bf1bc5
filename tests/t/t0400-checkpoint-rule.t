#!/bin/sh
# t0400: the checkpoint rule measured at now (pre-commit), with a fixed clock.
. "$(dirname "$0")/../lib/test-lib.sh"
. "$TEST_DIR/../lib/checkpoint-lib.sh"

# epoch seconds of an ISO date (UTC)
at() { date -u -d "$1" +%s; }

# atag_at DATE NAME [REV]: an annotated tag whose tagger date is DATE
atag_at() {
	GIT_COMMITTER_DATE="$1" git tag -a -m "$2" "$2" ${3:-HEAD}
}

rule() {
	printf "[checkpoint]\nevery = %s\non = pre-commit\n" "${1:-4h}" >.repoguard.ini
}

test_expect_success 'no checkpoint: young work passes, work older than every fails' '
	git init -q r1 && cd r1 && rule 4h &&
	commit_at 2026-01-01T00:00:00Z one && commit_at 2026-01-01T02:00:00Z two &&
	REPOGUARD_NOW=$(at 2026-01-01T03:59:00Z) "$RG" pre-commit &&
	expect_code 1 env REPOGUARD_NOW=$(at 2026-01-01T05:00:00Z) "$RG" pre-commit &&
	contains "$TRASH/stderr" "error[checkpoint] no checkpoint yet; 2 commits (5h00m of work) not covered by a checkpoint, over the limit of 4h00m" &&
	contains "$TRASH/stderr" "oldest uncovered commit: $(git rev-parse --short=12 HEAD~1) one (2026-01-01 00:00 UTC)" &&
	contains "$TRASH/stderr" "repoguard checkpoint" &&
	contains "$TRASH/stderr" "Checkpoints are tags matching checkpoint-*"
'

test_expect_success 'the limit is exclusive: exactly every old passes, one second more fails' '
	git init -q r2 && cd r2 && rule 30m &&
	commit_at 2026-01-01T00:00:00Z one &&
	REPOGUARD_NOW=$(at 2026-01-01T00:30:00Z) "$RG" pre-commit &&
	expect_code 1 env REPOGUARD_NOW=$(at 2026-01-01T00:30:01Z) "$RG" pre-commit &&
	contains "$TRASH/stderr" "1 commit (30m of work)"
'

test_expect_success 'an annotated checkpoint is dated by its tagger date and covers its history' '
	git init -q r3 && cd r3 && rule 4h &&
	commit_at 2026-01-01T00:00:00Z one && commit_at 2026-01-01T01:00:00Z two &&
	atag_at 2026-01-01T03:00:00Z checkpoint-a &&
	commit_at 2026-01-01T06:00:00Z three &&
	REPOGUARD_NOW=$(at 2026-01-01T09:00:00Z) "$RG" pre-commit &&
	expect_code 1 env REPOGUARD_NOW=$(at 2026-01-01T10:30:00Z) "$RG" pre-commit &&
	contains "$TRASH/stderr" "last checkpoint checkpoint-a is 7h30m old; 1 commit (4h30m of work)" &&
	contains "$TRASH/stderr" "three (2026-01-01 06:00 UTC)"
'

test_expect_success 'a lightweight checkpoint is dated by its commit' '
	git init -q r4 && cd r4 && rule 4h &&
	commit_at 2026-01-01T00:00:00Z one && git tag checkpoint-light &&
	commit_at 2026-01-01T01:00:00Z two &&
	expect_code 1 env REPOGUARD_NOW=$(at 2026-01-01T06:00:00Z) "$RG" pre-commit &&
	contains "$TRASH/stderr" "last checkpoint checkpoint-light is 6h00m old; 1 commit (5h00m of work)"
'

test_expect_success 'several tag patterns; tags that match none do not count' '
	git init -q r5 && cd r5 &&
	printf "[checkpoint]\nevery = 4h\non = pre-commit\ntags = checkpoint-* phase*-checkpoint-*\n  cp/*\nname = cp/%%Y%%m%%d-%%H%%M\n" >.repoguard.ini &&
	commit_at 2026-01-01T00:00:00Z one && git tag release-1 && git tag phase-checkpoint &&
	expect_code 1 env REPOGUARD_NOW=$(at 2026-01-01T05:00:00Z) "$RG" pre-commit &&
	contains "$TRASH/stderr" "no checkpoint yet" &&
	contains "$TRASH/stderr" "tags matching checkpoint-* phase*-checkpoint-* cp/*" &&
	git tag phase2-checkpoint-x &&
	REPOGUARD_NOW=$(at 2026-01-01T05:00:00Z) "$RG" pre-commit &&
	git tag -d phase2-checkpoint-x >/dev/null &&
	expect_code 1 env REPOGUARD_NOW=$(at 2026-01-01T05:00:00Z) "$RG" pre-commit &&
	git tag cp/nested/one &&
	REPOGUARD_NOW=$(at 2026-01-01T05:00:00Z) "$RG" pre-commit
'

test_expect_success 'merges: a checkpoint on a merged branch covers that branch only' '
	git init -q r6 && cd r6 && rule 4h &&
	commit_at 2026-01-01T00:00:00Z base && git tag checkpoint-base &&
	git checkout -qb side && echo s >s && git add s &&
	GIT_COMMITTER_DATE=2026-01-01T01:00:00Z git commit -qm side1 &&
	atag_at 2026-01-01T01:30:00Z checkpoint-side &&
	git checkout -q main &&
	commit_at 2026-01-01T02:00:00Z main1 &&
	GIT_COMMITTER_DATE=2026-01-01T03:00:00Z git merge -q --no-ff -m merge side &&
	expect_code 1 env REPOGUARD_NOW=$(at 2026-01-01T06:30:00Z) "$RG" pre-commit &&
	contains "$TRASH/stderr" "2 commits (4h30m of work)" &&
	contains "$TRASH/stderr" "main1 (2026-01-01 02:00 UTC)" &&
	contains "$TRASH/stderr" "last checkpoint checkpoint-side is 5h00m old" &&
	git tag checkpoint-merge &&
	REPOGUARD_NOW=$(at 2026-01-01T06:30:00Z) "$RG" pre-commit
'

test_expect_success 'a tag outside HEAD history covers only the shared history' '
	git init -q r7 && cd r7 && rule 4h &&
	commit_at 2026-01-01T00:00:00Z base &&
	git checkout -qb other && commit_at 2026-01-01T01:00:00Z other1 &&
	atag_at 2026-01-01T01:00:00Z checkpoint-other &&
	git checkout -q - && commit_at 2026-01-01T00:30:00Z mine &&
	expect_code 1 env REPOGUARD_NOW=$(at 2026-01-01T05:00:00Z) "$RG" pre-commit &&
	contains "$TRASH/stderr" "no checkpoint yet; 1 commit (4h30m of work)" &&
	contains "$TRASH/stderr" "1 checkpoint tag exists, but none is in this history (newest: checkpoint-other)"
'

test_expect_success 'clock skew: commits dated in the future count as made now' '
	git init -q r8 && cd r8 && rule 4h &&
	commit_at 2026-01-02T00:00:00Z future &&
	REPOGUARD_NOW=$(at 2026-01-01T00:00:00Z) "$RG" pre-commit &&
	commit_at 2025-12-31T18:00:00Z past &&
	expect_code 1 env REPOGUARD_NOW=$(at 2026-01-01T00:00:00Z) "$RG" pre-commit &&
	contains "$TRASH/stderr" "2 commits (6h00m of work)" &&
	contains "$TRASH/stderr" "1 uncovered commit is dated after now (clock skew?) and counts as made now"
'

test_expect_success 'a checkpoint dated in the future is shown as such' '
	git init -q r9 && cd r9 && rule 1h &&
	commit_at 2026-01-01T00:00:00Z one && atag_at 2026-01-03T00:00:00Z checkpoint-f HEAD &&
	commit_at 2026-01-01T01:00:00Z two &&
	expect_code 1 env REPOGUARD_NOW=$(at 2026-01-01T03:00:00Z) "$RG" pre-commit &&
	contains "$TRASH/stderr" "last checkpoint checkpoint-f is dated in the future, 0s old"
'

test_expect_success 'unborn branch: nothing to cover, the first commit goes through the hook' '
	new_repo r10 && cd r10 && rule 1m &&
	REPOGUARD_NOW=$(at 2030-01-01T00:00:00Z) "$RG" pre-commit &&
	echo a >a && git add a .repoguard.ini &&
	REPOGUARD_NOW=$(at 2030-01-01T00:00:00Z) git commit -qm first
'

test_expect_success 'the real git commit is refused through the hook, and skipped on request' '
	new_repo r11 && cd r11 && rule 4h && git add .repoguard.ini &&
	commit_at 2026-01-01T00:00:00Z one &&
	echo more >more && git add more &&
	expect_code 1 env REPOGUARD_NOW=$(at 2026-01-01T05:00:00Z) git commit -qm two &&
	contains "$TRASH/stderr" "error[checkpoint]" &&
	REPOGUARD_SKIP=checkpoint REPOGUARD_NOW=$(at 2026-01-01T05:00:00Z) git commit -qm two 2>err &&
	contains err "skipped by REPOGUARD_SKIP: checkpoint"
'

test_expect_success 'on = pre-push does not enforce at pre-commit; severity = warn does not block' '
	git init -q r12 && cd r12 &&
	printf "[checkpoint]\nevery = 1h\n" >.repoguard.ini &&
	commit_at 2026-01-01T00:00:00Z one &&
	REPOGUARD_NOW=$(at 2026-01-02T00:00:00Z) "$RG" pre-commit 2>err && lacks err checkpoint &&
	printf "[checkpoint]\nevery = 1h\non = pre-push pre-commit\nseverity = warn\n" >.repoguard.ini &&
	REPOGUARD_NOW=$(at 2026-01-02T00:00:00Z) "$RG" pre-commit 2>err &&
	contains err "warning[checkpoint]"
'

test_expect_success 'the rule is off by default and with severity = off' '
	git init -q r13 && cd r13 &&
	commit_at 2020-01-01T00:00:00Z old &&
	REPOGUARD_NOW=$(at 2026-01-01T00:00:00Z) "$RG" pre-commit &&
	printf "[checkpoint]\nevery = 1h\non = pre-commit\nseverity = off\n" >.repoguard.ini &&
	REPOGUARD_NOW=$(at 2026-01-01T00:00:00Z) "$RG" pre-commit
'

test_expect_success 'configuration errors name file:line and fail closed' '
	git init -q r14 && cd r14 && commit_at 2026-01-01T00:00:00Z one &&
	printf "[checkpoint]\nevery = 4x\n" >.repoguard.ini &&
	expect_code 3 "$RG" pre-commit &&
	contains "$TRASH/stderr" ".repoguard.ini:2: '"'"'4x'"'"' for every is not a duration" &&
	printf "[checkpoint]\nevery = 4h\non = pre-commit post-commit\n" >.repoguard.ini &&
	expect_code 3 "$RG" pre-commit &&
	contains "$TRASH/stderr" ".repoguard.ini:3: on: '"'"'post-commit'"'"' is not one of" &&
	printf "[checkpoint]\nevery = 4h\ntags = [oops\n" >.repoguard.ini &&
	expect_code 3 "$RG" pre-commit &&
	contains "$TRASH/stderr" ".repoguard.ini:3: tags: invalid pattern" &&
	printf "[checkpoint]\nevery = 4h\ntags = checkpoint-* !checkpoint-old\n" >.repoguard.ini &&
	expect_code 3 "$RG" pre-commit &&
	contains "$TRASH/stderr" ".repoguard.ini:3: tags: '"'"'!checkpoint-old'"'"': negative patterns are not supported" &&
	printf "[checkpoint]\nevery = 4h\ntags = release-*\n" >.repoguard.ini &&
	expect_code 3 "$RG" pre-commit &&
	contains "$TRASH/stderr" "gives tags like '"'"'checkpoint-20260101-0000'"'"' that tags = release-* does not match" &&
	printf "[checkpoint]\nname = bad..%%H\n" >.repoguard.ini &&
	expect_code 3 "$RG" status &&
	contains "$TRASH/stderr" "not a valid tag name" &&
	printf "[checkpoint]\nname = checkpoint-%%Y%%m%%d-%%l%%M\n" >.repoguard.ini &&
	expect_code 3 "$RG" config &&
	contains "$TRASH/stderr" "gives '"'"'checkpoint-20260305- 107'"'"' at 2026-03-05 01:07 UTC, which is not a valid tag name" &&
	printf "[checkpoint]\nname = checkpoint-%%Y%%m%%d-%%I%%M%%p\n" >.repoguard.ini &&
	"$RG" config >/dev/null &&
	printf "[checkpoint]\nevery = 4h\nhours = 3\n" >.repoguard.ini &&
	expect_code 3 "$RG" checkpoint &&
	contains "$TRASH/stderr" ".repoguard.ini:3: unknown key '"'"'hours'"'"' in [checkpoint]"
'

test_expect_success 'the rule reads nothing but objects: the repository is unchanged' '
	git init -q r15 && cd r15 && rule 1h && commit_at 2026-01-01T00:00:00Z one &&
	repo_state . >"$TRASH/before" &&
	expect_code 1 env REPOGUARD_NOW=$(at 2026-01-01T05:00:00Z) "$RG" pre-commit &&
	"$RG" pre-commit --format json >/dev/null 2>&1 || true &&
	repo_state . >"$TRASH/after" && cmp "$TRASH/before" "$TRASH/after"
'

test_expect_success 'a key pasted into a commit subject is masked wherever a subject is shown' '
	git init -q r-key && cd r-key && rule 1h &&
	tok=$(gen_key ghp_ 36 ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 31) &&
	commit_at 2026-01-01T00:00:00Z "use $tok" &&
	for fmt in text json sarif github; do
		expect_code 1 env REPOGUARD_NOW=$(at 2026-01-01T02:00:00Z) "$RG" pre-commit --format $fmt &&
		lacks "$TRASH/stdout" "$tok" && lacks "$TRASH/stderr" "$tok" || return 1
	done &&
	contains "$TRASH/stdout" "use ghp_" &&
	REPOGUARD_NOW=$(at 2026-01-01T02:00:00Z) "$RG" status >"$TRASH/st" 2>&1 &&
	lacks "$TRASH/st" "$tok" && contains "$TRASH/st" "use ghp_" &&
	{ REPOGUARD_NOW=$(at 2026-01-01T02:00:00Z) "$RG" audit >"$TRASH/au" 2>&1; test $? -le 1; } &&
	contains "$TRASH/au" "use ghp_" && lacks "$TRASH/au" "$tok" &&
	REPOGUARD_NOW=$(at 2026-01-01T02:00:00Z) "$RG" checkpoint >"$TRASH/ck" 2>&1 &&
	lacks "$TRASH/ck" "$tok" &&
	REPOGUARD_NOW=$(at 2026-01-01T02:00:00Z) "$RG" status >"$TRASH/st" 2>&1 &&
	lacks "$TRASH/st" "$tok"
'

test_expect_success 'a malformed REPOGUARD_NOW is a usage error naming the variable, not the real clock' '
	new_repo rnow && cd rnow &&
	printf "[checkpoint]\nevery = 4h\non = pre-commit\n" >.repoguard.ini &&
	for v in yesterday abc 1e9 "12 "; do
		REPOGUARD_NOW="$v" expect_code 2 "$RG" pre-commit &&
		contains "$TRASH/stderr" "REPOGUARD_NOW='"'"'$v'"'"' is not a time: give seconds since the epoch" &&
		REPOGUARD_NOW="$v" expect_code 2 "$RG" status &&
		contains "$TRASH/stderr" "REPOGUARD_NOW=" || return 1
	done &&
	REPOGUARD_NOW=1767225600 "$RG" pre-commit && REPOGUARD_NOW= "$RG" pre-commit
'

test_expect_success 'a shallow clone: measured over its history; work that reaches its edge is a clear error' '
	git init -q sh-src && (cd sh-src && rule 4h && git add .repoguard.ini &&
		commit_at 2026-01-01T00:00:00Z one && commit_at 2026-01-01T01:00:00Z two &&
		commit_at 2026-01-01T02:00:00Z three) &&
	git clone -q --depth 2 "file://$TRASH/sh-src" sh && cd sh &&
	test "$(git rev-list --count HEAD)" = 2 &&
	REPOGUARD_NOW=$(at 2026-01-01T03:00:00Z) && export REPOGUARD_NOW &&
	expect_code 4 "$RG" pre-commit &&
	contains "$TRASH/stderr" "reaches the edge of this shallow clone" &&
	contains "$TRASH/stderr" "git fetch --unshallow" &&
	git tag checkpoint-two HEAD~1 &&
	"$RG" pre-commit &&
	"$RG" status >"$TRASH/out" &&
	contains "$TRASH/out" "last checkpoint: checkpoint-two (lightweight tag)" &&
	contains "$TRASH/out" "uncovered: 1 commit, the oldest made 2026-01-01 02:00 UTC (1h00m ago)" &&
	"$RG" rollback --dry-run >"$TRASH/out" &&
	lacks "$TRASH/out" "not in the history" &&
	contains "$TRASH/out" "commits rolled back (1):"
'

test_done

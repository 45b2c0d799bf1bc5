#!/bin/sh
# t0410: `repoguard checkpoint` and `repoguard status`, with a fixed clock.
. "$(dirname "$0")/../lib/test-lib.sh"
. "$TEST_DIR/../lib/checkpoint-lib.sh"

at() { date -u -d "$1" +%s; }
test_expect_success 'checkpoint tags HEAD, annotated, named and dated by the clock' '
	git init -q r1 && cd r1 && commit_at 2026-01-01T00:00:00Z one &&
	REPOGUARD_NOW=$(at 2026-01-01T04:05:30Z) "$RG" checkpoint >out &&
	contains out "created checkpoint checkpoint-20260101-0405 at $(git rev-parse --short=12 HEAD) one" &&
	contains out "the first checkpoint of this history, covering 1 commit" &&
	contains out "roll back to it with: repoguard rollback checkpoint-20260101-0405" &&
	test "$(git cat-file -t checkpoint-20260101-0405)" = tag &&
	test "$(git rev-parse checkpoint-20260101-0405^{commit})" = "$(git rev-parse HEAD)" &&
	test "$(git for-each-ref --format="%(taggerdate:unix) %(taggername)" refs/tags/checkpoint-20260101-0405)" = "$(at 2026-01-01T04:05:30Z) C O Mitter" &&
	git cat-file tag checkpoint-20260101-0405 >tag && contains tag "checkpoint of main"
'

test_expect_success 'a second checkpoint in the same minute gets -2; HEAD already a checkpoint makes none' '
	git init -q r2 && cd r2 && commit_at 2026-01-01T00:00:00Z one &&
	REPOGUARD_NOW=$(at 2026-01-01T04:00:00Z) "$RG" checkpoint >/dev/null &&
	REPOGUARD_NOW=$(at 2026-01-01T04:00:10Z) "$RG" checkpoint >out &&
	contains out "already is checkpoint checkpoint-20260101-0400; nothing new was made" &&
	test "$(git tag | wc -l)" = 1 &&
	commit_at 2026-01-01T04:00:20Z two && commit_at 2026-01-01T04:00:30Z three &&
	REPOGUARD_NOW=$(at 2026-01-01T04:00:40Z) "$RG" checkpoint -m "before the migration" >out &&
	contains out "created checkpoint checkpoint-20260101-0400-2" &&
	contains out "it covers 2 commits since checkpoint-20260101-0400" &&
	test "$(git tag -l --format="%(contents:subject)" checkpoint-20260101-0400-2)" = "before the migration"
'

test_expect_success 'files a sparse checkout leaves out are not uncommitted changes' '
	git init -q r3s && cd r3s && mkdir backend web && echo b >backend/b && echo w >web/w &&
	git add . && git commit -qm one &&
	git sparse-checkout set backend && test ! -e web/w &&
	REPOGUARD_NOW=$(at 2026-01-01T01:00:00Z) "$RG" checkpoint >out &&
	contains out "created checkpoint checkpoint-20260101-0100" &&
	echo c >>backend/b && commit_at 2026-01-01T01:30:00Z two && echo d >>backend/b &&
	expect_code 1 env REPOGUARD_NOW=$(at 2026-01-01T02:00:00Z) "$RG" checkpoint &&
	contains "$TRASH/stderr" "unstaged: backend/b" &&
	contains "$TRASH/stderr" "1 tracked file has uncommitted changes" &&
	lacks "$TRASH/stderr" "web/w"
'

test_expect_success 'a name another run holds locked (being made) is taken: the next one is used' '
	git init -q r2l && cd r2l && commit_at 2026-01-01T00:00:00Z one &&
	: >.git/refs/tags/checkpoint-20260101-0400.lock &&
	REPOGUARD_NOW=$(at 2026-01-01T04:00:00Z) "$RG" checkpoint >out &&
	contains out "created checkpoint checkpoint-20260101-0400-2" &&
	commit_at 2026-01-01T04:00:20Z two &&
	: >.git/refs/tags/checkpoint-20260101-0400-3.lock &&
	REPOGUARD_NOW=$(at 2026-01-01T04:00:30Z) "$RG" checkpoint >out &&
	contains out "created checkpoint checkpoint-20260101-0400-4"
'

test_expect_success 'dirty tracked files are refused; untracked files are not; --allow-dirty' '
	git init -q r3 && cd r3 && commit_at 2026-01-01T00:00:00Z one &&
	echo untracked >new && REPOGUARD_NOW=$(at 2026-01-01T01:00:00Z) "$RG" checkpoint >/dev/null &&
	commit_at 2026-01-01T01:30:00Z two &&
	echo change >>file &&
	expect_code 1 env REPOGUARD_NOW=$(at 2026-01-01T02:00:00Z) "$RG" checkpoint &&
	contains "$TRASH/stderr" "unstaged: file" &&
	contains "$TRASH/stderr" "1 tracked file has uncommitted changes" &&
	contains "$TRASH/stderr" "--allow-dirty" &&
	git add file &&
	expect_code 1 env REPOGUARD_NOW=$(at 2026-01-01T02:00:00Z) "$RG" checkpoint &&
	contains "$TRASH/stderr" "staged:   file" &&
	test "$(git tag | wc -l)" = 1 &&
	REPOGUARD_NOW=$(at 2026-01-01T02:00:00Z) "$RG" checkpoint --allow-dirty >out &&
	contains out "created checkpoint checkpoint-20260101-0200" &&
	test "$(git diff --cached --name-only)" = file
'

test_expect_success 'unresolved conflicts are named as such, and the advice is to finish the merge, not git commit -a' '
	git init -q r4b && cd r4b && commit_at 2026-01-01T00:00:00Z one &&
	git checkout -qb side && commit_at 2026-01-01T00:10:00Z theirs &&
	git checkout -q main && commit_at 2026-01-01T00:20:00Z ours &&
	expect_code 1 git merge -q side &&
	REPOGUARD_NOW=$(at 2026-01-01T01:00:00Z) expect_code 1 "$RG" checkpoint &&
	contains "$TRASH/stderr" "  conflict: file" &&
	contains "$TRASH/stderr" "1 tracked file has unresolved conflicts" &&
	contains "$TRASH/stderr" "finish the merge, rebase or cherry-pick in progress first" &&
	lacks "$TRASH/stderr" "git commit -a" &&
	test -z "$(git tag)"
'

test_expect_success 'an unborn branch has nothing to checkpoint' '
	git init -q r4 && cd r4 &&
	expect_code 1 "$RG" checkpoint &&
	contains "$TRASH/stderr" "main has no commits yet"
'

test_expect_success 'the configured name format is used, and must make tags that count' '
	git init -q r5 && cd r5 && commit_at 2026-01-01T00:00:00Z one &&
	printf "[checkpoint]\ntags = phase*-checkpoint-*\nname = phase2-checkpoint-%%Y-%%m-%%dT%%H%%M\n" >.repoguard.ini &&
	REPOGUARD_NOW=$(at 2026-03-04T05:06:00Z) "$RG" checkpoint >out &&
	contains out "created checkpoint phase2-checkpoint-2026-03-04T0506" &&
	printf "[checkpoint]\ntags = phase*-checkpoint-*\n" >.repoguard.ini &&
	expect_code 3 "$RG" checkpoint &&
	contains "$TRASH/stderr" "does not match"
'

test_expect_success '--push pushes the tag to the named, upstream or only remote' '
	git init -q --bare remote.git && git init -q --bare other.git &&
	git init -q r6 && cd r6 && commit_at 2026-01-01T00:00:00Z one &&
	git remote add upstream ../remote.git &&
	REPOGUARD_NOW=$(at 2026-01-01T01:00:00Z) "$RG" checkpoint --push >out 2>&1 &&
	git -C ../remote.git rev-parse -q --verify refs/tags/checkpoint-20260101-0100 &&
	git remote add second ../other.git &&
	commit_at 2026-01-01T01:10:00Z two &&
	REPOGUARD_NOW=$(at 2026-01-01T02:00:00Z) "$RG" checkpoint --push second >out 2>&1 &&
	git -C ../other.git rev-parse -q --verify refs/tags/checkpoint-20260101-0200 &&
	expect_code 1 git -C ../remote.git rev-parse -q --verify refs/tags/checkpoint-20260101-0200 &&
	commit_at 2026-01-01T02:10:00Z three &&
	expect_code 2 env REPOGUARD_NOW=$(at 2026-01-01T03:00:00Z) "$RG" checkpoint --push &&
	contains "$TRASH/stderr" "no remote to push to" &&
	test -z "$(git tag -l checkpoint-20260101-0300)" &&
	REPOGUARD_NOW=$(at 2026-01-01T03:00:00Z) "$RG" checkpoint --push=upstream >out 2>&1 &&
	git -C ../remote.git rev-parse -q --verify refs/tags/checkpoint-20260101-0300
'

test_expect_success 'a failed push keeps the tag and says how to push it again' '
	git init -q r7 && cd r7 && commit_at 2026-01-01T00:00:00Z one &&
	git remote add origin "$TRASH/does-not-exist.git" &&
	expect_code 4 env REPOGUARD_NOW=$(at 2026-01-01T01:00:00Z) "$RG" checkpoint --push &&
	contains "$TRASH/stderr" "the tag exists here: push it again with git push origin refs/tags/checkpoint-20260101-0100" &&
	git rev-parse -q --verify refs/tags/checkpoint-20260101-0100
'

test_expect_success 'no identity: refused with the command that sets one' '
	git init -q r8 && cd r8 && commit_at 2026-01-01T00:00:00Z one &&
	expect_code 2 env -u GIT_COMMITTER_NAME -u GIT_COMMITTER_EMAIL "$RG" checkpoint &&
	contains "$TRASH/stderr" "git config user.name" &&
	git config user.name "Use R" && git config user.email u@example.com &&
	env -u GIT_COMMITTER_NAME -u GIT_COMMITTER_EMAIL "$RG" checkpoint >/dev/null &&
	git for-each-ref --format="%(taggername)" refs/tags >who && contains who "Use R"
'

test_expect_success 'usage errors' '
	git init -q r9 && cd r9 && commit_at 2026-01-01T00:00:00Z one &&
	expect_code 2 "$RG" checkpoint extra &&
	expect_code 2 "$RG" checkpoint --bogus &&
	expect_code 2 "$RG" checkpoint -m "" &&
	expect_code 2 "$RG" status extra &&
	"$RG" help checkpoint >h && contains h "usage: repoguard checkpoint"
'

test_expect_success 'status: last checkpoint, its age, uncovered commits, when the rule fails' '
	git init -q r10 && cd r10 &&
	printf "[checkpoint]\nevery = 4h\non = pre-push ci\n" >.repoguard.ini &&
	commit_at 2026-01-01T00:00:00Z one &&
	GIT_COMMITTER_DATE=2026-01-01T00:30:00Z git tag -a -m cp checkpoint-a &&
	commit_at 2026-01-01T01:00:00Z two && commit_at 2026-01-01T02:00:00Z three &&
	REPOGUARD_NOW=$(at 2026-01-01T03:00:00Z) "$RG" status >out &&
	contains out "checkpoint rule: every 4h00m, tags checkpoint-*, enforced on pre-push ci" &&
	contains out "main: $(git rev-parse --short=12 HEAD) three" &&
	contains out "last checkpoint: checkpoint-a (annotated tag) on $(git rev-parse --short=12 HEAD~2) one" &&
	contains out "made 2026-01-01 00:30 UTC, 2h30m ago" &&
	contains out "uncovered: 2 commits, the oldest made 2026-01-01 01:00 UTC (2h00m ago)" &&
	contains out "  $(git rev-parse --short=12 HEAD) three" &&
	contains out "  $(git rev-parse --short=12 HEAD~1) two" &&
	contains out "the rule starts failing at 2026-01-01 05:00 UTC (in 2h00m)" &&
	REPOGUARD_NOW=$(at 2026-01-01T06:00:00Z) "$RG" status >out &&
	contains out "the rule fails now (1h00m over the limit): repoguard checkpoint" &&
	git tag checkpoint-b &&
	REPOGUARD_NOW=$(at 2026-01-01T06:00:00Z) "$RG" status >out &&
	contains out "last checkpoint: checkpoint-b (lightweight tag)" &&
	contains out "uncovered: nothing; the clock starts with the next commit"
'

test_expect_success 'status and rollback print a C1 control of a commit subject as \ooo, never raw' '
	git init -q r10c && cd r10c &&
	commit_at 2026-01-01T00:00:00Z one && git tag checkpoint-a &&
	echo b >b && git add b && git commit -qm "$(printf "evil \302\2332J subject")" &&
	"$RG" status >out && contains out "evil \\302\\2332J subject" &&
	! grep -q "$(printf "\302\233")" out &&
	"$RG" rollback --dry-run >out && contains out "evil \\302\\2332J subject" &&
	! grep -q "$(printf "\302\233")" out
'

test_expect_success 'status: rule off, unborn branch, checkpoint outside the history' '
	git init -q r11 && cd r11 &&
	"$RG" status >out && contains out "checkpoint rule: off" &&
	contains out "main has no commits yet: nothing to cover" &&
	commit_at 2026-01-01T00:00:00Z one && git checkout -qb other &&
	commit_at 2026-01-01T01:00:00Z two && git tag checkpoint-other && git checkout -q main &&
	REPOGUARD_NOW=$(at 2026-01-01T02:00:00Z) "$RG" status >out &&
	contains out "last checkpoint: none in this history" &&
	contains out "note: checkpoint-other, the newest checkpoint tag, is not in this history" &&
	contains out "uncovered: nothing"
'

test_expect_success 'status and a refused checkpoint change nothing' '
	git init -q r12 && cd r12 && commit_at 2026-01-01T00:00:00Z one && echo x >>file &&
	repo_state . >"$TRASH/before" &&
	"$RG" status >/dev/null && expect_code 1 "$RG" checkpoint &&
	repo_state . >"$TRASH/after" && cmp "$TRASH/before" "$TRASH/after"
'

test_expect_success 'git -c settings (GIT_CONFIG_PARAMETERS) count: user.name and user.email, branch.<name>.remote' '
	git init -q r-env && cd r-env && commit_at 2026-01-01T00:00:00Z one &&
	git config user.name "File R" && git config user.email f@example.com &&
	env -u GIT_COMMITTER_NAME -u GIT_COMMITTER_EMAIL \
		GIT_CONFIG_PARAMETERS="'"'"'user.name'"'"'='"'"'Env R'"'"' '"'"'user.email'"'"'='"'"'e@example.com'"'"'" \
		REPOGUARD_NOW=$(at 2026-01-01T01:00:00Z) "$RG" checkpoint >/dev/null &&
	git for-each-ref --format="%(taggername) %(taggeremail)" refs/tags >who &&
	contains who "Env R <e@example.com>" &&
	git init -q --bare ../env-a.git && git init -q --bare ../env-b.git &&
	git remote add a ../env-a.git && git remote add b ../env-b.git &&
	b=$(git symbolic-ref --short HEAD) && commit_at 2026-01-01T01:10:00Z two &&
	GIT_CONFIG_PARAMETERS="'"'"'branch.$b.remote'"'"'='"'"'b'"'"'" \
		REPOGUARD_NOW=$(at 2026-01-01T02:00:00Z) "$RG" checkpoint --push >out 2>&1 &&
	git -C ../env-b.git rev-parse -q --verify refs/tags/checkpoint-20260101-0200 &&
	expect_code 1 git -C ../env-a.git rev-parse -q --verify refs/tags/checkpoint-20260101-0200
'

test_expect_success 'a bare repository gets its checkpoint but no rollback hint (rollback needs a work tree)' '
	git init -q rb && cd rb && commit_at 2026-01-01T00:00:00Z one && cd .. &&
	git clone -q --bare rb rb.git && cd rb.git &&
	REPOGUARD_NOW=$(at 2026-01-01T04:05:30Z) "$RG" checkpoint >out &&
	contains out "created checkpoint checkpoint-20260101-0405" &&
	! grep -q "rollback" out &&
	git cat-file tag checkpoint-20260101-0405 >tag && ! grep -q "rollback" tag &&
	expect_code 2 "$RG" rollback checkpoint-20260101-0405 2>/dev/null
'

# fake_gpg FILE: a gpg.program that signs anything (as gpg reports it on --status-fd)
fake_gpg() {
	cat >"$1" <<-\EOF
	#!/bin/sh
	cat >/dev/null
	printf "\n[GNUPG:] SIG_CREATED D 1 8 00 1767225600 FAKE\n" >&2
	printf -- "-----BEGIN PGP SIGNATURE-----\n\nfakesignature\n-----END PGP SIGNATURE-----\n"
	EOF
	chmod +x "$1"
}

test_expect_success 'tag.gpgSign (and tag.forceSignAnnotated): the checkpoint is signed as git tag -a signs it' '
	git init -q r-sign && cd r-sign && commit_at 2026-01-01T00:00:00Z one &&
	fake_gpg "$TRASH/fake-gpg" && git config gpg.program "$TRASH/fake-gpg" &&
	git config tag.gpgSign true &&
	REPOGUARD_NOW=$(at 2026-01-01T04:05:30Z) "$RG" checkpoint -m "# not a comment" >out &&
	contains out "created checkpoint checkpoint-20260101-0405" &&
	git cat-file tag checkpoint-20260101-0405 >tag &&
	contains tag "-----BEGIN PGP SIGNATURE-----" && contains tag "# not a comment" &&
	test "$(git for-each-ref --format="%(taggerdate:unix) %(taggername)" refs/tags/checkpoint-20260101-0405)" = "$(at 2026-01-01T04:05:30Z) C O Mitter" &&
	test "$(git rev-parse checkpoint-20260101-0405^{commit})" = "$(git rev-parse HEAD)" &&
	git config --unset tag.gpgSign && git config tag.forceSignAnnotated true &&
	commit_at 2026-01-01T04:06:00Z two &&
	REPOGUARD_NOW=$(at 2026-01-01T04:06:30Z) "$RG" checkpoint >out &&
	contains out "created checkpoint checkpoint-20260101-0406" &&
	git cat-file tag checkpoint-20260101-0406 >tag && contains tag "-----BEGIN PGP SIGNATURE-----" &&
	contains tag "checkpoint of main" &&
	commit_at 2026-01-01T04:06:40Z three &&
	REPOGUARD_NOW=$(at 2026-01-01T04:06:50Z) "$RG" checkpoint >out &&
	contains out "created checkpoint checkpoint-20260101-0406-2"
'

test_expect_success 'a signing failure is an error that makes no tag' '
	git init -q r-sign2 && cd r-sign2 && commit_at 2026-01-01T00:00:00Z one &&
	printf "#!/bin/sh\nexit 2\n" >"$TRASH/bad-gpg" && chmod +x "$TRASH/bad-gpg" &&
	git config gpg.program "$TRASH/bad-gpg" && git config tag.gpgSign true &&
	expect_code 4 env REPOGUARD_NOW=$(at 2026-01-01T04:05:30Z) "$RG" checkpoint &&
	contains "$TRASH/stderr" "git tag -s" &&
	test -z "$(git tag)"
'

test_expect_success 'a split index (core.splitIndex), which libgit2 cannot read, is refused with the way out' '
	git init -q r-split && cd r-split && commit_at 2026-01-01T00:00:00Z one &&
	git update-index --split-index &&
	expect_code 1 env REPOGUARD_NOW=$(at 2026-01-01T04:05:30Z) "$RG" checkpoint &&
	contains "$TRASH/stderr" "git update-index --no-split-index" &&
	test -z "$(git tag)" &&
	REPOGUARD_NOW=$(at 2026-01-01T04:05:30Z) "$RG" checkpoint --allow-dirty >out &&
	contains out "created checkpoint checkpoint-20260101-0405"
'

test_done

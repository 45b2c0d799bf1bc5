#!/bin/sh
# t0140: the commits `git merge` makes. A merge without conflicts is
# committed without the pre-commit hook; git runs pre-merge-commit, before it
# writes MERGE_HEAD, with GITHEAD_<id> naming each merged commit. What the
# merge itself adds is checked (what none of the merged commits has), not
# what the merged branches' own commits brought.
. "$(dirname "$0")/../lib/test-lib.sh"

commit() { # commit FILE CONTENT MSG (no hooks)
	mkdir -p "$(dirname "$1")" && echo "$2" >"$1" && git add "$1" && git commit -qm "$3" --no-verify
}

TOKEN=$(gen_key ghp_ 36 "$B32" 7)

# main: README, then m.txt; feature (from README): f.txt, then node_modules/
# committed past the hooks; fix (from README): a clean x.txt.
test_expect_success 'setup, and install links pre-merge-commit with the other hooks' '
	git init -q r && cd r && commit README base base &&
	git checkout -qb feature && commit f.txt f "feat: f" && commit node_modules/x/i.js x "chore: deps" &&
	git checkout -q -b fix main && commit x.txt x "fix: x" &&
	git checkout -q main && commit m.txt m "feat: m" &&
	"$RG" install >/dev/null &&
	test -L .git/hooks/pre-merge-commit && contains .git/hooks/.repoguard-hooks "pre-merge-commit"
'

test_expect_success 'a merge is checked for what it adds, not for what the merged branch brought' '
	cd r && git merge -q --no-edit feature 2>"$TRASH/err" &&
	test "$(git rev-list --count --merges HEAD)" = 1 &&
	lacks "$TRASH/err" "error[" &&
	git reset -q --hard HEAD~1
'

test_expect_success 'git merge runs pre-merge-commit with GITHEAD_<id> for each merged commit, no MERGE_HEAD yet' '
	cd r && mv .git/hooks/pre-merge-commit .git/hooks/saved &&
	printf "#!/bin/sh\nenv | grep ^GITHEAD_ >\"%s\"\ntest -f .git/MERGE_HEAD && echo yes >>\"%s\"\nexit 1\n" \
		"$TRASH/env" "$TRASH/env" >.git/hooks/pre-merge-commit && chmod +x .git/hooks/pre-merge-commit &&
	! git merge -q --no-edit feature fix >/dev/null 2>&1 &&
	contains "$TRASH/env" "GITHEAD_$(git rev-parse feature)=feature" &&
	contains "$TRASH/env" "GITHEAD_$(git rev-parse fix)=fix" &&
	lacks "$TRASH/env" "yes" &&
	{ git merge --abort 2>/dev/null || :; } && git reset -q --hard main &&
	mv .git/hooks/saved .git/hooks/pre-merge-commit
'

test_expect_success 'the same merge through pre-commit (git'"'"'s sample pre-merge-commit runs it) passes too' '
	cd r && mv .git/hooks/pre-merge-commit .git/hooks/saved &&
	printf "#!/bin/sh\nexec \"%s\" pre-commit\n" "$RG" >.git/hooks/pre-merge-commit &&
	chmod +x .git/hooks/pre-merge-commit &&
	git merge -q --no-edit feature 2>"$TRASH/err" && lacks "$TRASH/err" "error[" &&
	git reset -q --hard HEAD~1 && mv .git/hooks/saved .git/hooks/pre-merge-commit
'

test_expect_success 'pre-commit without MERGE_HEAD or GITHEAD_ still sees everything staged' '
	cd r && git read-tree -m -u feature 2>/dev/null || git checkout -q feature -- . &&
	expect_code 1 "$RG" pre-commit && contains "$TRASH/stderr" "error[block] node_modules/" &&
	git reset -q --hard main
'

test_expect_success 'an octopus merge, one of whose branches carries debt, passes' '
	cd r && git merge -q --no-edit feature fix 2>"$TRASH/err" &&
	test "$(git rev-list --parents -n 1 HEAD | wc -w)" = 4 &&
	lacks "$TRASH/err" "error[" &&
	git reset -q --hard HEAD~1
'

test_expect_success 'a merge commit on a protected branch is refused; git merge --no-verify goes past' '
	cd r && printf "[branch]\nprotected = main\n" >.repoguard.ini &&
	before=$(git rev-parse HEAD) &&
	expect_code 1 git merge --no-edit fix &&
	test "$(git rev-parse HEAD)" = "$before" &&
	contains "$TRASH/stderr" "error[branch]" &&
	contains "$TRASH/stderr" "main" &&
	contains "$TRASH/stderr" "repoguard pre-merge-commit: 1 error" &&
	contains "$TRASH/stderr" "The merge is staged: fix it and git commit, or git merge --abort." &&
	test -f .git/MERGE_HEAD &&
	expect_code 1 git commit --no-edit &&
	contains "$TRASH/stderr" "repoguard pre-commit: 1 error" &&
	test "$(git rev-parse HEAD)" = "$before" &&
	git merge --abort && test ! -f .git/MERGE_HEAD && test "$(git rev-parse HEAD)" = "$before" &&
	git merge -q --no-edit --no-verify fix && test "$(git rev-parse HEAD^1)" = "$before" &&
	git reset -q --hard "$before" && rm .repoguard.ini
'

# a merge driver may write what neither side has: that is the merge's own
test_expect_success 'what a merge driver adds that no merged commit has is checked' '
	cd r && git checkout -q -b cfg-base main && commit app.cfg "a = 1" "chore: cfg" &&
	git checkout -q -b cfg-side && commit app.cfg "a = 2" "feat: side" &&
	git checkout -q cfg-base && echo "b = 1" >>app.cfg && git commit -qam "feat: base" --no-verify &&
	echo "*.cfg merge=evil" >.gitattributes && git add .gitattributes && git commit -qm "chore: attrs" --no-verify &&
	git config merge.evil.driver "printf \"a = 3\\ntoken = \\\"$TOKEN\\\"\\n\" >%A" &&
	before=$(git rev-parse HEAD) &&
	expect_code 1 git merge --no-edit cfg-side &&
	test "$(git rev-parse HEAD)" = "$before" &&
	contains "$TRASH/stderr" "error[secrets.github-token] app.cfg:2:" &&
	lacks "$TRASH/stderr" "$TOKEN" &&
	contains "$TRASH/stderr" "repoguard pre-merge-commit: 1 error" &&
	{ git merge --abort 2>/dev/null || :; } && git reset -q --hard "$before" && git config --unset merge.evil.driver
'

test_expect_success 'in a linked worktree too (hooks of the common git dir, its own index)' '
	cd r && git worktree add -q ../wt -b wtb main && cd ../wt &&
	printf "[branch]\nprotected = wtb\n" >.repoguard.ini &&
	before=$(git rev-parse HEAD) &&
	expect_code 1 git merge --no-edit fix &&
	contains "$TRASH/stderr" "error[branch] direct commit on protected branch '"'"'wtb'"'"'" &&
	test "$(git rev-parse HEAD)" = "$before" && git merge --abort && rm .repoguard.ini &&
	git merge -q --no-edit feature 2>"$TRASH/err" && lacks "$TRASH/err" "error[" &&
	test "$(git rev-list --count --merges HEAD)" = 1
'

test_expect_success 'main'"'"'s own debt merged into a feature branch does not block it' '
	cd r && git checkout -q main && commit .env "API=1" "chore: env" &&
	git checkout -q fix && git merge -q --no-edit main 2>"$TRASH/err" &&
	lacks "$TRASH/err" "error[" && git checkout -q main
'

test_done

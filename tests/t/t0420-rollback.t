#!/bin/sh
# t0420: `repoguard rollback`: everything is saved first, and restored exactly.
. "$(dirname "$0")/../lib/test-lib.sh"
. "$TEST_DIR/../lib/checkpoint-lib.sh"

export REPOGUARD_NOW=1767243600 # 2026-01-01 05:00:00 UTC
BACKUP=refs/repoguard/backup/main-20260101-050000

# copy_tree DIR: the work tree without .git, for git diff --no-index
copy_tree() {
	mkdir -p "$1" && tar --exclude=./.git -cf - . | (cd "$1" && tar -xf -)
}

# A repository with a checkpoint, two commits after it and a change of every kind.
setup_every_kind() {
	git init -q "$1" && cd "$1" &&
	printf "*.log\nbuild/\n" >.gitignore &&
	echo a >a && echo b >b && echo c >c && echo d >d && echo e >e && echo m >moved &&
	printf "#!/bin/sh\necho hi\n" >run.sh && chmod +x run.sh && echo tool >tool &&
	mkdir -p dir/sub && echo deep >dir/sub/deep && ln -s a link-to-a &&
	printf "\000\001\002binary" >bin.dat && echo x >"with space.txt" && echo f >becomes-link &&
	git add . && GIT_COMMITTER_DATE=2026-01-01T00:00:00Z git commit -qm base &&
	"$RG" checkpoint >/dev/null &&
	commit_at 2026-01-01T01:00:00Z later1 && commit_at 2026-01-01T02:00:00Z later2 &&
	echo staged >>a && git add a &&
	echo unstaged >>b &&
	echo staged >>c && git add c && echo "then unstaged" >>c &&
	rm d &&
	git rm -q e &&
	git mv moved renamed &&
	mv "with space.txt" "now spaced out.txt" &&
	chmod -x run.sh && chmod +x tool &&
	ln -sfn b link-to-a &&
	rm becomes-link && ln -s a becomes-link &&
	echo new >staged-new && git add staged-new &&
	mkdir -p brand/new/dir && echo fresh >brand/new/dir/file &&
	ln -s ../a brand/link && : >empty &&
	echo ita >intent && git add -N intent &&
	echo log >app.log && mkdir build && echo out >build/out
}

test_expect_success 'rollback saves every kind of change, then restore gives it back byte for byte' '
	setup_every_kind r1 &&
	cp=$(git rev-parse checkpoint-20260101-0500^{commit}) &&
	tree_state >"$TRASH/before" && copy_tree "$TRASH/copy-before" &&
	"$RG" rollback >"$TRASH/out" &&
	test "$(git rev-parse HEAD)" = "$cp" &&
	git diff --quiet "$cp" && git diff --cached --quiet "$cp" &&
	test -z "$(git status --porcelain --untracked-files=all)" &&
	test "$(cat app.log)" = log && test "$(cat build/out)" = out &&
	test ! -e brand && test ! -e staged-new && test -x run.sh &&
	contains "$TRASH/out" "rolling back main to checkpoint-20260101-0500" &&
	contains "$TRASH/out" "commits rolled back (2):" && contains "$TRASH/out" "later2" && contains "$TRASH/out" "later1" &&
	contains "$TRASH/out" "  A brand/new/dir/file" && contains "$TRASH/out" "  D e" && contains "$TRASH/out" "  M b" &&
	contains "$TRASH/out" "  R moved -> renamed" && contains "$TRASH/out" "  T becomes-link" &&
	contains "$TRASH/out" "saved everything first in $BACKUP" && lacks "$TRASH/out" "branch repoguard/backup" &&
	contains "$TRASH/out" "repoguard rollback $BACKUP" &&
	"$RG" rollback "$BACKUP" >"$TRASH/out2" &&
	contains "$TRASH/out2" "restoring main from $BACKUP" &&
	tree_state >"$TRASH/after" &&
	diff "$TRASH/before" "$TRASH/after" &&
	copy_tree "$TRASH/copy-after" &&
	git diff --no-index --exit-code "$TRASH/copy-before" "$TRASH/copy-after"
'

test_expect_success 'the backup commit holds the whole work tree; HEAD and the index are its parents' '
	cd r1 &&
	test -z "$(git for-each-ref refs/heads/repoguard/)" &&
	test "$(git rev-parse $BACKUP^1)" = "$(git rev-parse HEAD)" &&
	test "$(git rev-parse $BACKUP^2^)" = "$(git rev-parse HEAD)" &&
	test "$(git rev-parse $BACKUP^2^{tree})" = "$(git write-tree)" &&
	mkdir "$TRASH/extract" && git archive $BACKUP | tar -xf - -C "$TRASH/extract" &&
	copy_tree "$TRASH/untracked-view" && rm -rf "$TRASH/untracked-view/app.log" "$TRASH/untracked-view/build" &&
	git diff --no-index --exit-code "$TRASH/untracked-view" "$TRASH/extract" &&
	git log -1 --format=%B $BACKUP >"$TRASH/msg" && contains "$TRASH/msg" "repoguard backup of main before rollback to checkpoint-20260101-0500" &&
	contains "$TRASH/msg" "Restore it with: repoguard rollback $BACKUP"
'

test_expect_success '--dry-run shows the same and changes nothing' '
	setup_every_kind r2 &&
	tree_state >"$TRASH/before" && repo_state . >"$TRASH/rbefore" &&
	"$RG" rollback --dry-run >"$TRASH/out" &&
	contains "$TRASH/out" "would roll back main to checkpoint-20260101-0500" &&
	contains "$TRASH/out" "commits rolled back (2):" && contains "$TRASH/out" "  A brand/new/dir/file" &&
	contains "$TRASH/out" "would save everything first in $BACKUP" &&
	contains "$TRASH/out" "nothing was changed (--dry-run)" &&
	tree_state >"$TRASH/after" && repo_state . >"$TRASH/rafter" &&
	diff "$TRASH/before" "$TRASH/after" && cmp "$TRASH/rbefore" "$TRASH/rafter"
'

test_expect_success 'the default target is the newest checkpoint in HEAD history' '
	git init -q r3 && cd r3 &&
	commit_at 2026-01-01T00:00:00Z one && git tag checkpoint-old &&
	commit_at 2026-01-01T01:00:00Z two &&
	GIT_COMMITTER_DATE=2026-01-01T01:30:00Z git tag -a -m cp checkpoint-new &&
	git checkout -qb other && commit_at 2026-01-01T03:00:00Z elsewhere &&
	GIT_COMMITTER_DATE=2026-01-01T03:30:00Z git tag -a -m cp checkpoint-elsewhere &&
	git checkout -q main && commit_at 2026-01-01T04:00:00Z three &&
	"$RG" rollback >"$TRASH/out" && contains "$TRASH/out" "to checkpoint-new" &&
	test "$(git rev-parse HEAD)" = "$(git rev-parse checkpoint-new^{commit})" &&
	"$RG" rollback checkpoint-old >"$TRASH/out" && contains "$TRASH/out" "commits rolled back (1):" &&
	test "$(git rev-parse HEAD)" = "$(git rev-parse checkpoint-old^{commit})" &&
	"$RG" rollback checkpoint-elsewhere >"$TRASH/out" &&
	contains "$TRASH/out" "note: checkpoint-elsewhere is not in the history of main" &&
	test "$(git log -1 --format=%s)" = elsewhere &&
	test "$(git for-each-ref refs/repoguard/backup | wc -l)" = 3 &&
	git for-each-ref --format="%(refname)" refs/repoguard/backup >"$TRASH/refs" &&
	contains "$TRASH/refs" "main-20260101-050000-2" && contains "$TRASH/refs" "main-20260101-050000-3"
'

test_expect_success 'a commit id is a valid target too' '
	git init -q r4 && cd r4 &&
	commit_at 2026-01-01T00:00:00Z one && commit_at 2026-01-01T01:00:00Z two &&
	"$RG" rollback HEAD~1 >"$TRASH/out" &&
	test "$(git log -1 --format=%s)" = one &&
	expect_code 2 "$RG" rollback no-such-thing &&
	contains "$TRASH/stderr" "'"'"'no-such-thing'"'"' is not a checkpoint, tag, branch or commit"
'

test_expect_success 'refusals change nothing: no checkpoint, unborn, merge in progress, conflicts' '
	git init -q r5 && cd r5 &&
	expect_code 1 "$RG" rollback && contains "$TRASH/stderr" "main has no commits yet" &&
	commit_at 2026-01-01T00:00:00Z one &&
	expect_code 1 "$RG" rollback &&
	contains "$TRASH/stderr" "no checkpoint in the history of main (tags matching checkpoint-*)" &&
	git tag checkpoint-1 &&
	git checkout -qb side && commit_at 2026-01-01T01:00:00Z side &&
	git checkout -q main && commit_at 2026-01-01T02:00:00Z main &&
	expect_code 1 git merge -q side &&
	repo_state . >"$TRASH/before" && tree_state >"$TRASH/tbefore" &&
	expect_code 1 "$RG" rollback &&
	contains "$TRASH/stderr" "a merge is in progress; finish it or abort it" &&
	repo_state . >"$TRASH/after" && tree_state >"$TRASH/tafter" &&
	cmp "$TRASH/before" "$TRASH/after" && cmp "$TRASH/tbefore" "$TRASH/tafter" &&
	git merge --abort &&
	echo stash >>file && git stash -q && echo other >>file && git commit -qam other &&
	expect_code 1 git stash pop -q &&
	test -z "$(git rev-parse -q --verify MERGE_HEAD)" &&
	repo_state . >"$TRASH/before" &&
	expect_code 1 "$RG" rollback &&
	contains "$TRASH/stderr" "file is in conflict" &&
	lacks "$TRASH/stderr" "abort the merge" &&
	repo_state . >"$TRASH/after" && cmp "$TRASH/before" "$TRASH/after" &&
	grep -o "git reset --merge" "$TRASH/stderr" | sh &&
	test -z "$(git status --porcelain)" && git stash list >stashes && test -s stashes &&
	"$RG" rollback >/dev/null
'

test_expect_success 'an untracked nested repository is refused, not deleted' '
	git init -q r6 && cd r6 && commit_at 2026-01-01T00:00:00Z one && git tag checkpoint-1 &&
	commit_at 2026-01-01T01:00:00Z two &&
	git init -q nested && (cd nested && commit_at 2026-01-01T00:00:00Z inner) &&
	expect_code 1 "$RG" rollback &&
	contains "$TRASH/stderr" "nested/ is a directory git does not look into" &&
	test -d nested/.git && test "$(git log -1 --format=%s)" = two
'

test_expect_success 'an ignored nested repository below a folder the target has as a file is refused, not deleted' '
	git init -q r6b && cd r6b && echo a >d && git add d &&
	GIT_AUTHOR_DATE=2026-01-01T00:00:00Z GIT_COMMITTER_DATE=2026-01-01T00:00:00Z git commit -qm one &&
	git tag checkpoint-1 && git rm -q d && mkdir -p d/deep && echo x >d/deep/x &&
	printf "d/deep/inner/\n" >.gitignore && git add -A &&
	GIT_AUTHOR_DATE=2026-01-01T01:00:00Z GIT_COMMITTER_DATE=2026-01-01T01:00:00Z git commit -qm two &&
	git init -q d/deep/inner && (cd d/deep/inner && commit_at 2026-01-01T00:00:00Z inner) &&
	expect_code 1 "$RG" rollback &&
	contains "$TRASH/stderr" "the target has a file at d/deep/inner, where the work tree has a nested repository" &&
	test -d d/deep/inner/.git && test "$(git log -1 --format=%s)" = two
'

test_expect_success 'nothing to roll back at a clean checkpoint; a dirty one is saved first' '
	git init -q r7 && cd r7 && commit_at 2026-01-01T00:00:00Z one && git tag checkpoint-1 &&
	"$RG" rollback >"$TRASH/out" && contains "$TRASH/out" "nothing to roll back: main is at checkpoint-1" &&
	test -z "$(git for-each-ref refs/repoguard refs/heads/repoguard)" &&
	echo dirt >>file && echo new >new &&
	tree_state >"$TRASH/before" &&
	"$RG" rollback >"$TRASH/out" && contains "$TRASH/out" "commits rolled back (0):" &&
	test -z "$(git status --porcelain)" &&
	"$RG" rollback "$BACKUP" >/dev/null &&
	tree_state >"$TRASH/after" && diff "$TRASH/before" "$TRASH/after"
'

test_expect_success 'an ignored file in the way of the checkpoint is saved and restored' '
	git init -q r8 && cd r8 &&
	echo "version 1" >config.local && git add config.local &&
	GIT_COMMITTER_DATE=2026-01-01T00:00:00Z git commit -qm with-config && git tag checkpoint-1 &&
	git rm -q --cached config.local && echo config.local >.gitignore && git add .gitignore &&
	GIT_COMMITTER_DATE=2026-01-01T01:00:00Z git commit -qm ignore-config &&
	echo "my local secrets" >config.local &&
	"$RG" rollback >"$TRASH/out" &&
	contains "$TRASH/out" "(1 ignored file in the checkpoint'"'"'s way, saved too)" &&
	test "$(cat config.local)" = "version 1" &&
	"$RG" rollback "$BACKUP" >/dev/null &&
	test "$(cat config.local)" = "my local secrets" &&
	git status --porcelain --ignored >"$TRASH/st" && contains "$TRASH/st" "!! config.local"
'

test_expect_success 'files ignored by an untracked .gitignore: rollback and its undo leave them byte for byte' '
	git init -q r8g && cd r8g &&
	echo a >a && git add a && GIT_COMMITTER_DATE=2026-01-01T00:00:00Z git commit -qm one &&
	git tag checkpoint-1 &&
	echo b >a && GIT_COMMITTER_DATE=2026-01-01T01:00:00Z git commit -qam two &&
	printf "node_modules/\n.env\n" >.gitignore &&
	mkdir -p node_modules/pkg && echo module >node_modules/pkg/index.js && echo SECRET=local >.env &&
	tree_state >"$TRASH/before" &&
	"$RG" rollback >"$TRASH/out" &&
	contains "$TRASH/out" "note: 2 files that were ignored are left as they were" &&
	test ! -e .gitignore && test "$(cat .env)" = SECRET=local &&
	test "$(cat node_modules/pkg/index.js)" = module &&
	"$RG" rollback "$BACKUP" >"$TRASH/out" &&
	tree_state >"$TRASH/after" &&
	diff "$TRASH/before" "$TRASH/after"
'

test_expect_success 'a file ignored by a .gitignore line the rollback undoes stays, and comes back ignored' '
	git init -q r8h && cd r8h &&
	echo a >a && git add a && GIT_COMMITTER_DATE=2026-01-01T00:00:00Z git commit -qm one &&
	git tag checkpoint-1 &&
	printf "*.log\nbuild/\n" >.gitignore && git add .gitignore &&
	GIT_COMMITTER_DATE=2026-01-01T01:00:00Z git commit -qm ignore &&
	echo debug >debug.log && mkdir build && echo out >build/out && echo u >untracked &&
	tree_state >"$TRASH/before" &&
	"$RG" rollback >"$TRASH/out" &&
	contains "$TRASH/out" "note: 2 files that were ignored are left as they were" &&
	test "$(cat debug.log)" = debug && test "$(cat build/out)" = out && test ! -e untracked &&
	echo new >new-after-rollback &&
	"$RG" rollback "$BACKUP" >"$TRASH/out" &&
	tree_state >"$TRASH/after" &&
	diff "$TRASH/before" "$TRASH/after"
'

test_expect_success 'ignored files inside a directory the checkpoint has as a file are saved' '
	git init -q r16 && cd r16 && echo file >out && git add out &&
	GIT_COMMITTER_DATE=2026-01-01T00:00:00Z git commit -qm file && git tag checkpoint-1 &&
	git rm -q out && echo out/ >.gitignore && git add .gitignore &&
	GIT_COMMITTER_DATE=2026-01-01T01:00:00Z git commit -qm ignore-out &&
	mkdir -p out/deep && echo built >out/deep/artifact && ln -s deep out/link &&
	tree_state >"$TRASH/before" &&
	"$RG" rollback >"$TRASH/out" &&
	contains "$TRASH/out" "(2 ignored files in the checkpoint'"'"'s way, saved too)" &&
	test "$(cat out)" = file &&
	"$RG" rollback "$BACKUP" >/dev/null &&
	tree_state >"$TRASH/after" && diff "$TRASH/before" "$TRASH/after"
'

test_expect_success 'a bare repository is a usage error' '
	git init -q --bare r17.git &&
	expect_code 2 "$RG" -C r17.git rollback &&
	contains "$TRASH/stderr" "rollback needs a work tree"
'

test_expect_success 'a file that became a directory, and back' '
	git init -q r9 && cd r9 && echo file >thing && git add thing &&
	GIT_COMMITTER_DATE=2026-01-01T00:00:00Z git commit -qm file && git tag checkpoint-1 &&
	git rm -q thing && mkdir thing && echo inside >thing/inside && git add thing &&
	GIT_COMMITTER_DATE=2026-01-01T01:00:00Z git commit -qm dir &&
	echo untracked >thing/untracked &&
	tree_state >"$TRASH/before" &&
	"$RG" rollback >/dev/null && test "$(cat thing)" = file &&
	"$RG" rollback "$BACKUP" >/dev/null &&
	tree_state >"$TRASH/after" && diff "$TRASH/before" "$TRASH/after"
'

test_expect_success 'a detached HEAD is rolled back and restored detached' '
	git init -q r10 && cd r10 && commit_at 2026-01-01T00:00:00Z one && git tag checkpoint-1 &&
	commit_at 2026-01-01T01:00:00Z two && git checkout -q --detach && echo d >>file &&
	tree_state >"$TRASH/before" &&
	"$RG" rollback >"$TRASH/out" && contains "$TRASH/out" "rolling back HEAD (detached) to checkpoint-1" &&
	! grep -q "rolling back detached" "$TRASH/out" &&
	test "$(git log -1 --format=%s)" = one && test "$(git rev-parse main)" != "$(git rev-parse HEAD)" &&
	"$RG" rollback >"$TRASH/out" &&
	contains "$TRASH/out" "nothing to roll back: HEAD (detached) is at checkpoint-1" &&
	"$RG" rollback refs/repoguard/backup/detached-20260101-050000 >"$TRASH/out" &&
	contains "$TRASH/out" "restoring HEAD (detached) from" &&
	tree_state >"$TRASH/after" && diff "$TRASH/before" "$TRASH/after"
'

test_expect_success 'restoring over new work saves that work first, and it can come back too' '
	git init -q r11 && cd r11 && commit_at 2026-01-01T00:00:00Z one && git tag checkpoint-1 &&
	commit_at 2026-01-01T01:00:00Z two && echo first-work >>file &&
	"$RG" rollback >/dev/null &&
	echo second-work >second && commit_at 2026-01-01T05:00:00Z redo &&
	tree_state >"$TRASH/second" &&
	"$RG" rollback "$BACKUP" >"$TRASH/out" &&
	contains "$TRASH/out" "saved everything first in $BACKUP-2" &&
	grep -q first-work file &&
	"$RG" rollback "$BACKUP-2" >/dev/null &&
	tree_state >"$TRASH/again" && diff "$TRASH/second" "$TRASH/again"
'

test_expect_success 'a ref under refs/repoguard/backup/ that is no backup is refused' '
	git init -q r12 && cd r12 && commit_at 2026-01-01T00:00:00Z one &&
	git update-ref refs/repoguard/backup/fake HEAD &&
	expect_code 2 "$RG" rollback refs/repoguard/backup/fake &&
	contains "$TRASH/stderr" "is not a backup made by repoguard rollback"
'

test_expect_success 'when the backup cannot be stored nothing is rolled back' '
	git init -q r13 && cd r13 && commit_at 2026-01-01T00:00:00Z one && git tag checkpoint-1 &&
	commit_at 2026-01-01T01:00:00Z two && echo dirty >>file &&
	git update-ref refs/repoguard/backup HEAD &&
	tree_state >"$TRASH/before" && cksum <.git/index >"$TRASH/index-before" &&
	expect_code 4 "$RG" rollback &&
	contains "$TRASH/stderr" "nothing was rolled back" &&
	tree_state >"$TRASH/after" && diff "$TRASH/before" "$TRASH/after" &&
	cksum <.git/index | cmp - "$TRASH/index-before" &&
	test "$(git for-each-ref refs/repoguard/ | wc -l)" -eq 1 &&
	git update-ref -d refs/repoguard/backup && "$RG" rollback >/dev/null &&
	test "$(git for-each-ref refs/repoguard/ | wc -l)" -eq 1
'

test_expect_success 'a branch named repoguard is no obstacle; git push --all publishes no backup' '
	git init -q r13b && cd r13b && commit_at 2026-01-01T00:00:00Z one && git tag checkpoint-1 &&
	commit_at 2026-01-01T01:00:00Z two && git branch repoguard && echo dirty >>file &&
	echo wip >untracked-work &&
	git init -q --bare "$TRASH/r13b-remote.git" && git remote add origin "$TRASH/r13b-remote.git" &&
	"$RG" rollback >/dev/null &&
	test "$(git for-each-ref refs/repoguard/backup/ | wc -l)" -eq 1 &&
	test -z "$(git for-each-ref refs/heads/repoguard/)" &&
	git push -q --all origin &&
	test -z "$(git -C "$TRASH/r13b-remote.git" for-each-ref refs/repoguard/ refs/heads/repoguard/)" &&
	test "$(git -C "$TRASH/r13b-remote.git" for-each-ref refs/heads/ | wc -l)" -eq 2
'

test_expect_success 'names with spaces, newlines and non-ASCII survive the round trip' '
	git init -q r14 && cd r14 && commit_at 2026-01-01T00:00:00Z one && git tag checkpoint-1 &&
	commit_at 2026-01-01T01:00:00Z two &&
	echo 1 >"sp ace" && echo 2 >"$(printf "new\nline")" && echo 3 >"$(printf "\303\274ber")" &&
	mkdir -- -rf && echo 4 >./-rf/x && git add -- "sp ace" &&
	git ls-files -s >"$TRASH/ls-before" && ls -A | LC_ALL=C sort >"$TRASH/dir-before" &&
	"$RG" rollback >"$TRASH/out" && contains "$TRASH/out" "\"new\\nline\"" &&
	test ! -e "sp ace" &&
	"$RG" rollback "$BACKUP" >/dev/null &&
	git ls-files -s | cmp - "$TRASH/ls-before" && ls -A | LC_ALL=C sort | cmp - "$TRASH/dir-before" &&
	test "$(cat "$(printf "new\nline")")" = 2
'

test_expect_success 'a sparse checkout is refused, unchanged' '
	git init -q r18 && cd r18 && mkdir a b && echo 1 >a/x && echo 2 >b/y &&
	git add . && GIT_COMMITTER_DATE=2026-01-01T00:00:00Z git commit -qm base && git tag checkpoint-1 &&
	echo 3 >>a/x && git commit -qam two && git sparse-checkout set a &&
	repo_state . >"$TRASH/before" &&
	expect_code 1 "$RG" rollback &&
	contains "$TRASH/stderr" "b/y is outside the sparse checkout; rollback does not support sparse checkouts" &&
	repo_state . >"$TRASH/after" && cmp "$TRASH/before" "$TRASH/after" && test ! -e b/y
'

test_expect_success 'a skip-worktree bit set by hand (no sparse checkout) is refused naming the bit, not a sparse checkout' '
	git init -q r18b && cd r18b && echo prod >local.cfg && echo a >a &&
	git add . && GIT_COMMITTER_DATE=2026-01-01T00:00:00Z git commit -qm base && git tag checkpoint-1 &&
	echo 2 >>a && git commit -qam two &&
	echo mine >local.cfg && git update-index --skip-worktree local.cfg &&
	repo_state . >"$TRASH/before" &&
	expect_code 1 "$RG" rollback &&
	contains "$TRASH/stderr" "local.cfg is marked skip-worktree" &&
	contains "$TRASH/stderr" "git update-index --no-skip-worktree -- local.cfg" &&
	lacks "$TRASH/stderr" "sparse" &&
	repo_state . >"$TRASH/after" && cmp "$TRASH/before" "$TRASH/after" &&
	test "$(cat local.cfg)" = mine &&
	git update-index --no-skip-worktree -- local.cfg &&
	"$RG" rollback >/dev/null && test "$(cat local.cfg)" = prod &&
	"$RG" rollback "$BACKUP" >/dev/null && test "$(cat local.cfg)" = mine
'

test_expect_success 'a linked worktree rolls back its own branch and work tree' '
	git init -q r19 && cd r19 && commit_at 2026-01-01T00:00:00Z one && git tag checkpoint-1 &&
	git worktree add -q ../r19-wt -b wt && cd ../r19-wt &&
	commit_at 2026-01-01T01:00:00Z wt-work && echo loose >loose &&
	tree_state >"$TRASH/before" &&
	"$RG" rollback >"$TRASH/out" && contains "$TRASH/out" "rolling back wt to checkpoint-1" &&
	test ! -e loose && test "$(git rev-parse wt)" = "$(git rev-parse checkpoint-1)" &&
	test "$(git -C ../r19 log -1 --format=%s main)" = one &&
	"$RG" rollback refs/repoguard/backup/wt-20260101-050000 >/dev/null &&
	tree_state >"$TRASH/after" && diff "$TRASH/before" "$TRASH/after"
'

test_expect_success 'usage' '
	git init -q r15 && cd r15 &&
	expect_code 2 "$RG" rollback a b &&
	expect_code 2 "$RG" rollback --bogus &&
	echo a >a && git add a && git commit -qm a && git tag treetag "HEAD^{tree}" &&
	expect_code 2 "$RG" rollback treetag &&
	contains "$TRASH/stderr" "'"'"'treetag'"'"' points at a tree, not at a commit" &&
	"$RG" help rollback >"$TRASH/h" && contains "$TRASH/h" "usage: repoguard rollback"
'

test_expect_success 'core.fileMode from git -c (GIT_CONFIG_PARAMETERS) counts, as for git status' '
	git init -q r-fm && cd r-fm &&
	printf "#!/bin/sh\n" >run.sh && chmod +x run.sh && echo x >f && git add . &&
	GIT_COMMITTER_DATE=2026-01-01T00:00:00Z git commit -qm base &&
	"$RG" checkpoint >/dev/null && commit_at 2026-01-01T01:00:00Z two &&
	chmod -x run.sh &&
	test -z "$(git -c core.filemode=false status --porcelain)" &&
	GIT_CONFIG_PARAMETERS="'"'"'core.filemode'"'"'='"'"'false'"'"'" "$RG" rollback >"$TRASH/out" &&
	lacks "$TRASH/out" "run.sh" && test -x run.sh &&
	git reset -q --hard "$BACKUP" && chmod -x run.sh &&
	git -c core.filemode=false status --porcelain >"$TRASH/st" && test ! -s "$TRASH/st" &&
	git tag -f -a -m cp checkpoint-20260101-0500 HEAD~1 >/dev/null &&
	REPOGUARD_NOW=1767243660 "$RG" rollback >"$TRASH/out2" &&
	contains "$TRASH/out2" "  T run.sh"
'

test_expect_success 'assume-unchanged files are saved as they are, not lost' '
	git init -q r-au && cd r-au &&
	echo a >a && echo b >b && echo c >c && git add . &&
	GIT_COMMITTER_DATE=2026-01-01T00:00:00Z git commit -qm base &&
	"$RG" checkpoint >/dev/null && commit_at 2026-01-01T01:00:00Z two &&
	git update-index --assume-unchanged a b c &&
	echo precious >>a && rm b &&
	test -z "$(git status --porcelain)" &&
	"$RG" rollback >"$TRASH/out" &&
	contains "$TRASH/out" "  M a" && contains "$TRASH/out" "  D b" &&
	test "$(git show "$BACKUP:a")" = "$(printf "a\nprecious")" &&
	! git cat-file -e "$BACKUP:b" 2>/dev/null &&
	test "$(git show "$BACKUP:c")" = c &&
	"$RG" rollback "$BACKUP" >/dev/null &&
	test "$(cat a)" = "$(printf "a\nprecious")" && test ! -e b && test "$(cat c)" = c
'

test_expect_success 'a checked-out submodule the checkpoint lacks is refused, not deleted' '
	git init -q sub-src && (cd sub-src && echo s >s && git add s && git commit -qm s) &&
	git init -q r-sm && cd r-sm &&
	echo a >a && git add a && GIT_COMMITTER_DATE=2026-01-01T00:00:00Z git commit -qm base &&
	"$RG" checkpoint >/dev/null &&
	git -c protocol.file.allow=always submodule add -q ../sub-src "my lib" &&
	GIT_COMMITTER_DATE=2026-01-01T01:00:00Z git commit -qm "add my lib" &&
	echo uncommitted >>"my lib/s" && repo_state . >"$TRASH/before" &&
	expect_code 1 "$RG" rollback &&
	contains "$TRASH/stderr" "my lib is a submodule that the target does not have" &&
	contains "$TRASH/stderr" "git submodule deinit '"'"'my lib'"'"'" &&
	test "$(tail -1 "my lib/s")" = uncommitted &&
	repo_state . >"$TRASH/after" && diff "$TRASH/before" "$TRASH/after" &&
	(cd "my lib" && git checkout -q s) && git submodule deinit -q "my lib" &&
	"$RG" rollback >/dev/null && test ! -e "my lib" &&
	"$RG" rollback "$BACKUP" >/dev/null && test -d "my lib" && test "$(git ls-files -s "my lib" | cut -c1-6)" = 160000
'

test_expect_success 'a submodule left checked out at another commit than the checkpoint'"'"'s is named, with the command that moves it' '
	git init -q r-sm2 && cd r-sm2 &&
	echo a >a && git add a && GIT_COMMITTER_DATE=2026-01-01T00:00:00Z git commit -qm base &&
	git -c protocol.file.allow=always submodule add -q ../sub-src "lib/my sub" &&
	GIT_COMMITTER_DATE=2026-01-01T00:00:00Z git commit -qm "add lib" &&
	"$RG" checkpoint >/dev/null && want=$(git rev-parse "HEAD:lib/my sub") &&
	(cd "lib/my sub" && echo t >t && git add t && git commit -qm t) &&
	git add "lib/my sub" && GIT_COMMITTER_DATE=2026-01-01T01:00:00Z git commit -qm bump &&
	"$RG" rollback >"$TRASH/out" &&
	contains "$TRASH/out" "note: submodule lib/my sub is still checked out at" &&
	contains "$TRASH/out" "not at the checkpoint'"'"'s $(echo $want | cut -c1-12)" &&
	contains "$TRASH/out" "git submodule update -- '"'"'lib/my sub'"'"'" &&
	grep -o "git submodule update -- .*" "$TRASH/out" | sh >/dev/null 2>&1 &&
	test -z "$(git status --porcelain)" &&
	"$RG" rollback "$BACKUP" >/dev/null && test -n "$(git status --porcelain)" &&
	"$RG" rollback >"$TRASH/out" && lacks "$TRASH/out" "note: submodule" &&
	test "$(git -C "lib/my sub" rev-parse HEAD)" = "$want"
'

test_expect_success 'a bisect names its own way out; a locked index is refused before anything is saved' '
	git init -q r-lock && cd r-lock &&
	commit_at 2026-01-01T00:00:00Z one && "$RG" checkpoint >/dev/null &&
	commit_at 2026-01-01T01:00:00Z two && echo dirty >>file && echo new >untracked &&
	git bisect start >/dev/null 2>&1 &&
	expect_code 1 "$RG" rollback &&
	contains "$TRASH/stderr" "a bisect is in progress; finish it or abort it (git bisect reset)" &&
	git bisect reset >/dev/null 2>&1 &&
	: >.git/index.lock &&
	repo_state . >"$TRASH/before" && tree_state >"$TRASH/tbefore" &&
	expect_code 1 "$RG" rollback &&
	contains "$TRASH/stderr" "the index is locked (" && contains "$TRASH/stderr" "index.lock exists)" &&
	repo_state . >"$TRASH/after" && tree_state >"$TRASH/tafter" &&
	cmp "$TRASH/before" "$TRASH/after" && cmp "$TRASH/tbefore" "$TRASH/tafter" &&
	test -z "$(git for-each-ref refs/repoguard/)" &&
	rm .git/index.lock && "$RG" rollback >/dev/null && test ! -e untracked
'

test_expect_success 'GIT_DIR without GIT_WORK_TREE: the current directory is the work tree, as in git' '
	mkdir gd && cd gd && git init -q wt && cd wt &&
	commit_at 2026-01-01T00:00:00Z one && "$RG" checkpoint >/dev/null &&
	commit_at 2026-01-01T01:00:00Z two && cd .. &&
	mv wt/.git store.git && mkdir elsewhere && echo keep >elsewhere/keep && cd wt &&
	echo dirty >>file && echo new >untracked &&
	GIT_DIR=../store.git "$RG" rollback --dry-run >"$TRASH/out" &&
	contains "$TRASH/out" "  M file" && contains "$TRASH/out" "  A untracked" &&
	lacks "$TRASH/out" "store.git" && lacks "$TRASH/out" "elsewhere" &&
	GIT_DIR=../store.git "$RG" rollback >/dev/null &&
	test "$(cat ../elsewhere/keep)" = keep && test -f ../store.git/HEAD && test -f ../store.git/config &&
	test ! -e untracked && test "$(cat file)" = one &&
	GIT_DIR=../store.git "$RG" rollback "$BACKUP" >/dev/null &&
	test "$(cat untracked)" = new && test "$(tail -1 file)" = dirty
'

test_expect_success 'a git directory inside the work tree (GIT_DIR=repo.git GIT_WORK_TREE=.) is never saved or removed' '
	git init -q r-gdin && cd r-gdin &&
	commit_at 2026-01-01T00:00:00Z one && "$RG" checkpoint >/dev/null &&
	commit_at 2026-01-01T01:00:00Z two && mv .git repo.git &&
	export GIT_DIR=repo.git GIT_WORK_TREE=. &&
	echo new >untracked &&
	"$RG" rollback --dry-run >"$TRASH/out" &&
	contains "$TRASH/out" "  A untracked" && lacks "$TRASH/out" "repo.git" &&
	"$RG" rollback >"$TRASH/out" && lacks "$TRASH/out" "repo.git" &&
	test -f repo.git/HEAD && test -f repo.git/config && test -f repo.git/index &&
	test ! -e untracked && test "$(cat file)" = one &&
	! git ls-tree -r --name-only "$BACKUP" | grep -q "^repo.git/" &&
	"$RG" rollback "$BACKUP" >/dev/null &&
	test "$(cat untracked)" = new && test -f repo.git/HEAD
'

test_expect_success 'status.showUntrackedFiles=no (a dotfiles repository): untracked files are left alone, those in the way saved' '
	git init -q r-home && cd r-home &&
	git config status.showUntrackedFiles no &&
	echo "v1" >.bashrc && git add .bashrc && commit_at 2026-01-01T00:00:00Z one &&
	echo "notes v1" >notes && git add notes && GIT_COMMITTER_DATE=2026-01-01T00:30:00Z git commit -qm notes &&
	"$RG" checkpoint >/dev/null &&
	git rm -q --cached notes && echo gone >>file && git add file &&
	GIT_COMMITTER_DATE=2026-01-01T01:00:00Z git commit -qm "stop tracking notes" &&
	mkdir -p .cache/app && echo blob >.cache/app/data && echo "my notes" >notes &&
	echo v2 >>.bashrc &&
	"$RG" rollback >"$TRASH/out" &&
	contains "$TRASH/out" "(1 ignored or untracked file in the checkpoint'"'"'s way, saved too)" &&
	contains "$TRASH/out" "status.showUntrackedFiles=no: other untracked files are left as they are" &&
	test "$(cat .cache/app/data)" = blob && test "$(cat notes)" = "notes v1" &&
	test "$(cat .bashrc)" = v1 &&
	! git ls-tree -r --name-only "$BACKUP" | grep -q "^.cache/" &&
	"$RG" rollback "$BACKUP" >/dev/null &&
	test "$(cat notes)" = "my notes" && test "$(cat .cache/app/data)" = blob &&
	test "$(sed -n 2p .bashrc)" = v2 &&
	git -c status.showUntrackedFiles=all status --porcelain >"$TRASH/st" &&
	contains "$TRASH/st" "?? .cache/app/data" && contains "$TRASH/st" "?? notes"
'

test_expect_success 'a filter driver libgit2 cannot run (git lfs) is refused, unchanged, not written in its stored form' '
	git init -q r-filter && cd r-filter &&
	printf "*.bin filter=fake\n" >.gitattributes &&
	git config filter.fake.clean "tr a-z A-Z" && git config filter.fake.smudge "tr A-Z a-z" &&
	echo hello >x.bin && git add . && commit_at 2026-01-01T00:00:00Z one && git tag checkpoint-1 &&
	test "$(git cat-file -p HEAD:x.bin)" = HELLO &&
	echo world >>x.bin && git commit -qam two && echo local >>x.bin &&
	tree_state >"$TRASH/before" && repo_state . >"$TRASH/rbefore" &&
	expect_code 1 "$RG" rollback &&
	contains "$TRASH/stderr" "x.bin uses the filter driver '"'"'fake'"'"' (filter=fake in .gitattributes)" &&
	tree_state >"$TRASH/after" && repo_state . >"$TRASH/rafter" &&
	diff "$TRASH/before" "$TRASH/after" && cmp "$TRASH/rbefore" "$TRASH/rafter" &&
	printf "hello\nworld\nlocal\n" | cmp - x.bin &&
	git config --unset filter.fake.clean && git config --unset filter.fake.smudge &&
	"$RG" rollback >/dev/null && test "$(cat x.bin)" = HELLO
'

test_expect_success 'checkpoints of the same time (a rebase dates every commit alike): the newest in the history is the default target' '
	git init -q r-tie && cd r-tie &&
	commit_at 2026-01-01T00:00:00Z one &&
	commit_at 2026-01-01T01:00:00Z two && git tag checkpoint-b &&
	commit_at 2026-01-01T01:00:00Z three && git tag checkpoint-a &&
	commit_at 2026-01-01T01:00:00Z four && git tag checkpoint-10 HEAD~3 &&
	commit_at 2026-01-01T01:00:00Z five &&
	"$RG" rollback --dry-run >"$TRASH/out" &&
	contains "$TRASH/out" "would roll back main to checkpoint-a" &&
	contains "$TRASH/out" "commits rolled back (2):" &&
	"$RG" status >"$TRASH/st" && contains "$TRASH/st" "last checkpoint: checkpoint-a"
'

test_expect_success 'a linked worktree inside the work tree is refused as one, with the way out; ignored, it is left alone' '
	git init -q r-wt && cd r-wt && commit_at 2026-01-01T00:00:00Z one && git tag checkpoint-1 &&
	commit_at 2026-01-01T01:00:00Z two &&
	git worktree add -q wt/feat -b feat && echo wip >wt/feat/wip &&
	repo_state . >"$TRASH/before" &&
	expect_code 1 "$RG" rollback &&
	contains "$TRASH/stderr" "wt/feat/ is a linked worktree of this repository" &&
	contains "$TRASH/stderr" "git worktree move wt/feat" &&
	repo_state . >"$TRASH/after" && cmp "$TRASH/before" "$TRASH/after" &&
	echo /wt/ >>.git/info/exclude && "$RG" rollback >/dev/null &&
	test "$(cat wt/feat/wip)" = wip && test "$(git -C wt/feat rev-parse --abbrev-ref HEAD)" = feat
'

test_expect_success 'a checkpoint dated in the future (a wrong clock) does not win over a newer one after it' '
	git init -q r-future && cd r-future &&
	commit_at 2026-01-01T00:00:00Z one &&
	GIT_COMMITTER_DATE=2030-01-01T00:00:00Z git tag -a -m skewed checkpoint-skewed &&
	commit_at 2026-01-01T01:00:00Z two && commit_at 2026-01-01T02:00:00Z three && git tag checkpoint-b &&
	commit_at 2026-01-01T03:00:00Z four &&
	"$RG" rollback --dry-run >"$TRASH/out" &&
	contains "$TRASH/out" "would roll back main to checkpoint-b" &&
	contains "$TRASH/out" "commits rolled back (1):" &&
	"$RG" status >"$TRASH/st" && contains "$TRASH/st" "last checkpoint: checkpoint-b" &&
	git checkout -q --detach HEAD~2 && "$RG" rollback --dry-run >"$TRASH/out" &&
	contains "$TRASH/out" "would roll back HEAD (detached) to checkpoint-skewed"
'

test_expect_success 'a split index (core.splitIndex), which libgit2 cannot read, is refused with the way out' '
	git init -q r-split && cd r-split && commit_at 2026-01-01T00:00:00Z one && git tag checkpoint-1 &&
	commit_at 2026-01-01T01:00:00Z two && git update-index --split-index && echo u >u &&
	repo_state . >"$TRASH/before" &&
	expect_code 1 "$RG" rollback &&
	contains "$TRASH/stderr" "split index" && contains "$TRASH/stderr" "git update-index --no-split-index" &&
	repo_state . >"$TRASH/after" && cmp "$TRASH/before" "$TRASH/after" &&
	git update-index --no-split-index && "$RG" rollback >/dev/null && test ! -e u
'

test_done

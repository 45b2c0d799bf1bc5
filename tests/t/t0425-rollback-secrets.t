#!/bin/sh
# t0425: rollback's backups never put a secret or environment file into a git
# object (where git push --mirror, or a backup branch under git push --all,
# would publish it), and still lose nothing: such files are kept outside the
# object database and come back byte for byte.
. "$(dirname "$0")/../lib/test-lib.sh"
. "$TEST_DIR/../lib/checkpoint-lib.sh"

export REPOGUARD_NOW=1767243600 # 2026-01-01 05:00:00 UTC
BACKUP=refs/repoguard/backup/main-20260101-050000
SECRET=$(gen_key "sk_live_" 32 "$B32" 7)
KEY=$(gen_key "KEYDATA" 40 "$B32" 8)

# no_object_holds TEXT: no object of the repository (reachable or not) contains TEXT
no_object_holds() {
	if git cat-file --batch-all-objects --batch | grep -aqF -- "$1"; then
		echo "an object holds $1"
		return 1
	fi
}

test_expect_success 'the undo of a rollback past .gitignore keeps a local .env out of the objects, and loses nothing' '
	git init -q r1 && cd r1 &&
	echo a >a && git add a && commit_at 2026-01-01T00:00:00Z one && git tag checkpoint-1 &&
	echo .env >.gitignore && git add .gitignore && commit_at 2026-01-01T01:00:00Z ignore-env &&
	echo "STRIPE=$SECRET" >.env && chmod 600 .env && echo wip >>a &&
	tree_state >"$TRASH/before" &&
	"$RG" rollback >"$TRASH/out" &&
	test "$(cat .env)" = "STRIPE=$SECRET" && test ! -e .gitignore &&
	echo more >>a &&
	"$RG" rollback "$BACKUP" >"$TRASH/out2" &&
	contains "$TRASH/out2" "saved everything first in $BACKUP-2" &&
	contains "$TRASH/out2" "1 secret or environment file kept out of git" &&
	tree_state >"$TRASH/after" && diff "$TRASH/before" "$TRASH/after" &&
	no_object_holds "$SECRET" &&
	! git ls-tree -r --name-only "$BACKUP-2" | grep -q "^.env$" &&
	test -z "$(git for-each-ref refs/heads/repoguard/)" &&
	"$RG" rollback "$BACKUP-2" >"$TRASH/out3" &&
	test "$(cat .env)" = "STRIPE=$SECRET" && test "$(stat -c %a .env)" = 600 &&
	test "$(sed -n 2p a)" = more && test ! -e .gitignore &&
	no_object_holds "$SECRET"
'

test_expect_success 'untracked secret files are removed by a rollback, kept out of git, and restored byte for byte' '
	git init -q r2 && cd r2 &&
	echo a >a && git add a && commit_at 2026-01-01T00:00:00Z one && git tag checkpoint-1 &&
	commit_at 2026-01-01T01:00:00Z two &&
	echo "STRIPE=$SECRET" >.env && printf "%s\n" "$KEY" >server.pem && chmod 640 server.pem &&
	mkdir -p conf/deep && echo "DB=$SECRET" >conf/deep/.env.local && ln -s .env .env.link &&
	echo "EXAMPLE=placeholder" >.env.example && echo notes >notes.txt &&
	tree_state >"$TRASH/before" &&
	git init -q --bare "$TRASH/r2-mirror.git" &&
	"$RG" rollback >"$TRASH/out" &&
	contains "$TRASH/out" "(4 secret or environment files kept out of git" &&
	test ! -e .env && test ! -e server.pem && test ! -e conf && test ! -e .env.link && test ! -e notes.txt &&
	no_object_holds "$SECRET" && no_object_holds "$KEY" &&
	git ls-tree -r --name-only "$BACKUP" >"$TRASH/tree" &&
	contains "$TRASH/tree" ".env.example" && contains "$TRASH/tree" "notes.txt" &&
	lacks "$TRASH/tree" "server.pem" && lacks "$TRASH/tree" "conf/deep/.env.local" &&
	git push -q --mirror "$TRASH/r2-mirror.git" &&
	(cd "$TRASH/r2-mirror.git" && ! git cat-file --batch-all-objects --batch | grep -aqF -- "$SECRET") &&
	"$RG" rollback "$BACKUP" >/dev/null &&
	tree_state >"$TRASH/after" && diff "$TRASH/before" "$TRASH/after" &&
	test "$(stat -c %a server.pem)" = 640
'

test_expect_success '--dry-run says which files it would keep out of git and writes nothing' '
	git init -q r3 && cd r3 &&
	echo a >a && git add a && commit_at 2026-01-01T00:00:00Z one && git tag checkpoint-1 &&
	commit_at 2026-01-01T01:00:00Z two && echo "K=$SECRET" >.env &&
	"$RG" rollback --dry-run >"$TRASH/out" &&
	contains "$TRASH/out" "(1 secret or environment file would be kept out of git" &&
	grep -qx "  .env" "$TRASH/out" &&
	test ! -e .git/repoguard && no_object_holds "$SECRET" && test "$(cat .env)" = "K=$SECRET"
'

test_expect_success 'a restore saves an ignored .env in the way of the backup'"'"'s own .env first' '
	git init -q r4 && cd r4 &&
	echo .env >.gitignore && git add .gitignore && commit_at 2026-01-01T00:00:00Z one &&
	git tag checkpoint-1 &&
	git rm -q .gitignore && commit_at 2026-01-01T01:00:00Z stop-ignoring &&
	echo "A=$SECRET" >.env &&
	"$RG" rollback >/dev/null &&
	test "$(cat .env)" = "A=$SECRET" &&
	echo "B=$KEY" >.env &&
	"$RG" rollback "$BACKUP" >"$TRASH/out" &&
	contains "$TRASH/out" "saved everything first in $BACKUP-2" &&
	test "$(cat .env)" = "A=$SECRET" && test ! -e .gitignore &&
	"$RG" rollback "$BACKUP-2" >/dev/null &&
	test "$(cat .env)" = "B=$KEY" && test -f .gitignore &&
	no_object_holds "$SECRET" && no_object_holds "$KEY"
'

test_expect_success 'a secret file the checkpoint tracks, ignored and changed locally, is kept out of git and comes back' '
	git init -q r5 && cd r5 &&
	echo "PLACEHOLDER=1" >.env && git add .env && commit_at 2026-01-01T00:00:00Z one && git tag checkpoint-1 &&
	git rm -q --cached .env && echo .env >.gitignore && git add .gitignore &&
	commit_at 2026-01-01T01:00:00Z untrack-env &&
	echo "REAL=$SECRET" >.env &&
	tree_state >"$TRASH/before" &&
	"$RG" rollback >"$TRASH/out" &&
	test "$(cat .env)" = "PLACEHOLDER=1" && no_object_holds "$SECRET" &&
	"$RG" rollback "$BACKUP" >/dev/null &&
	tree_state >"$TRASH/after" && diff "$TRASH/before" "$TRASH/after"
'

test_expect_success 'a backup whose kept-out files are gone is refused, unchanged' '
	git init -q r6 && cd r6 &&
	echo a >a && git add a && commit_at 2026-01-01T00:00:00Z one && git tag checkpoint-1 &&
	commit_at 2026-01-01T01:00:00Z two && echo "K=$SECRET" >.env &&
	"$RG" rollback >/dev/null &&
	rm -rf .git/repoguard/backup-files &&
	tree_state >"$TRASH/before" &&
	expect_code 1 "$RG" rollback "$BACKUP" &&
	contains "$TRASH/stderr" "kept 1 secret or environment file out of git" && contains "$TRASH/stderr" "that directory is gone" &&
	tree_state >"$TRASH/after" && diff "$TRASH/before" "$TRASH/after"
'

test_expect_success 'a staged .env (and a tracked one changed) stays out of the backup commits; the restore stages it again' '
	git init -q r7 && cd r7 &&
	echo "PLACEHOLDER=1" >.env.local && echo a >a && git add . && commit_at 2026-01-01T00:00:00Z one &&
	git tag checkpoint-1 && commit_at 2026-01-01T01:00:00Z two &&
	echo "STAGED=$SECRET" >.env && git add -f .env && echo "WORK=$KEY" >.env &&
	echo "LOCAL=$KEY$SECRET" >.env.local && echo "STAGED2=$KEY" >id_rsa && git add id_rsa &&
	echo staged-a >>a && git add a &&
	tree_state >"$TRASH/before" && git diff --cached >"$TRASH/cached-before" &&
	"$RG" rollback >"$TRASH/out" &&
	contains "$TRASH/out" "(3 secret or environment files kept out of git objects" &&
	grep -qx "  id_rsa (staged)" "$TRASH/out" && grep -qx "  .env.local" "$TRASH/out" &&
	test ! -e .env && test ! -e id_rsa && test "$(cat .env.local)" = "PLACEHOLDER=1" &&
	for c in "$BACKUP" "$BACKUP^2"; do
		git ls-tree -r --name-only "$c" >"$TRASH/t" && ! grep -qx ".env" "$TRASH/t" &&
		lacks "$TRASH/t" "id_rsa" || exit 1
	done &&
	git archive "$BACKUP" | tar -xOf - .env.local | grep -qx "PLACEHOLDER=1" &&
	git push -q --mirror "$(git init -q --bare "$TRASH/r7.git" && echo "$TRASH/r7.git")" &&
	(cd "$TRASH/r7.git" && ! git cat-file --batch-all-objects --batch | grep -aqF -e "$SECRET" -e "$KEY") &&
	"$RG" rollback "$BACKUP" >/dev/null &&
	tree_state >"$TRASH/after" && diff "$TRASH/before" "$TRASH/after" &&
	git diff --cached | cmp - "$TRASH/cached-before" &&
	test "$(git show :.env)" = "STAGED=$SECRET" && test "$(cat .env)" = "WORK=$KEY"
'

test_done

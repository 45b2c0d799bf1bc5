#!/bin/sh
# t0105: a hook that was there before `repoguard install` is kept as
# HOOKSDIR/pre-repoguard/NAME and still runs, under its own file name (husky
# 4 and other generated hooks dispatch on `basename "$0"`), with its
# arguments and standard input; older versions' NAME.pre-repoguard still
# runs, is moved by install and restored by --uninstall.
. "$(dirname "$0")/../lib/test-lib.sh"

# a husky-4-like dispatcher: does something only for the hook names it knows
write_dispatcher() {
	printf '#!/bin/sh\nhook=$(basename "$0")\ncase "$hook" in\npre-commit|commit-msg) echo "$hook $*" >>"%s" ;;\n*) exit 0 ;;\nesac\n' "$1" >"$2" &&
	chmod 750 "$2"
}

test_expect_success 'a chained dispatcher sees its own hook name and arguments' '
	git init -q c1 && cd c1 &&
	write_dispatcher "$TRASH/c1.log" .git/hooks/pre-commit &&
	cp -p .git/hooks/pre-commit .git/hooks/commit-msg &&
	"$RG" install >out && contains out "kept the existing pre-commit hook as" &&
	test -x .git/hooks/pre-repoguard/pre-commit && test -x .git/hooks/pre-repoguard/commit-msg &&
	test ! -e .git/hooks/pre-commit.pre-repoguard && test -L .git/hooks/pre-commit &&
	echo a >a && git add a && git commit -qm a &&
	test "$(cat "$TRASH/c1.log")" = "pre-commit 
commit-msg .git/COMMIT_EDITMSG" &&
	mkdir node_modules && echo x >node_modules/x.js && git add node_modules &&
	expect_code 1 git commit -qm bad &&
	contains "$TRASH/stderr" "node_modules/" &&
	test "$(wc -l <"$TRASH/c1.log")" = 2
'

test_expect_success 'a chained pre-push hook gets its name, arguments and the ref lines on stdin' '
	git init -q --bare c2.git && git clone -q c2.git c2 2>/dev/null && cd c2 &&
	printf "#!/bin/sh\necho \"\$(basename \"\$0\") \$*\" >\"$TRASH/c2.log\"\ncat >>\"$TRASH/c2.log\"\n" >.git/hooks/pre-push &&
	chmod +x .git/hooks/pre-push && "$RG" install >/dev/null &&
	echo a >a && git add a && git commit -qm a &&
	git push -q origin main &&
	head -n 1 "$TRASH/c2.log" >first && test "$(cat first)" = "pre-push origin $TRASH/c2.git" &&
	contains "$TRASH/c2.log" "refs/heads/main $(git rev-parse HEAD) refs/heads/main 0000000000000000000000000000000000000000"
'

# what an older repoguard left: NAME.pre-repoguard and a link to the binary
old_layout() {
	mv .git/hooks/pre-commit .git/hooks/pre-commit.pre-repoguard &&
	ln -s "$RG" .git/hooks/pre-commit &&
	printf "pre-commit link chained\n" >.git/hooks/.repoguard-hooks
}

test_expect_success 'an old-layout NAME.pre-repoguard still runs and --uninstall restores it' '
	git init -q c3 && cd c3 &&
	printf "#!/bin/sh\necho ran >>\"$TRASH/c3.log\"\n" >.git/hooks/pre-commit && chmod 750 .git/hooks/pre-commit &&
	cp -p .git/hooks/pre-commit "$TRASH/c3-orig" && old_layout &&
	echo a >a && git add a && git commit -qm a &&
	test "$(cat "$TRASH/c3.log")" = ran &&
	"$RG" install --uninstall >out && contains out "restored" &&
	test ! -L .git/hooks/pre-commit && cmp .git/hooks/pre-commit "$TRASH/c3-orig" &&
	test "$(stat -c %a .git/hooks/pre-commit)" = 750 &&
	test ! -e .git/hooks/pre-commit.pre-repoguard && test ! -e .git/hooks/pre-repoguard &&
	test ! -e .git/hooks/.repoguard-hooks
'

# a dispatcher kept as pre-commit.pre-repoguard ran as no hook it knows: moved, it does
test_expect_success 'install moves an old-layout hook to pre-repoguard/, idempotently; --uninstall restores it' '
	git init -q c4 && cd c4 &&
	write_dispatcher "$TRASH/c4.log" .git/hooks/pre-commit && cp -p .git/hooks/pre-commit "$TRASH/c4-orig" &&
	old_layout &&
	"$RG" install >out && contains out "moved" &&
	test ! -e .git/hooks/pre-commit.pre-repoguard &&
	cmp .git/hooks/pre-repoguard/pre-commit "$TRASH/c4-orig" &&
	ls -laR .git/hooks >one && "$RG" install >out2 && lacks out2 "moved" && lacks out2 "kept" &&
	ls -laR .git/hooks >two && cmp one two &&
	echo a >a && git add a && git commit -qm a &&
	test "$(cat "$TRASH/c4.log")" = "pre-commit " &&
	"$RG" install --uninstall >/dev/null &&
	test ! -L .git/hooks/pre-commit && cmp .git/hooks/pre-commit "$TRASH/c4-orig" &&
	test "$(stat -c %a .git/hooks/pre-commit)" = 750 &&
	test ! -e .git/hooks/pre-repoguard && test ! -e .git/hooks/.repoguard-hooks
'

test_expect_success 'a chained hook that is a relative symbolic link still points at its file, and is restored as it was' '
	git init -q c5 && cd c5 && mkdir scripts &&
	write_dispatcher "$TRASH/c5.log" scripts/hook &&
	ln -s ../../scripts/hook .git/hooks/pre-commit &&
	"$RG" install >/dev/null &&
	test -L .git/hooks/pre-repoguard/pre-commit &&
	echo a >a && git add a && git commit -qm a &&
	test "$(cat "$TRASH/c5.log")" = "pre-commit " &&
	"$RG" install --uninstall >/dev/null &&
	test "$(readlink .git/hooks/pre-commit)" = ../../scripts/hook
'

test_expect_success 'a chained hook runs from a linked worktree and with --copy' '
	git init -q c6 && cd c6 && echo base >b && git add b && git commit -qm base &&
	write_dispatcher "$TRASH/c6.log" .git/hooks/pre-commit &&
	"$RG" install --copy >/dev/null && test ! -L .git/hooks/pre-commit &&
	git worktree add -q ../c6-wt 2>/dev/null && cd ../c6-wt &&
	echo a >a && git add a && git commit -qm a &&
	test "$(cat "$TRASH/c6.log")" = "pre-commit " &&
	cd ../c6 && "$RG" install --uninstall >/dev/null &&
	test ! -e .git/hooks/pre-repoguard && test -x .git/hooks/pre-commit
'

# husky 4: every hook is the same stub sourcing husky.sh from its own directory,
# which dispatches on basename "$0"
test_expect_success 'husky 4 hooks still find husky.sh next to them and run as their own name' '
	git init -q c7 && cd c7 &&
	printf "hookName=\$(basename \"\$0\")\necho \"husky \$hookName \$*\" >>\"$TRASH/c7.log\"\n" >.git/hooks/husky.sh &&
	printf "#!/bin/sh\n# husky\n. \"\$(dirname \"\$0\")/husky.sh\"\n" >.git/hooks/pre-commit &&
	chmod +x .git/hooks/pre-commit && cp -p .git/hooks/pre-commit .git/hooks/commit-msg &&
	cp -p .git/hooks/pre-commit "$TRASH/c7-stub" &&
	"$RG" install >/dev/null && ls -laR .git/hooks >one &&
	"$RG" install >/dev/null && ls -laR .git/hooks >two && cmp one two &&
	echo a >a && git add a && git commit -qm a &&
	test "$(cat "$TRASH/c7.log")" = "husky pre-commit 
husky commit-msg .git/COMMIT_EDITMSG" &&
	"$RG" install --uninstall --hooks pre-commit >/dev/null &&
	test -L .git/hooks/pre-repoguard/husky.sh && test -e .git/hooks/pre-repoguard/commit-msg &&
	"$RG" install --uninstall >/dev/null &&
	test ! -e .git/hooks/pre-repoguard && test -f .git/hooks/husky.sh && test ! -L .git/hooks/husky.sh &&
	cmp .git/hooks/pre-commit "$TRASH/c7-stub" && cmp .git/hooks/commit-msg "$TRASH/c7-stub" &&
	test -x .git/hooks/commit-msg
'

test_expect_success 'a chained hook without a #! line runs through /bin/sh, as git runs it' '
	git init -q nosh && cd nosh &&
	printf "echo \"no-shebang \$(basename \"\$0\") \$*\" >>\"$TRASH/nosh.log\"\nexit 0\n" >.git/hooks/pre-commit &&
	cp .git/hooks/pre-commit .git/hooks/commit-msg &&
	chmod +x .git/hooks/pre-commit .git/hooks/commit-msg &&
	echo a >a && git add a && git commit -qm a &&
	test "$(wc -l <"$TRASH/nosh.log")" = 2 &&
	"$RG" install >/dev/null &&
	echo b >b && git add b && git commit -qm b &&
	test "$(git log --oneline | wc -l)" = 2 &&
	tail -n 2 "$TRASH/nosh.log" >last &&
	test "$(cat last)" = "no-shebang pre-commit 
no-shebang commit-msg .git/COMMIT_EDITMSG" &&
	printf "exit 7\n" >.git/hooks/pre-repoguard/pre-commit &&
	echo c >c && git add c && expect_code 1 git commit -qm c
'

test_expect_success 'a hook linked to a script whose name starts with repoguard is the user'"'"'s, kept and chained, not replaced' '
	git init -q wrap && cd wrap && mkdir tools &&
	printf "#!/bin/sh\nrepoguard pre-commit || exit 1\necho lint-ran >>\"$TRASH/wrap.log\"\n" >tools/repoguard-precommit.sh &&
	chmod +x tools/repoguard-precommit.sh &&
	ln -s ../../tools/repoguard-precommit.sh .git/hooks/pre-commit &&
	"$RG" install >out && contains out "kept the existing pre-commit hook as" &&
	test -L .git/hooks/pre-repoguard/pre-commit &&
	echo a >a && git add a && git commit -qm a &&
	test "$(cat "$TRASH/wrap.log")" = lint-ran &&
	"$RG" install --uninstall >out &&
	test "$(readlink .git/hooks/pre-commit)" = ../../tools/repoguard-precommit.sh
'

test_done

#!/bin/sh
# t0130: the commits `git am` makes. git am runs neither pre-commit nor
# commit-msg; it runs applypatch-msg (the message) and pre-applypatch (the
# applied patch in the index), which install links to repoguard.
. "$(dirname "$0")/../lib/test-lib.sh"

# patches made in a repository without hooks: $1 names the series directory
git init -q src && (cd "$TRASH/src" && echo base >README && git add README && git commit -qm "chore: base")

make_patch() {
	(cd "$TRASH/src" && git format-patch -1 -o "$TRASH/$1" >/dev/null)
}

test_expect_success 'install links pre-applypatch and applypatch-msg with the other hooks' '
	git clone -q src r1 && cd r1 && "$RG" install >/dev/null &&
	test -L .git/hooks/pre-applypatch && test -L .git/hooks/applypatch-msg &&
	contains .git/hooks/.repoguard-hooks "pre-applypatch" &&
	contains .git/hooks/.repoguard-hooks "applypatch-msg"
'

test_expect_success 'a clean patch is applied and committed' '
	(cd "$TRASH/src" && echo ok >ok.txt && git add ok.txt && git commit -qm "feat: ok") && make_patch p1 &&
	cd r1 && git am -q "$TRASH"/p1/*.patch &&
	test "$(git log -1 --format=%s)" = "feat: ok"
'

test_expect_success 'pre-applypatch: a patch adding node_modules/ stops git am before the commit' '
	(cd "$TRASH/src" && mkdir -p node_modules/x && echo x >node_modules/x/i.js && echo y >app.js &&
	 git add node_modules app.js && git commit -qm "feat: deps") && make_patch p2 &&
	cd r1 && before=$(git rev-parse HEAD) &&
	expect_code 1 git am -q "$TRASH"/p2/*.patch &&
	test "$(git rev-parse HEAD)" = "$before" &&
	contains "$TRASH/stderr" "error[block]" &&
	contains "$TRASH/stderr" "node_modules/" &&
	contains "$TRASH/stderr" "repoguard pre-applypatch: 1 error" &&
	contains "$TRASH/stderr" "REPOGUARD_SKIP=<rule> git am --continue" &&
	test -d .git/rebase-apply
'

test_expect_success 'fixing the index and git am --continue commits the rest' '
	cd r1 && git rm -rq --cached node_modules && rm -rf node_modules &&
	git am --continue >/dev/null 2>&1 &&
	test ! -d .git/rebase-apply &&
	test "$(git log -1 --format=%s)" = "feat: deps" &&
	git ls-tree -r --name-only HEAD >files && contains files "app.js" && lacks files "node_modules"
'

test_expect_success 'git am -3: a conflict left unresolved is refused at git am --continue' '
	git init -q c3 && cd c3 && printf "a\nb\nc\n" >f.txt && git add f.txt && git commit -qm "chore: base" &&
	git checkout -q -b side && printf "a\nSIDE\nc\n" >f.txt && git commit -qam "feat: side" &&
	git format-patch -1 -o "$TRASH/p3way" >/dev/null && git checkout -q main &&
	printf "a\nMAIN\nc\n" >f.txt && git commit -qam "feat: main" && "$RG" install >/dev/null &&
	before=$(git rev-parse HEAD) &&
	expect_code 128 git am -3 "$TRASH"/p3way/*.patch && contains f.txt "<<<<<<< " &&
	git add f.txt && expect_code 1 git am --continue &&
	test "$(git rev-parse HEAD)" = "$before" &&
	contains "$TRASH/stderr" "error[conflict] f.txt:2: merge conflict marker" &&
	contains "$TRASH/stderr" "repoguard pre-applypatch: 3 errors" &&
	printf "a\nMAIN\nSIDE\nc\n" >f.txt && git add f.txt && git am --continue >/dev/null &&
	test "$(git log -1 --format=%s)" = "feat: side"
'

conventional() {
	printf "[commit-msg]\npattern = ^(feat|fix|chore)(\\\\([\\\\w.-]+\\\\))?: .+\n" >.repoguard.ini
}

test_expect_success 'applypatch-msg: a message off the pattern stops git am before the patch is applied' '
	cd r1 && conventional && git add .repoguard.ini && git commit -qm "chore: rules" &&
	(cd "$TRASH/src" && echo z >z.txt && git add z.txt && git commit -qm "added z") && make_patch p3 &&
	before=$(git rev-parse HEAD) &&
	expect_code 1 git am -q "$TRASH"/p3/*.patch &&
	test "$(git rev-parse HEAD)" = "$before" &&
	contains "$TRASH/stderr" "error[commit-msg] commit message does not match the required pattern" &&
	contains "$TRASH/stderr" "subject: added z" &&
	contains "$TRASH/stderr" "repoguard applypatch-msg: 1 error" &&
	contains "$TRASH/stderr" "git apply --index $TRASH/r1/.git/rebase-apply/patch && git am --continue" &&
	contains "$TRASH/stderr" "$TRASH/r1/.git/rebase-apply/final-commit" &&
	test ! -e z.txt
'

test_expect_success 'the printed fix works: edit the message, apply the patch, go on' '
	cd r1 &&
	fix=$(sed -n "s/^ *\(\"\${VISUAL.*\)   # .*/\1/p" "$TRASH/stderr") && test -n "$fix" &&
	printf "#!/bin/sh\nsed -i s/^added/feat:\\\\ added/ \"\$1\"\n" >"$TRASH/bin/fix-editor" &&
	chmod +x "$TRASH/bin/fix-editor" &&
	VISUAL=fix-editor sh -c "$fix" >/dev/null 2>&1 &&
	test "$(git log -1 --format=%s)" = "feat: added z" && test -f z.txt
'

test_expect_success 'applypatch-msg checks lines starting with # (git am keeps them) for secrets' '
	cd r1 && key=$(gen_key AKIA 16 "$B32" 7) &&
	(cd "$TRASH/src" && echo w >w.txt && git add w.txt &&
	 printf "fix: w\n\n# deploy key: %s\n" "$key" >"$TRASH/msg" &&
	 git commit -q --cleanup=verbatim -F "$TRASH/msg" && git log -1 --format=%B | grep -q "^# deploy") &&
	make_patch p4 && before=$(git rev-parse HEAD) &&
	expect_code 1 git am -q "$TRASH"/p4/*.patch &&
	test "$(git rev-parse HEAD)" = "$before" &&
	contains "$TRASH/stderr" "error[secrets.aws-access-key-id] commit message, line 3: AWS access key ID" &&
	lacks "$TRASH/stderr" "$key" &&
	printf "fix: w\n\n%s\n" "# deploy key: $key" >msg && "$RG" commit-msg msg &&
	git am --abort
'

test_expect_success 'REPOGUARD_SKIP works through git am as through git commit' '
	cd r1 && (cd "$TRASH/src" && echo v >v.txt && git add v.txt && git commit -qm "whatever") && make_patch p5 &&
	REPOGUARD_SKIP=commit-msg git am -q "$TRASH"/p5/*.patch &&
	test "$(git log -1 --format=%s)" = "whatever"
'

test_expect_success 'install --hooks pre-commit leaves them out; --uninstall removes them' '
	git clone -q src r2 && cd r2 && "$RG" install --hooks pre-commit >/dev/null &&
	test -L .git/hooks/pre-commit && test ! -e .git/hooks/pre-applypatch &&
	"$RG" install >/dev/null && test -L .git/hooks/pre-applypatch &&
	"$RG" install --uninstall >/dev/null &&
	test ! -e .git/hooks/pre-applypatch && test ! -e .git/hooks/applypatch-msg
'

test_expect_success 'install --hooks names the hooks it knows when one is misspelt' '
	cd r2 && expect_code 2 "$RG" install --hooks pre-commit,pre-applypach &&
	contains "$TRASH/stderr" "'"'"'pre-applypach'"'"' is not a hook repoguard installs (pre-commit, commit-msg, pre-applypatch, applypatch-msg, pre-merge-commit, pre-push, pre-receive)" &&
	test ! -e .git/hooks/pre-commit
'

test_expect_success 'a committed applypatch-msg hook: the advice passes the message file on' '
	git init -q r4 && cd r4 && mkdir .githooks &&
	printf "#!/bin/sh\nexit 0\n" >.githooks/applypatch-msg && chmod +x .githooks/applypatch-msg &&
	git add .githooks && git commit -qm hooks && git config core.hooksPath .githooks &&
	expect_code 4 "$RG" install &&
	contains "$TRASH/stderr" ".githooks/applypatch-msg is committed" &&
	contains "$TRASH/stderr" "add '"'"'repoguard applypatch-msg \"\$1\"'"'"' to .githooks/applypatch-msg"
'

test_expect_success 'an applypatch-msg hook that was there still runs after repoguard passes' '
	git clone -q src r3 && cd r3 &&
	printf "#!/bin/sh\necho \"old \$(basename \$0) \$1\" >>\"%s\"\n" "$TRASH/ran" >.git/hooks/applypatch-msg &&
	chmod +x .git/hooks/applypatch-msg && "$RG" install >/dev/null &&
	test -x .git/hooks/pre-repoguard/applypatch-msg &&
	(cd "$TRASH/src" && echo u >u.txt && git add u.txt && git commit -qm "feat: u") && make_patch p6 &&
	git am -q "$TRASH"/p6/*.patch && test "$(git log -1 --format=%s)" = "feat: u" &&
	contains "$TRASH/ran" "old applypatch-msg .git/rebase-apply/final-commit"
'

test_done

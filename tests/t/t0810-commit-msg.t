#!/bin/sh
# t0810: the commit-msg hook through real `git commit`: [commit-msg] pattern,
# comment lines (core.commentChar) and the scissors line ignored as git does.
. "$(dirname "$0")/../lib/test-lib.sh"

# core.commentString came with git 2.45; an older git keeps the lines it would mark
git_has_comment_string() {
	v=$(git version | sed -n "s/^git version \([0-9]*\)\.\([0-9]*\).*/\1 \2/p") &&
	set -- $v && { [ "$1" -gt 2 ] || { [ "$1" -eq 2 ] && [ "$2" -ge 45 ]; }; }
}

conventional() {
	cat >.repoguard.ini <<-\EOF
	[commit-msg]
	pattern = ^(feat|fix|docs|refactor|test|chore|stabilize)(\([\w.-]+\))?: .+
	message = Use Conventional Commits: type(scope): summary
	EOF
}

# an editor that puts its first argument above git's template (comments and all)
cat >"$TRASH/bin/prepend-editor" <<\EOF
#!/bin/sh
{ printf '%s\n' "$MSG"; cat "$1"; } >"$1.new" && mv "$1.new" "$1"
EOF
chmod +x "$TRASH/bin/prepend-editor"

test_expect_success 'install links the commit-msg hook' '
	new_repo r1 && cd r1 &&
	test -L .git/hooks/commit-msg && test -L .git/hooks/pre-commit &&
	contains .git/hooks/.repoguard-hooks "commit-msg"
'

test_expect_success 'without a pattern every message passes' '
	cd r1 && echo a >a && git add a && git commit -qm "whatever I like"
'

test_expect_success 'a message that does not match is refused and HEAD stays' '
	cd r1 && conventional && git add .repoguard.ini && git commit -qm "chore: rules" &&
	before=$(git rev-parse HEAD) &&
	echo b >b && git add b &&
	expect_code 1 git commit -qm "added b" &&
	test "$(git rev-parse HEAD)" = "$before" &&
	contains "$TRASH/stderr" "error[commit-msg] commit message does not match the required pattern" &&
	contains "$TRASH/stderr" "Use Conventional Commits: type(scope): summary" &&
	contains "$TRASH/stderr" "subject: added b" &&
	contains "$TRASH/stderr" "git commit -e -F $TRASH/r1/.git/COMMIT_EDITMSG" &&
	git commit -qm "feat(b): add b" &&
	test "$(git log -1 --format=%s)" = "feat(b): add b"
'

test_expect_success 'a second pattern (repeated or continued) is a configuration error, not the last one kept' '
	new_repo r1b && cd r1b &&
	printf "[commit-msg]\npattern = ^feat: \n  |^fix: \n" >.repoguard.ini &&
	echo "added b" >msg &&
	expect_code 3 "$RG" commit-msg msg &&
	contains "$TRASH/stderr" ".repoguard.ini:3: [commit-msg] has a second pattern (first at line 2): join them with '"'"'|'"'"'" &&
	expect_code 3 "$RG" config &&
	contains "$TRASH/stderr" ".repoguard.ini:3: [commit-msg] has a second pattern" &&
	printf "[commit-msg]\npattern = ^feat: \npattern = ^fix: \n" >.repoguard.ini &&
	expect_code 3 "$RG" commit-msg msg &&
	contains "$TRASH/stderr" ".repoguard.ini:3: [commit-msg] has a second pattern (first at line 2)" &&
	printf "[commit-msg]\npattern = ^feat: |^fix: \n" >.repoguard.ini &&
	expect_code 1 "$RG" commit-msg msg &&
	echo "fix: b" >msg && "$RG" commit-msg msg
'

test_expect_success 'comment lines and everything below the scissors are ignored' '
	cd r1 &&
	printf "[commit-msg]\npattern = ^(?s)(?!.*DO-NOT-COMMIT)feat: .+\n" >.repoguard.ini &&
	echo "DO-NOT-COMMIT marker in the file" >c && git add .repoguard.ini c &&
	MSG="$(printf "feat: add c\n# DO-NOT-COMMIT is only a comment")" GIT_EDITOR=prepend-editor git commit -q -v &&
	test "$(git log -1 --format=%B)" = "feat: add c" &&
	echo more >>c && git add c &&
	export MSG="$(printf "feat: more c\n\nDO-NOT-COMMIT")" GIT_EDITOR=prepend-editor &&
	expect_code 1 git commit -q -v && unset MSG GIT_EDITOR &&
	contains "$TRASH/stderr" "error[commit-msg]"
'

test_expect_success 'core.commentChar decides what a comment is' '
	cd r1 && git reset -q --hard && git config core.commentChar ";" &&
	echo d >d && git add d &&
	MSG="$(printf "feat: add d\n; DO-NOT-COMMIT as a comment")" GIT_EDITOR=prepend-editor git commit -q &&
	echo e >e && git add e &&
	export MSG="$(printf "feat: add e\n# DO-NOT-COMMIT is text now")" GIT_EDITOR=prepend-editor &&
	expect_code 1 git commit -q && unset MSG GIT_EDITOR &&
	contains "$TRASH/stderr" "error[commit-msg]" &&
	git config core.commentChar auto &&
	MSG="$(printf "feat: add e\n#123 is text")" GIT_EDITOR=prepend-editor git commit -q &&
	git config --unset core.commentChar
'

test_expect_success 'core.commentChar set in [includeIf "hasconfig:remote.*.url:..."] (which libgit2 1.5 skips) decides what a comment is' '
	export HOME="$TRASH/home-r1h" && mkdir -p "$HOME" &&
	printf "[includeIf \"hasconfig:remote.*.url:https://example.com/**\"]\n\tpath = ~/.gitconfig-semi\n" >"$HOME/.gitconfig" &&
	printf "[core]\n\tcommentChar = \";\"\n" >"$HOME/.gitconfig-semi" &&
	new_repo r1h && cd r1h &&
	printf "[commit-msg]\npattern = ^(?s)(?!.*DO-NOT-COMMIT)feat: .+\n" >.repoguard.ini &&
	git add . && git commit -qm "feat: rules" &&
	git remote add origin https://example.com/a/b.git &&
	test "$(git config core.commentChar)" = ";" &&
	echo d >d && git add d &&
	MSG="$(printf "feat: add d\n; DO-NOT-COMMIT as a comment")" GIT_EDITOR=prepend-editor git commit -q &&
	test "$(git log -1 --format=%B)" = "feat: add d"
'

test_expect_success 'commit.cleanup verbatim, whitespace or scissors: git records comment lines, so the hook checks them' '
	new_repo r1c && cd r1c &&
	for mode in verbatim whitespace scissors; do
		git config commit.cleanup $mode && echo $mode >f && git add f &&
		export MSG="$(printf "fix: tweak\n\n# deploy key AKIAQ7XK2M9PLR4TZW3B")" GIT_EDITOR=prepend-editor &&
		expect_code 1 git commit -q && unset MSG GIT_EDITOR &&
		contains "$TRASH/stderr" "error[secrets.aws-access-key-id] commit message, line 3:" || return 1
	done &&
	git config commit.cleanup scissors &&
	MSG="$(printf "fix: cut\n# kept comment")" GIT_EDITOR=prepend-editor git commit -q -v &&
	test "$(git log -1 --format=%B)" = "$(printf "fix: cut\n# kept comment")" &&
	git config commit.cleanup strip && echo strip >f && git add f &&
	MSG="$(printf "fix: tweak\n# deploy key AKIAQ7XK2M9PLR4TZW3B")" GIT_EDITOR=prepend-editor git commit -q &&
	test "$(git log -1 --format=%B)" = "fix: tweak" &&
	echo c >f && git add f &&
	export MSG="$(printf "fix: tweak\n# AKIAQ7XK2M9PLR4TZW3B")" GIT_EDITOR=prepend-editor &&
	expect_code 1 git -c commit.cleanup=whitespace commit -q && unset MSG GIT_EDITOR
'

test_expect_success 'git -c core.commentChar reaches the hook (GIT_CONFIG_PARAMETERS) and beats the repository' '
	new_repo r2 && cd r2 &&
	printf "[commit-msg]\npattern = ^(feat|fix): .+\n" >.repoguard.ini &&
	echo a >a && git add . &&
	GIT_EDITOR="sed -i '"'"'1i ; x\nfix: semi'"'"'" git -c core.commentChar=";" commit -q -v &&
	test "$(git log -1 --format=%B)" = "fix: semi" &&
	git config core.commentChar "@" &&
	echo b >b && git add b &&
	GIT_EDITOR="sed -i '"'"'1i ; y\nfix: b'"'"'" git -c core.commentChar=";" commit -q -v &&
	test "$(git log -1 --format=%B)" = "fix: b" &&
	echo d >d && git add d &&
	expect_code 1 git commit -q -m "; no" -m "fix: d" &&
	contains "$TRASH/stderr" "subject: ; no"
'

test_expect_success 'repoguard commit-msg reads GIT_CONFIG_PARAMETERS and GIT_CONFIG_COUNT as git writes them' '
	cd r2 && git config --unset core.commentChar &&
	printf "; x\nfix: semi\n" >m1 &&
	expect_code 1 "$RG" commit-msg m1 && contains "$TRASH/stderr" "subject: ; x" &&
	GIT_CONFIG_PARAMETERS="'"'"'core.commentchar'"'"'='"'"';'"'"'" "$RG" commit-msg m1 &&
	GIT_CONFIG_PARAMETERS="'"'"'core.commentChar=;'"'"'" "$RG" commit-msg m1 &&
	GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=core.commentChar GIT_CONFIG_VALUE_0=";" "$RG" commit-msg m1 &&
	FOO=";" git --config-env=core.commentChar=FOO -c alias.cm="!repoguard commit-msg" cm m1 &&
	printf "%s\n" "'"'"' y" "fix: odd" >m2 &&
	if git_has_comment_string; then
		git -c "core.commentChar=%" -c "core.commentString='"'"' " -c alias.cm="!repoguard commit-msg" cm m2
	else
		expect_code 1 git -c "core.commentChar=%" -c "core.commentString='"'"' " -c alias.cm="!repoguard commit-msg" cm m2
	fi &&
	expect_code 1 git -c "core.commentString='"'"' " -c "core.commentChar=%" -c alias.cm="!repoguard commit-msg" cm m2 &&
	contains "$TRASH/stderr" "subject: '"'"' y" &&
	git config core.commentChar ";" && "$RG" commit-msg m1 &&
	expect_code 1 git -c core.commentChar="#" -c alias.cm="!repoguard commit-msg" cm m1
'

test_expect_success 'git -c repoguard.config picks the configuration file' '
	cd r2 && git config --unset core.commentChar &&
	printf "[commit-msg]\npattern = ^docs: .+\n" >other.ini &&
	printf "fix: x\n" >m3 && "$RG" commit-msg m3 &&
	expect_code 1 git -c repoguard.config=other.ini -c alias.cm="!repoguard commit-msg" cm m3 &&
	contains "$TRASH/stderr" "pattern: ^docs: .+" &&
	echo e >e && git add e &&
	expect_code 1 git -c repoguard.config=other.ini commit -qm "fix: e" &&
	git -c repoguard.config=other.ini commit -qm "docs: e"
'

test_expect_success 'merge commits and fixups are messages git writes itself' '
	cd r1 && conventional && git add .repoguard.ini && git commit -qm "chore: conventional again" &&
	git checkout -qb side && echo s >s && git add s && git commit -qm "feat: s" &&
	git checkout -q main && echo m >m && git add m && git commit -qm "feat: m" &&
	git merge -q --no-ff --no-edit side &&
	test "$(git log -1 --format=%s)" = "Merge branch '"'"'side'"'"'" &&
	echo f >>m && git add m && git commit -q --fixup HEAD~1
'

test_expect_success 'git commit --fixup=amend: the new message it carries is checked, since --autosquash makes it the commit'"'"'s' '
	new_repo r1b && cd r1b && conventional && git add .repoguard.ini && git commit -qm "chore: rules" &&
	echo a >a && git add a && git commit -qm "feat: a" &&
	before=$(git rev-parse HEAD) &&
	GIT_EDITOR="sed -i 3s/.*/renamed\ it/" expect_code 1 git commit -q --allow-empty --fixup=amend:HEAD &&
	contains "$TRASH/stderr" "error[commit-msg] commit message does not match the required pattern" &&
	contains "$TRASH/stderr" "subject: renamed it" &&
	test "$(git rev-parse HEAD)" = "$before" &&
	GIT_EDITOR="sed -i 3s/.*/fix:\ renamed\ it/" git commit -q --allow-empty --fixup=amend:HEAD &&
	test "$(git log -1 --format=%s)" = "amend! feat: a" &&
	GIT_SEQUENCE_EDITOR=: git rebase -qi --autosquash HEAD~2 &&
	test "$(git log -1 --format=%s)" = "fix: renamed it"
'

test_expect_success 'an octopus merge of tags and of remote-tracking branches, and a revert of a revert, are messages git writes' '
	cd r1 && git checkout -q main &&
	for b in ta tb; do git checkout -qb $b main && echo $b >$b && git add $b && git commit -qm "feat: $b" && git tag v-$b; done &&
	git checkout -q main && git merge -q --no-edit v-ta v-tb &&
	test "$(git log -1 --format=%s)" = "Merge tags '"'"'v-ta'"'"' and '"'"'v-tb'"'"'" &&
	printf "Merge remote-tracking branches '"'"'origin/a'"'"' and '"'"'origin/b'"'"' into x\n" >m4 && "$RG" commit-msg m4 &&
	printf "Merge commits '"'"'1234567'"'"' and '"'"'89abcde'"'"'\n" >m4 && "$RG" commit-msg m4 &&
	printf "Reapply \"feat: ta\"\n\nThis reverts commit 1234567.\n" >m4 && "$RG" commit-msg m4 &&
	printf "Merge all the things\n" >m4 && expect_code 1 "$RG" commit-msg m4 &&
	printf "Reapplying things\n" >m4 && expect_code 1 "$RG" commit-msg m4
'

test_expect_success 'repoguard commit-msg reads a file or stdin; usage errors' '
	cd r1 &&
	printf "fix: x\n" | "$RG" commit-msg - &&
	printf "# only\nnope\n" >msg && expect_code 1 "$RG" commit-msg msg &&
	contains "$TRASH/stderr" "subject: nope" &&
	expect_code 2 "$RG" commit-msg &&
	expect_code 2 "$RG" commit-msg a b &&
	expect_code 2 "$RG" commit-msg /no/such/file &&
	contains "$TRASH/stderr" "cannot read the commit message" &&
	mkdir -p adir && expect_code 2 "$RG" commit-msg adir &&
	contains "$TRASH/stderr" "cannot read the commit message '"'"'adir'"'"': Is a directory" &&
	lacks "$TRASH/stderr" "empty" &&
	printf "fix: x\n" | "$RG" commit-msg --format json - >out && contains out "\"errors\": 0"
'

test_expect_success 'REPOGUARD_SKIP=commit-msg and --no-verify bypass once' '
	cd r1 && echo g >g && git add g &&
	REPOGUARD_SKIP=commit-msg git commit -qm "wip" 2>err &&
	contains err "skipped by REPOGUARD_SKIP: commit-msg" &&
	echo h >h && git add h && git commit -qm "wip again" --no-verify
'

test_expect_success 'an invalid pattern fails closed' '
	cd r1 && printf "[commit-msg]\npattern = (\n" >.repoguard.ini &&
	echo i >i && git add i &&
	expect_code 1 git commit -qm "feat: i" &&
	contains "$TRASH/stderr" "configuration error" &&
	expect_code 3 "$RG" commit-msg msg &&
	contains "$TRASH/stderr" ".repoguard.ini:2: [commit-msg] invalid pattern"
'

test_expect_success 'core.commentString on a git that does not know it: the hook sees what git records' '
	cd r2 && git config --unset core.commentChar; "$RG" install >/dev/null &&
	printf "; junk\nfix: x\n" >m3 &&
	if git_has_comment_string; then
		git -c core.commentString=";" commit -q --allow-empty --cleanup=strip -F m3 &&
		test "$(git log -1 --format=%s)" = "fix: x"
	else
		expect_code 1 git -c core.commentString=";" commit -q --allow-empty --cleanup=strip -F m3 &&
		contains "$TRASH/stderr" "subject: ; junk"
	fi
'

test_expect_success 'a message that is not UTF-8: each other byte counts as one character; i18n.commitEncoding converts' '
	new_repo r-enc && cd r-enc &&
	printf "[commit-msg]\npattern = ^fix: .{3}\$\n" >.repoguard.ini && git add .repoguard.ini &&
	git commit -qm "fix: abc" &&
	echo a >a && git add a &&
	printf "fix: ca\351\n" >"$TRASH/latin1.msg" &&
	git commit -q -F "$TRASH/latin1.msg" &&
	echo b >b && git add b &&
	printf "fix: \351t\351\n" >"$TRASH/latin1b.msg" &&
	git -c i18n.commitEncoding=ISO-8859-1 commit -q -F "$TRASH/latin1b.msg" &&
	test "$(git cat-file commit HEAD | sed -n "s/^encoding //p")" = ISO-8859-1 &&
	echo c >c && git add c &&
	printf "fix: \351t\351\351\n" >"$TRASH/latin1c.msg" &&
	expect_code 1 git -c i18n.commitEncoding=ISO-8859-1 commit -q -F "$TRASH/latin1c.msg" &&
	contains "$TRASH/stderr" "subject: fix: $(printf "\303\251t\303\251\303\251")"
'

AKID=$(gen_key AKIA 16 $B32 81)
GHP=$(gen_key ghp_ 36 ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 82)

test_expect_success 'a secret pasted into the commit message is refused, masked, even without a [commit-msg] pattern' '
	new_repo sm && cd sm && echo a >a && git add a && git commit -qm base &&
	before=$(git rev-parse HEAD) && echo b >b && git add b &&
	expect_code 1 git commit -qm "deploy with $AKID" -m "token: $GHP" &&
	test "$(git rev-parse HEAD)" = "$before" &&
	contains "$TRASH/stderr" "error[secrets.aws-access-key-id] commit message, line 1: AWS access key ID: deploy with AKIA" &&
	contains "$TRASH/stderr" "error[secrets.github-token] commit message, line 3: GitHub token: token: ghp_" &&
	lacks "$TRASH/stderr" "$AKID" && lacks "$TRASH/stderr" "$GHP" &&
	contains "$TRASH/stderr" "git commit -e -F $(pwd)/.git/COMMIT_EDITMSG   # take the secret out of the message" &&
	lacks "$TRASH/stderr" "[secrets] allow" &&
	git commit -qm "deploy with the key from the vault" &&
	echo c >c && git add c &&
	git commit -qm "fixture $AKID # repoguard:allow secrets.aws-access-key-id" 2>err &&
	contains err "1 finding allowed by repoguard:allow comments: secrets.aws-access-key-id at commit message, line 1" &&
	echo d >d && git add d &&
	REPOGUARD_SKIP=secrets git commit -qm "skip once $AKID" &&
	printf "[secrets]\nignore = %s\n" "$(printf %s "$GHP" | git hash-object --stdin)" >.repoguard.ini &&
	echo e >e && git add e &&
	git commit -qm "rotated $GHP" 2>err &&
	contains err "secrets.github-token at commit message, line 1 (" &&
	printf "[secrets]\nenabled = false\n" >.repoguard.ini &&
	echo f >f && git add f && git commit -qm "off $AKID"
'

test_expect_success 'ci and pre-push check the messages of the commits a --no-verify made' '
	new_repo smr && cd smr && echo a >a && git add a && git commit -qm base && git branch base &&
	echo b >b && git add b && git commit -q --no-verify -m "add b, key $AKID" &&
	git commit -q --no-verify --allow-empty -m "nothing but a token" -m "$GHP" &&
	c1=$(git rev-parse --short=12 HEAD~1) && c2=$(git rev-parse --short=12 HEAD) &&
	expect_code 1 "$RG" ci --base base &&
	contains "$TRASH/stdout" "error[secrets.aws-access-key-id] $c1: commit message, line 1:" &&
	contains "$TRASH/stdout" "error[secrets.github-token] $c2: commit message, line 3:" &&
	contains "$TRASH/stdout" "git rebase -i $c1~1   # mark $c1 as '"'"'reword'"'"'" &&
	lacks "$TRASH/stdout" "$AKID" &&
	git init -q --bare ../smr.git && git remote add origin ../smr.git &&
	git push -q origin base:main 2>/dev/null &&
	expect_code 1 git push -q origin HEAD:main &&
	contains "$TRASH/stderr" "error[secrets.github-token] $c2: commit message, line 3:"
'

test_expect_success 'a message= without a pattern= is a configuration error, not a rule that checks nothing' '
	git init -q nopat && cd nopat &&
	printf "[commit-msg]\nmessage = Use Conventional Commits\n" >.repoguard.ini &&
	echo "anything" >msg &&
	expect_code 3 "$RG" commit-msg msg &&
	contains "$TRASH/stderr" ".repoguard.ini:2: [commit-msg] has message= but no pattern=" &&
	printf "[commit-msg]\npattern =\nmessage = off for now\n" >.repoguard.ini &&
	expect_code 0 "$RG" commit-msg msg
'

if ! (cd "$TRASH" && LC_ALL=C.UTF-8 LANGUAGE=de git help -g 2>/dev/null | grep -q "Gängige\|Anleitungen"); then
	test_skip "git has no German messages here (its git.mo for de, or the C.UTF-8 locale, is missing)"
else
test_expect_success 'core.commentChar=auto with git speaking another language: the character its template names is the comment' '
	new_repo r1de && cd r1de && git config core.commentChar auto &&
	tok=$(gen_key ghp_ 36 ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 81) &&
	echo a >a && git add a &&
	git commit -q --no-verify -m "fix: a" -m "#12 deploy with $tok" &&
	echo b >>a && git add a &&
	(export LC_ALL=C.UTF-8 LANG=C.UTF-8 LANGUAGE=de GIT_EDITOR=true && expect_code 1 git commit -q --amend) &&
	contains .git/COMMIT_EDITMSG "Bitte geben Sie" &&
	contains "$TRASH/stderr" "error[secrets.github-token] commit message, line 3:" &&
	lacks "$TRASH/stderr" "$tok" &&
	LANG=C.UTF-8 LANGUAGE=de git commit -q --amend --no-verify -m "fix: a" -m "#12 closes the issue" &&
	echo c >>a && git add a &&
	(export LC_ALL=C.UTF-8 LANG=C.UTF-8 LANGUAGE=de GIT_EDITOR=true && git commit -q --amend) &&
	test "$(git log -1 --format=%B | sed -n 3p)" = "#12 closes the issue"
'
fi

test_done

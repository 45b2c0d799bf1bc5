#!/bin/sh
# t0910: the command line and the configuration errors as README documents
# them, seen by a user and by a script: each problem said once, with its
# file:line, and the exit status of its class.
. "$(dirname "$0")/../lib/test-lib.sh"

git init -q repo

test_cmp_files() { cmp "$1" "$2" || { diff -u "$1" "$2"; return 1; }; }

test_expect_success 'a bad severity is reported once, at its line (exit 3)' '
	printf "[size]\nseverity = fatal\n" >bad-sev.ini &&
	(cd repo && expect_code 3 "$RG" config --config ../bad-sev.ini) &&
	contains "$TRASH/stderr" "bad-sev.ini:2: '"'"'fatal'"'"' is not a severity" &&
	test "$(grep -c "not a severity" "$TRASH/stderr")" = 1 &&
	(cd repo && expect_code 3 "$RG" pre-commit --config ../bad-sev.ini) &&
	test "$(grep -c "not a severity" "$TRASH/stderr")" = 1
'

test_expect_success 'COMMAND --help and COMMAND -h are help COMMAND (stdout, exit 0)' '
	for name in pre-commit commit-msg pre-push ci config install audit affected help version; do
		"$RG" help "$name" >want &&
		"$RG" "$name" --help >got 2>err && test_cmp_files want got && test ! -s err &&
		"$RG" "$name" -h >got && test_cmp_files want got || exit 1
	done &&
	"$RG" ci --base main --help >got && "$RG" help ci >want && test_cmp_files want got &&
	(cd repo && expect_code 2 "$RG" commit-msg -- --help) &&
	git init -q ckpt && (cd ckpt && git commit -q --allow-empty -m one &&
		"$RG" checkpoint -m --help >out && lacks out "usage:" &&
		test "$(git for-each-ref refs/tags --format="%(contents:subject)")" = --help) &&
	contains "$TRASH/stderr" "cannot read the commit message '"'"'--help'"'"'"
'

test_expect_success 'help COMMAND, --help, --version and config --default refuse what they do not take (exit 2)' '
	expect_code 2 "$RG" help ci extra &&
	contains "$TRASH/stderr" "unexpected argument '"'"'extra'"'"'" &&
	expect_code 2 "$RG" --help extra &&
	contains "$TRASH/stderr" "no such command '"'"'extra'"'"'" && test ! -s "$TRASH/stdout" &&
	expect_code 2 "$RG" -h ci extra &&
	contains "$TRASH/stderr" "unexpected argument '"'"'extra'"'"'" && test ! -s "$TRASH/stdout" &&
	"$RG" --help ci >got && "$RG" help ci >want && test_cmp_files want got &&
	expect_code 2 "$RG" --version extra &&
	contains "$TRASH/stderr" "unexpected argument '"'"'extra'"'"'" && test ! -s "$TRASH/stdout" &&
	expect_code 2 "$RG" config --default extra &&
	contains "$TRASH/stderr" "unexpected argument '"'"'extra'"'"'" && test ! -s "$TRASH/stdout" &&
	expect_code 2 "$RG" config --default --no-such-option &&
	test ! -s "$TRASH/stdout" &&
	"$RG" config --default >dflt && cmp dflt "$SRC_DIR/rules.ini"
'

test_expect_success '-C "" leaves the directory unchanged, as in git' '
	(cd repo && "$RG" -C "" config >conf && contains conf "[size]" &&
		"$RG" -C "" -C "" version >ver && contains ver "repoguard ") &&
	(cd repo && "$RG" -C "" pre-commit) &&
	expect_code 2 "$RG" -C "$TRASH/no-such-dir" version &&
	contains "$TRASH/stderr" "cannot change to"
'

test_expect_success 'a usage line that continues is not printed as an alternative ("or:")' '
	expect_code 2 "$RG" affected extra &&
	lacks "$TRASH/stderr" "   or:" &&
	grep "^ *\[--format text|json\]" "$TRASH/stderr" &&
	"$RG" help affected >h && lacks h "   or:" &&
	expect_code 2 "$RG" install --no-such-option &&
	contains "$TRASH/stderr" "   or: repoguard install --uninstall"
'

test_expect_success 'a rules file that does not exist: the error says what named it and what to do (exit 3)' '
	cd repo &&
	git config repoguard.config nope.ini &&
	expect_code 3 "$RG" pre-commit &&
	contains "$TRASH/stderr" "nope.ini: configuration file not found (named by git config repoguard.config): create it, or git config --unset repoguard.config" &&
	git config --unset repoguard.config &&
	REPOGUARD_CONFIG=gone.ini expect_code 3 "$RG" pre-commit &&
	contains "$TRASH/stderr" "gone.ini: configuration file not found (named by REPOGUARD_CONFIG): create it, or unset REPOGUARD_CONFIG" &&
	expect_code 3 "$RG" config --config missing.ini &&
	contains "$TRASH/stderr" "missing.ini: configuration file not found (named by --config)" &&
	cd "$TRASH" && expect_code 3 "$RG" config --config missing.ini &&
	contains "$TRASH/stderr" "missing.ini: configuration file not found (named by --config)"
'

test_expect_success 'repoguard config marks the max_file_size that is not in effect ([block] synonym of [size])' '
	git init -q sz && cd sz &&
	printf "[block]\nmax_file_size = 1K\n" >.repoguard.ini &&
	head -c 1536 /dev/zero >big.bin && git add big.bin &&
	expect_code 1 "$RG" pre-commit && contains "$TRASH/stderr" "over the 1.0 KiB limit" &&
	"$RG" config >conf &&
	contains conf "max_file_size = 5M	; rules.ini (built-in):" &&
	contains conf "(not in effect: [block] max_file_size = 1K, $TRASH/sz/.repoguard.ini:2, is)" &&
	"$RG" config --no-origin >conf &&
	contains conf "max_file_size = 5M	; not in effect: [block] max_file_size = 1K is" &&
	printf "[block]\nmax_file_size = 1K\n[size]\nmax_file_size = 2K\n" >.repoguard.ini &&
	"$RG" pre-commit &&
	"$RG" config >conf &&
	contains conf "max_file_size = 1K	; $TRASH/sz/.repoguard.ini:2 (not in effect: [size] max_file_size = 2K, $TRASH/sz/.repoguard.ini:4, is)" &&
	rm .repoguard.ini && "$RG" config >conf && lacks conf "not in effect"
'

test_expect_success 'install --uninstall --hooks refuses a name that is no hook; no PATH warning on --uninstall or before a bad REPO' '
	git init -q inst && cd inst &&
	"$RG" install --hooks pre-commit >/dev/null &&
	expect_code 2 "$RG" install --uninstall --hooks pre-comit &&
	contains "$TRASH/stderr" "--hooks: '"'"'pre-comit'"'"' is not a hook repoguard installs" &&
	test -L .git/hooks/pre-commit &&
	cp "$REPOGUARD" "$TRASH/rg-off-path" &&
	expect_code 0 "$TRASH/rg-off-path" install --uninstall --hooks pre-commit &&
	test ! -e .git/hooks/pre-commit && lacks "$TRASH/stderr" "not the repoguard on PATH" &&
	expect_code 4 "$TRASH/rg-off-path" install "$TRASH/no-such-repo" &&
	lacks "$TRASH/stderr" "not the repoguard on PATH" &&
	contains "$TRASH/stderr" "no-such-repo is not in a git repository" &&
	expect_code 0 "$TRASH/rg-off-path" install --hooks pre-commit &&
	contains "$TRASH/stderr" "not the repoguard on PATH" &&
	"$RG" help install >h && contains h "--binary PATH (absolute)" &&
	contains h "or: repoguard install --uninstall [--hooks LIST] [REPO]"
'

# on_tty CMD...: run CMD with its output on a terminal (script(1)), output in tty.out
on_tty() {
	script -qec "$*" /dev/null >tty.out 2>&1 </dev/null
}

test_expect_success 'colour: only on a terminal; not with NO_COLOR set and not empty, nor TERM=dumb (README)' '
	if ! command -v script >/dev/null 2>&1; then say "no script(1): not checked"; exit 0; fi &&
	git init -q col && cd col && mkdir node_modules && echo x >node_modules/x.js && git add -f node_modules &&
	esc=$(printf "\033[") &&
	(unset NO_COLOR; TERM=xterm on_tty "$RG" pre-commit || :) && contains tty.out "${esc}" &&
	(NO_COLOR= TERM=xterm on_tty "$RG" pre-commit || :) && contains tty.out "${esc}" &&
	(NO_COLOR=1 TERM=xterm on_tty "$RG" pre-commit || :) && lacks tty.out "${esc}" &&
	(unset NO_COLOR; TERM=dumb on_tty "$RG" pre-commit || :) && lacks tty.out "${esc}" &&
	contains tty.out "error[block] node_modules/" &&
	(unset NO_COLOR; expect_code 1 "$RG" pre-commit) && lacks "$TRASH/stderr" "${esc}" &&
	grep -q "never when .NO_COLOR. is set to" "$SRC_DIR/README.md" &&
	grep -q "anything but the empty string" "$SRC_DIR/README.md" &&
	grep -q "or .TERM. is .dumb." "$SRC_DIR/README.md"
'

test_expect_success 'a REPOGUARD_* variable set to the empty string counts as unset (README)' '
	git init -q empty && cd empty &&
	printf "[size]\nmax_file_size = 1K\n" >.repoguard.ini &&
	head -c 2048 /dev/zero >big.bin && git add big.bin &&
	REPOGUARD_CONFIG= REPOGUARD_NOW= REPOGUARD_THREADS= REPOGUARD_SKIP= expect_code 1 "$RG" pre-commit &&
	contains "$TRASH/stderr" "over the 1.0 KiB limit" &&
	expect_code 2 "$RG" pre-commit --config "" &&
	grep -q "set to the empty string counts as unset" "$SRC_DIR/README.md"
'

test_expect_success 'REPOGUARD_TRACE_READS and REPOGUARD_NO_WORKTREE_READS set to 0 or empty are off' '
	# dated in the past, so that the index stat data vouches for it (not racily clean)
	git init -q flags && cd flags && echo hello >a.txt && touch -d "2020-01-01 00:00:00" a.txt &&
	git add a.txt &&
	REPOGUARD_TRACE_READS=1 "$RG" pre-commit 2>err && contains err "trace: a.txt: working tree" &&
	REPOGUARD_TRACE_READS=1 REPOGUARD_NO_WORKTREE_READS=1 "$RG" pre-commit 2>err &&
	lacks err "a.txt: working tree" &&
	REPOGUARD_TRACE_READS=1 REPOGUARD_NO_WORKTREE_READS=0 "$RG" pre-commit 2>err &&
	contains err "trace: a.txt: working tree" &&
	REPOGUARD_TRACE_READS=1 REPOGUARD_NO_WORKTREE_READS= "$RG" pre-commit 2>err &&
	contains err "trace: a.txt: working tree" &&
	REPOGUARD_TRACE_READS=0 "$RG" pre-commit 2>err && lacks err "trace:" &&
	REPOGUARD_TRACE_READS= "$RG" pre-commit 2>err && lacks err "trace:"
'

test_expect_success 'ci in a shallow clone: a --base name that no ref has is a usage error, not the fetch-more hint' '
	git init -q up && (cd up && for i in 1 2 3; do echo $i >f && git add f && git commit -qm c$i || exit 1; done) &&
	git clone -q --depth 1 "file://$TRASH/up" shallow && cd shallow && test -f .git/shallow &&
	expect_code 2 "$RG" ci --base origin/no-such-branch &&
	contains "$TRASH/stderr" "--base '"'"'origin/no-such-branch'"'"' is not a revision in this repository; fetch it first" &&
	lacks "$TRASH/stderr" "shallow clone" &&
	expect_code 4 "$RG" ci --base HEAD~2 &&
	contains "$TRASH/stderr" "this shallow clone lacks history between base and head"
'

test_expect_success '[repoguard] and [audit] are no rules: a severity there is an unknown key (exit 3), not ignored' '
	printf "[repoguard]\nseverity = warn\n" >sev1.ini &&
	expect_code 3 "$RG" config --config sev1.ini &&
	contains "$TRASH/stderr" "sev1.ini:2: unknown key '"'"'severity'"'"' in [repoguard]: a severity is set in each rule'"'"'s own section" &&
	printf "[audit]\nseverity = off\n" >sev2.ini &&
	(cd repo && expect_code 3 "$RG" audit --config ../sev2.ini) &&
	contains "$TRASH/stderr" "sev2.ini:2: unknown key '"'"'severity'"'"' in [audit]: the audit'"'"'s are secret_severity and history_severity" &&
	printf "[audit]\nsecret_severity = warn\n[content]\nseverity = warn\n[deploy]\nseverity = warn\n" >sev3.ini &&
	"$RG" config --config sev3.ini >/dev/null
'

test_expect_success '--format github: a configuration error is annotated on the run too (exit 3), json and sarif print nothing' '
	printf "[size]\nseverity = fatal\n" >gh.ini &&
	(cd repo && expect_code 3 "$RG" pre-commit --config ../gh.ini --format github) &&
	contains "$TRASH/stdout" "::error title=repoguard configuration error::../gh.ini:2: '"'"'fatal'"'"' is not a severity (error, warn, off)%0Apre-commit refuses to run" &&
	test "$(wc -l <"$TRASH/stdout")" = 1 &&
	contains "$TRASH/stderr" "configuration error; pre-commit refuses to run until it is fixed" &&
	(cd repo && expect_code 3 "$RG" audit --config ../gh.ini --format github) &&
	contains "$TRASH/stdout" "%0Aaudit refuses to run" &&
	for f in json sarif text; do
		(cd repo && expect_code 3 "$RG" pre-commit --config ../gh.ini --format $f) &&
		test ! -s "$TRASH/stdout" || exit 1
	done
'

test_expect_success 'a pattern loses its trailing blank, as README says; \x20 keeps it' '
	printf "[commit-msg]\npattern = ^fix: \n" >tb.ini &&
	echo "fix:nospace" >msg &&
	(cd repo && "$RG" commit-msg --config ../tb.ini ../msg) &&
	printf "[commit-msg]\npattern = ^fix:\\\\x20\n" >tb2.ini && grep -F "x20" tb2.ini &&
	(cd repo && expect_code 1 "$RG" commit-msg --config ../tb2.ini ../msg) &&
	echo "fix: space" >msg2 && (cd repo && "$RG" commit-msg --config ../tb2.ini ../msg2) &&
	grep -qF "blanks around a value are dropped" "$SRC_DIR/README.md"
'

test_expect_success 'a bad pattern in [cochange.NAME] or [protect.NAME] is one error, not also "is empty" / "protects nothing"' '
	printf "[cochange.a]\nwhen = a/\nrequire = [b\n" >cc.ini &&
	expect_code 3 "$RG" config --config cc.ini &&
	contains "$TRASH/stderr" "cc.ini:3: invalid pattern '"'"'[b'"'"'" &&
	lacks "$TRASH/stderr" "is empty" &&
	printf "[cochange.a]\nwhen = a/\nrequire =\n" >cc2.ini &&
	expect_code 3 "$RG" config --config cc2.ini &&
	contains "$TRASH/stderr" "cc2.ini:3: require= is empty in [cochange.a]" &&
	printf "[protect.x]\npaths = [a\n" >pr.ini &&
	expect_code 3 "$RG" config --config pr.ini &&
	contains "$TRASH/stderr" "pr.ini:2: invalid pattern '"'"'[a'"'"'" &&
	lacks "$TRASH/stderr" "protects nothing" &&
	printf "[protect.x]\nmax_deleted_files = many\n" >pr2.ini &&
	expect_code 3 "$RG" config --config pr2.ini && lacks "$TRASH/stderr" "protects nothing" &&
	printf "[protect.x]\nmessage = m\n" >pr3.ini &&
	expect_code 3 "$RG" config --config pr3.ini &&
	contains "$TRASH/stderr" "[protect.x] protects nothing: give it paths= or max_deleted_files="
'

test_done

#!/bin/sh
# t0050: ./install.sh and make install (PREFIX, DESTDIR), hooks into a repository.
. "$(dirname "$0")/../lib/test-lib.sh"

# The suite may run under another build (check-asan): install.sh must use
# the normal one, so the make variables of the caller are not passed on.
unset BUILD CFLAGS LDFLAGS MAKEFLAGS MAKELEVEL MFLAGS

test_expect_success 'install.sh --prefix builds, installs binary and man page, and hooks a repository' '
	git init -q proj && echo a >proj/a &&
	"$SRC_DIR/install.sh" --prefix "$TRASH/prefix" "$TRASH/proj" >out 2>&1 &&
	test -x "$TRASH/prefix/bin/repoguard" &&
	test -f "$TRASH/prefix/share/man/man1/repoguard.1" &&
	test "$(readlink proj/.git/hooks/pre-commit)" = "$TRASH/prefix/bin/repoguard" &&
	contains out "installed $TRASH/prefix/bin/repoguard" &&
	cd proj && mkdir node_modules && echo x >node_modules/x.js && git add . &&
	expect_code 1 git commit -qm deps &&
	contains "$TRASH/stderr" "error[block] node_modules/"
'

test_expect_success 'install.sh run inside a repository installs the hooks there' '
	git init -q proj2 && cd proj2 &&
	"$SRC_DIR/install.sh" --prefix "$TRASH/prefix2" >out 2>&1 &&
	for h in pre-commit pre-push commit-msg; do test -L .git/hooks/$h || exit 1; done &&
	test ! -e .git/hooks/pre-receive
'

test_expect_success 'outside a repository, or with --no-hooks, only the binary is installed' '
	mkdir plain && cd plain &&
	"$SRC_DIR/install.sh" --prefix "$TRASH/prefix3" >out 2>&1 &&
	test -x "$TRASH/prefix3/bin/repoguard" &&
	contains out "not in a project repository" &&
	git init -q ../proj4 && cd ../proj4 &&
	"$SRC_DIR/install.sh" --no-hooks --prefix "$TRASH/prefix4" >out 2>&1 &&
	test -x "$TRASH/prefix4/bin/repoguard" && test ! -e .git/hooks/pre-commit
'

test_expect_success 'install.sh --server installs pre-receive into a bare repository' '
	git init -q --bare srv.git &&
	"$SRC_DIR/install.sh" --server --prefix "$TRASH/prefix5" "$TRASH/srv.git" >out 2>&1 &&
	test -L srv.git/hooks/pre-receive && test ! -e srv.git/hooks/pre-commit
'

test_expect_success 'make install honours DESTDIR' '
	make -s -C "$SRC_DIR" install DESTDIR="$TRASH/dest" PREFIX=/opt/rg >/dev/null &&
	test -x "$TRASH/dest/opt/rg/bin/repoguard" &&
	test -f "$TRASH/dest/opt/rg/share/man/man1/repoguard.1" &&
	"$TRASH/dest/opt/rg/bin/repoguard" --version >v && contains v "repoguard "
'

test_expect_success 'install.sh --prefix: a relative DIR is from the current directory, spaces kept' '
	git init -q "my proj" && cd "my proj" &&
	"$SRC_DIR/install.sh" --prefix "pre fix" >out 2>&1 || { cat out; false; } &&
	test -x "$TRASH/my proj/pre fix/bin/repoguard" &&
	test -f "$TRASH/my proj/pre fix/share/man/man1/repoguard.1" &&
	test ! -e "$SRC_DIR/pre fix" && test ! -e "$TRASH/my proj/pre" &&
	test "$(readlink .git/hooks/pre-commit)" = "$TRASH/my proj/pre fix/bin/repoguard"
'

test_expect_success 'install.sh rejects unknown options with a usage message' '
	expect_code 2 "$SRC_DIR/install.sh" --bogus &&
	contains "$TRASH/stderr" "unknown option --bogus" &&
	contains "$TRASH/stderr" "./install.sh [--prefix DIR]" && test ! -s "$TRASH/stdout"
'

test_expect_success 'install.sh --help is help (stdout, exit 0); two REPOs or --prefix without DIR are usage errors' '
	expect_code 0 "$SRC_DIR/install.sh" --help &&
	contains "$TRASH/stdout" "./install.sh [--prefix DIR] [--no-hooks] [--deps-only] [--server] [REPO]" &&
	test ! -s "$TRASH/stderr" &&
	expect_code 2 "$SRC_DIR/install.sh" --no-hooks one two &&
	contains "$TRASH/stderr" "one REPO only (got '"'"'one'"'"' and '"'"'two'"'"')" &&
	expect_code 2 "$SRC_DIR/install.sh" --prefix &&
	contains "$TRASH/stderr" "--prefix needs a directory" &&
	expect_code 2 "$SRC_DIR/install.sh" --prefix= &&
	contains "$TRASH/stderr" "--prefix needs a directory"
'

test_expect_success 'install.sh -- REPO: a repository whose name starts with a dash' '
	git init -q ./-proj &&
	"$SRC_DIR/install.sh" --prefix "$TRASH/prefix6" -- -proj >out 2>&1 || { cat out; false; } &&
	test "$(readlink ./-proj/.git/hooks/pre-commit)" = "$TRASH/prefix6/bin/repoguard"
'

test_done

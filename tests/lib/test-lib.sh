# test-lib.sh: TAP helpers for repoguard's end-to-end tests (git's t/ style).
# Each test file sources this, calls test_expect_success / test_expect_code,
# and ends with test_done. Everything runs in a throwaway directory with its
# own HOME, TZ=UTC, LC_ALL=C and fixed dates.
set -u

: "${REPOGUARD:?set REPOGUARD to the repoguard binary (make check does)}"
case "$REPOGUARD" in /*) ;; *) REPOGUARD="$(pwd)/$REPOGUARD" ;; esac
export REPOGUARD

TEST_DIR=$(cd "$(dirname "$0")" && pwd)
SRC_DIR=$(cd "$TEST_DIR/../.." && pwd)
TRASH=$(mktemp -d "${TMPDIR:-/tmp}/repoguard-test.XXXXXX")
trap 'rm -rf "$TRASH"' EXIT

export HOME="$TRASH/home" TZ=UTC LC_ALL=C LANG=C
export GIT_CONFIG_NOSYSTEM=1 GIT_TERMINAL_PROMPT=0 NO_COLOR=1
export GIT_AUTHOR_NAME="A U Thor" GIT_AUTHOR_EMAIL="author@example.com"
export GIT_COMMITTER_NAME="C O Mitter" GIT_COMMITTER_EMAIL="committer@example.com"
export GIT_AUTHOR_DATE="2026-01-01T00:00:00Z" GIT_COMMITTER_DATE="2026-01-01T00:00:00Z"
# a developer's own settings must not reach the tests (REPOGUARD_THREADS=4 changed t0320's traces)
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_OBJECT_DIRECTORY GIT_COMMON_DIR \
	GIT_ALTERNATE_OBJECT_DIRECTORIES REPOGUARD_SKIP REPOGUARD_CONFIG REPOGUARD_NOW \
	REPOGUARD_THREADS REPOGUARD_IO_URING REPOGUARD_NO_WORKTREE_READS REPOGUARD_TRACE_READS 2>/dev/null || true
mkdir -p "$HOME" "$TRASH/bin"
git config --global init.defaultBranch main
git config --global advice.detachedHead false
# a stable name on PATH so that hooks link to "repoguard"
ln -s "$REPOGUARD" "$TRASH/bin/repoguard"
export PATH="$TRASH/bin:$PATH"
RG="$TRASH/bin/repoguard"

test_count=0
test_failed=0
cd "$TRASH" || exit 1

say() { printf '# %s\n' "$*"; }

# test_expect_success DESCRIPTION 'shell commands'
test_expect_success() {
	test_count=$((test_count + 1))
	if (cd "$TRASH" && set -e && eval "$2") >"$TRASH/out.$test_count" 2>&1; then
		echo "ok $test_count - $1"
	else
		echo "not ok $test_count - $1"
		sed 's/^/# /' "$TRASH/out.$test_count"
		test_failed=$((test_failed + 1))
	fi
}

# expect_code N command...: run, require exit status N; output in $TRASH/stdout, stderr.
expect_code() {
	want=$1
	shift
	set +e
	"$@" >"$TRASH/stdout" 2>"$TRASH/stderr"
	got=$?
	set -e
	if [ "$got" != "$want" ]; then
		echo "expected exit $want, got $got from: $*"
		echo "--- stdout"; cat "$TRASH/stdout"
		echo "--- stderr"; cat "$TRASH/stderr"
		return 1
	fi
}

# gen_key PREFIX LENGTH ALPHABET SEED: a deterministic made-up token (test
# secrets are made at run time, never stored in a test file)
gen_key() {
	awk -v p="$1" -v n="$2" -v a="$3" -v s="$4" 'BEGIN {
		srand(s); k = p; for (i = 0; i < n; i++) k = k substr(a, int(rand() * length(a)) + 1, 1); print k }'
}
B32=ABCDEFGHIJKLMNOPQRSTUVWXYZ234567

# contains FILE PATTERN (fixed string)
contains() {
	if ! grep -qF -- "$2" "$1"; then
		echo "expected '$2' in $1:"
		cat "$1"
		return 1
	fi
}

lacks() {
	if grep -qF -- "$2" "$1"; then
		echo "did not expect '$2' in $1:"
		cat "$1"
		return 1
	fi
}

# new_repo DIR: an empty repository with repoguard's hooks installed
new_repo() {
	git init -q "$1"
	(cd "$1" && "$RG" install >/dev/null)
}

# commit_tags N: N commits on the current branch (file f<i mod 20>.txt each),
# the i-th tagged t<i> (lightweight, moved if it exists), written with git
# fast-import; the work tree follows
commit_tags() {
	awk -v n="$1" -v b="$(git symbolic-ref HEAD)" 'BEGIN {
		printf "reset %s\nfrom %s^0\n\n", b, b
		for (i = 1; i <= n; i++)
			printf "commit %s\nmark :%d\ncommitter T <t@example.com> %d +0000\ndata 2\nc\nM 100644 inline f%d.txt\ndata %d\n%d\n\n", b, i, 1700000000 + i, i % 20, length(i "") + 1, i
		for (i = 1; i <= n; i++)
			printf "reset refs/tags/t%d\nfrom :%d\n\n", i, i }' |
	git fast-import --quiet --force && git reset -q --hard
}

# snapshot of everything repoguard must never change
repo_state() {
	(
		cd "$1"
		gd=$(git rev-parse --git-dir)
		git for-each-ref --format='%(refname) %(objectname)'
		git rev-parse HEAD 2>/dev/null || true
		find "$gd/objects" -type f | LC_ALL=C sort
		if [ -f "$gd/index" ]; then cksum < "$gd/index"; fi
	)
}

test_done() {
	echo "1..$test_count"
	if [ "$test_failed" -gt 0 ]; then
		say "failed $test_failed of $test_count"
		exit 1
	fi
	exit 0
}

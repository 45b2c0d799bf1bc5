#!/bin/sh
# bench/content.sh: the content rules on a commit that adds 100 MB of source
# text across 10,000 files (bench/gen-source.py), with hyperfine:
#   git diff --cached            the floor: git producing the added lines
#   repoguard pre-commit         every built-in content rule (and the path rules)
#   ..., one thread              REPOGUARD_THREADS=1
#   ..., files read one by one   REPOGUARD_IO_URING=0: no io_uring batches
#   ..., blobs only              REPOGUARD_NO_WORKTREE_READS=1: inflate every
#                                blob, as git diff --cached does
#   ..., git-secrets' patterns   only the AWS rules that git secrets
#                                --register-aws has: the same work as the
#                                two git-secrets rows
#   repoguard, no content rules  what the scan costs on top
#   git grep -F AKIA             one literal over the working tree files: what
#                                any grep of them costs (the floor of --scan)
#   read every staged file       bench/read-floor.c: open, read and close each
#                                staged file on every CPU, no matching: the
#                                least any content check does here; then the
#                                same in io_uring batches, as repoguard reads
#   git secrets --scan           git-secrets (--register-aws) over the same
#                                files as the working tree has them
#   git secrets --scan --cached  the same over the staged blobs: what
#                                git-secrets checks at a commit
#   git secrets pre-commit hook  what git-secrets runs as its pre-commit hook
#                                (--scan --cached, naming each staged file)
# Usage: REPOGUARD=./repoguard sh bench/content.sh [RUNS]
# Environment: BENCH_DIR (default /tmp/repoguard-bench-content), FILES, BYTES;
# SOURCE=real: 100 MB of this machine's own source files instead
# (bench/gen-real.py; FILES at most, BYTES ignored). Real code holds a few
# test fixtures shaped like secrets, so repoguard reports findings and exits
# 1 there: hyperfine runs with -i.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
REPOGUARD=${REPOGUARD:-$here/../repoguard}
case $REPOGUARD in /*) ;; *) REPOGUARD=$(pwd)/$REPOGUARD ;; esac
DIR=${BENCH_DIR:-/tmp/repoguard-bench-content}
FILES=${FILES:-10000}
BYTES=${BYTES:-10000}
RUNS=${1:-10}
SOURCE=${SOURCE:-synthetic}

command -v hyperfine >/dev/null || { echo "hyperfine is needed" >&2; exit 2; }
case $SOURCE in
synthetic) repo=$DIR/repo-$FILES-$BYTES ignore= out=$DIR/content ;;
real) repo=$DIR/repo-real-$FILES ignore=-i out=$DIR/content-real ;;
*) echo "SOURCE is synthetic or real" >&2; exit 2 ;;
esac
if [ ! -f "$repo/.ready" ]; then
	rm -rf "$repo" && mkdir -p "$repo"
	git -C "$repo" init -q
	echo base >"$repo/README" && git -C "$repo" add README &&
		git -C "$repo" -c user.name=b -c user.email=b@b commit -qm base
	if [ "$SOURCE" = real ]; then
		python3 "$here/gen-real.py" "$repo" "$FILES" 100000000
	else
		echo "generating $FILES files of $BYTES bytes..." >&2
		python3 "$here/gen-source.py" "$repo" "$FILES" "$BYTES"
	fi
	git -C "$repo" add -A
	touch "$repo/.ready"
fi
floor_bin=$DIR/read-floor
if pkg-config --exists liburing 2>/dev/null; then
	${CC:-cc} -O2 -pthread -DRF_URING -o "$floor_bin" "$here/read-floor.c" $(pkg-config --libs liburing)
	uring_floor=1
else
	${CC:-cc} -O2 -pthread -o "$floor_bin" "$here/read-floor.c"
	uring_floor=0
fi
cd "$repo"
git diff --cached --name-only >"$DIR/staged.list"
echo "staged: $(git diff --cached --numstat | wc -l) files, $(git diff --cached | wc -c) bytes of diff" >&2
"$REPOGUARD" --version >&2
have_gs=0
if command -v git-secrets >/dev/null; then
	git config --get-all secrets.patterns >/dev/null || git secrets --register-aws >/dev/null
	have_gs=1
fi
# only the AWS patterns, as git secrets --register-aws: every other built-in
# secret id (read from the rule table, so that a new one is not left on)
aws_only=$DIR/aws-only.ini
others=$(grep -o '^	{ "[a-z0-9-]*", "' "$here/../src/rule/rule-secrets.c" | sed 's/^	{ "//; s/", "$//' |
	grep -v '^aws-' | sort -u | tr '\n' ' ')
[ -n "$others" ] || { echo "bench: no secret ids found in src/rule/rule-secrets.c" >&2; exit 2; }
printf '%s\n' '[secrets]' \
	"disable = $others" \
	'[conflict]' 'severity = off' >"$aws_only"
# the bulk rule would (rightly) refuse 10,000 files in one commit: skip it to time the rest
set -- \
	-n "git diff --cached" "git diff --cached" \
	-n "repoguard pre-commit" "REPOGUARD_SKIP=bulk $REPOGUARD pre-commit" \
	-n "repoguard pre-commit, one thread" "REPOGUARD_THREADS=1 REPOGUARD_SKIP=bulk $REPOGUARD pre-commit" \
	-n "repoguard pre-commit, files read one by one" "REPOGUARD_IO_URING=0 REPOGUARD_SKIP=bulk $REPOGUARD pre-commit" \
	-n "repoguard pre-commit, blobs only" "REPOGUARD_NO_WORKTREE_READS=1 REPOGUARD_SKIP=bulk $REPOGUARD pre-commit" \
	-n "repoguard pre-commit, git-secrets' patterns" "REPOGUARD_CONFIG=$aws_only REPOGUARD_SKIP=bulk $REPOGUARD pre-commit" \
	-n "repoguard pre-commit, no content rules" "REPOGUARD_SKIP=bulk,content,secrets,conflict $REPOGUARD pre-commit" \
	-n "read every staged file (read-floor.c)" "$floor_bin $DIR/staged.list >/dev/null"
[ $uring_floor = 0 ] ||
	set -- "$@" -n "read every staged file, io_uring batches (read-floor.c --uring)" \
		"$floor_bin --uring $DIR/staged.list >/dev/null"
if [ $have_gs = 1 ]; then
	set -- "$@" -n "git grep -F AKIA" "git grep -c -F -e AKIA >/dev/null || true" \
		-n "git secrets --scan" "git secrets --scan" \
		-n "git secrets --scan --cached" "git secrets --scan --cached" \
		-n "git secrets pre-commit hook" "git secrets --pre_commit_hook"
fi
hyperfine $ignore --warmup 1 --runs "$RUNS" --export-markdown "$out.md" --export-json "$out.json" "$@"
python3 - "$out.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
floor = r[0]["mean"]
print("\n| command | mean [s] | user [s] | system [s] | vs floor |\n|---|---|---|---|---|")
for x in r:
    print("| %s | %.3f ± %.3f | %.3f | %.3f | %.2fx |" % (x["command"], x["mean"], x["stddev"], x["user"], x["system"], x["mean"] / floor))
PY

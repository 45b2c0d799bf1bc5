#!/bin/sh
# bench/audit-tree.sh: `repoguard audit` of HEAD's tree (its content
# section: every line of every file) on a commit of 100 MB of source text
# in 10,000 files (bench/gen-source.py, as bench/content.sh), packed as a
# clone has it, with hyperfine:
#   git ls-tree | git cat-file --batch   the floor: git reading every blob
#   repoguard audit                      every section, content on every core
#   ..., one thread                      REPOGUARD_THREADS=1
#   ..., blobs only                      REPOGUARD_NO_WORKTREE_READS=1: every
#                                        blob inflated, none read from the file
#   ..., content section off             REPOGUARD_SKIP=secrets,conflict,content
#   git secrets --scan                   git-secrets (--register-aws) over the
#                                        same files: the same work, whole files
# Usage: REPOGUARD=./repoguard sh bench/audit-tree.sh [RUNS]
# Environment: BENCH_DIR (default /tmp/repoguard-bench-audit-tree), FILES, BYTES.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
REPOGUARD=${REPOGUARD:-$here/../repoguard}
case $REPOGUARD in /*) ;; *) REPOGUARD=$(pwd)/$REPOGUARD ;; esac
DIR=${BENCH_DIR:-/tmp/repoguard-bench-audit-tree}
FILES=${FILES:-10000}
BYTES=${BYTES:-10000}
RUNS=${1:-10}

command -v hyperfine >/dev/null || { echo "hyperfine is needed" >&2; exit 2; }
export GIT_CONFIG_NOSYSTEM=1 LC_ALL=C NO_COLOR=1
repo=$DIR/repo-$FILES-$BYTES
if [ ! -f "$repo/.ready" ]; then
	rm -rf "$repo" && mkdir -p "$repo"
	git -C "$repo" init -q
	echo "generating $FILES files of $BYTES bytes..." >&2
	python3 "$here/gen-source.py" "$repo" "$FILES" "$BYTES"
	git -C "$repo" add -A
	git -C "$repo" -c user.name=b -c user.email=b@b -c core.hooksPath=/dev/null commit -qm source
	git -C "$repo" repack -adq
	git -C "$repo" prune-packed
	touch "$repo/.ready"
fi
cd "$repo"
"$REPOGUARD" --version >&2
set -- \
	-n "git ls-tree -r HEAD | git cat-file --batch" \
	"git ls-tree -r --format='%(objectname)' HEAD | git cat-file --batch >/dev/null" \
	-n "repoguard audit" "$REPOGUARD audit >/dev/null" \
	-n "repoguard audit, one thread" "REPOGUARD_THREADS=1 $REPOGUARD audit >/dev/null" \
	-n "repoguard audit, blobs only" "REPOGUARD_NO_WORKTREE_READS=1 $REPOGUARD audit >/dev/null" \
	-n "repoguard audit, content section off" \
	"REPOGUARD_SKIP=secrets,conflict,content $REPOGUARD audit >/dev/null"
if command -v git-secrets >/dev/null; then
	git config --get-all secrets.patterns >/dev/null || git secrets --register-aws >/dev/null
	set -- "$@" -n "git secrets --scan" "git secrets --scan"
fi
# the audit exits 1 for its findings (the bulk of 10,000 files in one commit)
hyperfine -i --warmup 1 --runs "$RUNS" --export-markdown "$DIR/audit-tree.md" "$@"
cat "$DIR/audit-tree.md"

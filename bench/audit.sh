#!/bin/sh
# bench/audit.sh: `repoguard audit --history` against git's floor for the
# same walk and against peer tools, on a generated history (see
# gen-history.py). Needs hyperfine and git-filter-repo (Debian packages).
#
#   bench/audit.sh [COMMITS]        default 30000 commits, 3,000-file tree
#
# The repository is generated once into $BENCH_DIR (default
# /tmp/repoguard-bench-audit-COMMITS) with git fast-import and repacked the
# way a clone is (git repack -adf --depth=50 --window=10), then every tool
# runs on the same packed, bare repository.
#
# git's floor is rev-list piped into cat-file with %(rest) in the format:
# without it cat-file takes each whole "id path" line as an object name and
# answers "missing" for every object that has a path, which is fast and
# wrong.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
RG=${REPOGUARD:-$here/../repoguard}
COMMITS=${1:-30000}
DIR=${BENCH_DIR:-/tmp/repoguard-bench-audit-$COMMITS}
RUNS=${RUNS:-5}

if [ ! -d "$DIR" ]; then
	echo "generating $COMMITS commits into $DIR ..." >&2
	git init -q --bare "$DIR"
	git -C "$DIR" symbolic-ref HEAD refs/heads/main
	python3 "$here/gen-history.py" --commits "$COMMITS" | git -C "$DIR" fast-import --quiet
	git -C "$DIR" repack -adfq --depth=50 --window=10
	git -C "$DIR" count-objects -vH >&2
fi
cd "$DIR"

floor="git rev-list --objects --all | git cat-file --batch-check='%(objectname) %(objecttype) %(objectsize) %(rest)' >/dev/null"
audit="$RG audit --history >/dev/null; test \$? -le 1"
analyze="git filter-repo --analyze --force >/dev/null"
logadd="git log --all --diff-filter=A --name-only --format=%H >/dev/null"

if [ "${HYPERFINE:-1}" = 1 ]; then
hyperfine --warmup 1 --runs "$RUNS" --export-markdown "$DIR/hyperfine.md" \
	-n "repoguard audit --history" "$audit" \
	-n "rev-list --objects | cat-file --batch-check" "$floor" \
	-n "git log --all --diff-filter=A --name-only" "$logadd" \
	-n "git filter-repo --analyze" "$analyze" >&2
cat "$DIR/hyperfine.md"
fi

echo
echo "| command | peak memory (max RSS) |"
echo "|---|---|"
for c in "$audit" "$floor" "$logadd" "$analyze"; do
	/usr/bin/time -o "$DIR/time.out" -f "%M %U %S" sh -c "$c" >/dev/null 2>&1 || true
	kb=$(cut -d" " -f1 "$DIR/time.out")
	printf '| %s | %s MiB |\n' "$(echo "$c" | sed "s|$RG|repoguard|" | cut -c1-60)" "$((kb / 1024))"
done

#!/bin/sh
# bench/ranges.sh: the range modes on a 1,000-commit range of a large repository.
#
# Generates (once, cached under bench/work/) a repository of 100,000 files in
# 1,000 directories, tagged `base`, followed by 1,000 commits on main, each
# editing 3 files and adding 1 (every 100th commit is a merge of a 5-commit
# side branch, so the range has merges as pull requests do). Then compares
# with hyperfine:
#
#   ci over base..main:
#     repoguard ci --base base --head main
#     git log --raw --no-renames base..main       (git's floor: every commit's diff)
#     git rev-list --objects base..main           (git's floor: every new object)
#     pre-commit run --from-ref base --to-ref main  (the pre-commit framework)
#   pre-receive of the same 1,000 commits, in a bare server whose main is at
#   base and which already holds the objects (what the hook sees after
#   receive-pack has unpacked the push):
#     repoguard pre-receive  < "BASE MAIN refs/heads/main"
#     git rev-list --objects BASE..MAIN           (receive-pack's own connectivity check)
#     git log --raw --no-renames BASE..MAIN
#   and a whole `git push` of the 1,000 commits to a file:// server, without
#   a hook and with repoguard's pre-receive installed.
#
# Usage: bench/ranges.sh [--runs N] [--regen]
# Needs: hyperfine, jq, pre-commit (Debian). Results go to bench/work/results/.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
WORK="$HERE/work"
REPO="$WORK/range-repo"
SERVER="$WORK/range-server.git"
PUSHSRV="$WORK/range-push.git"
OUT="$WORK/results"
RUNS=10
REGEN=0
NFILES=100000
NCOMMITS=1000

. "$HERE/lib.sh"
bench_args "$@"
bench_need hyperfine hyperfine
bench_need jq jq
bench_need pre-commit pre-commit

export PRE_COMMIT_HOME="$WORK/pre-commit-home"
mkdir -p "$HOME" "$OUT"

# fast-import stream: the 100,000-file base, then NCOMMITS commits.
gen_stream() {
	awk -v n="$NFILES" -v nc="$NCOMMITS" '
	function path(i) { return sprintf("pkg%02d/mod%d/file%02d.txt", int(i / 1000), int(i / 100) % 10, i % 100) }
	function blob(p, v,   c) { c = sprintf("// %s\nexport const v = %d;\n", p, v); printf "data %d\n%s\n", length(c), c }
	function edit(k,   j, p) {
		for (j = 0; j < 3; j++) {
			p = path(int(rand() * n)); print "M 100644 inline " p; blob(p, k * 10 + j)
		}
		p = sprintf("pkg%02d/new/c%05d.ts", int(rand() * 100), k); print "M 100644 inline " p; blob(p, k)
	}
	function header(ref, k, msg) {
		print "commit " ref; print "mark :" k
		print "committer bench <bench@example.com> " (1767225600 + k * 60) " +0000"
		printf "data %d\n%s\n", length(msg), msg
	}
	BEGIN {
		srand(42)
		header("refs/heads/main", 1, "base")
		for (i = 0; i < n; i++) { print "M 100644 inline " path(i); blob(path(i), i) }
		print "reset refs/tags/base"; print "from :1"
		k = 1; made = 0
		while (made < nc) {
			if (made % 100 == 99 && made + 6 <= nc) {
				# a 5-commit side branch from the current tip, merged back
				side = k
				for (s = 0; s < 5; s++) {
					k++; header("refs/heads/side", k, "side " k)
					if (s == 0) print "from :" side
					edit(k)
				}
				k++; header("refs/heads/main", k, "merge " k); print "from :" side; print "merge :" (k - 1)
				edit(k)
				made += 6
				continue
			}
			k++; header("refs/heads/main", k, "commit " k); edit(k); made++
		}
	}'
}

generate() {
	rm -rf "$REPO" "$SERVER"
	git init -q -b main "$REPO"
	gen_stream | git -C "$REPO" fast-import --quiet
	(
		cd "$REPO"
		git branch -D side >/dev/null
		git reset -q --hard main
		cat >.pre-commit-config.yaml <<'EOF'
repos:
  - repo: local
    hooks:
      - id: no-node-modules
        name: node_modules must not be committed
        entry: node_modules/ must not be committed (add it to .gitignore)
        language: fail
        files: (^|/)(node_modules|\.vite)/
EOF
		git gc -q
	)
	git clone -q --bare "$REPO" "$SERVER"
	git -C "$SERVER" update-ref refs/heads/main "$(git -C "$REPO" rev-parse base)"
	git -C "$SERVER" tag -d base >/dev/null
}

if [ "$REGEN" = 1 ] || [ ! -d "$SERVER" ] || [ ! -d "$REPO/.git" ]; then
	echo "generating $REPO ($NFILES files, $NCOMMITS commits) ..."
	generate
fi
cd "$REPO"
BASE=$(git rev-parse base)
MAIN=$(git rev-parse main)
count=$(git rev-list --count base..main)
echo "range base..main: $count commits, $(git ls-files | wc -l) files at main"

# The tools must really see the range: a node_modules/ added in one commit
# and removed in the next must be reported, or the comparison is void. The
# commits are made with plumbing (no checkout of 100,000 files).
sanity() {
	idx="$WORK/sanity.index"
	rm -f "$idx"
	GIT_INDEX_FILE=$idx git read-tree main~3
	blob=$(echo x | git hash-object -w --stdin)
	GIT_INDEX_FILE=$idx git update-index --add --cacheinfo "100644,$blob,web/node_modules/x.js"
	bad=$(git commit-tree "$(GIT_INDEX_FILE=$idx git write-tree)" -p main~3 -m bad)
	gone=$(git commit-tree "main~3^{tree}" -p "$bad" -m "bad gone")
	rm -f "$idx"
	if "$RG" ci --base main~3 --head "$gone" >/dev/null 2>&1; then
		echo "bench: repoguard ci misses the node_modules commit" >&2; exit 1
	fi
	# pre-commit compares the end points only: it passes here (and says so)
	if pre-commit run --from-ref main~3 --to-ref "$gone" >/dev/null 2>&1; then
		echo "note: pre-commit --from-ref/--to-ref checks the end points only: it misses the node_modules commit"
	fi
}
sanity

printf '%s %s refs/heads/main\n' "$BASE" "$MAIN" >"$WORK/receive.in"
(cd "$SERVER" && "$RG" pre-receive <"$WORK/receive.in")

echo "== ci: $RUNS runs each"
hyperfine -N --warmup 2 --runs "$RUNS" --export-json "$OUT/ci.json" \
	-n "git log --raw --no-renames" "git log --raw --no-renames base..main" \
	-n "git rev-list --objects" "git rev-list --objects base..main" \
	-n "repoguard ci" "$RG ci --base base --head main" \
	-n "pre-commit run --from-ref --to-ref" "pre-commit run --from-ref base --to-ref main" >"$OUT/ci.txt"

echo "== pre-receive: $RUNS runs each"
cd "$SERVER"
hyperfine -N --warmup 2 --runs "$RUNS" --export-json "$OUT/receive.json" \
	-n "git rev-list --objects (server)" "git rev-list --objects $BASE..$MAIN" \
	-n "git log --raw --no-renames (server)" "git log --raw --no-renames $BASE..$MAIN" \
	-n "repoguard pre-receive" "sh -c '$RG pre-receive <$WORK/receive.in'" >"$OUT/receive.txt"

echo "== git push of $count commits: $RUNS runs each"
rm -rf "$PUSHSRV"
git clone -q --bare "$SERVER" "$PUSHSRV"
cd "$REPO"
hyperfine --warmup 1 --runs "$RUNS" --export-json "$OUT/push.json" \
	--prepare "git -C $PUSHSRV update-ref refs/heads/main $BASE && rm -f $PUSHSRV/hooks/pre-receive" \
	-n "git push (no hook)" "git push -q $PUSHSRV main:main" \
	--prepare "git -C $PUSHSRV update-ref refs/heads/main $BASE && ln -sf $RG $PUSHSRV/hooks/pre-receive" \
	-n "git push (repoguard pre-receive)" "git push -q $PUSHSRV main:main" >"$OUT/push.txt"
rm -f "$PUSHSRV/hooks/pre-receive"

# Wall time is noisy on a shared machine; CPU time (user + system) is what
# the work costs, so the ratios are taken on CPU time.
table() {
	printf '| what | command | wall (mean ± sd) | CPU (user+sys) | CPU vs git log --raw | CPU vs git rev-list --objects |\n'
	printf '|---|---|---:|---:|---:|---:|\n'
	for j in ci receive; do
		log=$(jq '[.results[] | select(.command | test("git log")) | (.user + .system)][0]' "$OUT/$j.json")
		rl=$(jq '[.results[] | select(.command | test("rev-list")) | (.user + .system)][0]' "$OUT/$j.json")
		jq -r '.results[] | "\(.command)\t\(.mean)\t\(.stddev)\t\(.user + .system)"' "$OUT/$j.json" |
		while IFS="	" read -r name mean sd cpu; do
			awk -v w="$j" -v n="$name" -v m="$mean" -v s="$sd" -v c="$cpu" -v f="$log" -v g="$rl" 'BEGIN {
				printf "| %s | %s | %.0f ms ± %.0f | %.0f ms | %.2fx | %.2fx |\n", w, n, m * 1000, s * 1000, c * 1000, c / f, c / g }'
		done
	done
	nohook=$(jq '.results[0].user + .results[0].system' "$OUT/push.json")
	jq -r '.results[] | "\(.command)\t\(.mean)\t\(.stddev)\t\(.user + .system)"' "$OUT/push.json" |
	while IFS="	" read -r name mean sd cpu; do
		awk -v n="$name" -v m="$mean" -v s="$sd" -v c="$cpu" -v f="$nohook" 'BEGIN {
			printf "| push | %s | %.0f ms ± %.0f | %.0f ms | %.2fx of the push without hook | |\n", n, m * 1000, s * 1000, c * 1000, c / f }'
	done
}
table | tee "$OUT/ranges.md"
echo "machine: $(nproc) cores, $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1)," \
	"$(git --version), $($RG --version)" | tee -a "$OUT/ranges.md"

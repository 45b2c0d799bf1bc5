#!/bin/sh
# bench/pre-commit.sh: the pre-commit hook's cost on a 100,000-file repository.
#
# Generates (once, cached under bench/work/) a repository of 100,000 small
# files in 1,000 directories with one staged edit and one staged new file,
# then compares with hyperfine:
#   repoguard pre-commit                 (this project)
#   git diff --cached --name-status      (git's own floor for "what is staged")
#   pre-commit run                       (the pre-commit framework, local hook)
#   lefthook run pre-commit              (lefthook, glob on node_modules)
# and measures peak memory (max RSS, /usr/bin/time -v). It then times the
# index shapes that cannot use the cache-tree shortcut or the fast reader:
# no valid cache-tree (after `git rm -r --cached . && git add -A`), index v4,
# and a split index (libgit2 fallback).
#
# Usage: bench/pre-commit.sh [--runs N] [--regen]
# Needs: hyperfine, jq, /usr/bin/time, pre-commit (Debian), npm (lefthook is
# installed into bench/work/npm on first use). Results go to bench/work/results/.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
WORK="$HERE/work"
REPO="$WORK/repo-100k"
OUT="$WORK/results"
RUNS=30
REGEN=0
NFILES=100000
LEFTHOOK_VERSION=2.2.1

. "$HERE/lib.sh"
bench_args "$@"
bench_need hyperfine hyperfine
bench_need jq jq
bench_need pre-commit pre-commit
bench_need npm npm
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time is missing (apt-get install time)" >&2; exit 2; }

LEFTHOOK="$WORK/npm/node_modules/.bin/lefthook"
# --ignore-scripts: lefthook's postinstall runs `lefthook install` in the
# enclosing git repository, which is this project's own checkout.
if [ ! -x "$LEFTHOOK" ]; then
	mkdir -p "$WORK/npm"
	(cd "$WORK/npm" && npm install --ignore-scripts --no-audit --no-fund --prefix . -E "lefthook@$LEFTHOOK_VERSION" >/dev/null)
fi
export PRE_COMMIT_HOME="$WORK/pre-commit-home"
# a neutral git environment: no user config changes what is measured
mkdir -p "$HOME" "$OUT"

# The peer tools' configuration, as a user would write it: block any path
# with a node_modules component.
write_peer_configs() {
	cat >"$1/.pre-commit-config.yaml" <<'EOF'
repos:
  - repo: local
    hooks:
      - id: no-node-modules
        name: node_modules must not be committed
        entry: node_modules/ must not be committed (add it to .gitignore)
        language: fail
        files: (^|/)node_modules/
EOF
	cat >"$1/lefthook.yml" <<'EOF'
pre-commit:
  commands:
    no-node-modules:
      glob: "{node_modules/**,**/node_modules/**}"
      run: 'echo "node_modules/ must not be committed: {staged_files}" >&2; exit 1'
EOF
}

# fast-import stream: 100 pkgNN/ x 10 modN/ x 100 files, plus the configs.
gen_stream() {
	awk -v n="$NFILES" 'BEGIN {
		print "commit refs/heads/main"
		print "committer bench <bench@example.com> 1767225600 +0000"
		print "data 7"; print "initial"
		for (i = 0; i < n; i++) {
			p = sprintf("pkg%02d/mod%d/file%02d.txt", int(i / 1000), int(i / 100) % 10, i % 100)
			c = sprintf("// %s\nexport const value%d = %d;\n", p, i, i)
			print "M 100644 inline " p
			printf "data %d\n%s\n", length(c), c
		}
	}'
}

generate() {
	rm -rf "$REPO"
	git init -q -b main "$REPO"
	gen_stream | git -C "$REPO" fast-import --quiet
	(
		cd "$REPO"
		git reset -q --hard main
		printf '*.png binary\n*.psd filter=lfs diff=lfs merge=lfs -text\n' >.gitattributes
		write_peer_configs .
		git add .gitattributes .pre-commit-config.yaml lefthook.yml
		git commit -qm "tooling"
		git gc -q
		# the measured state: one staged edit, one staged new file
		echo "export const edited = 1;" >>pkg42/mod5/file50.txt
		echo "export const added = 1;" >pkg42/mod5/new.ts
		git add pkg42/mod5/file50.txt pkg42/mod5/new.ts
		cp .git/index "$WORK/index.base"
	)
}

# Index variants, each a copy selected with GIT_INDEX_FILE.
make_variants() {
	(
		cd "$REPO"
		cp "$WORK/index.base" .git/index
		# no valid cache-tree: every path re-added
		cp .git/index .git/index-notree
		GIT_INDEX_FILE=.git/index-notree git rm -r -q --cached .
		GIT_INDEX_FILE=.git/index-notree git add -A
		# index version 4 (path prefix compression)
		cp .git/index .git/index-v4
		GIT_INDEX_FILE=.git/index-v4 git update-index --index-version 4
		# split index (libgit2 1.5 cannot read it; repoguard's reader merges it)
		rm -f .git/sharedindex.*
		cp .git/index .git/index-split
		GIT_INDEX_FILE=.git/index-split git update-index --split-index
		# bulk add: 10,000 more files staged under copy/ (the rules see
		# every one: block patterns, .gitattributes look-ups, blob sizes)
		cp .git/index .git/index-bulk
		git ls-tree -r HEAD pkg00 pkg01 pkg02 pkg03 pkg04 pkg05 pkg06 pkg07 pkg08 pkg09 |
			sed 's/	/	copy\//' | GIT_INDEX_FILE=.git/index-bulk git update-index --index-info
	)
}

# The tools must really block node_modules, or the comparison is void.
sanity() {
	d="$WORK/sanity"
	rm -rf "$d" && git init -q -b main "$d" && cd "$d"
	write_peer_configs .
	echo a >a && git add -A && git commit -qm a
	echo b >b && git add b
	for tool in "$RG pre-commit" "pre-commit run" "$LEFTHOOK run pre-commit"; do
		$tool >/dev/null 2>&1 || { echo "bench: '$tool' fails on a clean commit: fix its configuration" >&2; exit 1; }
	done
	mkdir -p web/node_modules/x && echo x >web/node_modules/x/i.js && git add web
	for tool in "$RG pre-commit" "pre-commit run" "$LEFTHOOK run pre-commit"; do
		if $tool >/dev/null 2>&1; then
			echo "bench: '$tool' does not block web/node_modules/x/i.js: fix its configuration" >&2
			exit 1
		fi
	done
	cd "$ROOT"
}

maxrss() { # maxrss CMD...: peak resident set in KiB, the largest of 3 runs
	best=0
	for _ in 1 2 3; do
		/usr/bin/time -v -o "$OUT/time.txt" "$@" >/dev/null 2>&1 || true
		kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$OUT/time.txt")
		[ "${kb:-0}" -gt "$best" ] && best=$kb
	done
	echo "$best"
}

if [ "$REGEN" = 1 ] || [ ! -f "$WORK/index.base" ] || [ ! -d "$REPO/.git" ]; then
	echo "generating $REPO ($NFILES files) ..."
	generate
fi
make_variants
sanity
cd "$REPO"
cp "$WORK/index.base" .git/index
test "$(git diff --cached --name-status | wc -l)" = 2

echo "== hyperfine: $RUNS runs each, $(git ls-files | wc -l) files in the index"
hyperfine -N --warmup 3 --runs "$RUNS" --export-json "$OUT/main.json" \
	-n "git diff --cached --name-status" "git diff --cached --name-status" \
	-n "repoguard pre-commit" "$RG pre-commit" \
	-n "lefthook run pre-commit" "$LEFTHOOK run pre-commit" \
	-n "pre-commit run" "pre-commit run" >"$OUT/main.txt"

for v in notree v4 split bulk; do
	# bulk: repoguard exits 1 (the bulk rule fires), as it should
	GIT_INDEX_FILE="$REPO/.git/index-$v" hyperfine -N -i --warmup 3 --runs "$RUNS" \
		--export-json "$OUT/$v.json" \
		-n "git diff --cached --name-status ($v)" "git diff --cached --name-status" \
		-n "repoguard pre-commit ($v)" "$RG pre-commit" >"$OUT/$v.txt"
done

# Table: mean, ratio to git's floor of the same index shape, max RSS.
table() {
	printf '| command | mean ± σ | ratio to git | CPU (user+sys) | CPU ratio | max RSS |\n'
	printf '|---|---:|---:|---:|---:|---:|\n'
	for j in main notree v4 split bulk; do
		floor=$(jq '.results[0].mean' "$OUT/$j.json")
		cfloor=$(jq '.results[0].user + .results[0].system' "$OUT/$j.json")
		jq -r '.results[] | "\(.command)\t\(.mean)\t\(.stddev)\t\(.user + .system)"' "$OUT/$j.json" |
		while IFS="	" read -r name mean sd cpu; do
			case "$name" in
			git*) cmd="git diff --cached --name-status" ;;
			repoguard*) cmd="$RG pre-commit" ;;
			lefthook*) cmd="$LEFTHOOK run pre-commit" ;;
			pre-commit*) cmd="pre-commit run" ;;
			esac
			if [ "$j" = main ]; then
				rss=$(maxrss $cmd)
			else
				rss=$(export GIT_INDEX_FILE="$REPO/.git/index-$j"; maxrss $cmd)
			fi
			awk -v n="$name" -v m="$mean" -v s="$sd" -v f="$floor" -v c="$cpu" -v cf="$cfloor" \
				-v r="$rss" 'BEGIN { printf "| %s | %.1f ± %.1f ms | %.2fx | %.1f ms | %.2fx | %.1f MiB |\n",
				n, m * 1000, s * 1000, m / f, c * 1000, c / cf, r / 1024 }'
		done
	done
}
table | tee "$OUT/table.md"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)," \
	"$(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1), $(git --version)," \
	"$($RG --version), load average $(cut -d" " -f1-3 /proc/loadavg)" | tee -a "$OUT/table.md"

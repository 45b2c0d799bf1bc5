#!/bin/sh
# bench/checkpoint.sh: the checkpoint rule, status and rollback on a generated
# repository (COMMITS commits, a checkpoint tag every EVERY commits, FILES
# files in the work tree). Usage: sh bench/checkpoint.sh [REPOGUARD]
set -eu
RG=${1:-$(pwd)/repoguard}
COMMITS=${COMMITS:-20000}
EVERY=${EVERY:-40}
FILES=${FILES:-10000}
W=${BENCH_WORK:-$(pwd)/bench/work}/checkpoint
rm -rf "$W" && mkdir -p "$W" && cd "$W"
export TZ=UTC GIT_CONFIG_NOSYSTEM=1 HOME="$W"
git init -q repo && cd repo
git config user.name bench && git config user.email bench@example.com
# history: one file changed per commit, one commit a minute, lightweight tags
awk -v n="$COMMITS" -v every="$EVERY" -v files="$FILES" 'BEGIN {
	t = 1767225600
	print "blob"; print "mark :1"; print "data 2"; print "x"
	for (i = 1; i <= n; i++) {
		print "commit refs/heads/main"
		print "mark :" (i + 1)
		print "committer bench <bench@example.com> " (t + 60 * i) " +0000"
		msg = "c" (i % 100); print "data " length(msg); print msg
		if (i > 1) print "from :" i
		if (i == 1) for (f = 0; f < files; f++) { d = int(f / 100); printf "M 100644 :1 f/%d/%d\n", d, f }
		else print "M 100644 :1 g/" i
		if (i % every == 0) { print "reset refs/tags/checkpoint-" i; print "from :" (i + 1) }
	}
}' | git fast-import --quiet
git checkout -q main && git pack-refs --all
now=$((1767225600 + 60 * COMMITS + 600))
printf "[checkpoint]\nevery = 4h\non = pre-commit pre-push\n" >.repoguard.ini
echo "# $COMMITS commits, $((COMMITS / EVERY)) checkpoint tags, $FILES files"
hyperfine -N --warmup 2 --runs 20 \
	-n "pre-commit, checkpoint off" "env REPOGUARD_NOW=$now REPOGUARD_SKIP=checkpoint $RG pre-commit" \
	-n "pre-commit, checkpoint on" "env REPOGUARD_NOW=$now $RG pre-commit" \
	-n "status" "env REPOGUARD_NOW=$now $RG status"
# ci: the last 200 commits replayed; then with no checkpoint at all (the
# whole history is uncovered and walked)
base=$(git rev-parse main~200)
printf "[checkpoint]\nevery = 4h\non = ci\n" >"$W/ci.ini"
printf "[checkpoint]\nevery = 4h\non = ci\ntags = none-*\nname = none-%%s\n" >"$W/none.ini"
hyperfine -N --warmup 1 --runs 10 -i \
	-n "ci, 200 commits, checkpoints every $EVERY" "env REPOGUARD_NOW=$now $RG ci --base $base --config $W/ci.ini" \
	-n "ci, 200 commits, no checkpoint ($COMMITS commits walked)" "env REPOGUARD_NOW=$now $RG ci --base $base --config $W/none.ini"
# rollback: 100 modified, 100 untracked files, then restore
for i in $(seq 0 99); do echo m >>"f/$i/$((i * 100))"; echo n >"new$i"; done
hyperfine -N --runs 5 -n "rollback --dry-run" "env REPOGUARD_NOW=$now $RG rollback --dry-run"
hyperfine -N --runs 5 -n "git stash -u + pop (for scale)" \
	--prepare "true" "sh -c 'git stash -q -u && git stash pop -q'"
cat >"$W/roundtrip.sh" <<EOS
REPOGUARD_NOW=$now $RG rollback >/dev/null
$RG rollback "\$(git for-each-ref --sort=-refname --count=1 --format='%(refname)' refs/repoguard/backup/)" >/dev/null
EOS
hyperfine -N --runs 5 -n "rollback + restore (each saves, checks out, verifies)" "sh $W/roundtrip.sh"
git status --short | wc -l

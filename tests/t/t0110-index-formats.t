#!/bin/sh
# t0110: every index shape git writes gives the same answer: index v2, v3
# (extended flags), v4 (path compression), a split index (core.splitIndex),
# and an index without a valid cache-tree.
. "$(dirname "$0")/../lib/test-lib.sh"

# A staged state that every rule has something to say about: blocked paths,
# a large blob, a raw LFS file, a protected deletion, a rename, bulk adds,
# an intent-to-add entry and a modification.
staged_state() {
	printf "[protect]\npaths = keep.txt\nmax_deleted_files = 1\n[bulk]\nmax_added_files = 3\n" >.repoguard.ini &&
	echo "*.psd filter=lfs diff=lfs merge=lfs -text" >.gitattributes &&
	mkdir -p src/deep/er docs &&
	echo keep >keep.txt && echo old >old.txt && echo gone >gone.txt &&
	for i in 1 2 3 4 5 6; do echo "$i" >"src/deep/er/f$i.ts"; done &&
	echo d >docs/readme.md &&
	git add . && git commit --no-verify -qm base &&
	git rm -q keep.txt gone.txt && git mv old.txt src/renamed.txt &&
	mkdir -p web/node_modules/react .vite &&
	echo r >web/node_modules/react/index.js && echo v >.vite/cache &&
	head -c 6000000 /dev/zero >src/deep/big.bin &&
	echo rawpixels >art.psd &&
	echo changed >>src/deep/er/f3.ts && echo new >src/deep/er/f9.ts &&
	echo later >ita.txt && git add -N ita.txt &&
	git add web .vite src art.psd
}

# out FILE: the json report and the exit status of `repoguard pre-commit`
report() {
	set +e
	"$RG" pre-commit --format json >"$1" 2>"$1.err"
	echo "exit $?" >>"$1"
	set -e
}

index_version() {
	head -c 8 "$1" | tail -c 1 | od -An -tu1 | tr -d " "
}

test_expect_success 'setup: reference report from an index v2/v3' '
	new_repo r && cd r &&
	staged_state &&
	git update-index --index-version 2 &&
	test "$(index_version .git/index)" = 3 &&
	report "$TRASH/v2.json" &&
	contains "$TRASH/v2.json" "exit 1" &&
	contains "$TRASH/v2.json" "\"rule\": \"block\"" &&
	contains "$TRASH/v2.json" "\"rule\": \"size\"" &&
	contains "$TRASH/v2.json" "\"rule\": \"lfs\"" &&
	contains "$TRASH/v2.json" "\"rule\": \"bulk\"" &&
	contains "$TRASH/v2.json" "keep.txt" &&
	contains "$TRASH/v2.json" "2 files deleted in one commit" &&
	lacks "$TRASH/v2.json" "ita.txt"
'

test_expect_success 'index v4 gives the same report as v2/v3' '
	cd r &&
	git update-index --index-version 4 &&
	test "$(index_version .git/index)" = 4 &&
	report "$TRASH/v4.json" &&
	cmp "$TRASH/v2.json" "$TRASH/v4.json" &&
	git update-index --index-version 2
'

test_expect_success 'an index without a valid cache-tree gives the same report' '
	cd r &&
	cp .git/index "$TRASH/index.notree" &&
	GIT_INDEX_FILE="$TRASH/index.notree" git rm -r -q --cached . &&
	GIT_INDEX_FILE="$TRASH/index.notree" git add -A -- . ":!ita.txt" &&
	GIT_INDEX_FILE="$TRASH/index.notree" git add -N ita.txt &&
	GIT_INDEX_FILE="$TRASH/index.notree" report "$TRASH/notree.json" &&
	cmp "$TRASH/v2.json" "$TRASH/notree.json"
'

test_expect_success 'a split index (core.splitIndex) gives the same report' '
	cd r &&
	git config core.splitIndex true &&
	git update-index --split-index &&
	ls .git/sharedindex.* >/dev/null &&
	report "$TRASH/split.json" &&
	cmp "$TRASH/v2.json" "$TRASH/split.json"
'

test_expect_success 'split index with replaced, deleted and added entries after the split' '
	cd r &&
	git reset -q --hard && git clean -qfdx -e .repoguard.ini &&
	git config splitIndex.maxPercentChange 100 &&
	git update-index --no-split-index && rm -f .git/sharedindex.* &&
	git update-index --split-index &&
	shared=$(ls .git/sharedindex.*) &&
	git rm -q keep.txt && echo more >>src/deep/er/f1.ts && git add src/deep/er/f1.ts &&
	mkdir -p node_modules && echo x >node_modules/x.js && git add node_modules &&
	test "$(ls .git/sharedindex.*)" = "$shared" &&
	grep -qa "link" .git/index && ! grep -qa "link" "$shared" &&
	report "$TRASH/split2.json" &&
	cp .git/index "$TRASH/index.full" && cp "$shared" "$TRASH/" &&
	GIT_INDEX_FILE="$TRASH/index.full" git -c core.splitIndex=false update-index --no-split-index &&
	! grep -qa "link" "$TRASH/index.full" &&
	GIT_INDEX_FILE="$TRASH/index.full" report "$TRASH/full2.json" &&
	cmp "$TRASH/full2.json" "$TRASH/split2.json" &&
	contains "$TRASH/split2.json" "\"path\": \"keep.txt\"" &&
	contains "$TRASH/split2.json" "\"path\": \"node_modules\"" &&
	contains "$TRASH/split2.json" "exit 1"
'

test_expect_success 'split index through git commit -a and git commit <path> (GIT_INDEX_FILE)' '
	cd r &&
	git reset -q --hard && git clean -qfdx -e .repoguard.ini && rm -f .repoguard.ini &&
	git update-index --split-index &&
	before=$(git rev-parse HEAD) &&
	head -c 6000000 /dev/zero >src/deep/er/f2.ts &&
	expect_code 1 git commit -qam big &&
	contains "$TRASH/stderr" "error[size] src/deep/er/f2.ts" &&
	test "$(git rev-parse HEAD)" = "$before" &&
	expect_code 1 git commit -qm big src/deep/er/f2.ts &&
	contains "$TRASH/stderr" "error[size] src/deep/er/f2.ts" &&
	git checkout -q -- src && echo fine >>src/deep/er/f2.ts &&
	git commit -qam fine && test "$(git log -1 --format=%s)" = fine
'

test_expect_success 'a missing shared index is an error naming it, not a silent pass' '
	cd r &&
	git update-index --split-index &&
	echo y >y && git add y &&
	mkdir -p "$TRASH/hide" && mv .git/sharedindex.* "$TRASH/hide/" &&
	expect_code 4 "$RG" pre-commit &&
	contains "$TRASH/stderr" "sharedindex." &&
	mv "$TRASH"/hide/sharedindex.* .git/
'

test_expect_success 'a shared index that is itself split is refused, not followed forever' '
	cd r &&
	git update-index --no-split-index && rm -f .git/sharedindex.* &&
	git update-index --split-index &&
	shared=$(ls .git/sharedindex.*) &&
	cp "$shared" "$TRASH/shared.bak" && rm -f "$shared" && cp .git/index "$shared" &&
	expect_code 4 "$RG" pre-commit &&
	contains "$TRASH/stderr" "shared index is itself split" &&
	rm -f "$shared" && cp "$TRASH/shared.bak" "$shared" &&
	git update-index --no-split-index
'

test_expect_success 'a split index in a linked worktree' '
	cd r &&
	git worktree add -q ../r-wt -b wt &&
	cd ../r-wt &&
	git update-index --split-index &&
	test -n "$(ls "$(git rev-parse --git-dir)"/sharedindex.*)" &&
	mkdir node_modules && echo x >node_modules/x.js && git add node_modules &&
	expect_code 1 git commit -qm wt &&
	contains "$TRASH/stderr" "error[block] node_modules/: 1 file"
'

test_expect_success 'a sparse index: changes inside sparse directories are seen' '
	new_repo sp && cd sp &&
	printf "[protect]\npaths = b/keep.txt\n" >.repoguard.ini &&
	mkdir -p a b/c && echo 1 >a/x && echo 2 >b/c/y && echo k >b/keep.txt && echo 3 >top &&
	echo "*.psd filter=lfs" >b/c/.gitattributes &&
	git add . && git commit -qm one &&
	echo raw >b/c/art.psd && echo raw >b/art.psd &&
	echo 22 >b/c/y && git rm -q b/keep.txt && mkdir -p b/node_modules/m new/node_modules &&
	echo m >b/node_modules/m/i.js && echo n >new/node_modules/n.js &&
	git add b new && git commit --no-verify -qm two &&
	git sparse-checkout init --cone --sparse-index && git sparse-checkout set a &&
	git ls-files --sparse >sparse && contains sparse "b/" && contains sparse "new/" &&
	grep -qa sdir .git/index &&
	git reset -q --soft HEAD~1 &&
	report "$TRASH/sparse.json" &&
	contains "$TRASH/sparse.json" "exit 1" &&
	contains "$TRASH/sparse.json" "\"path\": \"b/node_modules\"" &&
	contains "$TRASH/sparse.json" "\"path\": \"new/node_modules\"" &&
	contains "$TRASH/sparse.json" "\"path\": \"b/keep.txt\"" &&
	contains "$TRASH/sparse.json" "\"rule\": \"lfs\", \"severity\": \"error\", \"path\": \"b/c/art.psd\"" &&
	lacks "$TRASH/sparse.json" "\"path\": \"b/art.psd\"" &&
	git sparse-checkout disable &&
	! grep -qa sdir .git/index &&
	report "$TRASH/full.json" &&
	cmp "$TRASH/full.json" "$TRASH/sparse.json"
'

test_done

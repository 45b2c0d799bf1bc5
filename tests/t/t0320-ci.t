#!/bin/sh
# t0320: `repoguard ci --base REV [--head REV]` on pull-request-shaped
# histories: merge-base(base, head)..head, merges against their first parent
# without what their other parents already have.
. "$(dirname "$0")/../lib/test-lib.sh"

commit() { # commit FILE CONTENT MSG (no hooks)
	mkdir -p "$(dirname "$1")" && echo "$2" >"$1" && git add "$1" && git commit -qm "$3" --no-verify
}

# pr: main base-m1-m2, feature from base: f1 (adds node_modules) f2 (removes it),
# a merge of main, then f3.
test_expect_success 'setup a pull-request history with a merge' '
	git init -q pr && cd pr &&
	commit README base base &&
	git checkout -qb feature &&
	commit node_modules/x.js 1 f1 && git rev-parse HEAD >"$TRASH/f1" &&
	git rm -rq node_modules && git commit -qm f2 &&
	git checkout -q main && commit m1 1 m1 && commit m2 2 m2 &&
	git checkout -q feature && git merge -q --no-edit main &&
	commit f3 3 f3 && git checkout -q main
'

test_expect_success 'ci reports the commit that added the path, though a later one removed it' '
	cd pr &&
	expect_code 1 "$RG" ci --base main --head feature &&
	contains "$TRASH/stdout" "error[block] $(cut -c1-12 "$TRASH/f1"):node_modules/" &&
	contains "$TRASH/stdout" "repoguard ci: 1 error"
'

test_expect_success 'a node_modules symbolic link and a Node_Modules/ case variant in a range are blocked' '
	git init -q prlink && cd prlink &&
	commit README base base &&
	git checkout -qb feature &&
	ln -s vendor node_modules && git add node_modules && git commit -qm link --no-verify &&
	commit web/Node_Modules/a.js 1 variant &&
	expect_code 1 "$RG" ci --base main --head feature &&
	contains "$TRASH/stdout" "error[block] $(git rev-parse HEAD~1 | cut -c1-12):node_modules: a symbolic link" &&
	contains "$TRASH/stdout" "error[block] $(git rev-parse HEAD | cut -c1-12):web/Node_Modules/: 1 file" &&
	contains "$TRASH/stdout" "repoguard ci: 2 errors"
'

test_expect_success 'HEAD is the default head; main..main is empty and clean' '
	cd pr && "$RG" ci --base main >out && test ! -s out &&
	git checkout -q feature && expect_code 1 "$RG" ci --base main && git checkout -q main
'

test_expect_success 'commits only on the base are not in the range' '
	cd pr &&
	git checkout -q -b bad-main main && commit node_modules/y.js 2 "bad on main" &&
	git checkout -q -b clean-pr main~0 && git reset -q --hard main && commit c 1 c &&
	"$RG" ci --base bad-main --head clean-pr >out 2>&1 &&
	git checkout -q main
'

test_expect_success 'json lists every commit of the range with its finding' '
	cd pr &&
	expect_code 1 "$RG" ci --base main --head feature --format json &&
	contains "$TRASH/stdout" "\"commit\": \"$(cat "$TRASH/f1")\"" &&
	contains "$TRASH/stdout" "\"errors\": 1"
'

test_expect_success 'the rules are the base'"'"'s, not the pull request'"'"'s' '
	cd pr &&
	git checkout -q -b weaken main &&
	printf "[block]\nseverity = off\n" >.repoguard.ini && git add .repoguard.ini &&
	git commit -qm "switch it off" --no-verify &&
	commit node_modules/z.js 1 deps &&
	expect_code 1 "$RG" ci --base main --head weaken &&
	contains "$TRASH/stdout" "node_modules/" &&
	"$RG" ci --base weaken --head weaken~0 &&
	git checkout -q main
'

test_expect_success 'unknown revisions are usage errors' '
	cd pr &&
	expect_code 2 "$RG" ci --base nope &&
	contains "$TRASH/stderr" "--base '"'"'nope'"'"' is not a revision" &&
	expect_code 2 "$RG" ci --base main --head nope &&
	expect_code 2 "$RG" ci --base main --config "" &&
	contains "$TRASH/stderr" "--config needs a file name" &&
	expect_code 2 "$RG" ci
'

test_expect_success 'a shallow clone without the merge base is an error with the fetch hint' '
	git clone -q --depth 1 --branch feature "file://$TRASH/pr" shallow &&
	cd shallow && git fetch -q --depth 1 origin main:refs/remotes/origin/main &&
	expect_code 4 "$RG" ci --base origin/main &&
	contains "$TRASH/stderr" "shallow clone" &&
	contains "$TRASH/stderr" "fetch-depth: 0"
'

test_expect_success 'a shallow clone deep enough for the range gives the full answer' '
	git clone -q --depth 6 --branch feature "file://$TRASH/pr" deep &&
	cd deep && git fetch -q --depth 3 origin main:refs/remotes/origin/main &&
	test -f .git/shallow &&
	expect_code 1 "$RG" ci --base origin/main &&
	contains "$TRASH/stdout" "$(cut -c1-12 "$TRASH/f1"):node_modules/" &&
	contains "$TRASH/stdout" "repoguard ci: 1 error"
'

test_expect_success 'a shallow clone cut inside the range is an error, not a partial answer' '
	git clone -q --depth 3 --branch feature "file://$TRASH/pr" cut &&
	cd cut && git fetch -q --depth 1 origin main:refs/remotes/origin/main &&
	expect_code 4 "$RG" ci --base origin/main &&
	contains "$TRASH/stderr" "edge of this shallow clone" &&
	contains "$TRASH/stderr" "fetch-depth: 0"
'

test_expect_success 'after fetching the history the shallow clone gives the full answer' '
	cd shallow && git fetch -q --unshallow origin &&
	expect_code 1 "$RG" ci --base origin/main &&
	contains "$TRASH/stdout" "$(cut -c1-12 "$TRASH/f1"):node_modules/"
'

# Every commit adds a file over [size] max_file_size (each merge one of its
# own: what a merge brings from its other parents is not its finding), so the
# findings name exactly the commits walked: the shallow walk must give git's
# own set.
test_expect_success 'setup a history with merges both ways and a criss-cross' '
	git init -q mx && cd mx &&
	merge() { git merge -q --no-ff --no-commit "$1" && echo "$2" >"$2" && git add "$2" &&
		git commit -q --no-edit --no-verify; } &&
	printf "[size]\nmax_file_size = 1\n" >.repoguard.ini && git add .repoguard.ini && commit README base base &&
	for i in 1 2 3 4 5 6; do commit README "base $i" "base $i"; done &&
	git tag base && git checkout -qb topic &&
	commit t1 topic-1 t1 && git checkout -q main && commit m1 main-1 m1 &&
	git checkout -q topic && merge main x1 && commit t2 topic-2 t2 &&
	git checkout -qb other main && commit o1 other-1 o1 &&
	git checkout -q main && merge topic x2 && commit m2 main-2 m2 &&
	git checkout -q topic && merge other x3 && commit t3 topic-3 t3 &&
	git checkout -q other && merge main~1 x4 && commit o2 other-2 o2 &&
	git checkout -q topic && merge other x5 && commit t4 topic-4 t4 &&
	git checkout -q main
'

test_expect_success 'a shallow clone deep enough walks exactly the commits git lists' '
	cd mx &&
	git rev-list topic ^main | sort >"$TRASH/mx-want" &&
	expect_code 1 "$RG" ci --base main --head topic --format json &&
	grep -o "\"commit\": \"[0-9a-f]*\"" "$TRASH/stdout" | cut -d\" -f4 | sort -u >"$TRASH/mx-full" &&
	cmp "$TRASH/mx-want" "$TRASH/mx-full" &&
	cd .. && git clone -q --depth 7 --no-single-branch "file://$TRASH/mx" mxs && cd mxs &&
	test -f .git/shallow &&
	expect_code 1 "$RG" ci --base origin/main --head origin/topic --format json &&
	grep -o "\"commit\": \"[0-9a-f]*\"" "$TRASH/stdout" | cut -d\" -f4 | sort -u >"$TRASH/mx-shallow" &&
	cmp "$TRASH/mx-want" "$TRASH/mx-shallow"
'

# main's debt (a secret, files in three commits each under [bulk]) merged into
# a feature branch is main's, not the merge's; only what the merge itself
# changes beyond its parents (an evil merge, a conflict resolution) is its own.
test_expect_success 'setup main with debt merged into a feature branch' '
	git init -q md && cd md &&
	printf "[bulk]\nmax_added_files = 3\n" >.repoguard.ini && git add .repoguard.ini && commit README base base &&
	git checkout -qb feat && commit f feat f &&
	git checkout -q main &&
	echo "T=$(gen_key ghp_ 36 "$B32" 7)" >legacy.cfg && git add legacy.cfg && git commit -qm legacy --no-verify &&
	for i in 1 2 3; do mkdir -p d$i && for j in 1 2; do echo $j >d$i/$j; done &&
		git add d$i && git commit -qm "d$i" --no-verify; done &&
	git checkout -q feat && git merge -q --no-edit main &&
	git tag plain-merge
'

test_expect_success 'a merge of main into a feature branch does not carry main'"'"'s debt' '
	cd md &&
	"$RG" ci --base main --head feat >out 2>&1 &&
	lacks out legacy.cfg && lacks out bulk &&
	expect_code 1 "$RG" ci --base main~4 --head feat &&
	contains "$TRASH/stdout" "$(git rev-parse --short=12 main~3):legacy.cfg:1" &&
	lacks "$TRASH/stdout" "$(git rev-parse --short=12 feat):"
'

test_expect_success 'an evil merge: a secret added in the merge commit itself still fails' '
	cd md &&
	git checkout -q -b evil feat~1 && git merge -q --no-commit main &&
	echo "K=$(gen_key ghp_ 36 "$B32" 8)" >evil.cfg && git add evil.cfg &&
	git commit -q --no-edit --no-verify &&
	expect_code 1 "$RG" ci --base main --head evil &&
	contains "$TRASH/stdout" "$(git rev-parse --short=12 evil):evil.cfg:1" &&
	lacks "$TRASH/stdout" legacy.cfg &&
	contains "$TRASH/stdout" "repoguard ci: 1 error"
'

test_expect_success 'a conflict resolution differs from both parents and is checked' '
	cd md &&
	git checkout -q -b side main && echo main >f2 && git add f2 && git commit -qm m-f2 --no-verify &&
	git checkout -q -b res feat && echo feat >f2 && git add f2 && git commit -qm f-f2 --no-verify &&
	expect_code 1 git merge -q side &&
	echo "R=$(gen_key ghp_ 36 "$B32" 9)" >f2 && git add f2 && git commit -q --no-edit --no-verify &&
	expect_code 1 "$RG" ci --base side --head res &&
	contains "$TRASH/stdout" "$(git rev-parse --short=12 res):f2:1" &&
	lacks "$TRASH/stdout" legacy.cfg &&
	git checkout -q main
'

test_expect_success 'a file both sides changed, merged cleanly: only lines new to both parents count' '
	git init -q ml && cd ml &&
	printf "a\nb\nc\nd\ne\nf\n" >config.py && git add config.py && commit README base base &&
	git checkout -qb feat && sed -i "s/^f\$/f feat/" config.py && git commit -qam "feat edits f" &&
	git checkout -q main &&
	sed -i "s/^a\$/a\nT = \"$(gen_key ghp_ 36 "$B32" 10)\"/" config.py && git commit -qam legacy --no-verify &&
	git checkout -q feat && git merge -q --no-edit main &&
	test "$(git rev-parse HEAD^{tree})" != "$(git rev-parse main^{tree})" &&
	"$RG" ci --base main --head feat >out 2>&1 && lacks out config.py &&
	git checkout -q -b evil2 feat~1 && git merge -q --no-commit main &&
	echo "K = \"$(gen_key ghp_ 36 "$B32" 11)\"" >>config.py && git add config.py &&
	git commit -q --no-edit --no-verify &&
	expect_code 1 "$RG" ci --base main --head evil2 &&
	contains "$TRASH/stdout" "$(git rev-parse --short=12 evil2):config.py:8" &&
	lacks "$TRASH/stdout" "config.py:2"
'

test_expect_success 'a file the branch renamed and main edited: main'"'"'s lines are main'"'"'s, the merge'"'"'s own still count' '
	git init -q mr && cd mr &&
	printf "a\nb\nc\nd\ne\nf\n" >config.py && git add config.py && commit README base base &&
	git checkout -qb feat && git mv config.py settings.py && git commit -qm "rename" &&
	git checkout -q main &&
	sed -i "s/^a\$/a\nT = \"$(gen_key ghp_ 36 "$B32" 12)\"/" config.py && git commit -qam legacy --no-verify &&
	git checkout -q feat && git merge -q --no-edit main &&
	git show HEAD:settings.py | grep -q "^T = " &&
	"$RG" ci --base main --head feat >out 2>&1 && lacks out settings.py &&
	git checkout -q -b evil3 feat~1 && git merge -q --no-commit main &&
	echo "K = \"$(gen_key ghp_ 36 "$B32" 13)\"" >>settings.py && git add settings.py &&
	git commit -q --no-edit --no-verify &&
	expect_code 1 "$RG" ci --base main --head evil3 &&
	contains "$TRASH/stdout" "$(git rev-parse --short=12 evil3):settings.py:8" &&
	lacks "$TRASH/stdout" "settings.py:2" &&
	git checkout -q -b pc feat~1 && git merge -q --no-commit main &&
	"$RG" pre-commit >out 2>&1 && lacks out settings.py &&
	git merge --abort
'

test_expect_success 'main renamed a file the branch edited: the branch'"'"'s lines are its own, not the merge'"'"'s' '
	git init -q mr2 && cd mr2 &&
	printf "a\nb\nc\nd\ne\nf\n" >config.py && git add config.py && commit README base base &&
	git checkout -qb feat &&
	sed -i "s/^f\$/f\nK = \"$(gen_key ghp_ 36 "$B32" 14)\"/" config.py && git commit -qam "feat edits" --no-verify &&
	git checkout -q main && git mv config.py settings.py && git commit -qm "rename" &&
	git checkout -q feat && git merge -q --no-edit main &&
	git show HEAD:settings.py | grep -q "^K = " &&
	"$RG" ci --base feat~1 --head feat >out 2>&1 && lacks out settings.py &&
	expect_code 1 "$RG" ci --base main --head feat &&
	contains "$TRASH/stdout" "$(git rev-parse --short=12 feat~1):config.py:7" &&
	lacks "$TRASH/stdout" settings.py &&
	git checkout -q -b evil4 feat~1 && git merge -q --no-commit main &&
	"$RG" pre-commit >out 2>&1 && lacks out settings.py &&
	echo "Z = \"$(gen_key ghp_ 36 "$B32" 15)\"" >>settings.py && git add settings.py &&
	expect_code 1 "$RG" pre-commit &&
	contains "$TRASH/stderr" "settings.py:8" && lacks "$TRASH/stderr" "settings.py:7" &&
	git commit -q --no-edit --no-verify &&
	expect_code 1 "$RG" ci --base feat~1 --head evil4 &&
	contains "$TRASH/stdout" "$(git rev-parse --short=12 evil4):settings.py:8" &&
	contains "$TRASH/stdout" "repoguard ci: 1 error"
'

test_expect_success 'an octopus merge: lines any of its parents has are theirs; its own still count' '
	git init -q mo && cd mo &&
	printf "a\nb\nc\nd\ne\nf\ng\nh\n" >config.py && git add config.py && commit README base base &&
	git checkout -qb b1 && sed -i "s/^a\$/a b1/" config.py && git commit -qam b1 &&
	git checkout -qb b2 main && sed -i "s/^h\$/h b2/" config.py && git commit -qam b2 &&
	git checkout -qb b3 main &&
	sed -i "s/^d\$/d\nK = \"$(gen_key ghp_ 36 "$B32" 16)\"/" config.py && git commit -qam b3 --no-verify &&
	git checkout -qb oct b1 && git merge -q --no-edit b2 b3 >/dev/null 2>&1 &&
	test "$(git rev-list --parents -1 HEAD | wc -w)" = 4 &&
	"$RG" ci --base b3 --head oct >out 2>&1 && lacks out config.py &&
	git checkout -qb evil5 b1 && git merge -q --no-commit b2 b3 >/dev/null 2>&1 &&
	echo "Z = \"$(gen_key ghp_ 36 "$B32" 17)\"" >>config.py && git add config.py &&
	git commit -q --no-edit --no-verify &&
	expect_code 1 "$RG" ci --base b3 --head evil5 &&
	contains "$TRASH/stdout" "$(git rev-parse --short=12 evil5):config.py:10" &&
	contains "$TRASH/stdout" "repoguard ci: 1 error"
'

test_expect_success 'a merge that undoes the first parent (deletes what it added, restores what it removed) is its own' '
	git init -q mu && cd mu &&
	printf "[protect]\npaths = billing.ts\n" >.repoguard.ini && git add .repoguard.ini &&
	mkdir node_modules && echo x >node_modules/x.js && git add -f node_modules && commit README base base &&
	git checkout -qb feat && commit f feat f &&
	git checkout -q main && echo critical >billing.ts && git add billing.ts && git commit -qm "add billing" &&
	git rm -rq node_modules && git commit -qm "drop node_modules" && git tag before &&
	git merge -q --no-commit feat && git rm -q billing.ts &&
	git checkout feat -- node_modules && git commit -q --no-verify -m "Merge feat" &&
	expect_code 1 "$RG" ci --base before --head main &&
	contains "$TRASH/stdout" "error[protect] $(git rev-parse --short=12 main):billing.ts" &&
	contains "$TRASH/stdout" "error[block] $(git rev-parse --short=12 main):node_modules/" &&
	git checkout -q -b honest before && git merge -q --no-edit feat &&
	"$RG" ci --base before --head honest
'

# every commit keeps billing.ts against its first parent, yet main loses it:
# the merge made with -s ours has feat's tree, and main fast-forwards to it
test_expect_success 'ci: a fast-forward to a merge made with -s ours loses a protected file' '
	git init -q ours && cd ours &&
	printf "[protect]\npaths = billing.ts\n" >.repoguard.ini && git add .repoguard.ini &&
	git commit -qm protect &&
	git checkout -qb feat && commit f f f &&
	git checkout -q main && commit billing.ts b billing && old=$(git rev-parse main) &&
	git checkout -q feat && git merge -q -s ours --no-edit main &&
	git checkout -q main && git merge -q --ff-only feat && new=$(git rev-parse --short=12 main) &&
	expect_code 1 "$RG" ci --base "main@{1}" --head main &&
	contains "$TRASH/stdout" "error[protect] $new:billing.ts: protected, and gone from refs/heads/main: at its old tip $(echo $old | cut -c1-12), not at the new tip $new" &&
	contains "$TRASH/stdout" "repoguard ci: 1 error" &&
	expect_code 1 "$RG" ci --base "$old" --head feat &&
	contains "$TRASH/stdout" "gone from refs/heads/feat"
'

test_expect_success 'ci: a protected file edited, kept by a merge, or deleted in a commit: no net finding' '
	cd ours && git reset -q --hard "main@{1}" && git branch -qf feat HEAD~1 &&
	commit billing.ts edit edit &&
	git checkout -q feat && git merge -q --no-edit main && git checkout -q main &&
	"$RG" ci --base main --head feat >out && lacks out "error[" &&
	"$RG" ci --base main~1 --head main >out && lacks out "error[" &&
	git rm -q billing.ts && git commit -qm gone --no-verify &&
	expect_code 1 "$RG" ci --base main~1 --head main &&
	test "$(grep -c "error\[protect\]" "$TRASH/stdout")" = 1 &&
	contains "$TRASH/stdout" "billing.ts: protected, must not be deleted" &&
	lacks "$TRASH/stdout" "gone from" &&
	git checkout -qb late main~3 && commit other o other &&
	"$RG" ci --base main~1 --head late >out && lacks out "error["
'

# criss-cross histories have two merge bases: a side "changed" a path when it
# differs from either (git's virtual base may hold either version)
test_expect_success 'criss-cross merges: an honest merge passes; ci with two merge bases compares no tips' '
	git init -q cc && cd cc &&
	printf "[protect]\npaths = P.txt\n" >.repoguard.ini && git add .repoguard.ini &&
	echo "token = $(gen_key ghp_ 36 "$B32" 12)" >s.txt && echo p >P.txt && git add s.txt P.txt &&
	git commit -qm R --no-verify &&
	git switch -qc B && commit b.txt b B0 && git tag B0 &&
	git switch -q main && git rm -q s.txt P.txt && GIT_COMMITTER_DATE=2026-01-01T00:00:00Z git commit -qm A0 --no-verify &&
	git tag A0 && git merge -q --no-edit B0 -m A1 &&
	git switch -q B && git merge -q --no-edit A0 -m B1 &&
	git revert --no-edit -m 1 HEAD >/dev/null &&
	git switch -q main && git merge -q --no-edit B -m M &&
	test -z "$(git show --cc --format= HEAD)" &&
	"$RG" ci --base B --head main >out 2>&1 && lacks out "error[" &&
	git switch -q -c pr B0 && git merge -q --no-edit A0 -m H &&
	"$RG" ci --base main --head pr >out 2>&1 && lacks out "gone from"
'

# a commit's blobs are spread over threads by the size of its own first blobs
# (regression: the counts of every earlier commit decided)
test_expect_success 'ci spreads a commit of larger blobs over threads after a commit of tiny ones' '
	if [ "$(getconf _NPROCESSORS_ONLN)" -lt 2 ]; then echo "# skipped: one CPU"; exit 0; fi
	git init -q spread && cd spread && commit README base base &&
	i=0 && while [ $i -lt 300 ]; do echo $i >t$i; i=$((i + 1)); done &&
	git add . && git commit -qm tiny --no-verify &&
	i=0 && while [ $i -lt 64 ]; do
		awk -v s=$i "BEGIN { for (k = 0; k < 20; k++) printf \"line %d of file %d, a few words\\n\", k, s }" >big$i.txt
		i=$((i + 1))
	done &&
	git add . && git commit -qm big --no-verify &&
	REPOGUARD_TRACE_READS=1 "$RG" ci --base HEAD~2 --head HEAD 2>"$TRASH/err" &&
	grep "blobs on" "$TRASH/err" >"$TRASH/spread.txt" &&
	test "$(wc -l <"$TRASH/spread.txt")" = 1 &&
	grep -E "^trace: 64 blobs on [2-8] threads, [1-7] with a repository of their own" "$TRASH/spread.txt"
'

# the threads' repositories share libgit2's packs and their delta-base caches:
# blobs stored as deltas of each other, read at once on several threads, give
# what one thread finds (make check-tsan runs this with a libgit2 built with
# ThreadSanitizer)
test_expect_success 'ci reads deltified packed blobs on several threads as on one' '
	git init -q deltas && cd deltas && commit README base base &&
	i=0 && while [ $i -lt 40 ]; do
		awk -v s=$i "BEGIN { for (k = 0; k < 60; k++) printf \"const value%d = compute(%d, %d); // file %d\\n\", k, k, s, s }" >d$i.js
		i=$((i + 1))
	done &&
	git add . && git commit -qm start --no-verify &&
	for c in 1 2 3 4; do
		i=0 && while [ $i -lt 40 ]; do
			echo "export const step$c = $i;" >>d$i.js
			i=$((i + 1))
		done &&
		echo "const t$c = \"$(gen_key ghp_ 36 "$B32" $((40 + c)))\";" >>d$((c * 7)).js &&
		git commit -qam "step $c" --no-verify || return 1
	done &&
	git repack -adq --depth=50 --window=50 &&
	git verify-pack -v .git/objects/pack/*.idx | awk "\$2 == \"blob\" && NF >= 7" >"$TRASH/delta-list" &&
	test "$(wc -l <"$TRASH/delta-list")" -ge 100 &&
	REPOGUARD_THREADS=4 REPOGUARD_TRACE_READS=1 expect_code 1 "$RG" ci --base HEAD~5 --head HEAD &&
	test "$(grep -c "blobs on 4 threads, 3 with a repository of their own" "$TRASH/stderr")" = 5 &&
	lacks "$TRASH/stderr" "cannot read" &&
	test "$(grep -c "error\[secrets.github-token\]" "$TRASH/stdout")" = 4 &&
	cp "$TRASH/stdout" "$TRASH/four" &&
	REPOGUARD_THREADS=1 expect_code 1 "$RG" ci --base HEAD~5 --head HEAD &&
	cmp "$TRASH/four" "$TRASH/stdout"
'

test_expect_success '--base in any revision form gives the base'"'"'s rules; a bad one is a usage error, not a configuration one' '
	git init -q cb && cd cb &&
	printf "[block]\npaths = secret_dir/\n" >.repoguard.ini && git add .repoguard.ini &&
	git commit -qm "base commit" --no-verify &&
	git checkout -qb feat && commit secret_dir/a x feat &&
	expect_code 1 "$RG" ci --base main && contains "$TRASH/stdout" "secret_dir/" &&
	expect_code 1 "$RG" ci --base ":/base commit" && contains "$TRASH/stdout" "secret_dir/" &&
	expect_code 1 "$RG" ci --base "main^{/base}" && contains "$TRASH/stdout" "secret_dir/" &&
	for bad in "" " " "main..feat" "nosuch"; do
		expect_code 2 "$RG" ci --base "$bad" &&
		contains "$TRASH/stderr" "--base '"'"'$bad'"'"' is not a revision" &&
		lacks "$TRASH/stderr" "configuration error" || return 1
	done
'

test_expect_success 'a committed .repoguard.ini that is a symbolic link: ci and a bare audit read what it points to' '
	git init -q sl && cd sl &&
	mkdir conf && printf "[protect]\npaths = keep.txt\n" >conf/rules.ini &&
	ln -s conf/rules.ini .repoguard.ini && echo keep >keep.txt &&
	git add . && git commit -qm base --no-verify &&
	git checkout -qb del && git rm -q keep.txt && git commit -qm del --no-verify &&
	expect_code 1 "$RG" ci --base main &&
	contains "$TRASH/stdout" "error[protect]" && contains "$TRASH/stdout" "keep.txt" &&
	lacks "$TRASH/stderr" "syntax error" &&
	git clone -q --bare . ../sl.git && "$RG" -C ../sl.git config >out &&
	contains out "paths = keep.txt" && contains out "HEAD:conf/rules.ini:2" &&
	git checkout -q main && git rm -q .repoguard.ini && ln -s ../outside.ini .repoguard.ini &&
	git add .repoguard.ini && git commit -qm "points outside" --no-verify &&
	expect_code 3 "$RG" ci --base main --head del &&
	contains "$TRASH/stderr" "main:.repoguard.ini is a symbolic link to '"'"'../outside.ini'"'"', outside the repository" &&
	git rm -q .repoguard.ini && ln -s conf/gone.ini .repoguard.ini &&
	git add .repoguard.ini && git commit -qm "points to nothing" --no-verify &&
	expect_code 3 "$RG" ci --base main --head del &&
	contains "$TRASH/stderr" "main:.repoguard.ini is a symbolic link to '"'"'conf/gone.ini'"'"', which main does not have"
'

test_done

#!/bin/sh
# t0700: repoguard audit on histories built with the real git: blocked paths
# added, removed on a side branch and merged; root .vite/ next to
# node_modules/.vite; a repository that still carries node_modules at HEAD;
# bare repositories, worktrees, shallow clones and missing objects.
. "$(dirname "$0")/../lib/test-lib.sh"

short() { git rev-parse --short=10 "$1"; }
long12() { git rev-parse "$1" | cut -c1-12; }

# The incident history:
#   main:    base - B (adds node_modules/ with node_modules/.vite, and .vite/) - D ------- M - E
#                     \                                                            /
#   cleanup:           C (git rm -r node_modules) --------------------------------
#   old:     B (a branch left behind, still carrying node_modules)
make_incident() {
	git init -q "$1" && (
		cd "$1" &&
		echo base >README && git add README && git commit -qm base &&
		mkdir -p node_modules/a node_modules/b node_modules/.vite/deps .vite &&
		echo aaaa >node_modules/a/index.js && echo bbbb >node_modules/b/index.js &&
		echo cccc >node_modules/.vite/deps/c.js && echo "{}" >.vite/cache.json &&
		git add -A && git commit -qm "add deps" && git branch old &&
		git checkout -qb cleanup && git rm -rq node_modules && git commit -qm "remove node_modules" &&
		git checkout -q main && echo more >>README && git commit -qam D &&
		git merge -q --no-edit cleanup && echo e >e && git add e && git commit -qm E
	)
}

test_expect_success 'clean repository: every section, exit 0' '
	git init -q clean && cd clean &&
	echo hello >README && git add README && git commit -qm init &&
	expect_code 0 "$RG" audit --history &&
	contains "$TRASH/stdout" "== tree: HEAD $(short HEAD): clean" &&
	contains "$TRASH/stdout" "== history: 1 commit on 2 refs: no blocked path" &&
	contains "$TRASH/stdout" "rules on (block, size, lfs, bulk, protect" &&
	contains "$TRASH/stdout" "note[config.unmatched] block pattern '"'"'node_modules/'"'"'"
'

test_expect_success 'a protected file replaced by a symbolic link (committed with --no-verify) is reported; a protected link that always was one is not' '
	git init -q protlink && cd protlink &&
	mkdir -p src/services && echo "export const bill = 1" >src/services/billing.ts && ln -s AGENTS.md CLAUDE.md && echo a >AGENTS.md &&
	printf "[protect]\npaths = src/services/billing.ts /CLAUDE.md\n" >.repoguard.ini &&
	git add -A && git commit -qm base && echo more >>AGENTS.md && git commit -qam more &&
	rm src/services/billing.ts && ln -s ../../AGENTS.md src/services/billing.ts &&
	git add -A && git commit -qm "link it" && git commit -q --allow-empty -m later &&
	expect_code 1 "$RG" audit &&
	contains "$TRASH/stdout" "error[protect] src/services/billing.ts: protected, and replaced by a symbolic link in $(short HEAD~1)" &&
	lacks "$TRASH/stdout" "CLAUDE.md: protected" &&
	fix=$(sed -n "s/^    \(git checkout .*\)/\1/p" "$TRASH/stdout") && test -n "$fix" && eval "$fix" &&
	test "$(git ls-tree HEAD src/services/billing.ts | cut -c1-6)" = 100644 &&
	expect_code 0 "$RG" audit
'

test_expect_success 'protected folders replaced by a symbolic link or a submodule (committed with --no-verify) are reported; a submodule that always was one is not' '
	git init -q protdir && cd protdir &&
	git init -q ../protdir-lib && git -C ../protdir-lib commit -q --allow-empty -m lib &&
	lib=$(git -C ../protdir-lib rev-parse HEAD) &&
	mkdir -p db/migrations app/migrations && echo a >db/migrations/1.sql && echo b >app/migrations/1.sql &&
	mkdir -p api/migrations && echo c >api/migrations/1.sql &&
	printf "[protect]\npaths = migrations/\n" >.repoguard.ini &&
	git add -A && git update-index --add --cacheinfo 160000,$lib,vendor/migrations &&
	git commit -qm base &&
	git rm -rq db/migrations && mkdir -p db && ln -s ../api/migrations db/migrations && git add db/migrations &&
	git commit -q --no-verify -m "link it" &&
	git rm -rq app/migrations && git update-index --add --cacheinfo 160000,$lib,app/migrations &&
	git commit -q --no-verify -m "submodule it" && git commit -q --allow-empty -m later &&
	expect_code 1 "$RG" audit &&
	contains "$TRASH/stdout" "error[protect] db/migrations/: protected, and replaced by a symbolic link in $(short HEAD~2): HEAD has no folder there" &&
	contains "$TRASH/stdout" "error[protect] app/migrations/: protected, and replaced by a submodule in $(short HEAD~1): HEAD has no folder there" &&
	lacks "$TRASH/stdout" "vendor/migrations" &&
	test "$(grep -c "error\[protect\]" "$TRASH/stdout")" = 2 &&
	sed -n "s/^    \(git checkout .*\)/\1/p" "$TRASH/stdout" >fixes && test "$(wc -l <fixes)" -eq 2 &&
	sh fixes &&
	test "$(git ls-tree HEAD db/migrations/1.sql | cut -c1-6)" = 100644 &&
	test "$(git ls-tree HEAD app/migrations/1.sql | cut -c1-6)" = 100644 &&
	expect_code 0 "$RG" audit
'

test_expect_success 'a node_modules symbolic link and a Node_Modules/ case variant are blocked paths, at HEAD and in history' '
	git init -q linked && cd linked &&
	echo hello >README && git add README && git commit -qm init &&
	ln -s ../store node_modules && mkdir -p web/Node_Modules && echo x >web/Node_Modules/x.js &&
	git add -A && git commit -qm deps &&
	expect_code 1 "$RG" audit --history &&
	contains "$TRASH/stdout" "error[block] node_modules: 1 file, 8 bytes tracked at HEAD" &&
	contains "$TRASH/stdout" "error[block] web/Node_Modules/: 1 file" &&
	contains "$TRASH/stdout" "error[history.block] $(long12 HEAD):node_modules: introduced" &&
	contains "$TRASH/stdout" "printf '"'"'\\n%s\\n'"'"' node_modules >> .gitignore" &&
	git config core.ignorecase false &&
	grep -h ">> .gitignore\$" "$TRASH/stdout" | sort -u >fixes && test "$(wc -l <fixes)" -eq 2 &&
	git rm -r -q --cached node_modules web && sh fixes &&
	git check-ignore -q node_modules && git check-ignore -q web/Node_Modules/x.js
'

test_expect_success 'node_modules/ still at HEAD: tree section per directory, exit 1' '
	git init -q carry && cd carry &&
	mkdir -p node_modules/x web/node_modules/y src &&
	echo 12345 >node_modules/x/a.js && echo 1234 >node_modules/x/b.js &&
	echo 1 >web/node_modules/y/c.js && echo app >src/app.js &&
	git add -A && git commit -qm init &&
	expect_code 1 "$RG" audit &&
	contains "$TRASH/stdout" "error[block] node_modules/: 2 files, 11 bytes tracked at HEAD" &&
	contains "$TRASH/stdout" "error[block] web/node_modules/: 1 file, 2 bytes tracked at HEAD" &&
	contains "$TRASH/stdout" "git rm -r --cached --quiet -- web/node_modules && git commit -m '"'"'Stop tracking web/node_modules/'"'"'" &&
	contains "$TRASH/stdout" "printf '"'"'\\n%s\\n'"'"' node_modules/ >> .gitignore" &&
	contains "$TRASH/stdout" "2 blocked paths tracked (3 files, 13 bytes)" &&
	lacks "$TRASH/stdout" "src/app.js" &&
	contains "$TRASH/stdout" "== history: not walked"
'

test_expect_success 'added, removed on a side branch, merged: commits, counts and refs' '
	make_incident inc && cd inc &&
	B=$(git rev-parse old) && C=$(git rev-parse cleanup) &&
	before=$(repo_state .) &&
	expect_code 1 "$RG" audit --history &&
	test "$(repo_state .)" = "$before" &&
	test ! -s "$TRASH/stderr" &&
	cp "$TRASH/stdout" out &&
	contains out "warning[history.block] $(long12 $B):node_modules/: introduced in $(short $B) by A U Thor on 2026-01-01 (reachable from HEAD (main)): 3 files, 15 bytes; removed in $(short $C), in history: 15 bytes in 3 files" &&
	contains out "still at the tip of: old" &&
	contains out "git filter-repo --invert-paths --path=node_modules/" &&
	contains out "Rewriting history changes the id of every commit" &&
	contains out "error[history.block] $(long12 $B):.vite/: introduced in $(short $B)" &&
	contains out "still at HEAD: 1 file, 3 bytes" &&
	contains out "error[block] .vite/: 1 file, 3 bytes tracked at HEAD" &&
	lacks out "node_modules/.vite/:" &&
	lacks out "error[block] node_modules/" &&
	test "$(grep -c "\[history.block\]" out)" = 2 &&
	contains out "== history: 6 commits on 4 refs: 2 blocked paths"
'

test_expect_success '--refs HEAD walks HEAD only; the removal is still found' '
	cd inc &&
	C=$(git rev-parse cleanup) &&
	expect_code 1 "$RG" audit --history --refs HEAD &&
	contains "$TRASH/stdout" "removed in $(short $C)" &&
	contains "$TRASH/stdout" "on 1 ref:" &&
	lacks "$TRASH/stdout" "still at the tip of: old"
'

test_expect_success 'a path introduced only on a side branch is not in HEAD'"'"'s history' '
	make_incident side && cd side &&
	git checkout -qb experiment main~3 &&
	mkdir -p tools/node_modules/z && echo zz >tools/node_modules/z/i.js &&
	git add -A && git commit -qm "experiment with deps" && X=$(git rev-parse HEAD) &&
	git checkout -q main &&
	expect_code 1 "$RG" audit --history &&
	contains "$TRASH/stdout" "$(long12 $X):tools/node_modules/: introduced in $(short $X) by A U Thor on 2026-01-01 (reachable from experiment): 1 file, 3 bytes; not in HEAD'"'"'s history" &&
	expect_code 1 "$RG" audit --history --refs HEAD &&
	lacks "$TRASH/stdout" "tools/node_modules"
'

test_expect_success 'a merge that brings node_modules in is not an introduction' '
	git init -q brought && cd brought &&
	echo base >README && git add README && git commit -qm base &&
	git checkout -qb feature && mkdir node_modules && echo q >node_modules/q.js &&
	git add -A && git commit -qm "feature deps" && S=$(git rev-parse HEAD) &&
	git checkout -q main && echo x >x && git add x && git commit -qm x &&
	git merge -q --no-edit feature && M=$(git rev-parse HEAD) &&
	expect_code 1 "$RG" audit --history &&
	contains "$TRASH/stdout" "error[history.block] $(long12 $S):node_modules/: introduced in $(short $S)" &&
	lacks "$TRASH/stdout" "$(long12 $M):node_modules" &&
	lacks "$TRASH/stdout" "more time"
'

test_expect_success 'added, removed and added again: two introductions' '
	git init -q again && cd again &&
	mkdir node_modules && echo 1 >node_modules/a.js && git add -A && git commit -qm one && A1=$(git rev-parse HEAD) &&
	git rm -rq node_modules && git commit -qm gone && G=$(git rev-parse HEAD) &&
	mkdir node_modules && echo 2 >node_modules/b.js && git add -A && git commit -qm two && A2=$(git rev-parse HEAD) &&
	expect_code 1 "$RG" audit --history &&
	contains "$TRASH/stdout" "introduced in $(short $A1)" &&
	contains "$TRASH/stdout" "and 1 more time; still at HEAD: 1 file, 2 bytes, in history: 4 bytes in 2 files" &&
	contains "$TRASH/stdout" "introduced 2 times:" &&
	contains "$TRASH/stdout" "  $(short $A2) by A U Thor on 2026-01-01 (reachable from HEAD (main)): 1 file, 2 bytes"
'

test_expect_success 'secret and env files ever committed; .env.example is not one' '
	git init -q sec && cd sec &&
	echo "KEY=1" >.env && echo "KEY=" >.env.example && mkdir keys && echo k >keys/server.pem &&
	git add -A && git commit -qm oops && O=$(git rev-parse HEAD) &&
	git rm -q --cached .env keys/server.pem && git commit -qm "remove secrets" && R=$(git rev-parse HEAD) &&
	expect_code 1 "$RG" audit --history &&
	contains "$TRASH/stdout" "error[history.secret-file] $(long12 $O):.env: committed in $(short $O) by A U Thor on 2026-01-01 (reachable from HEAD (main)): 1 file, 6 bytes; removed in $(short $R)" &&
	contains "$TRASH/stdout" "error[history.secret-file] $(long12 $O):keys/server.pem: committed in" &&
	contains "$TRASH/stdout" "rotate every credential it ever held" &&
	contains "$TRASH/stdout" "git filter-repo --invert-paths --path=.env" &&
	lacks "$TRASH/stdout" "secret-file] $(long12 $O):.env.example"
'

test_expect_success 'largest blobs ever committed, with commit:path' '
	git init -q big && cd big &&
	head -c 6000000 /dev/zero >video.bin && echo small >small.txt &&
	git add -A && git commit -qm big && Bg=$(git rev-parse HEAD) &&
	git rm -q video.bin && git commit -qm "drop video" &&
	expect_code 0 "$RG" audit --history &&
	contains "$TRASH/stdout" "warning[history.size] $(long12 $Bg):video.bin: 5.7 MiB blob $(git rev-parse --short=10 $Bg:video.bin), number 1 by size, over the 5.0 MiB limit; not at HEAD under this name" &&
	contains "$TRASH/stdout" "note[history.largest] $(long12 $Bg):small.txt: 6 bytes blob" &&
	contains "$TRASH/stdout" "git lfs migrate import --everything --include=video.bin" &&
	head -c 6000001 /dev/zero >"a,b[1].bin" && git add -A && git commit -qm odd --no-verify &&
	git rm -q "a,b[1].bin" && git commit -qm "drop odd" --no-verify &&
	expect_code 0 "$RG" audit --history &&
	contains "$TRASH/stdout" "git filter-repo --invert-paths --path='"'"'a,b[1].bin'"'"'   # rewrites history" &&
	lacks "$TRASH/stdout" "--include='"'"'a,b"
'

test_expect_success 'files over max_file_size and LFS raw content at HEAD' '
	git init -q lfs && cd lfs &&
	echo "*.psd filter=lfs diff=lfs merge=lfs -text" >.gitattributes &&
	echo "raw photoshop bytes" >art.psd &&
	printf "version https://git-lfs.github.com/spec/v1\noid sha256:%s\nsize 12\n" \
		0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef >ok.psd &&
	head -c 6000000 /dev/zero >dump.sql &&
	git add -A && git commit -qm init &&
	expect_code 1 "$RG" audit &&
	contains "$TRASH/stdout" "error[lfs] art.psd: tracked by Git LFS (filter=lfs) but holds raw content" &&
	lacks "$TRASH/stdout" "ok.psd" &&
	contains "$TRASH/stdout" "error[size] dump.sql: 5.7 MiB at HEAD, over the 5.0 MiB limit" &&
	contains "$TRASH/stdout" "1 file over max_file_size, 1 LFS path with raw content"
'

test_expect_success 'protected paths: deleted ones in the tree section, typos in config' '
	git init -q prot && cd prot &&
	mkdir -p src/services && echo bill >src/services/billing.ts && echo m >main.ts &&
	printf "[protect]\npaths = src/services/billing.ts src/servces/typo.ts\n" >.repoguard.ini &&
	git add -A && git commit -qm init &&
	git rm -q src/services/billing.ts && git commit -qm "delete billing" && Dl=$(git rev-parse HEAD) &&
	expect_code 1 "$RG" audit --history &&
	contains "$TRASH/stdout" "error[protect] src/services/billing.ts: protected, missing at HEAD: deleted in $(short $Dl) by A U Thor" &&
	contains "$TRASH/stdout" "git checkout $(git rev-parse HEAD | cut -c1-12)~1 -- src/services/billing.ts" &&
	contains "$TRASH/stdout" "warning[config.never-matches] protect path '"'"'src/servces/typo.ts'"'"' (" &&
	contains "$TRASH/stdout" "prot/.repoguard.ini:2) can never match" &&
	lacks "$TRASH/stdout" "[protect] src/servces/typo.ts"
'

test_expect_success 'protected paths: a name without a slash is traced at the root' '
	git init -q protb && cd protb &&
	echo keep >DO-NOT-DELETE.md && echo m >main.ts &&
	printf "[protect]\npaths = DO-NOT-DELETE.md\n" >.repoguard.ini &&
	git add -A && git commit -qm init &&
	git rm -q DO-NOT-DELETE.md && git commit -qm "tidy up" --no-verify && Dl=$(git rev-parse HEAD) &&
	expect_code 1 "$RG" audit --history &&
	contains "$TRASH/stdout" "error[protect] DO-NOT-DELETE.md: protected, missing at HEAD: deleted in $(short $Dl)" &&
	grep "git checkout $(git rev-parse HEAD | cut -c1-12)~1 -- DO-NOT-DELETE.md" "$TRASH/stdout" | sed "s/^ *//" | sh &&
	test "$(cat DO-NOT-DELETE.md)" = keep
'

test_expect_success 'config: a re-include below an excluded directory can never match' '
	git init -q neg && cd neg &&
	printf "[block]\npaths = node_modules/ !node_modules/keep/ dist/\n" >.repoguard.ini &&
	git add -A && git commit -qm init &&
	expect_code 0 "$RG" audit &&
	contains "$TRASH/stdout" "warning[config.never-matches] block pattern '"'"'!node_modules/keep/'"'"' ($TRASH/neg/.repoguard.ini:2) can never match" &&
	contains "$TRASH/stdout" "note[config.unmatched] block pattern '"'"'dist/'"'"' ($TRASH/neg/.repoguard.ini:2) matched no path" &&
	contains "$TRASH/stdout" "[block] paths = node_modules/ !node_modules/keep/ dist/   ($TRASH/neg/.repoguard.ini:2)"
'

test_expect_success 'anchored patterns: a directory moved under a blocked path is found' '
	git init -q anch && cd anch &&
	printf "[block]\npaths = /dist/\n" >.repoguard.ini &&
	mkdir -p pkg/dist && echo built >pkg/dist/a.js && git add -A && git commit -qm one &&
	git mv pkg/dist dist && git commit -qm moved && Mv=$(git rev-parse HEAD) &&
	expect_code 1 "$RG" audit --history &&
	contains "$TRASH/stdout" "error[history.block] $(long12 $Mv):dist/: introduced in $(short $Mv)" &&
	contains "$TRASH/stdout" "error[block] dist/: 1 file, 6 bytes tracked at HEAD" &&
	lacks "$TRASH/stdout" "pkg/dist/:"
'

test_expect_success 'bare repository: same findings, fixes run in a clone' '
	make_incident forbare && git clone -q --bare forbare bare.git && cd bare.git &&
	B=$(git rev-parse old) &&
	expect_code 1 "$RG" audit --history &&
	contains "$TRASH/stdout" "$(long12 $B):node_modules/: introduced in $(short $B)" &&
	contains "$TRASH/stdout" "# in a clone with a work tree:" &&
	expect_code 1 "$RG" -C "$TRASH/bare.git" audit
'

test_expect_success 'linked worktree: audits from the worktree' '
	make_incident wt && cd wt && git worktree add -q ../wt2 old && cd ../wt2 &&
	expect_code 1 "$RG" audit &&
	contains "$TRASH/stdout" "error[block] node_modules/: 3 files, 15 bytes tracked at HEAD" &&
	contains "$TRASH/stdout" "on old"
'

test_expect_success 'shallow clone: reported as incomplete, never a crash' '
	make_incident deep && git clone -q --depth 1 "file://$TRASH/deep" shallow && cd shallow &&
	expect_code 1 "$RG" audit --history &&
	contains "$TRASH/stdout" "warning[history.incomplete] shallow clone: history before 1 commit is not here" &&
	contains "$TRASH/stdout" "error[history.block]" &&
	contains "$TRASH/stdout" "git fetch --unshallow"
'

test_expect_success 'shallow clone: a file older than the boundary is present at its edge, not committed there' '
	git init -q edge && (
		cd edge && git commit -q --allow-empty -m root && git commit -q --allow-empty -m c0 &&
		mkdir node_modules && echo x >node_modules/a.js && echo A=1 >.env &&
		git add -f .env node_modules && git commit -q --no-verify -m "add env" &&
		for i in 1 2 3; do git commit -q --allow-empty -m c$i; done
	) &&
	git clone -q --depth 2 "file://$TRASH/edge" edge2 && cd edge2 &&
	b=$(git rev-parse --short=10 HEAD~1) &&
	expect_code 1 "$RG" audit --history &&
	contains "$TRASH/stdout" ".env: present at the edge of the shallow clone ($b), where it was added is not in this clone (reachable from HEAD (main)): 1 file, 4 bytes" &&
	contains "$TRASH/stdout" "node_modules/: present at the edge of the shallow clone ($b), where it was added is not in this clone" &&
	lacks "$TRASH/stdout" "committed in $b" &&
	lacks "$TRASH/stdout" "introduced in $b" &&
	cd .. && git clone -q --depth 5 "file://$TRASH/edge" edge5 && cd edge5 &&
	test -f "$(git rev-parse --git-dir)/shallow" &&
	a=$(git rev-parse --short=10 HEAD~3) &&
	expect_code 1 "$RG" audit --history &&
	contains "$TRASH/stdout" ".env: committed in $a by A U Thor on 2026-01-01" &&
	contains "$TRASH/stdout" "node_modules/: introduced in $a by A U Thor"
'

test_expect_success 'deleted loose blob and tree: unknown size and unreachable, never a crash; the content of a missing blob comes from the working tree while it vouches for it' '
	git init -q holes && cd holes &&
	mkdir -p node_modules/m lib && echo abc >node_modules/m/i.js && echo def >lib/x.js &&
	git add -A && git commit -qm one &&
	blob=$(git rev-parse HEAD:node_modules/m/i.js) && tree=$(git rev-parse HEAD:lib) &&
	rm -f .git/objects/$(echo $blob | cut -c1-2)/$(echo $blob | cut -c3-) &&
	rm -f .git/objects/$(echo $tree | cut -c1-2)/$(echo $tree | cut -c3-) &&
	expect_code 4 "$RG" audit --history &&
	contains "$TRASH/stderr" "tree $tree (lib) of HEAD is missing or damaged" &&
	contains "$TRASH/stdout" "1 tree missing (unreachable content); 1 blob missing: size unknown" &&
	contains "$TRASH/stdout" "error[block] node_modules/: 1 file, at least 0 bytes tracked at HEAD" &&
	lacks "$TRASH/stdout" "whose object is missing" &&
	rm node_modules/m/i.js &&
	expect_code 4 "$RG" audit --history &&
	contains "$TRASH/stdout" "1 tree missing (unreachable content); 1 blob missing: size unknown" &&
	contains "$TRASH/stdout" "whose object is missing (the repository is damaged: run git fsck)"
'

test_expect_success 'partial clone without blobs: sizes unknown, counts still right' '
	make_incident forpartial && git -C forpartial config uploadpack.allowFilter true &&
	git clone -q --bare --filter=blob:none "file://$TRASH/forpartial" partial.git && cd partial.git &&
	B=$(git rev-parse old) &&
	expect_code 1 "$RG" audit --history &&
	contains "$TRASH/stdout" "warning[history.incomplete]" &&
	contains "$TRASH/stdout" "blobs missing: size unknown" &&
	contains "$TRASH/stdout" "$(long12 $B):node_modules/: introduced in $(short $B) by A U Thor on 2026-01-01 (reachable from HEAD (main)): 3 files, at least 0 bytes" &&
	contains "$TRASH/stdout" "1 blocked path tracked (1 file, at least 0 bytes)"
'

test_expect_success 'json output names rules and sections' '
	cd inc &&
	expect_code 1 "$RG" audit --history --format json &&
	python3 -c "
import json, sys
d = json.load(open(sys.argv[1]))
rules = [f[\"rule\"] for f in d[\"findings\"]]
assert \"history.block\" in rules and \"block\" in rules and \"config.rules\" in rules, rules
assert any(n.startswith(\"history: 6 commits\") for n in d[\"notes\"]), d[\"notes\"]
assert d[\"summary\"][\"errors\"] >= 2
" "$TRASH/stdout"
'

test_expect_success 'sarif output is valid SARIF 2.1.0; github output annotates' '
	cd inc &&
	expect_code 1 "$RG" audit --history --format sarif &&
	python3 "$SRC_DIR/tests/lib/sarif-validate.py" "$TRASH/stdout" >v &&
	contains v "valid SARIF 2.1.0" &&
	contains "$TRASH/stdout" "\"ruleId\": \"history.block\"" &&
	expect_code 1 "$RG" audit --format github &&
	contains "$TRASH/stdout" "::error file=" &&
	contains "$TRASH/stdout" "title=repoguard block::.vite/"
'

test_expect_success 'the printed filter-repo command removes what the audit found' '
	make_incident torewrite && git clone -q --no-local torewrite rewritten && cd rewritten &&
	git checkout -q -b old origin/old && git checkout -q main &&
	expect_code 1 "$RG" audit --history &&
	cmd=$(grep "^    git filter-repo --invert-paths --path=.vite/ --path=" "$TRASH/stdout" | sed "s/^ *//") &&
	test -n "$cmd" &&
	eval "$cmd --force" >/dev/null 2>&1 &&
	expect_code 0 "$RG" audit --history &&
	contains "$TRASH/stdout" "no blocked path, secret-looking file or blob over the limit was ever committed"
'

test_expect_success 'the filter-repo command works for a path starting with -' '
	git init -q dash && cd dash && echo base >README && git add README && git commit -qm base &&
	echo k >-x.pem && git add -- -x.pem && git commit -qm key --no-verify &&
	git rm -q -- -x.pem && git commit -qm "rm key" &&
	git clone -q --no-local . ../dash2 && cd ../dash2 &&
	expect_code 1 "$RG" audit --history &&
	contains "$TRASH/stdout" "git filter-repo --invert-paths --path='"'"'-x.pem'"'"'" &&
	contains "$TRASH/stdout" "1 secret-looking file, 0 blobs over the limit; 2 bytes in 1 file under them in history" &&
	cmd=$(grep "^    git filter-repo --invert-paths --path=" "$TRASH/stdout" | tail -n 1 | sed "s/^ *//") &&
	test -n "$cmd" &&
	eval "$cmd --force" >/dev/null 2>&1 &&
	test -z "$(git log --all --format=%H -- -x.pem)" &&
	expect_code 0 "$RG" audit --history
'

test_expect_success 'REPOGUARD_SKIP: block, secret-file, secrets and all skip their findings in every section, with a note' '
	git init -q skip && cd skip && mkdir node_modules && echo x >node_modules/x.js &&
	echo A=1 >.env && printf "<<<<<<< x\n" >c.txt && git add -f . && git commit -qm a --no-verify &&
	expect_code 1 "$RG" audit --history &&
	contains "$TRASH/stdout" "error[block] node_modules/" &&
	lacks "$TRASH/stdout" "skipped by REPOGUARD_SKIP" &&
	REPOGUARD_SKIP=block expect_code 1 "$RG" audit --history &&
	cp "$TRASH/stdout" out &&
	lacks out "error[block]" && lacks out "[history.block]" && lacks out "--path=node_modules/" &&
	contains out "== tree: HEAD $(short HEAD): 1 secret-looking file (some checks skipped by REPOGUARD_SKIP)" &&
	contains out "note: skipped by REPOGUARD_SKIP: block" &&
	contains out "note: skipped by REPOGUARD_SKIP: history.block" &&
	contains out "error[secret-file] .env" && contains out "error[history.secret-file]" &&
	REPOGUARD_SKIP=block,secret-file,conflict expect_code 0 "$RG" audit --history &&
	contains "$TRASH/stdout" "== tree: HEAD $(short HEAD): clean (some checks skipped by REPOGUARD_SKIP)" &&
	contains "$TRASH/stdout" "note: skipped by REPOGUARD_SKIP: block, secret-file" &&
	contains "$TRASH/stdout" "note: skipped by REPOGUARD_SKIP: history.block, history.secret-file" &&
	contains "$TRASH/stdout" "note: skipped by REPOGUARD_SKIP: conflict" &&
	lacks "$TRASH/stdout" "unknown name" &&
	REPOGUARD_SKIP=history,history.bogus expect_code 1 "$RG" audit --history &&
	contains "$TRASH/stdout" "unknown name '"'"'history.bogus'"'"'" &&
	lacks "$TRASH/stdout" "unknown name '"'"'history'"'"'" &&
	REPOGUARD_SKIP=secrets expect_code 1 "$RG" audit &&
	contains "$TRASH/stdout" "== content: HEAD $(short HEAD): 3 files checked, 1 finding" &&
	sed -n "/^== content/,/^== /p" "$TRASH/stdout" >content &&
	contains content "note: skipped by REPOGUARD_SKIP: secrets" &&
	REPOGUARD_SKIP=all expect_code 0 "$RG" audit --history &&
	cp "$TRASH/stdout" out &&
	lacks out "error[" &&
	contains out "== content: not checked: every content rule is skipped by REPOGUARD_SKIP" &&
	contains out "note: skipped by REPOGUARD_SKIP: secrets, conflict" &&
	contains out "(some checks skipped by REPOGUARD_SKIP)" &&
	REPOGUARD_SKIP=all expect_code 0 "$RG" audit --history --format json &&
	python3 -c "
import json, sys
d = json.load(open(sys.argv[1]))
assert d[\"summary\"][\"errors\"] == 0, d[\"summary\"]
assert \"tree: skipped by REPOGUARD_SKIP: block, secret-file, size, lfs\" in d[\"notes\"], d[\"notes\"]
" "$TRASH/stdout"
'

test_expect_success 'empty repository: HEAD unborn, nothing walked, exit 0' '
	git init -q empty && cd empty &&
	expect_code 0 "$RG" audit --history &&
	contains "$TRASH/stdout" "== tree: HEAD is unborn: nothing committed yet" &&
	contains "$TRASH/stdout" "== history: 0 commits on 0 refs"
'

test_expect_success 'a bad [audit] setting fails closed with exit 3' '
	cd clean &&
	printf "[audit]\nlargest = 5000\n" >bad.ini &&
	expect_code 3 "$RG" audit --config bad.ini &&
	contains "$TRASH/stderr" "largest must be between 0 and 1000" &&
	printf "[audit]\nbogus = 1\n" >bad2.ini &&
	expect_code 3 "$RG" audit --config bad2.ini &&
	contains "$TRASH/stderr" "bogus" &&
	printf "[audit]\nsecret_severity = loud\n" >bad3.ini &&
	expect_code 3 "$RG" audit --config bad3.ini
'

test_expect_success 'repoguard config and the hooks refuse the [audit] values the audit refuses' '
	cd clean &&
	printf "[audit]\nsecret_severity = bogus\nhistory_severity = bogus\nsecret_paths = [\nlargest = abc\n" >bad4.ini &&
	expect_code 3 "$RG" audit --config bad4.ini && sed -n "s/^ *//p" "$TRASH/stderr" | grep "bad4.ini:" >audit.err &&
	expect_code 3 "$RG" config --config bad4.ini && grep "bad4.ini:" "$TRASH/stderr" >config.err &&
	cmp audit.err config.err &&
	contains config.err "bad4.ini:2: secret_severity must be error, warn or off" &&
	contains config.err "bad4.ini:3: history_severity must be error, warn or off" &&
	contains config.err "bad4.ini:4: invalid pattern '"'"'['"'"'" &&
	contains config.err "bad4.ini:5: '"'"'abc'"'"' for largest is not a non-negative integer" &&
	expect_code 3 "$RG" pre-commit --config bad4.ini &&
	contains "$TRASH/stderr" "bad4.ini:2: secret_severity" &&
	for v in -1 1001; do
		printf "[audit]\nlargest = %s\n" "$v" >bad5.ini &&
		expect_code 3 "$RG" config --config bad5.ini &&
		contains "$TRASH/stderr" "bad5.ini:2: " || return 1
	done
'

test_expect_success 'usage errors' '
	cd clean &&
	expect_code 2 "$RG" audit --refs some &&
	contains "$TRASH/stderr" "--refs takes '"'"'all'"'"' or '"'"'HEAD'"'"'" &&
	expect_code 2 "$RG" audit extra
'

test_expect_success 'a tree of HEAD missing from the repository is an error (exit 4), never a clean verdict' '
	git init -q damaged && cd damaged &&
	mkdir -p d && echo x >d/x && echo y >y && git add . && git commit -qm one &&
	t=$(git rev-parse HEAD:d) && rm -f .git/objects/$(echo $t | cut -c1-2)/$(echo $t | cut -c3-) &&
	expect_code 4 "$RG" audit &&
	contains "$TRASH/stderr" "tree $t (d) of HEAD is missing or damaged" &&
	contains "$TRASH/stdout" "== tree: HEAD $(git rev-parse --short=10 HEAD): nothing found, but a tree is missing" &&
	lacks "$TRASH/stdout" "clean" &&
	t=$(git rev-parse HEAD^{tree}) && rm -f .git/objects/$(echo $t | cut -c1-2)/$(echo $t | cut -c3-) &&
	expect_code 4 "$RG" audit &&
	contains "$TRASH/stderr" "tree $t (the root) of HEAD is missing or damaged"
'

test_expect_success 'nine identical blocked directories (one tree id): every one reported, no crash as the path records grow' '
	git init -q nine && cd nine &&
	for d in a b c d e f g h i; do mkdir -p $d/node_modules && echo 1 >$d/node_modules/x.js || return 1; done &&
	git add -f . && git commit -qm nine --no-verify &&
	expect_code 1 "$RG" audit &&
	contains "$TRASH/stdout" "9 blocked paths tracked" &&
	contains "$TRASH/stdout" "error[block] i/node_modules/" &&
	expect_code 1 "$RG" audit --history &&
	contains "$TRASH/stdout" "error[block] a/node_modules/"
'

test_done

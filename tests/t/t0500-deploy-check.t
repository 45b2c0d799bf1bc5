#!/bin/sh
# t0500: deploy-check and deploy-record on the common deploy layouts.
. "$(dirname "$0")/../lib/test-lib.sh"
. "$TEST_DIR/../lib/deploy-lib.sh"

test_expect_success 'match: only ec2 paths changed since the last ec2 deploy' '
	layout_root m1 && record ec2 && record netlify &&
	echo "listen(9090)" >backend/server.js && git commit -qam "port" &&
	expect_code 0 without_tty "$RG" deploy-check ec2 &&
	contains "$TRASH/stdout" "deploy-check ec2: ok, 1 of the 1 changed path since its last deploy (deploy/ec2/20260101T000000Z, " &&
	contains "$TRASH/stdout" "  M backend/server.js" &&
	lacks "$TRASH/stdout" "left undeployed" &&
	lacks "$TRASH/stdout" "warning"
'

test_expect_success 'mismatch: a frontend change deployed to ec2 fails without a terminal' '
	layout_root m2 && record ec2 && record netlify &&
	for i in 1 2 3 4 5 6 7 8 9 10 11 12 13; do echo "c$i" >src/components/C$i.tsx; done &&
	echo "header 2" >src/components/Header.tsx &&
	git add . && git commit -qm "new components" &&
	expect_code 1 without_tty "$RG" deploy-check ec2 &&
	contains "$TRASH/stdout" "you are deploying ec2, but the 14 changed paths since its last deploy (deploy/ec2/20260101T000000Z, " &&
	contains "$TRASH/stdout" ") all belong to netlify:" &&
	contains "$TRASH/stdout" "  A src/components/C1.tsx" &&
	contains "$TRASH/stdout" "  ... and 4 more" &&
	contains "$TRASH/stdout" "refusing: no terminal to confirm on" &&
	contains "$TRASH/stdout" "to deploy netlify instead: repoguard deploy-check netlify" &&
	expect_code 0 without_tty "$RG" deploy-check netlify &&
	contains "$TRASH/stdout" "ok, 14 of the 14 changed paths"
'

test_expect_success '--yes deploys anyway without a terminal' '
	layout_root m3 && record ec2 &&
	echo "logo 2" >public/logo.svg && git commit -qam logo &&
	expect_code 0 without_tty "$RG" deploy-check ec2 --yes &&
	contains "$TRASH/stdout" "the changed path since its last deploy" &&
	contains "$TRASH/stdout" "belongs to netlify" &&
	contains "$TRASH/stdout" "deploying anyway (--yes)"
'

test_expect_success 'mixed: ec2 and netlify changed; passes and lists netlify as left undeployed' '
	layout_root m4 && record ec2 &&
	echo "more users" >backend/routes/users.js && echo "footer 2" >src/components/Footer.tsx &&
	echo "{}" >package.json && git commit -qam both &&
	expect_code 0 without_tty "$RG" deploy-check ec2 &&
	contains "$TRASH/stdout" "ok, 1 of the 3 changed paths since its last deploy" &&
	contains "$TRASH/stdout" "  M backend/routes/users.js" &&
	contains "$TRASH/stdout" "left undeployed: netlify (2 changed paths in this range; no deploy of netlify is recorded):" &&
	contains "$TRASH/stdout" "  M package.json" &&
	contains "$TRASH/stdout" "  M src/components/Footer.tsx"
'

test_expect_success 'mixed: a target deployed since is not called undeployed' '
	layout_root m4b && record ec2 &&
	echo "f2" >src/components/Footer.tsx && echo "u2" >backend/util.js && git commit -qam both &&
	record_at 1767225700 netlify &&
	echo "u3" >backend/util.js && git commit -qam util &&
	expect_code 0 without_tty "$RG" deploy-check ec2 &&
	contains "$TRASH/stdout" "ok, 1 of the 2 changed paths" &&
	contains "$TRASH/stdout" "also changed: netlify, deployed since (deploy/netlify/20260101T000140Z): nothing left to deploy there" &&
	lacks "$TRASH/stdout" "left undeployed" &&
	echo "f3" >src/components/Footer.tsx && git commit -qam footer &&
	expect_code 0 without_tty "$RG" deploy-check ec2 &&
	contains "$TRASH/stdout" "left undeployed: netlify (1 changed path since its last deploy, deploy/netlify/20260101T000140Z):" &&
	record_at 1767225800 ec2 && record_at 1767225800 netlify &&
	git checkout -q HEAD~1 && record_at 1767225900 ec2 && git checkout -q main &&
	expect_code 1 without_tty "$RG" deploy-check ec2 &&
	contains "$TRASH/stdout" "belongs to netlify:" &&
	contains "$TRASH/stdout" "  netlify is deployed already (deploy/netlify/20260101T000320Z)"
'

test_expect_success 'no previous deploy: says so and asks for --since' '
	layout_root m5 &&
	echo x >>backend/util.js && git commit -qam util &&
	expect_code 2 without_tty "$RG" deploy-check ec2 &&
	contains "$TRASH/stderr" "no deploy of ec2 is recorded (no tag deploy/ec2/*)" &&
	contains "$TRASH/stderr" "repoguard deploy-check ec2 --since REV" &&
	test ! -s "$TRASH/stdout" &&
	expect_code 0 without_tty "$RG" deploy-check ec2 --since HEAD~1 &&
	contains "$TRASH/stdout" "ok, 1 of the 1 changed path since HEAD~1 (" &&
	expect_code 1 without_tty "$RG" deploy-check netlify --since HEAD~1 &&
	contains "$TRASH/stdout" "you are deploying netlify, but the changed path since HEAD~1 (" &&
	expect_code 2 without_tty "$RG" deploy-check ec2 --since no-such-rev &&
	contains "$TRASH/stderr" "--since '"'"'no-such-rev'"'"' is not a commit in this repository"
'

test_expect_success 'nothing changed since the last deploy: a redeploy passes' '
	layout_root m6 && record ec2 &&
	expect_code 0 without_tty "$RG" deploy-check ec2 &&
	contains "$TRASH/stdout" "deploy-check ec2: nothing changed since its last deploy"
'

test_expect_success 'dirty working tree: uncommitted, staged and untracked files are reported per target' '
	layout_root m7 && record ec2 &&
	echo "listen(1)" >backend/server.js && git commit -qam port &&
	echo "dirty" >>src/main.ts && echo "staged" >backend/new.js && git add backend/new.js &&
	echo "scratch" >notes.txt &&
	expect_code 0 without_tty "$RG" deploy-check ec2 &&
	contains "$TRASH/stdout" "ok, 1 of the 1 changed path" &&
	contains "$TRASH/stdout" "warning: the working tree has 3 uncommitted changes: a deploy from this working tree ships files that are in no commit" &&
	contains "$TRASH/stdout" "  ec2:" && contains "$TRASH/stdout" "    A backend/new.js" &&
	contains "$TRASH/stdout" "  netlify:" && contains "$TRASH/stdout" "    M src/main.ts" &&
	contains "$TRASH/stdout" "  no target:" && contains "$TRASH/stdout" "    ? notes.txt" &&
	git stash -qu && expect_code 0 without_tty "$RG" deploy-check ec2 &&
	lacks "$TRASH/stdout" "uncommitted"
'

test_expect_success 'a split index (core.splitIndex), which libgit2 cannot read, is refused with the way out' '
	layout_root m7s && record ec2 &&
	echo "listen(2)" >backend/server.js && git commit -qam port &&
	git update-index --split-index && echo "dirty" >>src/main.ts &&
	expect_code 1 without_tty "$RG" deploy-check ec2 &&
	contains "$TRASH/stderr" "split index" && contains "$TRASH/stderr" "git update-index --no-split-index" &&
	lacks "$TRASH/stderr" "extension" &&
	git update-index --no-split-index && expect_code 0 without_tty "$RG" deploy-check ec2 &&
	contains "$TRASH/stdout" "    M src/main.ts"
'

test_expect_success 'ignored files do not make the tree dirty' '
	layout_root m8 && record ec2 &&
	echo "dist/" >.git/info/exclude && mkdir dist && echo built >dist/index.js &&
	expect_code 0 without_tty "$RG" deploy-check ec2 &&
	lacks "$TRASH/stdout" "uncommitted"
'

test_expect_success 'files a sparse checkout leaves out are not uncommitted deletions' '
	layout_root m8s && record ec2 &&
	git sparse-checkout set backend orchestrator &&
	test ! -e src/main.ts &&
	expect_code 0 without_tty "$RG" deploy-check ec2 &&
	lacks "$TRASH/stdout" "uncommitted" &&
	echo "listen(2)" >backend/server.js &&
	expect_code 0 without_tty "$RG" deploy-check ec2 &&
	contains "$TRASH/stdout" "warning: the working tree has 1 uncommitted change:" &&
	contains "$TRASH/stdout" "    M backend/server.js" &&
	lacks "$TRASH/stdout" "D src/main.ts"
'

test_expect_success 'unmapped paths: warn (default), off and error' '
	layout_root m9 && record ec2 &&
	sed "s/unmapped = warn/unmapped = off/" .repoguard.ini >"$TRASH/off.ini" &&
	sed "s/unmapped = warn/unmapped = error/" .repoguard.ini >"$TRASH/error.ini" &&
	echo "readme 2" >README.md && echo "x" >>backend/util.js && git commit -qam docs &&
	expect_code 0 without_tty "$RG" deploy-check ec2 &&
	contains "$TRASH/stdout" "ok, 1 of the 2 changed paths" &&
	contains "$TRASH/stdout" "warning: 1 changed path belongs to no deploy target" &&
	contains "$TRASH/stdout" "  M README.md" &&
	expect_code 0 without_tty "$RG" deploy-check ec2 --config "$TRASH/off.ini" &&
	lacks "$TRASH/stdout" "README.md" &&
	expect_code 1 without_tty "$RG" deploy-check ec2 --config "$TRASH/error.ini" &&
	contains "$TRASH/stdout" "error: 1 changed path belongs to no deploy target" &&
	contains "$TRASH/stdout" "refusing: changed paths belong to no deploy target and [deploy] unmapped = error" &&
	expect_code 1 without_tty "$RG" deploy-check ec2 --yes --config "$TRASH/error.ini"
'

test_expect_success 'only unmapped paths changed: nothing belongs to the target, not a mismatch' '
	layout_root m10 && record ec2 &&
	echo "readme 3" >README.md && git commit -qam docs &&
	expect_code 0 without_tty "$RG" deploy-check ec2 &&
	contains "$TRASH/stdout" "nothing that belongs to ec2 changed since its last deploy" &&
	contains "$TRASH/stdout" "the 1 changed path belongs to no target"
'

test_expect_success 'renames count on both sides: moving a file out of backend/ changes ec2 and netlify' '
	layout_root m11 && record ec2 && record netlify &&
	git mv backend/util.js src/util.js && git commit -qm move &&
	expect_code 0 without_tty "$RG" deploy-check ec2 &&
	contains "$TRASH/stdout" "ok, 1 of the 1 changed path" &&
	contains "$TRASH/stdout" "  R backend/util.js -> src/util.js" &&
	contains "$TRASH/stdout" "left undeployed: netlify (1 changed path since its last deploy, deploy/netlify/20260101T000000Z):" &&
	expect_code 0 without_tty "$RG" deploy-check netlify &&
	contains "$TRASH/stdout" "left undeployed: ec2 (1 changed path since its last deploy, deploy/ec2/20260101T000000Z):"
'

test_expect_success 'renames: a file moved out of backend/ to an unmapped folder still deploys ec2' '
	layout_root m12 && record ec2 && record netlify &&
	mkdir docs && git mv backend/util.js docs/util.js && git commit -qm move &&
	expect_code 0 without_tty "$RG" deploy-check ec2 &&
	contains "$TRASH/stdout" "  R backend/util.js -> docs/util.js" &&
	expect_code 1 without_tty "$RG" deploy-check netlify &&
	contains "$TRASH/stdout" "the changed path since its last deploy (deploy/netlify/20260101T000000Z, " &&
	contains "$TRASH/stdout" ") belongs to ec2:" &&
	git mv src/components/Footer.tsx src/Footer.tsx && git commit -qm "move within netlify" &&
	expect_code 0 without_tty "$RG" deploy-check netlify --since HEAD~1 &&
	expect_code 1 without_tty "$RG" deploy-check ec2 --since HEAD~1 &&
	contains "$TRASH/stdout" "R src/components/Footer.tsx -> src/Footer.tsx"
'

test_expect_success 'terminal prompt: y and yes deploy, n and an empty answer do not (default no)' '
	layout_root m13 && record ec2 &&
	echo "logo 3" >public/logo.svg && git commit -qam logo &&
	expect_tty 0 y "\"$RG\" deploy-check ec2" &&
	contains "$TRASH/tty.out" "Deploy ec2 anyway? [y/N]" &&
	contains "$TRASH/tty.out" "deploying anyway (confirmed)" &&
	expect_tty 0 yes "\"$RG\" deploy-check ec2" &&
	expect_tty 1 n "\"$RG\" deploy-check ec2" &&
	contains "$TRASH/tty.out" "not confirmed: do not deploy" &&
	expect_tty 1 "" "\"$RG\" deploy-check ec2" &&
	contains "$TRASH/tty.out" "Deploy ec2 anyway? [y/N]" &&
	expect_tty 0 y "\"$RG\" deploy-check ec2 </dev/null"
'

test_expect_success 'terminal: a matching deploy asks nothing' '
	layout_root m14 && record ec2 &&
	echo "r2" >orchestrator/run.sh && git commit -qam run &&
	expect_tty 0 n "\"$RG\" deploy-check ec2" &&
	lacks "$TRASH/tty.out" "anyway?"
'

test_expect_success 'frontend/ and backend/ side by side: a shared lockfile belongs to both' '
	layout_side s1 && record web && record api &&
	echo "lock v2" >yarn.lock && git commit -qam lock &&
	expect_code 0 without_tty "$RG" deploy-check web &&
	contains "$TRASH/stdout" "ok, 1 of the 1 changed path" &&
	contains "$TRASH/stdout" "left undeployed: api (1 changed path since its last deploy, deploy/api/20260101T000000Z):" &&
	expect_code 0 without_tty "$RG" deploy-check api &&
	contains "$TRASH/stdout" "left undeployed: web (1 changed path since its last deploy, deploy/web/20260101T000000Z):"
'

test_expect_success 'side by side: !pattern subtracts (backend/README.md belongs to no target)' '
	layout_side s2 && record web && record api &&
	echo "notes 2" >backend/README.md && git commit -qam notes &&
	expect_code 0 without_tty "$RG" deploy-check api &&
	contains "$TRASH/stdout" "nothing that belongs to api changed" &&
	contains "$TRASH/stdout" "warning: 1 changed path belongs to no deploy target" &&
	echo "export default App" >frontend/src/App.tsx && git commit -qam app &&
	expect_code 1 without_tty "$RG" deploy-check api &&
	contains "$TRASH/stdout" "the 2 changed paths since its last deploy (deploy/api/20260101T000000Z, " &&
	contains "$TRASH/stdout" "belong to web (1) and to no target (1):"
'

test_expect_success 'subtraction below a matched directory: ** minus the server folders' '
	layout_root s3 &&
	printf "[deploy.netlify]\npaths = ** !backend/ !orchestrator/**\n[deploy.ec2]\npaths = backend/ orchestrator/\n" >"$TRASH/sub.ini" &&
	record ec2 --config "$TRASH/sub.ini" && record netlify --config "$TRASH/sub.ini" &&
	echo "x" >>backend/routes/users.js && git commit -qam users &&
	expect_code 1 without_tty "$RG" deploy-check netlify --config "$TRASH/sub.ini" &&
	contains "$TRASH/stdout" "belongs to ec2" &&
	expect_code 0 without_tty "$RG" deploy-check ec2 --config "$TRASH/sub.ini" &&
	lacks "$TRASH/stdout" "left undeployed"
'

test_expect_success 'deploy-record: tags HEAD, unique within one second, newest wins' '
	layout_root r1 &&
	REPOGUARD_NOW=1767225600 "$RG" deploy-record ec2 >tag1 2>err &&
	test "$(cat tag1)" = deploy/ec2/20260101T000000Z &&
	contains err "recorded the deploy of ec2 at" &&
	test "$(git rev-parse deploy/ec2/20260101T000000Z)" = "$(git rev-parse HEAD)" &&
	echo x >>backend/util.js && git commit -qam util &&
	REPOGUARD_NOW=1767225600 "$RG" deploy-record ec2 >tag2 &&
	test "$(cat tag2)" = deploy/ec2/20260101T000000Z-2 &&
	test "$(git rev-parse deploy/ec2/20260101T000000Z-2)" = "$(git rev-parse HEAD)" &&
	expect_code 0 without_tty "$RG" deploy-check ec2 &&
	contains "$TRASH/stdout" "nothing changed since its last deploy (deploy/ec2/20260101T000000Z-2, " &&
	for i in 3 4 5 6 7 8 9 10 11; do REPOGUARD_NOW=1767225600 "$RG" deploy-record ec2 >/dev/null 2>&1; done &&
	git tag -l "deploy/ec2/*" >tags && test "$(wc -l <tags)" = 11 &&
	git checkout -q HEAD~1 && REPOGUARD_NOW=1767225600 "$RG" deploy-record ec2 >tag12 &&
	test "$(cat tag12)" = deploy/ec2/20260101T000000Z-12 &&
	git checkout -q main && echo y >>backend/util.js && git commit -qam again &&
	expect_code 0 without_tty "$RG" deploy-check ec2 &&
	contains "$TRASH/stdout" "ok, 1 of the 1 changed path since its last deploy (deploy/ec2/20260101T000000Z-12, "
'

test_expect_success 'deploy-record: a clock that went back still records the newest deploy' '
	layout_root r2 &&
	REPOGUARD_NOW=1767225600 "$RG" deploy-record ec2 >/dev/null 2>&1 &&
	REPOGUARD_NOW=1767220000 "$RG" deploy-record ec2 >tag &&
	test "$(cat tag)" = deploy/ec2/20260101T000000Z-2 &&
	REPOGUARD_NOW=1767312000 "$RG" deploy-record ec2 >tag &&
	test "$(cat tag)" = deploy/ec2/20260102T000000Z
'

test_expect_success 'deploy-record: a name another run holds locked is taken: the next number is used' '
	layout_root r-lock &&
	mkdir -p .git/refs/tags/deploy/ec2 &&
	: >.git/refs/tags/deploy/ec2/20260101T000000Z.lock &&
	REPOGUARD_NOW=1767225600 "$RG" deploy-record ec2 >tag &&
	test "$(cat tag)" = deploy/ec2/20260101T000000Z-2 &&
	: >.git/refs/tags/deploy/ec2/20260101T000000Z-3.lock &&
	REPOGUARD_NOW=1767225600 "$RG" deploy-record ec2 >tag &&
	test "$(cat tag)" = deploy/ec2/20260101T000000Z-4
'

test_expect_success 'deploy-record REV records what is deployed already; hand-made tags are ignored' '
	layout_root r3 &&
	echo x >>backend/util.js && git commit -qam util &&
	git tag deploy/ec2/manual HEAD &&
	REPOGUARD_NOW=1767225600 "$RG" deploy-record ec2 HEAD~1 >tag &&
	test "$(git rev-parse "$(cat tag)")" = "$(git rev-parse HEAD~1)" &&
	expect_code 0 without_tty "$RG" deploy-check ec2 &&
	contains "$TRASH/stdout" "ok, 1 of the 1 changed path since its last deploy (deploy/ec2/20260101T000000Z, " &&
	expect_code 2 "$RG" deploy-record ec2 no-such-rev &&
	contains "$TRASH/stderr" "revision '"'"'no-such-rev'"'"' is not a commit"
'

test_expect_success 'an annotated deploy tag is peeled to its commit' '
	layout_root r4 &&
	git tag -a -m "deployed by hand" deploy/ec2/20251231T120000Z HEAD &&
	echo x >>backend/util.js && git commit -qam util &&
	expect_code 0 without_tty "$RG" deploy-check ec2 &&
	contains "$TRASH/stdout" "since its last deploy (deploy/ec2/20251231T120000Z, "
'

test_expect_success 'a deploy tag pointing at a tree: says so and how to re-tag, not to fetch' '
	layout_root r4t &&
	git tag deploy/ec2/20251231T120000Z "HEAD^{tree}" &&
	expect_code 4 without_tty "$RG" deploy-check ec2 &&
	contains "$TRASH/stderr" "deploy/ec2/20251231T120000Z points at a tree, not at a commit" &&
	contains "$TRASH/stderr" "git tag -f deploy/ec2/20251231T120000Z COMMIT" &&
	lacks "$TRASH/stderr" "git fetch" &&
	expect_code 4 "$RG" affected &&
	contains "$TRASH/stderr" "points at a tree, not at a commit"
'

test_expect_success 'unknown target, missing target, bad options' '
	layout_root u1 &&
	expect_code 2 "$RG" deploy-check nosuch &&
	contains "$TRASH/stderr" "'"'"'nosuch'"'"' is not a deploy target; the configured targets are: netlify, ec2" &&
	expect_code 2 "$RG" deploy-check &&
	contains "$TRASH/stderr" "usage: repoguard deploy-check TARGET" &&
	expect_code 2 "$RG" deploy-check ec2 extra &&
	expect_code 2 "$RG" deploy-check --bogus ec2 &&
	expect_code 2 "$RG" deploy-record nosuch &&
	expect_code 2 "$RG" deploy-record &&
	test -z "$(git tag -l)"
'

test_expect_success 'configuration errors fail closed with file:line (exit 3)' '
	layout_root c1 &&
	printf "[deploy]\npaths = src/**\n" >"$TRASH/bad1.ini" &&
	expect_code 3 "$RG" deploy-check ec2 --config "$TRASH/bad1.ini" &&
	contains "$TRASH/stderr" "bad1.ini:2: '"'"'paths'"'"' belongs to one target: set it in a [deploy.NAME] section" &&
	printf "[deploy.ec2]\nbranches = deploy/ec2\n" >"$TRASH/bad2.ini" &&
	expect_code 3 "$RG" deploy-check ec2 --config "$TRASH/bad2.ini" &&
	contains "$TRASH/stderr" "bad2.ini:2: [deploy.ec2] has no paths" &&
	printf "; only the header\n[deploy.ec2]\n" >"$TRASH/bad2h.ini" &&
	expect_code 3 "$RG" deploy-check ec2 --yes --config "$TRASH/bad2h.ini" &&
	contains "$TRASH/stderr" "bad2h.ini:2: [deploy.ec2] has no paths" &&
	lacks "$TRASH/stderr" "no deploy targets are configured" &&
	expect_code 3 "$RG" config --config "$TRASH/bad2h.ini" &&
	contains "$TRASH/stderr" "bad2h.ini:2: [deploy.ec2] has no paths" &&
	printf "[deploy.ec2]\npaths = backend/\n[deploy]\nunmapped = sometimes\n" >"$TRASH/bad3.ini" &&
	expect_code 3 "$RG" deploy-check ec2 --config "$TRASH/bad3.ini" &&
	contains "$TRASH/stderr" "bad3.ini:4: '"'"'sometimes'"'"' for unmapped is not one of off, warn, error" &&
	printf "[deploy.a/b]\npaths = backend/\n" >"$TRASH/bad4.ini" &&
	expect_code 3 "$RG" deploy-check a/b --config "$TRASH/bad4.ini" &&
	contains "$TRASH/stderr" "bad4.ini:2: [deploy.a/b]: '"'"'a/b'"'"' cannot name a deploy target" &&
	printf "[deploy.ec2]\npaths = backend/\nhosts = x\n" >"$TRASH/bad5.ini" &&
	expect_code 3 "$RG" deploy-check ec2 --config "$TRASH/bad5.ini" &&
	contains "$TRASH/stderr" "bad5.ini:3: unknown key '"'"'hosts'"'"' in [deploy.ec2]" &&
	printf "[deploy.ec2]\npaths = [oops\n" >"$TRASH/bad6.ini" &&
	expect_code 3 "$RG" deploy-check ec2 --config "$TRASH/bad6.ini" &&
	contains "$TRASH/stderr" "bad6.ini:2: invalid pattern" &&
	lacks "$TRASH/stderr" "has no paths" &&
	printf "[deploy.ec2]\npaths = backend/\nunmapped = off\n" >"$TRASH/bad7.ini" &&
	expect_code 3 "$RG" deploy-check ec2 --config "$TRASH/bad7.ini" &&
	contains "$TRASH/stderr" "set it in [deploy], not in [deploy.ec2]" &&
	printf "[block]\npaths = node_modules/\n" >"$TRASH/none.ini" &&
	expect_code 3 "$RG" deploy-check ec2 --config "$TRASH/none.ini" &&
	contains "$TRASH/stderr" "no deploy targets are configured" &&
	printf "[deploy]\npaths = src/**\n" >.repoguard.ini &&
	expect_code 3 "$RG" pre-commit
'

test_expect_success 'deploy-check and affected never write to the repository' '
	layout_root w1 && record ec2 &&
	echo "logo 4" >public/logo.svg && git commit -qam logo && echo dirty >>src/main.ts &&
	repo_state . >"$TRASH/before" &&
	expect_code 1 without_tty "$RG" deploy-check ec2 &&
	expect_code 1 "$RG" affected &&
	expect_code 1 "$RG" affected --format json --base HEAD~1 &&
	repo_state . >"$TRASH/after" &&
	cmp "$TRASH/before" "$TRASH/after"
'

test_expect_success 'a worktree and a subdirectory find the same targets and tags' '
	layout_root w2 && record ec2 &&
	git worktree add -q ../w2-wt -b feature && cd ../w2-wt &&
	echo "x" >>backend/server.js && git commit -qam port &&
	cd backend && expect_code 0 without_tty "$RG" deploy-check ec2 &&
	contains "$TRASH/stdout" "ok, 1 of the 1 changed path since its last deploy (deploy/ec2/20260101T000000Z, "
'

test_expect_success 'an unborn branch: deploy-check, deploy-record and affected say so, exit 2 alike' '
	git init -q unb && cd unb &&
	printf "[deploy.web]\npaths = web/\n" >.repoguard.ini &&
	expect_code 2 "$RG" deploy-check web --yes &&
	contains "$TRASH/stderr" "HEAD does not point to a commit: nothing to deploy yet" &&
	expect_code 2 "$RG" deploy-record web &&
	contains "$TRASH/stderr" "HEAD does not point to a commit: nothing is committed on this branch yet" &&
	expect_code 2 "$RG" affected &&
	contains "$TRASH/stderr" "HEAD does not point to a commit" &&
	lacks "$TRASH/stderr" "'"'"'HEAD'"'"'"
'

test_expect_success 'help documents the commands' '
	"$RG" help deploy-check >h && contains h "Deploy TARGET anyway? [y/N]" &&
	"$RG" help deploy-record >h && contains h "deploy/TARGET/YYYYMMDDTHHMMSSZ" &&
	"$RG" --help >h && contains h "deploy-check" && contains h "affected" && contains h "init"
'

test_done

#!/bin/sh
# t0710: the audit's checkpoints, deploy and routing sections with the real
# git: checkpoint tags, their age and the uncovered commits; deploy
# tags written by deploy-record, paths changed since, targets never
# deployed, tags whose commit is missing; dangling and unreachable
# components at HEAD; bare repositories, json and sarif; and the sections
# left out when they are not configured.
. "$(dirname "$0")/../lib/test-lib.sh"

short() { git rev-parse --short=10 "$1"; }
long12() { git rev-parse "$1" | cut -c1-12; }
VALIDATE="python3 $SRC_DIR/tests/lib/sarif-validate.py"

# 2026-01-01T00:00:00Z and two days later
T0=1767225600
T2=1767398400

# A repository with three deploy targets: web and api deployed at the first
# commit (web at T0, api one hour later), docs never; then web changes twice
# and a file moves within web.
make_deploys() {
	git init -q "$1" && (
		cd "$1" &&
		mkdir -p web/src api docs &&
		echo a >web/src/a.js && echo m >web/src/move.js && echo b >api/b.js &&
		echo d >docs/d.md && echo r >README &&
		printf "[deploy.web]\npaths = /web/\n[deploy.api]\npaths = /api/\n[deploy.docs]\npaths = /docs/\n" \
			>.repoguard.ini &&
		git add -A && git commit -qm init &&
		REPOGUARD_NOW=$T0 "$RG" deploy-record web >/dev/null 2>&1 &&
		REPOGUARD_NOW=$((T0 + 3600)) "$RG" deploy-record api >/dev/null 2>&1 &&
		echo a2 >>web/src/a.js && mkdir -p web/new && echo n >web/new/n.js &&
		git add -A && git commit -qm "web: two" &&
		git mv web/src/move.js web/src/moved.js && echo r2 >>README && git commit -qam "web: move"
	)
}

test_expect_success 'not configured: no deploy or routing section' '
	git init -q plain && cd plain &&
	echo hi >README && git add README && git commit -qm init &&
	expect_code 0 "$RG" audit &&
	contains "$TRASH/stdout" "== tree:" &&
	contains "$TRASH/stdout" "== config:" &&
	lacks "$TRASH/stdout" "== deploy" &&
	lacks "$TRASH/stdout" "== routing" &&
	lacks "$TRASH/stdout" "[deploy." &&
	expect_code 0 "$RG" audit --format json &&
	python3 -c "
import json, sys
d = json.load(open(sys.argv[1]))
assert not [n for n in d[\"notes\"] if n.startswith((\"deploy:\", \"routing:\"))], d[\"notes\"]
assert not [f for f in d[\"findings\"] if f[\"rule\"].startswith((\"deploy\", \"routes\"))]
" "$TRASH/stdout"
'

test_expect_success 'deploy: per target the last deploy and the paths changed since' '
	make_deploys dep && cd dep &&
	first=$(git rev-list --max-parents=0 HEAD) &&
	before=$(repo_state .) &&
	REPOGUARD_NOW=$T2 expect_code 0 "$RG" audit &&
	test "$(repo_state .)" = "$before" &&
	cp "$TRASH/stdout" out &&
	contains out "== deploy: 3 targets: changed since the last deploy: web (3); up to date: api; no deploy recorded: docs" &&
	contains out "note[deploy.changed] web: 3 paths changed since its last deploy (deploy/web/20260101T000000Z)" &&
	contains out "last deploy: deploy/web/20260101T000000Z (2026-01-01 00:00:00 UTC, 2d00h ago, at $(short $first))" &&
	contains out "HEAD has 2 commits the deployed commit does not." &&
	contains out "changed paths of web (3 of 4 changed):" &&
	contains out "      M web/src/a.js" &&
	contains out "      A web/new/n.js" &&
	contains out "      R web/src/move.js -> web/src/moved.js" &&
	contains out "repoguard deploy-check web   # before deploying HEAD to web" &&
	contains out "note[deploy.current] api: up to date: none of its paths changed since deploy/api/20260101T010000Z" &&
	contains out "(2026-01-01 01:00:00 UTC, 1d23h ago, at $(short $first))" &&
	contains out "4 changed paths belong to other targets or to none." &&
	contains out "note[deploy.unrecorded] docs: no deploy recorded (no tag refs/tags/deploy/docs/*)" &&
	contains out "repoguard deploy-record docs REV" &&
	lacks out "README" &&
	sed -n "/^== /p" out >order &&
	test "$(sed -n 4p order | cut -c1-9)" = "== deploy" &&
	test "$(sed -n 5p order | cut -c1-9)" = "== config"
'

test_expect_success 'deploy: a new deploy record moves the base; nothing changed since' '
	cd dep &&
	REPOGUARD_NOW=$T2 "$RG" deploy-record web >/dev/null 2>&1 &&
	REPOGUARD_NOW=$T2 expect_code 0 "$RG" audit &&
	contains "$TRASH/stdout" "== deploy: 3 targets: up to date: web, api; no deploy recorded: docs" &&
	contains "$TRASH/stdout" "web: up to date: none of its paths changed since deploy/web/20260103T000000Z" &&
	contains "$TRASH/stdout" "HEAD has 0 commits the deployed commit does not."
'

test_expect_success 'deploy: first paths only, then how many more' '
	make_deploys many && cd many &&
	i=0 && while [ $i -lt 14 ]; do echo $i >web/f$i.js; i=$((i + 1)); done &&
	git add -A && git commit -qm many &&
	REPOGUARD_NOW=$T2 expect_code 0 "$RG" audit &&
	contains "$TRASH/stdout" "web: 17 paths changed since its last deploy" &&
	contains "$TRASH/stdout" "changed paths of web (17 of 18 changed):" &&
	contains "$TRASH/stdout" "      ... and 7 more" &&
	test "$(grep -c "^      [AMR] web/" "$TRASH/stdout")" = 10
'

test_expect_success 'deploy: a deploy made from a branch HEAD does not have' '
	make_deploys side && cd side &&
	git checkout -qb hotfix HEAD~2 && echo hot >api/hot.js && git add api && git commit -qm hot &&
	REPOGUARD_NOW=$T2 "$RG" deploy-record api >/dev/null 2>&1 &&
	git checkout -q main &&
	REPOGUARD_NOW=$T2 expect_code 0 "$RG" audit &&
	contains "$TRASH/stdout" "api: 1 path changed since its last deploy (deploy/api/20260103T000000Z)" &&
	contains "$TRASH/stdout" "the deployed commit is not in HEAD'"'"'s history (it has 1 commit HEAD does not: deployed from another branch?)" &&
	contains "$TRASH/stdout" "      D api/hot.js"
'

test_expect_success 'deploy: json notes and findings; sarif is valid' '
	cd dep &&
	REPOGUARD_NOW=$T2 expect_code 0 "$RG" audit --format json &&
	python3 -c "
import json, sys
d = json.load(open(sys.argv[1]))
notes = [n for n in d[\"notes\"] if n.startswith(\"deploy: \")]
assert notes == [\"deploy: 3 targets: up to date: web, api; no deploy recorded: docs\"], d[\"notes\"]
rules = sorted(f[\"rule\"] for f in d[\"findings\"] if f[\"rule\"].startswith(\"deploy\"))
assert rules == [\"deploy.current\", \"deploy.current\", \"deploy.unrecorded\"], rules
never = [f for f in d[\"findings\"] if f[\"rule\"] == \"deploy.unrecorded\"][0]
assert never[\"severity\"] == \"note\" and \"deploy-record docs\" in never[\"fix\"], never
" "$TRASH/stdout" &&
	REPOGUARD_NOW=$T2 expect_code 0 "$RG" audit --format sarif &&
	$VALIDATE "$TRASH/stdout" >v && contains v "valid SARIF 2.1.0" &&
	contains "$TRASH/stdout" "\"ruleId\": \"deploy.unrecorded\""
'

test_expect_success 'deploy: bare repository (configuration from --config)' '
	make_deploys forbare && git clone -q --bare forbare bare.git &&
	git -C forbare show HEAD:.repoguard.ini >bare.ini && cd bare.git &&
	test "$(git tag -l "deploy/*" | wc -l)" = 2 &&
	REPOGUARD_NOW=$T2 expect_code 0 "$RG" audit --config "$TRASH/bare.ini" &&
	contains "$TRASH/stdout" "== deploy: 3 targets: changed since the last deploy: web (3); up to date: api; no deploy recorded: docs" &&
	contains "$TRASH/stdout" "      R web/src/move.js -> web/src/moved.js" &&
	REPOGUARD_NOW=$T2 expect_code 0 "$RG" audit --history --format json --config "$TRASH/bare.ini" &&
	contains "$TRASH/stdout" "\"deploy: 3 targets: changed since the last deploy: web (3)"
'

test_expect_success 'deploy: a tag whose commit is missing is a warning, never a crash' '
	make_deploys holes && cd holes &&
	git checkout -qb gone && echo g >api/g.js && git add api && git commit -qm gone &&
	c=$(git rev-parse HEAD) && REPOGUARD_NOW=$T2 "$RG" deploy-record api >/dev/null 2>&1 &&
	git checkout -q main && git branch -qD gone &&
	rm -f .git/objects/$(echo $c | cut -c1-2)/$(echo $c | cut -c3-) &&
	REPOGUARD_NOW=$T2 expect_code 0 "$RG" audit &&
	contains "$TRASH/stdout" "last deploy unreadable: api" &&
	contains "$TRASH/stdout" "warning[deploy.unreadable] api: last deploy unknown: deploy/api/20260103T000000Z: cannot read the commit it tags" &&
	contains "$TRASH/stdout" "git fetch origin '"'"'refs/tags/deploy/*:refs/tags/deploy/*'"'"'" &&
	contains "$TRASH/stdout" "web: 3 paths changed"
'

test_expect_success 'deploy: unborn HEAD' '
	git init -q unborn && cd unborn &&
	printf "[deploy.web]\npaths = /web/\n" >.repoguard.ini &&
	expect_code 0 "$RG" audit &&
	contains "$TRASH/stdout" "== deploy: 1 target (HEAD is unborn: nothing to compare): no deploy recorded: web"
'

test_expect_success 'deploy: only [deploy] (no target) leaves the section out' '
	git init -q notarget && cd notarget &&
	echo x >x && printf "[deploy]\nunmapped = error\n" >.repoguard.ini && git add -A && git commit -qm x &&
	expect_code 0 "$RG" audit &&
	lacks "$TRASH/stdout" "== deploy"
'

# src/App.tsx routes A and imports a file that is gone; Orphan is imported by
# nobody, Lonely only by Orphan.
make_routes() {
	git init -q "$1" && (
		cd "$1" &&
		mkdir -p src/components src/pages &&
		printf "import A from \"./components/A\"\nimport Gone from \"./pages/Gone\"\nexport default A\n" >src/App.tsx &&
		echo "export default 1" >src/components/A.tsx &&
		echo "import L from \"./Lonely\"" >src/components/Orphan.tsx &&
		echo "export default 2" >src/components/Lonely.tsx &&
		echo "import A from \"./A\"" >src/components/A.test.tsx &&
		echo "export default 3" >src/pages/Gone.tsx &&
		printf "[routes]\nroots = src/App.tsx\ncomponents = src/components/** src/pages/**\n" >.repoguard.ini &&
		git add -A && git commit -qm init && git rm -q src/pages/Gone.tsx && git commit -qm "remove Gone"
	)
}

test_expect_success 'routing: dangling and unreachable at HEAD, exit 1' '
	make_routes rt && cd rt &&
	expect_code 1 "$RG" audit &&
	cp "$TRASH/stdout" out &&
	contains out "== routing: HEAD $(short HEAD): 1 dangling import, 2 unreachable components" &&
	contains out "error[routes] $(long12 HEAD):src/App.tsx:2: imports '"'"'./pages/Gone'"'"' (src/pages/Gone), which does not exist in this tree" &&
	contains out "remove or replace the import in src/App.tsx line 2" &&
	contains out "error[routes] $(long12 HEAD):src/components/Orphan.tsx: no route reaches it: no component imports it" &&
	contains out "error[routes] $(long12 HEAD):src/components/Lonely.tsx: no route reaches it: it is imported by src/components/Orphan.tsx, which no route reaches" &&
	contains out "so the app never loads it." &&
	lacks out "this change has no effect" &&
	contains out "add it to exclude= in [routes]" &&
	lacks out "A.test.tsx" &&
	lacks out "components/A.tsx:" &&
	contains out "repoguard audit routing: 3 errors"
'

test_expect_success 'routing: json and sarif' '
	cd rt &&
	expect_code 1 "$RG" audit --format json &&
	python3 -c "
import json, sys
d = json.load(open(sys.argv[1]))
assert \"routing: HEAD %s: 1 dangling import, 2 unreachable components\" % sys.argv[2] in d[\"notes\"], d[\"notes\"]
r = [f for f in d[\"findings\"] if f[\"rule\"] == \"routes\"]
assert sorted((f[\"path\"], f.get(\"line\", 0)) for f in r) == [(\"src/App.tsx\", 2), (\"src/components/Lonely.tsx\", 0), (\"src/components/Orphan.tsx\", 0)], r
assert all(f[\"severity\"] == \"error\" and f[\"fix\"] for f in r)
assert d[\"summary\"][\"errors\"] == 3
" "$TRASH/stdout" "$(short HEAD)" &&
	expect_code 1 "$RG" audit --format sarif &&
	$VALIDATE "$TRASH/stdout" >v && contains v "valid SARIF 2.1.0" &&
	contains "$TRASH/stdout" "\"ruleId\": \"routes\""
'

test_expect_success 'routing: fixed, the section is clean and the audit passes' '
	cd rt &&
	printf "import A from \"./components/A\"\nimport O from \"./components/Orphan\"\nexport default A\n" >src/App.tsx &&
	git commit -qam fix &&
	expect_code 0 "$RG" audit &&
	contains "$TRASH/stdout" "== routing: HEAD $(short HEAD): every component is reachable from src/App.tsx, no dangling import" &&
	lacks "$TRASH/stdout" "error[routes]"
'

test_expect_success 'routing: require of a .json file, .mjs and NodeNext .mjs -> .mts resolve' '
	git init -q rtx && cd rtx && mkdir -p src/components &&
	printf "[routes]\nroots = src/App.tsx\ncomponents = src/components/**\n" >.repoguard.ini &&
	printf "const cfg = require(\"./config\")\nimport u from \"./util\"\nimport t from \"./types.mjs\"\nimport A from \"./components/A\"\n" >src/App.tsx &&
	echo "{}" >src/config.json && echo "export default 1" >src/util.mjs &&
	echo "export default 2" >src/types.mts && echo "export default 3" >src/components/A.tsx &&
	git add -A && git commit -qm init &&
	expect_code 0 "$RG" audit &&
	contains "$TRASH/stdout" "no dangling import" &&
	git rm -q src/config.json && git commit -qm "no config" &&
	expect_code 1 "$RG" audit &&
	contains "$TRASH/stdout" "error[routes] $(long12 HEAD):src/App.tsx:1: imports '"'"'./config'"'"' (src/config), which does not exist in this tree"
'

test_expect_success 'routing: a path with a newline is C-quoted in the message and the fix' '
	git init -q rtn && cd rtn && mkdir -p src/components &&
	printf "[routes]\nroots = src/App.tsx\ncomponents = src/components/**\n" >.repoguard.ini &&
	echo "export default 1" >src/App.tsx &&
	echo "export default 2" >"src/components/new
line.tsx" &&
	git add -A && git commit -qm init &&
	expect_code 1 "$RG" audit &&
	contains "$TRASH/stdout" "error[routes] $(long12 HEAD):\"src/components/new\\nline.tsx\": no route reaches it" &&
	contains "$TRASH/stdout" "    import \"src/components/new\\nline.tsx\" from src/App.tsx or a file it reaches" &&
	lacks "$TRASH/stdout" "    line.tsx"
'

test_expect_success 'routing: bare repository' '
	make_routes forbare-rt && git clone -q --bare forbare-rt rt.git &&
	git -C forbare-rt show HEAD:.repoguard.ini >rt.ini && cd rt.git &&
	expect_code 1 "$RG" audit --config "$TRASH/rt.ini" &&
	contains "$TRASH/stdout" "== routing: HEAD $(short HEAD): 1 dangling import, 2 unreachable components" &&
	contains "$TRASH/stdout" "error[routes] $(long12 HEAD):src/App.tsx:2:"
'

test_expect_success 'routing: no root at HEAD, roots only, severity off' '
	make_routes rt2 && cd rt2 &&
	git rm -q src/App.tsx && git commit -qm "no router" &&
	expect_code 0 "$RG" audit &&
	contains "$TRASH/stdout" "== routing: HEAD $(short HEAD): no root (src/App.tsx) exists at HEAD: routing not checked" &&
	git checkout -q HEAD~1 -- src/App.tsx && git commit -qm back &&
	mkdir -p src/pages && echo "export default 3" >src/pages/Gone.tsx && git add src/pages && git commit -qm "Gone again" &&
	expect_code 1 "$RG" audit &&
	contains "$TRASH/stdout" "== routing: HEAD $(short HEAD): 2 unreachable components" &&
	git rm -q src/pages/Gone.tsx && git commit -qm "Gone" &&
	printf "[routes]\nroots = src/App.tsx\n" >.repoguard.ini &&
	expect_code 1 "$RG" audit &&
	contains "$TRASH/stdout" "== routing: HEAD $(short HEAD): 1 dangling import (no components= in [routes]: reachability not checked)" &&
	lacks "$TRASH/stdout" "Orphan" &&
	printf "[routes]\nroots = src/App.tsx\ncomponents = src/components/**\nseverity = off\n" >.repoguard.ini &&
	expect_code 0 "$RG" audit &&
	lacks "$TRASH/stdout" "== routing" &&
	printf "[routes]\nroots = src/App.tsx\ncomponents = src/components/**\nseverity = warn\n" >.repoguard.ini &&
	expect_code 0 "$RG" audit &&
	contains "$TRASH/stdout" "warning[routes]"
'

test_expect_success 'both sections, in table order, with a history walk' '
	make_routes both && cd both &&
	printf "[deploy.app]\npaths = /src/\n" >>.repoguard.ini && git commit -qam "deploy app" &&
	REPOGUARD_NOW=$T0 "$RG" deploy-record app HEAD~1 >/dev/null 2>&1 &&
	REPOGUARD_NOW=$T2 expect_code 1 "$RG" audit --history &&
	sed -n "s/^== \([a-z]*\):.*/\1/p" "$TRASH/stdout" | tr "\n" " " >order &&
	test "$(cat order)" = "tree content history deploy routing config " &&
	contains "$TRASH/stdout" "== deploy: 1 target: up to date: app" &&
	contains "$TRASH/stdout" "1 changed path belongs to other targets or to none."
'

test_expect_success 'a bad [deploy.NAME] or [checkpoint] is a configuration error (exit 3)' '
	git init -q badconf && cd badconf && echo x >x && git add x && git commit -qm x &&
	printf "[deploy.web]\npaths = /web/\nbogus = 1\n" >.repoguard.ini &&
	expect_code 3 "$RG" audit &&
	contains "$TRASH/stderr" ".repoguard.ini:3" &&
	printf "[checkpoint]\nevery = soon\n" >.repoguard.ini &&
	expect_code 3 "$RG" audit &&
	contains "$TRASH/stderr" ".repoguard.ini:2" &&
	test ! -s "$TRASH/stdout"
'

# ---- checkpoints ------------------------------------------------------------

# at DATE git commit ...: a commit made (authored and committed) at DATE
at() {
	d=$1
	shift
	GIT_AUTHOR_DATE=$d GIT_COMMITTER_DATE=$d "$@"
}

# main: c1 (00:00) - c2 (01:00, tagged checkpoint-1 at 01:30) - c3 (02:00) - c4 (03:00)
make_checkpoints() {
	git init -q "$1" && (
		cd "$1" &&
		printf "[checkpoint]\nevery = 4h\n" >.repoguard.ini &&
		echo 1 >f && git add -A && at 2026-01-01T00:00:00Z git commit -qm c1 &&
		echo 2 >f && at 2026-01-01T01:00:00Z git commit -qam c2 &&
		GIT_COMMITTER_DATE=2026-01-01T01:30:00Z git tag -a checkpoint-1 -m "first" &&
		echo 3 >f && at 2026-01-01T02:00:00Z git commit -qam c3 &&
		echo 4 >f && at 2026-01-01T03:00:00Z git commit -qam c4
	)
}

# 2026-01-01 05:00 and 07:00 UTC
N5=1767243600
N7=1767250800

test_expect_success 'checkpoints: not configured (no every) leaves the section out' '
	cd plain &&
	expect_code 0 "$RG" audit &&
	lacks "$TRASH/stdout" "== checkpoints" &&
	lacks "$TRASH/stdout" "[checkpoints."
'

test_expect_success 'checkpoints: newest checkpoint, its age, the uncovered commits within the limit' '
	make_checkpoints ck && cd ck &&
	before=$(repo_state .) &&
	REPOGUARD_NOW=$N5 expect_code 0 "$RG" audit &&
	test "$(repo_state .)" = "$before" &&
	cp "$TRASH/stdout" out &&
	contains out "== checkpoints: every 4h00m: checkpoint-1 (annotated), made 2026-01-01 01:30 UTC, 3h30m ago; 2 commits uncovered (3h00m of work)" &&
	contains out "note[checkpoints.last] $(long12 HEAD~2): newest checkpoint in HEAD'"'"'s history: checkpoint-1 (annotated), made 2026-01-01 01:30 UTC, 3h30m ago" &&
	contains out "note[checkpoints.uncovered] 2 commits not covered by a checkpoint, the oldest made 2026-01-01 02:00 UTC (3h00m of work); within the limit of 4h00m, the rule fails from 2026-01-01 06:00 UTC (in 1h00m)" &&
	contains out "    uncovered, newest first:" &&
	contains out "      $(long12 HEAD) c4" &&
	contains out "      $(long12 HEAD~1) c3" &&
	lacks out "      $(long12 HEAD~2) c2" &&
	contains out "This is the work a rollback to checkpoint-1 would undo" &&
	contains out "repoguard checkpoint --push" &&
	sed -n "s/^== \([a-z]*\):.*/\1/p" out | tr "\n" " " >order &&
	test "$(cat order)" = "tree content history checkpoints config "
'

test_expect_success 'checkpoints: overdue is the rule'"'"'s severity (exit 1; warn: exit 0)' '
	cd ck &&
	REPOGUARD_NOW=$N7 expect_code 1 "$RG" audit &&
	contains "$TRASH/stdout" "2 commits uncovered (5h00m of work): overdue" &&
	contains "$TRASH/stdout" "error[checkpoints.overdue] 2 commits not covered by a checkpoint, the oldest made 2026-01-01 02:00 UTC (5h00m of work): over the limit of 4h00m by 1h00m" &&
	printf "[checkpoint]\nevery = 4h\nseverity = warn\n" >.git/ck-warn.ini &&
	REPOGUARD_NOW=$N7 expect_code 0 "$RG" audit --config .git/ck-warn.ini &&
	contains "$TRASH/stdout" "warning[checkpoints.overdue]" &&
	printf "[checkpoint]\nevery = 4h\nseverity = off\n" >.git/ck-off.ini &&
	REPOGUARD_NOW=$N7 expect_code 0 "$RG" audit --config .git/ck-off.ini &&
	lacks "$TRASH/stdout" "== checkpoints"
'

test_expect_success 'checkpoints: a checkpoint at HEAD covers everything' '
	cd ck &&
	GIT_COMMITTER_DATE=2026-01-01T04:00:00Z git tag checkpoint-2 &&
	REPOGUARD_NOW=$N7 expect_code 0 "$RG" audit &&
	contains "$TRASH/stdout" "== checkpoints: every 4h00m: checkpoint-2 (lightweight), made 2026-01-01 03:00 UTC, 4h00m ago; HEAD is covered" &&
	lacks "$TRASH/stdout" "checkpoints.uncovered" &&
	git tag -d checkpoint-2 >/dev/null
'

test_expect_success 'checkpoints: a C1 control byte in a tag name is escaped in the verdict line' '
	cd ck &&
	t=$(printf "checkpoint-3\\233x") &&
	GIT_COMMITTER_DATE=2026-01-01T04:00:00Z git tag "$t" &&
	REPOGUARD_NOW=$N7 expect_code 0 "$RG" audit &&
	contains "$TRASH/stdout" "== checkpoints: every 4h00m: checkpoint-3\\233x (lightweight)" &&
	! grep -q "$(printf "\\233")" "$TRASH/stdout" &&
	git tag -d "$t" >/dev/null
'

test_expect_success 'checkpoints: no checkpoint yet; a checkpoint only on another branch' '
	git init -q nock && cd nock &&
	printf "[checkpoint]\nevery = 4h\n" >.repoguard.ini &&
	echo 1 >f && git add -A && at 2026-01-01T00:00:00Z git commit -qm c1 &&
	REPOGUARD_NOW=$N5 expect_code 1 "$RG" audit &&
	contains "$TRASH/stdout" "== checkpoints: every 4h00m: no checkpoint in HEAD'"'"'s history; 1 commit uncovered (5h00m of work): overdue" &&
	contains "$TRASH/stdout" "error[checkpoints.overdue] no checkpoint yet; 1 commit not covered by a checkpoint" &&
	git checkout -qb side && echo s >s && git add s && at 2026-01-01T01:00:00Z git commit -qm side &&
	GIT_COMMITTER_DATE=2026-01-01T01:00:00Z git tag -a checkpoint-side -m side &&
	git checkout -q main && echo 2 >f && at 2026-01-01T04:00:00Z git commit -qam c2 &&
	REPOGUARD_NOW=$N5 expect_code 0 "$RG" audit &&
	contains "$TRASH/stdout" "note[checkpoints.elsewhere] no checkpoint in HEAD'"'"'s history; 1 checkpoint tag elsewhere (newest: checkpoint-side (annotated), made 2026-01-01 01:00 UTC, 4h00m ago)" &&
	contains "$TRASH/stdout" "note[checkpoints.uncovered] 1 commit not covered by a checkpoint, the oldest made 2026-01-01 04:00 UTC (1h00m of work)" &&
	lacks "$TRASH/stdout" "no checkpoint yet"
'

test_expect_success 'checkpoints: a commit dated in the future counts as made now' '
	make_checkpoints skew && cd skew &&
	echo 5 >f && at 2026-01-02T00:00:00Z git commit -qam future &&
	REPOGUARD_NOW=$N5 expect_code 0 "$RG" audit &&
	contains "$TRASH/stdout" "3 commits uncovered (3h00m of work)" &&
	contains "$TRASH/stdout" "1 of them is dated after now (clock skew?) and counts as made now."
'

test_expect_success 'checkpoints: json' '
	cd ck &&
	REPOGUARD_NOW=$N7 expect_code 1 "$RG" audit --format json &&
	python3 -c "
import json, sys
d = json.load(open(sys.argv[1]))
notes = [n for n in d[\"notes\"] if n.startswith(\"checkpoints: \")]
assert notes == [\"checkpoints: every 4h00m: checkpoint-1 (annotated), made 2026-01-01 01:30 UTC, 5h30m ago; 2 commits uncovered (5h00m of work): overdue\"], d[\"notes\"]
f = [x for x in d[\"findings\"] if x[\"rule\"].startswith(\"checkpoints.\")]
assert [x[\"rule\"] for x in f] == [\"checkpoints.last\", \"checkpoints.overdue\"], f
assert f[1][\"severity\"] == \"error\" and \"repoguard checkpoint\" in f[1][\"fix\"], f[1]
assert d[\"summary\"][\"errors\"] == 1
" "$TRASH/stdout" &&
	REPOGUARD_NOW=$N7 expect_code 1 "$RG" audit --format sarif &&
	$VALIDATE "$TRASH/stdout" >v && contains v "valid SARIF 2.1.0"
'

test_expect_success 'checkpoints: bare repository; the fix tags the commit itself' '
	make_checkpoints forbare-ck && git clone -q --bare forbare-ck ck.git &&
	git -C forbare-ck show HEAD:.repoguard.ini >ck.ini && cd ck.git &&
	REPOGUARD_NOW=$N7 expect_code 1 "$RG" audit --config "$TRASH/ck.ini" &&
	contains "$TRASH/stdout" "== checkpoints: every 4h00m: checkpoint-1 (annotated), made 2026-01-01 01:30 UTC, 5h30m ago; 2 commits uncovered (5h00m of work): overdue" &&
	contains "$TRASH/stdout" "git tag -a checkpoint-20260101-0700 -m checkpoint $(long12 HEAD)   # in this bare repository" &&
	lacks "$TRASH/stdout" "repoguard checkpoint --push"
'

test_expect_success 'checkpoints: shallow clone: never a crash' '
	make_checkpoints deep-ck && git clone -q --depth 1 "file://$TRASH/deep-ck" shallow-ck && cd shallow-ck &&
	REPOGUARD_NOW=$N7 expect_code 0 "$RG" audit &&
	contains "$TRASH/stdout" "== checkpoints: every 4h00m: no checkpoint in HEAD'"'"'s history; uncovered work unknown (history incomplete)" &&
	contains "$TRASH/stdout" "warning[checkpoints.incomplete] uncovered work unknown: " &&
	contains "$TRASH/stdout" "git fetch --unshallow"
'

test_expect_success 'REPOGUARD_SKIP: checkpoint, routes and deploy skip their sections, saying so' '
	cd ck && REPOGUARD_NOW=$N7 REPOGUARD_SKIP=checkpoint expect_code 0 "$RG" audit &&
	contains "$TRASH/stdout" "== checkpoints: not checked: skipped by REPOGUARD_SKIP" &&
	contains "$TRASH/stdout" "note: skipped by REPOGUARD_SKIP: checkpoint" &&
	lacks "$TRASH/stdout" "[checkpoints." &&
	cd ../rt && REPOGUARD_SKIP=routes expect_code 0 "$RG" audit &&
	contains "$TRASH/stdout" "== routing: not checked: skipped by REPOGUARD_SKIP" &&
	contains "$TRASH/stdout" "note: skipped by REPOGUARD_SKIP: routes" &&
	REPOGUARD_SKIP=all expect_code 0 "$RG" audit &&
	contains "$TRASH/stdout" "== routing: not checked: skipped by REPOGUARD_SKIP" &&
	make_deploys dskip && cd dskip && REPOGUARD_SKIP=deploy expect_code 0 "$RG" audit &&
	contains "$TRASH/stdout" "== deploy: not checked: skipped by REPOGUARD_SKIP" &&
	lacks "$TRASH/stdout" "note[deploy."
'

test_expect_success 'REPOGUARD_SKIP: the aliases checkpoints and routing are no unknown names; a misspelt one lists them' '
	cd ck && REPOGUARD_NOW=$N7 REPOGUARD_SKIP=checkpoints expect_code 0 "$RG" audit &&
	contains "$TRASH/stdout" "== checkpoints: not checked: skipped by REPOGUARD_SKIP" &&
	lacks "$TRASH/stdout" "unknown name" &&
	cd ../rt && REPOGUARD_SKIP=routing expect_code 0 "$RG" audit &&
	contains "$TRASH/stdout" "== routing: not checked: skipped by REPOGUARD_SKIP" &&
	lacks "$TRASH/stdout" "unknown name" &&
	REPOGUARD_SKIP=routing,checkpoint,history.largest,secret-file,history expect_code 0 "$RG" audit &&
	lacks "$TRASH/stdout" "unknown name" &&
	REPOGUARD_SKIP=routingg expect_code 0 "$RG" audit &&
	contains "$TRASH/stdout" "unknown name '"'"'routingg'"'"', which skips nothing" &&
	contains "$TRASH/stdout" "a name of this command'"'"'s own (secret-file, history, history.block, history.secret-file, history.size, history.largest, checkpoints, routing)" &&
	REPOGUARD_SKIP=routingg expect_code 0 "$RG" pre-commit &&
	cat "$TRASH/stdout" "$TRASH/stderr" >out &&
	contains out "unknown name '"'"'routingg'"'"'" && lacks out "of this command"
'

test_done

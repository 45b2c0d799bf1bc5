#!/bin/sh
# t0610: [cochange.NAME] rules: paths that must change together.
. "$(dirname "$0")/../lib/test-lib.sh"

routing_repo() {
	new_repo "$1" && cd "$1" &&
	cat >.repoguard.ini <<-\EOF &&
	[cochange.routing]
	when = src/components/** src/pages/**   ; paths whose change triggers the rule
	on = added deleted renamed
	require = src/product/App.tsx src/routes/**
	message = A component refactor must update the router
	EOF
	mkdir -p src/components src/pages src/product src/routes &&
	echo "export default 1" >src/components/Old.tsx &&
	echo "export default 2" >src/pages/Home.tsx &&
	echo "export default 3" >src/product/App.tsx &&
	git add . && git commit -qm base
}

test_expect_success 'adding a component without touching the router fails' '
	routing_repo r1 &&
	echo "export default 4" >src/components/New.tsx && git add src/components/New.tsx &&
	expect_code 1 git commit -qm new &&
	contains "$TRASH/stderr" "error[cochange.routing] src/components/New.tsx: added without a change to src/product/App.tsx or src/routes/**" &&
	contains "$TRASH/stderr" "A component refactor must update the router." &&
	contains "$TRASH/stderr" ".repoguard.ini:2): when src/components/** src/pages/** is added, deleted or renamed" &&
	contains "$TRASH/stderr" "none of them is staged" &&
	contains "$TRASH/stderr" "git add -- src/product/App.tsx" &&
	contains "$TRASH/stderr" "REPOGUARD_SKIP=cochange.routing"
'

test_expect_success 'the same change with the router, or with a routes file, passes' '
	cd r1 &&
	echo "export default 30" >src/product/App.tsx && git add src/product/App.tsx &&
	git commit -qm "new with router" &&
	echo "export default 5" >src/components/Other.tsx && echo r >src/routes/pulse.ts &&
	git add . && git commit -qm "other with routes file"
'

test_expect_success 'modified is not a trigger unless on= lists it' '
	cd r1 &&
	echo "export default 40" >src/components/Old.tsx && git add . && git commit -qm tweak &&
	printf "on = added modified\n" >>.repoguard.ini && git add .repoguard.ini && git commit -qm cfg &&
	echo "export default 41" >src/components/Old.tsx && git add src/components/Old.tsx &&
	expect_code 1 git commit -qm tweak2 &&
	contains "$TRASH/stderr" "src/components/Old.tsx: modified without a change to"
'

test_expect_success 'deletions and renames count, several files are summarised' '
	routing_repo r2 &&
	git rm -q src/components/Old.tsx &&
	expect_code 1 git commit -qm del &&
	contains "$TRASH/stderr" "src/components/Old.tsx: deleted without a change to" &&
	git reset -q --hard &&
	git mv src/pages/Home.tsx src/pages/Start.tsx &&
	expect_code 1 git commit -qm mv &&
	contains "$TRASH/stderr" "src/pages/Start.tsx: renamed without a change to" &&
	contains "$TRASH/stderr" "renamed src/pages/Start.tsx (from src/pages/Home.tsx)" &&
	for i in 1 2 3 4 5 6 7; do echo $i >src/components/C$i.tsx; done && git add . &&
	expect_code 1 git commit -qm many &&
	contains "$TRASH/stderr" "src/components/C1.tsx: changed (with 7 more files) without a change to" &&
	contains "$TRASH/stderr" "... and 3 more" &&
	test "$(grep -c "error\[cochange" "$TRASH/stderr")" = 1
'

test_expect_success 'on= added leaves renames alone; paths outside when= are ignored' '
	routing_repo r3 &&
	sed -i "s/^on = .*/on = added/" .repoguard.ini && git add .repoguard.ini && git commit -qm cfg &&
	git mv src/components/Old.tsx src/components/Renamed.tsx && git commit -qm mv &&
	mkdir lib && echo x >lib/x.ts && git add lib && git commit -qm lib
'

lockfile_repo() {
	new_repo "$1" && cd "$1" &&
	printf "[cochange.lockfile]\nforbid_alone = package.json\nrequire = package-lock.json\n" >.repoguard.ini &&
	echo "{}" >package.json && echo "{}" >package-lock.json && git add . && git commit -qm base
}

test_expect_success 'forbid_alone: package.json changed without package-lock.json' '
	lockfile_repo r4 &&
	echo "{\"dependencies\":{}}" >package.json && git add package.json &&
	expect_code 1 git commit -qm deps &&
	contains "$TRASH/stderr" "error[cochange.lockfile] package.json: changed without package-lock.json" &&
	echo "{\"lockfileVersion\":3}" >package-lock.json && git add package-lock.json &&
	git commit -qm "deps and lock" &&
	echo "{\"lockfileVersion\":4}" >package-lock.json && git add package-lock.json &&
	git commit -qm "lock alone is fine in this direction"
'

test_expect_success 'forbid_alone both ways needs two sections' '
	cd r4 &&
	printf "[cochange.lockfile-back]\nforbid_alone = package-lock.json\nrequire = package.json\nseverity = warn\n" >>.repoguard.ini &&
	git add .repoguard.ini && git commit -qm cfg &&
	echo "{\"lockfileVersion\":5}" >package-lock.json && git add package-lock.json &&
	git commit -qm "warned only" 2>err &&
	contains err "warning[cochange.lockfile-back] package-lock.json: changed without package.json" &&
	contains err "(not blocking)"
'

test_expect_success 'REPOGUARD_SKIP names one cochange section, or all of them' '
	lockfile_repo r5 &&
	printf "[cochange.other]\nforbid_alone = a.txt\nrequire = b.txt\n" >>.repoguard.ini &&
	git add .repoguard.ini && git commit -qm cfg &&
	echo 1 >package.json && echo a >a.txt && git add . &&
	expect_code 1 env REPOGUARD_SKIP=cochange.lockfile git commit -qm skip &&
	lacks "$TRASH/stderr" "cochange.lockfile]" &&
	contains "$TRASH/stderr" "error[cochange.other] a.txt" &&
	contains "$TRASH/stderr" "skipped by REPOGUARD_SKIP: cochange.lockfile" &&
	REPOGUARD_SKIP=cochange git commit -qm "skip all" 2>err &&
	contains err "skipped by REPOGUARD_SKIP: cochange"
'

test_expect_success 'severity = off turns one section off' '
	lockfile_repo r6 &&
	printf "severity = off\n" >>.repoguard.ini && git add .repoguard.ini && git commit -qm off &&
	echo 2 >package.json && git add package.json && git commit -qm alone
'

test_expect_success 'configuration errors name file:line and fail closed' '
	new_repo r7 && cd r7 &&
	echo a >a && git add a &&
	printf "[cochange.x]\nwhen = a\nforbid_alone = b\nrequire = c\n" >.repoguard.ini &&
	expect_code 3 "$RG" pre-commit &&
	contains "$TRASH/stderr" ".repoguard.ini:3: [cochange.x] has both when= and forbid_alone=" &&
	printf "[cochange.x]\nwhen = a\n" >.repoguard.ini &&
	expect_code 3 "$RG" pre-commit &&
	contains "$TRASH/stderr" ".repoguard.ini:2: [cochange.x] needs require=" &&
	printf "[cochange.x]\nrequire = a\n" >.repoguard.ini &&
	expect_code 3 "$RG" pre-commit &&
	contains "$TRASH/stderr" ".repoguard.ini:2: [cochange.x] needs when=" &&
	printf "[cochange.x]\nmessage = m\n" >.repoguard.ini &&
	expect_code 3 "$RG" pre-commit &&
	contains "$TRASH/stderr" ".repoguard.ini:2: [cochange.x] needs when=" &&
	printf "; c\n[cochange.x]\n" >.repoguard.ini &&
	expect_code 3 "$RG" pre-commit &&
	contains "$TRASH/stderr" ".repoguard.ini:2: [cochange.x] needs when=" &&
	expect_code 3 "$RG" config &&
	contains "$TRASH/stderr" ".repoguard.ini:2: [cochange.x] needs when=" &&
	printf "[cochange.x]\nwhen =\nrequire = b\n" >.repoguard.ini &&
	expect_code 3 "$RG" pre-commit &&
	contains "$TRASH/stderr" ".repoguard.ini:2: when= is empty in [cochange.x]" &&
	printf "[cochange.x]\nforbid_alone =   ; nothing\nrequire = b\n" >.repoguard.ini &&
	expect_code 3 "$RG" pre-commit &&
	contains "$TRASH/stderr" ".repoguard.ini:2: forbid_alone= is empty in [cochange.x]" &&
	printf "[cochange.x]\nwhen = a\nrequire = b\non = added touched\n" >.repoguard.ini &&
	expect_code 3 "$RG" pre-commit &&
	contains "$TRASH/stderr" ".repoguard.ini:4: '"'"'touched'"'"' in on= is not a kind of change" &&
	printf "[cochange]\nwhen = a\nrequire = b\n" >.repoguard.ini &&
	expect_code 3 "$RG" pre-commit &&
	printf "[cochange.x]\nwhen = a\nrequire = b\nwhen_not = c\n" >.repoguard.ini &&
	expect_code 3 "$RG" pre-commit &&
	contains "$TRASH/stderr" ".repoguard.ini:4: unknown key"
'

test_expect_success 'a !pattern in require= subtracts: not named as an alternative; only !patterns is an error' '
	new_repo r7b && cd r7b &&
	mkdir -p src/components src/routes && echo r >src/routes/README.md && echo i >src/routes/index.ts &&
	printf "[cochange.r]\nwhen = src/components/**\nrequire = src/routes/** !src/routes/README.md\n" >.repoguard.ini &&
	git add . && git commit -qm base &&
	echo n >src/components/N.tsx && echo more >>src/routes/README.md && git add . &&
	expect_code 1 git commit -qm "N, README only" &&
	contains "$TRASH/stderr" "error[cochange.r] src/components/N.tsx: added without a change to src/routes/** (other than src/routes/README.md)" &&
	lacks "$TRASH/stderr" "or !src/routes/README.md" &&
	contains "$TRASH/stderr" "stage the matching change to src/routes/** (other than src/routes/README.md)" &&
	echo more >>src/routes/index.ts && git add . && git commit -qm "N, routes" &&
	printf "[cochange.r]\nwhen = src/components/**\nrequire = !src/routes/README.md\n" >.repoguard.ini &&
	expect_code 3 "$RG" pre-commit &&
	contains "$TRASH/stderr" ".repoguard.ini:3: require= in [cochange.r] has only !patterns, which match nothing" &&
	printf "[cochange.r]\nwhen = !src/x\nrequire = a\n" >.repoguard.ini &&
	expect_code 3 "$RG" pre-commit &&
	contains "$TRASH/stderr" ".repoguard.ini:2: when= in [cochange.r] has only !patterns, which match nothing"
'

test_expect_success 'ranges are checked commit by commit (ci, pre-push)' '
	routing_repo r9 && git checkout -qb feature &&
	echo "export default 6" >src/components/A.tsx && git add . && git commit -q --no-verify -m "A alone" &&
	a=$(git rev-parse HEAD) &&
	echo "export default 31" >src/product/App.tsx && git add . && git commit -q --no-verify -m "router later" &&
	expect_code 1 "$RG" ci --base main &&
	contains "$TRASH/stdout" "error[cochange.routing] $(echo $a | cut -c1-12):src/components/A.tsx: added without a change to" &&
	test "$(grep -c "error\[cochange" "$TRASH/stdout")" = 1 &&
	contains "$TRASH/stdout" "if this change really needs none: REPOGUARD_SKIP=cochange.routing in the CI job'"'"'s environment, for this run" &&
	lacks "$TRASH/stdout" "REPOGUARD_SKIP=cochange.routing git" &&
	git init -q --bare ../r9.git && git remote add origin "file://$TRASH/r9.git" &&
	git push -q --no-verify origin main &&
	expect_code 1 git push origin feature &&
	contains "$TRASH/stderr" "error[cochange.routing] $(echo $a | cut -c1-12):src/components/A.tsx" &&
	contains "$TRASH/stderr" "if this change really needs none: REPOGUARD_SKIP=cochange.routing git push ..." &&
	git reset -q --soft main && git commit -q --no-verify -m "A with the router" &&
	git push -q origin feature
'

test_expect_success 'the fix of a root commit rebases with --root, and works' '
	git init -q --bare r10.git && git init -q r10 && cd r10 &&
	printf "[cochange.lock]\nforbid_alone = package.json\nrequire = package-lock.json\n" >.repoguard.ini &&
	echo "{}" >package.json && git add . && git commit -q --no-verify -m root &&
	git remote add origin "file://$TRASH/r10.git" && "$RG" install >/dev/null &&
	expect_code 1 git push origin main &&
	contains "$TRASH/stderr" "git rebase -i --root   # mark $(git rev-parse --short=12 HEAD) as '"'"'edit'"'"', change package-lock.json, then:" &&
	contains "$TRASH/stderr" "    git add -- package-lock.json && git commit --amend --no-edit --allow-empty && git rebase --continue" &&
	lacks "$TRASH/stderr" "~1" &&
	GIT_SEQUENCE_EDITOR="sed -i 1s/^pick/edit/" git rebase -i --root >/dev/null 2>&1 &&
	echo "{}" >package-lock.json &&
	git add -- package-lock.json && git commit -q --amend --no-edit && git rebase --continue >/dev/null 2>&1 &&
	git show --stat HEAD | grep -q package-lock.json &&
	git push -q origin main
'

test_expect_success 'an anchored require= path is staged without its leading /' '
	new_repo r11 && cd r11 &&
	printf "[cochange.lock]\nforbid_alone = /package.json\nrequire = /package-lock.json\n" >.repoguard.ini &&
	echo "{}" >package.json && echo "{}" >package-lock.json && git add . && git commit -q --no-verify -m base &&
	echo "{\"a\": 1}" >package.json && git add package.json &&
	expect_code 1 "$RG" pre-commit &&
	contains "$TRASH/stderr" "update package-lock.json as this change needs, then: git add -- package-lock.json" &&
	echo "{\"a\": 1}" >package-lock.json && git add -- package-lock.json &&
	"$RG" pre-commit
'

test_expect_success 'json output carries the section id' '
	lockfile_repo r8 &&
	echo 3 >package.json && git add package.json &&
	expect_code 1 "$RG" pre-commit --format json &&
	contains "$TRASH/stdout" "\"rule\": \"cochange.lockfile\""
'

test_done

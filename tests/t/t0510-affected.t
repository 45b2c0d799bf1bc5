#!/bin/sh
# t0510: `repoguard affected` against lists computed independently with
# git diff and grep, and as a Netlify ignore command.
. "$(dirname "$0")/../lib/test-lib.sh"
. "$TEST_DIR/../lib/deploy-lib.sh"

# The targets of layout_root, as grep patterns over `git diff --name-only`.
NETLIFY_RE='^(src/|public/|index\.html$|netlify\.toml$|package\.json$|vite\.config\.[^/]*$)'
EC2_RE='^(orchestrator|backend)/'

# expect_for BASE [HEAD]: the affected targets, in configuration order, per git.
expect_for() {
	git diff --no-renames --name-only "$1" "${2:-HEAD}" >"$TRASH/changed"
	: >"$TRASH/expect"
	if grep -Eq "$NETLIFY_RE" "$TRASH/changed"; then echo netlify >>"$TRASH/expect"; fi
	if grep -Eq "$EC2_RE" "$TRASH/changed"; then echo ec2 >>"$TRASH/expect"; fi
}

# json_paths TARGET FILE: the "paths" of TARGET in affected's JSON, sorted
json_paths() {
	sed -n "s/.*{\"name\": \"$1\".*\"paths\": \[\(.*\)\]}.*/\1/p" "$2" |
		tr ',' '\n' | sed 's/^ *"//; s/"$//' | sed '/^$/d' | LC_ALL=C sort
}

# history: commits touching each target alone, both, neither, renames across
# targets, deletions and deep paths
make_history() {
	layout_root "$1" &&
	echo "h2" >src/components/Header.tsx && git commit -qam "frontend only" &&
	echo "readme 2" >README.md && git commit -qam "docs only" &&
	echo "u2" >backend/routes/users.js && echo "icon" >public/icon.svg &&
	git add . && git commit -qm "both" &&
	git mv backend/util.js src/util.js && git commit -qm "rename across targets" &&
	git rm -q orchestrator/run.sh && git commit -qm "delete orchestrator" &&
	echo "export default {x: 1}" >vite.config.ts && git commit -qam "vite" &&
	mkdir -p backend/a/b && echo deep >backend/a/b/c.js && git add . && git commit -qm "deep" &&
	echo "readme 3" >README.md && echo "lock" >backend/package-lock.json &&
	git add . && git commit -qm "readme and lock"
}

test_expect_success 'affected --base: every base of a history matches git diff | grep' '
	make_history h1 &&
	git rev-list HEAD >bases && test "$(wc -l <bases)" = 9 &&
	while read -r base; do
		expect_for "$base" &&
		if test -s "$TRASH/expect"; then code=1; else code=0; fi &&
		expect_code $code "$RG" affected --base "$base" &&
		cmp "$TRASH/expect" "$TRASH/stdout" || { echo "base $base"; exit 1; }
	done <bases &&
	test "$(git rev-list HEAD | wc -l)" = 9
'

test_expect_success 'affected --base --head: any pair of commits, and the paths per target in JSON' '
	make_history h2 &&
	git rev-list HEAD >revs &&
	while read -r a; do
		while read -r b; do
			expect_for "$a" "$b" &&
			if test -s "$TRASH/expect"; then code=1; else code=0; fi &&
			expect_code $code "$RG" affected --base "$a" --head "$b" --format json &&
			cp "$TRASH/stdout" out.json &&
			grep -E "$NETLIFY_RE" "$TRASH/changed" | LC_ALL=C sort >want.netlify || true &&
			grep -E "$EC2_RE" "$TRASH/changed" | LC_ALL=C sort >want.ec2 || true &&
			json_paths netlify out.json >got.netlify && json_paths ec2 out.json >got.ec2 &&
			cmp want.netlify got.netlify && cmp want.ec2 got.ec2 &&
			grep -Ev "$NETLIFY_RE|$EC2_RE" "$TRASH/changed" >want.unmapped || true &&
			sed -n "s/.*\"unmapped\": \[\(.*\)\]}.*/\1/p" out.json | tr "," "\n" |
				sed "s/^ *\"//; s/\"$//" | sed "/^$/d" | LC_ALL=C sort >got.unmapped &&
			LC_ALL=C sort want.unmapped | cmp - got.unmapped || { echo "range $a..$b"; cat out.json; exit 1; }
		done <revs
	done <revs
'

test_expect_success 'json: every selected target, affected or not, with reason, since and base' '
	make_history h3 &&
	expect_code 1 "$RG" affected --base HEAD~1 --format json &&
	contains "$TRASH/stdout" "{\"name\": \"netlify\", \"affected\": false, \"reason\": \"unchanged\", \"since\": \"HEAD~1\", \"base\": \"$(git rev-parse HEAD~1)\", \"paths\": []}" &&
	contains "$TRASH/stdout" "{\"name\": \"ec2\", \"affected\": true, \"reason\": \"changed\", \"since\": \"HEAD~1\", \"base\": \"$(git rev-parse HEAD~1)\", \"paths\": [\"backend/package-lock.json\"]}" &&
	contains "$TRASH/stdout" "\"unmapped\": [\"README.md\"]" &&
	contains "$TRASH/stdout" "{\"head\": \"$(git rev-parse HEAD)\"," &&
	expect_code 0 "$RG" affected --base HEAD~1 --target netlify --format json &&
	lacks "$TRASH/stdout" "\"ec2\"" &&
	if command -v jq >/dev/null; then "$RG" affected --base HEAD~3 --format json | jq -e ".targets | length == 2"; fi
'

test_expect_success 'without --base: each target from its own last deploy; no deploy yet = affected' '
	make_history h4 &&
	expect_code 1 "$RG" affected &&
	printf "netlify\nec2\n" >expect && cmp expect "$TRASH/stdout" &&
	contains "$TRASH/stderr" "note: netlify counts as affected: no deploy recorded" &&
	git checkout -q HEAD~4 && record netlify && git checkout -q main &&
	expect_code 1 "$RG" affected --format json &&
	contains "$TRASH/stdout" "\"reason\": \"no deploy recorded\", \"since\": null, \"base\": null, \"paths\": []" &&
	record ec2 &&
	expect_for "$(git rev-parse deploy/netlify/20260101T000000Z)" &&
	expect_code 1 "$RG" affected &&
	grep -x netlify "$TRASH/expect" >want && cmp want "$TRASH/stdout" &&
	mkdir -p orchestrator && echo "ops" >orchestrator/deploy.sh && git add . && git commit -qm ops &&
	expect_code 1 "$RG" affected && printf "netlify\nec2\n" >expect && cmp expect "$TRASH/stdout" &&
	record_at 1767225700 netlify &&
	expect_code 1 "$RG" affected && echo ec2 >expect && cmp expect "$TRASH/stdout" &&
	record_at 1767225700 ec2 &&
	expect_code 0 "$RG" affected && test ! -s "$TRASH/stdout"
'

test_expect_success '--target and --quiet: exit status only (0 skip, 1 build)' '
	layout_root q1 && record netlify && record ec2 &&
	echo "u" >>backend/util.js && git commit -qam util &&
	expect_code 0 "$RG" affected --target netlify --quiet && test ! -s "$TRASH/stdout" &&
	expect_code 1 "$RG" affected --target ec2 --quiet && test ! -s "$TRASH/stdout" &&
	test ! -s "$TRASH/stderr" &&
	expect_code 1 "$RG" affected --target netlify --target ec2 &&
	echo ec2 >expect && cmp expect "$TRASH/stdout" &&
	expect_code 2 "$RG" affected --target nosuch &&
	contains "$TRASH/stderr" "configured targets are: netlify, ec2" &&
	expect_code 2 "$RG" affected --base no-such-rev &&
	contains "$TRASH/stderr" "--base '"'"'no-such-rev'"'"' is not a commit" &&
	expect_code 2 "$RG" affected --format yaml &&
	expect_code 2 "$RG" affected extra &&
	expect_code 1 "$RG" affected --base "" --target netlify --format json &&
	contains "$TRASH/stdout" "\"reason\": \"no previous build\""
'

test_expect_success 'Netlify ignore command from the base directory (frontend/ + backend/)' '
	layout_side n1 &&
	first=$(git rev-parse HEAD) &&
	echo "app = Flask(__name__)" >backend/app/main.py && git commit -qam backend &&
	backend=$(git rev-parse HEAD) &&
	echo "export default App" >frontend/src/App.tsx && git commit -qam frontend &&
	front=$(git rev-parse HEAD) &&
	cd frontend &&
	expect_code 0 env NETLIFY=true CACHED_COMMIT_REF=$first COMMIT_REF=$backend "$RG" affected --target web --quiet &&
	expect_code 1 env NETLIFY=true CACHED_COMMIT_REF=$backend COMMIT_REF=$front "$RG" affected --target web --quiet &&
	expect_code 1 env NETLIFY=true CACHED_COMMIT_REF=$first COMMIT_REF=$front "$RG" affected --target web --quiet &&
	expect_code 0 env NETLIFY=true CACHED_COMMIT_REF=$backend COMMIT_REF=$front "$RG" affected --target api --quiet &&
	expect_code 1 env NETLIFY=true CACHED_COMMIT_REF=$front COMMIT_REF=$front "$RG" affected --target web --quiet &&
	expect_code 1 env NETLIFY=true CACHED_COMMIT_REF= COMMIT_REF=$front "$RG" affected --target web --quiet &&
	expect_code 1 env NETLIFY=true COMMIT_REF=$front "$RG" affected --target web --quiet &&
	expect_code 1 env NETLIFY=true CACHED_COMMIT_REF=0123456789012345678901234567890123456789 COMMIT_REF=$front \
		"$RG" affected --target web &&
	contains "$TRASH/stderr" "counting every target as affected" &&
	contains "$TRASH/stderr" "CACHED_COMMIT_REF '"'"'0123456789012345678901234567890123456789'"'"' is not a commit" &&
	expect_code 2 env NETLIFY=true COMMIT_REF=nosuch "$RG" affected --target web &&
	contains "$TRASH/stderr" "COMMIT_REF '"'"'nosuch'"'"' is not a commit" &&
	expect_code 1 env NETLIFY=true CACHED_COMMIT_REF=$front COMMIT_REF=$front "$RG" affected --target web --format json &&
	contains "$TRASH/stdout" "\"reason\": \"no previous build\"" &&
	expect_code 1 env NETLIFY=true CACHED_COMMIT_REF=$first COMMIT_REF=$backend "$RG" affected --target web --base "$first" --head "$front"
'

test_expect_success 'a shared lockfile affects both targets; !pattern leaves README unmapped' '
	layout_side n2 &&
	echo "lock v2" >yarn.lock && echo "n2" >backend/README.md && git commit -qam lock &&
	expect_code 1 "$RG" affected --base HEAD~1 --format json &&
	contains "$TRASH/stdout" "{\"name\": \"web\", \"affected\": true" &&
	contains "$TRASH/stdout" "{\"name\": \"api\", \"affected\": true" &&
	contains "$TRASH/stdout" "\"unmapped\": [\"backend/README.md\"]"
'

test_expect_success 'a missing deploy commit is an error, not a silent answer' '
	layout_root e1 &&
	gone=$(git commit-tree -m gone "HEAD^{tree}") &&
	git update-ref refs/tags/deploy/ec2/20260101T000000Z "$gone" &&
	rm -f ".git/objects/$(echo $gone | cut -c1-2)/$(echo $gone | cut -c3-)" &&
	expect_code 4 "$RG" affected --target ec2 &&
	contains "$TRASH/stderr" "deploy/ec2/20260101T000000Z: cannot read the commit it tags" &&
	expect_code 4 without_tty "$RG" deploy-check ec2
'

test_done

#!/bin/sh
# t0350: the integrations users look for: the pre-commit framework hooks
# (.pre-commit-hooks.yaml), the CI script behind the GitHub Action and the
# GitLab template (integrations/ci-check.sh), their YAML, install.sh --server.
. "$(dirname "$0")/../lib/test-lib.sh"

CHECK="$SRC_DIR/integrations/ci-check.sh"
VALIDATE="python3 $SRC_DIR/tests/lib/sarif-validate.py"

# origin.git: main with a clean commit; pr: a node_modules commit, then its removal
test_expect_success 'setup origin and a pull-request branch' '
	git init -q --bare origin.git && git clone -q origin.git work 2>/dev/null && cd work &&
	echo base >README && git add README && git commit -qm base && git push -q origin main &&
	git checkout -qb pr && mkdir node_modules && echo x >node_modules/x.js &&
	git add node_modules && git commit -qm deps && git rev-parse HEAD >"$TRASH/bad" &&
	git rm -rq node_modules && git commit -qm clean && echo y >y && git add y && git commit -qm y &&
	git push -q origin pr
'

test_expect_success 'ci-check.sh: GitHub-style run writes the outputs and a valid SARIF file' '
	cd work && : >"$TRASH/gh-output" &&
	RG_BASE=$(git rev-parse main) RG_HEAD=pr RG_FORMAT=github RG_SARIF="$TRASH/rg.sarif" \
		GITHUB_OUTPUT="$TRASH/gh-output" expect_code 1 "$CHECK" &&
	contains "$TRASH/stdout" "::error file=.gitignore,line=1,title=repoguard block::node_modules/" &&
	contains "$TRASH/gh-output" "exit-code=1" &&
	contains "$TRASH/gh-output" "sarif=$TRASH/rg.sarif" &&
	$VALIDATE "$TRASH/rg.sarif" >v && contains v "1 results"
'

test_expect_success 'ci-check.sh: a new branch (zero base) is checked against the default branch' '
	cd work &&
	RG_BASE=0000000000000000000000000000000000000000 RG_HEAD=pr RG_JSON="$TRASH/rg.json" \
		expect_code 1 "$CHECK" &&
	contains "$TRASH/stderr" "checking against refs/remotes/origin/main" &&
	contains "$TRASH/rg.json" "\"commit\": \"$(cat "$TRASH/bad")\""
'

test_expect_success 'ci-check.sh: a depth-1 clone is deepened, unless RG_FETCH=0' '
	git clone -q --depth 1 --branch pr "file://$TRASH/origin.git" shallow && cd shallow &&
	base=$(git -C ../origin.git rev-parse main) &&
	RG_FETCH=0 RG_BASE=$base expect_code 4 "$CHECK" &&
	contains "$TRASH/stderr" "fetch-depth: 0" &&
	RG_BASE=$base expect_code 1 "$CHECK" &&
	contains "$TRASH/stdout" "$(cut -c1-12 "$TRASH/bad"):node_modules/" &&
	RG_BASE=$(git rev-parse pr~0) expect_code 0 "$CHECK"
'

test_expect_success 'action.yml and the GitLab template are valid and name existing scripts' '
	python3 - "$SRC_DIR" <<-PY
	import os, sys, yaml
	src = sys.argv[1]
	a = yaml.safe_load(open(os.path.join(src, "action.yml")))
	assert a["runs"]["using"] == "composite", a["runs"]
	steps = a["runs"]["steps"]
	for s in steps:
	    assert "run" in s or "uses" in s, s
	    if "run" in s:
	        assert s.get("shell") == "bash", s
	text = open(os.path.join(src, "action.yml")).read()
	for rel in ("integrations/github/build.sh", "integrations/ci-check.sh"):
	    assert rel in text and os.access(os.path.join(src, rel), os.X_OK), rel
	assert any(s.get("uses", "").startswith("github/codeql-action/upload-sarif") for s in steps)
	g = yaml.safe_load(open(os.path.join(src, "integrations/gitlab/repoguard.gitlab-ci.yml")))
	job = g[".repoguard"]
	assert job["variables"]["GIT_DEPTH"] == "0"
	assert any("ci-check.sh" in line for line in job["script"])
	w = yaml.safe_load(open(os.path.join(src, "integrations/github/repoguard.yml")))
	assert w["jobs"]["repoguard"]["steps"][0]["with"]["fetch-depth"] == 0
	print("ok")
	PY
'

# The pre-commit framework clones this source tree (committed state) and runs
# the hooks of .pre-commit-hooks.yaml with repoguard from PATH.
have_pre_commit() { command -v pre-commit >/dev/null 2>&1; }

test_expect_success 'pre-commit framework: the commit-stage hook blocks a staged node_modules/' '
	if ! have_pre_commit; then say "skipped: no pre-commit"; exit 0; fi
	git init -q fw && cd fw && echo a >a && git add a && git commit -qm a &&
	mkdir node_modules && echo x >node_modules/x.js && git add node_modules &&
	expect_code 1 pre-commit try-repo "$SRC_DIR" repoguard &&
	contains "$TRASH/stdout" "error[block] node_modules/: 1 file" &&
	git rm -rq --cached node_modules && rm -rf node_modules && echo b >b && git add b &&
	pre-commit try-repo "$SRC_DIR" repoguard >out 2>&1 || { cat out; false; }
'

test_expect_success 'pre-commit framework: the merge-commit stage checks what a merge adds, not the merged branch' '
	if ! have_pre_commit; then say "skipped: no pre-commit"; exit 0; fi
	pre-commit validate-manifest "$SRC_DIR/.pre-commit-hooks.yaml" &&
	grep -q "stages: \[commit, merge-commit\]" "$SRC_DIR/.pre-commit-hooks.yaml" &&
	git init -q fwm && cd fwm && echo a >a && git add a && git commit -qm a &&
	git checkout -qb side && mkdir node_modules && echo x >node_modules/x.js && git add node_modules &&
	git commit -qm deps --no-verify && git checkout -q main && echo b >b && git add b && git commit -qm b &&
	printf "repos:\n- repo: local\n  hooks:\n  - id: rg\n    name: rg\n    entry: %s pre-commit\n    language: system\n    pass_filenames: false\n    always_run: true\n    stages: [merge-commit]\n" \
		"$RG" >.pre-commit-config.yaml && git add .pre-commit-config.yaml && git commit -qm cfg &&
	pre-commit install --hook-type pre-merge-commit >/dev/null && test -x .git/hooks/pre-merge-commit &&
	{ git merge -q --no-edit side >out 2>&1 || { cat out; false; }; } &&
	test "$(git rev-list --count --merges HEAD)" = 1 &&
	git reset -q --hard HEAD~1 && printf "[branch]\nprotected = main\n" >.repoguard.ini &&
	git add .repoguard.ini && git commit -qm protect --no-verify &&
	expect_code 1 git merge --no-edit side &&
	cat "$TRASH/stdout" "$TRASH/stderr" >both && contains both "error[branch]" &&
	test -f .git/MERGE_HEAD && git merge --abort
'

test_expect_success 'pre-commit framework: the push-stage hook checks every commit of the range' '
	if ! have_pre_commit; then say "skipped: no pre-commit"; exit 0; fi
	cd work &&
	expect_code 1 pre-commit try-repo "$SRC_DIR" repoguard-push --hook-stage push \
		--from-ref main --to-ref pr &&
	contains "$TRASH/stdout" "$(cut -c1-12 "$TRASH/bad"):node_modules/" &&
	pre-commit try-repo "$SRC_DIR" repoguard-push --hook-stage push \
		--from-ref pr~1 --to-ref pr >out 2>&1 || { cat out; false; }
'

test_expect_success 'pre-commit framework: the commit-msg hook refuses a message with a key, masked' '
	if ! have_pre_commit; then say "skipped: no pre-commit"; exit 0; fi
	cd fw && key=$(gen_key AKIA 16 $B32 35) &&
	printf "deploy with %s\n" "$key" >"$TRASH/bad.msg" &&
	expect_code 1 pre-commit try-repo "$SRC_DIR" repoguard-commit-msg --hook-stage commit-msg \
		--commit-msg-filename "$TRASH/bad.msg" &&
	contains "$TRASH/stdout" "error[secrets.aws-access-key-id] commit message, line 1:" &&
	lacks "$TRASH/stdout" "$key" &&
	printf "deploy with the key from the vault\n" >"$TRASH/good.msg" &&
	pre-commit try-repo "$SRC_DIR" repoguard-commit-msg --hook-stage commit-msg \
		--commit-msg-filename "$TRASH/good.msg" >out 2>&1 || { cat out; false; }
'

test_expect_success 'install.sh --server installs the pre-receive hook into a bare repository' '
	if ! make -s -q -C "$SRC_DIR" repoguard 2>/dev/null; then say "skipped: build not current"; exit 0; fi
	git init -q --bare srv.git &&
	"$SRC_DIR/install.sh" --prefix "$TRASH/prefix" --server "$TRASH/srv.git" >out 2>&1 || { cat out; false; } &&
	test -L srv.git/hooks/pre-receive &&
	test "$(readlink srv.git/hooks/pre-receive)" = "$TRASH/prefix/bin/repoguard" &&
	git clone -q srv.git c 2>/dev/null && cd c && echo a >a && git add a && git commit -qm a &&
	git push -q origin main && mkdir node_modules && echo x >node_modules/x.js &&
	git add node_modules && git commit -qm deps &&
	expect_code 1 git push origin main &&
	contains "$TRASH/stderr" "remote: error[block]"
'

test_done

#!/bin/sh
# t0530: the deploy rule on pre-push: a push to a ref or remote mapped to a
# deploy target is checked like deploy-check, on the pushed range.
. "$(dirname "$0")/../lib/test-lib.sh"
. "$TEST_DIR/../lib/deploy-lib.sh"

# deploy_pair NAME: a bare remote, and a clone shaped like layout_root with
# the hooks installed; main, deploy/ec2 and deploy/netlify pushed at the base.
deploy_pair() {
	layout_root "$1" >/dev/null &&
	git init -q --bare "../$1.git" &&
	git remote add origin "../$1.git" &&
	"$RG" install >/dev/null &&
	git push -q origin main main:deploy/ec2 main:deploy/netlify 2>"$TRASH/setup.err"
}

remote_tip() { git -C "../$1.git" rev-parse "$2"; }

test_expect_success 'a frontend change pushed to the ec2 deploy branch is refused' '
	deploy_pair p1 &&
	before=$(remote_tip p1 deploy/ec2) &&
	echo "header 2" >src/components/Header.tsx && echo "footer 2" >src/components/Footer.tsx &&
	git commit -qam "frontend" && git push -q origin main &&
	expect_code 1 git push origin main:deploy/ec2 &&
	contains "$TRASH/stderr" "error[deploy] $(git rev-parse HEAD | cut -c1-12): pushing deploy/ec2 deploys ec2, but the 2 changed paths in the pushed range all belong to netlify" &&
	contains "$TRASH/stderr" "M src/components/Header.tsx" &&
	contains "$TRASH/stderr" "git push origin main:deploy/netlify   # deploy netlify instead" &&
	contains "$TRASH/stderr" "REPOGUARD_SKIP=deploy git push origin ..." &&
	test "$(remote_tip p1 deploy/ec2)" = "$before" &&
	git push -q origin main:deploy/netlify &&
	test "$(remote_tip p1 deploy/netlify)" = "$(git rev-parse HEAD)"
'

test_expect_success 'a matching push passes; pushes to other refs are not deploys' '
	deploy_pair p2 &&
	echo "listen(1)" >backend/server.js && git commit -qam port &&
	git push -q origin main:deploy/ec2 2>err && lacks err "deploy" &&
	echo "header 3" >src/components/Header.tsx && git commit -qam header &&
	git push -q origin main 2>err && lacks err "[deploy]" &&
	git push -q origin main:feature 2>err && lacks err "[deploy]"
'

test_expect_success 'mixed: passes with a note naming what is left undeployed' '
	deploy_pair p3 &&
	echo "users 2" >backend/routes/users.js && echo "logo 2" >public/logo.svg &&
	git commit -qam both &&
	expect_code 0 git push origin main:deploy/ec2 &&
	contains "$TRASH/stderr" "note[deploy]" &&
	contains "$TRASH/stderr" "pushing deploy/ec2 deploys ec2; also changed and left undeployed: netlify (1 path)" &&
	test "$(remote_tip p3 deploy/ec2)" = "$(git rev-parse HEAD)"
'

test_expect_success 'REPOGUARD_SKIP=deploy and --no-verify override; severity = warn only warns' '
	deploy_pair p4 &&
	echo "logo 3" >public/logo.svg && git commit -qam logo &&
	REPOGUARD_SKIP=deploy git push -q origin main:deploy/ec2 2>err &&
	contains err "skipped by REPOGUARD_SKIP: deploy" &&
	echo "logo 4" >public/logo.svg && git commit -qam logo4 &&
	printf "[deploy]\nseverity = warn\n" >>.repoguard.ini &&
	git push -q origin main:deploy/ec2 2>err &&
	contains err "warning[deploy]" && contains err "the changed path in the pushed range belongs to netlify" &&
	git checkout -q .repoguard.ini &&
	echo "logo 5" >public/logo.svg && git commit -qam logo5 &&
	git push -q --no-verify origin main:deploy/ec2 &&
	test "$(remote_tip p4 deploy/ec2)" = "$(git rev-parse HEAD)"
'

test_expect_success 'a push to a mapped remote deploys its target' '
	deploy_pair p5 &&
	printf "[deploy.netlify]\nremotes = netlify\n" >>.repoguard.ini &&
	git commit -qam "netlify remote" &&
	git init -q --bare ../p5-netlify.git && git remote add netlify ../p5-netlify.git &&
	git push -q --no-verify netlify main &&
	echo "listen(2)" >backend/server.js && git commit -qam port &&
	expect_code 1 git push netlify main &&
	contains "$TRASH/stderr" "pushing main deploys netlify, but the changed path in the pushed range belongs to ec2" &&
	contains "$TRASH/stderr" "REPOGUARD_SKIP=deploy git push netlify ..." &&
	lacks "$TRASH/stderr" "# deploy ec2 instead" &&
	git push -q origin main 2>err && lacks err "[deploy]"
'

test_expect_success 'a new deploy branch: checked over the commits the remote does not have' '
	deploy_pair p6 &&
	printf "[deploy.ec2]\nbranches = deploy/ec2-*\n" >>.repoguard.ini &&
	git commit -qam "hotfix branches" && git push -q origin main &&
	git checkout -qb hotfix && echo "header 9" >src/components/Header.tsx &&
	echo "readme 9" >README.md && git commit -qam hotfix &&
	expect_code 1 git push origin hotfix:deploy/ec2-hotfix &&
	contains "$TRASH/stderr" "pushing deploy/ec2-hotfix deploys ec2, but the 2 changed paths in the pushed range belong to netlify (1) and to no target (1)" &&
	contains "$TRASH/stderr" "warning[deploy] $(git rev-parse HEAD | cut -c1-12):README.md: changed in the push to deploy/ec2-hotfix, but belongs to no deploy target" &&
	expect_code 1 git -C ../p6.git rev-parse -q --verify refs/heads/deploy/ec2-hotfix &&
	git checkout -q main && expect_code 0 git push origin main:deploy/ec2-new &&
	contains "$TRASH/stderr" "deploy/ec2-new brings no commits the remote does not have"
'

test_expect_success 'an annotated tag mapped with refs/tags/ is peeled and checked' '
	deploy_pair p7 &&
	printf "[deploy.ec2]\nbranches = refs/tags/ec2-*\n" >>.repoguard.ini && git commit -qam tags &&
	git push -q origin main &&
	echo "logo 7" >public/logo.svg && git commit -qam logo &&
	git tag -a -m release ec2-v1 &&
	expect_code 1 git push origin ec2-v1 &&
	contains "$TRASH/stderr" "pushing refs/tags/ec2-v1 deploys ec2, but the changed path in the pushed range belongs to netlify" &&
	expect_code 1 git -C ../p7.git rev-parse -q --verify refs/tags/ec2-v1
'

test_expect_success 'the "instead" command pushes a tag or a detached HEAD to the branch itself' '
	cd p7 &&
	expect_code 1 git push origin ec2-v1 &&
	contains "$TRASH/stderr" "error[deploy] $(git rev-parse HEAD | cut -c1-12): pushing refs/tags/ec2-v1" &&
	contains "$TRASH/stderr" "git push origin '"'"'refs/tags/ec2-v1^{commit}:refs/heads/deploy/netlify'"'"'   # deploy netlify instead" &&
	git push -q origin "refs/tags/ec2-v1^{commit}:refs/heads/deploy/netlify" &&
	test "$(remote_tip p7 deploy/netlify)" = "$(git rev-parse HEAD)" &&
	echo "logo 7b" >public/logo.svg && git commit -qam logo7b &&
	git checkout -q --detach &&
	expect_code 1 git push origin HEAD:refs/heads/deploy/ec2 &&
	contains "$TRASH/stderr" "git push origin HEAD:refs/heads/deploy/netlify   # deploy netlify instead" &&
	git push -q origin HEAD:refs/heads/deploy/netlify &&
	test "$(remote_tip p7 deploy/netlify)" = "$(git rev-parse HEAD)"
'

test_expect_success 'a new deploy tag pushed with the branch that brings its commits is checked' '
	deploy_pair p7b &&
	printf "[deploy.ec2]\nbranches = refs/tags/ec2-*\n" >>.repoguard.ini && git commit -qam tags &&
	git push -q origin main &&
	echo "logo 8" >public/logo.svg && git commit -qam logo &&
	git tag -a -m release ec2-v2 && git tag ec2-v3 &&
	expect_code 1 git push origin main ec2-v2 &&
	contains "$TRASH/stderr" "pushing refs/tags/ec2-v2 deploys ec2, but the changed path in the pushed range belongs to netlify" &&
	expect_code 1 git push origin main ec2-v3 &&
	contains "$TRASH/stderr" "pushing refs/tags/ec2-v3 deploys ec2, but the changed path in the pushed range belongs to netlify" &&
	expect_code 1 git push --follow-tags origin main &&
	contains "$TRASH/stderr" "pushing refs/tags/ec2-v2 deploys ec2" &&
	expect_code 1 git -C ../p7b.git rev-parse -q --verify refs/tags/ec2-v2 &&
	git push -q origin main &&
	expect_code 0 git push origin ec2-v2 &&
	contains "$TRASH/stderr" "refs/tags/ec2-v2 brings no commits the remote does not have"
'

test_expect_success 'unmapped = error fails a deploy push that changes a path of no target' '
	deploy_pair p8 &&
	sed "s/unmapped = warn/unmapped = error/" .repoguard.ini >x && mv x .repoguard.ini &&
	git commit -qam strict && git push -q --no-verify origin main main:deploy/ec2 &&
	echo "readme 2" >README.md && echo "run 2" >orchestrator/run.sh && git commit -qam docs &&
	expect_code 1 git push origin main:deploy/ec2 &&
	contains "$TRASH/stderr" "error[deploy] $(git rev-parse HEAD | cut -c1-12):README.md: changed in the push to deploy/ec2, but belongs to no deploy target" &&
	lacks "$TRASH/stderr" "orchestrator/run.sh:"
'

test_expect_success 'a deleted deploy branch is not a deploy' '
	deploy_pair p9 &&
	git push -q origin :deploy/ec2 2>err && lacks err "[deploy]" &&
	expect_code 1 git -C ../p9.git rev-parse -q --verify refs/heads/deploy/ec2
'

test_expect_success 'pre-receive: the server refuses a mismatched update of a deploy branch' '
	git init -q --bare srv.git && (cd srv.git && "$RG" install --server >/dev/null) &&
	printf "[deploy.netlify]\npaths = src/** /index.html\n[deploy.ec2]\npaths = backend/**\nbranches = deploy/ec2\n" \
		>srv.git/server-rules.ini &&
	git -C srv.git config repoguard.config server-rules.ini &&
	git clone -q "file://$TRASH/srv.git" srvc 2>/dev/null && cd srvc &&
	mkdir -p src backend && echo a >src/a.ts && echo b >backend/b.js && git add . && git commit -qm base &&
	git push -q origin main main:deploy/ec2 &&
	echo a2 >src/a.ts && git commit -qam front && git push -q origin main &&
	repo_state ../srv.git >"$TRASH/before" &&
	expect_code 1 git push origin main:deploy/ec2 &&
	contains "$TRASH/stderr" "remote: error[deploy] $(git rev-parse HEAD | cut -c1-12): pushing deploy/ec2 deploys ec2, but the changed path in the pushed range belongs to netlify" &&
	lacks "$TRASH/stderr" "REPOGUARD_SKIP" &&
	repo_state ../srv.git >"$TRASH/after" && cmp "$TRASH/before" "$TRASH/after" &&
	echo b2 >backend/b.js && git commit -qam back && git push -q origin main:deploy/ec2 &&
	test "$(git -C ../srv.git rev-parse deploy/ec2)" = "$(git rev-parse HEAD)"
'

test_expect_success 'a force push over a remote tip never fetched is checked over the commits the remote lacks' '
	deploy_pair p-unknown &&
	git clone -q ../p-unknown.git ../p-unknown-other &&
	(cd ../p-unknown-other && echo "users 9" >backend/routes/users.js &&
	 git commit -qam "theirs" && git push -q --no-verify origin HEAD:deploy/ec2) &&
	theirs=$(remote_tip p-unknown deploy/ec2) &&
	! git cat-file -e "$theirs" 2>/dev/null &&
	echo "header 9" >src/components/Header.tsx && git commit -qam "frontend" &&
	expect_code 1 git push -f origin main:deploy/ec2 &&
	contains "$TRASH/stderr" "pushing deploy/ec2 deploys ec2, but the changed path in the pushed range belongs to netlify" &&
	lacks "$TRASH/stderr" "nothing to compare" &&
	test "$(remote_tip p-unknown deploy/ec2)" = "$theirs"
'

test_done

#!/bin/sh
# t0520: `repoguard init` proposes deploy targets from what it finds.
. "$(dirname "$0")/../lib/test-lib.sh"
. "$TEST_DIR/../lib/deploy-lib.sh"

# section_paths NAME: the paths of [deploy.NAME] in .repoguard.ini, one line
section_paths() {
	awk -v s="[deploy.$1]" '
		$0 == s { on = 1; next }
		/^\[/ { on = 0 }
		on && /^paths = / { sub(/^paths = /, ""); printf "%s%s", sep, $0; sep = " " }
		END { print "" }' .repoguard.ini
}

test_expect_success 'frontend at the root (netlify.toml without base) with backend/' '
	layout_root i1 && git rm -q .repoguard.ini && git commit -qm "no config" &&
	printf "FROM node:20\nCOPY backend/ /app\n" >backend/Dockerfile &&
	"$RG" init >"$TRASH/out" && contains "$TRASH/out" "wrote .repoguard.ini with deploy targets netlify, backend" &&
	test "$(section_paths netlify)" = "/netlify.toml /index.html /package.json public/** src/** /vite.config.ts" &&
	contains .repoguard.ini "; not assigned to any target: orchestrator/ (add each to the target" &&
	test "$(section_paths backend)" = "backend/**" &&
	contains .repoguard.ini "; built by backend/Dockerfile" &&
	lacks .repoguard.ini "[deploy.orchestrator]" &&
	contains .repoguard.ini "unmapped = warn" &&
	"$RG" config >/dev/null &&
	git add .repoguard.ini backend/Dockerfile && git commit -qm init && record backend && record netlify &&
	echo "h9" >src/components/Header.tsx && git commit -qam header &&
	expect_code 1 without_tty "$RG" deploy-check backend &&
	contains "$TRASH/stdout" "belongs to netlify" &&
	expect_code 0 without_tty "$RG" deploy-check netlify
'

test_expect_success 'frontend/ + backend/ side by side, netlify.toml base = "frontend"' '
	git init -q i2 && cd i2 &&
	mkdir -p frontend/src backend/app api && echo a >frontend/src/a.ts && echo b >backend/app/main.py &&
	echo c >api/index.js && echo lock >yarn.lock &&
	printf "# Netlify\n[build]\n  base = \"frontend/\"   # the app\n  publish = \"dist\"\n[context.production]\n  base = \"other\"\n" >netlify.toml &&
	"$RG" init >/dev/null &&
	test "$(section_paths netlify)" = "frontend/** /netlify.toml" &&
	contains .repoguard.ini "; netlify.toml: Netlify builds from base = \"frontend\"" &&
	test "$(section_paths backend)" = "backend/**" &&
	test "$(section_paths api)" = "api/**" &&
	"$RG" config >/dev/null
'

test_expect_success 'netlify.toml inside frontend/ (no root file); a frontend/ folder without Netlify' '
	git init -q i3 && cd i3 &&
	mkdir -p frontend server && echo a >frontend/index.html && echo s >server/main.go &&
	printf "[build]\ncommand = \"npm run build\"\n" >frontend/netlify.toml &&
	"$RG" init >/dev/null &&
	test "$(section_paths netlify)" = "frontend/**" &&
	contains .repoguard.ini "; frontend/netlify.toml: Netlify builds from frontend/" &&
	test "$(section_paths server)" = "server/**" &&
	cd .. && git init -q i3b && cd i3b && mkdir client api && echo x >client/x && echo y >api/y &&
	"$RG" init >/dev/null &&
	test "$(section_paths client)" = "client/**" &&
	contains .repoguard.ini "client/ looks like a frontend (no netlify.toml found)" &&
	test "$(section_paths api)" = "api/**"
'

test_expect_success 'a root Dockerfile joins the target of the folder it copies' '
	git init -q i4 && cd i4 &&
	mkdir -p server/src web && echo s >server/src/main.ts && echo w >web/index.html &&
	echo shared >tsconfig.json && echo "node_modules" >.dockerignore &&
	printf "FROM node:20 AS build\nCOPY --chown=node:node \\\\\n  server/ tsconfig.json /app/\nCOPY --from=build /app/dist /srv\nRUN npm ci\n" >Dockerfile &&
	"$RG" init >/dev/null &&
	test "$(section_paths server)" = "server/** /tsconfig.json /Dockerfile /.dockerignore" &&
	contains .repoguard.ini "; built by the Dockerfile at the root, with what it copies" &&
	test "$(section_paths web)" = "web/**"
'

test_expect_success 'a root Dockerfile that copies everything; one with no server folder' '
	git init -q i5 && cd i5 &&
	mkdir backend && echo b >backend/b.py && printf "FROM python\nCOPY . /app\n" >Dockerfile &&
	"$RG" init >/dev/null &&
	test "$(section_paths docker)" = "** /Dockerfile" &&
	contains .repoguard.ini "copies the whole build context (COPY .)" &&
	cd .. && git init -q i5b && cd i5b && mkdir app && echo a >app/main.py && echo r >requirements.txt &&
	printf "FROM python\nCOPY [\"requirements.txt\", \"./\"]\nADD app /srv/app\n" >Dockerfile &&
	"$RG" init >/dev/null &&
	test "$(section_paths docker)" = "/requirements.txt app/** /Dockerfile"
'

test_expect_success 'pm2 ecosystem files: the folder the apps run from becomes the target' '
	git init -q i6 && cd i6 &&
	mkdir -p orchestrator src && echo o >orchestrator/index.js && echo s >src/app.ts &&
	cat >ecosystem.config.js <<-\EOF &&
	module.exports = {
	  apps: [{
	    name: "orchestrator",
	    script: "./orchestrator/index.js",
	    env: { NODE_ENV: "production" }
	  }]
	}
	EOF
	"$RG" init >/dev/null &&
	test "$(section_paths orchestrator)" = "orchestrator/** /ecosystem.config.js" &&
	contains .repoguard.ini "; started by pm2 from ecosystem.config.js" &&
	cd .. && git init -q i6b && cd i6b && echo x >server.js &&
	printf "{\"apps\": [{\"name\": \"api\", \"script\": \"server.js\"}]}\n" >pm2.json &&
	"$RG" init >/dev/null &&
	test "$(section_paths pm2)" = "/server.js /pm2.json" &&
	cd .. && git init -q i6c && cd i6c && mkdir backend && echo x >backend/x.js &&
	printf "module.exports = { apps: [{ script: \"npm\", args: \"start\" }] }\n" >ecosystem.config.cjs &&
	"$RG" init >/dev/null &&
	test "$(section_paths backend)" = "backend/** /ecosystem.config.cjs" &&
	contains .repoguard.ini "runs no script from a folder: check that it"
'

test_expect_success 'an existing file is never overwritten (not even through a symlink)' '
	layout_root i7 &&
	cp .repoguard.ini before &&
	expect_code 2 "$RG" init &&
	contains "$TRASH/stderr" ".repoguard.ini exists already; init never overwrites it" &&
	cmp before .repoguard.ini &&
	expect_code 0 "$RG" init --print &&
	contains "$TRASH/stdout" "[deploy.backend]" &&
	cmp before .repoguard.ini &&
	rm .repoguard.ini && ln -s "$TRASH/elsewhere.ini" .repoguard.ini &&
	expect_code 2 "$RG" init && test ! -e "$TRASH/elsewhere.ini"
'

test_expect_success 'nothing found: a valid file with a commented example' '
	git init -q i8 && cd i8 && echo x >README.md &&
	"$RG" init >"$TRASH/out" &&
	contains "$TRASH/out" "no deploy target found" &&
	contains .repoguard.ini "; No deploy target found" &&
	! grep -q "^\[deploy\." .repoguard.ini &&
	"$RG" config >/dev/null &&
	expect_code 3 "$RG" deploy-check ec2 &&
	contains "$TRASH/stderr" "no deploy targets are configured"
'

test_expect_success 'odd names: glob characters escaped, spaces as a class, ; skipped and said so' '
	git init -q i9 && cd i9 &&
	printf "[build]\nbase = \"\"\n" >netlify.toml &&
	mkdir "my src" "[x]" && echo a >"my src/a" && echo b >"[x]/b" && echo c >"!bang" && echo d >"st*r" &&
	echo e >"[y].js" && echo f >"my file.txt" && echo g >"a;b" && echo h >"\"q\"" &&
	"$RG" init >/dev/null &&
	test "$(section_paths netlify)" = "/netlify.toml /\\!bang /\\\"q\\\" /\\[y].js /my[[:space:]]file.txt /st\\*r" &&
	contains .repoguard.ini "; not assigned to any target: [x]/" &&
	contains .repoguard.ini "Not listed (a name with '"'"';'"'"', '"'"'#'"'"' or a control character cannot be a pattern word): '"'"'a;b'"'"'" &&
	"$RG" config >/dev/null &&
	git add . && git commit -qm all && record netlify &&
	echo b2 >"[x]/b" && echo d2 >"st*r" && echo a2 >"my src/a" && echo e2 >"[y].js" &&
	echo f2 >"my file.txt" && git commit -qam change &&
	expect_code 1 "$RG" affected --base HEAD~1 --format json &&
	contains "$TRASH/stdout" "\"paths\": [\"[y].js\", \"my file.txt\", \"st*r\"]" &&
	contains "$TRASH/stdout" "\"unmapped\": [\"[x]/b\", \"my src/a\"]"
'

test_expect_success 'init writes the file repoguard.config names, the one that is read, and says so' '
	git init -q i12 && cd i12 && mkdir rules sub &&
	git config repoguard.config rules/guard.ini &&
	(cd sub && "$RG" init >../out) &&
	test -f rules/guard.ini && test ! -e .repoguard.ini && test ! -e sub/rules &&
	contains out "wrote rules/guard.ini (the configuration file git config repoguard.config names" &&
	contains rules/guard.ini "; rules/guard.ini: written by" &&
	"$RG" config >cfg && contains cfg "rules/guard.ini:" &&
	expect_code 2 "$RG" init && contains "$TRASH/stderr" "rules/guard.ini exists already" &&
	git config repoguard.config nodir/guard.ini &&
	expect_code 4 "$RG" init && contains "$TRASH/stderr" "nodir/guard.ini: its directory does not exist" &&
	git config --unset repoguard.config &&
	"$RG" init >out && contains out "wrote .repoguard.ini" && lacks out "names" && test -f .repoguard.ini
'

test_expect_success 'init outside a work tree, and usage' '
	git init -q --bare i10.git &&
	expect_code 2 "$RG" -C i10.git init &&
	contains "$TRASH/stderr" "init needs a work tree" &&
	git init -q i11 && cd i11 && expect_code 2 "$RG" init --force && expect_code 2 "$RG" init x
'

test_done

#!/bin/sh
# t0800: content rules (secrets, env files, conflict markers, [content.NAME])
# through real `git commit`, and over commit ranges. Sample secrets are made
# up at run time (gen_key), so none is stored in this file.
. "$(dirname "$0")/../lib/test-lib.sh"

UPPER=ABCDEFGHIJKLMNOPQRSTUVWXYZ234567
B64=ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/
AKID=$(gen_key AKIA 16 $UPPER 1)
AKID2=$(gen_key AKIA 16 $UPPER 2)
ASK=$(gen_key "" 40 $B64 3)
ALNUM=ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789
GHP=$(gen_key ghp_ 36 $ALNUM 4)

test_expect_success 'a staged AWS key blocks the commit, named by file:line, redacted' '
	new_repo r1 && cd r1 &&
	echo base >README && git add README && git commit -qm base &&
	before=$(git rev-parse HEAD) &&
	mkdir -p config && printf "region = eu-west-1\naws_access_key_id = %s\n" "$AKID" >config/prod.ini &&
	git add config && expect_code 1 git commit -qm "add config" &&
	test "$(git rev-parse HEAD)" = "$before" &&
	contains "$TRASH/stderr" "error[secrets.aws-access-key-id] config/prod.ini:2: AWS access key ID: aws_access_key_id = AKIA****" &&
	lacks "$TRASH/stderr" "$AKID" &&
	contains "$TRASH/stderr" "git add -- config/prod.ini"
'

test_expect_success 'json output names the rule and line, never the secret' '
	cd r1 &&
	expect_code 1 "$RG" pre-commit --format json &&
	contains "$TRASH/stdout" "\"rule\": \"secrets.aws-access-key-id\"" &&
	contains "$TRASH/stdout" "\"line\": 2" &&
	lacks "$TRASH/stdout" "$AKID"
'

test_expect_success 'only added lines count: old debt does not block an unrelated change' '
	new_repo r2 && cd r2 &&
	printf "a = 1\nkey = %s\nb = 2\n" "$AKID" >settings.py &&
	git add settings.py && git commit -qm "old debt" --no-verify &&
	printf "c = 3\n" >>settings.py && git add settings.py &&
	git commit -qm "unrelated line" &&
	sed -i "s/^a = 1$/a = 10/" settings.py && git add settings.py && git commit -qm "edit another line" &&
	git mv settings.py conf.py && git commit -qm "exact rename adds nothing" &&
	printf "d = %s\n" "$AKID2" >>conf.py && git add conf.py &&
	expect_code 1 git commit -qm "new secret" &&
	contains "$TRASH/stderr" "conf.py:5:" &&
	lacks "$TRASH/stderr" "conf.py:2:" &&
	test "$(grep -c "error\[" "$TRASH/stderr")" = 1
'

test_expect_success 'a last line without a newline is not added again by a line appended after it' '
	new_repo eofnl && cd eofnl &&
	printf "a = 1\nkey = %s" "$AKID" >settings.py &&
	git add settings.py && git commit -qm "old debt, no newline at the end" --no-verify &&
	printf "\nb = 2\n" >>settings.py && git add settings.py &&
	git commit -qm "a line after it" 2>err && lacks err "error[" &&
	printf "c = 3" >>settings.py && git add settings.py && git commit -qm "no newline again" --no-verify &&
	printf "\n" >>settings.py && git add settings.py &&
	git commit -qm "newline at the end" 2>err && lacks err "error[" &&
	printf "d = %s" "$AKID2" >>settings.py && git add settings.py &&
	expect_code 1 git commit -qm "a new key, no newline" &&
	contains "$TRASH/stderr" "error[secrets.aws-access-key-id] settings.py:5:" &&
	test "$(grep -c "error\[" "$TRASH/stderr")" = 1
'

test_expect_success 'editing the line that holds a secret re-adds it' '
	cd r2 && git reset -q --hard &&
	sed -i "s/^key = /key  = /" conf.py && git add conf.py &&
	expect_code 1 git commit -qm "touch the secret line" &&
	contains "$TRASH/stderr" "conf.py:2:"
'

test_expect_success 'a repoguard:allow comment allows the line and is counted' '
	new_repo r3 && cd r3 &&
	printf "const demo = \"%s\"; // repoguard:allow secrets.github-token\n" "$GHP" >fixture.js &&
	git add fixture.js && git commit -qm "documented fixture" 2>err &&
	contains err "note: 1 finding allowed by repoguard:allow comments: secrets.github-token at fixture.js:1" &&
	printf "const other = \"%s\"; // repoguard:allow secrets.jwt\n" "$GHP" >>fixture.js &&
	git add fixture.js && expect_code 1 git commit -qm "wrong id" &&
	contains "$TRASH/stderr" "error[secrets.github-token] fixture.js:2"
'

test_expect_success 'env files are blocked as paths; .env.example is not' '
	new_repo r4 && cd r4 &&
	mkdir -p backend && echo "API_KEY=x" >backend/.env.local && echo "API_KEY=" >.env.example &&
	echo "X=1" >.env.sample && echo "Y=1" >.env &&
	git add -A && expect_code 1 git commit -qm env &&
	contains "$TRASH/stderr" "error[envfile] .env: environment file staged" &&
	contains "$TRASH/stderr" "error[envfile] backend/.env.local" &&
	contains "$TRASH/stderr" "git rm --cached --quiet -- backend/.env.local" &&
	lacks "$TRASH/stderr" "] .env.example" && lacks "$TRASH/stderr" "] .env.sample" &&
	git rm -q --cached .env backend/.env.local && git commit -qm "examples only"
'

test_expect_success 'env file names are matched ignoring case (.ENV is .env on macOS and Windows)' '
	new_repo r3c && cd r3c && git config core.ignorecase false &&
	mkdir -p web && echo "K=1" >.ENV && echo "K=1" >web/.Env.Local &&
	echo "K=" >.ENV.EXAMPLE && echo "K=1" >.environment && echo "K=1" >my.env.txt &&
	git add . && expect_code 1 git commit -qm envs &&
	contains "$TRASH/stderr" "error[envfile] .ENV: environment file staged" &&
	contains "$TRASH/stderr" "error[envfile] web/.Env.Local" &&
	contains "$TRASH/stderr" "printf '"'"'\\n%s\\n'"'"' .ENV >> .gitignore" &&
	lacks "$TRASH/stderr" ".ENV.EXAMPLE" && lacks "$TRASH/stderr" ".environment" && lacks "$TRASH/stderr" "my.env.txt" &&
	test "$(grep -c "error\[envfile\]" "$TRASH/stderr")" = 2
'

test_expect_success 'the .gitignore line of the fix matches the env file by name only (globs escaped)' '
	new_repo r4g && cd r4g &&
	bs=$(printf "b\\134s.env") &&
	for f in ".env.a*b" "!.env" "#.env" "$bs"; do echo "K=1" >"$f" || return 1; done &&
	printf "[envfile]\npaths = .env.* *.env\n" >"$TRASH/env.ini" &&
	git add -A && expect_code 1 "$RG" pre-commit --config "$TRASH/env.ini" &&
	contains "$TRASH/stderr" "printf '"'"'\\n%s\\n'"'"' '"'"'.env.a\\*b'"'"' >> .gitignore" &&
	git rm -q --cached -- ".env.a*b" "!.env" "#.env" "$bs" &&
	grep ">> .gitignore\$" "$TRASH/stderr" >fixes && test "$(wc -l <fixes)" -eq 4 &&
	printf dist >.gitignore && sh fixes && git check-ignore -q dist/x && echo "K=1" >.env.axb && echo "K=1" >.env.ab && echo "K=1" >bs.env &&
	git check-ignore -q ".env.a*b" && git check-ignore -q "!.env" && git check-ignore -q "#.env" &&
	git check-ignore -q "$bs" && ! git check-ignore -q bs.env &&
	! git check-ignore -q .env.axb && ! git check-ignore -q .env.ab
'

test_expect_success 'conflict markers from a real merge are caught; reST underlines are not' '
	new_repo r5 && cd r5 &&
	printf "one\ntwo\n" >f.txt && printf "Title\n=====\n" >doc.rst && git add . && git commit -qm base &&
	git checkout -qb side && printf "one\nside\n" >f.txt && git commit -qam side &&
	git checkout -q main && printf "one\nmain\n" >f.txt && git commit -qam main &&
	expect_code 1 git merge -q side &&
	printf "Section\n=======\n\nMore\n=======\n" >>doc.rst &&
	git add f.txt doc.rst && expect_code 1 git commit -qm "merge with markers" --no-edit &&
	contains "$TRASH/stderr" "error[conflict] f.txt:2: merge conflict marker: <<<<<<< HEAD" &&
	contains "$TRASH/stderr" "error[conflict] f.txt:4: merge conflict marker: =======" &&
	contains "$TRASH/stderr" "error[conflict] f.txt:6: merge conflict marker: >>>>>>> side" &&
	lacks "$TRASH/stderr" "doc.rst" &&
	printf "one\nmain\nside\n" >f.txt && git add f.txt && git commit -qm "resolved" --no-edit
'

test_expect_success 'conflict-marker-size=N (.gitattributes): markers of N characters count there, seven-character ones do not' '
	new_repo r5s && cd r5s &&
	echo "*.rst conflict-marker-size=32" >.gitattributes &&
	printf "one\ntwo\n" >f.rst && printf "one\ntwo\n" >g.txt && git add . && git commit -qm base &&
	git checkout -qb side && printf "one\nside\n" >f.rst && printf "one\nside\n" >g.txt && git commit -qam side &&
	git checkout -q main && printf "one\nmain\n" >f.rst && printf "one\nmain\n" >g.txt && git commit -qam main &&
	expect_code 1 git merge -q side &&
	grep -q "^<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<< HEAD" f.rst &&
	printf "Doc\n<<<<<<< not a marker here\n=======\n>>>>>>> nor this\n" >>f.rst &&
	git add f.rst g.txt && expect_code 1 git commit -qm "merge with markers" --no-edit &&
	contains "$TRASH/stderr" "error[conflict] f.rst:2: merge conflict marker: <<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<< HEAD" &&
	contains "$TRASH/stderr" "error[conflict] f.rst:6: merge conflict marker: >>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>> side" &&
	contains "$TRASH/stderr" "error[conflict] g.txt:2: merge conflict marker: <<<<<<< HEAD" &&
	lacks "$TRASH/stderr" "not a marker here" && lacks "$TRASH/stderr" "nor this" &&
	test "$(grep -c "error\[conflict\]" "$TRASH/stderr")" = 6
'

test_expect_success 'conflict markers followed by a tab (as some merge tools write them) are caught too' '
	new_repo r5t && cd r5t && echo base >README && git add README && git commit -qm base &&
	printf "one\n<<<<<<<\tmine.txt\nmine\n|||||||\tbase.txt\nold\n=======\ntheirs\n>>>>>>>\ttheirs.txt\n" >f.txt &&
	printf "Title\n=======\n\ntext\n=======\n<<<<<<<<\tnot a marker\nx <<<<<<<\ty\n" >doc.md &&
	git add f.txt doc.md && expect_code 1 git commit -qm "tab markers" &&
	contains "$TRASH/stderr" "error[conflict] f.txt:2: merge conflict marker: <<<<<<< mine.txt" &&
	contains "$TRASH/stderr" "error[conflict] f.txt:4: merge conflict marker: ||||||| base.txt" &&
	contains "$TRASH/stderr" "error[conflict] f.txt:6: merge conflict marker: =======" &&
	contains "$TRASH/stderr" "error[conflict] f.txt:8: merge conflict marker: >>>>>>> theirs.txt" &&
	test "$(grep -c "error\[conflict\]" "$TRASH/stderr")" = 4 &&
	lacks "$TRASH/stderr" "doc.md"
'

test_expect_success 'binary files and files over max_file_size are skipped with a note' '
	new_repo r6 && cd r6 &&
	printf "[content]\nmax_file_size = 2K\n" >.repoguard.ini &&
	printf "\000\001key = %s\n" "$AKID" >blob.bin &&
	{ head -c 3000 /dev/zero | tr "\0" "a"; printf "\nkey = %s\n" "$AKID"; } >big.txt &&
	: >empty.txt && printf "no newline at the end" >tail.txt &&
	git add . && git commit -qm "skipped" 2>err &&
	contains err "content checks skipped 1 binary file: blob.bin" &&
	contains err "content checks skipped 1 file over [content] max_file_size: big.txt"
'

test_expect_success 'CRLF files: the right line, no carriage return in the excerpt' '
	new_repo r7 && cd r7 &&
	printf "first\r\nsecret_key = \"%s\"\r\nlast\r\n" "$ASK" >win.cfg && git add win.cfg &&
	expect_code 1 git commit -qm crlf &&
	contains "$TRASH/stderr" "error[secrets.aws-secret-key] win.cfg:2: AWS secret access key: secret_key = \"" &&
	lacks "$TRASH/stderr" "$ASK" && ! grep -q "$(printf "\r")" "$TRASH/stderr"
'

test_expect_success '[content.NAME] rules from .repoguard.ini, limited to their paths' '
	new_repo r8 && cd r8 &&
	cat >.repoguard.ini <<-\EOF &&
	[content.no-demo-tenant]
	pattern = tenant_id\s*[:=]\s*[\x27"]demo[\x27"]   ; PCRE2
	paths = src/** orchestrator/**
	message = Use the signed-in user'"'"'s id, never a hardcoded tenant
	severity = error
	EOF
	mkdir -p src docs && echo "const tenant_id = \"demo\";" >src/api.ts && cp src/api.ts docs/example.md &&
	git add . && expect_code 1 git commit -qm tenant &&
	contains "$TRASH/stderr" "error[content.no-demo-tenant] src/api.ts:1: Use the signed-in user'"'"'s id, never a hardcoded tenant: const tenant_id = \"demo\";" &&
	lacks "$TRASH/stderr" "docs/example.md" &&
	test "$(grep -c "never a hardcoded tenant" "$TRASH/stderr")" -eq 1 &&
	contains "$TRASH/stderr" "    pattern tenant_id" &&
	git rm -q --cached src/api.ts && git commit -qm "docs may say it"
'

test_expect_success 'a 4 KB pattern and a pattern with " \;" load from .repoguard.ini' '
	new_repo r9 && cd r9 &&
	{
		printf "[content.words]\npattern = \\\\b(?:"
		i=0; while [ $i -lt 470 ]; do printf "%sword%04d" "$([ $i -gt 0 ] && echo "|")" $i; i=$((i + 1)); done
		printf ")\\\\b\nmessage = forbidden word\n[content.semi]\npattern = DROP TABLE \\\\w+ \\\\; --   ; SQL\n"
	} >.repoguard.ini &&
	test "$(wc -c <.repoguard.ini)" -gt 4096 &&
	"$RG" config >cfg && contains cfg "word0469)" &&
	echo "say word0469 here" >a.txt && echo "DROP TABLE users ; --" >b.sql && git add a.txt b.sql &&
	expect_code 1 git commit -qm words &&
	contains "$TRASH/stderr" "error[content.words] a.txt:1: forbidden word: say word0469 here" &&
	contains "$TRASH/stderr" "error[content.semi] b.sql:1"
'

test_expect_success 'an invalid pattern refuses the commit naming file:line' '
	new_repo r10 && cd r10 &&
	printf "[content.bad]\npattern = a(b\n" >.repoguard.ini && echo x >x && git add x &&
	expect_code 1 git commit -qm x &&
	expect_code 3 "$RG" pre-commit &&
	contains "$TRASH/stderr" ".repoguard.ini:2: [content.bad] invalid pattern: missing closing parenthesis at offset 3"
'

test_expect_success 'REPOGUARD_SKIP can name one built-in id' '
	new_repo r11 && cd r11 &&
	echo "id = $AKID" >k.txt && git add k.txt &&
	REPOGUARD_SKIP=secrets.aws-access-key-id git commit -qm skip 2>err &&
	contains err "skipped by REPOGUARD_SKIP: secrets.aws-access-key-id"
'

test_expect_success 'ci checks the lines each commit of a range adds' '
	new_repo r12 && cd r12 &&
	echo base >README && git add README && git commit -qm base &&
	git checkout -qb feature &&
	echo "token = \"$GHP\"" >t.js && git add t.js && git commit -qm leak --no-verify &&
	leak=$(git rev-parse HEAD) &&
	git rm -q t.js && git commit -qm "remove it" &&
	expect_code 1 "$RG" ci --base main --head feature &&
	contains "$TRASH/stdout" "error[secrets.github-token] $(echo $leak | cut -c1-12):t.js:1" &&
	contains "$TRASH/stdout" "git rebase -i $(echo $leak | cut -c1-12)~1" &&
	lacks "$TRASH/stdout" "$GHP"
'

test_expect_success 'secrets allow paths and severity = off' '
	new_repo r13 && cd r13 &&
	printf "[secrets]\nallow = tests/fixtures/**\n" >.repoguard.ini &&
	mkdir -p tests/fixtures && echo "k = $AKID" >tests/fixtures/creds.txt && git add . &&
	git commit -qm fixtures &&
	printf "[secrets]\nseverity = off\n" >.repoguard.ini && echo "k = $AKID" >src.txt && git add . &&
	git commit -qm off
'

test_expect_success 'repoguard never writes to the repository' '
	cd r1 && repo_state . >"$TRASH/before" &&
	expect_code 1 "$RG" pre-commit &&
	repo_state . >"$TRASH/after" && cmp "$TRASH/before" "$TRASH/after"
'

test_expect_success 'generic-password gives way to a specific rule that is disabled or skipped, not only one that fired' '
	new_repo gw && cd gw && echo base >README && git add README && git commit -qm base &&
	printf "token: %s\napi_token = \"Zq8#vL2!mK9@xR4t\"\n" "$GHP" >t.yml && git add t.yml &&
	expect_code 1 "$RG" pre-commit &&
	contains "$TRASH/stderr" "error[secrets.github-token] t.yml:1" &&
	lacks "$TRASH/stderr" "error[secrets.generic-password] t.yml:1" &&
	REPOGUARD_SKIP=secrets.github-token expect_code 1 "$RG" pre-commit &&
	lacks "$TRASH/stderr" "t.yml:1" && contains "$TRASH/stderr" "error[secrets.generic-password] t.yml:2" &&
	printf "[secrets]\ndisable = github-token\n" >.repoguard.ini &&
	expect_code 1 "$RG" pre-commit &&
	lacks "$TRASH/stderr" "t.yml:1" && contains "$TRASH/stderr" "error[secrets.generic-password] t.yml:2" &&
	lacks "$TRASH/stderr" "$GHP"
'

test_expect_success 'OpenAI, Anthropic, npm, SendGrid keys and Authorization headers are caught and masked; placeholders are not' '
	new_repo ai && cd ai && echo base >README && git add README && git commit -qm base &&
	oa="sk-proj-$(gen_key "" 74 $ALNUM 31)T3BlbkFJ$(gen_key "" 74 $ALNUM 32)" &&
	an=$(gen_key sk-ant-api03- 93 $ALNUM 33) && np=$(gen_key npm_ 36 $ALNUM 34) &&
	sg="$(gen_key SG. 22 $ALNUM 35).$(gen_key "" 43 $ALNUM 36)" &&
	{
		printf "OPENAI_API_KEY=%s\n" "$oa"
		printf "const claude = new Anthropic({ apiKey: \"%s\" });\n" "$an"
		printf "//registry.npmjs.org/:_authToken=%s\n" "$np"
		printf "SENDGRID_API_KEY=%s\n" "$sg"
		printf "OPENAI_API_KEY=sk-proj-%sT3BlbkFJ%s\n" "$(gen_key "" 30 x 37)" "$(gen_key "" 30 x 38)"
		printf "npm_config_cache=/tmp/npm\n"
		printf "curl -H \"Authorization: Bearer %s\" https://api.example.org\n" "$(gen_key "" 32 $ALNUM 39)"
		printf "curl -H \"Authorization: Bearer \$API_TOKEN\" https://api.example.org\n"
	} >services.txt &&
	git add services.txt && expect_code 1 "$RG" pre-commit &&
	contains "$TRASH/stderr" "error[secrets.openai-key] services.txt:1: OpenAI API key:" &&
	contains "$TRASH/stderr" "error[secrets.anthropic-key] services.txt:2: Anthropic API key:" &&
	contains "$TRASH/stderr" "error[secrets.npm-token] services.txt:3: npm access token:" &&
	contains "$TRASH/stderr" "error[secrets.sendgrid-key] services.txt:4: SendGrid API key:" &&
	contains "$TRASH/stderr" "error[secrets.auth-header] services.txt:7: credentials in an Authorization header:" &&
	test "$(grep -c "error\[" "$TRASH/stderr")" = 5 &&
	for k in "$oa" "$an" "$np" "$sg"; do lacks "$TRASH/stderr" "$k" || return 1; done
'

test_expect_success 'Google API, Hugging Face, PyPI and Azure keys are caught and masked; the published Azurite key is not' '
	new_repo cloud && cd cloud && echo base >README && git add README && git commit -qm base &&
	gk=$(gen_key AIza 35 $ALNUM 51) && hf=$(gen_key hf_ 34 abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ 52) &&
	py=$(gen_key pypi-AgEIcHlwaS5vcmc 60 $ALNUM 53) && az="$(gen_key "" 86 $ALNUM 54)==" &&
	{
		printf "GEMINI_API_KEY=%s\n" "$gk"
		printf "client = InferenceClient(token=\"%s\")\n" "$hf"
		printf "password = %s\n" "$py"
		printf "STORAGE=DefaultEndpointsProtocol=https;AccountName=prod;AccountKey=%s;EndpointSuffix=core.windows.net\n" "$az"
		printf "DEV=DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=%s%s;\n" \
			Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq 2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==
		printf "path = hf_hub_download(repo_id=repo, filename=name)\n"
	} >cloud.env.txt &&
	git add cloud.env.txt && expect_code 1 "$RG" pre-commit &&
	contains "$TRASH/stderr" "error[secrets.google-api-key] cloud.env.txt:1: Google API key:" &&
	contains "$TRASH/stderr" "error[secrets.huggingface-token] cloud.env.txt:2: Hugging Face token:" &&
	contains "$TRASH/stderr" "error[secrets.pypi-token] cloud.env.txt:3: PyPI API token:" &&
	contains "$TRASH/stderr" "error[secrets.azure-key] cloud.env.txt:4: Azure storage or Service Bus key:" &&
	test "$(grep -c "error\[" "$TRASH/stderr")" = 4 &&
	for k in "$gk" "$hf" "$py" "$az"; do lacks "$TRASH/stderr" "$k" || return 1; done
'

test_expect_success 'environment defaults in code and compose files, batch set and command-line passwords are caught and masked' '
	new_repo envdef && cd envdef && echo base >README && git add README && git commit -qm base &&
	pw=$(gen_key "" 16 $ALNUM 41) && cl=$(gen_key "" 14 $ALNUM 42) && my=$(gen_key "" 12 $ALNUM 43) &&
	{
		printf "SECRET_KEY = os.environ.get(\"SECRET_KEY\", \"%s\")\n" "$pw"
		printf "const key = process.env.API_KEY || \"%s\";\n" "$pw"
		printf "set DB_PASSWORD=%s\r\n" "$pw"
		printf "curl -sSfu deploy:%s https://ci.example.org/hook\n" "$cl"
		printf "mysqldump -u root -p%s app >app.sql\n" "$my"
		printf "    JWT_SECRET: \${JWT_SECRET:-%s}\n" "$pw"
		printf "PGPASSWORD=%s pg_dump -h db app >app.sql\n" "$my"
		printf "    POSTGRES_PASSWORD: \${POSTGRES_PASSWORD:-postgres}\n"
		printf "host = os.getenv(\"DB_HOST\", \"db.example.org\")\n"
		printf "SECRET_KEY = os.environ.get(\"SECRET_KEY\", \"change-me\")\n"
		printf "curl -u \"\$CI_USER:\$CI_PASSWORD\" https://ci.example.org/hook\n"
		printf "mysql -u root -p app\n"
	} >deploy.sh &&
	git add deploy.sh && expect_code 1 "$RG" pre-commit &&
	contains "$TRASH/stderr" "error[secrets.generic-password] deploy.sh:1: hard-coded password or secret:" &&
	contains "$TRASH/stderr" "error[secrets.generic-password] deploy.sh:2:" &&
	contains "$TRASH/stderr" "error[secrets.generic-password] deploy.sh:3:" &&
	contains "$TRASH/stderr" "error[secrets.cli-password] deploy.sh:4: password on a command line:" &&
	contains "$TRASH/stderr" "error[secrets.cli-password] deploy.sh:5: password on a command line:" &&
	contains "$TRASH/stderr" "error[secrets.generic-password] deploy.sh:6:" &&
	contains "$TRASH/stderr" "error[secrets.generic-password] deploy.sh:7:" &&
	test "$(grep -c "error\[" "$TRASH/stderr")" = 7 &&
	for k in "$pw" "$cl" "$my"; do lacks "$TRASH/stderr" "$k" || return 1; done &&
	printf "[secrets]\ndisable = cli-password\n" >.repoguard.ini &&
	expect_code 1 "$RG" pre-commit && lacks "$TRASH/stderr" "cli-password" &&
	test "$(grep -c "error\[" "$TRASH/stderr")" = 5
'

test_expect_success 'Stripe keys of up to 255 characters are caught and masked; placeholders and publishable keys are not' '
	new_repo stripe && cd stripe && echo base >README && git add README && git commit -qm base &&
	sk100=$(gen_key sk_live_ 100 $ALNUM 21) && rk200=$(gen_key rk_test_ 200 $ALNUM 22) &&
	sk255=$(gen_key sk_live_ 247 $ALNUM 23) && sk24=$(gen_key sk_test_ 24 $ALNUM 24) &&
	pk200=$(gen_key pk_live_ 200 $ALNUM 25) && x200=$(gen_key sk_live_ 200 x 26) &&
	x150=$(gen_key sk_test_ 150 0x 27) && sk256=$(gen_key sk_live_ 248 $ALNUM 28) &&
	{
		printf "STRIPE_SECRET_KEY=%s\n" "$sk100"
		printf "const stripe = new Stripe(\"%s\");\n" "$rk200"
		printf "stripe.api_key = \047%s\047\n" "$sk255"
		printf "key: %s\n" "$sk24"
		printf "STRIPE_PUBLISHABLE_KEY=%s\n" "$pk200"
		printf "STRIPE_SECRET_KEY=%s\n" "$x200"
		printf "STRIPE_SECRET_KEY=%s\n" "$x150"
		printf "blob = %s\n" "$sk256"
	} >stripe.env.txt &&
	git add stripe.env.txt && expect_code 1 "$RG" pre-commit &&
	for n in 1 2 3 4; do
		contains "$TRASH/stderr" "error[secrets.stripe-key] stripe.env.txt:$n: Stripe secret key:" || return 1
	done &&
	test "$(grep -c "error\[" "$TRASH/stderr")" = 4 &&
	contains "$TRASH/stderr" "STRIPE_SECRET_KEY=sk_l************" &&
	for k in "$sk100" "$rk200" "$sk255" "$sk24"; do lacks "$TRASH/stderr" "$k" || return 1; done &&
	expect_code 1 "$RG" pre-commit --format json &&
	for k in "$sk100" "$rk200" "$sk255" "$sk24"; do lacks "$TRASH/stdout" "$k" || return 1; done
'

test_expect_success 'Supabase secret keys (sb_secret_) are caught and masked; publishable keys, names and placeholders are not' '
	new_repo supa && cd supa && echo base >README && git add README && git commit -qm base &&
	sb1=$(gen_key sb_secret_ 31 "${ALNUM}-_" 31) && sb2=$(gen_key sb_secret_ 31 "${ALNUM}-_" 32) &&
	sb3=$(gen_key sb_secret_ 40 "${ALNUM}" 33) &&
	pub=$(gen_key sb_publishable_ 31 "${ALNUM}-_" 34) &&
	{
		printf "SUPABASE_SECRET_KEY=%s\n" "$sb1"
		printf "const admin = createClient(url, \"%s\");\n" "$sb2"
		printf "  apikey: %s # service\n" "$sb3"
		printf "NEXT_PUBLIC_SUPABASE_API_KEY=%s\n" "$pub"
		printf "STRIPE_API_KEY=%s\n" "$(gen_key pk_live_ 99 $ALNUM 35)"
		printf "const supabase = createClient(url, { apiKey: \"%s\" });\n" "$pub"
		printf "if (key.startsWith(\"sb_secret_\")) throw new Error(\"secret key in the browser\");\n"
		printf "sb_secret_access_token_name = 1\n"
		printf "SUPABASE_SECRET_KEY=sb_secret_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n"
		printf "SUPABASE_SECRET_KEY=sb_secret_YOUR_SUPABASE_SECRET_KEY\n"
		printf "SUPABASE_SECRET_KEY=sb_secret_...\n"
		printf "SERVICE_KEY=sb_secret_%s\n" "N7UND0UgjKTVK-Uodkm0Hg_xSvEMPvz"
	} >supa.ts &&
	git add supa.ts && expect_code 1 "$RG" pre-commit &&
	for n in 1 2 3; do
		contains "$TRASH/stderr" "error[secrets.supabase-key] supa.ts:$n: Supabase secret key:" || return 1
	done &&
	test "$(grep -c "error\[" "$TRASH/stderr")" = 3 &&
	contains "$TRASH/stderr" "SUPABASE_SECRET_KEY=sb_s************" &&
	for k in "$sb1" "$sb2" "$sb3"; do lacks "$TRASH/stderr" "$k" || return 1; done &&
	REPOGUARD_SKIP=secrets.supabase-key "$RG" pre-commit 2>err &&
	contains err "skipped by REPOGUARD_SKIP: secrets.supabase-key" &&
	printf "[secrets]\ndisable = supabase-key\n" >.repoguard.ini && "$RG" pre-commit
'

test_expect_success 'passwords in URLs and connection strings are caught, only the password masked; examples and references are not' '
	new_repo urlpw && cd urlpw && echo base >README && git add README && git commit -qm base &&
	cat >conn.txt <<-\EOF &&
	DATABASE_URL=postgres://app:S3cr3tP4ss@db.example.com/app
	MONGO_URI="mongodb+srv://u:p4ssw0rdXYZ@cluster0.abcde.mongodb.net/test?retryWrites=true"
	REDIS_URL=redis://:Xk9mQ2vLp7@cache.internal:6379/0
	broker = "amqp://app:Zq8#vL2!mK9@rabbit.internal:5672/vhost"
	git clone https://deploy:Xk9mQ2vLp7Zq8@github.com/org/repo.git
	"Default": "Server=db.internal;User Id=sa;Password=Xy7!kq2Lm;Database=app"
	jdbc.url=jdbc:mysql://db:3306/app?user=root&password=Xk9mQ2vLp7&useSSL=true
	mail = smtp://me@example.org:Tr0ub4dor3x@smtp.example.org:587
	"Driver={ODBC Driver 18};Server=x; PWD=Xk9mQ2vLp7;UID=sa"
	EOF
	cat >examples.md <<-\EOF &&
	postgres://user:password@localhost/app
	mongodb://user:pass@localhost:27017
	redis://:pass@host
	amqp://guest:guest@localhost:5672
	https://user:token@github.com/org/repo.git
	postgres://postgres:postgres@localhost:5432/postgres
	postgres://app:changeme@db/app
	postgres://app:${DB_PASS}@db/app
	postgres://app:$PASSWORD@db/app
	postgres://app:<password>@db/app
	postgres://app:********@db/app
	postgres://app:xxx@db/app
	dsn = "postgres://%s:%s@%s/%s"
	url = f"postgresql://{user}:{password}@{host}/{db}"
	"Server=x;User Id=sa;Password=${DB_PASS};"
	"Server=x;User Id=sa;Password=<password>;"
	"Server=x;User Id=sa;Password=*****;"
	"Server=x;User Id=sa;Password={password};"
	https://oauth2:$CI_JOB_TOKEN@gitlab.com/org/repo.git
	ssh://git@github.com:22/org/repo.git
	http://localhost:3000/@user and https://medium.com/@author and http://[::1]:8080/
	const BYPASS = "?bypass=Xk9mQ2vLp7";
	EOF
	git add conn.txt examples.md && expect_code 1 "$RG" pre-commit &&
	for n in 1 2 3 4 5 8; do
		contains "$TRASH/stderr" "error[secrets.url-password] conn.txt:$n: password in a URL:" || return 1
	done &&
	for n in 6 7 9; do
		contains "$TRASH/stderr" "error[secrets.url-password] conn.txt:$n: password in a connection string:" || return 1
	done &&
	test "$(grep -c "error\[" "$TRASH/stderr")" = 9 &&
	contains "$TRASH/stderr" "DATABASE_URL=postgres://app:S3********@db.example.com/app" &&
	contains "$TRASH/stderr" "redis://:Xk********@cache.internal:6379/0" &&
	contains "$TRASH/stderr" "Server=db.internal;User Id=sa;Password=X********;Database=app" &&
	for p in S3cr3tP4ss p4ssw0rdXYZ Xk9mQ2vLp7 Zq8#vL2!mK9 Xy7!kq2Lm Tr0ub4dor3x; do
		lacks "$TRASH/stderr" "$p" || return 1
	done &&
	expect_code 1 "$RG" pre-commit --format json && lacks "$TRASH/stdout" S3cr3tP4ss && lacks "$TRASH/stdout" Xy7!kq2Lm
'

test_expect_success 'short passwords (4 to 7 characters) in URLs and connection strings are caught and masked; examples, words and image digests are not' '
	new_repo urlshort && cd urlshort && echo base >README && git add README && git commit -qm base &&
	cat >short.txt <<-\EOF &&
	DATABASE_URL=postgres://app:s3cr3t@db/x
	REDIS_URL=redis://:Xk9m2@cache:6379/0
	mysql://root:p4ss@db:3306/app
	"Server=db;User Id=sa;Password=Xy7!kq;"
	EOF
	cat >examples.md <<-\EOF &&
	postgres://root:root@db/x
	postgres://admin:admin@db/x
	postgres://user:secret@db/x
	postgres://user:1234@db/x
	mongodb://u:p@localhost
	amqp://user:pw1@rabbit
	postgres://app:***@db/x
	postgres://app:$PW@db/x
	postgres://app:{pw}@db/x
	"Server=x;Password=abc;"
	skopeo copy docker://redis:7-alpine@sha256:0123456789abcdef0123456789abcdef dir:/tmp/r
	EOF
	git add short.txt examples.md && expect_code 1 "$RG" pre-commit &&
	for n in 1 2 3; do
		contains "$TRASH/stderr" "error[secrets.url-password] short.txt:$n: password in a URL:" || return 1
	done &&
	contains "$TRASH/stderr" "error[secrets.url-password] short.txt:4: password in a connection string:" &&
	test "$(grep -c "error\[" "$TRASH/stderr")" = 4 &&
	contains "$TRASH/stderr" "DATABASE_URL=postgres://app:s*****@db/x" &&
	for p in s3cr3t Xk9m2 p4ss "Xy7!kq"; do lacks "$TRASH/stderr" "$p" || return 1; done &&
	expect_code 1 "$RG" pre-commit --format json && lacks "$TRASH/stdout" s3cr3t && lacks "$TRASH/stdout" Xk9m2
'

test_expect_success 'connection strings with a space around the = of Password are caught on a line that is a connection string; statements are not' '
	new_repo connspace && cd connspace && echo base >README && git add README && git commit -qm base &&
	cat >appsettings.json <<-\EOF &&
	{ "Default": "Server=db;User Id=sa;Password = Hunter2x;" }
	{ "Reports": "Data Source=db;Initial Catalog=app;Password = Xy7!kq2Lm" }
	{ "Odbc": "Driver={ODBC Driver 18};Server=x;UID=sa;PWD =Xk9mQ2vLp7" }
	EOF
	cat >code.js <<-\EOF &&
	let n = 1; password = newPassword;
	x = 1; password = crypto.randomBytes(16);
	const a = "Server=x;User Id=sa;Password = ${DB_PASS};";
	const b = "Server=x;User Id=sa;Password = {0};";
	log("server=" + s + "; password = " + mask(p));
	EOF
	git add appsettings.json code.js && expect_code 1 "$RG" pre-commit &&
	for n in 1 2 3; do
		contains "$TRASH/stderr" "error[secrets.url-password] appsettings.json:$n: password in a connection string:" || return 1
	done &&
	test "$(grep -c "error\[" "$TRASH/stderr")" = 3 &&
	contains "$TRASH/stderr" "Password = H*******;" &&
	for p in Hunter2x "Xy7!kq2Lm" Xk9mQ2vLp7; do lacks "$TRASH/stderr" "$p" || return 1; done
'

test_expect_success 'a token in a URL is the token rule'"'"'s: url-password gives way to it' '
	new_repo urltok && cd urltok && echo base >README && git add README && git commit -qm base &&
	printf "git clone https://x-access-token:%s@github.com/org/repo.git\n" "$GHP" >clone.sh &&
	git add clone.sh && expect_code 1 "$RG" pre-commit &&
	contains "$TRASH/stderr" "error[secrets.github-token] clone.sh:1" &&
	lacks "$TRASH/stderr" "url-password" && lacks "$TRASH/stderr" "$GHP" &&
	REPOGUARD_SKIP=secrets.github-token "$RG" pre-commit
'

test_expect_success 'generic-password: PASS as a word of a name and private_key are keywords; bypass, compass, PASSTHROUGH and key paths are not secrets' '
	new_repo password && cd password && echo base >README && git add README && git commit -qm base &&
	cat >app.env.txt <<-\EOF &&
	DB_PASS=Xk9#mQ2vLp
	SMTP_PASS: Xk9#mQ2vLp
	mail.pass = "Zq8#vL2!mK9"
	private_key = "Xk9#mQ2vLp7Zq8"
	"privateKey": "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318"
	client_secret = "Xk9#mQ2vLp7Zq8"
	EOF
	cat >honest.txt <<-\EOF &&
	PASSTHROUGH_MODE=Xk9#mQ2vLp
	bypass = "Xk9#mQ2vLp"
	compass: Xk9#mQ2vLp
	ResultPass = AnalysisImpl.second;
	PASS_ID=Xk9#mQ2vLp
	DB_PASS=$DB_PASS_FROM_VAULT
	private_key_file: ~/.ssh/id_ed25519
	ssh_private_key_path = "/home/deploy/.ssh/id_ed25519"
	private_key_id = "4c0883a69102937d6231471b5dbb6204fe512961"
	EOF
	git add app.env.txt honest.txt && expect_code 1 "$RG" pre-commit &&
	for n in 1 2 3 4 5 6; do
		contains "$TRASH/stderr" "error[secrets.generic-password] app.env.txt:$n: hard-coded password or secret:" || return 1
	done &&
	test "$(grep -c "error\[" "$TRASH/stderr")" = 6 &&
	contains "$TRASH/stderr" "DB_PASS=Xk********" && lacks "$TRASH/stderr" "Xk9#mQ2vLp" && lacks "$TRASH/stderr" "Zq8#vL2!mK9"
'

test_expect_success 'generic-password: camelCase names ending in Pass (smtpPass, dbPass) are keywords; byPass, passenger, isPassed are not' '
	new_repo camelpass && cd camelpass && echo base >README && git add README && git commit -qm base &&
	cat >mail.js <<-\EOF &&
	smtpPass = "Xk9#mQ2vLp"
	const dbPass = '"'"'Zq8#vL2!mK9'"'"';
	  "mailPass": "a8F3kL9zQ2mX7pR4",
	<smtpPass>Tr0ub4dor3x</smtpPass>
	EOF
	cat >honest.js <<-\EOF &&
	byPass = "Xk9#mQ2vLp"
	proxyByPass = "localhost;127.0.0.1"
	const passenger = '"'"'Zq8#vL2!mK9'"'"';
	isPassed = "Xk9#mQ2vLp"
	compass: Xk9#mQ2vLp
	bypass = "Xk9#mQ2vLp"
	ResultPass = AnalysisImpl.second;
	dbPass = "${DB_PASS}"
	EOF
	git add mail.js honest.js && expect_code 1 "$RG" pre-commit &&
	for n in 1 2 3 4; do
		contains "$TRASH/stderr" "error[secrets.generic-password] mail.js:$n: hard-coded password or secret:" || return 1
	done &&
	test "$(grep -c "error\[" "$TRASH/stderr")" = 4 &&
	contains "$TRASH/stderr" "smtpPass = \"Xk********\"" &&
	for p in "Xk9#mQ2vLp" "Zq8#vL2!mK9" a8F3kL9zQ2mX7pR4 Tr0ub4dor3x; do lacks "$TRASH/stderr" "$p" || return 1; done
'

test_expect_success 'generic-password: PHP define and XML hold secrets too; honest code in those shapes does not' '
	new_repo shapes && cd shapes && echo base >README && git add README && git commit -qm base &&
	cat >secret.txt <<-\EOF &&
	define('"'"'DB_PASSWORD'"'"', '"'"'Xk9#mQ2vLp'"'"');
	<Password>Xk9#mQ2vLp</Password>
	<ClientSecret>Zq8#vL2!mK9</ClientSecret>
	<add key="ApiKey" value="a8F3kL9zQ2mX7pR4"/>
	<property name="password" value="Xk9#mQ2vLp"/>
	EOF
	cat >honest.txt <<-\EOF &&
	define('"'"'DB_PASSWORD'"'"', getenv('"'"'DB_PASSWORD'"'"'));
	<Password>${env.PASS}</Password>
	setPassword(password);
	const password = await read.password('"'"'Password:'"'"', creds.password)
	__all__ = ["tokenize", "untokenize", "TokenInfo"]
	if (!password.matches("^(?=.*[A-Z])(?=.*[0-9]).{8,}$")) fail();
	String arn = client.getSecretValue("arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbC123");
	log.warn("bad password", "Xk9#mQ2vLp");
	<span class="password-strength">Strong!!</span>
	<input class="password" value="Xk9#mQ2vLp">
	<add key="ApiKey" value="{ApiKeyFromVault}"/>
	print(f"password={password!r}")
	EOF
	git add secret.txt honest.txt && expect_code 1 "$RG" pre-commit &&
	for n in 1 2 3 4 5; do
		contains "$TRASH/stderr" "error[secrets.generic-password] secret.txt:$n: hard-coded password or secret:" || return 1
	done &&
	test "$(grep -c "error\[" "$TRASH/stderr")" = 5 &&
	contains "$TRASH/stderr" "define('"'"'DB_PASSWORD'"'"', '"'"'Xk********'"'"');" &&
	contains "$TRASH/stderr" "<Password>Xk********</Password>" &&
	contains "$TRASH/stderr" "<add key=\"ApiKey\" value=\"a8F************\"/>" &&
	lacks "$TRASH/stderr" "Xk9#mQ2vLp" && lacks "$TRASH/stderr" "Zq8#vL2!mK9" && lacks "$TRASH/stderr" "a8F3kL9zQ2mX7pR4"
'

test_expect_success 'generic-password: Java properties XML and Spring props name the secret by key; references, hints and words do not' '
	new_repo entries && cd entries && echo base >README && git add README && git commit -qm base &&
	cat >app.xml <<-\EOF &&
	<entry key="password">Xk9#mQ2vLp</entry>
	  <entry key="db.password">Zq8#vL2!mK9</entry>
	<prop key="jdbc.password">Tr0ub4dor3x</prop>
	EOF
	cat >honest.xml <<-\EOF &&
	<entry key="password">${db.password}</entry>
	<entry key="passwordHint">Enter your password</entry>
	<entry key="token.type">access_token</entry>
	<entry key="secret_id">Xk9#mQ2vLp7</entry>
	<entry key="bypass">Xk9#mQ2vLp</entry>
	<entry key="password">changeme</entry>
	<entry>Xk9#mQ2vLp</entry>
	EOF
	git add app.xml honest.xml && expect_code 1 "$RG" pre-commit &&
	for n in 1 2 3; do
		contains "$TRASH/stderr" "error[secrets.generic-password] app.xml:$n: hard-coded password or secret:" || return 1
	done &&
	test "$(grep -c "error\[" "$TRASH/stderr")" = 3 &&
	contains "$TRASH/stderr" "<entry key=\"password\">Xk********</entry>" &&
	for p in "Xk9#mQ2vLp" "Zq8#vL2!mK9" Tr0ub4dor3x; do lacks "$TRASH/stderr" "$p" || return 1; done
'

test_expect_success 'generic-password: a declared type before the = (pydantic settings, TypeScript, Kotlin, Rust, Go) still assigns a secret' '
	new_repo typed && cd typed && echo base >README && git add README && git commit -qm base &&
	cat >typed.txt <<-\EOF &&
	    SECRET_KEY: str = "Xk9#mQ2vLp7Zq8"
	    api_token: Optional[str] = "Zq8vL2mK9xWp"
	  private password: string = "Tr0ub4dor3x";
	val apiToken: String = "a8F3kL9zQ2mX7pR4"
	const API_TOKEN: &str = "Xk9#mQ2vLp7Zq8";
	var apiToken string = "Zq8vL2mK9xWp"
	EOF
	cat >honest.txt <<-\EOF &&
	    token_type: str = "access_token"
	    password: str = ""
	    api_key: Optional[str] = None
	    secret: string = "${SECRET}";
	const f = (token: string) => "Bearer-Xk9mQ2vLp";
	if token: str == "Xk9#mQ2vLp7Zq8": pass
	EOF
	git add typed.txt honest.txt && expect_code 1 "$RG" pre-commit &&
	for n in 1 2 3 4 5 6; do
		contains "$TRASH/stderr" "error[secrets.generic-password] typed.txt:$n: hard-coded password or secret:" || return 1
	done &&
	test "$(grep -c "error\[" "$TRASH/stderr")" = 6 &&
	contains "$TRASH/stderr" "SECRET_KEY: str = \"Xk************\"" &&
	for p in "Xk9#mQ2vLp7Zq8" Zq8vL2mK9xWp Tr0ub4dor3x a8F3kL9zQ2mX7pR4; do lacks "$TRASH/stderr" "$p" || return 1; done
'

test_expect_success 'generic-password: a Makefile assigns with := and ?= too' '
	new_repo mk && cd mk && echo base >README && git add README && git commit -qm base &&
	cat >Makefile <<-\EOF &&
	REGISTRY_PASSWORD ?= s3cr3tP4ss99x
	DB_PASSWORD := Xk9#mQ2vLp7Zq8
	API_TOKEN:=Zq8vL2mK9xWp
	TOKEN ?= $(shell cat .token)
	API_KEY ?=
	PASSWORD ?= changeme
	EOF
	git add Makefile && expect_code 1 "$RG" pre-commit &&
	for n in 1 2 3; do
		contains "$TRASH/stderr" "error[secrets.generic-password] Makefile:$n: hard-coded password or secret:" || return 1
	done &&
	test "$(grep -c "error\[" "$TRASH/stderr")" = 3 &&
	contains "$TRASH/stderr" "REGISTRY_PASSWORD ?= s3***" &&
	for p in s3cr3tP4ss99x "Xk9#mQ2vLp7Zq8" Zq8vL2mK9xWp; do lacks "$TRASH/stderr" "$p" || return 1; done
'

test_expect_success 'generic-password: an API key or token in a URL query (?api_key=, &access_token=) is a secret; references and placeholders are not' '
	new_repo query && cd query && echo base >README && git add README && git commit -qm base &&
	cat >client.js <<-\EOF &&
	fetch("https://api.example.com/v1/data?api_key=a8F3kL9zQ2mX7pR4&q=1")
	const u = "https://api.example.com/v1/data?q=1&access_token=Zq8vL2mK9xWp";
	requests.get(f"https://api.example.com/v1?apikey=Xk9mQ2vLp7Zq8")
	EOF
	cat >honest.js <<-\EOF &&
	fetch(`https://api.example.com/v1?api_key=${apiKey}`)
	const u = "https://api.example.com/v1?token=" + token;
	curl "https://api.example.com/v1?api_key=YOUR_API_KEY"
	see https://example.com/login?next=/home&token_type=bearer
	EOF
	git add client.js honest.js && expect_code 1 "$RG" pre-commit &&
	for n in 1 2 3; do
		contains "$TRASH/stderr" "error[secrets.generic-password] client.js:$n: hard-coded password or secret:" || return 1
	done &&
	test "$(grep -c "error\[" "$TRASH/stderr")" = 3 &&
	contains "$TRASH/stderr" "?api_key=a8F************&q=1" &&
	for p in a8F3kL9zQ2mX7pR4 Zq8vL2mK9xWp Xk9mQ2vLp7Zq8; do lacks "$TRASH/stderr" "$p" || return 1; done
'

test_expect_success 'a token right after a string escape (\n, \t) or a URL escape (%3D) is still a token' '
	new_repo escaped && cd escaped && echo base >README && git add README && git commit -qm base &&
	npm=$(gen_key npm_ 36 $ALNUM 41) &&
	printf "{\"msg\": \"login with:\\\\n%s\"}\n{\"msg\": \"a\\\\t%s\"}\nhttps://example.com/cb?t%%3D%s\nx%%2F%s\n" \
		"$GHP" "$npm" "$GHP" "$AKID" >log.json &&
	git add log.json && expect_code 1 "$RG" pre-commit &&
	contains "$TRASH/stderr" "error[secrets.github-token] log.json:1: GitHub token: {\"msg\": \"login with:\\nghp_****" &&
	contains "$TRASH/stderr" "error[secrets.npm-token] log.json:2:" &&
	contains "$TRASH/stderr" "error[secrets.github-token] log.json:3: GitHub token: https://example.com/cb?t%3Dghp_****" &&
	contains "$TRASH/stderr" "error[secrets.aws-access-key-id] log.json:4:" &&
	test "$(grep -c "error\[" "$TRASH/stderr")" = 4 &&
	lacks "$TRASH/stderr" "$GHP" && lacks "$TRASH/stderr" "$npm" && lacks "$TRASH/stderr" "$AKID"
'

test_expect_success 'generic-password: a password policy'"'"'s regular expression is no password' '
	new_repo policy && cd policy && echo base >README && git add README && git commit -qm base &&
	cat >policy.js <<-\EOF &&
	const PASSWORD_REGEX = "^(?=.*[A-Z])(?=.*\\d)(?=.*[!@#$%]).{8,}$";
	  passwordPattern: "^[a-zA-Z0-9!@#$%^&*]{8,64}$",
	TOKEN_FORMAT = "[A-Za-z0-9_-]{20,}"
	password_rule = "^\\S+\\d+\\S*$"
	const password = "^Xk9#mQ2vLp$";
	EOF
	git add policy.js && expect_code 1 "$RG" pre-commit &&
	contains "$TRASH/stderr" "error[secrets.generic-password] policy.js:5: hard-coded password or secret:" &&
	test "$(grep -c "error\[" "$TRASH/stderr")" = 1
'

test_expect_success 'generic-password: a token longer than 200 characters is still a secret' '
	new_repo longtok && cd longtok && echo base >README && git add README && git commit -qm base &&
	tok=$(gen_key ya29. 300 $ALNUM 42) && sess=$(gen_key "" 600 $ALNUM 43) &&
	printf "access_token = \"%s\"\nREFRESH_TOKEN=%s\n" "$tok" "$sess" >creds.py &&
	git add creds.py && expect_code 1 "$RG" pre-commit &&
	contains "$TRASH/stderr" "error[secrets.generic-password] creds.py:1: hard-coded password or secret: access_token = \"ya29***" &&
	contains "$TRASH/stderr" "error[secrets.generic-password] creds.py:2:" &&
	lacks "$TRASH/stderr" "$tok" && lacks "$TRASH/stderr" "$(printf %s "$sess" | cut -c1-20)"
'

test_expect_success 'url-password: a libpq keyword/value string (host=... password=...) holds a password; keyword arguments in code do not' '
	new_repo libpq && cd libpq && echo base >README && git add README && git commit -qm base &&
	cat >db.txt <<-\EOF &&
	db, err := sql.Open("postgres", "host=db port=5432 user=app password=Zq8vL2mK9xWp dbname=app sslmode=disable")
	conn = psycopg2.connect("dbname=app user=app password=Xk9mQ2vLp7 host=db")
	EOF
	cat >honest.py <<-\EOF &&
	conn = psycopg2.connect(host=HOST, password=DB_PASSWORD)
	db.connect(host="x", password=get_password())
	    pwd = os.getcwd()
	psql "host=localhost user=postgres password=postgres dbname=app"
	dsn = f"host={host} password={password} dbname={db}"
	EOF
	git add db.txt honest.py && expect_code 1 "$RG" pre-commit &&
	contains "$TRASH/stderr" "error[secrets.url-password] db.txt:1: password in a connection string:" &&
	contains "$TRASH/stderr" "error[secrets.url-password] db.txt:2:" &&
	test "$(grep -c "error\[" "$TRASH/stderr")" = 2 &&
	lacks "$TRASH/stderr" Zq8vL2mK9xWp && lacks "$TRASH/stderr" Xk9mQ2vLp7
'

test_expect_success 'generic-password: PowerShell'"'"'s ConvertTo-SecureString "..." -AsPlainText holds a password whatever the variable' '
	new_repo pwsh && cd pwsh && echo base >README && git add README && git commit -qm base &&
	cat >deploy.ps1 <<-\EOF &&
	$secure = ConvertTo-SecureString "Xk9#mQ2vLp" -AsPlainText -Force
	$cred = New-Object PSCredential("admin", (ConvertTo-SecureString '"'"'Zq8vL2mK9xWp'"'"' -AsPlainText -Force))
	$s = ConvertTo-SecureString -String "Tr0ub4dor3x" -AsPlainText -Force
	$s = ConvertTo-SecureString $env:DEPLOY_PASSWORD -AsPlainText -Force
	$s = ConvertTo-SecureString "changeme" -AsPlainText -Force
	EOF
	git add deploy.ps1 && expect_code 1 "$RG" pre-commit &&
	for n in 1 2 3; do
		contains "$TRASH/stderr" "error[secrets.generic-password] deploy.ps1:$n: hard-coded password or secret:" || return 1
	done &&
	test "$(grep -c "error\[" "$TRASH/stderr")" = 3 &&
	for p in "Xk9#mQ2vLp" Zq8vL2mK9xWp Tr0ub4dor3x; do lacks "$TRASH/stderr" "$p" || return 1; done
'

test_expect_success 'url-password: Go'"'"'s MySQL DSN (user:password@tcp(host)/db) holds a password; its examples and format strings do not' '
	new_repo gomysql && cd gomysql && echo base >README && git add README && git commit -qm base &&
	cat >db.go <<-\EOF &&
	db, err := sql.Open("mysql", "app:Zq8vL2mK9xWp@tcp(db:3306)/app?parseTime=true")
	const dsn = `deploy:Xk9#mQ2vLp@unix(/var/run/mysqld/mysqld.sock)/app`
	EOF
	cat >honest.go <<-\EOF &&
	db, err := sql.Open("mysql", "root:password@tcp(127.0.0.1:3306)/test")
	dsn := fmt.Sprintf("%s:%s@tcp(%s:%d)/%s", user, pass, host, port, name)
	dsn := "user:${DB_PASSWORD}@tcp(db:3306)/app"
	cfg := "root:@tcp(localhost:3306)/app"
	EOF
	git add db.go honest.go && expect_code 1 "$RG" pre-commit &&
	contains "$TRASH/stderr" "error[secrets.url-password] db.go:1: password in a URL: db, err := sql.Open(\"mysql\", \"app:Zq**********@tcp(db:3306)" &&
	contains "$TRASH/stderr" "error[secrets.url-password] db.go:2:" &&
	test "$(grep -c "error\[" "$TRASH/stderr")" = 2 &&
	lacks "$TRASH/stderr" Zq8vL2mK9xWp && lacks "$TRASH/stderr" "Xk9#mQ2vLp"
'

test_expect_success '[secrets] ignore listing the secret itself, not its id: the error masks it' '
	new_repo ignkey && cd ignkey && echo base >README && git add README && git commit -qm base &&
	printf "[secrets]\nignore = %s\n" "$GHP" >.repoguard.ini &&
	echo x >x && git add x && expect_code 3 "$RG" pre-commit &&
	contains "$TRASH/stderr" ".repoguard.ini:2: [secrets] ignore: '"'"'ghp_************'"'"' is a secret, not its id" &&
	lacks "$TRASH/stderr" "$GHP" &&
	expect_code 3 "$RG" config && lacks "$TRASH/stderr" "$GHP" &&
	expect_code 3 "$RG" audit && lacks "$TRASH/stderr" "$GHP" && lacks "$TRASH/stdout" "$GHP"
'

test_expect_success 'generic-password: an .npmrc registry token (//host/:_authToken=...) is a secret; ${NPM_TOKEN} is not' '
	new_repo npmrc && cd npmrc && echo base >README && git add README && git commit -qm base &&
	cat >.npmrc <<-\EOF &&
	registry=https://nexus.example.com/repository/npm/
	//nexus.example.com/repository/npm/:_authToken=NpmToken.3f1e0c2d-9b8a-4f65-a1b2-c3d4e5f60718
	//npm.pkg.github.com/:_authToken=${NPM_TOKEN}
	always-auth=true
	EOF
	git add .npmrc && expect_code 1 "$RG" pre-commit &&
	contains "$TRASH/stderr" "error[secrets.generic-password] .npmrc:2: hard-coded password or secret: //nexus.example.com/repository/npm/:_authToken=NpmT****" &&
	test "$(grep -c "error\[" "$TRASH/stderr")" = 1 &&
	lacks "$TRASH/stderr" "3f1e0c2d-9b8a"
'

test_expect_success 'a minified line of 200,000 URLs is scanned whole (16 s when quadratic: measured, not timed here), and its one password still found' '
	new_repo manyurls && cd manyurls && echo base >README && git add README && git commit -qm base &&
	awk "BEGIN { printf \"x\"; for (i = 0; i < 200000; i++) printf \"a://b:c\"; print \" https://deploy:Zq8vL2mK9xWp@db.example.com/app\" }" >urls.min.js &&
	git add urls.min.js && expect_code 1 "$RG" pre-commit &&
	contains "$TRASH/stderr" "error[secrets.url-password] urls.min.js:1: password in a URL: ...b:ca://b:ca://b:ca://b:c https://deploy:Zq**********@db.example.com/app" &&
	lacks "$TRASH/stderr" Zq8vL2mK9xWp
'

test_expect_success 'a [content.NAME] rule never checks the rules file that defines it' '
	new_repo selfrule && cd selfrule && echo base >README && git add README && git commit -qm base &&
	git branch base &&
	printf "[content.no-debugger]\npattern = debugger\nmessage = remove debugger statements\n" >.repoguard.ini &&
	git add .repoguard.ini && git commit -qm "add the rule" &&
	"$RG" ci --base base --head HEAD &&
	mkdir -p sub && cp .repoguard.ini sub/.repoguard.ini && echo "debugger;" >a.js &&
	git add sub a.js && expect_code 1 git commit -qm more &&
	contains "$TRASH/stderr" "error[content.no-debugger] a.js:1" &&
	contains "$TRASH/stderr" "error[content.no-debugger] sub/.repoguard.ini:2" &&
	lacks "$TRASH/stderr" " .repoguard.ini:"
'

test_expect_success 'a rotated secret listed by its id in [secrets] ignore no longer blocks; other secrets still do' '
	new_repo rot && cd rot && echo base >README && git add README && git commit -qm base &&
	printf "aws_access_key_id = %s\n" "$AKID" >old.ini && git add old.ini &&
	expect_code 1 git commit -qm "key" &&
	id=$(printf %s "$AKID" | git hash-object --stdin) &&
	contains "$TRASH/stderr" "\"ignore = $(echo $id | cut -c1-16)\" in [secrets]" &&
	lacks "$TRASH/stderr" "$AKID" &&
	printf "[secrets]\nignore = %s\n" "$(echo $id | tr a-f A-F)" >.repoguard.ini &&
	git commit -qm "rotated key" 2>err &&
	contains err "note: 1 finding ignored by their text" &&
	contains err "secrets.aws-access-key-id at old.ini:1 ($(echo $id | cut -c1-16))" &&
	lacks err "$AKID" &&
	printf "a = %s\nb = %s\n" "$AKID" "$AKID2" >new.ini && git add new.ini &&
	expect_code 1 git commit -qm "another key" &&
	contains "$TRASH/stderr" "error[secrets.aws-access-key-id] new.ini:2" &&
	lacks "$TRASH/stderr" "new.ini:1:" &&
	printf "a = %s %s\n" "$AKID" "$AKID2" >new.ini && git add new.ini &&
	expect_code 1 git commit -qm "two keys on a line, the second not ignored" &&
	contains "$TRASH/stderr" "error[secrets.aws-access-key-id] new.ini:1" &&
	printf -- "-----BEGIN RSA PRIVATE KEY-----\n" >k.yml && git add k.yml && git rm -q --cached new.ini &&
	expect_code 1 git commit -qm "a key header" &&
	contains "$TRASH/stderr" "error[secrets.private-key] k.yml:1" &&
	lacks "$TRASH/stderr" "ignore = "
'

test_expect_success 'passwords on command lines of a deploy script (sshpass, redis-cli, kubectl, mariadb): one finding each' '
	new_repo cli && cd cli && echo base >README && git add README && git commit -qm base &&
	cat >deploy.sh <<-\EOF &&
	sshpass -p "Xk9#mQ2vLp7" ssh -p 2222 deploy@web1 ./restart.sh
	redis-cli -h cache -a Zq8vL2mK9x FLUSHALL
	kubectl create secret generic db --from-literal=DB_PASSWORD="Tr0ub4dor3x" --from-literal=user=app
	mariadb -u root -pWq7vL3mK8z app < schema.sql
	sshpass -f ~/.pw ssh -p 2222 deploy@web2 uptime
	kubectl create configmap cfg --from-literal=log_level=debug
	redis-cli -a "$REDIS_PASSWORD" ping
	EOF
	git add deploy.sh && expect_code 1 git commit -qm deploy &&
	for n in 1 2 3 4; do
		contains "$TRASH/stderr" "error[secrets.cli-password] deploy.sh:$n: password on a command line:" || return 1
	done &&
	test "$(grep -c "^error\[" "$TRASH/stderr")" = 4 &&
	for p in "Xk9#mQ2vLp7" Zq8vL2mK9x Tr0ub4dor3x Wq7vL3mK8z; do lacks "$TRASH/stderr" "$p" || return 1; done
'

test_expect_success 'paths= made only of !patterns is a configuration error, not a rule that checks no file' '
	new_repo negonly && cd negonly &&
	printf "[content.todo]\npattern = FIXME\npaths = !vendor/**\n" >.repoguard.ini &&
	echo "FIXME" >a.c && git add a.c &&
	expect_code 3 "$RG" pre-commit &&
	contains "$TRASH/stderr" ".repoguard.ini:3: paths= in [content.todo] has only !patterns, which match nothing" &&
	printf "[content.todo]\npattern = FIXME\npaths = ** !vendor/**\n" >.repoguard.ini &&
	expect_code 1 "$RG" pre-commit && contains "$TRASH/stderr" "error[content.todo] a.c:1"
'

test_expect_success '[content] max_file_size = 0 is no limit: a large file is still checked, never every file skipped' '
	new_repo czero && cd czero && printf "[content]\nmax_file_size = 0\n" >.repoguard.ini &&
	git add .repoguard.ini && git commit -qm rules &&
	"$RG" config >out && contains out "0: no size limit, every file is checked whatever its size" &&
	printf "key = AKIAIOSFODNN7EXAMPL4\n" >small.txt &&
	head -c 11000000 /dev/zero | tr "\\0" "a" >big.txt && printf "\nAKIAIOSFODNN7EXAMPL3\n" >>big.txt &&
	git add small.txt big.txt && expect_code 1 "$RG" pre-commit &&
	contains "$TRASH/stderr" "small.txt:1" && contains "$TRASH/stderr" "big.txt:2" &&
	lacks "$TRASH/stderr" "over [content] max_file_size"
'

test_expect_success 'Slack app-level tokens (xapp-1-) are caught and masked; placeholders and longer words are not' '
	new_repo xapp && cd xapp && echo base >README && git add README && git commit -qm base &&
	xa="xapp-1-A0$(gen_key "" 9 $UPPER 61)-$(gen_key "" 13 0123456789 62)-$(gen_key "" 64 0123456789abcdef 63)" &&
	{
		printf "SLACK_APP_TOKEN=%s\n" "$xa"
		printf "app = App(token=bot, app_token=\"%s\")\n" "$xa"
		printf "SLACK_APP_TOKEN=xapp-1-%s\n" "$(gen_key "" 40 x 64)"
		printf "see myxapp-1-%s\n" "$(gen_key "" 40 $ALNUM 65)"
	} >slack.txt &&
	git add slack.txt && expect_code 1 "$RG" pre-commit &&
	contains "$TRASH/stderr" "error[secrets.slack-token] slack.txt:1: Slack token: SLACK_APP_TOKEN=xapp****" &&
	contains "$TRASH/stderr" "error[secrets.slack-token] slack.txt:2: Slack token:" &&
	test "$(grep -c "error\[" "$TRASH/stderr")" = 2 &&
	lacks "$TRASH/stderr" "$xa" && lacks "$TRASH/stderr" "${xa#xapp-1-}"
'

test_expect_success 'generic-password: a token after an HTML-escaped & in a URL query (&amp;api_key=) is a secret; references are not' '
	new_repo ampq && cd ampq && echo base >README && git add README && git commit -qm base &&
	cat >page.html <<-\EOF &&
	<a href="https://api.example.com/v1/data?q=1&amp;api_key=a8F3kL9zQ2mX7pR4">data</a>
	<img src="https://maps.example.com/map?c=1&amp;z=3&amp;access_token=Zq8vL2mK9xWp&amp;s=2">
	EOF
	cat >honest.html <<-\EOF &&
	<a href="https://api.example.com/v1/data?q=1&amp;api_key={{ api_key }}">data</a>
	<a href="https://example.com/login?next=/home&amp;token_type=bearer">login</a>
	<a href="https://example.com/?a=1&amp;api_key=YOUR_API_KEY">docs</a>
	EOF
	git add page.html honest.html && expect_code 1 "$RG" pre-commit &&
	for n in 1 2; do
		contains "$TRASH/stderr" "error[secrets.generic-password] page.html:$n: hard-coded password or secret:" || return 1
	done &&
	test "$(grep -c "error\[" "$TRASH/stderr")" = 2 &&
	contains "$TRASH/stderr" "&amp;api_key=a8F************\">data</a>" &&
	for p in a8F3kL9zQ2mX7pR4 Zq8vL2mK9xWp; do lacks "$TRASH/stderr" "$p" || return 1; done
'

test_expect_success 'auth-header: a Docker config'"'"'s "auth" (base64 of user:password) is caught, masked; other base64 and examples are not' '
	new_repo docker && cd docker && echo base >README && git add README && git commit -qm base &&
	a1=$(printf "deploy:Zq8vL2mK9xWp" | base64) && a2=$(printf "ci-bot:Xk9#mQ2vLp7Zq8" | base64) &&
	mkdir -p .docker k8s &&
	printf "{\n  \"auths\": {\n    \"registry.example.com\": {\n      \"auth\": \"%s\"\n    }\n  }\n}\n" "$a1" >.docker/config.json &&
	printf "stringData:\n  .dockerconfigjson: {\"auths\":{\"ghcr.io\":{\"auth\":\"%s\"}}}\n" "$a2" >k8s/pull-secret.yaml &&
	{
		printf "{ \"auth\": \"%s\" }\n" "$(printf "username:password" | base64)"
		printf "{ \"auth\": \"%s\" }\n" "$(printf "a-long-opaque-session-value-1234" | base64)"
		printf "{ \"auth\": \"\${REGISTRY_AUTH}\" }\n"
		printf "{ \"auth\": \"oauth2\" }\n"
		printf "{ \"auth\": \"%s\" }\n" "$(printf "user:\$REGISTRY_PASSWORD" | base64)"
	} >honest.json &&
	git add .docker k8s honest.json && expect_code 1 "$RG" pre-commit &&
	contains "$TRASH/stderr" "error[secrets.auth-header] .docker/config.json:4: registry credentials (Docker \"auth\"):" &&
	contains "$TRASH/stderr" "error[secrets.auth-header] k8s/pull-secret.yaml:2: registry credentials (Docker \"auth\"):" &&
	test "$(grep -c "error\[" "$TRASH/stderr")" = 2 &&
	for k in "$a1" "$a2"; do lacks "$TRASH/stderr" "$k" || return 1; done
'

test_expect_success 'generic-password: .netrc and _netrc passwords, on the machine line or their own; not in other files, not references' '
	new_repo netrc && cd netrc && echo base >README && git add README && git commit -qm base &&
	mkdir -p win &&
	cat >.netrc <<-\EOF &&
	machine api.example.com login deploy password Zq8vL2mK9xWp
	machine git.example.com
	  login ci
	  password Xk9#mQ2vLp7Zq8
	machine ftp.example.com login anonymous password $FTP_PASSWORD
	default login anonymous password changeme-please
	EOF
	printf "machine db.example.com login app password Tr0ub4dor3x99\n" >win/_netrc &&
	printf "echo machine api.example.com login deploy password Zq8vL2mK9xWp >>~/.netrc\n" >setup.sh &&
	git add .netrc win setup.sh && expect_code 1 "$RG" pre-commit &&
	contains "$TRASH/stderr" "error[secrets.generic-password] .netrc:1: hard-coded password or secret: machine api.example.com login deploy password Zq**********" &&
	contains "$TRASH/stderr" "error[secrets.generic-password] .netrc:4: hard-coded password or secret: password Xk************" &&
	contains "$TRASH/stderr" "error[secrets.generic-password] win/_netrc:1:" &&
	test "$(grep -c "error\[" "$TRASH/stderr")" = 3 &&
	for p in Zq8vL2mK9xWp "Xk9#mQ2vLp7Zq8" Tr0ub4dor3x99; do lacks "$TRASH/stderr" "$p" || return 1; done
'

test_expect_success 'generic-password: a .properties file'"'"'s key value (a blank for the =) holds a secret; other files and honest lines do not' '
	new_repo props && cd props && echo base >README && git add README && git commit -qm base &&
	mkdir -p src/main/resources &&
	cat >src/main/resources/application.properties <<-\EOF &&
	db.url jdbc:postgresql://db/app
	db.password s3cr3tValue9
	  mail.smtp.password   Xk9#mQ2vLp7Zq8
	api.token Zq8vL2mK9xWp
	db.password.hint Enter your password
	db.password ${DB_PASSWORD}
	token.type access_token
	secret.id Xk9mQ2vLp7Zq8
	EOF
	printf "db.password s3cr3tValue9\n" >notes.txt &&
	git add src notes.txt && expect_code 1 "$RG" pre-commit &&
	for n in 2 3 4; do
		contains "$TRASH/stderr" "error[secrets.generic-password] src/main/resources/application.properties:$n: hard-coded password or secret:" || return 1
	done &&
	test "$(grep -c "error\[" "$TRASH/stderr")" = 3 &&
	contains "$TRASH/stderr" "db.password s3**********" &&
	for p in s3cr3tValue9 "Xk9#mQ2vLp7Zq8" Zq8vL2mK9xWp; do lacks "$TRASH/stderr" "$p" || return 1; done
'

test_expect_success 'the .netrc and .properties shapes are for those files: a commit message in their shape is not flagged, an xapp- token in it is' '
	cd props &&
	printf "fix: rotate the db password\n\ndb.password s3cr3tValue9\npassword Xk9#mQ2vLp7Zq8\n" >msg &&
	"$RG" commit-msg msg 2>err && lacks err "error[" &&
	printf "fix: slack\n\nSLACK_APP_TOKEN=xapp-1-A0%s-%s\n" "$(gen_key "" 9 $UPPER 66)" "$(gen_key "" 40 0123456789abcdef 67)" >msg &&
	expect_code 1 "$RG" commit-msg msg &&
	contains "$TRASH/stderr" "error[secrets.slack-token]"
'

PW1=$(gen_key "" 20 $ALNUM 41)
PW2=$(gen_key "" 20 $ALNUM 42)
PW3=$(gen_key "" 20 $ALNUM 43)

test_expect_success 'a secret whose name is on the line above (Kubernetes env list, ECS JSON): added or context, found; other names not' '
	new_repo split && cd split &&
	printf "env:\n  - name: DB_HOST\n    value: \"db.internal\"\n" >dep.yaml &&
	git add dep.yaml && git commit -qm base &&
	printf "env:\n  - name: DB_HOST\n    value: \"db.internal\"\n  - name: DB_PASSWORD\n    value: \"%s\"\n  - name: LOG_FORMAT\n    value: \"%s\"\n  - name: SECRET_KEY\n    valueFrom:\n      secretKeyRef:\n        name: app\n  - name: TOKEN_ID\n    value: \"%s\"\n  - name: API_TOKEN\n\n    value: \"%s\"\n" "$PW1" "$PW2" "$PW2" "$PW2" >dep.yaml &&
	printf "{\n  \"environment\": [\n    {\n      \"name\": \"DB_PASSWORD\",\n      \"value\": \"%s\"\n    }\n  ]\n}\n" "$PW3" >task.json &&
	printf "const env = [\n  - name: DB_PASSWORD\n    value: \"%s\"\n" "$PW1" >env.js &&
	git add dep.yaml task.json env.js && expect_code 1 git commit -qm "env" &&
	contains "$TRASH/stderr" "error[secrets.generic-password] dep.yaml:5: hard-coded password or secret: value: \"$(echo "$PW1" | cut -c1-4)****" &&
	contains "$TRASH/stderr" "error[secrets.generic-password] task.json:5: hard-coded password or secret: \"value\": \"$(echo "$PW3" | cut -c1-4)****" &&
	test "$(grep -c "^error\[" "$TRASH/stderr")" = 2 &&
	lacks "$TRASH/stderr" "$PW1" && lacks "$TRASH/stderr" "$PW3" &&
	git commit -q --no-verify -m "env" &&
	sed "s/$PW1/$PW2/" dep.yaml >dep.new && mv dep.new dep.yaml &&
	printf -- "- name: API_TOKEN\r\n  value: %s\r\n- name: DB_PASS  # prod\n  value: %s\n" "$PW1" "$PW3" >crlf.yml &&
	git add dep.yaml crlf.yml && expect_code 1 git commit -qm "rotate" &&
	contains "$TRASH/stderr" "error[secrets.generic-password] crlf.yml:2:" &&
	contains "$TRASH/stderr" "error[secrets.generic-password] crlf.yml:4:" &&
	contains "$TRASH/stderr" "error[secrets.generic-password] dep.yaml:5:" &&
	test "$(grep -c "^error\[" "$TRASH/stderr")" = 3 &&
	git reset -q --hard &&
	sed "s/DB_PASSWORD/DB_USER/" dep.yaml >dep.new && mv dep.new dep.yaml &&
	git add dep.yaml && expect_code 0 git commit -qm "rename the variable: its value line is old" &&
	expect_code 1 "$RG" audit &&
	contains "$TRASH/stdout" "error[secrets.generic-password] task.json:5:" &&
	lacks "$TRASH/stdout" "dep.yaml:" && lacks "$TRASH/stdout" "$PW3"
'

test_expect_success 'a file under a directory that [envfile] paths matches (.env/ of a virtualenv): the fix removes and ignores the directory, not the file name' '
	new_repo envdir && cd envdir &&
	echo base >README && git add README && git commit -qm base &&
	mkdir -p .env/bin sub/.env.d && echo x >.env/bin/activate && echo y >sub/.env.d/a.conf && echo z >activate &&
	git add .env sub && expect_code 1 git commit -qm venv &&
	contains "$TRASH/stderr" "error[envfile] .env/bin/activate: environment file staged" &&
	contains "$TRASH/stderr" "its directory .env matches '"'"'.env'"'"'" &&
	contains "$TRASH/stderr" "git rm -r --cached --quiet -- .env" &&
	contains "$TRASH/stderr" "printf '"'"'\n%s\n'"'"' .env/ >> .gitignore" &&
	contains "$TRASH/stderr" "git rm -r --cached --quiet -- sub/.env.d" &&
	contains "$TRASH/stderr" "printf '"'"'\n%s\n'"'"' .env.d/ >> .gitignore" &&
	lacks "$TRASH/stderr" " activate >> .gitignore" &&
	git rm -r --cached --quiet -- .env && git rm -r --cached --quiet -- sub/.env.d &&
	printf "\n%s\n" .env/ >>.gitignore && printf "\n%s\n" .env.d/ >>.gitignore &&
	git add -A && git commit -qm "ignore the directories" &&
	test "$(git ls-files activate)" = activate &&
	test -z "$(git ls-files .env sub)"
'

test_expect_success 'repoguard:allow right before what closes the comment (<!--repoguard:allow ID-->) or a sentence (ID.) allows the line' '
	new_repo allowclose && cd allowclose &&
	echo base >README && git add README && git commit -qm base &&
	printf "<meta content=\"%s\"><!--repoguard:allow secrets.aws-access-key-id-->\n<meta content=\"%s\"><!--repoguard:allow secrets-->\n# test key: %s repoguard:allow secrets.aws-access-key-id.\n<meta content=\"%s\"><!--repoguard:allow secrets.aws-->\n" "$AKID" "$AKID2" "$AKID" "$AKID2" >p.html &&
	git add p.html && expect_code 1 git commit -qm page &&
	contains "$TRASH/stderr" "note: 3 findings allowed by repoguard:allow comments: secrets.aws-access-key-id at p.html:1, secrets.aws-access-key-id at p.html:2, secrets.aws-access-key-id at p.html:3" &&
	contains "$TRASH/stderr" "error[secrets.aws-access-key-id] p.html:4:" &&
	test "$(grep -c "^error\[" "$TRASH/stderr")" = 1
'

test_done

#!/bin/sh
# t0840: excerpts never print a secret: every secret on a reported line is
# masked, whichever rule reported the line and whether the secrets rule is
# on, skipped, allowed for the path or disabled. Keys are made up at run time.
. "$(dirname "$0")/../lib/test-lib.sh"

UPPER=ABCDEFGHIJKLMNOPQRSTUVWXYZ234567
ALNUM=ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789
A1=$(gen_key AKIA 16 $UPPER 11)
A2=$(gen_key AKIA 16 $UPPER 12)
GHP=$(gen_key ghp_ 36 $ALNUM 13)
HDR1=$(gen_key "" 24 $ALNUM 14)
HDR2=$(gen_key "" 24 $ALNUM 15)

# none of the keys in any format's output
no_key_in() {
	for k in "$A1" "$A2" "$GHP" "$HDR1" "$HDR2"; do
		lacks "$1" "$k" || return 1
	done
}
every_format_hides_keys() {
	for fmt in text json sarif github; do
		expect_code 1 "$RG" pre-commit --format $fmt && no_key_in "$TRASH/stdout" && no_key_in "$TRASH/stderr" ||
			{ say "format $fmt shows a key"; return 1; }
	done
}

test_expect_success 'two keys on one line: both masked' '
	new_repo r1 && cd r1 &&
	echo base >README && git add README && git commit -qm base &&
	printf "ids = %s,%s\n" "$A1" "$A2" >two.txt &&
	git add two.txt && every_format_hides_keys &&
	expect_code 1 "$RG" pre-commit &&
	contains "$TRASH/stderr" "ids = AKIA************,AKIA************"
'

test_expect_success 'the same key twice on one line: both masked' '
	new_repo r2 && cd r2 &&
	echo base >README && git add README && git commit -qm base &&
	printf "id = %s # copy: %s\n" "$A1" "$A1" >same.txt &&
	git add same.txt && every_format_hides_keys
'

test_expect_success 'a user pattern with a secret group: every value on the line masked' '
	new_repo r3 && cd r3 &&
	printf "[content.api-key]\npattern = X-Api-Key: (?<secret>[A-Za-z0-9]{24})\n" >.repoguard.ini &&
	git add .repoguard.ini && git commit -qm base &&
	printf "curl -H \"X-Api-Key: %s\" -H \"X-Api-Key: %s\"\n" "$HDR1" "$HDR2" >call.sh &&
	git add call.sh && every_format_hides_keys &&
	expect_code 1 "$RG" pre-commit &&
	contains "$TRASH/stderr" "error[content.api-key] call.sh:1:"
'

test_expect_success 'a content rule fires on a line whose key is allowed by a comment: the key is masked' '
	new_repo r4 && cd r4 &&
	printf "[content.tenant]\npattern = tenant_id\npaths = *.js\n" >.repoguard.ini &&
	git add .repoguard.ini && git commit -qm base &&
	printf "tenant_id = 1; key=%s // repoguard:allow secrets.aws-access-key-id\n" "$A1" >a.js &&
	git add a.js && every_format_hides_keys &&
	expect_code 1 "$RG" pre-commit &&
	contains "$TRASH/stderr" "error[content.tenant] a.js:1:" &&
	lacks "$TRASH/stderr" "error[secrets"
'

test_expect_success 'the secrets rule skipped: a content finding still masks the key' '
	cd r4 &&
	printf "tenant_id = 1; key=%s\n" "$GHP" >b.js && git add b.js &&
	REPOGUARD_SKIP=secrets expect_code 1 "$RG" pre-commit &&
	contains "$TRASH/stderr" "error[content.tenant] b.js:1:" &&
	no_key_in "$TRASH/stderr"
'

test_expect_success 'the path allowed in [secrets] allow, or the secrets rule off: still masked' '
	cd r4 &&
	printf "[content.tenant]\npattern = tenant_id\npaths = *.js\n[secrets]\nallow = *.js\n" >.repoguard.ini &&
	expect_code 1 "$RG" pre-commit &&
	contains "$TRASH/stderr" "error[content.tenant] b.js:1:" && no_key_in "$TRASH/stderr" &&
	printf "[content.tenant]\npattern = tenant_id\npaths = *.js\n[secrets]\nenabled = false\n" >.repoguard.ini &&
	expect_code 1 "$RG" pre-commit && no_key_in "$TRASH/stderr" &&
	printf "[content.tenant]\npattern = tenant_id\npaths = *.js\n[secrets]\ndisable = github-token aws-access-key-id\n" >.repoguard.ini &&
	expect_code 1 "$RG" pre-commit && no_key_in "$TRASH/stderr"
'

test_expect_success 'ci over a commit range masks every key too' '
	new_repo r5 && cd r5 &&
	echo base >README && git add README && git commit -qm base &&
	git branch base &&
	printf "ids = %s %s %s\n" "$A1" "$GHP" "$A1" >k.txt && git add k.txt &&
	git commit -qm keys --no-verify &&
	expect_code 1 "$RG" ci --base base --head HEAD &&
	no_key_in "$TRASH/stdout" && no_key_in "$TRASH/stderr" &&
	expect_code 1 "$RG" ci --base base --head HEAD --format json &&
	no_key_in "$TRASH/stdout"
'

test_expect_success 'a [content.NAME] rule that is off still has its secret group masked' '
	new_repo r6 && cd r6 &&
	printf "[content.todo]\npattern = TODO\n[content.internal]\npattern = INTERNAL-(?<secret>[A-Z0-9]{20})\nseverity = off\n" >.repoguard.ini &&
	git add .repoguard.ini && git commit -qm base --no-verify &&
	printf "TODO INTERNAL-%s\n<<<<<<< INTERNAL-%s\n" "$HDR1" "$HDR1" | tr a-z A-Z >x.txt &&
	key=$(printf %s "$HDR1" | tr a-z A-Z) &&
	git add x.txt && expect_code 1 "$RG" pre-commit &&
	contains "$TRASH/stderr" "error[content.todo] x.txt:1:" &&
	contains "$TRASH/stderr" "error[conflict" &&
	lacks "$TRASH/stderr" "$key"
'

test_expect_success 'an invalid pattern of a rule that is off is still a configuration error' '
	cd r6 &&
	printf "[content.internal]\npattern = INTERNAL-(\nseverity = off\n" >.repoguard.ini &&
	expect_code 3 "$RG" pre-commit &&
	contains "$TRASH/stderr" ".repoguard.ini:2"
'

test_expect_success 'a key in a rejected commit subject is masked' '
	new_repo r7 && cd r7 &&
	printf "[commit-msg]\npattern = ^feat: .+\n" >.repoguard.ini &&
	printf "add key %s\n" "$A1" >msg &&
	expect_code 1 "$RG" commit-msg msg &&
	contains "$TRASH/stderr" "subject: add key AKIA****" && no_key_in "$TRASH/stderr" &&
	expect_code 1 "$RG" commit-msg --format json msg &&
	no_key_in "$TRASH/stdout"
'

test_expect_success 'a [content.NAME] secret group is masked in a rejected commit subject too' '
	cd r7 &&
	printf "[commit-msg]\npattern = ^feat: .+\n[content.api-key]\npattern = X-Api-Key: (?<secret>[A-Za-z0-9]{24})\nseverity = off\n" >.repoguard.ini &&
	printf "add X-Api-Key: %s\n" "$HDR1" >msg2 &&
	expect_code 1 "$RG" commit-msg msg2 &&
	contains "$TRASH/stderr" "subject: add X-Api-Key: " && no_key_in "$TRASH/stderr" &&
	printf "[commit-msg]\npattern = ^feat: .+\n" >.repoguard.ini
'

test_expect_success 'the commit-msg hint names the message file by its absolute path' '
	cd r7 &&
	mkdir -p sub && cd sub &&
	expect_code 1 "$RG" commit-msg ../msg &&
	contains "$TRASH/stderr" "git commit -e -F $TRASH/r7/msg"
'

test_expect_success 'two tokens pasted together (which detection passes over) are masked on a line another rule reports' '
	new_repo r-glued && cd r-glued &&
	echo base >README && git add README && git commit -qm base &&
	printf "[content.todo]\npattern = TODO\nmessage = no TODO\n" >.repoguard.ini &&
	printf "TODO %s%s and %s%s\n" "$GHP" "$GHP" "$A1" "$A2" >glued.txt &&
	git add .repoguard.ini glued.txt && every_format_hides_keys &&
	expect_code 1 "$RG" pre-commit &&
	contains "$TRASH/stderr" "error[content.todo] glued.txt:1" &&
	lacks "$TRASH/stderr" "secrets."
'

test_expect_success 'a rule written against a leaked key: its pattern and message are masked in every format and the audit' '
	new_repo r-cfgkey && cd r-cfgkey &&
	printf "[content.leaked]\npattern = %s\nmessage = key %s was rotated\n" "$A1" "$GHP" >.repoguard.ini &&
	printf "[commit-msg]\npattern = ^(feat|%s): .+\nmessage = never %s\n" "$A2" "$GHP" >>.repoguard.ini &&
	git add .repoguard.ini && git commit -qm base --no-verify &&
	printf "old = %s\n" "$A1" >old.txt && git add old.txt && every_format_hides_keys &&
	expect_code 1 "$RG" pre-commit &&
	contains "$TRASH/stderr" "error[content.leaked] old.txt:1: key ghp_************ was rotated: old = AKIA" &&
	contains "$TRASH/stderr" "pattern AKIA************ (" &&
	echo "added old" >msg && expect_code 1 "$RG" commit-msg msg &&
	contains "$TRASH/stderr" "never ghp_************" && no_key_in "$TRASH/stderr" &&
	for fmt in text json sarif github; do
		expect_code 1 "$RG" audit --format $fmt && no_key_in "$TRASH/stdout" && no_key_in "$TRASH/stderr" ||
			{ say "audit format $fmt shows a key"; return 1; }
	done
'

test_expect_success 'repoguard config masks a key that a rule'"'"'s pattern or message names, and changes nothing else' '
	cd r-cfgkey &&
	"$RG" config >"$TRASH/stdout" 2>"$TRASH/stderr" && no_key_in "$TRASH/stdout" && no_key_in "$TRASH/stderr" &&
	contains "$TRASH/stdout" "pattern = AKIA************	; " &&
	contains "$TRASH/stdout" "message = key ghp_************ was rotated	; " &&
	"$RG" config --no-origin >"$TRASH/stdout" && no_key_in "$TRASH/stdout" &&
	cd "$TRASH" && "$RG" config >plain.out && "$RG" config --no-origin >plain2.out &&
	contains plain.out "[secrets]" && lacks plain.out "****"
'

# every_format_hides KEY...: pre-commit fails in each format and shows none of the KEYs
every_format_hides() {
	for fmt in text json sarif github; do
		expect_code 1 "$RG" pre-commit --format $fmt || return 1
		for k in "$@"; do
			lacks "$TRASH/stdout" "$k" && lacks "$TRASH/stderr" "$k" || { say "format $fmt shows $k"; return 1; }
		done
	done
}

test_expect_success 'a Stripe key of 255 characters: masked when reported and on a line another rule reports' '
	new_repo r-stripe && cd r-stripe &&
	echo base >README && git add README && git commit -qm base &&
	sk=$(gen_key sk_live_ 247 $ALNUM 16) &&
	printf "[content.todo]\npattern = TODO\nmessage = no TODO\n" >.repoguard.ini &&
	printf "STRIPE_SECRET_KEY=%s\n" "$sk" >a.env.txt &&
	printf "TODO rotate %s\n" "$sk" >b.txt &&
	git add .repoguard.ini a.env.txt b.txt && every_format_hides "$sk" &&
	expect_code 1 "$RG" pre-commit &&
	contains "$TRASH/stderr" "error[secrets.stripe-key] a.env.txt:1: Stripe secret key: STRIPE_SECRET_KEY=sk_l************" &&
	contains "$TRASH/stderr" "error[content.todo] b.txt:1: no TODO: TODO rotate sk_l************"
'

test_expect_success 'a Supabase secret key: masked when reported and on a line another rule reports' '
	new_repo r-supa && cd r-supa &&
	echo base >README && git add README && git commit -qm base &&
	sb=$(gen_key sb_secret_ 31 "${ALNUM}-_" 17) &&
	printf "[content.todo]\npattern = TODO\nmessage = no TODO\n" >.repoguard.ini &&
	printf "const admin = createClient(url, \"%s\");\n" "$sb" >a.ts &&
	printf "TODO rotate %s%s\n" "$sb" "$sb" >b.txt &&
	git add .repoguard.ini a.ts b.txt && every_format_hides "$sb" &&
	expect_code 1 "$RG" pre-commit &&
	contains "$TRASH/stderr" "error[secrets.supabase-key] a.ts:1: Supabase secret key: const admin = createClient(url, \"sb_s************\");" &&
	contains "$TRASH/stderr" "error[content.todo] b.txt:1: no TODO: TODO rotate sb_s************"
'

test_expect_success 'a password in a URL or a connection string: only the password masked, also on a line another rule reports' '
	new_repo r-url && cd r-url &&
	echo base >README && git add README && git commit -qm base &&
	pw=$(gen_key Xk9 12 $ALNUM 18) && pw2=$(gen_key Zq8 12 $ALNUM 19) &&
	printf "[content.todo]\npattern = TODO\nmessage = no TODO\n" >.repoguard.ini &&
	printf "DATABASE_URL=postgres://app:%s@db.example.com/app\n" "$pw" >a.env.txt &&
	printf "TODO move postgres://app:%s@db.example.com/app and \"Server=db;Password=%s;\" out\n" "$pw" "$pw2" >b.txt &&
	git add .repoguard.ini a.env.txt b.txt && every_format_hides "$pw" "$pw2" &&
	expect_code 1 "$RG" pre-commit &&
	contains "$TRASH/stderr" "error[secrets.url-password] a.env.txt:1: password in a URL: DATABASE_URL=postgres://app:Xk9************@db.example.com/app" &&
	contains "$TRASH/stderr" "error[content.todo] b.txt:1: no TODO: TODO move postgres://app:Xk9************@db.example.com/app and \"Server=db;Password=Zq8************;"
'

test_expect_success 'a short password in a URL (under 8 characters): masked when reported and on a line another rule reports' '
	new_repo r-urlshort && cd r-urlshort &&
	echo base >README && git add README && git commit -qm base &&
	pw=$(gen_key Xk9 3 $ALNUM 23) && pw2=$(gen_key Zq8 4 $ALNUM 24) &&
	printf "[content.todo]\npattern = TODO\nmessage = no TODO\n" >.repoguard.ini &&
	printf "DATABASE_URL=postgres://app:%s@db/x\n" "$pw" >a.env.txt &&
	printf "TODO move postgres://app:%s@db/x and \"Server=db;Password=%s;\" out\n" "$pw" "$pw2" >b.txt &&
	git add .repoguard.ini a.env.txt b.txt && every_format_hides "$pw" "$pw2" &&
	expect_code 1 "$RG" pre-commit &&
	contains "$TRASH/stderr" "error[secrets.url-password] a.env.txt:1: password in a URL: DATABASE_URL=postgres://app:X*****@db/x" &&
	contains "$TRASH/stderr" "error[content.todo] b.txt:1: no TODO: TODO move postgres://app:X*****@db/x and \"Server=db;Password=Z******;"
'

test_expect_success 'a connection string'"'"'s Password = v (a space around the =): masked when reported and on a line another rule reports' '
	new_repo r-connspace && cd r-connspace &&
	echo base >README && git add README && git commit -qm base &&
	pw=$(gen_key Hu 8 $ALNUM 25) &&
	printf "[content.todo]\npattern = TODO\nmessage = no TODO\n" >.repoguard.ini &&
	printf "\"Server=db;User Id=sa;Password = %s;\"\n" "$pw" >a.json &&
	printf "TODO \"Server=db;User Id=sa;Password = %s;\"\n" "$pw" >b.txt &&
	git add .repoguard.ini a.json b.txt && every_format_hides "$pw" &&
	expect_code 1 "$RG" pre-commit &&
	contains "$TRASH/stderr" "error[secrets.url-password] a.json:1: password in a connection string: \"Server=db;User Id=sa;Password = Hu********;\"" &&
	contains "$TRASH/stderr" "error[content.todo] b.txt:1: no TODO: TODO \"Server=db;User Id=sa;Password = Hu********;\""
'

test_expect_success 'passwords in the generic rule'"'"'s new shapes are masked on a line another rule reports' '
	new_repo r-shapes && cd r-shapes &&
	echo base >README && git add README && git commit -qm base &&
	pw=$(gen_key Xk9 12 $ALNUM 20) && pw2=$(gen_key Zq8 12 $ALNUM 21) && pw3=$(gen_key Tr0 12 $ALNUM 22) &&
	printf "[content.todo]\npattern = TODO\nmessage = no TODO\n" >.repoguard.ini &&
	printf "define(\047DB_PASSWORD\047, \047%s\047); // TODO\n" "$pw" >a.php &&
	printf "<Password>%s</Password><!-- TODO --><add key=\"ApiKey\" value=\"%s\"/>\n" "$pw2" "$pw3" >b.xml &&
	git add .repoguard.ini a.php b.xml && every_format_hides "$pw" "$pw2" "$pw3" &&
	expect_code 1 "$RG" pre-commit &&
	contains "$TRASH/stderr" "error[content.todo] a.php:1: no TODO: define('"'"'DB_PASSWORD'"'"', '"'"'Xk9************'"'"'); // TODO" &&
	contains "$TRASH/stderr" "error[content.todo] b.xml:1: no TODO: <Password>Zq8************</Password><!-- TODO --><add key=\"ApiKey\" value=\"Tr0************\"/>"
'

test_expect_success 'a password in Java properties XML (<entry key="db.password">): masked when reported and on a line another rule reports' '
	new_repo r-entry && cd r-entry &&
	echo base >README && git add README && git commit -qm base &&
	pw=$(gen_key Xk9 12 $ALNUM 26) && pw2=$(gen_key Zq8 12 $ALNUM 27) &&
	printf "[content.todo]\npattern = TODO\nmessage = no TODO\n" >.repoguard.ini &&
	printf "<entry key=\"db.password\">%s</entry>\n" "$pw" >a.xml &&
	printf "<!-- TODO --><entry key=\"password\">%s</entry><prop key=\"api.token\">%s</prop>\n" "$pw" "$pw2" >b.xml &&
	git add .repoguard.ini a.xml b.xml && every_format_hides "$pw" "$pw2" &&
	expect_code 1 "$RG" pre-commit &&
	contains "$TRASH/stderr" "error[secrets.generic-password] a.xml:1: hard-coded password or secret: <entry key=\"db.password\">Xk9************</entry>" &&
	contains "$TRASH/stderr" "error[content.todo] b.xml:1: no TODO: <!-- TODO --><entry key=\"password\">Xk9************</entry><prop key=\"api.token\">Zq8************"
'

test_expect_success 'a password under a camelCase name ending in Pass: masked when reported and on a line another rule reports' '
	new_repo r-camelpass && cd r-camelpass &&
	echo base >README && git add README && git commit -qm base &&
	pw=$(gen_key Xk9 12 $ALNUM 28) && pw2=$(gen_key Zq8 12 $ALNUM 29) &&
	printf "[content.todo]\npattern = TODO\nmessage = no TODO\n" >.repoguard.ini &&
	printf "const smtpPass = \"%s\";\n" "$pw" >a.js &&
	printf "dbPass = \"%s\"; // TODO <smtpPass>%s</smtpPass>\n" "$pw" "$pw2" >b.js &&
	git add .repoguard.ini a.js b.js && every_format_hides "$pw" "$pw2" &&
	expect_code 1 "$RG" pre-commit &&
	contains "$TRASH/stderr" "error[secrets.generic-password] a.js:1: hard-coded password or secret: const smtpPass = \"Xk9************\";" &&
	contains "$TRASH/stderr" "error[content.todo] b.js:1: no TODO: dbPass = \"Xk9************\"; // TODO <smtpPass>Zq8************</smtpPass>"
'

test_expect_success 'control bytes in an excerpt: the same \ooo escapes in every format, none raw, the key masked' '
	new_repo ctl && cd ctl &&
	echo base >README && git add README && git commit -qm base &&
	printf "key = %s \033[31mred\033[0m caf\351 \302\233x\033\n" "$A1" >c.txt &&
	git add c.txt && every_format_hides_keys &&
	shown="key = AKIA************ \\033[31mred\\033[0m caf\\351 \\302\\233x\\033" &&
	expect_code 1 "$RG" pre-commit &&
	contains "$TRASH/stderr" "c.txt:1: AWS access key ID: $shown" &&
	for fmt in json sarif github; do
		expect_code 1 "$RG" pre-commit --format $fmt &&
		! LC_ALL=C grep -q "$(printf "[\033\233]")" "$TRASH/stdout" || return 1
	done &&
	expect_code 1 "$RG" pre-commit --format github &&
	contains "$TRASH/stdout" "$shown" &&
	expect_code 1 "$RG" pre-commit --format json &&
	python3 -c "
import json, sys
d = json.load(open(sys.argv[1]))
m = [x[\"message\"] for x in d[\"findings\"] if x[\"rule\"] == \"secrets.aws-access-key-id\"]
assert m == [\"AWS access key ID: \" + sys.argv[2]], m
" "$TRASH/stdout" "$shown" &&
	expect_code 1 "$RG" pre-commit --format sarif &&
	python3 -c "
import json, sys
d = json.load(open(sys.argv[1]))
t = [r[\"message\"][\"text\"] for r in d[\"runs\"][0][\"results\"]]
assert any(sys.argv[2] in x for x in t), t
" "$TRASH/stdout" "$shown"
'

test_expect_success 'trailing blanks dropped from an excerpt are no cut: no "..." after them' '
	new_repo trail && cd trail &&
	echo base >README && git add README && git commit -qm base &&
	printf "key = %s \t  \nkey2 = %s \n" "$A1" "$A2" >t.txt &&
	git add t.txt && expect_code 1 "$RG" pre-commit &&
	grep -q "t.txt:1: AWS access key ID: key = AKIA\*\{12\}\$" "$TRASH/stderr" &&
	grep -q "t.txt:2: AWS access key ID: key2 = AKIA\*\{12\}\$" "$TRASH/stderr"
'

test_done

#!/bin/sh
# t0820: detection compared with git-secrets (`git secrets --register-aws`)
# on sample lines generated here: AWS access key ids and secret access keys
# in the shapes they take in code, configuration and shells, and look-alikes
# that are not keys. On every key line git-secrets flags, repoguard must
# flag it too; on the look-alikes repoguard must flag nothing.
. "$(dirname "$0")/../lib/test-lib.sh"

test_skip() {
	test_count=$((test_count + 1))
	echo "ok $test_count # skip $1"
}

# samples KIND SEED: key lines (KIND=keys) or look-alikes (KIND=others)
samples() {
	awk -v kind="$1" -v seed="$2" '
	function pick(a, n,   s, i) { s = ""; for (i = 0; i < n; i++) s = s substr(a, int(rand() * length(a)) + 1, 1); return s }
	function secret(   s) { do s = pick(B64, 40); while (s !~ /[a-z]/ || s !~ /[A-Z]/); return s }
	BEGIN {
		srand(seed)
		UP = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"; B64 = UP "abcdefghijklmnopqrstuvwxyz+/"
		HEX = "0123456789abcdef"
		split("AKIA ASIA AGPA AIDA AROA AIPA ANPA ANVA A3TX ABIA ACCA", pre, " ")
		nid = split("aws_access_key_id = %s|AWS_ACCESS_KEY_ID=%s|  \"AccessKeyId\": \"%s\",|key: \x27%s\x27|%s|" \
			"url = \"https://s3.amazonaws.com/b/o?AWSAccessKeyId=%s&Expires=1\"|aws configure set aws_access_key_id %s|" \
			"{\"k\":\"%s\"}|\t%s\t|export AWS_ACCESS_KEY_ID=\"%s\"|access_key_id: %s # prod|" \
			"credentials(\"%s\", secret)|<AccessKeyId>%s</AccessKeyId>", id, "|")
		nsk = split("aws_secret_access_key = %s|AWS_SECRET_ACCESS_KEY=%s|  \"SecretAccessKey\": \"%s\",|" \
			"secret_key: \"%s\"|aws_secret_key => \x27%s\x27|secretKey = \"%s\"|AWS_SECRET_KEY: %s|" \
			"export AWS_SECRET_ACCESS_KEY=\"%s\"|key = \"%s\"|  \"aws_secret_access_key\": \"%s\",|" \
			"aws_secret_access_key=%s|Secret_Access_Key:\x27%s\x27|s3.secretKey=%s", sk, "|")
		if (kind == "keys") {
			for (r = 0; r < 3; r++) {
				for (i = 1; i <= nid; i++) {
					p = pre[(i + r) % 11 + 1]; if (p == "A3TX") p = "A3T" pick("ABCDEFGHIJKLMNOPQRSTUVWXYZ", 1)
					printf id[i] "\n", p pick(UP, 16)
				}
				for (i = 1; i <= nsk; i++) printf sk[i] "\n", secret()
				printf "%s,%s\n", "AKIA" pick(UP, 16), secret()
			}
		} else {
			printf "key = \"%s\"\n", pick(HEX, 40)
			printf "commit_key: %s\n", pick(HEX, 40)
			printf "aws_access_key_id = AKIAIOSFODNN7EXAMPLE\n"
			printf "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n"
			printf "const cacheKey = \"user-profile-settings-v2\";\n"
			printf "id = %s\n", "AKIA" pick(UP, 15)
			printf "sha256 = \"%s\"\n", pick(HEX, 64)
			printf "key = \"%s\"\n", pick("abcdefghijklmnopqrstuvwxyz", 40)
			printf "key = \"%s\"\n", pick("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 40)
			printf "akia_name = \"akiaxxxxxxxxxxxxxxxx\"\n"
			printf "monkey = 1234567890123456789012345678901234567890\n"
		}
	}'
}

# flagged TOOL FILE: the line numbers a tool flags in FILE, one per line
flagged() {
	case $1 in
	git-secrets) git secrets --scan "$2" 2>&1 | sed -n "s/^$2:\([0-9]*\):.*/\1/p" | sort -u ;;
	repoguard) "$RG" pre-commit 2>&1 | sed -n "s/^error\[secrets\.aws-[a-z-]*\] $2:\([0-9]*\):.*/\1/p" | sort -u ;;
	esac
}

if ! command -v git-secrets >/dev/null 2>&1; then
	test_skip "git-secrets is not installed (Debian package git-secrets)"
	# the counts, for the record (prove -v shows them)
(cd "$TRASH/cmp" 2>/dev/null &&
	say "key lines $(wc -l <keys.txt): git-secrets flags $(wc -l <gs), repoguard $(wc -l <rg)" &&
	say "look-alike lines $(wc -l <others.txt): git-secrets flags $(wc -l <gs-fp), repoguard $(wc -l <rg-fp)")
test_done
fi

test_expect_success 'setup: samples, git-secrets --register-aws' '
	git init -q cmp && cd cmp && git secrets --register-aws >/dev/null &&
	samples keys 8 >keys.txt && samples others 9 >others.txt &&
	test "$(wc -l <keys.txt)" -gt 60 &&
	git add keys.txt others.txt
'

test_expect_success 'every AWS key line git-secrets flags, repoguard flags' '
	cd cmp &&
	flagged git-secrets keys.txt >gs && flagged repoguard keys.txt >rg &&
	say "key lines: $(wc -l <keys.txt); git-secrets flags $(wc -l <gs), repoguard flags $(wc -l <rg)" &&
	test -s gs &&
	comm -23 gs rg >missed &&
	if test -s missed; then
		echo "repoguard missed lines git-secrets flags:"; while read n; do sed -n "${n}p" keys.txt; done <missed
		false
	fi
'

test_expect_success 'repoguard flags every generated key line' '
	cd cmp && test "$(wc -l <rg)" = "$(wc -l <keys.txt)"
'

test_expect_success 'look-alikes: repoguard flags none (git-secrets flags some)' '
	cd cmp &&
	flagged git-secrets others.txt >gs-fp && flagged repoguard others.txt >rg-fp &&
	say "look-alike lines: $(wc -l <others.txt); git-secrets flags $(wc -l <gs-fp), repoguard flags $(wc -l <rg-fp)" &&
	test ! -s rg-fp
'

# the counts, for the record (prove -v shows them)
(cd "$TRASH/cmp" 2>/dev/null &&
	say "key lines $(wc -l <keys.txt): git-secrets flags $(wc -l <gs), repoguard $(wc -l <rg)" &&
	say "look-alike lines $(wc -l <others.txt): git-secrets flags $(wc -l <gs-fp), repoguard $(wc -l <rg-fp)")
test_done

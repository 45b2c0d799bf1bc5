#!/bin/sh
# t0850: a file renamed with an edit counts only the lines the edit adds, as
# `git diff --cached` and `git log -p` show them (git detects renames of
# files at least 50 % similar): old debt moved to a new path does not block
# the move. Keys are made up at run time.
. "$(dirname "$0")/../lib/test-lib.sh"

UPPER=ABCDEFGHIJKLMNOPQRSTUVWXYZ234567
A1=$(gen_key AKIA 16 $UPPER 21)
A2=$(gen_key AKIA 16 $UPPER 22)

debt_repo() {
	new_repo "$1" && cd "$1" &&
	seq 1 30 >debt.txt && printf "key = %s\n" "$A1" >>debt.txt &&
	git add debt.txt && git commit -qm debt --no-verify &&
	git branch base
}

test_expect_success 'a rename with a small edit: only the edit is checked' '
	debt_repo r1 &&
	git mv debt.txt moved.txt && echo "line 32" >>moved.txt && git add moved.txt &&
	git diff --cached --name-status >ns && grep "^R" ns &&
	expect_code 0 "$RG" pre-commit
'

test_expect_success 'a key added by the edit of a renamed file is found, at its line' '
	cd r1 &&
	printf "new = %s\n" "$A2" >>moved.txt && git add moved.txt &&
	expect_code 1 "$RG" pre-commit &&
	contains "$TRASH/stderr" "error[secrets.aws-access-key-id] moved.txt:33:" &&
	lacks "$TRASH/stderr" "moved.txt:31:"
'

test_expect_success 'ci over a commit that renames with an edit: only the edit' '
	cd r1 &&
	git reset -q --hard HEAD && git mv debt.txt moved.txt && echo "line 32" >>moved.txt &&
	git add moved.txt && git commit -qm move --no-verify &&
	expect_code 0 "$RG" ci --base base --head HEAD
'

test_expect_success 'a new file unlike any deleted one is checked whole' '
	debt_repo r2 &&
	git rm -q debt.txt && printf "unrelated\nkey = %s\n" "$A1" >other.txt && git add other.txt &&
	expect_code 1 "$RG" pre-commit &&
	contains "$TRASH/stderr" "error[secrets.aws-access-key-id] other.txt:2:"
'

test_expect_success 'one source, two copies: only the most similar pairs with it' '
	debt_repo r3 &&
	git rm -q debt.txt &&
	seq 1 30 >a.txt && printf "key = %s\n" "$A1" >>a.txt &&
	seq 1 30 >b.txt && printf "key = %s\n" "$A1" >>b.txt && echo extra >>b.txt &&
	git add a.txt b.txt &&
	expect_code 1 "$RG" pre-commit &&
	contains "$TRASH/stderr" "error[secrets.aws-access-key-id] b.txt:31:" &&
	lacks "$TRASH/stderr" "a.txt:31"
'

fixture_repo() {
	new_repo "$1" && cd "$1" &&
	printf "[secrets]\nallow = tests/fixtures/**\n" >.repoguard.ini &&
	mkdir -p tests/fixtures src && seq 1 30 >tests/fixtures/k.txt &&
	printf "key = %s\n" "$A1" >>tests/fixtures/k.txt &&
	git add . && git commit -qm fixtures && git branch base
}

test_expect_success 'a key moved out of an allowed path (exact rename) is new where it lands' '
	fixture_repo r4 &&
	git mv tests/fixtures/k.txt src/k.txt &&
	expect_code 1 "$RG" pre-commit &&
	contains "$TRASH/stderr" "error[secrets.aws-access-key-id] src/k.txt:31:" &&
	git commit -qm move --no-verify &&
	expect_code 1 "$RG" ci --base base --head HEAD &&
	contains "$TRASH/stdout" "src/k.txt:31:"
'

test_expect_success 'a key moved out of an allowed path with an edit is new where it lands, once' '
	fixture_repo r5 &&
	git mv tests/fixtures/k.txt src/k.txt && echo "line 32" >>src/k.txt && git add src/k.txt &&
	expect_code 1 "$RG" pre-commit &&
	test "$(grep -c "error\[secrets.aws-access-key-id\] src/k.txt:31:" "$TRASH/stderr")" = 1
'

test_expect_success 'a key moved between paths under the same rules stays old debt' '
	fixture_repo r6 &&
	git mv tests/fixtures/k.txt tests/fixtures/moved.txt && echo "line 32" >>tests/fixtures/moved.txt &&
	git add tests/fixtures && expect_code 0 "$RG" pre-commit &&
	git commit -qm move --no-verify &&
	git mv tests/fixtures/moved.txt tests/fixtures/again.txt &&
	expect_code 0 "$RG" pre-commit
'

test_expect_success 'moved out of an allowed path, and the edit adds a key: each line reported once, in order' '
	fixture_repo r7 &&
	git mv tests/fixtures/k.txt src/k.txt && printf "new = %s\n" "$A2" >>src/k.txt && git add src/k.txt &&
	expect_code 1 "$RG" pre-commit &&
	test "$(grep -c "error\[secrets.aws-access-key-id\] src/k.txt:31:" "$TRASH/stderr")" = 1 &&
	test "$(grep -c "error\[secrets.aws-access-key-id\] src/k.txt:32:" "$TRASH/stderr")" = 1 &&
	contains "$TRASH/stderr" "2 errors"
'

test_done

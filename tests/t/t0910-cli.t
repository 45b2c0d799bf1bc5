#!/bin/sh
# t0910: the command line and the configuration errors as README documents
# them, seen by a user and by a script: each problem said once, with its
# file:line, and the exit status of its class.
. "$(dirname "$0")/../lib/test-lib.sh"

git init -q repo

test_expect_success 'a bad severity is reported once, at its line (exit 3)' '
	printf "[size]\nseverity = fatal\n" >bad-sev.ini &&
	(cd repo && expect_code 3 "$RG" config --config ../bad-sev.ini) &&
	contains "$TRASH/stderr" "bad-sev.ini:2: '"'"'fatal'"'"' is not a severity" &&
	test "$(grep -c "not a severity" "$TRASH/stderr")" = 1 &&
	(cd repo && expect_code 3 "$RG" pre-commit --config ../bad-sev.ini) &&
	test "$(grep -c "not a severity" "$TRASH/stderr")" = 1
'

test_done

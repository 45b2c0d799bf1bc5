#!/bin/sh
# run-unit.t: the cmocka unit tests, as one TAP stream for prove.
BUILD=${BUILD:-build}
n=0
fail=0
for t in "$BUILD"/tests/test-*; do
	[ -x "$t" ] || continue
	n=$((n + 1))
	if out=$(CMOCKA_MESSAGE_OUTPUT=TAP "$t" 2>&1); then
		echo "ok $n - $(basename "$t")"
	else
		echo "not ok $n - $(basename "$t")"
		fail=1
	fi
	printf '%s\n' "$out" | sed 's/^/# /'
done
echo "1..$n"
exit $fail

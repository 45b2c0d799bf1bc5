#!/bin/sh
# t0900: the help text and the man page cannot drift from the command table
# (src/main.c) and the rule table (src/rule/rules.c).
. "$(dirname "$0")/../lib/test-lib.sh"

# table_names TABLE-FILE PREFIX TYPE: the name (first string) of every entry
# of a table, found at its definition "const TYPE PREFIXident = {".
table_names() {
	for ident in $(grep -o "&$2[a-z0-9_]*" "$SRC_DIR/$1" | tr -d '&'); do
		def=$(grep -l "const $3 $ident = *{" "$SRC_DIR"/src/*/*.c "$SRC_DIR"/hooks/*.c) || {
			echo "no definition of $ident" >&2; return 1; }
		awk -v id="$ident" '
			index($0, " " id " ") { on = 1 }
			on && match($0, /"[^"]*"/) { print substr($0, RSTART + 1, RLENGTH - 2); exit }
		' "$def"
	done
}

# man_section NAME: the roff source of one .SH section, "\-" read as "-"
man_section() {
	sed 's/\\-/-/g' "$SRC_DIR/docs/repoguard.1" |
		awk -v s="$1" '/^\.SH / { on = ($2 == s) } on'
}

test_expect_success 'the tables can be read' '
	table_names src/main.c rg_cmd_ rg_cmd_entry >"$TRASH/commands" &&
	table_names src/rule/rules.c rg_rule_ rg_rule >"$TRASH/rules" &&
	grep -qx pre-commit "$TRASH/commands" &&
	grep -qx help "$TRASH/commands" &&
	grep -qx block "$TRASH/rules" &&
	test "$(wc -l <"$TRASH/commands")" = "$(grep -c "&rg_cmd_" "$SRC_DIR/src/main.c")" &&
	test "$(wc -l <"$TRASH/rules")" = "$(grep -c "&rg_rule_" "$SRC_DIR/src/rule/rules.c")"
'

test_expect_success 'repoguard help lists every command and rule, and help NAME works' '
	"$RG" help >help &&
	sed -n "/^Commands:/,/^\$/p" help >help.commands &&
	sed -n "/^Rules:/,/^\$/p" help >help.rules &&
	while read -r name; do
		grep -q "^   $name " help.commands || { echo "help lacks command $name"; exit 1; }
		"$RG" help "$name" >one && contains one "usage: repoguard $name" || exit 1
		# an unknown option names the command and gives its usage (exit 2)
		test "$name" = help && continue
		expect_code 2 "$RG" "$name" --no-such-option &&
		contains "$TRASH/stderr" "repoguard $name: unrecognized option '"'"'--no-such-option'"'"'" &&
		contains "$TRASH/stderr" "usage: repoguard $name" || exit 1
	done <"$TRASH/commands" &&
	while read -r id; do
		grep -q "^   $id " help.rules || { echo "help lacks rule $id"; exit 1; }
	done <"$TRASH/rules"
'

test_expect_success 'the man page documents every command and every rule' '
	man_section COMMANDS >man.commands && man_section RULES >man.rules &&
	man_section SYNOPSIS >man.synopsis &&
	while read -r name; do
		grep -q "^\.B $name\( \|\$\)" man.commands || { echo "man page: no COMMANDS entry for $name"; exit 1; }
		case $name in help|version) continue ;; esac
		grep -q "^\.B repoguard $name" man.synopsis || { echo "man page: no SYNOPSIS line for $name"; exit 1; }
	done <"$TRASH/commands" &&
	while read -r id; do
		grep -q "^\.B $id\$" man.rules || { echo "man page: no RULES entry for $id"; exit 1; }
	done <"$TRASH/rules"
'

test_expect_success 'the man page documents every exit status and renders' '
	man_section "EXIT" >man.exit &&
	for code in 0 1 2 3 4; do
		grep -q "^\.B $code\$" man.exit || { echo "no exit status $code"; exit 1; }
	done &&
	if command -v groff >/dev/null 2>&1; then
		groff -man -Tutf8 -ww -z "$SRC_DIR/docs/repoguard.1" 2>warnings &&
		test ! -s warnings || { cat warnings; exit 1; }
	else
		say "groff not installed: rendering not checked"
	fi
'

test_expect_success 'the sample reports cite the built-in rules.ini line that the binary cites' '
	line=$(grep -n "^paths = node_modules/" "$SRC_DIR/rules.ini" | cut -d: -f1) &&
	git init -q docs-sample && cd docs-sample &&
	mkdir node_modules && echo x >node_modules/x.js && git add -f node_modules &&
	expect_code 1 "$RG" pre-commit &&
	contains "$TRASH/stderr" "(rules.ini (built-in):$line)" &&
	grep -h "matches '"'"'node_modules/'"'"' (rules.ini (built-in):" "$SRC_DIR/README.md" "$SRC_DIR"/docs/*.md >cited &&
	test -s cited &&
	while read -r cite; do
		case $cite in *"(built-in):$line)"*) ;; *) echo "stale line in: $cite"; exit 1 ;; esac
	done <cited
'

test_expect_success 'every secrets.ID the documents name is one repoguard help lists, and README names them all' '
	"$RG" help | sed -n "/^Secret ids/,/^\$/p" | sed 1d | grep -o "secrets\.[a-z0-9-]*" | sort -u >ids &&
	test "$(wc -l <ids)" -ge 20 &&
	cat "$SRC_DIR/README.md" "$SRC_DIR"/docs/*.md | grep -o "\`secrets\.[a-z0-9-]*\`" | tr -d "\`" | sort -u >named &&
	sed "s/\\\\-/-/g" "$SRC_DIR/docs/repoguard.1" | grep -o "^\.BR secrets\.[a-z0-9-]*" | cut -d" " -f2 | sort -u >>named &&
	sort -u named -o named &&
	comm -23 named ids >unknown && { test ! -s unknown || { echo "not secret ids:"; cat unknown; exit 1; }; } &&
	for id in $(cat ids); do grep -qF "\`$id\`" "$SRC_DIR/README.md" || { echo "README lacks $id"; exit 1; }; done
'

test_expect_success 'every variable of README'"'"'s Environment table has an entry in the man page' '
	sed -n "/^## Environment/,/^## /p" "$SRC_DIR/README.md" | grep -o "^| \`[A-Z_]*" | tr -d "|\` " >vars &&
	test "$(wc -l <vars)" -ge 8 &&
	man_section ENVIRONMENT >man.env &&
	for v in $(cat vars); do grep -q "^\.BR\{0,1\} .*$v" man.env || { echo "man page: no ENVIRONMENT entry for $v"; exit 1; }; done
'

test_expect_success 'every hook of .pre-commit-hooks.yaml is named in README and docs/ranges.md' '
	sed -n "s/^- id: //p" "$SRC_DIR/.pre-commit-hooks.yaml" >ids &&
	test "$(wc -l <ids)" -ge 3 &&
	for id in $(cat ids); do
		for doc in README.md docs/ranges.md; do
			grep -q "\`$id\`" "$SRC_DIR/$doc" || { echo "$doc does not name the hook $id"; exit 1; }
		done
	done
'

test_expect_success 'sample reports give sizes in the binary units repoguard prints (KiB, MiB), not MB' '
	git init -q units && cd units && mkdir node_modules &&
	head -c 1572864 /dev/zero >node_modules/a && git add -f node_modules &&
	expect_code 1 "$RG" pre-commit &&
	contains "$TRASH/stderr" "error[block] node_modules/: 1 file, 1.5 MiB staged" &&
	! grep -n "[0-9] [KMG]B staged" "$SRC_DIR/README.md" "$SRC_DIR"/docs/*.md "$SRC_DIR/docs/repoguard.1"
'

test_done

#!/bin/sh
# t0120: .gitattributes of the staged state, at every directory level.
. "$(dirname "$0")/../lib/test-lib.sh"

pointer() {
	printf "version https://git-lfs.github.com/spec/v1\noid sha256:%s\nsize 12345\n" \
		"$(printf "%064d" 0 | tr 0 a)"
}

test_expect_success 'nested .gitattributes apply to their own directory only' '
	new_repo r1 && cd r1 &&
	echo "*.psd filter=lfs" >.gitattributes &&
	mkdir -p a sub/deeper sub2 subx &&
	echo "*.psd -filter" >sub/.gitattributes &&
	echo "x.psd filter=lfs" >sub/deeper/.gitattributes &&
	for f in a/1.psd sub/2.psd sub/deeper/3.psd sub/deeper/x.psd sub2/4.psd subx/5.psd top.psd; do
		echo raw >"$f"
	done &&
	git add . &&
	expect_code 1 "$RG" pre-commit &&
	for f in a/1.psd sub/deeper/x.psd sub2/4.psd subx/5.psd top.psd; do
		contains "$TRASH/stderr" "error[lfs] $f" || return 1
	done &&
	lacks "$TRASH/stderr" "sub/2.psd" &&
	lacks "$TRASH/stderr" "sub/deeper/3.psd" &&
	test "$(grep -c "error\[lfs\]" "$TRASH/stderr")" = 5
'

test_expect_success 'the staged .gitattributes counts, not the working tree one' '
	new_repo r2 && cd r2 &&
	echo "*.bin filter=lfs" >.gitattributes && git add .gitattributes &&
	echo raw >x.bin && git add x.bin &&
	echo "" >.gitattributes &&
	expect_code 1 "$RG" pre-commit &&
	contains "$TRASH/stderr" "error[lfs] x.bin" &&
	pointer >x.bin && git add x.bin && "$RG" pre-commit
'

test_expect_success 'info/attributes applies after the tree files' '
	new_repo r3 && cd r3 &&
	mkdir -p d && echo raw >d/y.dat &&
	echo "*.dat filter=lfs" >.git/info/attributes &&
	git add d &&
	expect_code 1 "$RG" pre-commit &&
	contains "$TRASH/stderr" "error[lfs] d/y.dat"
'

test_expect_success 'nested .gitattributes of each commit in a range (ci)' '
	new_repo r4 && cd r4 &&
	echo base >README && git add README && git commit -qm base --no-verify &&
	git tag base &&
	echo "*.psd filter=lfs" >.gitattributes &&
	mkdir -p a sub/deeper sub2 subx &&
	echo "*.psd -filter" >sub/.gitattributes &&
	echo "x.psd filter=lfs" >sub/deeper/.gitattributes &&
	git add . && git commit -qm attributes --no-verify &&
	for f in a/1.psd sub/2.psd sub/deeper/3.psd sub/deeper/x.psd sub2/4.psd subx/5.psd top.psd; do
		echo raw >"$f"
	done &&
	git add . && git commit -qm images --no-verify &&
	c=$(git rev-parse --short=12 HEAD) &&
	echo "*.psd filter=lfs" >sub/.gitattributes && echo raw2 >sub/2.psd &&
	git add . && git commit -qm "sub turns lfs on" --no-verify &&
	d=$(git rev-parse --short=12 HEAD) &&
	expect_code 1 "$RG" ci --base base &&
	for f in a/1.psd sub/deeper/x.psd sub2/4.psd subx/5.psd top.psd; do
		contains "$TRASH/stdout" "error[lfs] $c:$f" || return 1
	done &&
	contains "$TRASH/stdout" "error[lfs] $d:sub/2.psd" &&
	lacks "$TRASH/stdout" "$c:sub/2.psd" &&
	lacks "$TRASH/stdout" "sub/deeper/3.psd" &&
	test "$(grep -c "error\[lfs\]" "$TRASH/stdout")" = 6
'

test_expect_success 'a macro defined in the root .gitattributes applies in a subdirectory file' '
	new_repo r5 && cd r5 &&
	mkdir -p sub &&
	printf "[attr]asset filter=lfs diff=lfs merge=lfs -text\n*.psd asset\n" >.gitattributes &&
	echo "*.tga asset" >sub/.gitattributes &&
	echo raw >sub/b.tga && echo raw >sub/c.psd &&
	git add . &&
	test "$(git check-attr filter sub/b.tga)" = "sub/b.tga: filter: lfs" &&
	expect_code 1 "$RG" pre-commit &&
	contains "$TRASH/stderr" "error[lfs] sub/b.tga" &&
	contains "$TRASH/stderr" "error[lfs] sub/c.psd"
'

test_expect_success 'a macro from info/attributes applies in the tree files; one defined in a subdirectory does not' '
	new_repo r6 && cd r6 &&
	mkdir -p sub &&
	echo "[attr]asset filter=lfs" >.git/info/attributes &&
	echo "*.tga asset" >.gitattributes &&
	printf "[attr]local filter=lfs\n*.bmp local\n" >sub/.gitattributes &&
	echo raw >a.tga && echo raw >sub/b.bmp &&
	git add . &&
	test "$(git check-attr filter sub/b.bmp)" = "sub/b.bmp: filter: unspecified" &&
	expect_code 1 "$RG" pre-commit &&
	contains "$TRASH/stderr" "error[lfs] a.tga" &&
	lacks "$TRASH/stderr" "sub/b.bmp"
'

test_expect_success 'a macro unset by a higher line sets nothing; a higher line beats what a macro sets' '
	new_repo r7 && cd r7 &&
	mkdir -p sub other &&
	printf "[attr]asset filter=lfs\n*.tga asset\n" >.gitattributes &&
	echo "*.tga -asset" >sub/.gitattributes &&
	echo "*.tga -filter" >other/.gitattributes &&
	echo raw >sub/a.tga && echo raw >other/b.tga && echo raw >c.tga &&
	git add . &&
	test "$(git check-attr filter sub/a.tga)" = "sub/a.tga: filter: unspecified" &&
	test "$(git check-attr filter other/b.tga)" = "other/b.tga: filter: unset" &&
	expect_code 1 "$RG" pre-commit &&
	contains "$TRASH/stderr" "error[lfs] c.tga" &&
	lacks "$TRASH/stderr" "sub/a.tga" &&
	lacks "$TRASH/stderr" "other/b.tga"
'

test_expect_success 'quoted patterns, a byte order mark, core.ignorecase' '
	new_repo r8 && cd r8 &&
	mkdir -p "Design Assets" &&
	printf "\357\273\277*.psd filter=lfs\n\"Design Assets/*.bin\" filter=lfs\n\"t\\\\141b.dat\" filter=lfs\n*.TGA filter=lfs\n" >.gitattributes &&
	echo raw >a.psd && echo raw >"Design Assets/x.bin" && echo raw >tab.dat && echo raw >y.tga &&
	git add . &&
	test "$(git check-attr filter a.psd)" = "a.psd: filter: lfs" &&
	test "$(git check-attr filter tab.dat)" = "tab.dat: filter: lfs" &&
	expect_code 1 "$RG" pre-commit &&
	contains "$TRASH/stderr" "error[lfs] a.psd" &&
	contains "$TRASH/stderr" "error[lfs] Design Assets/x.bin" &&
	contains "$TRASH/stderr" "error[lfs] tab.dat" &&
	lacks "$TRASH/stderr" "y.tga" &&
	git config core.ignorecase true &&
	test "$(git check-attr filter y.tga)" = "y.tga: filter: lfs" &&
	expect_code 1 "$RG" pre-commit &&
	contains "$TRASH/stderr" "error[lfs] y.tga"
'

test_done

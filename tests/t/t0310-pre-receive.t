#!/bin/sh
# t0310: the server-side pre-receive hook in a bare repository, pushed to
# with the real git client over file://. Refused pushes must leave the
# server's refs and objects exactly as they were.
. "$(dirname "$0")/../lib/test-lib.sh"

# server NAME: a bare repository with the pre-receive hook and one commit on main
server() {
	git init -q --bare "$1.git" &&
	(cd "$1.git" && "$RG" install --server >/dev/null) &&
	git clone -q "file://$TRASH/$1.git" "$1" 2>/dev/null &&
	(cd "$1" && echo base >README && git add README && git commit -qm base && git push -q origin main)
}

add_nm() { mkdir -p node_modules && echo "$1" >node_modules/x.js && git add node_modules; }

test_expect_success 'an accepted push lands' '
	server s1 && cd s1 &&
	echo a >a && git add a && git commit -qm a &&
	git push -q origin main &&
	test "$(git -C ../s1.git rev-parse main)" = "$(git rev-parse main)"
'

test_expect_success 'a refused push leaves refs and objects unchanged' '
	server s2 && cd s2 &&
	add_nm 1 && git commit -qm deps && bad=$(git rev-parse HEAD) &&
	git rm -rq node_modules && git commit -qm clean &&
	repo_state ../s2.git >"$TRASH/before" &&
	expect_code 1 git push origin main &&
	contains "$TRASH/stderr" "remote: error[block] $(echo $bad | cut -c1-12):node_modules/" &&
	contains "$TRASH/stderr" "pre-receive hook declined" &&
	repo_state ../s2.git >"$TRASH/after" &&
	cmp "$TRASH/before" "$TRASH/after" &&
	! git -C ../s2.git cat-file -e $bad 2>/dev/null
'

test_expect_success 'a new branch is checked for commits no server ref has' '
	server s3 && cd s3 &&
	git checkout -qb feature && echo f >f && git add f && git commit -qm f &&
	git push -q origin feature &&
	git checkout -qb f2 && add_nm 1 && git commit -qm deps &&
	expect_code 1 git push origin f2 &&
	test "$(grep -c "error\[block\]" "$TRASH/stderr")" = 1
'

test_expect_success 'every ref of a multi-ref push is checked; one bad ref refuses all (atomic)' '
	server s4 && cd s4 &&
	git checkout -qb good && echo g >g && git add g && git commit -qm g &&
	git checkout -qb bad main && add_nm 1 && git commit -qm deps &&
	expect_code 1 git push --atomic origin good bad &&
	expect_code 1 git -C ../s4.git rev-parse -q --verify refs/heads/good &&
	expect_code 1 git -C ../s4.git rev-parse -q --verify refs/heads/bad
'

test_expect_success 'a tag pointing at a bad commit is refused' '
	server s5 && cd s5 &&
	git checkout -q --detach && add_nm 1 && git commit -qm deps &&
	git tag -a -m v1 v1 &&
	expect_code 1 git push origin v1 &&
	contains "$TRASH/stderr" ":node_modules/"
'

test_expect_success 'deleting a branch is allowed when not protected' '
	server s6 && cd s6 &&
	git push -q origin main:tmp && git push -q origin :tmp &&
	expect_code 1 git -C ../s6.git rev-parse -q --verify refs/heads/tmp
'

test_expect_success '--gitlab prefixes every line with GL-HOOK-ERR:' '
	server s7 && cd s7 &&
	rm ../s7.git/hooks/pre-receive &&
	printf "#!/bin/sh\nexec repoguard pre-receive --gitlab\n" >../s7.git/hooks/pre-receive &&
	chmod +x ../s7.git/hooks/pre-receive &&
	add_nm 1 && git commit -qm deps &&
	expect_code 1 git push origin main &&
	grep "^remote: " "$TRASH/stderr" | grep -v "^remote: GL-HOOK-ERR: " | grep -v "^remote: *$" >other || true &&
	test ! -s other &&
	contains "$TRASH/stderr" "remote: GL-HOOK-ERR: error[block]"
'

test_done

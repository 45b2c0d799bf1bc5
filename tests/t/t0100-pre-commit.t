#!/bin/sh
# t0100: the pre-commit guard driven through real `git commit`.
. "$(dirname "$0")/../lib/test-lib.sh"

test_expect_success 'node_modules/ at the root is blocked and HEAD does not move' '
	new_repo r1 && cd r1 &&
	echo base >README && git add README && git commit -qm base &&
	before=$(git rev-parse HEAD) &&
	mkdir -p node_modules/react && echo "module.exports=1" >node_modules/react/index.js &&
	git add node_modules &&
	expect_code 1 git commit -qm "add deps" &&
	test "$(git rev-parse HEAD)" = "$before" &&
	contains "$TRASH/stderr" "error[block] node_modules/: 1 file" &&
	contains "$TRASH/stderr" "git rm -r --cached --quiet -- node_modules" &&
	contains "$TRASH/stderr" "printf '"'"'\\n%s\\n'"'"' node_modules/ >> .gitignore"
'

test_expect_success 'nested frontend/node_modules and .vite are summarised per directory' '
	new_repo r2 && cd r2 &&
	mkdir -p frontend/node_modules/a frontend/node_modules/.vite/deps .vite/x src &&
	for i in 1 2 3 4 5; do echo $i >frontend/node_modules/a/f$i.js; done &&
	echo v >frontend/node_modules/.vite/deps/chunk.js &&
	echo c >.vite/x/cache && echo app >src/app.ts &&
	git add . &&
	expect_code 1 git commit -qm deps &&
	contains "$TRASH/stderr" "error[block] frontend/node_modules/: 6 files" &&
	contains "$TRASH/stderr" "error[block] .vite/: 1 file" &&
	lacks "$TRASH/stderr" "src/app.ts" &&
	test "$(grep -c "error\[block\]" "$TRASH/stderr")" = 2
'

test_expect_success 'look-alikes are not blocked' '
	new_repo r3 && cd r3 &&
	mkdir -p docs my_node_modules vite &&
	echo d >docs/node_modules.md && echo m >my_node_modules/x && echo v >vite/config &&
	git add . && git commit -qm ok &&
	git rev-parse -q --verify HEAD >/dev/null
'

test_expect_success 'git add -f of an ignored node_modules is still blocked' '
	new_repo r4 && cd r4 &&
	echo node_modules/ >.gitignore && git add .gitignore && git commit -qm ignore &&
	mkdir node_modules && echo x >node_modules/x.js &&
	git add -f node_modules/x.js &&
	expect_code 1 git commit -qm forced &&
	contains "$TRASH/stderr" "node_modules/: 1 file"
'

test_expect_success 'first commit on an unborn branch is checked' '
	new_repo r5 && cd r5 &&
	mkdir node_modules && echo x >node_modules/x.js && git add node_modules &&
	expect_code 1 git commit -qm first &&
	expect_code 1 git rev-parse -q --verify HEAD
'

test_expect_success 'a submodule entry named node_modules is blocked' '
	new_repo r6 && cd r6 &&
	echo a >a && git add a && git commit -qm a &&
	git update-index --add --cacheinfo 160000,$(git rev-parse HEAD),web/node_modules &&
	expect_code 1 git commit -qm gitlink &&
	contains "$TRASH/stderr" "error[block] web/node_modules/: a submodule staged" &&
	contains "$TRASH/stderr" "git rm -r --cached --quiet -- web/node_modules"
'

test_expect_success 'a symbolic link named node_modules is blocked, with a .gitignore line that ignores a link' '
	new_repo r6l && cd r6l &&
	echo a >a && git add a && git commit -qm a &&
	mkdir -p ../r6l-store web && ln -s ../r6l-store node_modules && ln -s ../../r6l-store web/.vite &&
	git add node_modules web/.vite &&
	expect_code 1 git commit -qm linked &&
	contains "$TRASH/stderr" "error[block] node_modules: a symbolic link staged" &&
	contains "$TRASH/stderr" "error[block] web/.vite: a symbolic link staged" &&
	contains "$TRASH/stderr" "printf '"'"'\\n%s\\n'"'"' node_modules >> .gitignore" &&
	lacks "$TRASH/stderr" "submodule" &&
	git rm -q --cached node_modules web/.vite && printf "node_modules\n.vite\n" >.gitignore &&
	test -z "$(git status --porcelain --untracked-files=all -- node_modules web)"
'

test_expect_success 'case variants of blocked folders (a case-insensitive checkout) are blocked, staged and renamed into' '
	new_repo r6c && cd r6c &&
	git config core.ignorecase true &&
	mkdir -p lib Node_Modules/react web/.VITE/deps && echo x >Node_Modules/react/index.js &&
	echo v >web/.VITE/deps/chunk.js && echo l >lib/a.js &&
	git add lib && git commit -qm lib &&
	git add Node_Modules web &&
	expect_code 1 git commit -qm deps &&
	contains "$TRASH/stderr" "error[block] Node_Modules/: 1 file" &&
	contains "$TRASH/stderr" "error[block] web/.VITE/: 1 file" &&
	git reset -q && mkdir -p NODE_MODULES && git mv lib/a.js NODE_MODULES/a.js &&
	expect_code 1 git commit -qm moved &&
	contains "$TRASH/stderr" "error[block] NODE_MODULES/: 1 file"
'

test_expect_success 'the .gitignore line for a blocked case variant ignores it where core.ignorecase is false' '
	new_repo r6i && cd r6i &&
	git config core.ignorecase false &&
	mkdir -p Node_Modules/react web/.VITE/deps && echo x >Node_Modules/react/index.js &&
	echo v >web/.VITE/deps/chunk.js &&
	git add Node_Modules web &&
	expect_code 1 git commit -qm deps &&
	contains "$TRASH/stderr" "printf '"'"'\\n%s\\n'"'"' Node_Modules/ >> .gitignore" &&
	contains "$TRASH/stderr" "printf '"'"'\\n%s\\n'"'"' .VITE/ >> .gitignore" &&
	grep ">> .gitignore\$" "$TRASH/stderr" >fixes && test "$(wc -l <fixes)" -eq 2 &&
	git rm -r -q --cached Node_Modules web && sh fixes &&
	git check-ignore -q Node_Modules/react/index.js && git check-ignore -q web/.VITE/deps/chunk.js &&
	test -z "$(git status --porcelain --untracked-files=all -- Node_Modules web)" &&
	printf "[block]\npaths = /dist/cache/\n" >"$TRASH/anchored.ini" &&
	mkdir -p Dist/Cache sub/Dist/Cache && echo c >Dist/Cache/x && echo c >sub/Dist/Cache/x &&
	git add Dist sub && expect_code 1 "$RG" pre-commit --config "$TRASH/anchored.ini" &&
	contains "$TRASH/stderr" "error[block] Dist/Cache/: 1 file" &&
	grep ">> .gitignore\$" "$TRASH/stderr" >fixes && test "$(wc -l <fixes)" -eq 1 &&
	git rm -r -q --cached Dist sub && sh fixes &&
	git check-ignore -q Dist/Cache/x && ! git check-ignore -q sub/Dist/Cache/x
'

test_expect_success 'a submodule git submodule add made is reported as one; its fix takes out the .gitmodules section too' '
	new_repo r6s && cd r6s &&
	echo a >a && git add a && git commit -qm a &&
	git init -q ../r6s-lib && git -C ../r6s-lib commit -q --allow-empty -m lib &&
	git -c protocol.file.allow=always submodule add -q ../r6s-lib lib/node_modules 2>/dev/null &&
	expect_code 1 git commit -qm submodule &&
	contains "$TRASH/stderr" "error[block] lib/node_modules/: a submodule staged" &&
	lacks "$TRASH/stderr" "0 bytes" &&
	contains "$TRASH/stderr" "git rm -f --quiet -- lib/node_modules" &&
	lacks "$TRASH/stderr" "git rm -r --cached" &&
	sed -n "/^  fix:/,/^repoguard/p" "$TRASH/stderr" | grep "^    " >fix.sh &&
	sh fix.sh && rm fix.sh &&
	test -z "$(git status --porcelain --untracked-files=no)" &&
	test ! -e .gitmodules && test -z "$(git ls-files -s | grep ^160000)" &&
	git add .gitignore && git commit -qm ignore &&
	test "$(git ls-files)" = "$(printf ".gitignore\na")" &&
	echo k >keep && git add keep && git commit -qm keep &&
	printf "[submodule \"other\"]\n\tpath = other\n\turl = ../x\n" >.gitmodules && git add .gitmodules &&
	git commit -qm "other submodule" &&
	git -c protocol.file.allow=always submodule add -q --force ../r6s-lib lib/node_modules 2>/dev/null &&
	expect_code 1 git commit -qm submodule &&
	contains "$TRASH/stderr" "git rm -f --quiet -- lib/node_modules" &&
	lacks "$TRASH/stderr" "test -s .gitmodules" &&
	git rm -f --quiet -- lib/node_modules &&
	test -z "$(git status --porcelain --untracked-files=no)"
'

test_expect_success 'the staged .gitmodules is read as git reads it: key case, quotes, comments, names with spaces; includes are not followed' '
	new_repo r6g && cd r6g &&
	echo a >a && git add a && git commit -qm a &&
	git init -q ../r6g-lib && git -C ../r6g-lib commit -q --allow-empty -m lib &&
	git -c protocol.file.allow=always submodule add -q --name "a b" ../r6g-lib lib/node_modules 2>/dev/null &&
	printf "[submodule \"a b\"]\n\t# made by hand\n\tPATH = \"lib/node_modules\" ; the dependency\n\tURL = ../r6g-lib\n" >.gitmodules &&
	echo "worktree copy, not staged" >>.gitmodules.wt && git add .gitmodules &&
	expect_code 1 git commit -qm submodule &&
	contains "$TRASH/stderr" "git rm -f --quiet -- lib/node_modules" &&
	lacks "$TRASH/stderr" "git rm -r --cached" &&
	contains "$TRASH/stderr" "/modules/'"'"'a b'"'"'" &&
	sed -n "/^  fix:/,/^repoguard/p" "$TRASH/stderr" | grep "^    " >fix.sh &&
	sh fix.sh && rm fix.sh .gitmodules.wt &&
	test -z "$(git status --porcelain --untracked-files=no)" && test ! -e .gitmodules &&
	test -d .git/modules/"a b" &&
	git -c protocol.file.allow=always submodule add -q --force ../r6g-lib lib/node_modules 2>/dev/null &&
	printf "[include]\n\tpath = $TRASH/r6g-inc\n" >.gitmodules &&
	printf "[submodule \"inc\"]\n\tpath = lib/node_modules\n" >"$TRASH/r6g-inc" &&
	printf "[other]\n\tpath = lib/node_modules\n" >>.gitmodules && git add .gitmodules &&
	expect_code 1 git commit -qm submodule &&
	contains "$TRASH/stderr" "git rm -r --cached --quiet -- lib/node_modules" &&
	lacks "$TRASH/stderr" "sections from .gitmodules"
'

test_expect_success 'commit -a checks the temporary index (GIT_INDEX_FILE)' '
	new_repo r7 && cd r7 &&
	echo small >data.bin && git add data.bin && git commit -qm small &&
	head -c 6000000 /dev/zero | tr "\0" x >data.bin &&
	expect_code 1 git commit -qam big &&
	contains "$TRASH/stderr" "error[size] data.bin" &&
	git diff --cached --quiet
'

test_expect_success 'commit <path> checks only what that commit records' '
	new_repo r8 && cd r8 &&
	echo a >a && git add a && git commit -qm a &&
	mkdir node_modules && echo x >node_modules/x.js && git add node_modules &&
	echo b >>a &&
	git commit -qm "only a" a &&
	test "$(git log -1 --format=%s)" = "only a" &&
	git ls-tree -r --name-only HEAD >tree && lacks tree node_modules &&
	head -c 6000000 /dev/zero >big && git add -N big &&
	expect_code 1 git commit -qm "big path" big &&
	contains "$TRASH/stderr" "error[size] big"
'

test_expect_success 'staged content, not the working tree, is what counts' '
	new_repo r9 && cd r9 &&
	head -c 6000000 /dev/zero >f && git add f && echo small >f &&
	expect_code 1 git commit -qm staged-big &&
	contains "$TRASH/stderr" "error[size] f" &&
	git add f && head -c 6000000 /dev/zero >f &&
	git commit -qm staged-small &&
	test "$(git cat-file -s HEAD:f)" = 6
'

test_expect_success 'committing from a subdirectory: the note says where the fix commands run (GIT_PREFIX)' '
	new_repo r9b && cd r9b &&
	echo a >a && git add a && git commit -qm a &&
	mkdir -p web/src/node_modules && echo x >web/src/node_modules/x.js &&
	cd web/src && git add node_modules &&
	expect_code 1 git commit -qm deps &&
	contains "$TRASH/stderr" "git rm -r --cached --quiet -- web/src/node_modules" &&
	contains "$TRASH/stderr" "note: the fix commands name paths from the top of the work tree, not from the directory git was started in: run them there (cd ../../)" &&
	(cd ../../ && git rm -r --cached --quiet -- web/src/node_modules) &&
	cd ../.. && git add web && expect_code 1 git commit -qm deps &&
	lacks "$TRASH/stderr" "note: the fix commands"
'

test_expect_success 'file names with spaces, newlines, non-ASCII and a leading dash' '
	new_repo r10 && cd r10 &&
	mkdir -p -- "-rf/node_modules" "sp ace/node_modules" "$(printf "\303\274")/node_modules" &&
	echo 1 >./-rf/node_modules/x && echo 2 >"sp ace/node_modules/y z.js" &&
	echo 3 >"$(printf "\303\274")/node_modules/q" &&
	mkdir -p "nl" && echo 4 >"nl/$(printf "a\nb")" &&
	git add -- . &&
	expect_code 1 git commit -qm names &&
	contains "$TRASH/stderr" "error[block] -rf/node_modules/" &&
	contains "$TRASH/stderr" "git rm -r --cached --quiet -- '"'"'-rf/node_modules'"'"'" &&
	contains "$TRASH/stderr" "sp ace/node_modules/" &&
	contains "$TRASH/stderr" "\"\\303\\274/node_modules\"/" &&
	git rm -rq --cached -- "-rf" "sp ace" "$(printf "\303\274")" &&
	git commit -qm "odd names ok" &&
	git ls-files -z | tr "\0" "|" | grep -q "nl/a"
'

test_expect_success 'a worktree uses the common hooks and its own index' '
	new_repo r11 && cd r11 &&
	echo a >a && git add a && git commit -qm a &&
	git worktree add -q ../r11-wt -b feature &&
	cd ../r11-wt &&
	mkdir node_modules && echo x >node_modules/x.js && git add node_modules &&
	expect_code 1 git commit -qm wt &&
	contains "$TRASH/stderr" "node_modules/: 1 file" &&
	git rm -rq --cached node_modules && echo b >b && git add b && git commit -qm ok &&
	test "$(git log -1 --format=%s feature)" = ok
'

test_expect_success 'git config --worktree repoguard.config (extensions.worktreeConfig) is the linked worktree'"'"'s rules' '
	new_repo r11c && cd r11c &&
	echo a >a && printf "[protect]\npaths = a\n" >strict.ini && git add . && git commit -qm a &&
	git worktree add -q ../r11c-wt -b strict &&
	cd ../r11c-wt &&
	git config extensions.worktreeConfig true &&
	git config --worktree repoguard.config strict.ini &&
	git rm -q a &&
	expect_code 1 git commit -qm "rm a" &&
	contains "$TRASH/stderr" "error[protect] a: protected, must not be deleted" &&
	contains "$TRASH/stderr" "r11c-wt/strict.ini:2" &&
	"$RG" config >cfg && contains cfg "paths = a" &&
	cd ../r11c && git rm -q a && git commit -qm "the main worktree has no such setting"
'

test_expect_success 'repoguard.config set in [includeIf "hasconfig:remote.*.url:..."] (which libgit2 1.5 skips) is read where git reads it' '
	export HOME="$TRASH/home-r11h" && mkdir -p "$HOME" &&
	printf "[includeIf \"hasconfig:remote.*.url:https://git.example.com/work/**\"]\n\tpath = .gitconfig-work\n" >"$HOME/.gitconfig" &&
	printf "[includeIf \"hasconfig:remote.*.url:ssh://git@example.org/**\"]\n\tpath = ~/.gitconfig-org\n" >>"$HOME/.gitconfig" &&
	printf "[repoguard]\n\tconfig = ~/work-rules.ini\n" >"$HOME/.gitconfig-work" &&
	printf "[repoguard]\n\tconfig = ~/org-rules.ini\n" >"$HOME/.gitconfig-org" &&
	printf "[protect]\npaths = a\n" >"$HOME/work-rules.ini" &&
	printf "[protect]\npaths = b\n" >"$HOME/org-rules.ini" &&
	new_repo r11h && cd r11h &&
	echo a >a && echo b >b && git add . && git commit -qm ab &&
	git remote add origin https://git.example.com/work/team/app.git &&
	test "$(git config repoguard.config)" = "~/work-rules.ini" &&
	git rm -q a && expect_code 1 git commit -qm "rm a" &&
	contains "$TRASH/stderr" "error[protect] a: protected, must not be deleted" &&
	git reset -q --hard &&
	git remote set-url origin https://git.example.com/other/app.git &&
	git rm -q a && git commit -qm "rm a: not a work remote" &&
	git remote add up ssh://git@example.org/x/y.git &&
	git rm -q b && expect_code 1 git commit -qm "rm b" &&
	contains "$TRASH/stderr" "error[protect] b: protected, must not be deleted" &&
	expect_code 1 git -c repoguard.config=none.ini commit -qm "rm b" &&
	contains "$TRASH/stderr" "none.ini: configuration file not found"
'

test_expect_success 'a SHA-256 repository (libgit2 1.5 cannot open one): install and every hook refuse, saying why' '
	git init -q --object-format=sha256 r11s && cd r11s &&
	expect_code 4 "$RG" install &&
	contains "$TRASH/stderr" "this repository uses SHA-256 object names (extensions.objectFormat" &&
	lacks "$TRASH/stderr" "not in a git repository" &&
	expect_code 4 "$RG" install "$TRASH/r11s" &&
	contains "$TRASH/stderr" "r11s: this repository uses SHA-256 object names" &&
	new_repo ../r11s-sha1 && git config core.hooksPath "$TRASH/r11s-sha1/.git/hooks" &&
	mkdir node_modules && echo x >node_modules/x.js && git add -f node_modules &&
	expect_code 1 git commit -qm deps &&
	contains "$TRASH/stderr" "SHA-256 object names" &&
	expect_code 1 git rev-parse -q --verify HEAD &&
	git commit -q --no-verify -m deps &&
	echo "feat: x" >msg && expect_code 4 "$RG" commit-msg msg &&
	git init -q --bare --object-format=sha256 ../r11s-bare.git &&
	git -C ../r11s-bare.git config core.hooksPath "$TRASH/r11s-sha1/.git/hooks" &&
	"$RG" install --server --hooks pre-receive "$TRASH/r11s-sha1" 2>/dev/null >/dev/null &&
	test -e "$TRASH/r11s-sha1/.git/hooks/pre-receive" &&
	expect_code 1 git push -q ../r11s-bare.git HEAD:refs/heads/main &&
	contains "$TRASH/stderr" "SHA-256 object names" &&
	expect_code 1 git -C ../r11s-bare.git rev-parse -q --verify refs/heads/main &&
	git init -q ../r11s-sha1x && cd ../r11s-sha1x &&
	git config core.repositoryformatversion 1 && git config extensions.objectFormat sha1 &&
	expect_code 4 "$RG" pre-commit &&
	contains "$TRASH/stderr" "this repository sets extensions.objectFormat = sha1, which libgit2 1.5" &&
	lacks "$TRASH/stderr" "SHA-256"
'

# safe.directory needs a repository another user owns: root makes one (chown), others skip
test_expect_success 'safe.directory = * (git 2.35.2) trusts a repository another user owns, as git does; libgit2 1.5 took * for a path' '
	if [ "$(id -u)" != 0 ] || ! id nobody >/dev/null 2>&1; then say "skipped: needs root to chown"; exit 0; fi &&
	export HOME="$TRASH/home-r11o" && mkdir -p "$HOME" && git config --global init.defaultBranch main &&
	new_repo r11o && cd r11o && echo a >a && git add a && git commit -qm a &&
	chown -R nobody "$TRASH/r11o" &&
	mkdir node_modules && echo x >node_modules/x.js &&
	expect_code 4 "$RG" pre-commit &&
	contains "$TRASH/stderr" "owned by another user and no safe.directory names it" &&
	git config --global safe.directory "*" &&
	git add -f node_modules &&
	expect_code 1 git commit -qm deps &&
	contains "$TRASH/stderr" "error[block] node_modules/: 1 file" &&
	expect_code 1 git -c safe.directory= -c safe.directory="*" commit -qm deps &&
	contains "$TRASH/stderr" "error[block] node_modules/: 1 file" &&
	git config --global --add safe.directory "" &&
	expect_code 4 "$RG" pre-commit &&
	contains "$TRASH/stderr" "is not owned by current user" &&
	git config --global --unset-all safe.directory &&
	expect_code 1 git -c safe.directory="*" commit -qm deps &&
	contains "$TRASH/stderr" "error[block] node_modules/: 1 file"
'

test_expect_success 'GIT_CONFIG_GLOBAL and GIT_CONFIG_SYSTEM name the files git reads (libgit2 1.5 reads ~/.gitconfig and /etc/gitconfig); GIT_CONFIG_NOSYSTEM drops one' '
	export HOME="$TRASH/home-r11g" && mkdir -p "$HOME" && git config --global init.defaultBranch main &&
	printf "[protect]\npaths = a\n" >"$TRASH/r11g-strict.ini" &&
	printf "[repoguard]\n\tconfig = $TRASH/r11g-strict.ini\n" >"$TRASH/r11g.gitconfig" &&
	new_repo r11g && cd r11g && echo a >a && git add a && git commit -qm a && git rm -q a &&
	GIT_CONFIG_GLOBAL="$TRASH/r11g.gitconfig" && export GIT_CONFIG_GLOBAL &&
	expect_code 1 git commit -qm "rm a" &&
	contains "$TRASH/stderr" "error[protect] a: protected, must not be deleted" &&
	unset GIT_CONFIG_GLOBAL GIT_CONFIG_NOSYSTEM && export GIT_CONFIG_SYSTEM="$TRASH/r11g.gitconfig" &&
	expect_code 1 git commit -qm "rm a" &&
	contains "$TRASH/stderr" "error[protect] a: protected, must not be deleted" &&
	GIT_CONFIG_NOSYSTEM=1 git commit -qm "rm a: no system file" &&
	git reset -q --hard HEAD~1 && unset GIT_CONFIG_SYSTEM && export GIT_CONFIG_NOSYSTEM=1 &&
	git config --global repoguard.config "$TRASH/r11g-strict.ini" &&
	git rm -q a && expect_code 1 git commit -qm "rm a" &&
	GIT_CONFIG_GLOBAL=/dev/null git commit -qm "rm a: ~/.gitconfig is not read" &&
	git reset -q --hard HEAD~1 && git rm -q a && git remote add origin https://example.com/w/x.git &&
	mkdir "$TRASH/r11g-cfg" &&
	printf "[includeIf \"hasconfig:remote.*.url:https://example.com/**\"]\n\tpath = work.gitconfig\n" >"$TRASH/r11g-cfg/main.gitconfig" &&
	cp "$TRASH/r11g.gitconfig" "$TRASH/r11g-cfg/work.gitconfig" &&
	export GIT_CONFIG_GLOBAL="$TRASH/r11g-cfg/main.gitconfig" &&
	test "$(git config repoguard.config)" = "$TRASH/r11g-strict.ini" &&
	expect_code 1 git commit -qm "rm a" &&
	contains "$TRASH/stderr" "error[protect] a: protected, must not be deleted" &&
	git remote remove origin && git commit -qm "rm a: not a work remote" &&
	git reset -q --hard HEAD~1 && git rm -q a &&
	printf "[includeIf \"gitdir:$TRASH/r11g/\"]\n\tpath = work.gitconfig\n" >"$TRASH/r11g-cfg/main.gitconfig" &&
	expect_code 1 git commit -qm "rm a" &&
	contains "$TRASH/stderr" "error[protect] a: protected, must not be deleted"
'

test_expect_success 'core.hooksPath is honoured by install' '
	git init -q r12 && cd r12 &&
	git config core.hooksPath .githooks &&
	"$RG" install >/dev/null &&
	test -L .githooks/pre-commit &&
	mkdir node_modules && echo x >node_modules/x.js && git add node_modules &&
	expect_code 1 git commit -qm x
'

test_expect_success 'git -c core.hooksPath (GIT_CONFIG_PARAMETERS) is honoured by install' '
	git init -q r12b && cd r12b &&
	git config core.hooksPath .githooks &&
	git -c core.hooksPath=.other-hooks -c alias.rg-install="!repoguard install" rg-install >/dev/null &&
	test -L .other-hooks/pre-commit && ! test -e .githooks/pre-commit &&
	GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=core.hooksPath GIT_CONFIG_VALUE_0="~/hooks-home" "$RG" install >/dev/null &&
	test -L "$HOME/hooks-home/pre-commit"
'

# husky 9: core.hooksPath=.husky/_, whose generated hooks source _/h, which
# runs .husky/NAME by the hook's own file name
test_expect_success 'install refuses husky'"'"'s generated hooks directory and says what to do' '
	git init -q r12c && cd r12c && mkdir -p .husky/_ &&
	printf "#!/usr/bin/env sh\nn=\$(basename \"\$0\")\ns=\$(dirname \"\$(dirname \"\$0\")\")/\$n\n[ ! -f \"\$s\" ] && exit 0\nsh -e \"\$s\" \"\$@\" || { echo \"husky - \$n script failed\"; exit 1; }\n" >.husky/_/h &&
	printf "#!/usr/bin/env sh\n. \"\${0%%/*}/h\"\n" >.husky/_/pre-commit &&
	chmod +x .husky/_/pre-commit && cp .husky/_/pre-commit "$TRASH/husky-stub" &&
	printf "echo user-hook >>\"$TRASH/r12c.log\"\n" >.husky/pre-commit &&
	git config core.hooksPath .husky/_ &&
	expect_code 4 "$RG" install &&
	contains "$TRASH/stderr" "husky" &&
	contains "$TRASH/stderr" "add '"'"'repoguard pre-commit'"'"' to .husky/pre-commit" &&
	cmp .husky/_/pre-commit "$TRASH/husky-stub" && test ! -e .husky/_/pre-repoguard &&
	echo a >a && git add a && git commit -qm a &&
	test "$(cat "$TRASH/r12c.log")" = user-hook
'

test_expect_success 'install refuses to replace hooks the repository tracks (core.hooksPath=.githooks)' '
	git init -q r12e && cd r12e && mkdir .githooks &&
	printf "#!/bin/sh\nexit 0\n" >.githooks/pre-push && chmod +x .githooks/pre-push &&
	git add .githooks && git commit -qm hooks && git config core.hooksPath .githooks &&
	expect_code 4 "$RG" install &&
	contains "$TRASH/stderr" ".githooks/pre-push is committed" &&
	contains "$TRASH/stderr" "add '"'"'repoguard pre-push \"\$@\"'"'"' to .githooks/pre-push" &&
	test -z "$(git status --porcelain)" && test ! -e .githooks/pre-commit &&
	git config core.hooksPath "$TRASH/r12e-hooks" && "$RG" install >/dev/null &&
	test -L "$TRASH/r12e-hooks/pre-commit"
'

test_expect_success 'install --hooks refuses a name that is not a hook (a typo installed nothing)' '
	git init -q r12d && cd r12d &&
	expect_code 2 "$RG" install --hooks pre-commit,pre-comit &&
	contains "$TRASH/stderr" "--hooks: '"'"'pre-comit'"'"' is not a hook" &&
	test ! -e .git/hooks/pre-commit && test ! -e .git/hooks/.repoguard-hooks &&
	"$RG" install --hooks pre-commit,commit-msg >/dev/null &&
	test -L .git/hooks/pre-commit && test -L .git/hooks/commit-msg && test ! -e .git/hooks/pre-push &&
	"$RG" install --uninstall --hooks commit-msg >out && contains out "removed" &&
	test -L .git/hooks/pre-commit && test ! -e .git/hooks/commit-msg &&
	"$RG" install --uninstall >/dev/null && test ! -e .git/hooks/pre-commit &&
	test ! -e .git/hooks/.repoguard-hooks
'

test_expect_success 'install --hooks takes commas with blanks, and blanks alone, between names' '
	git init -q r12f && cd r12f &&
	"$RG" install --hooks "pre-commit, pre-push" >/dev/null &&
	test -L .git/hooks/pre-commit && test -L .git/hooks/pre-push && test ! -e .git/hooks/commit-msg &&
	"$RG" install --uninstall --hooks " pre-push ,	pre-commit " >/dev/null &&
	test ! -e .git/hooks/pre-commit && test ! -e .git/hooks/pre-push &&
	"$RG" install --hooks "commit-msg pre-merge-commit" >/dev/null &&
	test -L .git/hooks/commit-msg && test -L .git/hooks/pre-merge-commit && test ! -e .git/hooks/pre-commit &&
	expect_code 2 "$RG" install --hooks "pre-commit, pre-comit" &&
	contains "$TRASH/stderr" "--hooks: '"'"'pre-comit'"'"' is not a hook" &&
	expect_code 2 "$RG" install --hooks " , " &&
	contains "$TRASH/stderr" "--hooks: '"'"' , '"'"' names no hook" &&
	test ! -e .git/hooks/pre-commit
'

test_expect_success 'an existing hook is kept, chained, and restored by --uninstall' '
	git init -q r13 && cd r13 &&
	printf "#!/bin/sh\necho mine >>\"$TRASH/r13.log\"\nexit 0\n" >.git/hooks/pre-commit &&
	chmod +x .git/hooks/pre-commit && cp .git/hooks/pre-commit "$TRASH/orig-hook" &&
	"$RG" install >out && contains out "kept the existing pre-commit hook" &&
	"$RG" install >/dev/null &&
	echo a >a && git add a && git commit -qm a &&
	test "$(cat "$TRASH/r13.log")" = mine &&
	mkdir node_modules && echo x >node_modules/x.js && git add node_modules &&
	expect_code 1 git commit -qm bad &&
	test "$(wc -l <"$TRASH/r13.log")" = 1 &&
	"$RG" install --uninstall >/dev/null &&
	cmp .git/hooks/pre-commit "$TRASH/orig-hook" &&
	test ! -e .git/hooks/pre-repoguard && test ! -e .git/hooks/pre-commit.pre-repoguard &&
	test ! -e .git/hooks/.repoguard-hooks
'

test_expect_success 'a failing chained hook still fails the commit' '
	git init -q r14 && cd r14 &&
	printf "#!/bin/sh\necho chained-refuses >&2\nexit 3\n" >.git/hooks/pre-commit &&
	chmod +x .git/hooks/pre-commit && "$RG" install >/dev/null &&
	echo a >a && git add a &&
	expect_code 1 git commit -qm a &&
	contains "$TRASH/stderr" chained-refuses
'

test_expect_success 'a bad config refuses the commit (fail closed) naming file:line' '
	new_repo r15 && cd r15 &&
	printf "[block]\npaths = node_modules/\nmax_files = 3\n" >.repoguard.ini &&
	echo a >a && git add a &&
	expect_code 1 git commit -qm a &&
	contains "$TRASH/stderr" ".repoguard.ini:3: unknown key '"'"'max_files'"'"' in [block]" &&
	expect_code 3 "$RG" pre-commit &&
	printf "[block]\npaths = [oops\n" >.repoguard.ini &&
	expect_code 3 "$RG" pre-commit &&
	contains "$TRASH/stderr" ".repoguard.ini:2: invalid pattern"
'

test_expect_success 'a .repoguard.ini that is a dangling symbolic link refuses the commit (fail closed), not the defaults' '
	new_repo r15a && cd r15a &&
	mkdir conf && printf "[protect]\npaths = keep.txt\n" >conf/rules.ini &&
	ln -s conf/rules.ini .repoguard.ini && echo keep >keep.txt &&
	git add . && git commit -qm i &&
	git mv conf shared && git rm -q keep.txt &&
	expect_code 1 git commit -qm "rules moved, keep.txt deleted" &&
	contains "$TRASH/stderr" ".repoguard.ini: a symbolic link to '"'"'conf/rules.ini'"'"', which does not exist" &&
	test "$(git log --oneline | wc -l)" = 1 &&
	expect_code 3 "$RG" config &&
	expect_code 3 "$RG" pre-commit &&
	ln -s nowhere.ini elsewhere.ini && git config repoguard.config elsewhere.ini &&
	expect_code 3 "$RG" config &&
	contains "$TRASH/stderr" "elsewhere.ini: a symbolic link to '"'"'nowhere.ini'"'"', which does not exist" &&
	git config --unset repoguard.config && rm .repoguard.ini && ln -s shared/rules.ini .repoguard.ini &&
	expect_code 1 "$RG" pre-commit &&
	contains "$TRASH/stderr" "error[protect] keep.txt"
'

test_expect_success 'the rules file a .repoguard.ini symbolic link points to is not checked against its own patterns' '
	new_repo r15s && cd r15s &&
	mkdir conf && printf "[content.nodemo]\npattern = tenant_demo\n" >conf/rules.ini &&
	ln -s conf/rules.ini .repoguard.ini && git add . &&
	git commit -qm "rules, through a link" &&
	echo "x = tenant_demo" >app.txt && git add app.txt &&
	expect_code 1 git commit -qm app && contains "$TRASH/stderr" "error[content.nodemo] app.txt:1" &&
	lacks "$TRASH/stderr" "conf/rules.ini:2" &&
	git rm -q --cached app.txt && git checkout -qb feature &&
	printf "[content.nodemo]\npattern = tenant_demo|tenant_test\n" >conf/rules.ini &&
	git commit -qam "more patterns" --no-verify &&
	"$RG" ci --base main >out && lacks out "conf/rules.ini"
'

test_expect_success '[repoguard] defaults = false starts from the repository file alone' '
	new_repo r15b && cd r15b &&
	printf "[repoguard]\ndefaults = false\n[size]\nmax_file_size = 1K\n" >.repoguard.ini &&
	mkdir node_modules && echo x >node_modules/x.js && git add . &&
	git commit -qm "no built-in block rule" &&
	"$RG" config >cfg && lacks cfg "rules.ini (built-in)" && contains cfg "max_file_size = 1K" &&
	head -c 2000 /dev/zero >big && git add big &&
	expect_code 1 git commit -qm big && contains "$TRASH/stderr" "error[size] big" &&
	git reset -q && printf "[repoguard]\ndefaults = maybe\n" >.repoguard.ini &&
	expect_code 3 "$RG" pre-commit &&
	contains "$TRASH/stderr" ".repoguard.ini:2: '"'"'maybe'"'"' for defaults is not a boolean"
'

test_expect_success 'the size fix tracks the file itself with Git LFS (--filename for glob characters, ./ before -)' '
	new_repo r15l && cd r15l &&
	printf "[size]\nmax_file_size = 1K\n" >"$TRASH/l.ini" &&
	for f in big.bin "big[1].bin" -big.bin; do head -c 2000 /dev/zero >"./$f" || return 1; done &&
	git add -- . && expect_code 1 "$RG" pre-commit --config "$TRASH/l.ini" &&
	contains "$TRASH/stderr" "git lfs track big.bin   #" &&
	contains "$TRASH/stderr" "git lfs track --filename '"'"'big[1].bin'"'"'   #" &&
	contains "$TRASH/stderr" "git lfs track ./-big.bin   #" &&
	git commit -qm big --no-verify &&
	expect_code 1 "$RG" audit --config "$TRASH/l.ini" &&
	contains "$TRASH/stdout" "git lfs track --filename '"'"'big[1].bin'"'"'"
'

test_expect_success '[block] max_file_size in the repository file is the limit, not the built-in [size] value over it' '
	new_repo r16b && cd r16b &&
	printf "[block]\nmax_file_size = 1K\n" >.repoguard.ini &&
	head -c 3000 /dev/zero >big.bin && git add big.bin &&
	expect_code 1 git commit -qm big &&
	contains "$TRASH/stderr" "error[size] big.bin" && contains "$TRASH/stderr" "1.0 KiB limit" &&
	git commit -qm big --no-verify &&
	expect_code 1 "$RG" audit && contains "$TRASH/stdout" "error[size] big.bin" &&
	printf "[block]\nmax_file_size = 1K\n[size]\nmax_file_size = 4K\n" >.repoguard.ini &&
	"$RG" audit >out && lacks out "error[size]"
'

test_expect_success 'a file just over the size limit is told apart in bytes, not "5.0 MiB over the 5.0 MiB limit"' '
	new_repo r15over && cd r15over &&
	head -c 5242881 /dev/zero >just-over && head -c 7340032 /dev/zero >well-over && git add . &&
	expect_code 1 "$RG" pre-commit &&
	contains "$TRASH/stderr" "error[size] just-over: 5,242,881 bytes, over the limit of 5,242,880 bytes (max_file_size)" &&
	contains "$TRASH/stderr" "error[size] well-over: 7.0 MiB, over the 5.0 MiB limit (max_file_size)"
'

test_expect_success 'defaults = false: size, bulk and lfs are off without their sections (hooks and audit)' '
	new_repo r15z && cd r15z &&
	printf "[repoguard]\ndefaults = false\n" >.repoguard.ini &&
	printf "*.bin filter=lfs\n" >.gitattributes &&
	head -c 6000000 /dev/zero >big.bin && git add . &&
	"$RG" pre-commit && git commit -qm big &&
	"$RG" audit >audit.out && lacks audit.out "[size]" && lacks audit.out "[lfs]" &&
	contains audit.out "size: off" && contains audit.out "lfs: off" && contains audit.out "bulk: off" &&
	"$RG" config >cfg && lacks cfg "[size]" && lacks cfg "[lfs]" && lacks cfg "[bulk]" &&
	printf "[repoguard]\ndefaults = false\n[bulk]\nmax_added_files = 2\n[lfs]\n[block]\nmax_file_size = 1M\n" >.repoguard.ini &&
	git add .repoguard.ini && git commit -qm cfg &&
	expect_code 1 "$RG" audit && contains "$TRASH/stdout" "error[size] big.bin" &&
	contains "$TRASH/stdout" "error[lfs] big.bin" && contains "$TRASH/stdout" "lfs: on" &&
	"$RG" config >cfg && contains cfg "[lfs]	; $TRASH/r15z/.repoguard.ini:5" &&
	echo a >a && echo b >b && echo c >c && git add a b c &&
	expect_code 1 "$RG" pre-commit && contains "$TRASH/stderr" "error[bulk]"
'

test_expect_success 'defaults = false: [block] or [envfile] written without paths is an error, not a rule that blocks nothing' '
	new_repo r15v && cd r15v &&
	printf "[repoguard]\ndefaults = false\n[block]\nseverity = error\n" >.repoguard.ini &&
	mkdir node_modules && echo x >node_modules/x.js && git add -f node_modules &&
	expect_code 1 git commit -qm deps &&
	contains "$TRASH/stderr" ".repoguard.ini:4: [block] has no paths, so it blocks nothing (defaults = false drops the built-in ones): list them, e.g. paths = node_modules/ .vite/" &&
	printf "[repoguard]\ndefaults = false\n[envfile]\n" >.repoguard.ini &&
	expect_code 3 "$RG" config &&
	contains "$TRASH/stderr" ".repoguard.ini:3: [envfile] has no paths" &&
	printf "[repoguard]\ndefaults = false\n[block]\nseverity = off\n[envfile]\npaths =\n" >.repoguard.ini &&
	"$RG" config >/dev/null && git commit -qm "block off, as written" &&
	printf "[block]\npaths =\n" >.repoguard.ini && "$RG" config >/dev/null
'

# config_same INI-TEXT WANT: `repoguard config` and the pre-commit hook both
# refuse the file (exit 3) with the same message, WANT (file:line: ...).
config_same() {
	printf "$1" >"$TRASH/c.ini" &&
	expect_code 3 "$RG" config --config "$TRASH/c.ini" &&
	contains "$TRASH/stderr" "$TRASH/c.ini:$2" &&
	sed -n "s|^ *\($TRASH/c.ini:\)|\1|p" "$TRASH/stderr" >"$TRASH/config.err" &&
	expect_code 3 "$RG" pre-commit --config "$TRASH/c.ini" &&
	sed -n "s|^ *\($TRASH/c.ini:\)|\1|p" "$TRASH/stderr" >"$TRASH/hook.err" &&
	cmp "$TRASH/config.err" "$TRASH/hook.err"
}

test_expect_success 'repoguard config refuses what the hooks refuse, with the same file:line' '
	new_repo r15c && cd r15c &&
	config_same "[content.bad]\npattern = (\n" "2: [content.bad] invalid pattern: missing closing parenthesis" &&
	config_same "[content.bad]\npattern = tenant_id(\\\\s*\n" "2: [content.bad] invalid pattern" &&
	config_same "[commit-msg]\npattern = (\n" "2: [commit-msg] invalid pattern" &&
	config_same "[content.y]\npaths = src/\n" "2: [content.y] needs a pattern" &&
	config_same "; c\n[content.y]\n" "2: [content.y] needs a pattern" &&
	config_same "[content.y]\nseverity = warn\n" "2: [content.y] needs a pattern" &&
	config_same "; c\n[deploy.web]\n" "2: [deploy.web] has no paths" &&
	config_same "[deploy.web]\nbranches = main\n" "2: [deploy.web] has no paths" &&
	config_same "; c\n[cochange.x]\n" "2: [cochange.x] needs when=" &&
	config_same "; c\n[protect.x]\n" "2: [protect.x] protects nothing: give it paths= or max_deleted_files=" &&
	config_same "[protect.x]\nmessage = m\n" "2: [protect.x] protects nothing" &&
	config_same "[protect.x]\npaths = a\nunder = b/\n" "3: [protect.x] under= has no effect without max_deleted_files=" &&
	config_same "[protect]\nunder = b/\n" "2: [protect] under= has no effect" &&
	config_same "[protect.x]\nseverity = off\nmax_deleted_files = 1\nmax_deleted_files = 2\n" "4: [protect.x] sets max_deleted_files twice (first at line 3)" &&
	config_same "[protect]\nseverity = off\nmessage = a\nmessage = b\n" "4: [protect] sets message twice (first at line 3)" &&
	config_same "[protect.x]\nseverity = off\nmax_deleted_files = many\n" "3: '"'"'many'"'"' for max_deleted_files is not a non-negative integer" &&
	config_same "[size]\nmax_file_size = 1M\nmax_file_size = 2M\n" "3: [size] sets max_file_size twice (first at line 2): keep one" &&
	config_same "[checkpoint]\nevery = 4h\n  5h\n" "3: [checkpoint] every takes one value; this line continues it (line 2): write it on one line" &&
	config_same "[secrets]\nseverity = warn\n\nseverity = off\n" "4: [secrets] sets severity twice (first at line 2)" &&
	config_same "[content.x]\npattern = a\nmessage = m\nmessage = n\n" "4: [content.x] sets message twice (first at line 3)" &&
	config_same "[cochange.x]\nmessage = m\n" "2: [cochange.x] needs when=" &&
	config_same "[content.y]\n[content.y]\npattern = (\n" "3: [content.y] invalid pattern" &&
	config_same "[content.x]\npattern = a\npattern = b\n" "3: [content.x] has a second pattern (first at line 2)" &&
	config_same "[content]\npattern = a\n" "2: '"'"'pattern'"'"' belongs in a named section: [content.NAME]" &&
	config_same "[secrets]\ndisable = nosuch\n" "2: unknown built-in secret '"'"'nosuch'"'"'" &&
	cd .. && expect_code 3 "$RG" config --config "$TRASH/c.ini" &&
	contains "$TRASH/stderr" "c.ini:2: unknown built-in secret"
'

test_expect_success 'a quoted pattern is an error, not a pattern for a name with quotes in it that blocks nothing' '
	cd r15c &&
	config_same "[block]\npaths = \"dist/\" build/\n" "2: paths: \"dist/\" is quoted, but quotes are part of a pattern here" &&
	config_same "[protect]\npaths = '"'"'keep.txt'"'"'\n" "2: paths: '"'"'keep.txt'"'"' is quoted" &&
	config_same "[branch]\nprotected = \"main\"\n" "2: protected: \"main\" is quoted" &&
	config_same "[envfile]\npaths = .env\n  \"my file\"\n" "3: paths: \"my is quoted" &&
	printf "[block]\npaths = \"dist/\"\n" >.repoguard.ini && mkdir dist && echo x >dist/x.js && git add dist &&
	expect_code 1 git commit -qm dist && contains "$TRASH/stderr" "configuration error" &&
	printf "[block]\npaths = dist/ my[[:space:]]dir/\n[content.q]\npattern = \"x\"\n" >.repoguard.ini &&
	expect_code 1 git commit -qm dist && contains "$TRASH/stderr" "error[block] dist/" &&
	git reset -q && rm -rf dist .repoguard.ini
'

test_expect_success 'a # comment after a pattern list is an error, not the patterns "#", "build", "output" blocking honest files' '
	cd r15c &&
	config_same "[block]\npaths = dist/  # build output\n" "2: paths: '"'"'#'"'"' starts a comment only on a line of its own; after a value write '"'"' ;'"'"'" &&
	config_same "[branch]\nprotected = main #release\n" "2: protected: '"'"'#'"'"' starts a comment" &&
	printf "[block]\npaths = dist/  # build output\n" >.repoguard.ini && mkdir -p src/build && echo x >src/build/output &&
	git add src && expect_code 1 git commit -qm honest && contains "$TRASH/stderr" "configuration error" &&
	printf "[block]\npaths = dist/ \\\\#tmp#  ; build output\n" >.repoguard.ini &&
	git commit -qm honest && mkdir x && echo 1 >"x/#tmp#" && git add x &&
	expect_code 1 git commit -qm tmp && contains "$TRASH/stderr" "error[block] x/#tmp#" &&
	git reset -q && rm -rf x .repoguard.ini
'

test_expect_success 'a generated list of 60,000 protected paths loads whole (it took 9 s in every hook: measured, not timed here)' '
	cd r15c &&
	awk "BEGIN { print \"[protect]\"; print \"paths = keep/0.txt\"; for (i = 1; i < 60000; i++) print \"  keep/\" i \".txt\" }" >"$TRASH/many.ini" &&
	"$RG" config --config "$TRASH/many.ini" >out &&
	contains out "  keep/59999.txt" &&
	awk "BEGIN { print \"[protect]\"; for (i = 0; i < 60000; i++) print \"paths = keep/\" i \".txt\" }" >"$TRASH/many.ini" &&
	"$RG" config --config "$TRASH/many.ini" >out &&
	contains out "paths = keep/59999.txt" && test "$(grep -c "^paths = keep/" out)" = 60000
'

test_expect_success 'text after a section header, a doubled ]'"'"', CR-only lines, a BOM inside the file, an empty name: errors at file:line' '
	cd r15c &&
	config_same "[block] paths = vendor/\n" "1: text after the section header [block]: '"'"'paths = vendor/'"'"'" &&
	config_same "[block]]\npaths = zz/\n" "1: text after the section header [block]: '"'"']'"'"'" &&
	config_same "\377\376[\000b\000l\000o\000c\000k\000]\000\r\000\n\000" "1: the file is UTF-16 (its byte order mark is FF FE): save it as UTF-8" &&
	config_same "[block]\npaths = a/\n  b/\000c/\n" "3: a NUL byte: the file is not text; save it as UTF-8" &&
	config_same "\357\273\277[block]\npaths = a/\n\357\273\277[size]\nmax_file_size = 1M\n" "3: a UTF-8 byte order mark (EF BB BF) stands at the start of this line" &&
	contains "$TRASH/stderr" "remove it" && test "$(grep -c "c.ini:" "$TRASH/stderr")" = 1 &&
	config_same "[block]\n\357\273\277paths = a/\n" "2: a UTF-8 byte order mark (EF BB BF) stands at the start of this line" &&
	lacks "$TRASH/stderr" "unknown key" &&
	config_same "[block]\n  node_modules/\n" "2: syntax error: an indented line continues the key above it, and no key precedes it in its section" &&
	config_same "  vendor/\n[block]\n" "1: syntax error: an indented line continues the key above it" &&
	config_same "[block]\rpaths = zz/\r" "1: a carriage return (CR) inside a line" &&
	config_same "[content.]\npattern = x\n" "1: invalid section name [content.]: a part of it between dots is empty" &&
	config_same "; c\n[content..x]\npattern = x\n" "2: invalid section name [content..x]: a part of it between dots is empty" &&
	config_same "[protect.]\npaths = a\n" "1: invalid section name [protect.]" &&
	config_same "[protect..a]\npaths = a\n" "1: invalid section name [protect..a]" &&
	config_same "; c\n[nosuch]\na = 1\n" "2: unknown section [nosuch]" &&
	config_same "[nosuch]\n" "1: unknown section [nosuch]" &&
	printf "[block] ; blocked here\npaths = zz/\n  [ab]/\n" >"$TRASH/ok.ini" &&
	"$RG" config --config "$TRASH/ok.ini" >out && contains out "paths = zz/" && grep -q "^  \[ab\]/	; " out
'

test_expect_success 'an unbalanced [ in branch and deploy globs is an error, as in other pattern lists' '
	cd r15c &&
	config_same "[branch]\nprotected = main release/[0-9\n" "2: protected: invalid pattern '"'"'release/[0-9'"'"'" &&
	config_same "[branch]\nprotected = main\nallow_force = rel[\n" "3: allow_force: invalid pattern '"'"'rel['"'"'" &&
	config_same "[deploy.x]\npaths = a/\nbranches = deploy/[x\n" "3: branches: invalid pattern '"'"'deploy/[x'"'"'" &&
	config_same "[deploy.x]\npaths = a/\nremotes = prod[\n" "3: remotes: invalid pattern '"'"'prod['"'"'" &&
	printf "[branch]\nprotected = main release/[0-9]*\n" >"$TRASH/ok.ini" &&
	"$RG" config --config "$TRASH/ok.ini" >/dev/null
'

test_expect_success 'repoguard config lists every problem of the file, not only the first' '
	cd r15c &&
	printf "[content.bad]\npattern = (\n[commit-msg]\npattern = (\n[secrets]\ndisable = nosuch\nfoo = 1\n[content.y]\npaths = src/\n" >.repoguard.ini &&
	expect_code 3 "$RG" config &&
	contains "$TRASH/stderr" ".repoguard.ini:2: [content.bad] invalid pattern" &&
	contains "$TRASH/stderr" ".repoguard.ini:4: [commit-msg] invalid pattern" &&
	contains "$TRASH/stderr" ".repoguard.ini:6: unknown built-in secret" &&
	contains "$TRASH/stderr" ".repoguard.ini:7: unknown key '"'"'foo'"'"' in [secrets]" &&
	contains "$TRASH/stderr" ".repoguard.ini:9: [content.y] needs a pattern" &&
	test "$(grep -c "\.repoguard\.ini:" "$TRASH/stderr")" = 5 &&
	grep -o "\.repoguard\.ini:[0-9]*" "$TRASH/stderr" | tr "\n" " " >order &&
	test "$(cat order)" = ".repoguard.ini:2 .repoguard.ini:4 .repoguard.ini:6 .repoguard.ini:7 .repoguard.ini:9 " &&
	expect_code 3 "$RG" pre-commit &&
	test "$(grep -c "\.repoguard\.ini:" "$TRASH/stderr")" = 5 &&
	printf "[content.ok]\npattern = tenant_id\\\\s*=\n" >.repoguard.ini &&
	"$RG" config >out && contains out "pattern = tenant_id\s*="
'

test_expect_success 'a configuration error advises fixing the file, not REPOGUARD_SKIP, which cannot skip it' '
	new_repo r15d && cd r15d &&
	printf "[content.bad]\npattern = (\n" >.repoguard.ini &&
	echo a >a && git add a &&
	expect_code 1 git commit -qm a &&
	contains "$TRASH/stderr" ".repoguard.ini:2: [content.bad] invalid pattern" &&
	lacks "$TRASH/stderr" "To bypass once" &&
	contains "$TRASH/stderr" "hint: Fix the configuration where each line above says" &&
	contains "$TRASH/stderr" "hint: REPOGUARD_SKIP does not skip a configuration error" &&
	contains "$TRASH/stderr" "git commit --no-verify" &&
	REPOGUARD_SKIP=all expect_code 3 "$RG" pre-commit &&
	REPOGUARD_SKIP=all expect_code 1 git commit -qm a &&
	! git rev-parse -q --verify HEAD &&
	git commit -qm a --no-verify && git rev-parse -q --verify HEAD &&
	echo b >b && git add b &&
	expect_code 3 "$RG" pre-push origin &&
	contains "$TRASH/stderr" "git push --no-verify" && lacks "$TRASH/stderr" "git commit --no-verify" &&
	expect_code 3 "$RG" ci --base HEAD --config .repoguard.ini &&
	lacks "$TRASH/stderr" "--no-verify" && contains "$TRASH/stderr" "hint: Fix the configuration"
'

test_expect_success 'REPOGUARD_SKIP: an unknown name is a note naming it and the valid names, not a failure' '
	new_repo r15y && cd r15y &&
	printf "[content.todo]\npattern = TO[D]O\n[cochange.lock]\nforbid_alone = package.json\nrequire = package-lock.json\n" >.repoguard.ini &&
	echo a >a && git add . &&
	REPOGUARD_SKIP=conflicts,secret,bogus,content.nonexist expect_code 0 "$RG" pre-commit &&
	contains "$TRASH/stderr" "REPOGUARD_SKIP: unknown names '"'"'conflicts'"'"', '"'"'secret'"'"', '"'"'bogus'"'"', '"'"'content.nonexist'"'"', which skip nothing" &&
	contains "$TRASH/stderr" "a rule id (block, size, lfs, bulk," &&
	REPOGUARD_SKIP=all,conflict,secrets,secrets.jwt,content.todo,cochange.lock,block expect_code 0 "$RG" pre-commit &&
	lacks "$TRASH/stderr" "unknown name" &&
	REPOGUARD_SKIP=secret expect_code 0 "$RG" pre-commit --format json &&
	contains "$TRASH/stdout" "REPOGUARD_SKIP: unknown name '"'"'secret'"'"', which skips nothing" &&
	git commit -qm a --no-verify &&
	REPOGUARD_SKIP=secret expect_code 0 "$RG" audit &&
	contains "$TRASH/stdout" "unknown name '"'"'secret'"'"'"
'

test_expect_success 'repoguard never writes to the repository' '
	new_repo r16 && cd r16 &&
	echo a >a && git add a && git commit -qm a &&
	mkdir node_modules && echo x >node_modules/x.js && git add node_modules && echo b >b && git add b &&
	repo_state . >"$TRASH/before" &&
	expect_code 1 "$RG" pre-commit && "$RG" pre-commit --format json >/dev/null || true &&
	"$RG" config >/dev/null &&
	repo_state . >"$TRASH/after" &&
	cmp "$TRASH/before" "$TRASH/after"
'

test_expect_success 'REPOGUARD_SKIP skips named rules and says so' '
	new_repo r17 && cd r17 &&
	mkdir node_modules && echo x >node_modules/x.js && git add node_modules &&
	REPOGUARD_SKIP=block git commit -qm skipped 2>err &&
	contains err "skipped by REPOGUARD_SKIP: block"
'

test_expect_success 'bulk adds are explained by top-level folder' '
	new_repo r18 && cd r18 &&
	printf "[bulk]\nmax_added_files = 3\n" >.repoguard.ini &&
	mkdir -p a b && for i in 1 2 3; do echo $i >a/$i; done && echo x >b/x && echo r >root &&
	git add a b root &&
	expect_code 1 git commit -qm bulk &&
	contains "$TRASH/stderr" "5 files added in one commit, over the limit of 3" &&
	contains "$TRASH/stderr" "a/" && contains "$TRASH/stderr" "(top level)"
'

test_expect_success 'protected files must not be deleted or renamed away' '
	new_repo r19 && cd r19 &&
	printf "[protect]\npaths = src/billing.ts migrations/\nmessage = DO NOT DELETE\n" >.repoguard.ini &&
	mkdir -p src migrations && echo b >src/billing.ts && echo m >migrations/001.sql && echo o >other &&
	git add . && git commit -qm base &&
	git rm -q src/billing.ts &&
	expect_code 1 git commit -qm del &&
	contains "$TRASH/stderr" "error[protect] src/billing.ts: protected, must not be deleted" &&
	contains "$TRASH/stderr" "DO NOT DELETE" &&
	git reset -q --hard && git mv migrations/001.sql 001.sql &&
	expect_code 1 git commit -qm mv &&
	contains "$TRASH/stderr" "renamed away (to 001.sql)" &&
	git reset -q --hard && rm src/billing.ts && ln -s /dev/null src/billing.ts && git add src/billing.ts &&
	expect_code 1 git commit -qm symlink &&
	contains "$TRASH/stderr" "error[protect] src/billing.ts: protected, and replaced by a symbolic link" &&
	grep "git restore" "$TRASH/stderr" | sh && test -f src/billing.ts && ! test -L src/billing.ts &&
	git commit -q --allow-empty -m "nothing lost" --no-verify &&
	rm src/billing.ts && ln -s /dev/null src/billing.ts && git add src/billing.ts &&
	git commit -qm "symlink, unchecked" --no-verify &&
	expect_code 1 "$RG" ci --base HEAD~1 --head HEAD &&
	contains "$TRASH/stdout" "src/billing.ts: protected, and replaced by a symbolic link" &&
	git reset -q --hard HEAD~1 && git rm -q other && git commit -qm "other may go"
'

test_expect_success 'the fix for a protected file renamed away (a case-only rename too) moves it back, leaving no copy' '
	new_repo r19b && cd r19b &&
	printf "[protect]\npaths = Billing.ts\n" >.repoguard.ini &&
	echo b >Billing.ts && git add . && git commit -qm base &&
	git mv Billing.ts billing.ts && echo edit >>billing.ts &&
	expect_code 1 git commit -qm case &&
	contains "$TRASH/stderr" "error[protect] Billing.ts: protected, and renamed away (to billing.ts)" &&
	contains "$TRASH/stderr" "git mv -- billing.ts Billing.ts" &&
	grep "^    git " "$TRASH/stderr" | sh &&
	test "$(git ls-files)" = "$(printf ".repoguard.ini\nBilling.ts")" &&
	grep -q edit Billing.ts &&
	git commit -qam "the edit, kept" && test "$(git show HEAD:Billing.ts)" = "$(printf "b\nedit")" &&
	printf "[protect]\npaths = config/\n" >.repoguard.ini && mkdir -p config/db && echo c >config/db/a.yml &&
	git add . && git commit -qm config && git mv config cfg &&
	expect_code 1 git commit -qm "directory renamed" &&
	contains "$TRASH/stderr" "mkdir -p -- config/db && git mv -- cfg/db/a.yml config/db/a.yml" &&
	grep "^    mkdir " "$TRASH/stderr" | sh && test -z "$(git status --porcelain)"
'

test_expect_success 'git commit --amend is judged against HEAD'"'"'s parent, as the amended commit records it' '
	new_repo r19c && cd r19c &&
	printf "[protect]\npaths = migrations/ keep.txt\n" >.repoguard.ini &&
	echo k >keep.txt && git add . && git commit -qm base &&
	mkdir migrations && echo sql >migrations/0003_wrong.sql && git add migrations && git commit -qm "add migration" &&
	git mv migrations/0003_wrong.sql migrations/0003_right.sql &&
	git commit -q --amend --no-edit &&
	test "$(git diff --name-status HEAD~1 HEAD)" = "$(printf "A\tmigrations/0003_right.sql")" &&
	git rm -q keep.txt && git commit -q --no-verify -m "keep.txt deleted, unchecked" &&
	echo more >>migrations/0003_right.sql && git add migrations &&
	expect_code 1 git -c core.quotePath=false commit -q --amend -m "amended" &&
	contains "$TRASH/stderr" "error[protect] keep.txt: protected, must not be deleted" &&
	git reset -q --hard HEAD~1 && git rm -q keep.txt &&
	expect_code 1 git commit -q -m --amend &&
	contains "$TRASH/stderr" "error[protect] keep.txt" &&
	git reset -q --hard &&
	mkdir -p "$TRASH/wrap" && printf "#!/bin/sh\nrepoguard pre-commit\n" >"$TRASH/wrap/pre-commit" &&
	chmod +x "$TRASH/wrap/pre-commit" && git config core.hooksPath "$TRASH/wrap" &&
	git mv migrations/0003_right.sql migrations/0003_final.sql &&
	git commit -q --amend --no-edit &&
	git mv migrations/0003_final.sql migrations/0004.sql &&
	expect_code 1 git commit -qm "not an amend: what HEAD has is protected" &&
	contains "$TRASH/stderr" "error[protect] migrations/0003_final.sql: protected, and renamed away"
'

test_expect_success 'git commit --amend through an alias (ca = commit --amend, an alias of it, a ! alias) is judged as an amend' '
	new_repo r19e && cd r19e &&
	echo a >a && git add a && git commit -qm base &&
	mkdir node_modules && echo x >node_modules/x.js && git add -f node_modules &&
	git commit -q --no-verify -m "node_modules, unchecked" &&
	git config alias.ca "commit --amend" && git config alias.fix "ca --no-edit" &&
	git config alias.sca "!git commit --amend" &&
	echo b >b && git add b &&
	expect_code 1 git ca -qm amended &&
	contains "$TRASH/stderr" "error[block] node_modules/: 1 file" &&
	expect_code 1 git fix -q &&
	contains "$TRASH/stderr" "error[block] node_modules/: 1 file" &&
	expect_code 1 git sca -qm amended &&
	contains "$TRASH/stderr" "error[block] node_modules/: 1 file" &&
	git config alias.ci commit &&
	git ci -qm "not an amend: what HEAD has was committed before"
'

test_expect_success 'git commit --amend in a shallow clone (git records a root commit there) is checked, not refused for the parent it lacks' '
	git init -q r19s-src && (cd r19s-src &&
		echo a >a && git add a && git commit -qm a &&
		mkdir node_modules && echo x >node_modules/x.js && git add -f node_modules && git commit -qm deps &&
		echo b >b && git add b && git commit -qm b) &&
	git clone -q --depth 1 "file://$TRASH/r19s-src" r19s && cd r19s && "$RG" install >/dev/null &&
	echo c >c && git add c &&
	expect_code 1 git commit -q --amend -m amended &&
	lacks "$TRASH/stderr" "cannot read the tree of HEAD" &&
	contains "$TRASH/stderr" "error[block] node_modules/: 1 file" &&
	git rm -rq --cached node_modules && git commit -q --amend -m amended &&
	test -z "$(git cat-file -p HEAD | grep ^parent)"
'

test_expect_success 'git commit --amend: the fix for a deleted protected file restores it from the commit compared with' '
	new_repo r19d && cd r19d &&
	printf "[protect]\npaths = keep.txt\n" >.repoguard.ini &&
	echo k >keep.txt && git add . && git commit -qm base &&
	git rm -q keep.txt && git commit -q --no-verify -m "keep.txt deleted, unchecked" &&
	expect_code 1 git commit -q --amend -m amended &&
	contains "$TRASH/stderr" "error[protect] keep.txt: protected, must not be deleted" &&
	contains "$TRASH/stderr" "git restore --staged --worktree --source=$(git rev-parse --short=12 HEAD~1) -- keep.txt" &&
	! grep -q -- "--source=HEAD " "$TRASH/stderr" &&
	grep "^    git restore " "$TRASH/stderr" | sh &&
	test "$(cat keep.txt)" = k &&
	git commit -q --amend --allow-empty -m amended &&
	test -z "$(git diff --name-status HEAD~1 HEAD)" &&
	git rm -q keep.txt && expect_code 1 git commit -qm "not an amend" &&
	contains "$TRASH/stderr" "git restore --staged --worktree --source=HEAD -- keep.txt"
'

test_expect_success 'max_deleted_files limits deletions per commit' '
	new_repo r20 && cd r20 &&
	printf "[protect.src]\nunder = src/\nmax_deleted_files = 2\n" >.repoguard.ini &&
	mkdir src && for i in 1 2 3; do echo $i >src/$i; done && git add . && git commit -qm base &&
	git rm -q src/1 src/2 && git commit -qm two &&
	git rm -qr src && expect_code 0 git commit -qm one &&
	git reset -q --hard HEAD~2 && git rm -qr src &&
	expect_code 1 git commit -qm three &&
	contains "$TRASH/stderr" "3 files deleted in one commit under src/"
'

test_expect_success 'a limit of 0: max_added_files and max_file_size turn their rule off, max_deleted_files forbids every deletion; repoguard config says which' '
	new_repo r20z && cd r20z &&
	printf "[bulk]\nmax_added_files = 0\n[size]\nmax_file_size = 0\n[protect]\nmax_deleted_files = 0\n" >.repoguard.ini &&
	"$RG" config >out &&
	contains out "max_added_files = 0	; $PWD/.repoguard.ini:2 (0: the rule is off, no limit on added files)" &&
	contains out "max_file_size = 0	; $PWD/.repoguard.ini:4 (0: the rule is off, no size limit)" &&
	contains out "max_deleted_files = 0	; $PWD/.repoguard.ini:6 (0: no file may be deleted; for no limit, leave the key out)" &&
	"$RG" config --no-origin >out &&
	contains out "max_added_files = 0	; 0: the rule is off, no limit on added files" &&
	printf "[block]\nmax_file_size = 0K\n" >"$TRASH/zero.ini" && "$RG" config --config "$TRASH/zero.ini" >out &&
	contains out "max_file_size = 0K	; $TRASH/zero.ini:2 (0: the size rule is off, no size limit)" &&
	mkdir a && for i in 1 2 3; do echo $i >a/$i; done && head -c 6000000 /dev/zero >big.bin &&
	git add . && git commit -qm "adds, big file: both rules off" &&
	git rm -q a/1 && expect_code 1 git commit -qm "one deletion" &&
	contains "$TRASH/stderr" "1 files deleted in one commit, over the limit of 0 (max_deleted_files in [protect])"
'

test_expect_success 'filter=lfs paths must hold LFS pointers' '
	new_repo r21 && cd r21 &&
	echo "*.psd filter=lfs diff=lfs merge=lfs -text" >.gitattributes &&
	echo rawpixels >art.psd && git add .gitattributes art.psd &&
	expect_code 1 git commit -qm raw &&
	contains "$TRASH/stderr" "error[lfs] art.psd" &&
	printf "version https://git-lfs.github.com/spec/v1\noid sha256:%s\nsize 12345\n" \
		"$(printf "%064d" 0 | tr 0 a)" >art.psd &&
	git add art.psd && git commit -qm pointer
'

test_expect_success 'json output, usage errors and help' '
	new_repo r22 && cd r22 &&
	mkdir node_modules && echo x >node_modules/x.js && git add node_modules &&
	expect_code 1 "$RG" pre-commit --format json &&
	contains "$TRASH/stdout" "\"rule\": \"block\"" &&
	contains "$TRASH/stdout" "\"errors\": 1" &&
	expect_code 2 "$RG" pre-commit --format yaml &&
	expect_code 2 "$RG" pre-commit extra &&
	expect_code 2 "$RG" no-such-command &&
	expect_code 2 "$RG" config --config "" &&
	contains "$TRASH/stderr" "--config needs a file name" &&
	expect_code 2 "$RG" -C &&
	contains "$TRASH/stderr" "-C needs a directory" && lacks "$TRASH/stderr" "unknown option" &&
	expect_code 2 "$RG" -C "$TRASH/no-such-dir" config &&
	contains "$TRASH/stderr" "cannot change to '"'"'$TRASH/no-such-dir'"'"': No such file or directory" &&
	"$RG" --help >help && contains help "pre-commit" &&
	"$RG" help pre-commit >help && contains help "usage: repoguard pre-commit" &&
	"$RG" --version >v && contains v "repoguard "
'

test_expect_success 'json output stays valid JSON for paths that are not UTF-8' '
	new_repo r24 && cd r24 &&
	mkdir -p "$(printf "bad\377")/node_modules" && echo x >"$(printf "bad\377")/node_modules/x" &&
	git add . &&
	expect_code 1 "$RG" pre-commit --format json &&
	python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d[\"summary\"][\"errors\"] == 1" "$TRASH/stdout" &&
	contains "$TRASH/stdout" "bad\ufffd/node_modules"
'

test_expect_success 'install is idempotent' '
	git init -q r23 && cd r23 &&
	"$RG" install >/dev/null && ls -la .git/hooks >one &&
	"$RG" install >/dev/null && ls -la .git/hooks >two &&
	cmp one two && test -L .git/hooks/pre-commit
'

test_expect_success 'install links to the repoguard on PATH, not the versioned file it resolves to, so an upgrade keeps the hooks' '
	mkdir -p "$TRASH/opt/repoguard-0.1" "$TRASH/pathbin" && cp "$REPOGUARD" "$TRASH/opt/repoguard-0.1/repoguard" &&
	ln -s "$TRASH/opt/repoguard-0.1/repoguard" "$TRASH/pathbin/repoguard" &&
	git init -q r23v && cd r23v &&
	PATH="$TRASH/pathbin:$PATH" repoguard install >out &&
	test "$(readlink .git/hooks/pre-commit)" = "$TRASH/pathbin/repoguard" &&
	mkdir -p "$TRASH/opt/repoguard-0.2" && cp "$REPOGUARD" "$TRASH/opt/repoguard-0.2/repoguard" &&
	ln -sfn "$TRASH/opt/repoguard-0.2/repoguard" "$TRASH/pathbin/repoguard" && rm -r "$TRASH/opt/repoguard-0.1" &&
	mkdir node_modules && echo x >node_modules/x.js && git add -f node_modules &&
	expect_code 1 git commit -qm deps && contains "$TRASH/stderr" "error[block] node_modules/" &&
	PATH="$TRASH/pathbin:$PATH" "$TRASH/opt/repoguard-0.2/repoguard" install >out &&
	contains out "already installed" && lacks out "installed $TRASH" &&
	PATH="/usr/bin:/bin" "$TRASH/opt/repoguard-0.2/repoguard" install >out 2>err &&
	test "$(readlink .git/hooks/pre-commit)" = "$TRASH/opt/repoguard-0.2/repoguard" &&
	contains err "which is not the repoguard on PATH: if it is moved, rebuilt elsewhere or removed, git skips them without a word" &&
	PATH="$TRASH/pathbin:$PATH" repoguard install >out 2>err && test ! -s err
'

test_expect_success 'install recognises its own links to a binary not named repoguard' '
	git init -q r24 && cd r24 &&
	cp "$REPOGUARD" "$TRASH/repoguard-1.2" &&
	"$RG" install --binary "$TRASH/repoguard-1.2" >/dev/null &&
	"$RG" install --binary "$TRASH/repoguard-1.2" >out &&
	lacks out "kept the existing" &&
	test ! -e .git/hooks/pre-commit.pre-repoguard &&
	test "$(readlink .git/hooks/pre-commit)" = "$TRASH/repoguard-1.2" &&
	"$RG" install --uninstall >/dev/null &&
	test ! -e .git/hooks/pre-commit && test ! -L .git/hooks/pre-commit
'

# The commit that concludes a merge (MERGE_HEAD): what a merged commit
# already has is that commit's; the conflict resolution is checked.
test_expect_success 'the commit concluding a conflicted merge checks the resolution, not the merged side' '
	new_repo r40 && cd r40 &&
	echo a >c && git add c && git commit -qm i &&
	git checkout -qb feat && echo feat >c && git commit -qam feat &&
	git checkout -q main && echo main >c &&
	echo "T=$(gen_key ghp_ 36 "$B32" 40)" >legacy.cfg && git add c legacy.cfg &&
	git commit -qm legacy --no-verify &&
	git checkout -q feat && expect_code 1 git merge -q main &&
	echo "R=$(gen_key ghp_ 36 "$B32" 41)" >c && git add c &&
	expect_code 1 git commit -q --no-edit &&
	contains "$TRASH/stderr" "error[secrets.github-token] c:1" &&
	lacks "$TRASH/stderr" legacy.cfg &&
	echo merged >c && git add c && git commit -q --no-edit &&
	test "$(git rev-parse HEAD^2)" = "$(git rev-parse main)"
'

test_expect_success 'the same in a linked worktree (its own MERGE_HEAD)' '
	cd r40 && git worktree add -q ../r40-wt -b feat2 feat~1 &&
	cd ../r40-wt && expect_code 1 git merge -q main &&
	test -f "$(git rev-parse --git-dir)/MERGE_HEAD" &&
	echo merged >c && git add c && git commit -q --no-edit &&
	test "$(git rev-parse HEAD^2)" = "$(git rev-parse main)"
'

# A sparse checkout that leaves the committed rules out of the work tree
# (skip-worktree) must not drop them (fail open): they are read from the index.
test_expect_success 'a non-cone sparse checkout keeps .repoguard.ini (read from the index)' '
	new_repo r42 && cd r42 &&
	mkdir src && echo a >src/a &&
	printf "[content.foo]\npattern = FORBIDDEN\npaths = src/**\n" >.repoguard.ini &&
	git add . && git commit -qm i &&
	git sparse-checkout set --no-cone /src/ &&
	test ! -e .repoguard.ini &&
	"$RG" config >out && contains out "[content.foo]" &&
	echo FORBIDDEN >src/b && git add src/b &&
	expect_code 1 git commit -qm b &&
	contains "$TRASH/stderr" "error[content.foo] src/b:1" &&
	contains "$TRASH/stderr" ":.repoguard.ini:2"
'

test_expect_success 'a sparse checkout that leaves out a .repoguard.ini symbolic link follows it in the index (not the built-in rules)' '
	new_repo r42s && cd r42s &&
	mkdir conf src && echo a >src/a &&
	printf "[content.foo]\npattern = FORBIDDEN\n" >conf/rules.ini && ln -s conf/rules.ini .repoguard.ini &&
	git add . && git commit -qm i &&
	git sparse-checkout set --no-cone /src/ /conf/ &&
	test ! -e .repoguard.ini && test ! -L .repoguard.ini &&
	"$RG" config >out && contains out "pattern = FORBIDDEN	; :conf/rules.ini:2" &&
	echo FORBIDDEN >src/b && git add src/b &&
	expect_code 1 git commit -qm b &&
	contains "$TRASH/stderr" "error[content.foo] src/b:1" &&
	git rm -q --cached src/b && git sparse-checkout set --no-cone /src/ &&
	git rm -q --cached --sparse conf/rules.ini && git commit -qm "rules gone" --no-verify &&
	expect_code 3 "$RG" config &&
	contains "$TRASH/stderr" ":.repoguard.ini is a symbolic link to '"'"'conf/rules.ini'"'"', which the index does not have"
'

test_expect_success 'repoguard.config outside a sparse cone (sparse index) is read from the index' '
	new_repo r43 && cd r43 &&
	mkdir src conf && echo a >src/a &&
	printf "[content.bar]\npattern = FORBIDDEN\n" >conf/rg.ini &&
	git add . && git commit -qm i && git config repoguard.config conf/rg.ini &&
	git sparse-checkout set --cone src && git config index.sparse true &&
	git sparse-checkout reapply &&
	test ! -e conf/rg.ini &&
	"$RG" config >out && contains out "[content.bar]" &&
	echo FORBIDDEN >src/b && git add src/b &&
	expect_code 1 git commit -qm b &&
	contains "$TRASH/stderr" "error[content.bar] src/b:1" &&
	git sparse-checkout disable && test -f conf/rg.ini &&
	echo "; nothing" >conf/rg.ini && "$RG" config >out && lacks out "[content.bar]"
'

test_expect_success 'repoguard.config = ~/FILE is the file in HOME, as git reads a path (not WORKTREE/~/FILE)' '
	new_repo r44 && cd r44 &&
	printf "[bulk]\nmax_added_files = 1\n" >"$HOME/rg-personal.ini" &&
	git config repoguard.config "~/rg-personal.ini" &&
	"$RG" config >out && contains out "max_added_files = 1	; $HOME/rg-personal.ini:2" &&
	echo a >a && echo b >b && git add a b &&
	expect_code 1 git commit -qm ab && contains "$TRASH/stderr" "error[bulk]" &&
	git config --unset repoguard.config &&
	expect_code 1 git -c repoguard.config="~/rg-personal.ini" commit -qm ab &&
	contains "$TRASH/stderr" "error[bulk]" && rm "$HOME/rg-personal.ini" &&
	git config repoguard.config "" &&
	expect_code 3 "$RG" config &&
	contains "$TRASH/stderr" "git config repoguard.config is set but empty: name the rules file, or unset it" &&
	lacks "$TRASH/stderr" "Is a directory" &&
	expect_code 1 git commit -qm ab && contains "$TRASH/stderr" "is set but empty" &&
	git config --unset repoguard.config
'

test_expect_success 'a .repoguard.ini (or repoguard.config file) that is a FIFO or directory is a configuration error, not a hang; --config and REPOGUARD_CONFIG take pipes' '
	new_repo r44f && cd r44f && echo a >a && git add a &&
	mkfifo .repoguard.ini &&
	expect_code 3 timeout 20 "$RG" config &&
	contains "$TRASH/stderr" "$PWD/.repoguard.ini is a FIFO (named pipe): the rules file (found as .repoguard.ini) must be a regular file" &&
	expect_code 3 timeout 20 "$RG" pre-commit &&
	contains "$TRASH/stderr" ".repoguard.ini is a FIFO" &&
	expect_code 1 timeout 20 git commit -qm a && contains "$TRASH/stderr" ".repoguard.ini is a FIFO" &&
	rm .repoguard.ini && mkfifo "$TRASH/rg-fifo" && ln -s "$TRASH/rg-fifo" .repoguard.ini &&
	expect_code 3 timeout 20 "$RG" config && contains "$TRASH/stderr" "is a FIFO" &&
	rm .repoguard.ini && mkdir .repoguard.ini &&
	expect_code 3 timeout 20 "$RG" config && contains "$TRASH/stderr" ".repoguard.ini is a directory" &&
	rmdir .repoguard.ini && git config repoguard.config rg-pipe && mkfifo rg-pipe &&
	expect_code 3 timeout 20 "$RG" config &&
	contains "$TRASH/stderr" "$PWD/rg-pipe is a FIFO (named pipe): the rules file (git config repoguard.config) must be" &&
	git config --unset repoguard.config &&
	{ printf "[bulk]\nmax_added_files = 7\n" >rg-pipe & } &&
	timeout 20 "$RG" config --config rg-pipe >out && contains out "max_added_files = 7	; rg-pipe:2" &&
	{ printf "[bulk]\nmax_added_files = 8\n" >rg-pipe & } &&
	REPOGUARD_CONFIG="$PWD/rg-pipe" timeout 20 "$RG" config >out &&
	contains out "max_added_files = 8	; $PWD/rg-pipe:2" &&
	printf "[bulk]\nmax_added_files = 9\n" | timeout 20 "$RG" config --config /dev/stdin >out &&
	contains out "max_added_files = 9	; /dev/stdin:2" &&
	rm rg-pipe && git commit -qm a
'

test_expect_success 'install outside a repository is exit 4; GIT_DIR and GIT_WORK_TREE are honoured' '
	mkdir norepo && cd norepo &&
	expect_code 4 "$RG" install &&
	contains "$TRASH/stderr" "not in a git repository" &&
	expect_code 4 "$RG" install "$TRASH/norepo" &&
	cd .. && git init -q --bare dot.git && git --git-dir=dot.git config core.bare false &&
	mkdir wt-env && cd wt-env &&
	GIT_DIR=../dot.git GIT_WORK_TREE=. "$RG" install >out &&
	test -L ../dot.git/hooks/pre-commit && test -L ../dot.git/hooks/pre-push &&
	echo a >a && GIT_DIR=../dot.git GIT_WORK_TREE=. git add a &&
	GIT_DIR=../dot.git GIT_WORK_TREE=. git commit -qm a &&
	mkdir node_modules && echo x >node_modules/x.js &&
	GIT_DIR=../dot.git GIT_WORK_TREE=. git add -f node_modules &&
	GIT_DIR=../dot.git GIT_WORK_TREE=. expect_code 1 git commit -qm deps &&
	contains "$TRASH/stderr" "error[block] node_modules/"
'

test_expect_success '--quiet: warnings alone print nothing, not even the summary; errors print with it' '
	new_repo rq && cd rq && printf "[block]\nseverity = warn\n" >.repoguard.ini &&
	git add .repoguard.ini && git commit -qm rules &&
	mkdir node_modules && echo x >node_modules/x.js && git add node_modules &&
	expect_code 0 "$RG" pre-commit --quiet && test ! -s "$TRASH/stderr" && test ! -s "$TRASH/stdout" &&
	expect_code 0 "$RG" pre-commit && contains "$TRASH/stderr" "0 errors, 1 warning (not blocking)" &&
	printf "[block]\nseverity = error\n" >.repoguard.ini &&
	expect_code 1 "$RG" pre-commit --quiet && contains "$TRASH/stderr" "1 error, 0 warnings"
'

test_expect_success 'config: outside a repository the defaults; a repository that cannot be opened is an error' '
	mkdir -p outside/sub && cd outside/sub && "$RG" config >out && contains out "node_modules/" &&
	cd .. && echo "gitdir: $TRASH/moved-away" >.git && cd sub &&
	expect_code 4 "$RG" config && contains "$TRASH/stderr" "not a git repository (or cannot open it)" &&
	test ! -s "$TRASH/stdout"
'

test_done

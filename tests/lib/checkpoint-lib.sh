# checkpoint-lib.sh: helpers of the checkpoint and rollback tests (t04xx).
# Source after test-lib.sh.

# a commit of one more line in "file", made at date $1 with message $2
commit_at() {
	echo "$2" >>file && git add file &&
	GIT_AUTHOR_DATE="$1" GIT_COMMITTER_DATE="$1" git commit -qm "$2"
}

# Everything a rollback must give back: every file (mode, content hash,
# symlink target), the index exactly, the status, and HEAD.
tree_state() {
	find . -path ./.git -prune -o \( -type f -o -type l \) -print | LC_ALL=C sort |
	while IFS= read -r f; do
		if [ -L "$f" ]; then
			echo "link $f -> $(readlink "$f")"
		else
			echo "file $f $(stat -c %a "$f") $(sha256sum <"$f" | cut -d" " -f1)"
		fi
	done
	git ls-files -s --debug | grep -v "^  [cm]time\|^  dev\|^  uid\|^  size"
	git status --porcelain=v1 --untracked-files=all --ignored
	git symbolic-ref -q HEAD || echo detached
	git rev-parse HEAD
}

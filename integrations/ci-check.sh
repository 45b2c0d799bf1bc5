#!/bin/sh
# integrations/ci-check.sh: the pre-merge check that the GitHub Action and
# the GitLab CI template run; usable from any CI.
#
# Environment:
#   RG_BASE            base revision; empty or all zeros (a new branch): the
#                      default branch, RG_REMOTE/RG_DEFAULT_BRANCH
#   RG_HEAD            head revision (default HEAD)
#   RG_REMOTE          remote to fetch missing history from (default origin)
#   RG_DEFAULT_BRANCH  default branch name (default: the remote's HEAD, else main)
#   RG_FORMAT          format of the report on stdout (default text)
#   RG_SARIF, RG_JSON  also write a SARIF / JSON report to this file
#   RG_CONFIG          rules file (default: the base's committed .repoguard.ini)
#   RG_FETCH           1 (default): fetch the base and, in a shallow clone,
#                      the history the range needs, in a partial clone the
#                      blobs it needs; 0: never fetch
#   REPOGUARD          the binary (default: repoguard on PATH)
#   GITHUB_OUTPUT      when set: exit-code=N (and sarif=FILE) are written to it
#
# Exit status: repoguard's (0 clean, 1 violations, 2-4 errors).
set -u

rg=${REPOGUARD:-repoguard}
remote=${RG_REMOTE:-origin}
head=${RG_HEAD:-HEAD}
base=${RG_BASE:-}
fetch=${RG_FETCH:-1}

say() { echo "repoguard-ci: $*" >&2; }

if [ -z "$base" ] || [ -z "$(printf '%s' "$base" | tr -d 0)" ]; then
	branch=${RG_DEFAULT_BRANCH:-}
	if [ -z "$branch" ]; then
		branch=$(git symbolic-ref -q --short "refs/remotes/$remote/HEAD" 2>/dev/null | sed "s|^$remote/||")
		branch=${branch:-main}
	fi
	base="refs/remotes/$remote/$branch"
	if [ "$fetch" = 1 ] && ! git rev-parse -q --verify "$base^{commit}" >/dev/null; then
		git fetch -q --no-tags "$remote" "+refs/heads/$branch:$base" || say "cannot fetch $branch from $remote"
	fi
	say "no base given (new branch): checking against $base"
fi

if [ "$fetch" = 1 ] && ! git rev-parse -q --verify "$base^{commit}" >/dev/null; then
	# a SHA the clone does not have yet (pull request base, push's before)
	git fetch -q --no-tags "$remote" "$base" 2>/dev/null || say "cannot fetch $base from $remote"
fi
if [ "$fetch" = 1 ] && [ "$(git rev-parse --is-shallow-repository)" = true ]; then
	say "shallow clone: fetching the history the range needs"
	git fetch -q --no-tags --unshallow "$remote" 2>/dev/null ||
		git fetch -q --no-tags --deepen=1000000 "$remote" 2>/dev/null || say "cannot unshallow"
fi

if [ "$fetch" = 1 ] && git config --get-regexp '^(extensions\.partialclone|remote\..*\.promisor)$' >/dev/null; then
	# a partial clone (--filter=blob:none) has the blobs of the checked-out tree only:
	# repoguard fails closed on a blob it cannot read, so fetch those the range needs
	# (the range's own and the merge base's tree, the first parent of its first commits)
	mb=$(git merge-base "$base" "$head" 2>/dev/null | head -n 1)
	if [ -n "$mb" ]; then
		say "partial clone: fetching the blobs the range needs"
		# shellcheck disable=SC2046 # the merge base's parents, one word each
		git rev-list --objects --missing=print "$head" "$mb" --not $(git rev-parse "$mb^@") 2>/dev/null |
			sed -n 's/^?//p' | git cat-file --batch-check >/dev/null 2>&1 || say "cannot fetch the missing blobs"
	fi
fi

set -- ci --base "$base" --head "$head"
[ -n "${RG_CONFIG:-}" ] && set -- "$@" --config "$RG_CONFIG"

"$rg" "$@" --format "${RG_FORMAT:-text}"
code=$?
if [ "$code" -le 1 ]; then
	[ -n "${RG_SARIF:-}" ] && "$rg" "$@" --format sarif >"$RG_SARIF"
	[ -n "${RG_JSON:-}" ] && "$rg" "$@" --format json >"$RG_JSON"
fi
if [ -n "${GITHUB_OUTPUT:-}" ]; then
	echo "exit-code=$code" >>"$GITHUB_OUTPUT"
	[ "$code" -le 1 ] && [ -n "${RG_SARIF:-}" ] && echo "sarif=$RG_SARIF" >>"$GITHUB_OUTPUT"
fi
exit "$code"

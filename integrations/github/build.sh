#!/bin/sh
# integrations/github/build.sh: build repoguard from the action's checkout
# (GITHUB_ACTION_PATH) and put it on PATH for the following steps.
set -eu
src=${GITHUB_ACTION_PATH:?run from the repoguard action}
if ! pkg-config --exists 'libgit2 >= 1.5' libpcre2-8 inih 2>/dev/null; then
	sudo apt-get update -qq
	sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		build-essential pkg-config libgit2-dev libpcre2-dev libinih-dev >/dev/null
fi
make -C "$src" -j"$(nproc)" repoguard >/dev/null
echo "$src" >>"${GITHUB_PATH:?}"
"$src/repoguard" --version

#!/bin/sh
# bench/deploy.sh: deploy-check and affected on a 60,000-file repository
# (frontend at the root, backend/ and orchestrator/ folders) with a range
# of 5,000 changed paths, against git's own floor for the same question:
#   git diff --name-only BASE HEAD   (what changed)
#   git status --porcelain           (deploy-check also reads the work tree)
# Usage: bench/deploy.sh [REPOGUARD]   (needs hyperfine)
set -eu
RG=${1:-$(pwd)/repoguard}
case "$RG" in /*) ;; *) RG="$(pwd)/$RG" ;; esac
W=$(pwd)/bench/work/deploy
FILES=${FILES:-20000}       # per top-level part
CHANGED=${CHANGED:-5000}

if [ ! -d "$W/.git" ]; then
	rm -rf "$W" && mkdir -p "$W" && cd "$W" && git init -q -b main .
	export GIT_AUTHOR_NAME=b GIT_AUTHOR_EMAIL=b@b GIT_COMMITTER_NAME=b GIT_COMMITTER_EMAIL=b@b
	# one commit with FILES files in each of src/, backend/, orchestrator/
	{
		echo "commit refs/heads/main"
		echo "committer b <b@b> 1767225600 +0000"
		echo "data 4"; echo "base"
		for part in src backend orchestrator; do
			i=0
			while [ $i -lt "$FILES" ]; do
				echo "M 100644 inline $part/d$((i / 100))/f$i.js"
				echo "data 12"; printf '%-11s\n' "v1 $i"
				i=$((i + 1))
			done
		done
	} | git fast-import --quiet
	git reset -q --hard main
	cat >.repoguard.ini <<-\INI
	[deploy.netlify]
	paths = src/** public/** /index.html /package.json /vite.config.*
	[deploy.ec2]
	paths = orchestrator/** backend/**
	INI
	git add .repoguard.ini && git commit -qm config && git tag base
	# CHANGED paths over 50 commits, spread over the three parts
	c=0
	while [ $c -lt 50 ]; do
		k=0
		while [ $k -lt $((CHANGED / 50)) ]; do
			n=$((c * (CHANGED / 50) + k))
			case $((n % 3)) in 0) p=src ;; 1) p=backend ;; *) p=orchestrator ;; esac
			f=$((n * 3 % FILES))
			printf 'v2 %s\n' "$c" >"$p/d$((f / 100))/f$f.js"
			k=$((k + 1))
		done
		git commit -qam "change $c"
		c=$((c + 1))
	done
fi
cd "$W"
git diff --name-only base HEAD | wc -l | sed 's/^/changed paths: /'
git ls-files | wc -l | sed 's/^/files: /'
hyperfine --warmup 2 --runs 10 --export-markdown "$W/../deploy.md" \
	-n 'git diff --name-only base HEAD' 'git diff --name-only base HEAD' \
	-n 'repoguard affected --base base' "$RG affected --base base --quiet || true" \
	-n 'git status --porcelain' 'git status --porcelain' \
	-n 'repoguard deploy-check ec2 --since base' "$RG deploy-check ec2 --since base >/dev/null </dev/null || true"

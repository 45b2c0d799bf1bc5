# deploy-lib.sh: repositories shaped like the common deploy layouts, for the
# deploy tests (t05xx). Source after test-lib.sh.

export SHELL=/bin/sh   # what `script` runs the command with

# layout_root DIR: the frontend at the root (Vite + Netlify), the backend and
# an orchestrator in folders (EC2); README.md belongs to no target.
layout_root() {
	git init -q "$1" && cd "$1" &&
	mkdir -p src/components public backend/routes orchestrator &&
	echo "<div id=app></div>" >index.html &&
	echo '{"name": "web"}' >package.json &&
	echo "export default {}" >vite.config.ts &&
	printf '[build]\n  publish = "dist"\n' >netlify.toml &&
	echo "import App" >src/main.ts &&
	echo "header" >src/components/Header.tsx &&
	echo "footer" >src/components/Footer.tsx &&
	echo "logo" >public/logo.svg &&
	echo "listen(8080)" >backend/server.js &&
	echo "util" >backend/util.js &&
	echo "users" >backend/routes/users.js &&
	echo "run" >orchestrator/run.sh &&
	echo "readme" >README.md &&
	cat >.repoguard.ini <<-\EOF &&
	[deploy.netlify]
	paths = src/** public/** /index.html /netlify.toml /package.json /vite.config.*
	branches = deploy/netlify
	[deploy.ec2]
	paths = orchestrator/** backend/**
	branches = deploy/ec2
	[deploy]
	unmapped = warn
	EOF
	git add . && git commit -qm base
}

# layout_side DIR: frontend/ and backend/ side by side, one shared lockfile
# at the root that belongs to both.
layout_side() {
	git init -q "$1" && cd "$1" &&
	mkdir -p frontend/src backend/app &&
	echo "app" >frontend/src/App.tsx &&
	echo '{"name": "frontend"}' >frontend/package.json &&
	printf '[build]\n  base = "frontend"\n' >frontend/netlify.toml &&
	echo "app = Flask()" >backend/app/main.py &&
	echo "FROM python:3" >backend/Dockerfile &&
	echo "notes" >backend/README.md &&
	echo "lock v1" >yarn.lock &&
	cat >.repoguard.ini <<-\EOF &&
	[deploy.web]
	paths = frontend/** /yarn.lock
	[deploy.api]
	paths = backend/** /yarn.lock !backend/README.md
	EOF
	git add . && git commit -qm base
}

# record TARGET: deploy-record at a fixed time (REPOGUARD_NOW)
record() {
	REPOGUARD_NOW=1767225600 "$RG" deploy-record "$@" >/dev/null 2>&1
}

# without_tty CMD...: run with no controlling terminal and no stdin
without_tty() {
	setsid -w "$@" </dev/null
}

# with_tty INPUT CMD: run CMD (a shell string) on a pseudo-terminal fed INPUT
with_tty() {
	printf '%s\n' "$1" | script -qec "$2" /dev/null
}

# expect_tty N INPUT CMD: with_tty, requiring exit status N; output in $TRASH/tty.out
expect_tty() {
	set +e
	with_tty "$2" "$3" >"$TRASH/tty.out" 2>&1
	got=$?
	set -e
	if [ "$got" != "$1" ]; then
		echo "expected exit $1, got $got from: $3 (input '$2')"
		cat "$TRASH/tty.out"
		return 1
	fi
}

# record_at TIME TARGET...: deploy-record at TIME (seconds since the epoch)
record_at() {
	_t=$1
	shift
	REPOGUARD_NOW=$_t "$RG" deploy-record "$@" >/dev/null 2>&1
}

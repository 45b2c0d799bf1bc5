#!/bin/sh
# bench/routes.sh: what the routing check ([routes]) costs one pre-commit.
#
# Generates (once, cached under bench/work/) a React app of 100 lazily routed
# pages and 5,000 components (50 per page, each importing a neighbour and a
# shared module; ~1 KB of JSX each), committed and packed. Three staged
# changes are prepared as separate index files:
#   touch   one component edited           (the check has nothing to do)
#   add     one new component, its page    (the graph is built from the router)
#   delete  one component and its imports  (the graph is built; dangling check)
# and each is timed with hyperfine with [routes] on and off (the same
# configuration without the section), next to git's floor for "what is
# staged" (git diff --cached --name-status).
#
# Usage: bench/routes.sh [--runs N] [--regen]
# Needs: hyperfine, awk. Results: bench/work/results/routes-*.json and .md.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
WORK="$HERE/work"
REPO="$WORK/routes-app"
OUT="$WORK/results"
RUNS=20
REGEN=0
PAGES=100
PER_PAGE=50

. "$HERE/lib.sh"
bench_args "$@"
bench_need hyperfine hyperfine
mkdir -p "$HOME" "$OUT"

# The app: one awk run writes every file (a shell loop would take minutes).
generate() {
	rm -rf "$REPO"
	mkdir -p "$REPO/src/product" "$REPO/src/lib"
	git init -q "$REPO"
	(cd "$REPO" && awk -v pages="$PAGES" -v per="$PER_PAGE" '
	function body(name,   s, k) {
		s = ""
		for (k = 0; k < 12; k++)
			s = s sprintf("      <li className=\"row-%d\" onClick={() => setOpen(!open)}>{t(\"%s.%d\")} / {count}</li>\n", k, name, k)
		return s
	}
	BEGIN {
		app = "src/product/App.tsx"
		print "import { lazy, Suspense } from \"react\"" > app
		print "import { Routes, Route } from \"react-router-dom\"" > app
		for (p = 0; p < pages; p++)
			printf "const Page%d = lazy(() => import(\"@/pages/p%d\"))\n", p, p > app
		print "export default function App() {\n  return <Suspense><Routes>" > app
		for (p = 0; p < pages; p++)
			printf "    <Route path=\"/p%d\" element={<Page%d />} />\n", p, p > app
		print "  </Routes></Suspense>\n}" > app
		close(app)
		print "export const t = (k: string) => k" > "src/lib/i18n.ts"
		close("src/lib/i18n.ts")
		for (p = 0; p < pages; p++) {
			dir = "src/components/g" p
			system("mkdir -p src/pages/p" p " " dir)
			page = "src/pages/p" p "/index.tsx"
			for (c = 0; c < per; c++)
				printf "import C%d from \"@/components/g%d/C%d\"\n", c, p, c > page
			printf "export default function Page%d() {\n  return <main>\n", p > page
			for (c = 0; c < per; c++)
				printf "    <C%d />\n", c > page
			print "  </main>\n}" > page
			close(page)
			for (c = 0; c < per; c++) {
				f = dir "/C" c ".tsx"
				printf "import { useState } from \"react\"\nimport { t } from \"@/lib/i18n\"\n" > f
				printf "import Next from \"./C%d\"\n// a comment that mentions import(\"./NotReally\")\n", (c + 1) % per > f
				printf "export default function C%d({ count }: { count: number }) {\n  const [open, setOpen] = useState(false)\n  return (\n    <ul title={`C%d ${count}`}>\n%s    </ul>\n  )\n}\n", c, c, body("g" p "c" c) > f
				close(f)
			}
		}
	}')
	printf '[routes]\nroots = src/product/App.tsx\ncomponents = src/components/** src/pages/**\naliases = @/=src/\n' \
		>"$WORK/routes-on.ini"
	printf '[block]\npaths = node_modules/ .vite/\n' >"$WORK/routes-off.ini"
	(cd "$REPO" && git add -A && git commit -q --no-verify -m app && git gc -q)
	# the staged changes, one index file each (the working tree is not read)
	(
		cd "$REPO"
		cp .git/index "$WORK/idx-touch"
		echo "// edited" >>src/components/g42/C7.tsx
		GIT_INDEX_FILE="$WORK/idx-touch" git add src/components/g42/C7.tsx
		git checkout -q -- src
		cp .git/index "$WORK/idx-add"
		echo "export default function Fresh() { return <p /> }" >src/components/g42/Fresh.tsx
		echo "import Fresh from \"@/components/g42/Fresh\"" >>src/pages/p42/index.tsx
		GIT_INDEX_FILE="$WORK/idx-add" git add src/components/g42/Fresh.tsx src/pages/p42/index.tsx
		rm src/components/g42/Fresh.tsx
		git checkout -q -- src
		cp .git/index "$WORK/idx-delete"
		GIT_INDEX_FILE="$WORK/idx-delete" git rm -q --cached src/components/g42/C7.tsx
		grep -v "C7\\b" src/pages/p42/index.tsx >"$WORK/p42" && cp "$WORK/p42" src/pages/p42/index.tsx
		sed -i "s|\"./C7\"|\"./C8\"|" src/components/g42/C6.tsx
		GIT_INDEX_FILE="$WORK/idx-delete" git add src/pages/p42/index.tsx src/components/g42/C6.tsx
		git checkout -q -- src
	)
}

if [ "$REGEN" = 1 ] || [ ! -d "$REPO/.git" ] || [ ! -f "$WORK/idx-delete" ]; then
	echo "bench: generating $PAGES pages x $PER_PAGE components in $REPO"
	generate
fi

cd "$REPO"
echo "bench: $(git ls-files | wc -l) files, $(du -sh .git | cut -f1) in .git; $("$RG" --version)"
# sanity: every scenario passes, and the check really runs
for s in touch add delete; do
	GIT_INDEX_FILE="$WORK/idx-$s" "$RG" pre-commit --config "$WORK/routes-on.ini" || {
		echo "bench: scenario $s does not pass" >&2; exit 1; }
done
for s in touch add delete; do
	hyperfine -N --warmup 3 --runs "$RUNS" \
		--export-json "$OUT/routes-$s.json" --export-markdown "$OUT/routes-$s.md" \
		-n "git diff --cached ($s)" "env GIT_INDEX_FILE=$WORK/idx-$s git diff --cached --name-status" \
		-n "pre-commit, routes off ($s)" "env GIT_INDEX_FILE=$WORK/idx-$s $RG pre-commit --config $WORK/routes-off.ini" \
		-n "pre-commit, routes on ($s)" "env GIT_INDEX_FILE=$WORK/idx-$s $RG pre-commit --config $WORK/routes-on.ini"
done
echo "bench: results in $OUT/routes-*.md"

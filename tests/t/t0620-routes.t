#!/bin/sh
# t0620: [routes]: a component refactor must reach the router.
. "$(dirname "$0")/../lib/test-lib.sh"

ROUTES_INI='[routes]
roots = src/product/App.tsx               ; where routing starts
components = src/components/** src/pages/**
aliases = @/=src/                          ; import path aliases, as in tsconfig/vite
'

# app_repo DIR: the app before the incident. App.tsx routes /pulse straight to
# the old monolithic component; the pulse page exists but no route reaches it.
app_repo() {
	new_repo "$1" && cd "$1" &&
	printf '%s' "$ROUTES_INI" >.repoguard.ini &&
	mkdir -p src/product src/components src/pages/pulse src/pages/home &&
	cat >src/product/App.tsx <<-\EOF &&
	import { Routes, Route } from 'react-router-dom'
	import EmotionalLiveFeed from '../components/EmotionalLiveFeed'
	import Home from '@/pages/home'

	export default function App() {
	  return (
	    <Routes>
	      <Route path="/" element={<Home />} />
	      <Route path="/pulse" element={<EmotionalLiveFeed />} />
	    </Routes>
	  )
	}
	EOF
	echo "export default function EmotionalLiveFeed() { return <div>feed</div> }" \
		>src/components/EmotionalLiveFeed.tsx &&
	echo "export default function Home() { return <p>home</p> }" >src/pages/home/index.tsx &&
	echo "export default function Pulse() { return <main /> }" >src/pages/pulse/index.tsx &&
	git add . && git commit -q --no-verify -m base
}

# the refactor: three new components, and the page that uses them
split_component() {
	for c in LiveEmotionalFeed PulseHeader PulseChart; do
		echo "export default function $c() { return <section>$c</section> }" >src/components/$c.tsx
	done &&
	cat >src/pages/pulse/index.tsx <<-\EOF &&
	import LiveEmotionalFeed from '../../components/LiveEmotionalFeed'
	import PulseHeader from '@/components/PulseHeader'
	import PulseChart from '@/components/PulseChart'

	export default function Pulse() {
	  return <main><PulseHeader /><PulseChart /><LiveEmotionalFeed /></main>
	}
	EOF
	git add src
}

test_expect_success 'the incident: split components the router never reaches fail' '
	app_repo r1 && split_component &&
	expect_code 1 git commit -qm "split EmotionalLiveFeed" &&
	contains "$TRASH/stderr" "error[routes] src/components/LiveEmotionalFeed.tsx: added, but no route reaches it: it is imported by src/pages/pulse/index.tsx, which no route reaches; src/product/App.tsx routes /pulse to EmotionalLiveFeed" &&
	contains "$TRASH/stderr" "error[routes] src/components/PulseHeader.tsx: added" &&
	contains "$TRASH/stderr" "error[routes] src/components/PulseChart.tsx: added" &&
	contains "$TRASH/stderr" "route /pulse to src/pages/pulse/index.tsx (instead of what it renders now) in src/product/App.tsx" &&
	test "$(grep -c "error\[routes\]" "$TRASH/stderr")" = 3
'

test_expect_success 'the incident: routing /pulse to the page passes' '
	cd r1 &&
	sed -i -e "s|^import EmotionalLiveFeed.*|const Pulse = React.lazy(() => import(\"@/pages/pulse\"))|" \
		-e "s|<EmotionalLiveFeed />|<Pulse />|" src/product/App.tsx &&
	git add src/product/App.tsx &&
	git commit -qm "split EmotionalLiveFeed, route /pulse to the page" 2>err &&
	lacks err "routes"
'

test_expect_success 'the incident in two commits: the routing commit passes on its own' '
	app_repo r2 && split_component &&
	git commit -q --no-verify -m "split (unchecked)" &&
	sed -i -e "s|^import EmotionalLiveFeed.*|import Pulse from \"../pages/pulse/index\"|" \
		-e "s|<EmotionalLiveFeed />|<Pulse />|" src/product/App.tsx &&
	git add src/product/App.tsx && git commit -qm "route /pulse to the page" &&
	echo "export const X = 1" >src/components/PulseLegend.tsx &&
	echo "export { X } from \"@/components/PulseLegend\"" >>src/pages/pulse/index.tsx &&
	git add src && git commit -qm "a component the routed page re-exports"
'

test_expect_success 'staged content counts, not the working tree' '
	app_repo r3 && split_component &&
	sed -i "s|<EmotionalLiveFeed />|<Pulse />|" src/product/App.tsx &&
	echo "import Pulse from \"@/pages/pulse\"" >>src/product/App.tsx &&
	expect_code 1 git commit -qm "App.tsx fixed but not staged" &&
	contains "$TRASH/stderr" "src/components/PulseChart.tsx: added" &&
	git add src/product/App.tsx && git commit -qm staged &&
	echo "export default 1" >src/components/Later.tsx && git add src/components/Later.tsx &&
	echo "import L from \"@/components/Later\"" >>src/product/App.tsx &&
	expect_code 1 git commit -qm "import only in the working tree" &&
	contains "$TRASH/stderr" "src/components/Later.tsx: added, but no route reaches it: no import of it is found in the source files this change adds or modifies"
'

test_expect_success 'lazy routes, index files and aliases' '
	new_repo r4 && cd r4 && printf "%s" "$ROUTES_INI" >.repoguard.ini &&
	mkdir -p src/product src/pages/Settings src/components/Card &&
	cat >src/product/App.tsx <<-\EOF &&
	import { lazy } from "react"
	const Settings = lazy(() => import("../pages/Settings"))
	const Other = React.lazy(async () => await import(
	  "@/pages/Other"
	))
	EOF
	echo "import Card from \"@/components/Card\"; export default () => <Card />" >src/pages/Settings/index.tsx &&
	echo "export default () => null" >src/pages/Other.jsx &&
	echo "export default () => <div />" >src/components/Card/index.ts &&
	echo "export const helper = 1" >src/components/Card/helper.js &&
	echo "import { helper } from \"./helper\"" >>src/components/Card/index.ts &&
	git add . && git commit -qm "lazy, index, alias" &&
	git ls-files | grep -q src/components/Card/helper.js
'

test_expect_success 'a rename App.tsx follows passes, one it does not fails twice' '
	app_repo r5 &&
	git mv src/components/EmotionalLiveFeed.tsx src/components/LiveFeed.tsx &&
	sed -i "s|../components/EmotionalLiveFeed|../components/LiveFeed|" src/product/App.tsx &&
	git add src/product/App.tsx && git commit -qm "rename, followed" &&
	git mv src/components/LiveFeed.tsx src/components/Feed.tsx &&
	expect_code 1 git commit -qm "rename, not followed" &&
	contains "$TRASH/stderr" "error[routes] src/product/App.tsx:2: imports '"'"'../components/LiveFeed'"'"' (src/components/LiveFeed.tsx), which this commit renames to src/components/Feed.tsx" &&
	contains "$TRASH/stderr" "update the import in src/product/App.tsx line 2 to '"'"'../components/Feed'"'"'" &&
	contains "$TRASH/stderr" "error[routes] src/components/Feed.tsx: renamed from src/components/LiveFeed.tsx, but no route reaches it: src/product/App.tsx still imports the old path" &&
	contains "$TRASH/stderr" "update the import of src/components/LiveFeed.tsx in src/product/App.tsx to the new path"
'

test_expect_success 'the new specifier keeps TypeScript ESM .js, and an alias only for paths under it' '
	new_repo r5b && cd r5b &&
	printf "[routes]\nroots = src/App.tsx\ncomponents = src/components/**\naliases = ~=src\n" >.repoguard.ini &&
	mkdir -p src/components src2 &&
	printf "import feed from \"./components/feed.js\"\nimport B from \"~/components/B\"\nimport C from \"./components/C.jsx\"\n" >src/App.tsx &&
	for c in feed.ts B.tsx C.tsx; do echo "export default \"$c\"" >src/components/$c; done &&
	git add . && git commit -q --no-verify -m base &&
	git mv src/components/feed.ts src/components/news.tsx &&
	git mv src/components/B.tsx src2/B.tsx &&
	git mv src/components/C.tsx src/components/C2.tsx &&
	expect_code 1 git commit -qm "renames" &&
	contains "$TRASH/stderr" "update the import in src/App.tsx line 1 to '"'"'./components/news.js'"'"'" &&
	contains "$TRASH/stderr" "update the import in src/App.tsx line 2 to '"'"'../src2/B'"'"'" &&
	contains "$TRASH/stderr" "update the import in src/App.tsx line 3 to '"'"'./components/C2.jsx'"'"'"
'

test_expect_success 'the new specifier keeps the import'"'"'s ?query (Vite'"'"'s ?react, ?raw)' '
	new_repo r5d && cd r5d &&
	printf "[routes]\nroots = src/App.tsx\naliases = @/=src/\n" >.repoguard.ini &&
	mkdir -p src/assets &&
	printf "import Logo from \"./assets/logo.svg?react\"\nimport notes from \"@/assets/notes.md?raw\"\nimport P from \"./Page?v=1.2\"\n" >src/App.tsx &&
	echo "<svg/>" >src/assets/logo.svg && echo notes >src/assets/notes.md &&
	echo "export default 1" >src/Page.tsx &&
	git add . && git commit -q --no-verify -m base &&
	git mv src/assets/logo.svg src/assets/icon.svg &&
	git mv src/assets/notes.md src/assets/readme.md &&
	git mv src/Page.tsx src/Home.tsx &&
	expect_code 1 git commit -qm "renames" &&
	contains "$TRASH/stderr" "update the import in src/App.tsx line 1 to '"'"'./assets/icon.svg?react'"'"'" &&
	contains "$TRASH/stderr" "update the import in src/App.tsx line 2 to '"'"'@/assets/readme.md?raw'"'"'" &&
	contains "$TRASH/stderr" "update the import in src/App.tsx line 3 to '"'"'./Home?v=1.2'"'"'"
'

test_expect_success 'an alias starting with # (Node subpath imports) is an alias, not a #hash' '
	new_repo r5c && cd r5c &&
	printf "[routes]\nroots = src/App.tsx\ncomponents = src/components/**\naliases = #/=src/ #ui=src/components\n" >.repoguard.ini &&
	mkdir -p src/components &&
	printf "import A from \"#/components/A\"\nimport B from \"#ui/B#frag\"\n" >src/App.tsx &&
	for c in A B; do echo "export default \"$c\"" >src/components/$c.tsx; done &&
	git add . && git commit -qm "routed through # aliases" 2>err &&
	lacks err "routes" &&
	git rm -q src/components/A.tsx &&
	expect_code 1 git commit -qm "delete A" &&
	contains "$TRASH/stderr" "error[routes] src/App.tsx:1: imports '"'"'#/components/A'"'"' (src/components/A.tsx), which this commit deletes" &&
	git reset -q --hard &&
	git mv src/components/B.tsx src/components/C.tsx &&
	expect_code 1 git commit -qm "rename B" &&
	contains "$TRASH/stderr" "update the import in src/App.tsx line 2 to '"'"'#ui/C#frag'"'"'"
'

test_expect_success 'one alias prefix with several paths (tsconfig paths fallbacks) tries each in turn' '
	new_repo r5d && cd r5d &&
	printf "[routes]\nroots = src/App.tsx\ncomponents = src/components/** generated/**\naliases = @/=src/ @/=generated/\n" >.repoguard.ini &&
	mkdir -p src/components generated/components &&
	printf "import A from \"@/components/A\"\nimport G from \"@/components/Gen\"\n" >src/App.tsx &&
	echo "export default 1" >src/components/A.tsx &&
	echo "export default 2" >generated/components/Gen.tsx &&
	git add . && git commit -qm "a generated component routed through the fallback" 2>err &&
	lacks err "routes" &&
	"$RG" audit >audit.out && lacks audit.out "does not exist in this tree" &&
	git rm -q generated/components/Gen.tsx &&
	expect_code 1 git commit -qm "delete the generated one" &&
	contains "$TRASH/stderr" "error[routes] src/App.tsx:2: imports '"'"'@/components/Gen'"'"' (generated/components/Gen.tsx), which this commit deletes"
'

test_expect_success 'base_url (tsconfig baseUrl): bare imports name files under it, else packages' '
	new_repo r5e && cd r5e &&
	printf "[routes]\nroots = src/App.tsx\ncomponents = src/components/**\nbase_url = src\n" >.repoguard.ini &&
	mkdir -p src/components &&
	printf "import React from \"react\"\nimport { x } from \"lodash/fp\"\nimport Feed from \"components/Feed\"\n" >src/App.tsx &&
	echo "export default 1" >src/components/Feed.tsx &&
	git add . && git commit -qm "routed through baseUrl" 2>err &&
	lacks err "routes" &&
	"$RG" audit >audit.out && contains audit.out "every component is reachable" &&
	git mv src/components/Feed.tsx src/components/News.tsx &&
	expect_code 1 git commit -qm "rename the feed" &&
	contains "$TRASH/stderr" "error[routes] src/App.tsx:3: imports '"'"'components/Feed'"'"' (src/components/Feed.tsx), which this commit renames to src/components/News.tsx" &&
	contains "$TRASH/stderr" "update the import in src/App.tsx line 3 to '"'"'components/News'"'"'" &&
	sed -i "s|components/Feed|components/News|" src/App.tsx && git add src/App.tsx &&
	git commit -qm "rename the feed, with its import" &&
	printf "[routes]\nroots = src/App.tsx\nbase_url = src lib\n" >.repoguard.ini &&
	expect_code 3 "$RG" config &&
	contains "$TRASH/stderr" ".repoguard.ini:3: base_url= takes one directory path" &&
	printf "[routes]\nroots = src/App.tsx\nbase_url = src\nbase_url = lib\n" >.repoguard.ini &&
	expect_code 3 "$RG" config &&
	contains "$TRASH/stderr" ".repoguard.ini:4: [routes] sets base_url twice (first at line 3): keep one" &&
	lacks "$TRASH/stderr" "takes one directory path"
'

test_expect_success 'a directory import reaches its index.mjs (as Vite and Node resolve it)' '
	app_repo r5f &&
	mkdir -p src/components/Chart &&
	echo "export default function Chart() { return null }" >src/components/Chart/index.mjs &&
	echo "import Chart from \"../components/Chart\"" >>src/product/App.tsx &&
	git add . && git commit -qm "a chart in index.mjs" 2>err &&
	lacks err "routes" &&
	git rm -q src/components/Chart/index.mjs &&
	expect_code 1 git commit -qm "delete the chart" &&
	contains "$TRASH/stderr" "imports '"'"'../components/Chart'"'"' (src/components/Chart/index.mjs), which this commit deletes"
'

test_expect_success 'deleting a file a reachable file imports is dangling; an unreachable importer is not' '
	app_repo r6 &&
	git rm -q src/pages/home/index.tsx &&
	expect_code 1 git commit -qm "delete home" &&
	contains "$TRASH/stderr" "error[routes] src/product/App.tsx:3: imports '"'"'@/pages/home'"'"' (src/pages/home/index.tsx), which this commit deletes" &&
	contains "$TRASH/stderr" "git restore --staged --worktree --source=HEAD -- src/pages/home/index.tsx" &&
	git reset -q --hard &&
	echo "import Gone from \"@/components/Gone\"" >src/pages/pulse/index.tsx &&
	echo "export default 1" >src/components/Gone.tsx &&
	git add . && git commit -q --no-verify -m "unreachable importer" &&
	git rm -q src/components/Gone.tsx && git commit -qm "delete what only an unreachable page imports"
'

test_expect_success 're-exports through an index.ts barrel' '
	new_repo r7 && cd r7 && printf "%s" "$ROUTES_INI" >.repoguard.ini &&
	mkdir -p src/product src/components/feed &&
	echo "import { Feed, Header } from \"@/components/feed\"" >src/product/App.tsx &&
	printf "export { Feed } from \"./Feed\"\nexport * from \"./Header\"\nexport type { Props } from \"./types\"\n" \
		>src/components/feed/index.ts &&
	echo "export const Feed = 1" >src/components/feed/Feed.tsx &&
	echo "export const Header = 1" >src/components/feed/Header.tsx &&
	echo "export type Props = {}" >src/components/feed/types.ts &&
	git add . && expect_code 1 git commit -qm barrel &&
	contains "$TRASH/stderr" "src/components/feed/types.ts: added, but no route reaches it: src/components/feed/index.ts imports it with import type only" &&
	printf "[routes]\nexclude = types.ts\n" >>.repoguard.ini && git add .repoguard.ini &&
	git commit -qm barrel &&
	echo "export const Footer = 1" >src/components/feed/Footer.tsx && git add . &&
	expect_code 1 git commit -qm "not in the barrel" &&
	contains "$TRASH/stderr" "src/components/feed/Footer.tsx: added, but no route reaches it: no import of it is found in the source files this change adds or modifies" &&
	echo "export * from \"./Footer\"" >>src/components/feed/index.ts && git add . &&
	git commit -qm "in the barrel"
'

test_expect_success 'circular imports terminate, reachable or not' '
	new_repo r8 && cd r8 && printf "%s" "$ROUTES_INI" >.repoguard.ini &&
	mkdir -p src/product src/components &&
	echo "import A from \"@/components/A\"" >src/product/App.tsx &&
	echo "import B from \"./B\"; export default 1" >src/components/A.tsx &&
	echo "import A from \"./A\"; import C from \"./C\"; export default 2" >src/components/B.tsx &&
	echo "import B from \"./B\"; export default 3" >src/components/C.tsx &&
	git add . && git commit -qm cycle &&
	echo "import Y from \"./Y\"; export default 4" >src/components/X.tsx &&
	echo "import X from \"./X\"; export default 5" >src/components/Y.tsx &&
	git add . && expect_code 1 git commit -qm "unreachable cycle" &&
	contains "$TRASH/stderr" "src/components/X.tsx: added, but no route reaches it: it is imported by src/components/Y.tsx, which no route reaches" &&
	contains "$TRASH/stderr" "src/components/Y.tsx: added, but no route reaches it: it is imported by src/components/X.tsx, which no route reaches"
'

test_expect_success 'imports in comments and strings do not reach anything' '
	app_repo r9 &&
	echo "export default 1" >src/components/Ghost.tsx &&
	cat >>src/product/App.tsx <<-\EOF &&
	// import Ghost from "../components/Ghost"
	/* const G = lazy(() => import("../components/Ghost")) */
	const doc = "import Ghost from \"../components/Ghost\""
	const tpl = `require("../components/Ghost")`
	EOF
	git add . && expect_code 1 git commit -qm ghost &&
	contains "$TRASH/stderr" "src/components/Ghost.tsx: added, but no route reaches it"
'

# jsx_app DIR: the QA repro. App.tsx, a root, will lazily import the new page
# on the line after JSX text.
jsx_app() {
	new_repo "$1" && cd "$1" &&
	printf "[routes]\nroots = src/App.tsx\ncomponents = src/pages/**\n" >.repoguard.ini &&
	mkdir -p src/pages &&
	echo "export default function App(){ return null }" >src/App.tsx &&
	git add . && git commit -q --no-verify -m init &&
	echo "export default function Upload(){ return null }" >src/pages/Upload.tsx
}

test_expect_success 'JSX text is not code: a slash-star or a backtick in it hides no import' '
	jsx_app r9b &&
	cat >src/App.tsx <<-\EOF &&
	import { lazy } from "react";
	function Help() { return <p>Drop your files into uploads/*</p>; }
	const Upload = lazy(() => import("./pages/Upload"));
	export default function App() { return <><Help /><Upload /></>; }
	EOF
	git add -A && git commit -qm "upload page" &&
	echo "export default function Tick(){ return null }" >src/pages/Tick.tsx &&
	cat >src/App.tsx <<-\EOF &&
	import { lazy } from "react";
	const Help = () => (
	  <div title="a `b">
	    Press ` to open the console, or type /* in {"{"}search{"}"}
	  </div>
	);
	const Tick = lazy(() => import("./pages/Tick"));
	export default function App() { return <><Help /><Tick /></>; }
	EOF
	git add -A && git commit -qm "tick page"
'

test_expect_success 'an import in a real comment after JSX still reaches nothing' '
	jsx_app r9c &&
	cat >src/App.tsx <<-\EOF &&
	function Help() { return <p>Drop your files into uploads/*</p>; }
	/* const Upload = lazy(() => import("./pages/Upload")); */
	export default function App() { return <Help />; }
	EOF
	git add -A && expect_code 1 git commit -qm "upload page" &&
	contains "$TRASH/stderr" "src/pages/Upload.tsx: added, but no route reaches it: no import of it is found in the source files this change adds or modifies"
'

test_expect_success 'a type-only import does not make a component reachable' '
	app_repo r10 &&
	echo "export type T = 1; export default 1" >src/components/Typed.tsx &&
	echo "import type { T } from \"../components/Typed\"" >>src/product/App.tsx &&
	git add . && expect_code 1 git commit -qm typed &&
	contains "$TRASH/stderr" "src/components/Typed.tsx: added, but no route reaches it: src/product/App.tsx imports it with import type only, which is erased at compile time" &&
	echo "import type { T } from \"../components/Typed\"" >src/pages/home/index.tsx &&
	echo "export default function Home() { return <p>home</p> }" >>src/pages/home/index.tsx &&
	git add . && expect_code 1 git commit -qm typed2 &&
	contains "$TRASH/stderr" "src/product/App.tsx imports it with import type only"
'

test_expect_success 'an import type written import("...") (typeof import, import(...).Props) does not make a component reachable' '
	app_repo r10i &&
	echo "export type Props = { a: 1 }; export default function Chart() { return null }" >src/components/Chart.tsx &&
	echo "export default function Gauge() { return null }" >src/components/Gauge.tsx &&
	printf "%s\n" "type ChartProps = import(\"../components/Chart\").Props" \
		"let gauge: typeof import(\"@/components/Gauge\")" >>src/product/App.tsx &&
	git add . && expect_code 1 git commit -qm "typed charts" &&
	contains "$TRASH/stderr" "src/components/Chart.tsx: added, but no route reaches it: src/product/App.tsx imports it with import type only" &&
	contains "$TRASH/stderr" "src/components/Gauge.tsx: added, but no route reaches it: src/product/App.tsx imports it with import type only" &&
	printf "%s\n" "const Chart = lazy(() => import(\"../components/Chart\").then((m) => ({ default: m.default })))" \
		"const Gauge = lazy(() => import(\"@/components/Gauge\"))" >>src/product/App.tsx &&
	git add . && git commit -qm "route the charts"
'

test_expect_success 'import type X = require(...) does not make a component reachable; import X = require(...) does' '
	app_repo r10r &&
	echo "export = { a: 1 }" >src/components/Legacy.ts &&
	printf "%s\n" "import type Legacy = require(\"../components/Legacy\")" >>src/product/App.tsx &&
	git add . && expect_code 1 git commit -qm "legacy types" &&
	contains "$TRASH/stderr" "src/components/Legacy.ts: added, but no route reaches it: src/product/App.tsx imports it with import type only" &&
	printf "%s\n" "import LegacyRun = require(\"../components/Legacy\")" >>src/product/App.tsx &&
	git add . && git commit -qm "legacy, run"
'

test_expect_success 'tests and stories stand alone by default; exclude= replaces the list' '
	app_repo r11 &&
	mkdir -p src/components/__tests__ &&
	for f in Feed.test.tsx Feed.spec.ts Feed.stories.tsx __tests__/x.tsx types.d.ts; do
		echo "export {}" >src/components/$f
	done &&
	echo "body {}" >src/components/feed.css && echo "x" >src/components/logo.svg &&
	git add . && git commit -qm "stand-alone files" &&
	printf "exclude = *.stories.tsx\n" >>.repoguard.ini && git add .repoguard.ini && git commit -qm cfg &&
	echo "export {}" >src/components/Card.test.tsx && git add . &&
	expect_code 1 git commit -qm test &&
	contains "$TRASH/stderr" "src/components/Card.test.tsx: added"
'

test_expect_success 'no root yet: nothing is checked, and the report says so' '
	new_repo r12 && cd r12 && printf "%s" "$ROUTES_INI" >.repoguard.ini &&
	mkdir -p src/components && echo "export {}" >src/components/A.tsx &&
	git add . && git commit -qm "no router yet" 2>err &&
	contains err "routes: no root (src/product/App.tsx) exists yet; routing not checked"
'

test_expect_success 'deleting or renaming the router away fails; renaming it with roots= passes' '
	app_repo r12b &&
	git mv src/product/App.tsx src/product/Router.tsx &&
	expect_code 1 git commit -qm "rename the router" &&
	contains "$TRASH/stderr" "error[routes] src/product/App.tsx: the routing root is renamed to src/product/Router.tsx, which [routes] roots does not name" &&
	contains "$TRASH/stderr" "roots = src/product/Router.tsx" &&
	lacks "$TRASH/stderr" "exists yet" &&
	sed -i "s|^roots = src/product/App.tsx|roots = src/product/Router.tsx|" .repoguard.ini &&
	git add .repoguard.ini && git commit -qm "rename the router, and roots=" &&
	expect_code 0 "$RG" ci --base HEAD~1 &&
	git rm -q src/product/Router.tsx &&
	expect_code 1 git commit -qm "delete the router" &&
	contains "$TRASH/stderr" "error[routes] src/product/Router.tsx: the routing root is deleted" &&
	contains "$TRASH/stderr" "git restore --staged --worktree --source=HEAD -- src/product/Router.tsx" &&
	git commit -q --no-verify -m "delete the router (unchecked)" &&
	echo "export {}" >src/components/B.tsx && git add src/components/B.tsx &&
	git commit -qm "no router any more" 2>err &&
	contains err "exists yet"
'

test_expect_success 'configuration errors fail closed naming file:line' '
	new_repo r13 && cd r13 && echo a >a && git add a &&
	printf "[routes]\nroots = src/*.tsx\n" >.repoguard.ini &&
	expect_code 3 "$RG" pre-commit &&
	contains "$TRASH/stderr" ".repoguard.ini:2: roots= takes file paths, not patterns: '"'"'src/*.tsx'"'"'" &&
	printf "[routes]\nroots = src/App.tsx\naliases = @/src/\n" >.repoguard.ini &&
	expect_code 3 "$RG" pre-commit &&
	contains "$TRASH/stderr" ".repoguard.ini:3: aliases= takes PREFIX=PATH pairs" &&
	printf "[routes]\ncomponents = src/**\n" >.repoguard.ini &&
	expect_code 3 "$RG" pre-commit &&
	contains "$TRASH/stderr" ".repoguard.ini:2: [routes] needs roots=" &&
	printf "[routes]\ncomponents = src/**\nseverity = off\n" >.repoguard.ini &&
	"$RG" pre-commit &&
	printf "[routes]\nroots = src/App.tsx\nroot = x\n" >.repoguard.ini &&
	expect_code 3 "$RG" pre-commit &&
	contains "$TRASH/stderr" ".repoguard.ini:3: unknown key"
'

# gen_tree N: N components in 20 folders, each behind an index.ts barrel the
# router imports; every component imports its neighbour (and the first one
# the last of the previous folder), so there are cycles through barrels too.
gen_tree() {
	mkdir -p src/product &&
	: >src/product/App.tsx &&
	per=$(($1 / 20)) d=0 &&
	while [ $d -lt 20 ]; do
		mkdir -p src/components/d$d &&
		echo "import * as D$d from \"@/components/d$d\"" >>src/product/App.tsx &&
		i=0 && : >src/components/d$d/index.ts &&
		while [ $i -lt $per ]; do
			n=$(( (i + 1) % per )) &&
			printf "import { C%s } from \"./C%s\"\nimport * as prev from \"../d%s\"\nexport const C%s = () => <C%s />\n" \
				$n $n $(( (d + 19) % 20 )) $i $n >src/components/d$d/C$i.tsx &&
			echo "export * from \"./C$i\"" >>src/components/d$d/index.ts &&
			i=$((i + 1))
		done &&
		d=$((d + 1))
	done
}

test_expect_success 'a 2,000-file component tree' '
	new_repo r14 && cd r14 && printf "%s" "$ROUTES_INI" >.repoguard.ini &&
	gen_tree 2000 &&
	test "$(find src/components -name "C*.tsx" | wc -l)" = 2000 &&
	git add . && git commit -qm "2,000 components, all reachable" &&
	echo "export const Stray = 1" >src/components/d7/Stray.tsx &&
	echo "export const Leaf = 1" >src/components/d13/Leaf.tsx &&
	echo "import { Leaf } from \"./Leaf\"" >>src/components/d13/C50.tsx &&
	git add . && expect_code 1 git commit -qm "one stray, one leaf" &&
	contains "$TRASH/stderr" "src/components/d7/Stray.tsx: added, but no route reaches it" &&
	lacks "$TRASH/stderr" "Leaf" &&
	test "$(grep -c "error\[routes\]" "$TRASH/stderr")" = 1 &&
	git rm -q --cached src/components/d7/Stray.tsx && git commit -qm leaf &&
	git rm -q src/components/d3/C10.tsx &&
	expect_code 1 git commit -qm "delete one" &&
	contains "$TRASH/stderr" "src/components/d3/C9.tsx:1: imports '"'"'./C10'"'"' (src/components/d3/C10.tsx), which this commit deletes" &&
	contains "$TRASH/stderr" "src/components/d3/index.ts:11: imports '"'"'./C10'"'"'" &&
	test "$(grep -c "error\[routes\]" "$TRASH/stderr")" = 2
'

# merge_repo DIR: feature adds LiveFeed and routes it in App.tsx; main edits
# the same line of App.tsx, so merging conflicts there.
merge_repo() {
	app_repo "$1" &&
	git checkout -qb feature &&
	echo "export default function LiveFeed() { return <i /> }" >src/components/LiveFeed.tsx &&
	sed -i "s|^import Home from .*|import Home from \"@/pages/home\"\nimport LiveFeed from \"@/components/LiveFeed\"|" \
		src/product/App.tsx &&
	git add . && git commit -qm "LiveFeed, routed" &&
	git checkout -q main &&
	sed -i "s|^import Home from .*|import Home from \"../pages/home\"|" src/product/App.tsx &&
	git commit -qam "relative import" &&
	expect_code 1 git merge -q feature
}

test_expect_success 'a merge whose resolution drops the route of a component one side added fails' '
	merge_repo r-merge &&
	git checkout -q --ours src/product/App.tsx && git add src/product/App.tsx &&
	expect_code 1 git commit -qm "merge feature, App.tsx as main has it" &&
	contains "$TRASH/stderr" "error[routes] src/components/LiveFeed.tsx: routed in $(git rev-parse feature | cut -c1-12), a parent of this merge, but no route reaches it after the merge: src/product/App.tsx imports it there, not here" &&
	contains "$TRASH/stderr" "restore the import of src/components/LiveFeed.tsx in src/product/App.tsx" &&
	git commit -q --no-verify -m "merge (unchecked)" &&
	expect_code 1 "$RG" ci --base HEAD~1 &&
	contains "$TRASH/stdout" "error[routes] $(git rev-parse HEAD | cut -c1-12):src/components/LiveFeed.tsx: routed in" &&
	git reset -q --hard HEAD~1 &&
	expect_code 1 git merge -q feature &&
	git checkout -q --theirs src/product/App.tsx && git add src/product/App.tsx &&
	git commit -qm "merge feature, its App.tsx" 2>err &&
	lacks err "routes"
'

test_expect_success 'the same from the other side: merging main into the branch that added it' '
	merge_repo r-merge2 && git merge --abort &&
	git checkout -q feature &&
	expect_code 1 git merge -q main &&
	git checkout -q --theirs src/product/App.tsx && git add src/product/App.tsx &&
	expect_code 1 git commit -qm "merge main, App.tsx as main has it" &&
	contains "$TRASH/stderr" "error[routes] src/components/LiveFeed.tsx: routed in $(git rev-parse feature | cut -c1-12), a parent of this merge" &&
	git checkout -q feature -- src/product/App.tsx &&
	git commit -qm "merge main, keeping the route" 2>err &&
	lacks err "routes"
'

test_expect_success 'ci: the split commit fails, the routing commit passes, per commit' '
	app_repo r15 && git checkout -qb feature &&
	split_component && git commit -q --no-verify -m "split (unchecked)" && split=$(git rev-parse HEAD) &&
	sed -i -e "s|^import EmotionalLiveFeed.*|import Pulse from \"@/pages/pulse\"|" \
		-e "s|<EmotionalLiveFeed />|<Pulse />|" src/product/App.tsx &&
	git add src/product/App.tsx && git commit -q --no-verify -m "route /pulse" &&
	expect_code 1 "$RG" ci --base main &&
	contains "$TRASH/stdout" "error[routes] $(echo $split | cut -c1-12):src/components/LiveEmotionalFeed.tsx: added, but no route reaches it: it is imported by src/pages/pulse/index.tsx, which no route reaches; src/product/App.tsx routes /pulse to EmotionalLiveFeed" &&
	test "$(grep -c "error\[routes\]" "$TRASH/stdout")" = 3 &&
	"$RG" ci --base HEAD~1
'

test_expect_success 'pre-push refuses the split commit; pre-receive on a server too' '
	git init -q --bare srv.git && (cd srv.git && "$RG" install --server >/dev/null) &&
	app_repo r16 && git remote add origin "file://$TRASH/srv.git" &&
	git push -q --no-verify origin main &&
	split_component && git commit -q --no-verify -m split &&
	expect_code 1 git push origin main &&
	contains "$TRASH/stderr" "src/components/PulseHeader.tsx: added, but no route reaches it" &&
	expect_code 1 git push --no-verify origin main &&
	contains "$TRASH/stderr" "remote: error[routes]" &&
	contains "$TRASH/stderr" "pre-receive hook declined" &&
	sed -i -e "s|<EmotionalLiveFeed />|<Pulse />|" src/product/App.tsx &&
	echo "import Pulse from \"@/pages/pulse\"" >>src/product/App.tsx &&
	git add src/product/App.tsx && git commit -q --amend --no-verify -m "split, routed" &&
	git push -q origin main &&
	test "$(git -C ../srv.git rev-parse main)" = "$(git rev-parse main)"
'

test_expect_success 'repoguard never writes to the repository' '
	cd r1 && split_component &&
	echo "export default 9" >src/components/Z.tsx && git add src/components/Z.tsx &&
	repo_state . >"$TRASH/before" &&
	expect_code 1 "$RG" pre-commit &&
	repo_state . >"$TRASH/after" &&
	cmp "$TRASH/before" "$TRASH/after"
'

test_done

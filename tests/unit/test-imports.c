/* test-imports.c: the JS/TS import parser, the masking lexer, resolution and routes. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "repoguard/buf.h"
#include "repoguard/common.h"
#include "repoguard/imports.h"

static rg_import_parser *parser;

static int setup(void **state)
{
	(void)state;
	return rg_import_parser_new(&parser);
}

static int teardown(void **state)
{
	(void)state;
	rg_import_parser_free(parser);
	return 0;
}

/* Parse src (a file of dialect flags) and render "kind:spec:line[:type]" joined by spaces. */
static char *parse(const char *src, unsigned int flags)
{
	static const char *const kinds[] = { "?", "from", "export", "side", "dynamic", "require" };
	rg_import_list l = { 0 };
	rg_buf b = RG_BUF_INIT;
	size_t i;

	assert_int_equal(rg_import_parse(&l, parser, src, strlen(src), flags), 0);
	for (i = 0; i < l.n; i++)
		rg_buf_printf(&b, "%s%s:%s:%d%s", i ? " " : "", kinds[l.v[i].kind], l.v[i].spec,
			l.v[i].line, l.v[i].type_only ? ":type" : "");
	rg_import_list_free(&l);
	rg_buf_puts(&b, "");
	return rg_buf_detach(&b);
}

/* As a .tsx / .jsx / .js file, and (EXPECT_TS) as a .ts file. */
#define EXPECT_AS(flags, src, want) do { \
	char *got_ = parse(src, flags); \
	assert_string_equal(got_, want); \
	free(got_); \
} while (0)
#define EXPECT(src, want) EXPECT_AS(RG_JS_JSX, src, want)
#define EXPECT_TS(src, want) EXPECT_AS(0, src, want)

static void test_static_forms(void **state)
{
	(void)state;
	EXPECT("import React from 'react';", "from:react:1");
	EXPECT("import { a, b as c } from \"./x\"", "from:./x:1");
	EXPECT("import * as ns from './ns'", "from:./ns:1");
	EXPECT("import D, { e } from '@/lib/e'", "from:@/lib/e:1");
	EXPECT("import{a}from'./min'", "from:./min:1");
	EXPECT("import './side.css'\nimport\"./side2\"", "side:./side.css:1 side:./side2:2");
	EXPECT("export { default } from './Feed'\nexport * from './all'\nexport * as n from './n'",
		"export:./Feed:1 export:./all:2 export:./n:3");
	EXPECT("export const x = 1; export function f() {}\nexport default App", "");
	/* a byte-order mark and CRLF line ends */
	EXPECT("\xEF\xBB\xBFimport A from './bom'\r\nimport B from './crlf'\r\n", "from:./bom:1 from:./crlf:2");
	/* an import keyword is never paired with a later statement's from */
	EXPECT("import a\nimport b from './b'", "from:./b:2");
	EXPECT("export default x\nlet y = from\n'./no'", "");
}

static void test_multiline(void **state)
{
	(void)state;
	EXPECT("import {\n  A,\n  B, // the B\n  /* C, */ D,\n} from\n  './multi';\nimport x from './after'",
		"from:./multi:6 from:./after:7");
	EXPECT("export {\n  a,\n  b\n} from './re'", "export:./re:4");
}

static void test_type_imports(void **state)
{
	(void)state;
	EXPECT("import type { T } from './types'", "from:./types:1:type");
	EXPECT("import type T from './t'", "from:./t:1:type");
	EXPECT("import type * as N from './n'", "from:./n:1:type");
	EXPECT("export type { T } from './types'", "export:./types:1:type");
	/* a default import that happens to be called "type" */
	EXPECT("import type from './type'", "from:./type:1");
	EXPECT("import type, { x } from './type2'", "from:./type2:1");
	/* inline type modifiers keep the import */
	EXPECT("import { type A, b } from './mixed'", "from:./mixed:1");
	EXPECT("export type X = { a: string }\nexport type { Y }", "");
	/* import types: import('...') in a type, which a promise's members are not */
	EXPECT_TS("type P = import('./props').Props", "dynamic:./props:1:type");
	EXPECT_TS("let m: typeof import('./mod')", "dynamic:./mod:1:type");
	EXPECT("function f(p: import(\"./p\") . Props<X>) {}", "dynamic:./p:1:type");
	EXPECT("const typeofx = 1; import('./run')", "dynamic:./run:1");
	EXPECT("lazy(() => import('./a').then(m => ({ default: m.A })))", "dynamic:./a:1");
	EXPECT("import('./b')\n  .catch(e => e)", "dynamic:./b:1");
	EXPECT("import('./c', { with: { type: 'json' } }).x", "dynamic:./c:1");
	EXPECT("const d = [import('./d')]...rest", "dynamic:./d:1");
	/* import type X = require(...) is erased too; import X = require(...) is not */
	EXPECT_TS("import type Cfg = require('./cfg')", "require:./cfg:1:type");
	EXPECT_TS("import Cfg = require('./cfg2')", "require:./cfg2:1");
	EXPECT_TS("const type = 1; let x = require('./cfg3')", "require:./cfg3:1");
}

static void test_dynamic_and_require(void **state)
{
	(void)state;
	EXPECT("const P = React.lazy(() => import('./pages/Pulse'))", "dynamic:./pages/Pulse:1");
	EXPECT("const Q = lazy(async () => await import(\n  \"./pages/Q\"\n))", "dynamic:./pages/Q:2");
	EXPECT("import('./x', { with: { type: 'json' } })", "dynamic:./x:1");
	EXPECT("const r = require('./r'); const s = require ( \"./s\" )", "require:./r:1 require:./s:1");
	EXPECT("import fs = require('./ts-eq')", "require:./ts-eq:1");
	EXPECT("const t = import(`./tpl`)", "dynamic:./tpl:1");
	/* not resolvable: skipped */
	EXPECT("const u = import(`./pages/${name}`)", "");
	EXPECT("const v = import('./a' + b)", "");
	EXPECT("require.resolve('./no'); obj.require('./no'); x.import('./no')", "");
	EXPECT("const url = import.meta.url; const e = import.meta.env.X", "");
}

static void test_comments_are_not_imports(void **state)
{
	(void)state;
	EXPECT("// import A from './a'\n/* import B from './b' */\nimport C from './c'", "from:./c:3");
	EXPECT("/*\n import('./d')\n require('./e')\n*/ import './f'", "side:./f:4");
	EXPECT("#!/usr/bin/env node import('./g')\nrequire('./h')", "require:./h:2");
	EXPECT("x = 1 // trailing import('./i')\ny = require('./j')", "require:./j:2");
	EXPECT("/** @example import K from './k' */", "");
}

static void test_strings_are_not_imports(void **state)
{
	(void)state;
	EXPECT("const s = \"import A from './a'\"; const t = 'require(\"./b\")'", "");
	EXPECT("const u = 'it\\'s import(\"./c\")'; import('./d')", "dynamic:./d:1");
	EXPECT("const v = \"a \\\" import('./e') \\\"\"", "");
	EXPECT("const w = `\nimport X from './x'\n`\nimport Y from './y'", "from:./y:4");
	/* code inside a template substitution is code */
	EXPECT("const z = `${await import('./z')}`", "dynamic:./z:1");
	EXPECT("const n = `a ${ `b ${ import('./nested') } c` } import('./not')`", "dynamic:./nested:1");
	EXPECT("const o = { a: `}` }; import('./after-brace')", "dynamic:./after-brace:1");
	/* an unterminated string ends at the line's end */
	EXPECT("const p = 'broken\nimport('./q')", "dynamic:./q:2");
}

static void test_regex_literals(void **state)
{
	(void)state;
	EXPECT("const re = /import\\('.\\/a'\\)/g; import('./b')", "dynamic:./b:1");
	EXPECT("const re2 = /[/'\"]/; import('./c')", "dynamic:./c:1");
	EXPECT("const q = a / b; const w = c / d; import('./d')", "dynamic:./d:1");
	EXPECT("if (x) return /'/.test(y)\nrequire('./e')", "require:./e:2");
}

static void test_jsx(void **state)
{
	(void)state;
	EXPECT("const A = () => <p>Don't panic</p>\nconst B = lazy(() => import('./B'))",
		"dynamic:./B:2");
	EXPECT("export default () => <div>data from \"./x\" here</div>", "");
}

/* The import on the line after the JSX is seen: nothing in the JSX text hid it. */
#define AFTER "\nconst U = lazy(() => import('./pages/Upload'))"
#define SEEN(n) "dynamic:./pages/Upload:" #n

static void test_jsx_text_is_not_code(void **state)
{
	(void)state;
	/* the QA report: a slash-star in text was a block comment to the end of the file */
	EXPECT("function Help() { return <p>Drop your files into uploads/*</p>; }" AFTER, SEEN(2));
	EXPECT("const a = <p>a // b</p>" AFTER, SEEN(2));
	EXPECT("const a = <p>run `make` first</p>" AFTER, SEEN(2));
	EXPECT("const a = <p>say \"hi</p>" AFTER, SEEN(2));
	EXPECT("const a = <p>it's /[a-z/ ok</p>" AFTER, SEEN(2));
	/* over several lines, nested, fragments, self-closing tags */
	EXPECT("return (\n  <div>\n    <p>see docs/*\n    and more</p>\n    <br />\n"
		"    <>frag ` text</>\n  </div>\n)" AFTER, SEEN(9));
	EXPECT("const a = <ul>{items.map(i => <li key={i}>{i} /* not closed</li>)}</ul>" AFTER, SEEN(2));
	EXPECT("x = cond ? <A.B a:b=\"1\" /> : <my-el>/*</my-el>" AFTER, SEEN(2));
	EXPECT("f(<Select<Option> value={v}>pick /* one</Select>)" AFTER, SEEN(2));
	EXPECT("ok && <p>/*</p>; ok || <p>/*</p>; [<p key=\"1\">/*</p>]" AFTER, SEEN(2));
	/* a '{' in text via {'{'} and comments in {...} are code */
	EXPECT("const a = <p>{'{'} /* {'}'}</p>" AFTER, SEEN(2));
	EXPECT("const a = <p>{/* import('./c1') */}</p>\nconst b = <p>{import('./d1')}</p>",
		"dynamic:./d1:2");
	/* attribute strings and expressions */
	EXPECT("const a = <a href=\"https://x/*\" title='it`s' on={() => f(\"*/\")}>x</a>" AFTER, SEEN(2));
	EXPECT("const a = <div {...props} a={{ b: `/*` }}>/*</div>" AFTER, SEEN(2));
	EXPECT("const a = <div a={<b>/*</b>}>c</div>" AFTER, SEEN(2));
	EXPECT("const a = <p title=\"import('./t1')\">x</p>", "");
	/* JSX in a template substitution, a template in JSX */
	EXPECT("const a = `${<p>/*</p>}`" AFTER, SEEN(2));
	EXPECT("const a = <p>{`${x}`}/*</p>" AFTER, SEEN(2));
}

static void test_jsx_not_elements(void **state)
{
	(void)state;
	/* comparisons and generics are no elements */
	EXPECT("if (a <b && c > d) x = '/*'" AFTER, SEEN(2));
	EXPECT("const n = i-- <n; const s = '/*'" AFTER, SEEN(2));
	EXPECT("const s = Array<string>(3); let m = a<b>c; const t = '/*'" AFTER, SEEN(2));
	EXPECT("const r = useRef<HTMLDivElement>(null); // <p>" AFTER, SEEN(2));
	/* TypeScript generic arrows in .tsx */
	EXPECT("const f = <T,>(x: T) => x; /* import('./c2') */" AFTER, SEEN(2));
	EXPECT("const g = <T extends object>(x: T) => x; /* import('./c3') */" AFTER, SEEN(2));
	/* a generic function type reads as an element that never closes: lexed as code */
	EXPECT("type F = <T>(x: T) => T; /* import('./c4') */" AFTER, SEEN(2));
	EXPECT("type G = <T>(\n  x: T,\n) => T; /* import('./c5') */" AFTER, SEEN(4));
	EXPECT("interface I {\n  <T>(x: T): T; // import('./c6')\n}" AFTER, SEEN(4));
	/* ... while an element followed by '(' that closes on its line is one */
	EXPECT("const a = <b>(note /*)</b>" AFTER, SEEN(2));
	EXPECT("const a = <div>\n  <b>(note /*\n  more)</b>\n</div>" AFTER, SEEN(5));
	/* a tag that breaks is code from there on */
	EXPECT("const a = <p x=\"1\n\" /* c */ y>text</p>" AFTER, SEEN(3));
	/* .ts: '<' is never an element (type assertions) */
	EXPECT_TS("const a = <any>x; const b = '/*'" AFTER, SEEN(2));
	EXPECT_TS("const a = <p>/*</p>" AFTER, "");
	/* a '<' that opens nothing in text is text */
	EXPECT("const a = <p>a < b /*</p>" AFTER, SEEN(2));
}

static void test_mask_keeps_offsets(void **state)
{
	const char *src = "a // c\nb = 'str'\n/* x\ny */ `t${u}v`";
	size_t n = strlen(src);
	char *out = malloc(n);

	(void)state;
	rg_js_mask(out, src, n, 0);
	assert_memory_equal(out, "a     \nb = '   '\n    \n     ` ${u} `", n);
	rg_js_mask(out, src, n, RG_JS_JSX);
	assert_memory_equal(out, "a     \nb = '   '\n    \n     ` ${u} `", n);
	free(out);
}

static void test_base_and_candidates(void **state)
{
	rg_import_alias al[] = { { "@/", "src/" }, { "~", "app" } };
	rg_buf b = RG_BUF_INIT, c = RG_BUF_INIT;
	const char *want[] = {
		"src/x", "src/x.tsx", "src/x.ts", "src/x.jsx", "src/x.js", "", "",
		"src/x.mjs", "src/x.cjs", "src/x.mts", "src/x.cts", "src/x.json", "",
		"src/x/index.tsx", "src/x/index.ts", "src/x/index.jsx", "src/x/index.js",
		"src/x/index.mjs", "src/x/index.cjs", "src/x/index.mts", "src/x/index.cts", "src/x/index.json"
	};
	size_t i;

	(void)state;
	assert_int_equal(rg_import_base(&b, "src/pages/a.tsx", "./b", al, 2), 0);
	assert_string_equal(b.ptr, "src/pages/b");
	assert_int_equal(rg_import_base(&b, "src/pages/a.tsx", "../components/./C?raw", al, 2), 0);
	assert_string_equal(b.ptr, "src/components/C");
	assert_int_equal(rg_import_base(&b, "src/pages/a.tsx", "..", al, 2), 0);
	assert_string_equal(b.ptr, "src");
	assert_int_equal(rg_import_base(&b, "a.tsx", "../up", al, 2), RG_ENOTFOUND);
	assert_int_equal(rg_import_base(&b, "src/a.tsx", "@/lib/x", al, 2), 0);
	assert_string_equal(b.ptr, "src/lib/x");
	assert_int_equal(rg_import_base(&b, "src/a.tsx", "~/y", al, 2), 0);
	assert_string_equal(b.ptr, "app/y");
	assert_int_equal(rg_import_base(&b, "src/a.tsx", "~", al, 2), 0);
	assert_string_equal(b.ptr, "app");
	assert_int_equal(rg_import_base(&b, "src/a.tsx", "~other/z", al, 2), RG_ENOTFOUND);
	assert_int_equal(rg_import_base(&b, "src/a.tsx", "react", al, 2), RG_ENOTFOUND);
	assert_int_equal(rg_import_base(&b, "src/a.tsx", "@mui/material", al, 2), RG_ENOTFOUND);
	assert_int_equal(rg_import_base(&b, "src/a.tsx", ".hidden", al, 2), RG_ENOTFOUND);
	{
		/* one prefix with fallbacks (tsconfig paths: "@/" to src, else gen); longer prefixes first */
		rg_import_alias fb[] = { { "@/", "src/" }, { "@/ui/", "lib/ui/" }, { "@/", "gen/" } };

		assert_int_equal(rg_import_base_nth(&b, "a.tsx", "@/x", fb, 3, 0), 0);
		assert_string_equal(b.ptr, "src/x");
		assert_int_equal(rg_import_base_nth(&b, "a.tsx", "@/x", fb, 3, 1), 0);
		assert_string_equal(b.ptr, "gen/x");
		assert_int_equal(rg_import_base_nth(&b, "a.tsx", "@/x", fb, 3, 2), 1);
		assert_int_equal(rg_import_base_nth(&b, "a.tsx", "@/ui/B", fb, 3, 0), 0);
		assert_string_equal(b.ptr, "lib/ui/B");
		assert_int_equal(rg_import_base_nth(&b, "a.tsx", "@/ui/B", fb, 3, 1), 0);
		assert_string_equal(b.ptr, "src/ui/B");
		assert_int_equal(rg_import_base_nth(&b, "a.tsx", "@/ui/B", fb, 3, 2), 0);
		assert_string_equal(b.ptr, "gen/ui/B");
		assert_int_equal(rg_import_base_nth(&b, "a.tsx", "@/ui/B", fb, 3, 3), 1);
		assert_int_equal(rg_import_base_nth(&b, "src/a.tsx", "./b", fb, 3, 1), 1);
		assert_int_equal(rg_import_base_nth(&b, "src/a.tsx", "react", fb, 3, 0), RG_ENOTFOUND);
		assert_int_equal(rg_import_base_nth(&b, "src/a.tsx", "react", fb, 3, 1), 1);
	}
	{
		/* base_url: the empty prefix, tried last, says 2 (a package unless the file exists) */
		rg_import_alias bu[] = { { "@/", "src/" }, { "", "src" } };

		assert_int_equal(rg_import_base_nth(&b, "a.tsx", "components/F", bu, 2, 0), 2);
		assert_string_equal(b.ptr, "src/components/F");
		assert_int_equal(rg_import_base_nth(&b, "a.tsx", "components/F", bu, 2, 1), 1);
		assert_int_equal(rg_import_base_nth(&b, "a.tsx", "@/x", bu, 2, 0), 0);
		assert_string_equal(b.ptr, "src/x");
		assert_int_equal(rg_import_base_nth(&b, "a.tsx", "@/x", bu, 2, 1), 2);
		assert_string_equal(b.ptr, "src/@/x");
		assert_int_equal(rg_import_base_nth(&b, "src/a.tsx", "./b", bu, 2, 0), 0);
		assert_string_equal(b.ptr, "src/b");
	}
	for (i = 0; i < RG_ARRAY_SIZE(want); i++) {
		assert_int_equal(rg_import_candidate(&c, "src/x", i), 0);
		assert_string_equal(rg_buf_cstr(&c), want[i]);
	}
	assert_int_equal(rg_import_candidate(&c, "src/x", i), RG_ENOTFOUND);
	assert_int_equal(rg_import_candidate(&c, "src/y.js", 5), 0);
	assert_string_equal(c.ptr, "src/y.ts");
	assert_int_equal(rg_import_candidate(&c, "src/y.js", 6), 0);
	assert_string_equal(c.ptr, "src/y.tsx");
	assert_int_equal(rg_import_candidate(&c, "src/y.mjs", 12), 0);
	assert_string_equal(c.ptr, "src/y.mts");
	assert_int_equal(rg_import_candidate(&c, "src/y.cjs", 12), 0);
	assert_string_equal(c.ptr, "src/y.cts");
	assert_true(rg_import_is_source("a/b.tsx"));
	assert_true(rg_import_is_source("b.mjs"));
	assert_false(rg_import_is_source("b.css"));
	assert_false(rg_import_is_source("tsx"));
	rg_buf_dispose(&b);
	rg_buf_dispose(&c);
}

static void test_routes(void **state)
{
	const char *app =
		"import EmotionalLiveFeed from './components/EmotionalLiveFeed'\n"
		"export default function App() {\n"
		"  return <Routes>\n"
		"    <Route path=\"/\" element={<Home />} />\n"
		"    <Route path=\"/pulse\" element={<EmotionalLiveFeed />} />\n"
		"    <Route element={<Settings/>} path='/settings' />\n"
		"    <Route path={\"/old\"} component={Old} />\n"
		"    {/* <Route path=\"/gone\" element={<Gone />} /> */}\n"
		"  </Routes>\n"
		"}\n"
		"const router = createBrowserRouter([{ path: '/data', element: <Data /> }])\n";
	rg_route_list l = { 0 };

	(void)state;
	assert_int_equal(rg_route_parse(&l, parser, app, strlen(app), RG_JS_JSX), 0);
	assert_int_equal(l.n, 5);
	assert_string_equal(l.v[0].path, "/");
	assert_string_equal(l.v[0].target, "Home");
	assert_string_equal(l.v[1].path, "/pulse");
	assert_string_equal(l.v[1].target, "EmotionalLiveFeed");
	assert_int_equal(l.v[1].line, 5);
	assert_string_equal(l.v[2].path, "/settings");
	assert_string_equal(l.v[2].target, "Settings");
	assert_string_equal(l.v[3].path, "/old");
	assert_string_equal(l.v[3].target, "Old");
	assert_string_equal(l.v[4].path, "/data");
	assert_string_equal(l.v[4].target, "Data");
	rg_route_list_free(&l);
}

static void test_binary_garbage(void **state)
{
	char buf[4096];
	rg_import_list l = { 0 };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (char)((i * 7919u) ^ (i >> 3));
	memcpy(buf + 100, "import('./ok')", 14);
	buf[99] = ';';
	assert_int_equal(rg_import_parse(&l, parser, buf, sizeof(buf), RG_JS_JSX), 0);
	rg_import_list_free(&l);
	assert_int_equal(rg_import_parse(&l, parser, buf, sizeof(buf), 0), 0);
	rg_import_list_free(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_static_forms),
		cmocka_unit_test(test_multiline),
		cmocka_unit_test(test_type_imports),
		cmocka_unit_test(test_dynamic_and_require),
		cmocka_unit_test(test_comments_are_not_imports),
		cmocka_unit_test(test_strings_are_not_imports),
		cmocka_unit_test(test_regex_literals),
		cmocka_unit_test(test_jsx),
		cmocka_unit_test(test_jsx_text_is_not_code),
		cmocka_unit_test(test_jsx_not_elements),
		cmocka_unit_test(test_mask_keeps_offsets),
		cmocka_unit_test(test_base_and_candidates),
		cmocka_unit_test(test_routes),
		cmocka_unit_test(test_binary_garbage),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

/*
 * test-content.c: the line rules (secrets.*, content.*, conflict) through
 * the shared scan: positive and negative examples for every built-in,
 * redaction, allow comments, binary files, CRLF, UTF-16, added-lines-only, config.
 * Sample secrets are generated at run time, so none sits in this file.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "repoguard/buf.h"
#include "repoguard/config.h"
#include "repoguard/content.h"
#include "repoguard/rule.h"

typedef struct {
	rg_conf conf;
	rg_ctx ctx;
	rg_findings f;
} fx;

static void fx_init(fx *x, const char *extra)
{
	rg_conf_init(&x->conf);
	rg_conf_parse_string(&x->conf, rg_default_rules, strlen(rg_default_rules), "rules.ini");
	if (extra) {
		rg_conf_new_layer(&x->conf);
		rg_conf_parse_string(&x->conf, extra, strlen(extra), "test.ini");
	}
	rg_rules_validate(&x->conf);
	if (x->conf.nerrors)
		fail_msg("config errors: %s", rg_buf_cstr(&x->conf.errors));
	assert_int_equal(rg_ctx_init(&x->ctx, NULL, &x->conf, RG_MODE_PRE_COMMIT, "pre-commit"), 0);
	if (rg_engine_configure(&x->ctx) < 0)
		fail_msg("configure: %s", rg_buf_cstr(&x->conf.errors));
	rg_findings_init(&x->f);
}

static void fx_free(fx *x)
{
	rg_findings_free(&x->f);
	rg_engine_free(&x->ctx);
	rg_ctx_free(&x->ctx);
	rg_conf_free(&x->conf);
}

static size_t fx_scan(fx *x, const char *path, const char *text, size_t len)
{
	rg_findings_free(&x->f);
	rg_findings_init(&x->f);
	assert_int_equal(rg_content_check_text(&x->f, &x->ctx, NULL, path, text, len), 0);
	return x->f.n;
}

static size_t fx_line(fx *x, const char *line)
{
	return fx_scan(x, "src/app.js", line, strlen(line));
}

static const rg_finding *fx_find(const fx *x, const char *rule)
{
	size_t i;

	for (i = 0; i < x->f.n; i++)
		if (!strcmp(x->f.v[i].rule, rule))
			return &x->f.v[i];
	return NULL;
}

static int fx_info(const fx *x, const char *needle)
{
	size_t i;

	for (i = 0; i < x->f.ninfos; i++)
		if (strstr(x->f.infos[i], needle))
			return 1;
	return 0;
}

/* Deterministic pseudo-random token: prefix + n characters of alphabet. */
static char *tok(const char *prefix, size_t n, const char *alphabet, unsigned seed)
{
	size_t al = strlen(alphabet), pl = strlen(prefix), i;
	char *s = malloc(pl + n + 1);

	memcpy(s, prefix, pl);
	for (i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		s[pl + i] = alphabet[(seed >> 16) % al];
	}
	s[pl + n] = '\0';
	return s;
}

#define UPPER_DIGITS "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
#define ALNUM "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
#define B64 ALNUM "+/"
#define B64URL ALNUM "-_"

/* line must give exactly one finding of rule, whose message does not reveal secret. */
static void expect_hit(fx *x, const char *rule, const char *line, const char *secret)
{
	const rg_finding *f;

	fx_line(x, line);
	f = fx_find(x, rule);
	if (!f)
		fail_msg("no %s finding for: %s", rule, line);
	assert_int_equal(f->line, 1);
	assert_string_equal(f->path, "src/app.js");
	if (secret && strstr(f->message, secret))
		fail_msg("%s reveals the secret: %s", rule, f->message);
	if (secret && !strchr(f->message, '*'))
		fail_msg("%s is not redacted: %s", rule, f->message);
}

static void expect_none(fx *x, const char *line)
{
	if (fx_line(x, line))
		fail_msg("unexpected %s finding for: %s", x->f.v[0].rule, line);
}

static char *fmt(const char *f, ...)
{
	va_list ap;
	char *s;

	va_start(ap, f);
	s = rg_vprintf(f, ap);
	va_end(ap);
	return s;
}

static void hit_fmt(fx *x, const char *rule, const char *secret, const char *f)
{
	char *line = fmt(f, secret);

	expect_hit(x, rule, line, secret);
	free(line);
}

static void none_fmt(fx *x, const char *f, const char *arg)
{
	char *line = fmt(f, arg);

	expect_none(x, line);
	free(line);
}

static void test_private_key(void **state)
{
	fx x;
	char *body = tok("MIIEvQIBADANBgkq", 48, B64, 1);

	(void)state;
	fx_init(&x, NULL);
	expect_hit(&x, "secrets.private-key", "-----BEGIN RSA PRIVATE KEY-----", NULL);
	expect_hit(&x, "secrets.private-key", "-----BEGIN OPENSSH PRIVATE KEY-----   ", NULL);
	expect_hit(&x, "secrets.private-key", "-----BEGIN PGP PRIVATE KEY BLOCK-----", NULL);
	expect_hit(&x, "secrets.private-key", "-----BEGIN ENCRYPTED PRIVATE KEY-----", NULL);
	hit_fmt(&x, "secrets.private-key", body, "  \"private_key\": \"-----BEGIN PRIVATE KEY-----\\n%s\",");
	/* the key material right after the header, newlines stripped (env variables, CI settings) */
	hit_fmt(&x, "secrets.private-key", body, "PRIVATE_KEY=-----BEGIN RSA PRIVATE KEY-----%s-----END RSA PRIVATE KEY-----");
	expect_none(&x, "-----BEGIN PUBLIC KEY-----");
	expect_none(&x, "-----BEGIN CERTIFICATE-----");
	expect_none(&x, "const HEADER = \"-----BEGIN RSA PRIVATE KEY-----\";");
	free(body);
	fx_free(&x);
}

static void test_aws(void **state)
{
	fx x;
	char *id = tok("AKIA", 16, UPPER_DIGITS, 2), *sid = tok("ASIA", 16, UPPER_DIGITS, 3);
	char *sk = tok("", 40, B64, 4), *hex = tok("", 40, "0123456789abcdef", 5);
	char *short_id = tok("AKIA", 15, UPPER_DIGITS, 6), *long_id = tok("AKIA", 17, UPPER_DIGITS, 7);

	(void)state;
	fx_init(&x, NULL);
	hit_fmt(&x, "secrets.aws-access-key-id", id, "aws_access_key_id = %s");
	hit_fmt(&x, "secrets.aws-access-key-id", sid, "{\"AccessKeyId\": \"%s\"}");
	hit_fmt(&x, "secrets.aws-access-key-id", id, "curl 'https://x.test/?key=%s&y=1'");
	hit_fmt(&x, "secrets.aws-access-key-id", id, "keyId:%s");
	none_fmt(&x, "aws_access_key_id = %s", short_id);
	none_fmt(&x, "aws_access_key_id = %s", long_id);
	expect_none(&x, "aws_access_key_id = AKIAIOSFODNN7EXAMPLE");
	expect_none(&x, "aws_access_key_id = akiaabcdefghijklmnop");
	hit_fmt(&x, "secrets.aws-secret-key", sk, "aws_secret_access_key = %s");
	hit_fmt(&x, "secrets.aws-secret-key", sk, "  \"SecretAccessKey\": \"%s\",");
	hit_fmt(&x, "secrets.aws-secret-key", sk, "export AWS_SECRET_ACCESS_KEY='%s'");
	hit_fmt(&x, "secrets.aws-secret-key", sk, "secretKey => \"%s\"");
	hit_fmt(&x, "secrets.aws-secret-key", sk, "aws configure set aws_secret_access_key %s --profile prod");
	none_fmt(&x, "aws configure set aws_secret_access_key %s", hex);
	expect_none(&x, "aws configure set aws_secret_access_key wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
	none_fmt(&x, "key = \"%s\"", hex);
	expect_none(&x, "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
	none_fmt(&x, "key = \"%sA\"", sk);
	free(id); free(sid); free(sk); free(hex); free(short_id); free(long_id);
	fx_free(&x);
}

static void test_tokens(void **state)
{
	fx x;
	char *ghp = tok("ghp_", 36, ALNUM, 10), *ghs = tok("ghs_", 36, ALNUM, 11);
	char *pat = tok("github_pat_", 22, ALNUM, 12), *pat2 = tok("", 59, ALNUM, 13), *fine;
	char *glpat = tok("glpat-", 20, ALNUM "-_", 14), *slack = tok("xoxb-1234567890-1234567890123-", 24, ALNUM, 15);
	char *hook = tok("T0AB12CDE/B0FG34HIJ/", 24, ALNUM, 16), *stripe = tok("sk_live_", 24, ALNUM, 17);
	char *rk = tok("rk_test_", 24, ALNUM, 18), *pk = tok("pk_live_", 24, ALNUM, 19);
	char *short_gh = tok("ghp_", 35, ALNUM, 20), *short_gl = tok("glpat-", 10, ALNUM, 21);
	char *stripe_long = tok("sk_live_", 247, ALNUM, 22), *stripe_over = tok("sk_live_", 248, ALNUM, 23);
	char *sb = tok("sb_secret_", 31, B64URL, 24), *sbpub = tok("sb_publishable_", 31, B64URL, 25);

	(void)state;
	fine = fmt("%s_%s", pat, pat2);
	fx_init(&x, NULL);
	hit_fmt(&x, "secrets.github-token", ghp, "GITHUB_TOKEN=%s");
	hit_fmt(&x, "secrets.github-token", ghs, "auth: 'token %s'");
	hit_fmt(&x, "secrets.github-token", fine, "gh auth login --with-token <<< %s");
	none_fmt(&x, "x = %s", short_gh);
	expect_none(&x, "ghx_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	hit_fmt(&x, "secrets.gitlab-token", glpat, "CI_TOKEN: %s");
	none_fmt(&x, "CI_TOKEN: %s", short_gl);
	hit_fmt(&x, "secrets.slack-token", slack, "const slack = new WebClient(\"%s\");");
	expect_none(&x, "xoxq-1234567890-abcdef");
	{
		char *url = fmt("https://hooks.slack.com/services/%s", hook);

		hit_fmt(&x, "secrets.slack-webhook", hook, "webhook_url: https://hooks.slack.com/services/%s");
		expect_none(&x, "see https://hooks.slack.com/ for webhooks");
		free(url);
	}
	hit_fmt(&x, "secrets.stripe-key", stripe, "Stripe.apiKey = '%s';");
	hit_fmt(&x, "secrets.stripe-key", rk, "STRIPE=%s");
	/* keys of up to 255 characters, as Stripe documents (regression: 99 after the prefix at most) */
	hit_fmt(&x, "secrets.stripe-key", stripe_long, "STRIPE_SECRET_KEY=%s");
	none_fmt(&x, "blob = %s", stripe_over);
	none_fmt(&x, "const publishable = '%s';", pk);
	expect_none(&x, "sk_live_short");
	hit_fmt(&x, "secrets.supabase-key", sb, "SUPABASE_KEY=%s");
	hit_fmt(&x, "secrets.supabase-key", sb, "const admin = createClient(url, '%s');");
	none_fmt(&x, "const supabase = createClient(url, { apiKey: '%s' });", sbpub);
	none_fmt(&x, "NEXT_PUBLIC_SUPABASE_API_KEY=%s", sbpub);
	none_fmt(&x, "api_key = '%s'", pk);
	expect_none(&x, "sb_secret_access_token_name = 1");
	expect_none(&x, "SUPABASE_SECRET_KEY=sb_secret_YOUR_SUPABASE_SECRET_KEY");
	expect_none(&x, "SUPABASE_SECRET_KEY=sb_secret_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
	/* the Supabase CLI's fixed local key is public */
	expect_none(&x, "SERVICE_KEY=sb_secret_" "N7UND0UgjKTVK-Uodkm0Hg_xSvEMPvz");
	/* placeholders in the token's shape (.env.example, vendor docs) */
	expect_none(&x, "STRIPE_SECRET_KEY=sk_live_xxxxxxxxxxxxxxxxxxxxxxxx");
	expect_none(&x, "STRIPE_SECRET_KEY=sk_test_000000000000000000000000");
	expect_none(&x, "SLACK_WEBHOOK=https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX");
	expect_none(&x, "SLACK_BOT_TOKEN=xoxb-000000000000-0000000000000-xxxxxxxxxxxxxxxxxxxxxxxx");
	expect_none(&x, "GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
	expect_none(&x, "AWS_ACCESS_KEY_ID=AKIAXXXXXXXXXXXXXXXX");
	hit_fmt(&x, "secrets.stripe-key", "sk_live_4eC39HqLyjWDarjtT1zdp7dc", "STRIPE_SECRET_KEY=%s");
	free(ghp); free(ghs); free(pat); free(pat2); free(fine); free(glpat); free(slack);
	free(hook); free(stripe); free(rk); free(pk); free(short_gh); free(short_gl);
	free(stripe_long); free(stripe_over); free(sb); free(sbpub);
	fx_free(&x);
}

#define LETTERS "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"

/* Cloud and package keys (google-api-key, huggingface-token, pypi-token, azure-key). */
static void test_cloud_keys(void **state)
{
	fx x;
	char *g = tok("AIza", 35, B64URL, 60), *g_short = tok("AIza", 34, B64URL, 61);
	char *hf = tok("hf_", 34, LETTERS, 62), *hf_short = tok("hf_", 33, LETTERS, 63);
	char *pypi = tok("pypi-AgEIcHlwaS5vcmc", 60, B64URL, 64), *pypi_short = tok("pypi-AgEIcHlwaS5vcmc", 30, B64URL, 65);
	char *acct = tok("", 86, B64, 66), *sas = tok("", 43, B64, 67);

	(void)state;
	fx_init(&x, NULL);
	hit_fmt(&x, "secrets.google-api-key", g, "GOOGLE_API_KEY=%s");
	hit_fmt(&x, "secrets.google-api-key", g, "const genAI = new GoogleGenerativeAI(\"%s\");");
	none_fmt(&x, "x = \"%s\"", g_short);
	none_fmt(&x, "x = \"%sAb\"", g); /* inside a longer run */
	expect_none(&x, "apiKey: \"AIzaXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX\",");
	hit_fmt(&x, "secrets.huggingface-token", hf, "HF_TOKEN=%s");
	hit_fmt(&x, "secrets.huggingface-token", hf, "login(token=\"%s\")");
	none_fmt(&x, "t = \"%s\"", hf_short);
	none_fmt(&x, "t = \"%s1\"", hf);
	expect_none(&x, "path = hf_hub_download(repo_id=repo, filename=\"config.json\")");
	hit_fmt(&x, "secrets.pypi-token", pypi, "password = %s");
	hit_fmt(&x, "secrets.pypi-token", pypi, "TWINE_PASSWORD: ${{ secrets.PYPI }} # was %s");
	none_fmt(&x, "x = %s", pypi_short);
	expect_none(&x, "password = pypi-AgEIcHlwaS5vcmcxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
	expect_none(&x, "HF_TOKEN=hf_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
	{
		char *line = fmt("AZURE_STORAGE=DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=%s==;"
			"EndpointSuffix=core.windows.net", acct);
		char *sb = fmt("Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;"
			"SharedAccessKey=%s=", sas);
		char *no_pad = fmt("AccountKey=%sAb", acct);

		expect_hit(&x, "secrets.azure-key", line, acct);
		expect_hit(&x, "secrets.azure-key", sb, sas);
		expect_none(&x, no_pad);
		free(line); free(sb); free(no_pad);
	}
	/* Azurite's published development key (split here so that no line of this file holds it) */
	expect_none(&x, "conn = \"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey="
		"Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq" "2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;\"");
	expect_none(&x, "AccountKey=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx==");
	free(g); free(g_short); free(hf); free(hf_short); free(pypi); free(pypi_short); free(acct); free(sas);
	fx_free(&x);
}

static void test_jwt(void **state)
{
	fx x;
	char *h = tok("eyJ", 30, B64URL, 30), *p = tok("eyJ", 60, B64URL, 31), *sig = tok("", 43, B64URL, 32);
	char *jwt = fmt("%s.%s.%s", h, p, sig);

	(void)state;
	fx_init(&x, NULL);
	hit_fmt(&x, "secrets.jwt", jwt, "SUPABASE_SERVICE_ROLE_KEY=%s");
	hit_fmt(&x, "secrets.jwt", jwt, "headers: { Authorization: `Bearer %s` }");
	none_fmt(&x, "header = '%s'", h);
	expect_none(&x, "eyJabc.eyJdef.ghi");
	free(h); free(p); free(sig); free(jwt);
	fx_free(&x);
}

/* The AI, package and mail services' keys (openai-key, anthropic-key, npm-token, sendgrid-key). */
static void test_service_keys(void **state)
{
	fx x;
	char *oa1 = tok("", 20, ALNUM, 40), *oa2 = tok("", 20, ALNUM, 41);
	char *pj1 = tok("", 74, B64URL, 42), *pj2 = tok("", 74, B64URL, 43);
	char *ant = tok("sk-ant-api03-", 93, B64URL, 44), *npm = tok("npm_", 36, ALNUM, 45);
	char *sg1 = tok("SG.", 22, B64URL, 46), *sg2 = tok("", 43, B64URL, 47);
	char *legacy = fmt("sk-%sT3BlbkFJ%s", oa1, oa2), *proj = fmt("sk-proj-%sT3BlbkFJ%s", pj1, pj2);
	char *sg = fmt("%s.%s", sg1, sg2), *npm_short = tok("npm_", 35, ALNUM, 48);

	(void)state;
	fx_init(&x, NULL);
	hit_fmt(&x, "secrets.openai-key", legacy, "OPENAI_API_KEY=%s");
	hit_fmt(&x, "secrets.openai-key", proj, "const openai = new OpenAI({ apiKey: \"%s\" });");
	hit_fmt(&x, "secrets.anthropic-key", ant, "ANTHROPIC_API_KEY=%s");
	hit_fmt(&x, "secrets.npm-token", npm, "//registry.npmjs.org/:_authToken=%s");
	hit_fmt(&x, "secrets.sendgrid-key", sg, "SENDGRID_API_KEY=%s");
	none_fmt(&x, "x = %s", npm_short);
	expect_none(&x, "npm_config_registry=https://registry.npmjs.org/");
	expect_none(&x, "OPENAI_API_KEY=sk-xxxxxxxxxxxxxxxxxxxxT3BlbkFJxxxxxxxxxxxxxxxxxxxx");
	expect_none(&x, "const task = 'disk-usage';");
	expect_none(&x, "MSG.send(a, b)");
	free(oa1); free(oa2); free(pj1); free(pj2); free(ant); free(npm); free(sg1); free(sg2);
	free(legacy); free(proj); free(sg); free(npm_short);
	fx_free(&x);
}

/* secrets.auth-header: Bearer, Token and Basic credentials; a Basic value's password judged decoded */
static void test_auth_header(void **state)
{
	fx x;
	char *h = tok("eyJ", 20, B64URL, 50), *p = tok("eyJ", 30, B64URL, 51), *sig = tok("", 43, B64URL, 52);
	char *jwt = fmt("%s.%s.%s", h, p, sig);

	(void)state;
	fx_init(&x, NULL);
	expect_hit(&x, "secrets.auth-header", "curl -H \"Authorization: Bearer Xk9mQ2vLp7Zq8aB3cD4e\" https://api.example.org/v1",
		"Xk9mQ2vLp7Zq8aB3cD4e");
	expect_hit(&x, "secrets.auth-header", "headers: { Authorization: 'Token 9fK2mQ8vL3xZ7pR4tY6w' },", "9fK2mQ8vL3xZ7pR4tY6w");
	expect_hit(&x, "secrets.auth-header", "authorization = \"basic ZGVwbG95OlhrOSNtUTJ2THA=\"", "ZGVwbG95OlhrOSNtUTJ2THA=");
	expect_none(&x, "Authorization: Basic dXNlcm5hbWU6cGFzc3dvcmQ=");     /* username:password */
	expect_none(&x, "Authorization: Bearer YOUR_ACCESS_TOKEN_HERE");
	expect_none(&x, "headers: { Authorization: `Bearer ${token}` },");
	expect_none(&x, "curl -H \"Authorization: Bearer $GITHUB_TOKEN\" https://api.github.com/user");
	expect_none(&x, "Authorization: Bearer <token>");
	/* a JWT is reported once, by its own rule */
	hit_fmt(&x, "secrets.jwt", jwt, "Authorization: Bearer %s");
	free(h); free(p); free(sig); free(jwt);
	fx_free(&x);
}

/*
 * An environment variable's default in code (generic-password): the
 * fallback value ships with the code, so it is judged as a quoted value.
 */
static void test_env_defaults(void **state)
{
	fx x;

	(void)state;
	fx_init(&x, NULL);
	expect_hit(&x, "secrets.generic-password", "PASSWORD = os.getenv(\"PASSWORD\", \"Zq8vL2mK9xWp\")", "Zq8vL2mK9xWp");
	expect_hit(&x, "secrets.generic-password", "SECRET_KEY = os.environ.get('SECRET_KEY', 'j3#kd9Lmx02Qz!')",
		"j3#kd9Lmx02Qz!");
	expect_hit(&x, "secrets.generic-password", "os.environ.setdefault(\"API_TOKEN\", \"Zq8vL2mK9xWp\")", "Zq8vL2mK9xWp");
	expect_hit(&x, "secrets.generic-password", "SECRET_KEY = config('SECRET_KEY', default='j3#kd9Lmx02Qz!')",
		"j3#kd9Lmx02Qz!");
	expect_hit(&x, "secrets.generic-password", "'password' => env('DB_PASSWORD', 'Zq8vL2mK9xWp'),", "Zq8vL2mK9xWp");
	expect_hit(&x, "secrets.generic-password", "SECRET_KEY = env.str(\"SECRET_KEY\", default=\"Zq8vL2mK9xWp\")",
		"Zq8vL2mK9xWp");
	expect_hit(&x, "secrets.generic-password", "token = ENV.fetch(\"GITHUB_TOKEN\", \"Zq8vL2mK9xWp\")", "Zq8vL2mK9xWp");
	expect_hit(&x, "secrets.generic-password",
		"String p = System.getenv().getOrDefault(\"DB_PASSWORD\", \"Zq8vL2mK9xWp\");", "Zq8vL2mK9xWp");
	expect_hit(&x, "secrets.generic-password", "const key = process.env.API_KEY || \"Zq8vL2mK9xWp\";", "Zq8vL2mK9xWp");
	expect_hit(&x, "secrets.generic-password", "const key = process.env[\"API_KEY\"] ?? 'Zq8vL2mK9xWp';", "Zq8vL2mK9xWp");
	expect_hit(&x, "secrets.generic-password",
		"const k = import.meta.env.VITE_SUPABASE_SECRET || \"Zq8vL2mK9xWp\";", "Zq8vL2mK9xWp");
	/* names without a keyword, identifiers, placeholders, words, empty and short defaults */
	expect_none(&x, "host = os.getenv(\"DB_HOST\", \"db7.example-3.com\")");
	expect_none(&x, "tid = os.getenv(\"TOKEN_ID\", \"Zq8vL2mK9xWp\")");
	expect_none(&x, "SECRET_KEY = os.environ.get('SECRET_KEY', 'change-me-in-production')");
	expect_none(&x, "SECRET_KEY = os.environ.get('SECRET_KEY', 'your-secret-key-here')");
	expect_none(&x, "pw = os.getenv(\"PASSWORD\", \"\")");
	expect_none(&x, "pw = os.getenv(\"PASSWORD\", \"hunter2\")");
	expect_none(&x, "const key = process.env.API_KEY || \"\";");
	expect_none(&x, "const key = process.env.API_KEY || 'development';");
	expect_none(&x, "const url = process.env.API_URL || \"Zq8vL2mK9xWp\";");
	expect_none(&x, "const key = getApiKey(\"SECRET_KEY\", \"Zq8vL2mK9xWp\");");
	expect_none(&x, "const key = myenv(\"SECRET_KEY\", \"Zq8vL2mK9xWp\");");
	/* a shell's or docker-compose's default: ${NAME:-v}, ${NAME-v}, ${NAME:=v}, ${NAME=v} */
	expect_hit(&x, "secrets.generic-password", "  - POSTGRES_PASSWORD=${POSTGRES_PASSWORD:-Zq8vL2mK9xWp}",
		"Zq8vL2mK9xWp");
	expect_hit(&x, "secrets.generic-password", "    JWT_SECRET: ${JWT_SECRET:-Zq8vL2mK9xWp}", "Zq8vL2mK9xWp");
	expect_hit(&x, "secrets.generic-password", "DB_PASS=\"${DB_PASS:=Zq8vL2mK9xWp}\"", "Zq8vL2mK9xWp");
	expect_hit(&x, "secrets.generic-password", "export API_TOKEN=\"${API_TOKEN-Zq8vL2mK9xWp}\"", "Zq8vL2mK9xWp");
	expect_none(&x, "  - POSTGRES_PASSWORD=${POSTGRES_PASSWORD:-postgres}");
	expect_none(&x, "    JWT_SECRET: ${JWT_SECRET:-change-me-please}");
	expect_none(&x, "DB_PASS=\"${DB_PASS:-$DEFAULT_PASSWORD}\"");
	expect_none(&x, "DB_PASS=\"${DB_PASS:-${OTHER_PASSWORD}}\"");
	expect_none(&x, "    JWT_SECRET: ${JWT_SECRET}");
	expect_none(&x, "    JWT_SECRET: ${JWT_SECRET:?set JWT_SECRET}");
	expect_none(&x, "    API_TOKEN: ${API_TOKEN:-}");
	expect_none(&x, "    API_TOKEN: \"${API_TOKEN:-}\"");
	fx_free(&x);
}

/* C's #define, Python's bytes and unicode strings (generic-password); names with short parts pass. */
static void test_language_shapes(void **state)
{
	fx x;

	(void)state;
	fx_init(&x, NULL);
	expect_hit(&x, "secrets.generic-password", "#define WIFI_PASSWORD \"Zq8vL2mK9xWp\"", "Zq8vL2mK9xWp");
	expect_hit(&x, "secrets.generic-password", "#define API_KEY\t\"Zq8vL2mK9xWp\"", "Zq8vL2mK9xWp");
	expect_hit(&x, "secrets.generic-password", "app.secret_key = b'_5#y2L\"F4Q8z'", "_5#y2L\"F4Q8z");
	expect_hit(&x, "secrets.generic-password", "SECRET_KEY = u\"Zq8vL2mK9xWp\"", "Zq8vL2mK9xWp");
	expect_none(&x, "#define WIFI_PASSWORD \"changeme\"");
	expect_none(&x, "#define TOKEN_ID \"Zq8vL2mK9xWp\"");
	expect_none(&x, "#define PASSWORD_PROMPT \"Enter password: \"");
	expect_none(&x, "#define MAX_TOKEN_LEN 64");
	/* raw strings hold regular expressions */
	expect_none(&x, "jsonnet_token = r'[^\\W\\d]\\w*'");
	expect_none(&x, "_SECRET_NAME_PARTIAL = r'(?P<secret>[a-zA-Z0-9-_]+)'");
	/* OpenSSL's object names: short parts between the names */
	expect_none(&x, "#define SN_id_regCtrl_regToken          \"id-regCtrl-regToken\"");
	expect_none(&x, "#define SN_id_smime_aa_timeStampToken           \"id-smime-aa-timeStampToken\"");
	expect_none(&x, "sn_pass = \"id-it-revPassphrase\"");
	/* ... but not parts alone, nor a short part beside a secret */
	expect_hit(&x, "secrets.generic-password", "token = \"ab-Xk9mQ2vLp7\"", "ab-Xk9mQ2vLp7");
	expect_hit(&x, "secrets.generic-password", "token = \"id-s3cr3tP4ss\"", "id-s3cr3tP4ss");
	fx_free(&x);
}

/* A password given to a command (cli-password), judged as a URL's: from 4 characters on. */
static void test_cli_password(void **state)
{
	fx x;

	(void)state;
	fx_init(&x, NULL);
	expect_hit(&x, "secrets.cli-password", "curl -u admin:Pa55w0rdX9 https://api.example.com", "Pa55w0rdX9");
	expect_hit(&x, "secrets.cli-password", "curl -sSfu 'deploy:Zq8vL2mK9xWp' https://x.example.com", "Zq8vL2mK9xWp");
	expect_hit(&x, "secrets.cli-password", "curl --user=api:key-3ax6xnjp29jd6fds4gc373sgvjxteol0 https://api.mailgun.net",
		"key-3ax6xnjp29jd6fds4gc373sgvjxteol0");
	expect_hit(&x, "secrets.cli-password", "  run: curl -X POST --user ci:Xk9m2v https://x.example.com", "Xk9m2v");
	expect_hit(&x, "secrets.cli-password", "docker login -u deploy -p Zq8vL2mK9xWp registry.example.com", "Zq8vL2mK9xWp");
	expect_hit(&x, "secrets.cli-password", "podman login --password=Zq8vL2mK9xWp -u ci quay.io", "Zq8vL2mK9xWp");
	expect_none(&x, "echo \"$CI_TOKEN\" | docker login -u ci --password-stdin registry.example.com");
	expect_none(&x, "docker login -u ci -p \"$CI_REGISTRY_PASSWORD\" $CI_REGISTRY");
	expect_none(&x, "docker login -u ci -p ${{ secrets.REGISTRY_TOKEN }} ghcr.io");
	expect_hit(&x, "secrets.cli-password", "mysql -u root -pS3cr3tPass123 app", "S3cr3tPass123");
	expect_hit(&x, "secrets.cli-password", "mysqldump --password=Zq8vL2mK9 db > db.sql", "Zq8vL2mK9");
	expect_hit(&x, "secrets.cli-password", "mysqladmin -u root -p'Zq8vL2mK9' status", "Zq8vL2mK9");
	expect_none(&x, "curl -u \"$USER:$PASS\" https://x.example.com");
	expect_none(&x, "curl -u $GITHUB_USER:$GITHUB_TOKEN https://x.example.com");
	expect_none(&x, "curl -u username:password https://x.example.com");
	expect_none(&x, "curl -u user:token https://api.github.com/user");
	expect_none(&x, "curl -u admin: https://x.example.com");
	expect_none(&x, "curl -u \"${API_USER}:${API_PASSWORD}\" https://x.example.com");
	expect_none(&x, "curl -o out.html https://x.example.com/?u=a:Zq8vL2mK9");
	expect_none(&x, "mysql -u root -p app");
	expect_none(&x, "mysql -u root -p$MYSQL_PASSWORD app");
	expect_none(&x, "mysql -u root --password=\"$PW\" app");
	expect_none(&x, "mysql -u root -p<password> app");
	expect_hit(&x, "secrets.cli-password", "mariadb -u root -pZq8vL2mK9x app", "Zq8vL2mK9x");
	expect_hit(&x, "secrets.cli-password", "mariadb-dump --password=Zq8vL2mK9x app > a.sql", "Zq8vL2mK9x");
	/* sshpass -p, first; -p after the command is the command's */
	expect_hit(&x, "secrets.cli-password", "sshpass -p 'Xk9#mQ2vLp7' ssh deploy@host", "Xk9#mQ2vLp7");
	expect_hit(&x, "secrets.cli-password", "  sshpass -pZq8vL2mK9x rsync -a . host:", "Zq8vL2mK9x");
	expect_none(&x, "sshpass -f ~/.pw ssh -p 2222 deploy@host");
	expect_none(&x, "bypass -p Zq8vL2mK9x");
	expect_none(&x, "sshpass -p \"$SSHPASS\" ssh deploy@host");
	expect_none(&x, "sshpass -p <password> ssh deploy@host");
	/* redis-cli -a / --pass, not past a pipe */
	expect_hit(&x, "secrets.cli-password", "redis-cli -h cache -a Zq8vL2mK9x ping", "Zq8vL2mK9x");
	expect_hit(&x, "secrets.cli-password", "redis-cli --pass 'Zq8vL2mK9x' info", "Zq8vL2mK9x");
	expect_none(&x, "redis-cli -a $REDIS_PASSWORD ping");
	expect_none(&x, "redis-cli info | grep -a Zq8vL2mK9x");
	expect_none(&x, "redis-cli info; tar -a Zq8vL2mK9x.tgz .");
	/* kubectl's --from-literal=NAME=v, NAME with a keyword */
	expect_hit(&x, "secrets.cli-password", "kubectl create secret generic db --from-literal=password=Zq8vL2mK9x",
		"Zq8vL2mK9x");
	expect_hit(&x, "secrets.cli-password", "kubectl create secret generic a --from-literal=API_TOKEN='Zq8vL2mK9x'",
		"Zq8vL2mK9x");
	expect_none(&x, "kubectl create configmap c --from-literal=log_level=debug --from-literal=region=eu-west-1");
	expect_none(&x, "kubectl create secret generic db --from-literal=password=${DB_PASSWORD}");
	expect_none(&x, "kubectl create secret generic db --from-literal=password=\"$(cat pw.txt)\"");
	/* heroku config:set NAME=v (dokku's too), NAME with a keyword */
	expect_hit(&x, "secrets.cli-password", "heroku config:set SECRET_KEY=Zq8vL2mK9x -a app", "Zq8vL2mK9x");
	expect_hit(&x, "secrets.cli-password", "dokku config:set app DATABASE_PASSWORD='Zq8vL2mK9x'", "Zq8vL2mK9x");
	expect_none(&x, "heroku config:set WEB_CONCURRENCY=3 LOG_LEVEL=debug");
	expect_none(&x, "heroku config:set SECRET_KEY=$(openssl rand -hex 32)");
		/* one secret, one finding: the command line's rule, not also generic-password's */
	assert_int_equal(fx_line(&x, "mysql -u root --password=\"Xk9#mQ2vLp7Zq\" app"), 1);
	assert_string_equal(x.f.v[0].rule, "secrets.cli-password");
	assert_int_equal(fx_line(&x, "kubectl create secret generic db --from-literal=DB_PASSWORD='Xk9#mQ2vLp7Zq'"), 1);
	assert_string_equal(x.f.v[0].rule, "secrets.cli-password");
	/* ... but two secrets on the line are two */
	assert_int_equal(fx_line(&x, "mysql -pXk9#mQ2vLp7Zq app; x = {\"password\": \"Zq8#vL2!mK9w\"}"), 2);
	fx_free(&x);
}

static void test_generic_password(void **state)
{
	fx x;

	(void)state;
	fx_init(&x, NULL);
	expect_hit(&x, "secrets.generic-password", "password = \"Tr0ub4dor&3\"", "Tr0ub4dor&3");
	expect_hit(&x, "secrets.generic-password", "  \"apiKey\": \"a8F3kL9zQ2mX7pR4\",", "a8F3kL9zQ2mX7pR4");
	expect_hit(&x, "secrets.generic-password", "DB_PASSWORD=s3cr3tP@ss99", "s3cr3tP@ss99");
	/* a trailing comment after an unquoted value (regression: it hid the value) */
	expect_hit(&x, "secrets.generic-password", "DB_PASSWORD=s3cr3tP@ss99 # prod", "s3cr3tP@ss99");
	expect_hit(&x, "secrets.generic-password", "db.password: s3cr3tP@ss99 ; old", "s3cr3tP@ss99");
	expect_hit(&x, "secrets.generic-password", "API_TOKEN=s3cr3tP@ss99 // rotate", "s3cr3tP@ss99");
	expect_hit(&x, "secrets.generic-password", "  secret: 9fK2mQ8vL3xZ", "9fK2mQ8vL3xZ");
	expect_hit(&x, "secrets.generic-password", "if (pwd == 'Zx81!kQp') {", "Zx81!kQp");
	/* a map's key (regression: missed) */
	expect_hit(&x, "secrets.generic-password", "settings[\"SECRET_KEY\"] = \"Xk9#mQ2vLp7Zq8\"", "Xk9#mQ2vLp7Zq8");
	expect_hit(&x, "secrets.generic-password", "$cfg['db_password'] = 'Zq8#vL2!mK9';", "Zq8#vL2!mK9");
	expect_hit(&x, "secrets.generic-password", "os.environ[\"API_TOKEN\"] = \"s3cr3tP@ss99\"", "s3cr3tP@ss99");
	expect_none(&x, "config[\"password\"] = os.environ[\"DB_PASSWORD\"]");
	expect_none(&x, "headers['token'] = token");
	expect_none(&x, "password = \"password\"");
	expect_none(&x, "password = \"\"");
	expect_none(&x, "password = \"${DB_PASSWORD}\"");
	expect_none(&x, "passwordLabel: \"Enter your password\",");
	expect_none(&x, "token_type = \"access_token\"");
	expect_none(&x, "password: userPassword");
	expect_none(&x, "password = getenv(\"DB_PASSWORD\")");
	expect_none(&x, "password = \"xxxxxxxxxxxx\"");
	expect_none(&x, "token_url = \"https://auth.example.com/oauth/token\"");
	expect_none(&x, "password = \"<your-password>\"");
	expect_none(&x, "secret_name: my-app-secret");
	expect_none(&x, "api_key_id = \"Xk9mP2qR7vL4\"");
	expect_none(&x, "  \"tokenId\": \"a8F3kL9zQ2mX7pR4\",");
	expect_none(&x, "SECRET_ID=Xk9mP2qR7vL4");
	/* < > @ & * inside a password, or leading it inside quotes (regression: all taken for placeholders) */
	expect_hit(&x, "secrets.generic-password", "password = \"Tr0ub<4dor&3\"", "Tr0ub<4dor&3");
	expect_hit(&x, "secrets.generic-password", "password = \"Kx9>mP2qZ7\"", "Kx9>mP2qZ7");
	expect_hit(&x, "secrets.generic-password", "password = \"@dm1nP4ss!2024\"", "@dm1nP4ss!2024");
	expect_hit(&x, "secrets.generic-password", "password = \"*Zx81!kQp9\"", "*Zx81!kQp9");
	expect_hit(&x, "secrets.generic-password", "DB_PASSWORD=s3cr3t>P@ss99", "s3cr3t>P@ss99");
	/* references and templates stay out */
	expect_none(&x, "DB_PASSWORD=$DB_PASS_FROM_ENV1");
	expect_none(&x, "DB_PASSWORD=%DB_PASSWORD_1%");
	expect_none(&x, "db.password=@db.password.9@");
	expect_none(&x, "password: *db_password_alias1");
	expect_none(&x, "password: &db_password_anchor1");
	/* YAML list items, docker-compose, Dockerfile ENV/ARG, "KEY=value" quoted whole (regression: missed) */
	expect_hit(&x, "secrets.generic-password", "  - password: s3cr3tP@ss99", "s3cr3tP@ss99");
	expect_hit(&x, "secrets.generic-password", "  - POSTGRES_PASSWORD=s3cr3tP@ss99", "s3cr3tP@ss99");
	expect_hit(&x, "secrets.generic-password", "  - \"POSTGRES_PASSWORD=s3cr3tP@ss99\"", "s3cr3tP@ss99");
	expect_hit(&x, "secrets.generic-password", "ENV DB_PASSWORD=s3cr3tP@ss99", "s3cr3tP@ss99");
	expect_hit(&x, "secrets.generic-password", "ARG API_TOKEN=Zk3Hq9Lm2Wp7", "Zk3Hq9Lm2Wp7");
	/* a Windows batch file's set (regression: missed) */
	expect_hit(&x, "secrets.generic-password", "set PASSWORD=a8F!kd93Ls0q", "a8F!kd93Ls0q");
	expect_hit(&x, "secrets.generic-password", "SET DB_PASSWORD=a8F!kd93Ls0q", "a8F!kd93Ls0q");
	expect_hit(&x, "secrets.generic-password", "set \"API_TOKEN=a8F!kd93Ls0q\"", "a8F!kd93Ls0q");
	expect_none(&x, "set PASSWORD=%1");
	/* an environment variable before a command (regression: missed) */
	expect_hit(&x, "secrets.generic-password", "PGPASSWORD=Zq8vL2mK9xWp psql -h db -U app", "Zq8vL2mK9xWp");
	expect_hit(&x, "secrets.generic-password", "  MYSQL_PWD=Zq8vL2mK9xWp mysql -u root app", "Zq8vL2mK9xWp");
	expect_none(&x, "PGPASSWORD=$DB_PASS psql -h db");
	expect_none(&x, "PGPASSWORD=postgres psql -h db");
	expect_none(&x, "db.password=Zq8vL2mK9xWp is set");
	expect_none(&x, "set -o pipefail");
	/* a YAML anchor before the value; Dockerfile ENV KEY value, and one pair of several (regression: missed) */
	expect_hit(&x, "secrets.generic-password", "password: &db_pass Xy7kQ2mP9!", "Xy7kQ2mP9!");
	expect_hit(&x, "secrets.generic-password", "api_key: &k \"Xy7kQ2mP9!\"", "Xy7kQ2mP9!");
	expect_hit(&x, "secrets.generic-password", "ENV POSTGRES_PASSWORD Xy7kQ2mP9!", "Xy7kQ2mP9!");
	expect_hit(&x, "secrets.generic-password", "ENV APP_ENV=prod POSTGRES_PASSWORD=Xy7kQ2mP9! OTHER=1", "Xy7kQ2mP9!");
	/* an unquoted value with '=' in it: base64 padding (a Kubernetes Secret's data) (regression: missed) */
	expect_hit(&x, "secrets.generic-password", "  password: czNjcjN0UEBzczk5Xk9t==", "czNjcjN0UEBzczk5Xk9t==");
	expect_hit(&x, "secrets.generic-password", "GITHUB_TOKEN=Z2hwX25WNElsVUp4NWlFREtI=", "Z2hwX25WNElsVUp4NWlFREtI=");
	expect_hit(&x, "secrets.generic-password", "db.password=Xk9m=P2qZ7wL4 # prod", "Xk9m=P2qZ7wL4");
	/* PHP's define, XML (regression: missed) */
	expect_hit(&x, "secrets.generic-password", "define('DB_PASSWORD', 'Xk9#mQ2vLp');", "Xk9#mQ2vLp");
	expect_hit(&x, "secrets.generic-password", "  define( \"API_TOKEN\" , \"Xk9#mQ2vLp\" );", "Xk9#mQ2vLp");
	expect_hit(&x, "secrets.generic-password", "<Password>Xk9#mQ2vLp</Password>", "Xk9#mQ2vLp");
	expect_hit(&x, "secrets.generic-password", "<ClientSecret>Xk9#mQ2vLp</ClientSecret>", "Xk9#mQ2vLp");
	expect_hit(&x, "secrets.generic-password", "<DB_PASS>Xk9#mQ2vLp</DB_PASS>", "Xk9#mQ2vLp");
	expect_hit(&x, "secrets.generic-password", "<db:Password>kLmNoPqRsT</db:Password>", "kLmNoPqRsT");
	expect_hit(&x, "secrets.generic-password", "<add key=\"ApiKey\" value=\"a8F3kL9zQ2mX7pR4\"/>", "a8F3kL9zQ2mX7pR4");
	expect_hit(&x, "secrets.generic-password", "<param name='token' value='a8F3kL9zQ2mX7pR4'/>", "a8F3kL9zQ2mX7pR4");
	/* Java's properties XML and Spring's <prop>: the key names the secret (regression: missed) */
	expect_hit(&x, "secrets.generic-password", "  <entry key=\"password\">Xk9#mQ2vLp</entry>", "Xk9#mQ2vLp");
	expect_hit(&x, "secrets.generic-password", "<entry key=\"db.password\">Zq8#vL2!mK9</entry>", "Zq8#vL2!mK9");
	expect_hit(&x, "secrets.generic-password", "<entry key='api.token'>a8F3kL9zQ2mX7pR4</entry>", "a8F3kL9zQ2mX7pR4");
	expect_hit(&x, "secrets.generic-password", "<prop key=\"jdbc.password\">Xk9#mQ2vLp</prop>", "Xk9#mQ2vLp");
	expect_none(&x, "<entry key=\"password\">${db.password}</entry>");
	expect_none(&x, "<entry key=\"passwordHint\">Enter your password</entry>");
	expect_none(&x, "<entry key=\"token.type\">access_token</entry>");
	expect_none(&x, "<entry key=\"secret_id\">Xk9#mQ2vLp7</entry>");
	expect_none(&x, "<entry key=\"bypass\">Xk9#mQ2vLp</entry>");
	expect_none(&x, "<entry key=\"db.url\">jdbc:mysql://db:3306/app</entry>");
	expect_none(&x, "<entry key=\"password\">changeme</entry>");
	expect_none(&x, "define('DB_PASSWORD', getenv('DB_PASSWORD'));");
	expect_none(&x, "<Password>${env.PASS}</Password>");
	expect_none(&x, "setPassword(password);");
	expect_none(&x, "const password = await read.password('Password:', creds.password)");
	expect_none(&x, "__all__ = [\"tokenize\", \"untokenize\", \"TokenInfo\"]");
	expect_none(&x, "if (!password.matches(\"^(?=.*[A-Z])(?=.*[0-9]).{8,}$\")) fail();");
	expect_none(&x, "client.getSecretValue(\"arn:aws:secretsmanager:eu-west-1:1234:secret:db-AbC123\");");
	expect_none(&x, "<Bypass>Xk9#mQ2vLp</Bypass>");
	expect_none(&x, "List<Token>tokens</Token>");
	expect_none(&x, "log.warn(\"bad password\", \"Xk9#mQ2vLp\");");
	expect_none(&x, "<span class=\"password-strength\">Strong!!</span>");
	expect_none(&x, "<input class=\"password\" value=\"Xk9#mQ2vLp\">");
	expect_none(&x, "<entry data-monkey=\"token\" value=\"Xk9#mQ2vLp\">");
	expect_none(&x, "print(f\"password={password!r}\")");
	/* PASS as a word of a name, private_key (regression: missed); not inside a word */
	expect_hit(&x, "secrets.generic-password", "DB_PASS=Xk9#mQ2vLp", "Xk9#mQ2vLp");
	expect_hit(&x, "secrets.generic-password", "SMTP_PASS: Xk9#mQ2vLp", "Xk9#mQ2vLp");
	expect_hit(&x, "secrets.generic-password", "private_key = \"Xk9#mQ2vLp7Zq8\"", "Xk9#mQ2vLp7Zq8");
	expect_hit(&x, "secrets.generic-password", "  \"privateKey\": \"Xk9#mQ2vLp7Zq8\",", "Xk9#mQ2vLp7Zq8");
	expect_none(&x, "PASSTHROUGH_MODE=Xk9#mQ2vLp");
	expect_none(&x, "bypass = \"Xk9#mQ2vLp\"");
	expect_none(&x, "compass: Xk9#mQ2vLp");
	expect_none(&x, "ResultPass = AnalysisImpl.second;");
	/* camelCase names ending in Pass (regression: missed); not byPass, passenger, Passed */
	expect_hit(&x, "secrets.generic-password", "smtpPass = \"Xk9#mQ2vLp\"", "Xk9#mQ2vLp");
	expect_hit(&x, "secrets.generic-password", "const dbPass = 'Zq8#vL2!mK9';", "Zq8#vL2!mK9");
	expect_hit(&x, "secrets.generic-password", "  \"mailPass\": \"a8F3kL9zQ2mX7pR4\",", "a8F3kL9zQ2mX7pR4");
	expect_hit(&x, "secrets.generic-password", "smtp2Pass: \"Xk9#mQ2vLp\"", "Xk9#mQ2vLp");
	expect_none(&x, "smtpPass: Xk9#mQ2vLp"); /* unquoted: a whole line with a camelCase name may be code */
	expect_hit(&x, "secrets.generic-password", "<smtpPass>Xk9#mQ2vLp</smtpPass>", "Xk9#mQ2vLp");
	expect_none(&x, "byPass = \"Xk9#mQ2vLp\"");
	expect_none(&x, "proxyByPass = \"localhost;127.0.0.1\"");
	expect_none(&x, "const passenger = 'Zq8#vL2!mK9';");
	expect_none(&x, "isPassed = \"Xk9#mQ2vLp\"");
	expect_none(&x, "FunctionPass *p = createPass(\"Xk9#mQ2vLp\");");
	expect_none(&x, "smtpPassFile = \"/etc/smtp/pass.txt\"");
	expect_none(&x, "<byPass>Xk9#mQ2vLp</byPass>");
	expect_none(&x, "dbPass = \"${DB_PASS}\"");
	/* a key file's path is no key */
	expect_none(&x, "private_key_file: ~/.ssh/id_ed25519");
	expect_none(&x, "ssh_private_key_path = \"/home/deploy/.ssh/id_ed25519\"");
	expect_none(&x, "secret_file = \"/Users/Deploy/Library/Keys/prod.pem\"");
	expect_none(&x, "ARG NODE_VERSION=18.17.1");
	expect_none(&x, "ENV TOKEN_FILE=/run/secrets/token");
	fx_free(&x);
}

static void test_url_password(void **state)
{
	fx x;
	char *ghp = tok("ghp_", 36, ALNUM, 40), *line;

	(void)state;
	fx_init(&x, NULL);
	expect_hit(&x, "secrets.url-password", "DATABASE_URL=postgres://app:S3cr3tP4ss@db.example.com/app", "S3cr3tP4ss");
	expect_hit(&x, "secrets.url-password", "uri = 'mongodb+srv://u:p4ssw0rdXYZ@cluster0.x.mongodb.net/t'", "p4ssw0rdXYZ");
	expect_hit(&x, "secrets.url-password", "REDIS_URL=redis://:Xk9mQ2vLp7@cache:6379/0", "Xk9mQ2vLp7");
	expect_hit(&x, "secrets.url-password", "git clone https://deploy:Xk9mQ2vLp7Zq8@github.com/org/repo.git", "Xk9mQ2vLp7Zq8");
	/* an unencoded '@' in the user or the password: the last '@' before the host ends it */
	expect_hit(&x, "secrets.url-password", "smtp://me@example.org:Tr0ub4dor3x@smtp.example.org", "Tr0ub4dor3x");
	expect_hit(&x, "secrets.url-password", "amqp://app:P@ssw0rd!xyz@rabbit:5672", "P@ssw0rd!xyz");
	expect_hit(&x, "secrets.url-password", "\"Server=db;User Id=sa;Password=Xy7!kq2Lm;Database=app\"", "Xy7!kq2Lm");
	expect_hit(&x, "secrets.url-password", "\"Server=db; PWD=Xy7!kq2Lm\"", "Xy7!kq2Lm");
	expect_hit(&x, "secrets.url-password", "jdbc:mysql://db:3306/app?user=root&password=Xk9mQ2vLp7&ssl=1", "Xk9mQ2vLp7");
	expect_none(&x, "postgres://user:password@localhost/app");
	expect_none(&x, "redis://:pass@host");
	expect_none(&x, "amqp://guest:guest@localhost:5672");
	expect_none(&x, "https://user:token@github.com/org/repo.git");
	expect_none(&x, "postgres://app:${DB_PASS}@db/app");
	expect_none(&x, "postgres://app:$PASSWORD@db/app");
	expect_none(&x, "postgres://app:<password>@db/app");
	expect_none(&x, "postgres://app:********@db/app");
	expect_none(&x, "postgres://user:%s@%s/%s");
	expect_none(&x, "url = f\"postgresql://{user}:{password}@{host}/{db}\"");
	expect_none(&x, "\"Server=x;User Id=sa;Password={0};\"");
	expect_none(&x, "\"Server=x;User Id=sa;Password=${DB_PASS};\"");
	expect_none(&x, "ssh://git@github.com:22/org/repo.git");
	expect_none(&x, "see http://localhost:3000/@user or https://medium.com/@author");
	expect_none(&x, "const BYPASS = \"?bypass=Xk9mQ2vLp7\";");
	expect_none(&x, "pattern = r\"^(\\w+)://([^:]+):([^@]+)@(.+)$\"");
	/* short passwords, from 4 characters (regression: under 8 were missed) */
	expect_hit(&x, "secrets.url-password", "postgres://app:s3cr3t@db/x", "s3cr3t");
	expect_hit(&x, "secrets.url-password", "REDIS_URL=redis://:Xk9m2@cache:6379/0", "Xk9m2");
	expect_hit(&x, "secrets.url-password", "mysql://root:p4ss@db:3306/app", "p4ss");
	expect_hit(&x, "secrets.url-password", "\"Server=db;User Id=sa;Password=Xy7!kq;\"", "Xy7!kq");
	expect_none(&x, "postgres://root:root@db/x");
	expect_none(&x, "postgres://admin:admin@db/x");
	expect_none(&x, "postgres://user:secret@db/x");
	expect_none(&x, "postgres://user:Secret@db/x");
	expect_none(&x, "postgres://user:1234@db/x");
	expect_none(&x, "mongodb://u:p@localhost");
	expect_none(&x, "amqp://user:pw1@rabbit");
	expect_none(&x, "postgres://app:***@db/x");
	expect_none(&x, "postgres://app:...@db/x");
	expect_none(&x, "postgres://app:$PW@db/x");
	expect_none(&x, "postgres://app:{pw}@db/x");
	expect_none(&x, "postgres://app:<pw>@db/x");
	expect_none(&x, "\"Server=x;Password=abc;\"");
	/* a space around a connection string's '=' (regression: missed), on a line that is a connection string */
	expect_hit(&x, "secrets.url-password", "\"Server=db;User Id=sa;Password = Hunter2x;\"", "Hunter2x");
	expect_hit(&x, "secrets.url-password", "Data Source=db;Initial Catalog=app;Password = Xy7!kq2Lm", "Xy7!kq2Lm");
	expect_hit(&x, "secrets.url-password", "\"Driver={ODBC Driver 18};Server=x;UID=sa;PWD =Xk9mQ2vLp7\"", "Xk9mQ2vLp7");
	expect_hit(&x, "secrets.url-password", "\"Host = db; Password= Zq8#vL2!mK9\"", "Zq8#vL2!mK9");
	expect_none(&x, "let n = 1; password = newPassword;");
	expect_none(&x, "x = 1; password = crypto.randomBytes(16);");
	expect_none(&x, "\"Server=x;User Id=sa;Password = ${DB_PASS};\"");
	expect_none(&x, "\"Server=x;User Id=sa;Password = {0};\"");
	expect_none(&x, "\"Server=x;User Id=sa;Password = password;\"");
	expect_none(&x, "\"Server=x;User Id=sa;Password = ;\"");
	expect_none(&x, "log(\"server=\" + s + \"; password = \" + mask(p));");
	/* an image pinned by its digest: the tag is no password */
	expect_none(&x, "skopeo copy docker://redis:7-alpine@sha256:0123456789abcdef0123456789abcdef");
	expect_none(&x, "skopeo inspect docker://alpine:v3.19@sha256:0123456789abcdef0123456789abcdef");
	/* a token the token rule knows: its finding, not this one */
	line = fmt("https://x-access-token:%s@github.com/org/repo", ghp);
	fx_line(&x, line);
	assert_int_equal(x.f.n, 1);
	assert_string_equal(x.f.v[0].rule, "secrets.github-token");
	free(line);
	free(ghp);
	fx_free(&x);
}

/*
 * Code and names in real source text, which generic-password once flagged
 * (regression: 33 findings on bench/gen-real.py's 94 MB of Python,
 * JavaScript and C headers); secrets of the same shapes are still found.
 */
static void test_generic_password_code(void **state)
{
	const char *dts_type = "    apiKey: SensitiveString2048;\n", *dts_literal = "    apiKey: \"Xk9mQ2vLp7wR\";\n";
	fx x;

	(void)state;
	fx_init(&x, NULL);
	expect_none(&x, "        _this.tokenize = line_js_1.tokenize;");
	expect_none(&x, "exports.tokenize = tokenize;");
	expect_none(&x, "                token_value = tokens[1]");
	expect_none(&x, "            nextToken = this.nextToken;");
	expect_none(&x, "                tokenType = t.space;");
	expect_none(&x, "    token.tokensIndex = tokens.length;");
	expect_none(&x, "                itoken = grammar.opmap[value] # Fails if unknown token");
	expect_none(&x, "PRIVATE_KEY_TYPES = typing.Union[");
	expect_none(&x, "        statetokens = tokendefs[statestack[-1]]");
	expect_none(&x, "            self._tokens = self._all_tokens[level]");
	expect_none(&x, "    AttributeOID.CHALLENGE_PASSWORD: \"challengePassword\",");
	expect_none(&x, "    backend: \"Backend\", private_key: \"_DSAPrivateKey\", data: bytes");
	expect_none(&x, "    private_key: \"_RSAPrivateKey\",");
	expect_none(&x, "const TOKEN_KEY = \"authToken\";");
	/* a value that is its own name, maybe after my_, your_, ... (googleapis' generated examples) */
	expect_none(&x, " *   //   \"nextPageToken\": \"my_nextPageToken\",");
	expect_none(&x, "  \"clientSecret\": \"my_clientSecret\"");
	expect_none(&x, "config.db.password = \"my_password\";");
	expect_none(&x, "DB_PASSWORD: \"your-db-password\"");
	expect_none(&x, "clientSecret = \"the-client-secret\"");
	expect_none(&x, "apiToken: 'example_api_token'");
	expect_hit(&x, "secrets.generic-password", "clientSecret = \"my_Xk9mQ2vLp7wR\"", "Xk9mQ2vLp7wR");
	expect_hit(&x, "secrets.generic-password", "\"nextPageToken\": \"my_nextPageTokenQ7x9Zk2\"", "Q7x9Zk2");
	expect_hit(&x, "secrets.generic-password", "password = \"Password9mQ2vLp7\"", "9mQ2vLp7");
	/* code between two strings, the first of which held the keyword (minified bundles) */
	expect_none(&x, "catch(e){this.log_(\"Failed to get token: \"+e),o||(this.repoInfo_.nodeAdmin&&warn(e),closeFn())}}}interrupt(e){log(\"Interr\")}");
	expect_none(&x, "throw new Error(\"Unexpected token: \"+t.type+\"(\"+t.value+\")\")");
	expect_none(&x, "DefaultRestParameter:\"Unexpected token =\",DuplicateBinding:\"Duplicate binding %0\"");
	expect_hit(&x, "secrets.generic-password", "token: \"+Xk9mQ2vLp7wR\"", "+Xk9mQ2vLp7wR");
	expect_hit(&x, "secrets.generic-password", "token: \"Xk9mQ2vLp7wR+\"", "Xk9mQ2vLp7wR+");
	/* ... and on 550 MB of this machine's Python, YAML, JSON and XML (bench/gen-real.py's corpus, all of it) */
	expect_none(&x, "    credentials._private_key_pkcs8_pem = private_key_pkcs8_pem");
	expect_none(&x, "    self.enable_k8s_tokens_via_dns = enable_k8s_tokens_via_dns");
	expect_none(&x, "    token = TEST_ANOTHER_DATA_BASE64");
	expect_none(&x, "    'secret': 'V1SecretProjection',");
	expect_none(&x, "    'image_pull_secrets': 'list[V1LocalObjectReference]',");
	expect_none(&x, "  \"output_token\": \"Jobs[-1].JobId\",");
	expect_none(&x, "ACCESS_KEY = 'AWSAccessKeyId'");
	expect_none(&x, "  \"subject_token\": \"subject_token_0\",");
	expect_none(&x, "  \"token_type\": \"urn:ietf:params:oauth:token-type:jwt\",");
	expect_none(&x, "<define name=\"FVE_E_POLICY_PASSPHRASE_NOT_ALLOWED\" value=\"0x8031006A\"/>");
	expect_none(&x, "    PRIVATE_KEYS: T1552.004");
	expect_none(&x, "  'token_expiry': '2018-03-02T21:26:13Z',");
	expect_none(&x, "  --webhook-secret-secret-version=projects/myproj/secrets/whsecret/versions/1");
	expect_none(&x, "  self.token = \"ACCESS_TOKEN_{}\".format(n)");
	/* ... and in 355 MB of npm packages (react, vite, next, firebase, aws-sdk, @octokit, ...) */
	expect_none(&x, "  SIGN_IN_WITH_PASSWORD = \"signInWithPassword\",");
	expect_none(&x, "  VerifyPassword = \"identitytoolkit#VerifyPasswordResponse\"");
	expect_none(&x, "  SIGN_IN_WITH_PASSWORD = \"/v1/accounts:signInWithPassword\",");
	expect_none(&x, "  \"SecretsManagerAccessRoleArn\": \"arn:aws:iam::012345678901:role/my-access-role\",");
	expect_none(&x, "  tokenObservers: AppCheckTokenObserver[];");
	expect_none(&x, "  tokens: ParsedTokens<T>;");
	expect_none(&x, "  nextToken = data?.nextToken");
	expect_none(&x, "  token_endpoint_auth_method: OAuthClientTokenEndpointAuthMethod;");
	expect_none(&x, "  PrivateKeyFlags: PrivateKeyFlagsV4;");
	expect_none(&x, "const EXCHANGE_RECAPTCHA_TOKEN_METHOD = 'exchangeRecaptchaV3Token';");
	expect_none(&x, "  publicKey: PublicKeyCredentialCreationOptionsFuture;");
	expect_none(&x, "const auth = createTokenAuth(\"ghp_PersonalAccessToken01245678900000000\");");
	/* secrets with the same punctuation, or digits no name has */
	expect_hit(&x, "secrets.generic-password", "DB_PASSWORD=s3cr3tXyZ;", "s3cr3tXyZ;");
	expect_hit(&x, "secrets.generic-password", "api_token = Xk9.mQ2vLp7;", "Xk9.mQ2vLp7;");
	expect_hit(&x, "secrets.generic-password", "PASSWORD=Summer2024;", "Summer2024;");
	expect_hit(&x, "secrets.generic-password", "password = \"admin123\"", "admin123");
	expect_hit(&x, "secrets.generic-password", "password = \"kLmNoPqRsT\"", "kLmNoPqRsT");
	expect_hit(&x, "secrets.generic-password", "MasterUserPassword: 'Password01'", "Password01");
	expect_hit(&x, "secrets.generic-password", "DB_PASSWORD=s3cr3t_pass", "s3cr3t_pass");
	expect_hit(&x, "secrets.generic-password", "DB_PASSWORD=passw0rd_prod", "passw0rd_prod");
	expect_hit(&x, "secrets.generic-password", "client_secret = \"abc_ThIsIsAsEcReT\"", "abc_ThIsIsAsEcReT");
	expect_hit(&x, "secrets.generic-password", "api_key = \"0x7f3a9c2e5b1d8f4a6c0e\"", "0x7f3a9c2e5b1d8f4a6c0e");
	expect_hit(&x, "secrets.generic-password", "secret: projects/Xk9mQ2/s/v", "projects/Xk9mQ2/s/v");
	/* a TypeScript declaration file's unquoted value is a type (aws-sdk's clients/ *.d.ts) */
	assert_int_equal(fx_scan(&x, "clients/appfabric.d.ts", dts_type, strlen(dts_type)), 0);
	assert_int_equal(fx_scan(&x, "clients/x.d.mts", dts_type, strlen(dts_type)), 0);
	assert_int_equal(fx_scan(&x, "clients/x.ts", dts_type, strlen(dts_type)), 1);
	assert_int_equal(fx_scan(&x, "clients/x.d.ts", dts_literal, strlen(dts_literal)), 1);
	/* ... whose parts may be camelCase words (google-auth-library's README) */
	expect_none(&x, "  const secretName = 'projects/anotherProjectNumber/secrets/someProjectName/versions/1';");
	expect_hit(&x, "secrets.generic-password", "secret = \"wJalrXUtnFqMI/K7MDqNG/bPxRfiCYzQ9mLpW2x\"", "K7MDqNG");
	expect_hit(&x, "secrets.generic-password", "secret = \"projects/someProjectName/Secrets/aB3dEf\"", "aB3dEf");
	expect_hit(&x, "secrets.generic-password", "secret = \"xkqwPmz/zzRtvb/kQmvTx9\"", "kQmvTx9");
	/* a UUID may well be a token (Consul's, Heroku's API key): still flagged */
	expect_hit(&x, "secrets.generic-password", "  \"clientToken\": \"550e8400-e29b-41d4-a716-446655440000\",",
		"550e8400-e29b-41d4-a716-446655440000");
	expect_hit(&x, "secrets.generic-password", "  password: 's00pers3cret'", "s00pers3cret");
	expect_hit(&x, "secrets.generic-password", "password = \"QwErTyUiOpAs\"", "QwErTyUiOpAs");
	expect_hit(&x, "secrets.generic-password", "token = \"a/Xk9mQ2:b\"", "a/Xk9mQ2:b");
	fx_free(&x);
}

static void test_code_values(void **state)
{
	(void)state;
	assert_true(rg_secrets_code_value("t.space;", 8));
	assert_true(rg_secrets_code_value("tokens[1]", 9));
	assert_true(rg_secrets_code_value("ctx.stack[-1]", 13));
	assert_true(rg_secrets_code_value("tokendefs[statestack[-1]]", 25));
	assert_true(rg_secrets_code_value("typing.Union[", 13));
	assert_true(rg_secrets_code_value("$scope.token;", 13));
	assert_false(rg_secrets_code_value("tokenize", 8)); /* no sign of code: judged as a value */
	assert_false(rg_secrets_code_value("tokens[1", 8));
	assert_false(rg_secrets_code_value("a[b[c[d[e[f[g[h[i[j[1]]]]]]]]]]", 31)); /* too deep */
	assert_false(rg_secrets_code_value("s3cr3tXyZ;", 10));
	assert_false(rg_secrets_code_value("Xk9.mQ2vLp;", 11));
	assert_false(rg_secrets_code_value("Summer2024;", 11));
	assert_false(rg_secrets_code_value("9lives.x;", 9));
	assert_false(rg_secrets_code_value(";", 1));
	assert_false(rg_secrets_code_value("", 0));
	assert_true(rg_secrets_identifier("challengePassword", 17));
	assert_true(rg_secrets_identifier("_RSAPrivateKey", 14));
	assert_true(rg_secrets_identifier("HTTPServerToken", 15));
	assert_false(rg_secrets_identifier("accessTokenX", 12));
	assert_false(rg_secrets_identifier("kLmNoPqRsT", 10));
	assert_false(rg_secrets_identifier("iPhoneSecret", 12));
	assert_false(rg_secrets_identifier("admin123", 8));
	assert_false(rg_secrets_identifier("___", 3));
	assert_true(rg_secrets_identifier("V1SecretProjection", 18));
	assert_true(rg_secrets_identifier("AWSAccessKeyId", 14));
	assert_false(rg_secrets_identifier("QwErTyUiOp", 10)); /* two-letter words: the last one only */
	assert_false(rg_secrets_identifier("Password01", 10));
	assert_true(rg_secrets_code_value("private_key_pkcs8_pem", 21));
	assert_true(rg_secrets_code_value("enable_k8s_tokens", 17));
	assert_true(rg_secrets_code_value("TEST_DATA_BASE64", 16));
	assert_false(rg_secrets_code_value("s3cr3t_pass", 11)); /* leetspeak is no numeronym */
	assert_false(rg_secrets_code_value("Xk_mQvLp", 8)); /* cases mixed within a part */
	assert_false(rg_secrets_code_value("tokenize_", 9)); /* one part */
	assert_true(rg_secrets_code_value("Record<string,Token[]>;", 23));
	assert_false(rg_secrets_code_value("Record<string;", 14));
	assert_true(rg_secrets_code_value("a?.b;", 5));
	assert_true(rg_secrets_identifier("signInWithPassword", 18));
	assert_true(rg_secrets_identifier("exchangeRecaptchaV3Token", 24));
	assert_false(rg_secrets_identifier("XkqmAbCdEf", 10)); /* more short words than long */
	assert_true(rg_secrets_name("identitytoolkit#VerifyPasswordResponse", 38));
	assert_true(rg_secrets_name("/v1/accounts:signInWithPassword", 31));
	assert_true(rg_secrets_name("base.bearer.", 12));
	assert_false(rg_secrets_name("a/Xk9mQ2:b", 10));
	assert_false(rg_secrets_name("--", 2));
	assert_true(rg_secrets_wordy("PersonalAccessToken01245678900000000", 36));
	assert_false(rg_secrets_wordy("PersonalAccessTokenX1245678900000000", 36));
	assert_false(rg_secrets_wordy("AKIAIOSFODNN70000000", 20)); /* an AWS id's capitals: no words */
	assert_false(rg_secrets_wordy("kLmNoPqRsTuV12345678", 20));
}

static void test_entropy(void **state)
{
	(void)state;
	assert_true(rg_secrets_entropy("aaaaaaaa", 8) < 0.001);
	assert_true(rg_secrets_entropy("abcdefgh", 8) > 2.999 && rg_secrets_entropy("abcdefgh", 8) < 3.001);
	assert_true(rg_secrets_entropy("ab", 2) > 0.999 && rg_secrets_entropy("ab", 2) < 1.001);
	assert_true(rg_secrets_generic_value("Tr0ub4dor&3", 11, 1));
	assert_false(rg_secrets_generic_value("changeme", 8, 1));
	assert_false(rg_secrets_generic_value("Abcdefgh", 8, 0)); /* unquoted: needs a digit or symbol */
	/* words (a locale file's translations, dotted names) are no secrets; random letters are */
	assert_false(rg_secrets_generic_value("Passwort", 8, 1));
	assert_false(rg_secrets_generic_value("Geheimnis", 9, 1));
	assert_false(rg_secrets_generic_value("Zugangstoken", 12, 1));
	assert_false(rg_secrets_generic_value("API-Schl\xc3\xbcssel", 14, 1));
	assert_false(rg_secrets_generic_value("authtoken.Token", 15, 1));
	assert_true(rg_secrets_generic_value("kLmNoPqRsT", 10, 1));
	assert_false(rg_secrets_generic_value("auth.accessToken", 16, 1));
	assert_true(rg_secrets_generic_value("accessTokenX", 12, 1)); /* camelCase alone: maybe a secret */
	assert_true(rg_secrets_generic_value("auth.aBcDeFgHiJ", 15, 1));
	assert_true(rg_secrets_generic_value("xQ7-mP2-kL9", 11, 1));
	/* paths: parts lower case or words; base64 mixes cases inside its parts */
	assert_false(rg_secrets_generic_value("/etc/ssl/private/server2.key", 28, 1));
	assert_false(rg_secrets_generic_value("./certs/key-2024.pem", 20, 1));
	assert_true(rg_secrets_generic_value("/9j/4AAQSkZJRgABAQ", 18, 1));
	/* a name in brackets is a template's slot */
	assert_false(rg_secrets_generic_value("{password}", 10, 1));
	assert_false(rg_secrets_generic_value("[DB_PASSWORD]", 13, 1));
	assert_false(rg_secrets_generic_value("(db.pass)", 9, 1));
	assert_false(rg_secrets_generic_value("{Xk9#mQ2vLp}", 12, 1)); /* {...}: a format's or an f-string's slot */
	assert_false(rg_secrets_generic_value("Password:", 9, 1));    /* a label */
	assert_false(rg_secrets_generic_value("-anonymous@", 11, 1)); /* anonymous FTP */
	/* a URL's password may be short: 4 characters, judged as a quoted value */
	assert_true(rg_secrets_url_value("s3cr3t", 6));
	assert_true(rg_secrets_url_value("p4ss", 4));
	assert_false(rg_secrets_generic_value("s3cr3t", 6, 1));
	assert_false(rg_secrets_url_value("p4s", 3));
	assert_false(rg_secrets_url_value("guest", 5));
	assert_false(rg_secrets_url_value("123456", 6));
	assert_false(rg_secrets_url_value("aa11", 4)); /* too uniform: entropy 1 bit */
	assert_false(rg_secrets_url_value("${PW}", 5));
}

static void test_conflict_markers(void **state)
{
	fx x;
	const char *text = "a\n<<<<<<< HEAD\nmine\n||||||| base\nold\n=======\ntheirs\n>>>>>>> feature\nb\n"
		"Title\n=======\n<<<<<<<< not a marker\nx <<<<<<< y\n";
	size_t i;

	(void)state;
	fx_init(&x, NULL);
	assert_int_equal(fx_scan(&x, "src/app.js", text, strlen(text)), 4);
	for (i = 0; i < x.f.n; i++)
		assert_string_equal(x.f.v[i].rule, "conflict");
	assert_int_equal(x.f.v[0].line, 2);
	assert_int_equal(x.f.v[1].line, 4);
	assert_int_equal(x.f.v[2].line, 6);
	assert_int_equal(x.f.v[3].line, 8);
	assert_non_null(strstr(x.f.v[0].message, "<<<<<<< HEAD"));
	/* reStructuredText underlines and lone separators are not markers */
	text = "Title\n=======\n\nSection\n=======\n>>>>>>> stray\n";
	assert_int_equal(fx_scan(&x, "docs/index.rst", text, strlen(text)), 1);
	assert_int_equal(x.f.v[0].line, 6);
	/* a tab after the seven characters, as some merge tools write it */
	text = "<<<<<<<\tours\nmine\n=======\ntheirs\n>>>>>>>\ttheirs\n<<<<<<<<\tx\n";
	assert_int_equal(fx_scan(&x, "src/app.js", text, strlen(text)), 3);
	assert_int_equal(x.f.v[0].line, 1);
	assert_int_equal(x.f.v[1].line, 3);
	assert_int_equal(x.f.v[2].line, 5);
	/* the state does not leak from one file to the next */
	text = "<<<<<<< HEAD\n";
	fx_scan(&x, "a.txt", text, strlen(text));
	assert_int_equal(fx_scan(&x, "b.rst", "T\n=======\n", 10), 0);
	fx_free(&x);
}

static void test_redaction(void **state)
{
	rg_buf b = RG_BUF_INIT;
	const char *line = "\tconst key = \"AKIAABCDEFGHIJKLMNOP\"; const other = \"hunter2hunter2X\";";
	rg_span sp[2];
	char longline[400];

	(void)state;
	sp[0].start = (size_t)(strstr(line, "AKIA") - line);
	sp[0].end = sp[0].start + 20;
	sp[1].start = (size_t)(strstr(line, "hunter") - line);
	sp[1].end = sp[1].start + 15;
	rg_content_excerpt(&b, line, strlen(line), sp[0].start, sp[0].end, sp, 2);
	assert_string_equal(b.ptr, "const key = \"AKIA************\"; const other = \"hun************\";");
	/* long lines: a window around the match, marked with ... */
	memset(longline, 'x', sizeof(longline));
	memcpy(longline + 200, "SECRETVALUE123", 14);
	rg_buf_clear(&b);
	sp[0].start = 200;
	sp[0].end = 214;
	rg_content_excerpt(&b, longline, sizeof(longline), 200, 214, sp, 1);
	assert_true(rg_str_startswith(b.ptr, "..."));
	assert_true(rg_str_endswith(b.ptr, "..."));
	assert_non_null(strstr(b.ptr, "SE************"));
	assert_null(strstr(b.ptr, "SECRETVALUE"));
	assert_true(b.len <= 106);
	/* control characters never reach the terminal */
	rg_buf_clear(&b);
	rg_content_excerpt(&b, "a\033[31mb\x7f", 8, 0, 1, NULL, 0);
	assert_string_equal(b.ptr, "a\\033[31mb\\177");
	/* indentation dropped when a match (^\s*KEY=...) only starts in it; shown when it is all the match */
	rg_buf_clear(&b);
	rg_content_excerpt(&b, "    - KEY=v", 11, 0, 11, NULL, 0);
	assert_string_equal(b.ptr, "- KEY=v");
	rg_buf_clear(&b);
	rg_content_excerpt(&b, "  \t x", 5, 1, 3, NULL, 0);
	assert_string_equal(b.ptr, "   x");
	/* trailing blanks are dropped, not a cut: no "..." */
	rg_buf_clear(&b);
	rg_content_excerpt(&b, "k = v \t  ", 9, 0, 5, NULL, 0);
	assert_string_equal(b.ptr, "k = v");
	rg_buf_clear(&b);
	rg_content_excerpt(&b, "k = v ", 6, 0, 5, NULL, 0);
	assert_string_equal(b.ptr, "k = v");
	rg_buf_dispose(&b);
}

static void test_redaction_of_every_secret_on_the_line(void **state)
{
	fx x;
	char *id = tok("AKIA", 16, UPPER_DIGITS, 40), *sk = tok("", 40, B64, 41);
	char *line = fmt("creds = {id: \"%s\", secretKey: \"%s\"}", id, sk);
	size_t i;

	(void)state;
	fx_init(&x, NULL);
	assert_int_equal(fx_line(&x, line), 2);
	for (i = 0; i < x.f.n; i++) {
		assert_null(strstr(x.f.v[i].message, id));
		assert_null(strstr(x.f.v[i].message, sk));
	}
	free(id); free(sk); free(line);
	fx_free(&x);
}

static void test_allow_comments(void **state)
{
	fx x;
	char *id = tok("AKIA", 16, UPPER_DIGITS, 50);
	char *line;

	(void)state;
	assert_true(rg_content_allowed("x // repoguard:allow secrets.jwt", 32, "secrets.jwt"));
	assert_true(rg_content_allowed("x # repoguard:allow secrets", 27, "secrets.jwt"));
	assert_true(rg_content_allowed("x <!-- repoguard:allow conflict, secrets.jwt -->", 48, "secrets.jwt"));
	assert_false(rg_content_allowed("x // repoguard:allow secrets.jw", 31, "secrets.jwt"));
	assert_false(rg_content_allowed("x // repoguard:allow secretsxjwt", 32, "secrets.jwt"));
#define ALLOWED(text, id) rg_content_allowed(text, strlen(text), id)
	/* what closes a comment or a sentence right after the id */
	assert_true(ALLOWED("x <!--repoguard:allow secrets.jwt-->", "secrets.jwt"));
	assert_true(ALLOWED("x <!--repoguard:allow conflict,secrets-->", "secrets.jwt"));
	assert_true(ALLOWED("x # test key, repoguard:allow secrets.jwt.", "secrets.jwt"));
	assert_false(ALLOWED("x <!--repoguard:allow secrets.jw-->", "secrets.jwt"));
	assert_false(ALLOWED("x <!--repoguard:allow -->", "secrets.jwt"));
#undef ALLOWED
	assert_false(rg_content_allowed("x // repoguard:allowsecrets.jwt", 31, "secrets.jwt"));
	assert_false(rg_content_allowed("x // repoguard:allow", 20, "secrets.jwt"));
	fx_init(&x, NULL);
	line = fmt("key = '%s' // repoguard:allow secrets.aws-access-key-id", id);
	assert_int_equal(fx_line(&x, line), 0);
	free(line);
	line = fmt("key = '%s' // repoguard:allow secrets.jwt", id);
	assert_int_equal(fx_line(&x, line), 1);
	free(line);
	assert_int_equal(rg_engine_finish(&x.f, &x.ctx), 0);
	assert_true(fx_info(&x, "1 finding allowed by repoguard:allow comments: secrets.aws-access-key-id at src/app.js:1"));
	free(id);
	fx_free(&x);
}

/* [secrets] ignore: a rotated secret's id (git hash-object of the masked text) silences it, and only it. */
static void test_ignore_ids(void **state)
{
	char hex[GIT_OID_HEXSZ + 1];
	char *id = tok("AKIA", 16, UPPER_DIGITS, 51), *id2 = tok("AKIA", 16, UPPER_DIGITS, 52);
	char *ini, *line;
	rg_content_ignore ig = { "secrets", NULL, 0 };
	char *lst[] = { "e69de29bb2d1", "0123456789abcdef0123456789abcdef01234567" };
	fx x;

	(void)state;
	rg_content_text_id(hex, "", 0); /* git's empty blob */
	assert_string_equal(hex, "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
	rg_content_text_id(hex, "hello", 5);
	assert_string_equal(hex, "b6fc4c620b67d95f953a5c1c1230aaab5db5a1b0");
	ig.hex = lst;
	ig.n = 2;
	assert_true(rg_content_ignored(&ig, "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391"));
	assert_true(rg_content_ignored(&ig, "0123456789abcdef0123456789abcdef01234567"));
	assert_false(rg_content_ignored(&ig, "e69de29bb2d2d6434b8b29ae775ad8c2e48c5391"));
	assert_false(rg_content_ignored(NULL, "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391"));

	rg_content_text_id(hex, id, strlen(id));
	hex[20] = '\0'; /* a prefix, in upper case, with a comment after it */
	for (line = hex; *line; line++)
		*line = (char)(*line >= 'a' && *line <= 'f' ? *line - 'a' + 'A' : *line);
	ini = fmt("[secrets]\nignore = 0123456789ab %s ; rotated\n", hex);
	fx_init(&x, ini);
	line = fmt("a = '%s'", id);
	assert_int_equal(fx_line(&x, line), 0);
	free(line);
	line = fmt("a = '%s', b = '%s'", id, id2); /* the other key on the line is still found */
	assert_int_equal(fx_line(&x, line), 1);
	assert_int_equal(x.f.v[0].line, 1);
	free(line);
	line = fmt("aws_secret = \"%s\"", id); /* no generic-password in its place */
	assert_int_equal(fx_line(&x, line), 0);
	free(line);
	assert_int_equal(rg_engine_finish(&x.f, &x.ctx), 0);
	assert_true(fx_info(&x, "3 findings ignored by their text's id ([secrets] ignore): "
		"secrets.aws-access-key-id at src/app.js:1 ("));
	line = fmt("b = '%s'", id2);
	assert_int_equal(fx_line(&x, line), 1);
	rg_content_text_id(hex, id2, strlen(id2));
	hex[RG_CONTENT_ID_SHOWN] = '\0';
	free(line);
	line = fmt("\"ignore = %s\" in [secrets]", hex);
	assert_non_null(x.f.v[0].detail);
	assert_non_null(strstr(x.f.v[0].detail, line));
	free(line);
	fx_free(&x);
	free(ini);
	free(id);
	free(id2);
}

/* A commit message: the built-in secrets only, lines named in the text, no path lists. */
static void test_message(void **state)
{
	char *id = tok("AKIA", 16, UPPER_DIGITS, 53), *msg;
	fx x;

	(void)state;
	fx_init(&x, "[secrets]\nallow = **\n[content.no-todo]\npattern = TODO\n");
	msg = fmt("fix: deploy\n\nTODO: the key is %s\n<<<<<<< HEAD\n", id);
	assert_int_equal(rg_content_check_message(&x.f, &x.ctx, NULL, 0, NULL, msg, strlen(msg)), 0);
	assert_int_equal(x.f.n, 1);
	assert_string_equal(x.f.v[0].rule, "secrets.aws-access-key-id");
	assert_null(x.f.v[0].path);
	assert_null(x.f.v[0].commit);
	assert_non_null(strstr(x.f.v[0].message, "commit message, line 3: AWS access key ID: TODO: the key is AKIA"));
	assert_null(strstr(x.f.v[0].message, id));
	assert_null(x.f.v[0].fix); /* no file named: nothing to edit */
	free(msg);
	rg_findings_free(&x.f);
	rg_findings_init(&x.f);
	msg = fmt("wip %s", id);
	assert_int_equal(rg_content_check_message(&x.f, &x.ctx, "0123456789abcdef0123456789abcdef01234567", 1, NULL,
		msg, strlen(msg)), 0);
	assert_int_equal(x.f.n, 1);
	assert_string_equal(x.f.v[0].commit, "0123456789abcdef0123456789abcdef01234567");
	assert_non_null(strstr(x.f.v[0].fix, "git rebase -i --root   # mark 0123456789ab as 'reword'"));
	free(msg);
	fx_free(&x);
	free(id);
}

static void test_binary_and_size(void **state)
{
	fx x;
	char *id = tok("AKIA", 16, UPPER_DIGITS, 60);
	char *text = fmt("key = %s\n", id);
	size_t n = strlen(text);

	(void)state;
	fx_init(&x, "[content]\nmax_file_size = 1K\n");
	text[n - 1] = '\0'; /* a NUL: git calls it binary */
	assert_int_equal(fx_scan(&x, "img.bin", text, n), 0);
	text[n - 1] = '\n';
	assert_int_equal(fx_scan(&x, "key.txt", text, n), 1);
	{
		char *big = calloc(1, 2048);

		memset(big, 'a', 2047);
		memcpy(big + 100, text, n);
		assert_int_equal(fx_scan(&x, "big.txt", big, 2047), 0);
		free(big);
	}
	assert_int_equal(rg_engine_finish(&x.f, &x.ctx), 0);
	assert_true(fx_info(&x, "content checks skipped 1 binary file: img.bin"));
	assert_true(fx_info(&x, "content checks skipped 1 file over [content] max_file_size: big.txt"));
	free(id);
	free(text);
	fx_free(&x);
}

static void test_crlf(void **state)
{
	fx x;
	const char *text = "line one\r\npassword = \"Tr0ub4dor&3\"\r\n<<<<<<< HEAD\r\nx\r\n=======\r\n>>>>>>> b\r\n";

	(void)state;
	fx_init(&x, NULL);
	assert_int_equal(fx_scan(&x, "win.txt", text, strlen(text)), 4);
	assert_string_equal(x.f.v[0].rule, "secrets.generic-password");
	assert_int_equal(x.f.v[0].line, 2);
	assert_null(strchr(x.f.v[0].message, '?'));
	assert_true(rg_str_endswith(x.f.v[0].message, "\"Tr*********\""));
	assert_int_equal(x.f.v[2].line, 5);
	fx_free(&x);
}

/* ASCII text as UTF-16LE with a BOM (caller frees; *len set). */
static char *utf16le(const char *s, size_t *len)
{
	size_t n = strlen(s), i;
	char *o = malloc(2 * n + 2);

	o[0] = (char)0xff;
	o[1] = (char)0xfe;
	for (i = 0; i < n; i++) {
		o[2 + 2 * i] = s[i];
		o[3 + 2 * i] = '\0';
	}
	*len = 2 * n + 2;
	return o;
}

static void test_utf16(void **state)
{
	fx x;
	char *id = tok("AKIA", 16, UPPER_DIGITS, 72);
	char *old = fmt("a\r\nkey = %s\r\n", id), *new = fmt("a\r\nkey = %s\r\nb\r\nnew = %s\r\n", id, id);
	size_t ol, nl;
	char *o16 = utf16le(old, &ol), *n16 = utf16le(new, &nl);

	(void)state;
	fx_init(&x, NULL);
	/* a whole file: the key, at its line, masked; not a binary file */
	assert_int_equal(fx_scan(&x, "win.ps1", o16, ol), 1);
	assert_int_equal(x.f.v[0].line, 2);
	assert_true(rg_str_endswith(x.f.v[0].message, "key = AKIA************"));
	/* a change: only the line it adds, UTF-16 on both sides or on one */
	rg_findings_free(&x.f);
	rg_findings_init(&x.f);
	assert_int_equal(rg_content_check_change(&x.f, &x.ctx, NULL, "win.ps1", o16, ol, n16, nl), 0);
	assert_int_equal(x.f.n, 1);
	assert_int_equal(x.f.v[0].line, 4);
	assert_int_equal(rg_content_check_change(&x.f, &x.ctx, NULL, "win.ps1", old, strlen(old), o16, ol), 0);
	assert_int_equal(x.f.n, 1);
	/* without its BOM it is binary */
	assert_int_equal(fx_scan(&x, "nobom.ps1", o16 + 2, ol - 2), 0);
	assert_int_equal(rg_engine_finish(&x.f, &x.ctx), 0);
	assert_true(fx_info(&x, "content checks skipped 1 binary file: nobom.ps1"));
	free(id); free(old); free(new); free(o16); free(n16);
	fx_free(&x);
}

static void test_added_lines_only(void **state)
{
	fx x;
	char *id = tok("AKIA", 16, UPPER_DIGITS, 70), *id2 = tok("AKIA", 16, UPPER_DIGITS, 71);
	char *old = fmt("a\nkey = %s\nb\n", id), *add_other = fmt("a\nkey = %s\nb\nc = 1\n", id);
	char *add_secret = fmt("x = '%s'\na\nkey = %s\nb\n", id2, id);

	(void)state;
	fx_init(&x, NULL);
	assert_int_equal(rg_content_check_change(&x.f, &x.ctx, NULL, "f.txt", old, strlen(old),
		add_other, strlen(add_other)), 0);
	assert_int_equal(x.f.n, 0);
	assert_int_equal(rg_content_check_change(&x.f, &x.ctx, NULL, "f.txt", old, strlen(old),
		add_secret, strlen(add_secret)), 0);
	assert_int_equal(x.f.n, 1);
	assert_int_equal(x.f.v[0].line, 1);
	free(id); free(id2); free(old); free(add_other); free(add_secret);
	fx_free(&x);
}

/* old -> new adds how many findings? */
static size_t fx_change(fx *x, const char *old, const char *new)
{
	rg_findings_free(&x->f);
	rg_findings_init(&x->f);
	assert_int_equal(rg_content_check_change(&x->f, &x->ctx, NULL, "f.cfg", old, strlen(old), new, strlen(new)), 0);
	return x->f.n;
}

static void test_line_ending_conversion(void **state)
{
	fx x;
	char *id = tok("AKIA", 16, UPPER_DIGITS, 73), *id2 = tok("AKIA", 16, UPPER_DIGITS, 74);
	char *crlf = fmt("a\r\n<<<<<<< HEAD\r\nkey = %s\r\nb\r\n", id);
	char *lf = fmt("a\n<<<<<<< HEAD\nkey = %s\nb\n", id);
	char *lf_more = fmt("a\nnew = %s\n<<<<<<< HEAD\nkey = %s\nb\n", id2, id);
	char *mixed = fmt("a\n<<<<<<< HEAD\r\nkey = %s\nb\r\n", id);
	char *last_cr = fmt("a\r\nkey = %s\r", id), *last_lf = fmt("a\nkey = %s", id);

	(void)state;
	fx_init(&x, NULL);
	/* lines that differ only by the CR of their CRLF are not added, either way */
	assert_int_equal(fx_change(&x, crlf, lf), 0);
	assert_int_equal(fx_change(&x, lf, crlf), 0);
	assert_int_equal(fx_change(&x, crlf, mixed), 0);
	assert_int_equal(fx_change(&x, last_cr, last_lf), 0);
	assert_int_equal(fx_change(&x, last_lf, last_cr), 0);
	/* converted and edited: the new line, at its number */
	assert_int_equal(fx_change(&x, crlf, lf_more), 1);
	assert_int_equal(x.f.v[0].line, 2);
	/* an edit beyond the CR is an edit */
	assert_int_equal(fx_change(&x, crlf, "a\n<<<<<<< HEAD \n"), 1);
	assert_string_equal(x.f.v[0].rule, "conflict");
	/* only the one CR that ends a line goes: a line that gains two is added */
	assert_int_equal(fx_change(&x, "x\n<<<<<<< HEAD\n", "x\n<<<<<<< HEAD\r\n"), 0);
	assert_int_equal(fx_change(&x, "x\n<<<<<<< HEAD\n", "x\n<<<<<<< HEAD\r\r\n"), 1);
	assert_int_equal(x.f.v[0].line, 2);
	free(id); free(id2); free(crlf); free(lf); free(lf_more); free(mixed); free(last_cr); free(last_lf);
	fx_free(&x);
}

static void test_content_rules(void **state)
{
	fx x;
	const char *conf = "[content.no-demo-tenant]\n"
		"pattern = tenant_id\\s*[:=]\\s*['\"]demo['\"]\n"
		"paths = src/** orchestrator/**\n"
		"message = Use the signed-in user's id, never a hardcoded tenant\n"
		"[content.todo]\n"
		"pattern = TODO\\(nobody\\)\n"
		"severity = warn\n"
		"[content.token]\n"
		"pattern = internal_token=(?<secret>[0-9a-f]{12})\n";
	const char *line = "const tenant_id = 'demo';";

	(void)state;
	fx_init(&x, conf);
	fx_scan(&x, "src/api/tenant.ts", line, strlen(line));
	if (x.f.n != 1)
		fail_msg("%zu findings, first %s: %s", x.f.n, x.f.v[0].rule, x.f.v[0].message);
	assert_string_equal(x.f.v[0].rule, "content.no-demo-tenant");
	assert_int_equal(x.f.v[0].severity, RG_SEV_ERROR);
	assert_string_equal(x.f.v[0].message,
		"Use the signed-in user's id, never a hardcoded tenant: const tenant_id = 'demo';");
	assert_non_null(strstr(x.f.v[0].detail, "(test.ini:2)"));
	assert_int_equal(fx_scan(&x, "docs/tenant.md", line, strlen(line)), 0);
	assert_int_equal(fx_scan(&x, "orchestrator/x.py", "tenant_id: \"demo\"", 17), 1);
	assert_int_equal(fx_scan(&x, "any/where.c", "// TODO(nobody)", 15), 1);
	assert_int_equal(x.f.v[0].severity, RG_SEV_WARN);
	assert_string_equal(x.f.v[0].message, "forbidden pattern: // TODO(nobody)");
	assert_int_equal(fx_scan(&x, "a.cfg", "internal_token=0123456789ab", 27), 1);
	assert_string_equal(x.f.v[0].message, "forbidden pattern: internal_token=01**********");
	fx_free(&x);
}

static void test_secrets_config(void **state)
{
	fx x;
	char *id = tok("AKIA", 16, UPPER_DIGITS, 80);
	char *line = fmt("k = %s", id);

	(void)state;
	fx_init(&x, "[secrets]\nallow = tests/fixtures/**\ndisable = jwt secrets.stripe-key\n");
	assert_int_equal(fx_scan(&x, "tests/fixtures/creds.txt", line, strlen(line)), 0);
	assert_int_equal(fx_scan(&x, "src/creds.txt", line, strlen(line)), 1);
	{
		char *jwt = fmt("eyJ%s.eyJ%s.%s", "aaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbb", "cccccccccccccccc");

		assert_int_equal(fx_scan(&x, "src/a.js", jwt, strlen(jwt)), 0);
		free(jwt);
	}
	fx_free(&x);
	fx_init(&x, "[secrets]\nenabled = false\n");
	assert_int_equal(fx_scan(&x, "src/creds.txt", line, strlen(line)), 0);
	fx_free(&x);
	/* REPOGUARD_SKIP names one built-in id */
	setenv("REPOGUARD_SKIP", "secrets.aws-access-key-id", 1);
	fx_init(&x, NULL);
	assert_int_equal(fx_scan(&x, "src/creds.txt", line, strlen(line)), 0);
	assert_int_equal(rg_engine_finish(&x.f, &x.ctx), 0);
	assert_true(fx_info(&x, "skipped by REPOGUARD_SKIP: secrets.aws-access-key-id"));
	fx_free(&x);
	unsetenv("REPOGUARD_SKIP");
	free(id);
	free(line);
}

static int conf_errors(const char *text, const char *expect)
{
	rg_conf c;
	rg_ctx ctx;
	int r;

	rg_conf_init(&c);
	rg_conf_parse_string(&c, text, strlen(text), "t.ini");
	rg_rules_validate(&c);
	rg_ctx_init(&ctx, NULL, &c, RG_MODE_PRE_COMMIT, "pre-commit");
	r = rg_engine_configure(&ctx);
	if (!strstr(rg_buf_cstr(&c.errors), expect))
		fail_msg("expected '%s' in: %s", expect, rg_buf_cstr(&c.errors));
	rg_engine_free(&ctx);
	rg_ctx_free(&ctx);
	rg_conf_free(&c);
	return r;
}

static void test_config_errors(void **state)
{
	(void)state;
	assert_int_equal(conf_errors("[content.x]\npaths = src/\n", "t.ini:2: [content.x] needs a pattern"), RG_ECONFIG);
	assert_int_equal(conf_errors("; header alone\n[content.x]\n", "t.ini:2: [content.x] needs a pattern"), RG_ECONFIG);
	assert_int_equal(conf_errors("[content.x]\npattern = a(b\n",
		"t.ini:2: [content.x] invalid pattern: missing closing parenthesis at offset 3"), RG_ECONFIG);
	assert_int_equal(conf_errors("[content]\npattern = x\n", "t.ini:2: 'pattern' belongs in a named section"),
		RG_ECONFIG);
	assert_int_equal(conf_errors("[content.x]\npattern = a\npattern = b\n", "t.ini:3: [content.x] has a second pattern"),
		RG_ECONFIG);
	assert_int_equal(conf_errors("[content.x]\npattern = a\nmax_file_size = 1M\n", "t.ini:3: max_file_size belongs in [content]"),
		RG_ECONFIG);
	assert_int_equal(conf_errors("[secrets]\ndisable = nosuch\n", "t.ini:2: unknown built-in secret 'nosuch'"), RG_ECONFIG);
	assert_int_equal(conf_errors("[secrets]\nignore = e69de29bb2d1\n  e69de29bb2\n",
		"t.ini:3: [secrets] ignore: 'e69de29bb2' is not a text's id (12 to 40 hexadecimal digits"), RG_ECONFIG);
	assert_int_equal(conf_errors("[secrets]\nignore = e69de29bb2d1d6434b8b29ae775ad8c2e48c5391f\n",
		"t.ini:2: [secrets] ignore: 'e69de29bb2d1d6434b8b29ae775ad8c2e48c5391f' is not"), RG_ECONFIG);
	assert_int_equal(conf_errors("[secrets]\nignore = e69de29bb2dz\n", "t.ini:2: [secrets] ignore: 'e69de29bb2dz'"),
		RG_ECONFIG);
	assert_int_equal(conf_errors("[commit-msg]\npattern = (\n", "t.ini:2: [commit-msg] invalid pattern"), RG_ECONFIG);
}

/* inih cuts lines at 200 bytes unless told otherwise: a 4 KB pattern must load whole. */
static void test_long_pattern(void **state)
{
	rg_buf conf = RG_BUF_INIT, line = RG_BUF_INIT;
	fx x;
	int i;

	(void)state;
	rg_buf_puts(&conf, "[content.words]\npattern = \\b(?:");
	for (i = 0; i < 460; i++)
		rg_buf_printf(&conf, "%sword%04d", i ? "|" : "", i);
	rg_buf_puts(&conf, ")\\b ; a comment\n");
	assert_true(conf.len > 4000);
	fx_init(&x, conf.ptr);
	assert_int_equal(fx_line(&x, "say word0459 now"), 1);
	assert_int_equal(fx_line(&x, "say word0000 now"), 1);
	assert_int_equal(fx_line(&x, "say word0460 now"), 0);
	/* a pattern with " ;" in it: "\;" keeps inih from starting a comment */
	fx_free(&x);
	fx_init(&x, "[content.semi]\npattern = a \\; b ; comment\n");
	assert_int_equal(fx_line(&x, "x a ; b"), 1);
	fx_free(&x);
	rg_buf_dispose(&conf);
	rg_buf_dispose(&line);
}

/* The whole-file entry point audit uses: a blob read through the context. */
static void test_check_blob(void **state)
{
	char dir[] = "/tmp/repoguard-test-blob.XXXXXX";
	git_repository *repo = NULL;
	git_oid id;
	rg_conf conf;
	rg_ctx ctx;
	rg_findings f;
	char *key = tok("AKIA", 16, UPPER_DIGITS, 90);
	char *text = fmt("one\ntwo = %s\n", key);
	rg_buf cmd = RG_BUF_INIT;

	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_int_equal(git_repository_init(&repo, dir, 1), 0);
	assert_int_equal(git_blob_create_from_buffer(&id, repo, text, strlen(text)), 0);
	rg_conf_init(&conf);
	rg_conf_parse_string(&conf, rg_default_rules, strlen(rg_default_rules), "rules.ini");
	rg_rules_validate(&conf);
	assert_int_equal(rg_ctx_init(&ctx, repo, &conf, RG_MODE_AUDIT, "audit"), 0);
	assert_int_equal(rg_engine_configure(&ctx), 0);
	rg_findings_init(&f);
	assert_int_equal(rg_content_check_blob(&f, &ctx, "0123456789abcdef0123456789abcdef01234567", "a/b.txt", &id), 0);
	assert_int_equal(f.n, 1);
	assert_string_equal(f.v[0].rule, "secrets.aws-access-key-id");
	assert_string_equal(f.v[0].commit, "0123456789abcdef0123456789abcdef01234567");
	assert_string_equal(f.v[0].path, "a/b.txt");
	assert_int_equal(f.v[0].line, 2);
	assert_non_null(strstr(f.v[0].fix, "git rebase -i 0123456789ab~1"));
	rg_findings_free(&f);
	rg_engine_free(&ctx);
	rg_ctx_free(&ctx);
	rg_conf_free(&conf);
	git_repository_free(repo);
	rg_buf_printf(&cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd.ptr), 0);
	rg_buf_dispose(&cmd);
	free(key);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_private_key),
		cmocka_unit_test(test_aws),
		cmocka_unit_test(test_tokens),
		cmocka_unit_test(test_jwt),
		cmocka_unit_test(test_service_keys),
		cmocka_unit_test(test_cloud_keys),
		cmocka_unit_test(test_auth_header),
		cmocka_unit_test(test_env_defaults),
		cmocka_unit_test(test_cli_password),
		cmocka_unit_test(test_language_shapes),
		cmocka_unit_test(test_generic_password),
		cmocka_unit_test(test_generic_password_code),
		cmocka_unit_test(test_code_values),
		cmocka_unit_test(test_url_password),
		cmocka_unit_test(test_entropy),
		cmocka_unit_test(test_conflict_markers),
		cmocka_unit_test(test_redaction),
		cmocka_unit_test(test_redaction_of_every_secret_on_the_line),
		cmocka_unit_test(test_allow_comments),
		cmocka_unit_test(test_ignore_ids),
		cmocka_unit_test(test_message),
		cmocka_unit_test(test_binary_and_size),
		cmocka_unit_test(test_crlf),
		cmocka_unit_test(test_utf16),
		cmocka_unit_test(test_added_lines_only),
		cmocka_unit_test(test_line_ending_conversion),
		cmocka_unit_test(test_content_rules),
		cmocka_unit_test(test_secrets_config),
		cmocka_unit_test(test_config_errors),
		cmocka_unit_test(test_long_pattern),
		cmocka_unit_test(test_check_blob),
	};

	int r;

	git_libgit2_init();
	r = cmocka_run_group_tests(tests, NULL, NULL);
	git_libgit2_shutdown();
	return r;
}

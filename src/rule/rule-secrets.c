/*
 * rule-secrets.c: built-in secret patterns ([secrets]), each with its own
 * finding id (secrets.NAME), checked on the lines a change adds.
 *
 * Patterns are written so that the matcher can prefilter them by a literal
 * (a key prefix such as "AKIA" or "ghp_", a keyword such as "password"):
 * see matcher.h. Matches are redacted in every excerpt.
 */
#include <pcre2.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "repoguard/buf.h"
#include "repoguard/content.h"
#include "repoguard/rule.h"

extern const rg_rule rg_rule_secrets;

static const char *const secrets_keys[] = { "enabled", "allow", "disable", "ignore", NULL };
static const rg_section_spec secrets_section = { "secrets", RG_SEC_PLAIN, secrets_keys };
static const rg_section_spec *const secrets_sections[] = { &secrets_section, NULL };

typedef struct {
	rg_content *content;
	rg_patlist allow;
	rg_content_ignore ignore;    /* rotated secrets' ids */
} secrets_state;

typedef int (*secrets_validate_fn)(void *state, const rg_content_line *l, const rg_match *m);

typedef struct {
	const char *name;
	const char *what;
	const char *pattern;
	secrets_validate_fn validate;
	int (*path_ok)(const char *path); /* only in files it says yes to (their names); NULL: every file */
} secrets_builtin;

/* log2 without libm: x = m * 2^e with m in [1, 2), ln m by the atanh series. */
static double secrets_log2(double x)
{
	double e = 0, t, t2, sum = 0, term;
	int k;

	if (x <= 0)
		return 0;
	while (x >= 2) {
		x /= 2;
		e += 1;
	}
	while (x < 1) {
		x *= 2;
		e -= 1;
	}
	t = (x - 1) / (x + 1);
	t2 = t * t;
	term = t;
	for (k = 1; k < 40; k += 2) {
		sum += term / k;
		term *= t2;
	}
	return e + 2 * sum / 0.69314718055994530942;
}

/* Shannon entropy of s in bits per byte. */
double rg_secrets_entropy(const char *s, size_t n)
{
	size_t count[256] = { 0 }, i;
	double h = 0;

	if (!n)
		return 0;
	for (i = 0; i < n; i++)
		count[(unsigned char)s[i]]++;
	for (i = 0; i < 256; i++)
		if (count[i]) {
			double p = (double)count[i] / (double)n;

			h -= p * secrets_log2(p);
		}
	return h;
}

static int secrets_contains_ci(const char *s, size_t n, const char *needle)
{
	size_t nl = strlen(needle), i, j;

	for (i = 0; i + nl <= n; i++) {
		for (j = 0; j < nl; j++) {
			char c = s[i + j];

			if (c >= 'A' && c <= 'Z')
				c = (char)(c - 'A' + 'a');
			if (c != needle[j])
				break;
		}
		if (j == nl)
			return 1;
	}
	return 0;
}

/*
 * A fixed-shape token whose random part, after its last '_', '-' or '/',
 * uses fewer than 5 distinct characters is a placeholder written in its
 * shape (sk_live_xxxxxxxxxxxxxxxx in a .env.example, Slack's documented
 * T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX, AKIAXXXXXXXXXXXXXXXX): a
 * random part of 10 or more characters from 36 or 62 has that few with a
 * probability below 1e-7. So is one of words and then digits
 * (ghp_PersonalAccessToken0124..., Octokit's README: rg_secrets_wordy).
 */
static int secrets_placeholder_token(const char *s, size_t n)
{
	unsigned char seen[256];
	size_t i, start = 0, distinct = 0;

	for (i = 0; i < n; i++)
		if (s[i] == '_' || s[i] == '-' || s[i] == '/')
			start = i + 1;
	if (n - start < 8)
		start = 0;
	memset(seen, 0, sizeof(seen));
	for (i = start; i < n; i++)
		if (!seen[(unsigned char)s[i]]++)
			distinct++;
	return distinct < 5 || rg_secrets_wordy(s + start, n - start);
}

static int secrets_token(void *state, const rg_content_line *l, const rg_match *m)
{
	RG_UNUSED(state);
	return !secrets_placeholder_token(l->text + m->secret_start, m->secret_end - m->secret_start);
}

/* an OpenAI key: each random run around its "T3BlbkFJ" judged as a token's (sk-xxx...T3BlbkFJxxx... is a placeholder) */
static int secrets_openai(void *state, const rg_content_line *l, const rg_match *m)
{
	const char *s = l->text + m->secret_start, *mark;
	size_t n = m->secret_end - m->secret_start;

	RG_UNUSED(state);
	mark = memmem(s, n, "T3BlbkFJ", 8);
	if (!mark)
		return 0;
	return !secrets_placeholder_token(s, (size_t)(mark - s)) &&
		!secrets_placeholder_token(mark + 8, n - (size_t)(mark - s) - 8);
}

/* AWS documents its examples as ...EXAMPLE; git-secrets allows them too. */
static int secrets_aws_id(void *state, const rg_content_line *l, const rg_match *m)
{
	return !secrets_contains_ci(l->text + m->secret_start, m->secret_end - m->secret_start, "example") &&
		secrets_token(state, l, m);
}

static void secrets_classes(int *lower, int *upper, int *digit, int *symbol, const char *s, size_t n)
{
	size_t i;

	*lower = *upper = *digit = *symbol = 0;
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (c >= 'a' && c <= 'z')
			*lower = 1;
		else if (c >= 'A' && c <= 'Z')
			*upper = 1;
		else if (c >= '0' && c <= '9')
			*digit = 1;
		else if (!strchr("_-./", c))
			*symbol = 1;
	}
}

/* A 40-character secret access key is random base64: both cases, high entropy. */
static int secrets_aws_secret(void *state, const rg_content_line *l, const rg_match *m)
{
	const char *s = l->text + m->secret_start;
	size_t n = m->secret_end - m->secret_start;
	int lower, upper, digit, symbol;

	RG_UNUSED(state);
	secrets_classes(&lower, &upper, &digit, &symbol, s, n);
	/* not a type's name of 40 letters: publicKey: PublicKeyCredentialCreationOptionsFuture */
	return lower && upper && rg_secrets_entropy(s, n) >= 3.5 && !secrets_contains_ci(s, n, "example") &&
		!rg_secrets_identifier(s, n);
}

static const char *const secrets_placeholders[] = {
	"xxxx", "****", "${", "{{", "<%", "%(", "%s", "://", "example", "placeholder", "redacted",
	"changeme", "change_me", "change-me", "dummy", "sample", "your_", "your-", "anonymous", "{}", NULL
};

/* A name in brackets, a template's slot: [DB_PASSWORD], (db.pass) */
static int secrets_bracketed_name(const char *s, size_t n, char close)
{
	size_t i;
	int letter = 0;

	if (s[n - 1] != close)
		return 0;
	for (i = 1; i + 1 < n; i++) {
		char c = s[i];

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
			letter = 1;
		else if (!(c >= '0' && c <= '9') && !strchr("_.-", c))
			return 0;
	}
	return letter;
}

/*
 * References and templates, by their first character: $VAR and ${VAR},
 * %VAR% (Windows), @name@ (Maven filtering), <your password>, {password}
 * (Python's format, its f-strings, C#'s interpolation), a name in square or
 * round brackets ([DB_PASSWORD]), and unquoted
 * YAML aliases and anchors (*name, &name). A password may well hold < > @ &
 * or * elsewhere, or start with them inside quotes.
 */
static int secrets_reference(const char *s, size_t n, int quoted)
{
	char last = s[n - 1];

	switch (s[0]) {
	case '$': return 1;
	case '%': return last == '%';
	case '@': return last == '@';
	case '<': return last == '>';
	case '{': return last == '}';
	case '[': return secrets_bracketed_name(s, n, ']');
	case '(': return secrets_bracketed_name(s, n, ')');
	case '*': case '&': return !quoted;
	default: return 0;
	}
}

/*
 * Words of letters, each lower case, Capitalised or ALL CAPS, joined by '-',
 * '.' or '_' ("Passwort", "API-Schlüssel", "authtoken.Token"): a translation
 * or a name, not a secret (locale files are full of "password": "..."). A
 * random value mixes cases inside a word. Bytes of multi-byte UTF-8 count
 * as lower-case letters.
 */
static int secrets_lower(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || c >= 0x80;
}

/* camelCase: every capital after the first letter starts a hump of at least three letters. */
static int secrets_camel(const char *p, size_t len)
{
	size_t i;

	for (i = 1; i < len; i++)
		if (p[i] >= 'A' && p[i] <= 'Z' &&
		    (i + 2 >= len || !secrets_lower((unsigned char)p[i + 1]) ||
		     !secrets_lower((unsigned char)p[i + 2])))
			return 0;
	return 1;
}

static int secrets_wordlike(const char *s, size_t n)
{
	/* a dotted name (auth.accessToken) may hold camelCase words; a lone one may not */
	int dotted = memchr(s, '.', n) != NULL;
	size_t i = 0;

	while (i < n) {
		size_t start = i;
		int upper_inside = 0, lower = 0;

		for (; i < n && !strchr("-._", s[i]); i++) {
			unsigned char c = (unsigned char)s[i];

			if (c >= 'A' && c <= 'Z')
				upper_inside |= i > start;
			else if (secrets_lower(c))
				lower = 1;
			else
				return 0;
		}
		if (i == start || (upper_inside && lower && !(dotted && secrets_camel(s + start, i - start))))
			return 0;
		i++;
	}
	return 1;
}

/*
 * The Supabase CLI's local development stack ("supabase start") always has
 * the same secret key, printed to anyone who runs it: public, as AWS's
 * documentation keys are. Its random part alone is here, which is no key.
 */
static const char secrets_supabase_local[] = "N7UND0UgjKTVK-Uodkm0Hg_xSvEMPvz";

/* sb_secret_ + a random part: not words (sb_secret_access_token), no placeholder, not the CLI's local key */
static int secrets_supabase(void *state, const rg_content_line *l, const rg_match *m)
{
	const char *s = l->text + m->secret_start;
	size_t n = m->secret_end - m->secret_start, p = strlen("sb_secret_");

	RG_UNUSED(state);
	if (n < p || secrets_wordlike(s + p, n - p))
		return 0;
	if (n - p == strlen(secrets_supabase_local) && !memcmp(s + p, secrets_supabase_local, n - p))
		return 0;
	return !secrets_placeholder_token(s, n);
}

/*
 * A token whose fixed prefix no separator splits off, its random part
 * judged alone: AIza + 35 X, pypi-AgEIcHlwaS5vcmc + 50 X are placeholders
 */
static int secrets_token_after(const rg_content_line *l, const rg_match *m, size_t prefix)
{
	size_t n = m->secret_end - m->secret_start;

	return n > prefix && !secrets_placeholder_token(l->text + m->secret_start + prefix, n - prefix);
}

static int secrets_google(void *state, const rg_content_line *l, const rg_match *m)
{
	RG_UNUSED(state);
	return secrets_token_after(l, m, strlen("AIza"));
}

static int secrets_pypi(void *state, const rg_content_line *l, const rg_match *m)
{
	RG_UNUSED(state);
	return secrets_token_after(l, m, strlen("pypi-AgEIcHlwaS5vcmc"));
}

/*
 * Azurite's (and the older Storage Emulator's) account key is one fixed,
 * published value, in every local-development connection string
 * (AccountName=devstoreaccount1): public, as AWS's documentation keys are.
 */
static const char secrets_azurite[] =
	"Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

static int secrets_azure(void *state, const rg_content_line *l, const rg_match *m)
{
	const char *s = l->text + m->secret_start;
	size_t n = m->secret_end - m->secret_start;

	if (n == strlen(secrets_azurite) && !memcmp(s, secrets_azurite, n))
		return 0;
	return secrets_token(state, l, m);
}

/*
 * A file path (/home/me/.ssh/id_ed25519, ~/.ssh/id_rsa, ./certs/key.pem), as
 * private_key_file names one: each of its parts lower case, or words
 * (Library, My-Keys). Base64 may start with '/' too (/9j/4AAQSkZJRg...),
 * but mixes cases inside its parts.
 */
static int secrets_path(const char *s, size_t n)
{
	size_t i = 0;

	if (s[0] != '/' && !(n > 1 && (s[0] == '~' || s[0] == '.') && (s[1] == '/' || s[1] == '.')))
		return 0;
	while (i < n) {
		size_t start;
		int upper = 0;

		while (i < n && s[i] == '/')
			i++;
		for (start = i; i < n && s[i] != '/'; i++) {
			unsigned char c = (unsigned char)s[i];

			if (c >= 'A' && c <= 'Z')
				upper = 1;
			else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || strchr("._-~", c)))
				return 0;
		}
		if (upper && !secrets_wordlike(s + start, i - start))
			return 0;
	}
	return 1;
}

/* a date, a time stamp: 2018-03-02, 2018-03-02T21:26:13Z */
static int secrets_date(const char *s, size_t n)
{
	static const char shape[] = "dddd-dd-dd";
	size_t i;

	if (n < sizeof(shape) - 1)
		return 0;
	for (i = 0; i < sizeof(shape) - 1; i++)
		if (shape[i] == 'd' ? !(s[i] >= '0' && s[i] <= '9') : s[i] != shape[i])
			return 0;
	return 1;
}

/* an identifier or a version of one letter at most, the rest digits, '.' and '-': T1552.004, 1.2.3-4 */
static int secrets_numbered(const char *s, size_t n)
{
	size_t i, letters = 0;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
			letters++;
		else if (!((c >= '0' && c <= '9') || c == '.' || c == '-'))
			return 0;
	}
	return letters <= 1;
}

/*
 * A part of a path that holds a capital is of letters in camelCase
 * (anotherProjectNumber), starting lower-case: base64 mixes cases otherwise.
 */
static int secrets_part_camel(const char *s, size_t len)
{
	size_t i;

	if (!len || (s[0] >= 'A' && s[0] <= 'Z'))
		return 0;
	for (i = 0; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z')))
			return 0;
	return secrets_camel(s, len);
}

/*
 * A name, not a secret: a URN ("urn:ietf:params:oauth:token-type:jwt") or
 * an AWS ARN ("arn:aws:iam::123456789012:role/deploy"), a
 * number in hexadecimal (a C constant, 0x8031006D; a 32-digit hex key has
 * no 0x), a date, a numbered identifier (MITRE's T1552.004), a resource's
 * path of three parts or more (projects/p/secrets/s/versions/1).
 */
static int secrets_name_value(const char *s, size_t n)
{
	size_t i, slashes = 0, part = 0;
	int upper = 0;

	if ((n > 4 && (!strncasecmp(s, "urn:", 4) || !strncmp(s, "arn:", 4))) || secrets_date(s, n) ||
	    secrets_numbered(s, n))
		return 1;
	if (n > 2 && n <= 18 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		for (i = 2; i < n && strchr("0123456789abcdefABCDEF", s[i]) && s[i]; i++)
			;
		return i == n;
	}
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '/') {
			if (upper && !secrets_part_camel(s + part, i - part))
				return 0;
			slashes++;
			part = i + 1;
			upper = 0;
		} else if (c >= 'A' && c <= 'Z') {
			upper = 1;
		} else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.')) {
			return 0;
		}
	}
	if (upper && !secrets_part_camel(s + part, n - part))
		return 0;
	return slashes >= 2;
}

/*
 * A regular expression, not a password: a password policy's pattern
 * (PASSWORD_REGEX = "^(?=.*[A-Z])(?=.*\\d).{8,}$", passwordPattern:
 * "^[a-zA-Z0-9!@#$%^&*]{8,64}$"), told by a group's (?= (?! (?: (?<, a
 * class's repetition "]{", or ^...$ around a class, a group, an escape or
 * a repeated dot
 */
static int secrets_regex(const char *s, size_t n)
{
	static const char *const marks[] = { "(?=", "(?!", "(?:", "(?<", "]{", NULL };
	const char *const *p;

	for (p = marks; *p; p++)
		if (memmem(s, n, *p, strlen(*p)))
			return 1;
	if (n < 4 || s[0] != '^' || s[n - 1] != '$')
		return 0;
	return memchr(s, '[', n) || memchr(s, '(', n) || memchr(s, '\\', n) ||
		memmem(s, n, ".*", 2) || memmem(s, n, ".+", 2);
}

/* Publishable keys (Supabase's, Stripe's) are meant to be public: in a web page, an app, a repository. */
static int secrets_public_key(const char *s, size_t n)
{
	static const char *const prefixes[] = { "sb_publishable_", "pk_live_", "pk_test_", NULL };
	const char *const *p;

	for (p = prefixes; *p; p++)
		if (n > strlen(*p) && !memcmp(s, *p, strlen(*p)))
			return 1;
	return 0;
}

/*
 * Does a value of at least min characters look like a secret rather than a
 * word, a reference or a placeholder? Shannon entropy of at least 3 bits per
 * character, two classes of characters (unquoted values: a digit or symbol),
 * not words (secrets_wordlike).
 */
static int secrets_value(const char *s, size_t n, int quoted, size_t min)
{
	const char *const *p;
	int lower, upper, digit, symbol;
	double want;

	if (n < min || secrets_public_key(s, n) || secrets_path(s, n) || secrets_name_value(s, n) ||
	    secrets_regex(s, n))
		return 0;
	for (p = secrets_placeholders; *p; p++)
		if (secrets_contains_ci(s, n, *p))
			return 0;
	if (secrets_reference(s, n, quoted))
		return 0;
	secrets_classes(&lower, &upper, &digit, &symbol, s, n);
	if (lower + upper + digit + symbol < 2)
		return 0;
	if (!quoted && !digit && !symbol)
		return 0;
	/* a word, also as a label or prompt ("Password:") */
	if (secrets_wordlike(s, n - (s[n - 1] == ':')))
		return 0;
	/* a type's or a key's name, in camelCase or PascalCase words, or several joined */
	if (rg_secrets_name(s, n))
		return 0;
	/* 3 bits per character, or 75% of the most a shorter value can have */
	want = 0.75 * secrets_log2((double)n);
	return rg_secrets_entropy(s, n) >= (want < 3.0 ? want : 3.0);
}

/*
 * Generic "password = value": 8 characters at least, since a name that only
 * says password or token is followed by short words and codes too.
 */
int rg_secrets_generic_value(const char *s, size_t n, int quoted)
{
	return secrets_value(s, n, quoted, 8);
}

/*
 * A URL's or a connection string's password is one by where it stands, so
 * that a short one (postgres://app:s3cr3t@db/x) counts too: 4 characters
 * at least, judged as a quoted generic value. Documentation's examples are
 * words (user:pass@, guest:guest@), one class (:1234@) or placeholders.
 */
int rg_secrets_url_value(const char *s, size_t n)
{
	return secrets_value(s, n, 1, 4);
}

static int secrets_name_byte(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* Where the name holding text[kw] starts: back over name bytes and the punctuation in also (".-"). */
static size_t secrets_name_start(const char *text, size_t kw, const char *also)
{
	while (kw > 0 && (secrets_name_byte(text[kw - 1]) || strchr(also, text[kw - 1])))
		kw--;
	return kw;
}

/* ... and where it ends: on over name bytes, '.' and '-', before limit. */
static size_t secrets_name_end(const char *text, size_t kw, size_t limit)
{
	while (kw < limit && (secrets_name_byte(text[kw]) || strchr(".-", text[kw])))
		kw++;
	return kw;
}

/*
 * A shell's or docker-compose's default, ${NAME:-v} (also ${NAME-v},
 * ${NAME:=v}, ${NAME=v}): v ships with the file, so it is what is judged.
 * *s and *n are narrowed to v when they hold one and v is not empty.
 */
static void secrets_shell_default(const char **s, size_t *n)
{
	const char *v = *s;
	size_t len = *n, i = 2;

	if (len < 5 || v[0] != '$' || v[1] != '{' || v[len - 1] != '}')
		return;
	while (i < len && secrets_name_byte(v[i]))
		i++;
	if (i == 2 || i >= len - 1)
		return;
	if (v[i] == ':')
		i++;
	if (i + 2 >= len || (v[i] != '-' && v[i] != '='))
		return;
	*s = v + i + 1;
	*n = len - 1 - (i + 1);
}

/* s[0..n) lower-cased without its '_', '-' and '.', into out (at most cap bytes); its length. */
static size_t secrets_fold_name(char *out, size_t cap, const char *s, size_t n)
{
	size_t i, k = 0;

	for (i = 0; i < n && k < cap; i++)
		if (!strchr("_-.", s[i]))
			out[k++] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] - 'A' + 'a' : s[i]);
	return k;
}

/*
 * The value is its own name, maybe after my_, your_, ...: a generated
 * example's slot ("nextPageToken": "my_nextPageToken", googleapis' 4,984
 * such lines in 1.1 GB of npm packages), password: "my_password",
 * clientSecret = "the-client-secret". The name is the identifier holding
 * the keyword, or its part after a '.', '_' or '-' (db.password,
 * DB_PASSWORD).
 */
static int secrets_name_echo(const rg_content_line *l, const rg_match *m, const char *v, size_t n)
{
	static const char *const lead[] = { "", "my", "your", "the", "some", "a", "an", "new", "test", "fake",
		"dummy", "sample", "example", "demo", "default", NULL };
	char name[96], val[96];
	size_t start = secrets_name_start(l->text, m->start, ".-"), end = secrets_name_end(l->text, m->start, l->len);
	size_t vn, nn, i, k;

	if (end - start > sizeof(name) || n > sizeof(val))
		return 0;
	vn = secrets_fold_name(val, sizeof(val), v, n);
	for (i = start; i < end; i++) {
		if (i > start && !strchr("._-", l->text[i - 1]))
			continue;
		nn = secrets_fold_name(name, sizeof(name), l->text + i, end - i);
		for (k = 0; lead[k]; k++) {
			size_t ln = strlen(lead[k]);

			if (nn && vn == ln + nn && !memcmp(val, lead[k], ln) && !memcmp(val + ln, name, nn))
				return 1;
		}
	}
	return 0;
}

/*
 * Code between two string literals, the first of which held the keyword:
 * minified bundles' log("Failed to get token: "+e),...,f(" reads as the
 * value "+e),...,f(" of token. The value starts with what may follow a
 * string and ends with what may come before one: 8 findings in 1.1 GB of
 * npm packages (firebase, aws-sdk, terser, jmespath, comment-json), none a
 * secret.
 */
static int secrets_between_strings(const char *v, size_t n)
{
	return n >= 2 && v[0] && v[n - 1] && strchr("+,)", v[0]) && strchr("+,(:[{=?|&", v[n - 1]);
}

/*
 * A TypeScript declaration file holds types, not values: an unquoted
 * "apiKey: SensitiveString2048;" there is a type (aws-sdk's clients/ *.d.ts).
 * A literal type is quoted, and still judged.
 */
static int secrets_declaration_file(const char *path)
{
	return path && (rg_str_endswith(path, ".d.ts") || rg_str_endswith(path, ".d.mts") ||
		rg_str_endswith(path, ".d.cts"));
}

/* What the validators see of a path (rg_content_path_key_fn): a declaration file or not. */
static unsigned secrets_path_key(void *state, const char *path)
{
	RG_UNUSED(state);
	return (unsigned)secrets_declaration_file(path);
}

static int secrets_generic(void *state, const rg_content_line *l, const rg_match *m)
{
	const char *v = l->text + m->secret_start;
	size_t n = m->secret_end - m->secret_start;
	/* an XML element's text (<Password>v</Password>) is delimited as a quoted value is */
	int quoted = m->secret_start > 0 && strchr("\"'`>", l->text[m->secret_start - 1]) != NULL;

	RG_UNUSED(state);
	if (!quoted && secrets_declaration_file(l->path))
		return 0;
	secrets_shell_default(&v, &n);
	/* an expression: tokenType = t.space;, "output_token": "Jobs[-1].JobId" */
	if (rg_secrets_code_value(v, n) || secrets_name_echo(l, m, v, n) || secrets_between_strings(v, n))
		return 0;
	return rg_secrets_generic_value(v, n, quoted);
}

/* The name that holds the keyword is the whole of a quoted string ("DB_PASSWORD", 'api_key'). */
static int secrets_quoted_name(const char *text, size_t kw, size_t name_end)
{
	size_t start = secrets_name_start(text, kw, ".-");

	return start > 0 && text[start - 1] == text[name_end];
}

/* ... the name of an XML element: <Password>, <db:Password> */
static int secrets_element_name(const char *text, size_t kw)
{
	size_t start = secrets_name_start(text, kw, ".:-");

	return start > 0 && text[start - 1] == '<';
}

/* Does the attribute name word end at end (text[end - 1]) and start after a blank? */
static int secrets_attribute_is(const char *text, size_t end, const char *word)
{
	size_t k = strlen(word);

	return end > k && (text[end - k - 1] == ' ' || text[end - k - 1] == '\t') &&
		secrets_contains_ci(text + end - k, k, word);
}

/* ... an XML attribute key="..." or name="..." whose element has a value="...": <add key="ApiKey" value="v"/> */
static int secrets_attribute_name(const char *text, size_t kw, size_t name_end)
{
	size_t start = kw;

	if (!secrets_quoted_name(text, kw, name_end))
		return 0;
	while (start > 0 && text[start - 1] != text[name_end])
		start--;
	start--; /* the opening quote */
	while (start > 0 && strchr(" \t", text[start - 1]))
		start--;
	if (!start || text[--start] != '=')
		return 0;
	while (start > 0 && strchr(" \t", text[start - 1]))
		start--;
	return secrets_attribute_is(text, start, "key") || secrets_attribute_is(text, start, "name");
}

/*
 * The quoted generic rule's XML shapes, told by what follows the name that
 * holds the keyword: '"' or "'" then "value=" an attribute pair (<add
 * key="ApiKey" value="v"/>), ">" an element (<Password>v</Password>).
 */
static int secrets_generic_shape(const rg_content_line *l, const rg_match *m)
{
	const char *t = l->text;
	size_t e = secrets_name_end(t, m->start, m->secret_start), k;

	if (e >= m->secret_start)
		return 1;
	if (t[e] == '>')
		return secrets_element_name(t, m->start);
	if (t[e] != '"' && t[e] != '\'' && t[e] != '`')
		return 1;
	for (k = e + 1; k < m->secret_start && strchr(" \t", t[k]); k++)
		;
	if (t[k] == 'v')
		return secrets_attribute_name(t, m->start, e);
	return 1;
}

static int secrets_generic_assign(void *state, const rg_content_line *l, const rg_match *m)
{
	return secrets_generic_shape(l, m) && secrets_generic(state, l, m);
}

/*
 * An image reference pinned by its digest (docker://redis:7-alpine@sha256:...,
 * skopeo's and buildah's transport) reads as user:password@host: its tag is
 * no password.
 */
static int secrets_image_digest(const rg_content_line *l, const rg_match *m)
{
	const char *host = l->text + m->secret_end + 1;

	if (m->secret_end + 8 > l->len || l->text[m->secret_end] != '@')
		return 0;
	return !memcmp(host, "sha256:", 7) || !memcmp(host, "sha512:", 7);
}

/* Keys that make a line a connection string (ADO.NET, ODBC) besides its password. */
static const char *const secrets_connection_keys[] = {
	"server", "data source", "host", "database", "dbname", "initial catalog", "uid", "user id", "driver", "dsn",
	"address", "addr", NULL
};

/* Is key, then '=' after any blanks, at t[i], a key of its own (after a delimiter, a blank or the start)? */
static int secrets_connection_key_at(const char *t, size_t len, size_t i, const char *key)
{
	size_t k = strlen(key);

	if (i + k > len || (i > 0 && (!t[i - 1] || !strchr(";\"' \t", t[i - 1]))) || !secrets_contains_ci(t + i, k, key))
		return 0;
	for (i += k; i < len && (t[i] == ' ' || t[i] == '\t'); i++)
		;
	return i < len && t[i] == '=';
}

static int secrets_connection_string(const char *t, size_t len)
{
	const char *const *k;
	size_t i;

	for (i = 0; i < len; i++)
		for (k = secrets_connection_keys; *k; k++)
			if (secrets_connection_key_at(t, len, i, *k))
				return 1;
	return 0;
}

/*
 * Password = v with a blank around the '=' is how a connection string may
 * be written, and how a statement after a ';' is (x = 1; password =
 * newPassword;): only a line that names a server, a database, a driver or
 * a user id too is a connection string.
 */
static int secrets_spaced_outside_connection(const rg_content_line *l, const rg_match *m)
{
	return (memchr(l->text + m->start, ' ', m->secret_start - m->start) ||
		memchr(l->text + m->start, '\t', m->secret_start - m->start)) &&
		!secrets_connection_string(l->text, l->len);
}

/*
 * password=v right after a blank, not after a delimiter and a blank: a
 * libpq keyword/value string ("host=db user=app password=v") only on a line
 * that names a host, a database ... too, and not code's keyword argument
 * (connect(host=h, password=get_password()), password=DB_PASSWORD)).
 */
static int secrets_blank_outside_connection(const rg_content_line *l, const rg_match *m)
{
	const char *t = l->text, *v = l->text + m->secret_start;
	size_t n = m->secret_end - m->secret_start;

	if (!m->start || (t[m->start - 1] != ' ' && t[m->start - 1] != '\t') ||
	    (m->start > 1 && t[m->start - 2] && strchr(";?&\"'", t[m->start - 2])))
		return 0;
	return !secrets_connection_string(t, l->len) || memchr(v, '(', n) || memchr(v, ')', n) ||
		memchr(v, ',', n) || rg_secrets_code_value(v, n);
}

/*
 * A password in a URL (scheme://user:password@host) or a connection string
 * (Password=...; in ADO.NET, ODBC, JDBC's query): its value is judged as a
 * quoted generic one, from 4 characters on (rg_secrets_url_value). Words
 * (user:password@), references (${DB_PASS}) and template slots ({password})
 * are examples, not secrets.
 */
static int secrets_url_password(void *state, const rg_content_line *l, const rg_match *m)
{
	RG_UNUSED(state);
	return !secrets_image_digest(l, m) && !secrets_spaced_outside_connection(l, m) &&
		!secrets_blank_outside_connection(l, m) &&
		rg_secrets_url_value(l->text + m->secret_start, m->secret_end - m->secret_start);
}

/* base64 (RFC 4648, padded or not) of printable text into out: its length, or 0 when it is not that */
static size_t secrets_base64_decode(char *out, size_t size, const char *s, size_t n)
{
	static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	uint32_t acc = 0;
	size_t i, bits = 0, len = 0;

	while (n > 0 && s[n - 1] == '=')
		n--;
	for (i = 0; i < n; i++) {
		const char *p = s[i] ? strchr(alphabet, s[i]) : NULL;

		if (!p)
			return 0;
		acc = (acc << 6) | (uint32_t)(p - alphabet);
		bits += 6;
		if (bits >= 8) {
			unsigned char c = (unsigned char)(acc >> (bits - 8));

			bits -= 8;
			if (len + 1 >= size || c < 0x20 || c > 0x7e)
				return 0;
			out[len++] = (char)c;
		}
	}
	out[len] = '\0';
	return len;
}

/*
 * An Authorization header's credentials (curl -H "Authorization: Bearer
 * ...", a request's headers in code or a Postman export), judged as a
 * quoted generic value: placeholders (YOUR_TOKEN), words and short or
 * uniform values pass; a template ($TOKEN, ${token}, <token>) never matches.
 */
static int secrets_auth_header(void *state, const rg_content_line *l, const rg_match *m)
{
	const char *s = l->text + m->secret_start;
	size_t n = m->secret_end - m->secret_start, k = m->secret_start;
	char user_pass[300];
	size_t len;
	const char *colon;

	RG_UNUSED(state);
	while (k > 0 && (l->text[k - 1] == ' ' || l->text[k - 1] == '\t'))
		k--;
	/* Basic's value is base64 of user:password: the password is judged as a URL's */
	if (k >= 5 && !strncasecmp(l->text + k - 5, "basic", 5) &&
	    (len = secrets_base64_decode(user_pass, sizeof(user_pass), s, n)) > 0 &&
	    (colon = memchr(user_pass, ':', len)) != NULL)
		return rg_secrets_url_value(colon + 1, len - (size_t)(colon + 1 - user_pass));
	return rg_secrets_generic_value(s, n, 1);
}

/*
 * A Docker registry's credentials (~/.docker/config.json, a
 * .dockerconfigjson Secret: "auth": "BASE64"): base64 of user:password,
 * whose password is judged as a URL's; what does not decode to text with a
 * ':' (an OAuth "auth" field, a hash) is not one.
 */
static int secrets_docker_auth(void *state, const rg_content_line *l, const rg_match *m)
{
	char user_pass[400];
	size_t len;
	const char *colon;

	RG_UNUSED(state);
	len = secrets_base64_decode(user_pass, sizeof(user_pass), l->text + m->secret_start,
		m->secret_end - m->secret_start);
	if (!len || !(colon = memchr(user_pass, ':', len)) || colon == user_pass)
		return 0;
	return rg_secrets_url_value(colon + 1, len - (size_t)(colon + 1 - user_pass));
}

/*
 * A password given to a command (curl -u user:password, mysql -pPASSWORD,
 * docker login -p PASSWORD): judged as a URL's, from 4 characters on
 */
static int secrets_cli_password(void *state, const rg_content_line *l, const rg_match *m)
{
	RG_UNUSED(state);
	return rg_secrets_url_value(l->text + m->secret_start, m->secret_end - m->secret_start);
}

static int secrets_generic_split(void *state, const rg_content_line *l, const rg_match *m);

/*
 * The rules that give way to a specific one on the same text, and
 * generic-password also to these (see rg_content_spec.fallback).
 */
static int secrets_fallback(secrets_validate_fn validate)
{
	if (validate == secrets_generic || validate == secrets_generic_assign || validate == secrets_generic_split)
		return 2;
	return validate == secrets_url_password || validate == secrets_auth_header ||
		validate == secrets_docker_auth || validate == secrets_cli_password;
}

/* a path's last part */
static const char *secrets_base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* .netrc, and _netrc as Windows' curl and git name it */
static int secrets_netrc_file(const char *path)
{
	const char *b = secrets_base_name(path);

	return !strcmp(b, ".netrc") || !strcmp(b, "_netrc");
}

/* YAML and JSON files: Kubernetes manifests, Helm values, ECS task definitions */
static int secrets_split_file(const char *path)
{
	size_t n = strlen(path);
	char last;

	if (n < 5)
		return 0;
	last = (char)(path[n - 1] | 0x20); /* it runs for every file: most end in another letter */
	if (last != 'l' && last != 'n')
		return 0;
	return !strcasecmp(path + n - 5, ".yaml") || !strcasecmp(path + n - 4, ".yml") ||
		!strcasecmp(path + n - 5, ".json");
}

/* Java's properties files */
static int secrets_properties_file(const char *path)
{
	return rg_str_endswith(path, ".properties");
}

/*
 * password, passwd, passphrase, and PASS as a word of a name (DB_PASS,
 * smtp_pass, mail.pass), never inside one (bypass, compass, PASSTHROUGH):
 * written so that all of them need the one literal "pass"
 */
#define SECRETS_PASS_WORD "pass(?:word|wd|phrase|(?<=(?<![A-Za-z])pass)(?![A-Za-z]))"
/*
 * ... and camelCase's last hump after a lower-case letter or digit (smtpPass,
 * dbPass; not byPass, passenger, isPassed), where a quote or XML delimits
 * the value: a whole unquoted line with such a name is as likely code
 * (LLVM's ResultPass = AnalysisImpl.second;) as configuration
 */
#define SECRETS_PASS "pass(?:word|wd|phrase|(?<=(?<![A-Za-z])pass|(?-i:[a-z0-9]Pass))(?<!bypass)(?![A-Za-z]))"
#define SECRETS_OTHER_KEYWORDS "|pwd|secret|token|api[_-]?key|apikey|auth[_-]?key|access[_-]?key|private[_-]?key"
#define SECRETS_KEYWORDS SECRETS_PASS SECRETS_OTHER_KEYWORDS
#define SECRETS_KEYWORDS_UNQUOTED SECRETS_PASS_WORD SECRETS_OTHER_KEYWORDS
/* an environment variable's name that holds a keyword (looked for in a lookahead) */
#define SECRETS_ENV_NAME "[A-Za-z0-9_.-]{0,60}?(?i:" SECRETS_KEYWORDS_UNQUOTED ")"
#define SECRETS_B64 "[A-Za-z0-9+/=]"
/* an unquoted value's characters ('=' too: base64 padding, as in a Kubernetes Secret's data) */
#define SECRETS_VALUE "[A-Za-z0-9!#$%&*+./;<=>?@^_~\\[\\]{}|-]"
/* a shell's or docker-compose's default, judged by secrets_generic: ${DB_PASSWORD:-v} */
#define SECRETS_SHELL_DEFAULT "\\$\\{[A-Za-z0-9_]{1,60}:?[-=][^}\\s\"']{8,1000}\\}"
/*
 * Python's bytes and unicode strings: app.secret_key = b'v' (Flask's
 * documentation); not raw strings, which hold regular expressions
 */
#define SECRETS_STRING_PREFIX "(?:[bBuU](?=[\"']))?"
/* a YAML anchor before the value: password: &db "s3cret" */
#define SECRETS_YAML_ANCHOR "(?:&[A-Za-z0-9_.-]+\\s+)?"
/* key_id, tokenId, ...: identifiers name secrets but are none */
#define SECRETS_NOT_ID "(?<![_.-][Ii][Dd]|[a-z]Id|[a-z]ID)"
/* the rest of the name that holds a keyword, not an identifier's: password_hash, apiKey, not tokenId */
#define SECRETS_NAME "[A-Za-z0-9_.-]{0,30}" SECRETS_NOT_ID
/*
 * A declared type between the name and the '=': Python's and pydantic's
 * SECRET_KEY: str = "v" (Optional[str], str | None), TypeScript's
 * password: string = "v", Kotlin's, Swift's and Scala's val apiKey: String,
 * Rust's const API_TOKEN: &str (&'static str), Go's var apiToken string;
 * not == nor an arrow function's =>
 */
#define SECRETS_TYPED "(?::\\s*(?:&(?:'static\\s+)?)?[A-Za-z_][A-Za-z0-9_.]{0,40}(?:\\[[A-Za-z0-9_., ]{0,40}\\])?" \
	"(?:\\s*\\|\\s*None)?|[ \\t]+string)\\s*=(?![=>])"
/*
 * Where a fixed-shape token may start: not inside a longer run of its
 * characters (cls), but right after an escape that the text holds for a
 * character, which then ends in a letter or digit: a JSON or C string's \n,
 * \r or \t ("login with:\nghp_..."), a URL's %3D or %2F (?t%3Dghp_...)
 */
#define SECRETS_AFTER(cls) "(?:(?<!" cls ")|(?<=\\\\[nrt]|%[0-9A-Fa-f]{2}))"
/* a quoted value of 8 to 1000 non-blank characters (a Google OAuth access token runs to 2048) */
#define SECRETS_QUOTED "(?:\"(?<secret>[^\"\\s]{8,1000})\"|'(?<secret>[^'\\s]{8,1000})'|`(?<secret>[^`\\s]{8,1000})`)"

/*
 * The line above a value line that names the secret: Kubernetes' and
 * docker-compose's env lists ("- name: DB_PASSWORD"), ECS's and Helm's JSON
 * ("name": "DB_PASSWORD",), the name quoted alike on both sides or not at all,
 * a YAML comment after it ("- name: DB_PASSWORD  # prod").
 */
#define SECRETS_SPLIT_NAME "^\\s*+(?:-\\s++)?+(?:name|\"name\")\\s*:\\s*([\"']?)" \
	"(?>[A-Za-z0-9_.-]*?(?i:" SECRETS_KEYWORDS_UNQUOTED "))[A-Za-z0-9_.-]*+" SECRETS_NOT_ID "\\1\\s*,?\\s*(?:(?<=\\s)#[^\\n]*)?$"

static pthread_once_t secrets_split_once = PTHREAD_ONCE_INIT;
static pcre2_code *secrets_split_re;

static void secrets_split_compile(void)
{
	int err;
	PCRE2_SIZE at;

	/* a constant pattern (t0800's split-line test fails if it does not compile): NULL only then */
	secrets_split_re = pcre2_compile((PCRE2_SPTR)SECRETS_SPLIT_NAME, PCRE2_ZERO_TERMINATED, 0, &err, &at, NULL);
}

/* Does the line above l in its new file (added or not) name a secret (SECRETS_SPLIT_NAME)? */
static int secrets_split_named(const rg_content_line *l)
{
	const char *start = l->file ? l->file->ptr : NULL, *end, *p;
	pcre2_match_data *md;
	int r;

	if (!start || l->text <= start || l->text + l->len > start + l->file->len || l->text[-1] != '\n')
		return 0; /* the first line, or not in the file's text */
	end = l->text - 1;
	if (end > start && end[-1] == '\r')
		end--;
	for (p = end; p > start && p[-1] != '\n'; p--)
		;
	pthread_once(&secrets_split_once, secrets_split_compile);
	if (!secrets_split_re || !(md = pcre2_match_data_create_from_pattern(secrets_split_re, NULL)))
		return 0;
	r = pcre2_match(secrets_split_re, (PCRE2_SPTR)p, (PCRE2_SIZE)(end - p), 0, 0, md, NULL);
	pcre2_match_data_free(md);
	return r >= 0;
}

/* value: "v" whose name is on the line above (SECRETS_SPLIT_NAME), judged as generic-password's values */
static int secrets_generic_split(void *state, const rg_content_line *l, const rg_match *m)
{
	return secrets_split_named(l) && secrets_generic(state, l, m);
}

static const secrets_builtin secrets_builtins[] = {
	{ "private-key", "private key",
	  "-----BEGIN[ A-Z0-9_-]{0,40}PRIVATE KEY(?: BLOCK)?-----"
	  "(?:[ \\t]*$|(?<secret>(?:\\\\r)?\\\\n" SECRETS_B64 "{16}.*|[ \\t]*" SECRETS_B64 "{16}.*))", NULL, NULL },
	{ "aws-access-key-id", "AWS access key ID",
	  SECRETS_AFTER("[A-Z0-9]")
	  "(?:A3T[A-Z0-9]|AKIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Z0-9])",
	  secrets_aws_id, NULL },
	{ "aws-secret-key", "AWS secret access key",
	  "(?i:key)[\"'`]?\\s*(?::=|=>|:|=)\\s*[\"'`]?(?<secret>[A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])",
	  secrets_aws_secret, NULL },
	/* aws configure set aws_secret_access_key v: a blank, not an operator */
	{ "aws-secret-key", "AWS secret access key",
	  "(?<=configure set )aws_secret_access_key\\s+[\"']?(?<secret>[A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])",
	  secrets_aws_secret, NULL },
	{ "github-token", "GitHub token",
	  SECRETS_AFTER("[A-Za-z0-9_]")
	  "(?:(?:ghp_|gho_|ghu_|ghs_|ghr_)[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59})"
	  "(?![A-Za-z0-9_])", secrets_token, NULL },
	{ "gitlab-token", "GitLab token",
	  SECRETS_AFTER("[A-Za-z0-9_-]")
	  "(?:glpat-|gldt-|glrt-|glptt-|glcbt-|glimt-|glft-|glsoat-|glagent-|gloas-|GR1348941)"
	  "[A-Za-z0-9_-]{20,}", secrets_token, NULL },
	{ "slack-token", "Slack token",
	  SECRETS_AFTER("[A-Za-z0-9]") "(?:(?:xox[abposre]|xoxe\\.xox[bp])-|xapp-1-)[0-9A-Za-z-]{10,}", secrets_token, NULL },
	{ "slack-webhook", "Slack webhook URL",
	  "https://hooks\\.slack\\.com/(?:services|workflows|triggers)/(?<secret>[A-Za-z0-9+/_-]{20,})", secrets_token, NULL },
	/* Stripe documents keys of up to 255 characters: the prefix and up to 247 more */
	{ "stripe-key", "Stripe secret key",
	  SECRETS_AFTER("[A-Za-z0-9]")
	  "(?:sk_live_|sk_test_|rk_live_|rk_test_)[A-Za-z0-9]{10,247}(?![A-Za-z0-9])", secrets_token, NULL },
	/* Supabase's secret API keys; its publishable keys (sb_publishable_) are public */
	{ "supabase-key", "Supabase secret key",
	  SECRETS_AFTER("[A-Za-z0-9_-]") "sb_secret_[A-Za-z0-9_-]{20,}", secrets_supabase, NULL },
	/*
	 * OpenAI's keys (sk-proj-, sk-svcacct-, sk-admin-, and the first
	 * user keys, sk- alone) hold "T3BlbkFJ" (base64 of "OpenAI") between
	 * two random runs: the literal looked for, rare in any other text
	 */
	{ "openai-key", "OpenAI API key",
	  SECRETS_AFTER("[A-Za-z0-9_-]")
	  "sk-(?:(?:proj|svcacct|admin)-)?[A-Za-z0-9_-]{20,100}T3BlbkFJ[A-Za-z0-9_-]{20,100}"
	  "(?![A-Za-z0-9_-])", secrets_openai, NULL },
	/* Anthropic's API and admin keys: sk-ant-api03-..., sk-ant-admin01-... */
	{ "anthropic-key", "Anthropic API key",
	  SECRETS_AFTER("[A-Za-z0-9_-]")
	  "sk-ant-(?:api|admin)[0-9]{2}-[A-Za-z0-9_-]{80,120}(?![A-Za-z0-9_-])", secrets_token, NULL },
	/* npm's access tokens (npm_ + 36): an npm token publishes packages */
	{ "npm-token", "npm access token",
	  SECRETS_AFTER("[A-Za-z0-9_]") "npm_[A-Za-z0-9]{36}(?![A-Za-z0-9_])", secrets_token, NULL },
	/* SendGrid's API keys: SG. + 22 + . + 43 */
	{ "sendgrid-key", "SendGrid API key",
	  SECRETS_AFTER("[A-Za-z0-9_.-]") "SG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])", secrets_token, NULL },
	/*
	 * Google's API keys (AIza + 35): Gemini's, Maps', and Firebase's web
	 * keys, which Firebase calls public: allow those by a comment
	 */
	{ "google-api-key", "Google API key",
	  SECRETS_AFTER("[A-Za-z0-9_-]") "AIza[A-Za-z0-9_-]{35}(?![A-Za-z0-9_-])", secrets_google, NULL },
	/* Hugging Face's user access tokens: hf_ + 34 letters */
	{ "huggingface-token", "Hugging Face token",
	  SECRETS_AFTER("[A-Za-z0-9_]") "hf_[A-Za-z]{34}(?![A-Za-z0-9_])", secrets_token, NULL },
	/* PyPI's API tokens are macaroons: pypi- + base64 of a header naming pypi.org */
	{ "pypi-token", "PyPI API token",
	  SECRETS_AFTER("[A-Za-z0-9_-]") "pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,}", secrets_pypi, NULL },
	/*
	 * Not DigitalOcean's dop_v1_ nor Shopify's shpat_ tokens: their literals
	 * ("_v1", "shp" for fingerprints) cost 1.6 % and 0.8 % more instructions
	 * on bench/content.sh, through the buckets they share with the others
	 */
	/* an Azure storage account key (64 bytes) or a Service Bus/Event Hubs key (32) in a connection string */
	{ "azure-key", "Azure storage or Service Bus key",
	  "(?:AccountKey=(?<secret>[A-Za-z0-9+/]{86}==)|SharedAccessKey=(?<secret>[A-Za-z0-9+/]{43}=))"
	  "(?![A-Za-z0-9+/=])", secrets_azure, NULL },
	{ "jwt", "JSON Web Token",
	  SECRETS_AFTER("[A-Za-z0-9_-]") "eyJ[A-Za-z0-9_-]{10,}\\.eyJ[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{10,}", NULL, NULL },
	/*
	 * scheme://user:password@host: the user part has no '/', ':', '?' or '#'
	 * (it may hold an unencoded '@', as an e-mail address); the password runs
	 * to the last '@' before the host, not past a '/', a blank or a quote
	 */
	{ "url-password", "password in a URL",
	  "(?<=[A-Za-z0-9])://[^\\s\"'`/:?#]*:(?<secret>[^\\s\"'`/]+)@(?=[A-Za-z0-9\\[])", secrets_url_password, NULL },
	/*
	 * Go's MySQL driver's DSN, user:password@tcp(host:3306)/db (unix(...)
	 * too): no scheme, so the URL pattern above never sees it; the password
	 * runs to the last '@' before the protocol, as the driver splits it
	 */
	{ "url-password", "password in a URL",
	  "(?:^|(?<=[\\s\"'`=]))[^\\s\"'`/:@]+:(?<secret>[^\\s\"'`]+)@(?:tcp|unix)\\(", secrets_url_password, NULL },
	/*
	 * a connection string's Password=...; (ADO.NET, ODBC's PWD=, JDBC's
	 * ?password=, form data's &pass=), also with a space before the '=' of
	 * PWD or, after a ';', of Password (;Password = v;): "password =" alone,
	 * looked for at every "ssw" (its rarest bytes), cost 7 % more
	 * instructions on bench/content.sh, "; password =" 3 %. After a blank:
	 * libpq's keyword/value strings ("host=db user=app password=v", psql's,
	 * psycopg2's, Go's lib/pq), only on a line that names a host, a database
	 * ... too (secrets_blank_outside_connection)
	 */
	{ "url-password", "password in a connection string",
	  "(?:(?<=[;?&\"' \\t]|[;?&\"'][ \\t])(?i:password=|passwd=|pass=|pwd=|pwd =)|(?i:;password =))"
	  "[ \\t]*(?<secret>[^;&\"'\\s]+)", secrets_url_password, NULL },
	/*
	 * a password given to a command: curl -u user:password (--user, or -u
	 * last of bundled flags: -sSfu), docker login -p, mysql/mysqldump/
	 * mysqladmin (mariadb, mariadb-dump, mariadb-admin) -pPASSWORD or
	 * --password=PASSWORD (-p alone prompts), sshpass -p, redis-cli -a,
	 * kubectl's --from-literal=NAME=v, heroku config:set NAME=v
	 */
	{ "cli-password", "password on a command line",
	  "(?<![A-Za-z0-9_.-])curl\\s(?:[^\\n]*?\\s)?(?:-[A-Za-z]*u\\s+|-u|--user(?:\\s+|=))[\"']?"
	  "[^\\s:\"'$]+:(?<secret>[^\\s\"']{4,200})", secrets_cli_password, NULL },
	/* docker login -p v, --password v (podman's, nerdctl's too); --password-stdin is the way */
	{ "cli-password", "password on a command line",
	  "(?<=docker |podman |nerdctl )login\\s(?:[^\\n]*?\\s)?(?:-p|--password)(?:\\s+|=)[\"']?"
	  "(?<secret>[^\\s\"']{4,200})", secrets_cli_password, NULL },
	{ "cli-password", "password on a command line",
	  "(?<![A-Za-z0-9_.-])(?:mysql(?:dump|admin)?|mariadb(?:-dump|-admin)?)\\s(?:[^\\n]*?\\s)?(?:-p|--password=)[\"']?"
	  "(?<secret>[^\\s\"']{4,200})", secrets_cli_password, NULL },
	/*
	 * sshpass -p v, -p first: the literal is "pass -p" (its fingerprint " -p"
	 * is rare); "sshpass" with its other options before -p (-P prompt, -e)
	 * cost 2 % more instructions on bench/content.sh, its fingerprint a
	 * common run
	 */
	{ "cli-password", "password on a command line",
	  "(?<=(?<![A-Za-z0-9_.-])ssh)pass -p\\s*[\"']?(?<secret>[^\\s\"']{4,200})", secrets_cli_password, NULL },
	/* redis-cli -a v (--pass v), not past a pipe or a list's ; or & */
	{ "cli-password", "password on a command line",
	  "(?<![A-Za-z0-9_.-])redis-cli\\s(?:[^|;&\\n]*?\\s)?(?:-a|--pass)\\s+[\"']?(?<secret>[^\\s\"']{4,200})",
	  secrets_cli_password, NULL },
	/*
	 * kubectl create secret ... --from-literal=NAME=v whose NAME holds a
	 * keyword ("--from" in the look-behind: "from" is in every import, and
	 * the literal "-literal=" has the rare "-li" for its fingerprint)
	 */
	{ "cli-password", "password on a command line",
	  "(?<=--from)-literal=[\"']?[A-Za-z0-9_.-]*(?i:pass|secret|token|key|pwd)[A-Za-z0-9_.-]*=[\"']?"
	  "(?<secret>[^\\s\"']{4,200})", secrets_cli_password, NULL },
	/*
	 * heroku config:set NAME=v (dokku's too) whose NAME holds a keyword. Not
	 * fly secrets set nor gh secret set -b: their literal "secret" ran them on
	 * every keyword line, +4 % instructions on bench/content.sh; behind
	 * look-behinds ((?<=gh )secret set, (?<=fly |flyctl )secrets set) still
	 * +1.1 % (stop 20), their fingerprints in the keywords' buckets
	 */
	{ "cli-password", "password on a command line",
	  "(?<=heroku |dokku )config:set\\s(?:[^\\n]*?\\s)?[A-Za-z0-9_]*(?i:pass|secret|token|key|pwd)[A-Za-z0-9_]*="
	  "[\"']?(?<secret>[^\\s\"']{4,200})", secrets_cli_password, NULL },
	/* Authorization: Bearer v, Basic v, Token v (an HTTP header, in any case) */
	{ "auth-header", "credentials in an Authorization header",
	  "(?i:authorization)[\"']?\\s*[:=]\\s*[\"']?(?i:bearer|basic|token)\\s+(?<secret>[A-Za-z0-9._~+/=-]{16,400})",
	  secrets_auth_header, NULL },
	/*
	 * a Docker registry's "auth": "BASE64" (~/.docker/config.json,
	 * .dockerconfigjson): HTTP Basic's credentials, base64 of user:password
	 * (secrets_docker_auth decodes them)
	 */
	{ "auth-header", "registry credentials (Docker \"auth\")",
	  "\"auth\"\\s*:\\s*\"(?<secret>[A-Za-z0-9+/]{16,400}={0,2})\"", secrets_docker_auth, NULL },
	/*
	 * quoted: password = "v", "apiKey": 'v', token: `v`,
	 * Python's secret_key = b"v", a map's key
	 * (settings["SECRET_KEY"] = "v", $cfg['db_password'] = 'v'); XML's
	 * <add key="ApiKey" value="v"/> (secrets_generic_shape tells them apart)
	 */
	{ "generic-password", "hard-coded password or secret",
	  "(?i:" SECRETS_KEYWORDS ")" SECRETS_NAME
	  "(?:[\"'`]?\\]?\\s*(?::=|=>|[!=]==?|:|=|" SECRETS_TYPED ")\\s*" SECRETS_YAML_ANCHOR
	  SECRETS_STRING_PREFIX "|[\"']\\s+value\\s*=\\s*)" SECRETS_QUOTED,
	  secrets_generic_assign, NULL },
	/*
	 * PHP's define('DB_PASSWORD', 'v'): its own pattern, with the literal
	 * "define(", so that the one above keeps needing an operator and a quote
	 */
	{ "generic-password", "hard-coded password or secret",
	  "define\\(\\s*[\"'][A-Za-z0-9_.-]*(?i:" SECRETS_KEYWORDS ")" SECRETS_NAME "[\"']\\s*,\\s*" SECRETS_QUOTED,
	  secrets_generic, NULL },
	/*
	 * An environment variable's default, which ships with the code:
	 * os.getenv("SECRET_KEY", "v"), os.environ.get, os.environ.setdefault,
	 * Laravel's and django-environ's env('DB_PASSWORD', 'v') (env.str),
	 * Ruby's ENV.fetch, Java's System.getenv().getOrDefault,
	 * python-decouple's config("SECRET_KEY", default="v"); Node's
	 * process.env.API_TOKEN || "v" (and ??, Vite's import.meta.env). The
	 * literals are "env" (the Dockerfile pattern's too, so no new one for
	 * Teddy: 15 more literals cost 7 % more instructions on
	 * bench/content.sh) and config(" / config(' (config( alone meets the
	 * bench's indexConfig( 10,000 times), and the name's keyword is looked for
	 * in a lookahead: a pattern that has the keywords as literals pays for
	 * each of their many hits.
	 */
	{ "generic-password", "hard-coded password or secret",
	  "(?:(?<![A-Za-z0-9_])(?:(?:get)?(?i:env)(?:\\(|iron\\.get\\(|iron\\.setdefault\\(|\\.fetch\\(|\\.str\\(|"
	  "\\(\\)\\.getOrDefault\\()\\s*[\"']|config\\(\"|config\\(')(?=" SECRETS_ENV_NAME ")[A-Za-z0-9_.-]{1,60}" SECRETS_NOT_ID
	  "[\"']\\s*,\\s*(?:default\\s*=\\s*)?"
	  "|(?<=process\\.|import\\.meta\\.)env(?:\\.|\\[[\"'`])(?=" SECRETS_ENV_NAME ")[A-Za-z0-9_]{1,60}" SECRETS_NOT_ID
	  "(?:[\"'`]\\])?\\s*(?:\\|\\||\\?\\?)\\s*)" SECRETS_QUOTED, secrets_generic, NULL },
	/*
	 * .npmrc's token for a registry: //host/path/:_authToken=v (a token of
	 * any registry: Artifactory, Nexus, Azure Artifacts; ${NPM_TOKEN} is the
	 * way). Not the legacy :_auth=v and :_password=v (base64): their
	 * literals cost 11 % more instructions on bench/content.sh, this one 0.1 %
	 */
	{ "generic-password", "hard-coded password or secret",
	  ":_authToken=[\"']?(?<secret>[A-Za-z0-9+/=._~-]{8,1000})[\"']?\\s*$", secrets_generic, NULL },
	/*
	 * PowerShell's ConvertTo-SecureString "v" -AsPlainText (-Force): a
	 * password in the script, whatever the variable is named
	 * ($cred = New-Object PSCredential("admin", (ConvertTo-SecureString ...)));
	 * the literal is the cmdlet's name as written (caseless, +0.3 % instructions
	 * on the bench, against +0.08 %), which other code does not hold
	 */
	{ "generic-password", "hard-coded password or secret",
	  "ConvertTo-SecureString\\s+(?:-String\\s+)?" SECRETS_QUOTED "\\s+-AsPlainText", secrets_generic, NULL },
	/*
	 * C's #define WIFI_PASSWORD "v" (Arduino and ESP32 sketches): the
	 * literal is "#define", which code of other languages seldom holds
	 */
	{ "generic-password", "hard-coded password or secret",
	  "#define[ \\t]+[A-Za-z0-9_]*(?i:" SECRETS_KEYWORDS_UNQUOTED ")[A-Za-z0-9_]*" SECRETS_NOT_ID "[ \\t]+"
	  SECRETS_QUOTED, secrets_generic, NULL },
	/*
	 * XML's <Password>v</Password>, <ClientSecret>v</ClientSecret>: an
	 * element named by a keyword, which its literals end with '>' (a pattern
	 * that shares the keywords' literals costs each of their many hits)
	 */
	{ "generic-password", "hard-coded password or secret",
	  "(?i:password>|passwd>|passphrase>|(?<![A-Za-z])pass>|(?<=(?-i:[a-z0-9]))(?<!by)(?-i:Pass>)|pwd>|secret>|"
	  "token>|apikey>|api_key>|api-key>|secretkey>|secret_key>|privatekey>|private_key>|private-key>|authkey>|"
	  "auth_key>|accesskey>|access_key>)"
	  "(?<secret>[^<\\s]{8,1000})</", secrets_generic_assign, NULL },
	/*
	 * an API key or token in a URL's query (?api_key=v, &access_token=v,
	 * ?apikey=v, &client_secret=v; &amp;api_key=v, as HTML writes a URL's '&'):
	 * unquoted, up to the next & # or quote,
	 * judged as generic-password judges an unquoted value. The password of
	 * a query (?password=v) is url-password's.
	 */
	{ "generic-password", "hard-coded password or secret",
	  "(?<=[?&]|&amp;)[A-Za-z0-9_.-]{0,30}?(?i:api[_-]?key=|token=|secret=)(?<secret>[A-Za-z0-9._~%+/-]{8,1000})"
	  "(?![A-Za-z0-9._~%+/=-])", secrets_generic, NULL },
	/*
	 * Java's properties XML (<entry key="db.password">v</entry>) and
	 * Spring's <prop key="password">v</prop>: the key names the secret, the
	 * element's text holds it. Their literals are the closing tags, which
	 * no other pattern shares and code seldom holds.
	 */
	{ "generic-password", "hard-coded password or secret",
	  "<(?:entry|prop)\\s+key\\s*=\\s*[\"'][A-Za-z0-9_.-]*(?i:" SECRETS_KEYWORDS ")" SECRETS_NAME "[\"']\\s*>"
	  "(?<secret>[^<\\s]{8,1000})(?:</entry>|</prop>)", secrets_generic, NULL },
	/*
	 * unquoted, a whole KEY=value or key: value line (.env, YAML, properties),
	 * also as a YAML list item (- KEY=value, docker-compose), a Dockerfile
	 * ENV/ARG or quoted whole ("KEY=value"), a Makefile's KEY := value and
	 * KEY ?= value; a trailing # ; or // comment allowed
	 */
	/*
	 * The prefix is possessive and the lookahead wants the name followed by
	 * ':' or '=' before the keyword is looked for in it: neither changes
	 * what matches (nothing after the prefix starts with a space, and the
	 * name must be whole before the operator), but "const x = y" fails at
	 * once instead of after the keyword was tried at every position of
	 * "const" for every way of splitting its indentation. The keyword's
	 * search is atomic: the rest of the name, the operator and the value
	 * are the same wherever in the name the keyword is, so a line that
	 * fails after the first keyword fails after any; trying each later
	 * position of "tokenKey: ..." made this the most costly pattern on
	 * bench/content.sh (205,000 calls, 1,000 instructions each).
	 */
	{ "generic-password", "hard-coded password or secret",
	  "^\\s*+(?:-\\s++)?+(?:(?:export|ENV|ARG|[Ss]et|SET)\\s++)?+[\"']?+(?=[A-Za-z0-9_.-]*+\\s*+[?]?[:=])"
	  "(?>[A-Za-z0-9_.-]*?(?i:" SECRETS_KEYWORDS_UNQUOTED "))[A-Za-z0-9_.-]*+"
	  SECRETS_NOT_ID "(?:\\s*(?:[:=]|[:?]=)\\s*" SECRETS_YAML_ANCHOR
	  "(?<secret>" SECRETS_SHELL_DEFAULT "|" SECRETS_VALUE "{8,1000})[\"']?\\s*(?:[#;][^\\n]*|//[^\\n]*)?$"
	  "|(?<![a-z])=(?<secret>" SECRETS_VALUE "{8,1000})[ \\t]+[a-z][A-Za-z0-9_.-]*(?:[ \\t]|$))",
	  secrets_generic, NULL },
	/* a Dockerfile ENV/ARG: KEY value, or one of several KEY=value pairs on the line */
	{ "generic-password", "hard-coded password or secret",
	  "^\\s*(?i:ENV|ARG)\\s+(?:[A-Za-z_][A-Za-z0-9_]*=\\S*\\s+)*[A-Za-z0-9_.-]*(?i:" SECRETS_KEYWORDS_UNQUOTED ")"
	  "[A-Za-z0-9_.-]*" SECRETS_NOT_ID "(?:=|\\s+)[\"']?(?<secret>" SECRETS_VALUE "{8,1000})[\"']?(?:\\s|$)",
	  secrets_generic, NULL },
	/*
	 * Patterns limited to files by name (a test of the name, not a glob
	 * list, whose match for every file of a commit cost 2.4 %) are written without a literal, by
	 * a leading (*NOTEMPTY) (which changes no match: literals.c does not
	 * model verbs): they run line by line in those files only, and add
	 * nothing to the literal search of every other file. With the
	 * keywords' literals, even unused there, they cost 5 % and 3 % more
	 * instructions on bench/gen-source.py's files (Teddy's buckets).
	 *
	 * .netrc (_netrc on Windows): machine HOST login USER password SECRET,
	 * on one line or over several; every "password" token of such a file.
	 * Not a netrc line in other files (echo "machine h login u password p"
	 * >~/.netrc): its literal "machine" cost 7 %.
	 */
	{ "generic-password", "hard-coded password or secret",
	  "(*NOTEMPTY)(?<![^ \\t])password[ \\t]+(?<secret>[^\\s]{8,1000})", secrets_generic, secrets_netrc_file },
	/*
	 * Java's .properties: key value is an assignment too, a blank in the
	 * place of '=' or ':' (which the generic unquoted form takes)
	 */
	{ "generic-password", "hard-coded password or secret",
	  "(*NOTEMPTY)^\\s*+(?>[A-Za-z0-9_.-]*?(?i:" SECRETS_KEYWORDS_UNQUOTED "))[A-Za-z0-9_.-]*+" SECRETS_NOT_ID
	  "[ \\t]+(?<secret>[^\\s:=][^\\s]{7,999})[ \\t]*$", secrets_generic, secrets_properties_file },
	/*
	 * YAML and JSON: a value whose name is on the line above, as
	 * Kubernetes' env lists and ECS's task definitions write them
	 * (secrets_generic_split):
	 *   - name: DB_PASSWORD           "name": "DB_PASSWORD",
	 *     value: "v"                  "value": "v"
	 * With the literals value: and "value" in every file it cost 2.8 %.
	 */
	{ "generic-password", "hard-coded password or secret",
	  "(*NOTEMPTY)^\\s*+(?:value:|\"value\"\\s*:)[ \\t]*+(?:" SECRETS_QUOTED "|(?<secret>" SECRETS_VALUE "{8,1000}))"
	  "\\s*,?\\s*(?:#[^\\n]*)?$", secrets_generic_split, secrets_split_file },
};

const char *rg_secrets_pattern(size_t i)
{
	return i < RG_ARRAY_SIZE(secrets_builtins) ? secrets_builtins[i].pattern : NULL;
}

int rg_secrets_is_fallback(size_t i)
{
	return i < RG_ARRAY_SIZE(secrets_builtins) && secrets_fallback(secrets_builtins[i].validate);
}

/*
 * For masking only: the fixed-shape tokens without the boundaries that keep
 * detection from firing inside longer words, so that two tokens pasted
 * together (ghp_...ghp_...), which detection passes over, are still masked
 * when another rule reports their line. Masking too much only hides text.
 */
static const char *const secrets_mask_only[] = {
	"(?:A3T[A-Z0-9]|AKIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|ASIA|ABIA|ACCA)[A-Z0-9]{16}",
	"(?:ghp_|gho_|ghu_|ghs_|ghr_)[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}",
	"(?:glpat-|gldt-|glrt-|glptt-|glcbt-|glimt-|glft-|glsoat-|glagent-|gloas-|GR1348941)[A-Za-z0-9_-]{20,}",
	"(?:(?:xox[abposre]|xoxe\\.xox[bp])-|xapp-1-)[0-9A-Za-z-]{10,}",
	"(?:sk_live_|sk_test_|rk_live_|rk_test_)[A-Za-z0-9]{10,}",
	"sb_secret_[A-Za-z0-9_-]{20,}",
	"sk-(?:(?:proj|svcacct|admin)-)?[A-Za-z0-9_-]{20,100}T3BlbkFJ[A-Za-z0-9_-]{20,100}",
	"sk-ant-(?:api|admin)[0-9]{2}-[A-Za-z0-9_-]{80,120}",
	"npm_[A-Za-z0-9]{36}",
	"SG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}",
	"eyJ[A-Za-z0-9_-]{10,}\\.eyJ[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{10,}",
};

const char *rg_secrets_mask_pattern(size_t i)
{
	return i < RG_ARRAY_SIZE(secrets_mask_only) ? secrets_mask_only[i] : NULL;
}

static const char secrets_detail[] =
	"Git keeps a committed secret in its history even after the line is deleted: load it from the\n"
	"environment or a secret store, and rotate it if it was ever pushed. Not a secret? Add a\n"
	"\"repoguard:allow %s\" comment to the line, or list the path in [secrets] allow.";

static const secrets_builtin *secrets_find(const char *name)
{
	size_t i;

	if (rg_str_startswith(name, "secrets."))
		name += strlen("secrets.");
	for (i = 0; i < RG_ARRAY_SIZE(secrets_builtins); i++)
		if (!strcmp(secrets_builtins[i].name, name))
			return &secrets_builtins[i];
	return NULL;
}

static void secrets_free(void *state)
{
	secrets_state *s = state;

	rg_content_put(s->content);
	rg_patlist_free(&s->allow);
	rg_content_ignore_free(&s->ignore);
	free(s);
}

static int secrets_disabled(rg_conf *conf, const secrets_builtin **off, size_t *noff)
{
	char **words = rg_conf_words(conf, "secrets", "disable"), **w;
	int r = RG_OK;

	*noff = 0;
	for (w = words; *w; w++) {
		const secrets_builtin *b = secrets_find(*w);

		if (!b) {
			rg_conf_error(conf, rg_conf_get(conf, "secrets", "disable"),
				"unknown built-in secret '%s' in [secrets] disable (see docs/content.md)", *w);
			r = RG_ECONFIG;
			continue;
		}
		off[(*noff)++] = b;
		if (*noff == RG_ARRAY_SIZE(secrets_builtins))
			break;
	}
	rg_strv_free(words);
	return r;
}

int rg_secrets_builtin_known(const char *name)
{
	size_t i;

	for (i = 0; i < RG_ARRAY_SIZE(secrets_builtins); i++)
		if (!strcmp(secrets_builtins[i].name, name))
			return 1;
	return 0;
}

const char *rg_secrets_builtin_name(size_t i)
{
	return i < RG_ARRAY_SIZE(secrets_builtins) ? secrets_builtins[i].name : NULL;
}

static int secrets_configure(void **state, rg_conf *conf)
{
	const secrets_builtin *off[RG_ARRAY_SIZE(secrets_builtins)];
	secrets_state *s;
	size_t noff, i, j, owner;
	int enabled = rg_conf_bool(conf, "secrets", "enabled", 1);
	int sev = rg_conf_severity(conf, "secrets", RG_SEV_ERROR);

	if (secrets_disabled(conf, off, &noff) < 0 || !enabled || sev == RG_SEV_OFF ||
	    !rg_conf_has_section(conf, "secrets"))
		return RG_OK;
	s = rg_calloc(1, sizeof(*s));
	rg_conf_patterns(&s->allow, conf, "secrets", "allow");
	rg_content_ignore_load(&s->ignore, conf, "secrets");
	s->content = rg_content_get(conf);
	owner = rg_content_owner(s->content, &rg_rule_secrets, s);
	rg_content_owner_path_key(s->content, owner, secrets_path_key);
	for (i = 0; i < RG_ARRAY_SIZE(secrets_builtins); i++) {
		const secrets_builtin *b = &secrets_builtins[i];
		rg_content_spec spec;
		char *id, *detail;
		int skip = 0;

		for (j = 0; j < noff; j++)
			skip |= !strcmp(off[j]->name, b->name);
		if (skip)
			continue;
		id = rg_printf("secrets.%s", b->name);
		detail = rg_printf(secrets_detail, id);
		memset(&spec, 0, sizeof(spec));
		spec.id = id;
		spec.severity = sev;
		spec.what = b->what;
		spec.detail = detail;
		spec.redact = RG_REDACT_MATCH;
		spec.validate = b->validate;
		spec.fallback = secrets_fallback(b->validate);
		spec.allow = &s->allow;
		spec.path_ok = b->path_ok;
		/* a key's header line is the same for every key: only the path or the line can be allowed */
		spec.ignore = strcmp(b->name, "private-key") ? &s->ignore : NULL;
		if (rg_content_add(s->content, owner, b->pattern, &spec) < 0)
			rg_conf_error(conf, NULL, "built-in %s: %s", id, rg_error_last());
		free(id);
		free(detail);
	}
	*state = s;
	return RG_OK;
}

static int secrets_check(rg_findings *out, rg_ctx *ctx, const rg_changeset *cs, void *state)
{
	RG_UNUSED(state);
	return rg_content_check(out, ctx, cs, &rg_rule_secrets);
}

static int secrets_finish(rg_findings *out, rg_ctx *ctx, void *state)
{
	RG_UNUSED(state);
	return rg_content_finish(out, ctx, &rg_rule_secrets);
}

const rg_rule rg_rule_secrets = {
	.id = "secrets",
	.summary = "built-in secret patterns (keys, tokens, passwords) in added lines and commit messages",
	.sections = secrets_sections,
	.modes = RG_MODE_ALL, /* commit-msg: the message (rg_content_check_message) */
	.configure = secrets_configure,
	.check = secrets_check,
	.finish = secrets_finish,
	.free_state = secrets_free,
};

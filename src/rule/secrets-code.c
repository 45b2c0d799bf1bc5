/*
 * secrets-code.c: values of "password = value" that are code or a name,
 * not a secret.
 *
 * secrets.generic-password looks at any name that holds a keyword. In
 * source text its value is as often an expression (tokenType = t.space;,
 * token = parts[1], PRIVATE_KEY_TYPES = typing.Union[) or the name of a
 * type or a key ("challengePassword", "_RSAPrivateKey"). On 94 MB of this
 * machine's own Python, JavaScript and C headers (bench/gen-real.py) these
 * were 36 of the rule's 46 findings, and on 550 MB of its Python, YAML,
 * JSON and XML 198 of 319: none of them a secret (docs/content.md).
 */
#include <string.h>

#include "repoguard/content.h"

/* how deep subscripts may nest (a[b[c[1]]]) before a value is not read as code */
#define CODE_MAX_DEPTH 8

/*
 * What an identifier may hold: words of at least min letters (a last one
 * of 2 after another: AccessKeyId), and digits, whose runs may be up to
 * trail long at a part's end, up to inner long inside it (V1Secret, k8s),
 * and up to alone long as a part of their own (subject_token_0, line_js_1).
 */
typedef struct {
	size_t min, trail, inner, alone;
	int inner_lower;	/* may a lower-case letter follow inner digits (k8s, utf8_x)? */
} code_shape;

/* in code: a name's number is short (md5, utf16, line_js_1); Summer2024 is a password */
static const code_shape code_in_code = { 1, 3, 3, 3, 1 };
/* quoted: a type's or a key's name has no number at its end; admin123 and Password01 are passwords */
static const code_shape code_in_quotes = { 3, 0, 2, 2, 0 };

static int code_upper(char c)
{
	return c >= 'A' && c <= 'Z';
}

static int code_lower(char c)
{
	return c >= 'a' && c <= 'z';
}

static int code_digit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * A run of digits at *i after a word of word letters, judged by where it
 * stands: 1 fits, 0 does not. Before a lower-case letter, only a
 * numeronym's (k8s, i18n): after one letter; s3cr3t and passw0rd are not.
 */
static int code_digits(size_t *i, const char *s, size_t n, size_t word, const code_shape *shape)
{
	size_t d = 0;

	while (*i + d < n && code_digit(s[*i + d]))
		d++;
	*i += d;
	if (d == 0)
		return 1;
	if (*i == n)
		return d <= shape->trail;
	return d <= shape->inner && (code_upper(s[*i]) || (shape->inner_lower && word == 1 && code_lower(s[*i])));
}

/*
 * A word of one capital, s[start] (i = start + 1), and the digits after it:
 * first, a version (V1Secret, S3Bucket); anywhere, one before another word
 * (exchangeRecaptchaV3Token). In code also a type parameter (T), an
 * acronym's first letter before a word (OAuth) and a version at the end
 * (PrivateKeyFlagsV4).
 */
static int code_capital_word(const char *s, size_t n, size_t start, size_t i, const code_shape *shape)
{
	size_t d = 0;

	if (i != start + 1)
		return 0;
	while (i + d < n && code_digit(s[i + d]))
		d++;
	if (d > 0 && (start == 0 || (d <= 2 && i + d < n && code_upper(s[i + d]))))
		return 1;
	return shape->min == 1 && ((i < n && code_upper(s[i])) || (start == 0 && i == n) || (d > 0 && i + d == n));
}

/*
 * Letters and digits read as camelCase and PascalCase words are:
 * "RSAPrivateKey" is RSA, Private, Key. Each word is lower case or
 * Capitalised, an acronym of two capitals or more, or one capital as
 * code_capital_word allows. Words of two letters count as short.
 * Random letters (kLmNoPqRsT: k, Lm, No, ...) break into words too short.
 */
static int code_words(const char *s, size_t n, const code_shape *shape)
{
	size_t i = 0, shorter = 0, longer = 0;

	while (i < n) {
		size_t start = i, caps = 0, lows = 0;

		while (i + caps < n && code_upper(s[i + caps]))
			caps++;
		/* an acronym: its last capital starts the next word (RSAPrivate) */
		if (caps > 1 && i + caps < n && code_lower(s[i + caps]))
			caps--;
		if (caps < 2 || (i + caps < n && code_lower(s[i + caps]))) {
			while (i + caps + lows < n && code_lower(s[i + caps + lows]))
				lows++;
		}
		i += caps + lows;
		if (lows == 0 && caps < 2 && !code_capital_word(s, n, start, i, shape))
			return 0;
		/* two-letter words (signInWithPassword's In, AccessKeyId's Id), never first */
		if (lows > 0 && caps + lows < shape->min) {
			if (caps + lows != 2 || start == 0)
				return 0;
			shorter++;
		} else if (lows > 0) {
			longer++;
		}
		if (!code_digits(&i, s, n, caps + lows, shape))
			return 0;
	}
	/* QwErTyUiOp and the like: no more short words than long ones */
	return shorter <= longer;
}

/* A part of an identifier between '_' and '$': words, or a number alone (line_js_1). */
static int code_part(const char *s, size_t n, const code_shape *shape)
{
	size_t i = 0;

	if (!code_digit(s[0]))
		return code_words(s, n, shape);
	while (i < n && code_digit(s[i]))
		i++;
	return i == n && n <= shape->alone;
}

/* An identifier whose parts between '_' and '$' read as words, with a letter somewhere. */
static int code_identifier(const char *s, size_t n, const code_shape *shape)
{
	size_t i = 0;
	int letter = 0;

	while (i < n) {
		size_t start = i;

		while (i < n && s[i] != '_' && s[i] != '$')
			i++;
		if (i > start && !code_part(s + start, i - start, shape))
			return 0;
		letter |= i > start && !code_digit(s[start]);
		i++;
	}
	return letter;
}

static int code_ident_byte(char c)
{
	return code_upper(c) || code_lower(c) || code_digit(c) || c == '_' || c == '$';
}

static int code_type_arguments(size_t *i, const char *s, size_t n, int depth);

/*
 * An expression from *i: identifiers joined by '.' (or '?.'), each with
 * type arguments (<T>) and subscripts ([1], [-1], [key], [ctx.stack[-1]],
 * a type's []). *structure is set when a '.' or a '[' shows it for code.
 */
static int code_expression(size_t *i, int *structure, const char *s, size_t n, int depth)
{
	for (;;) {
		size_t start = *i;

		while (*i < n && code_ident_byte(s[*i]))
			(*i)++;
		if (*i == start || code_digit(s[start]) || !code_identifier(s + start, *i - start, &code_in_code))
			return 0;
		if (*i < n && s[*i] == '<' && !code_type_arguments(i, s, n, depth))
			return 0;
		while (*i < n && s[*i] == '[') {
			size_t j = *i + 1;

			*structure = 1;
			if (j < n && s[j] == '-')
				j++;
			if (j < n && s[j] == ']' && j == *i + 1) {
				/* a TypeScript array type: Token[] */
			} else if (j < n && code_digit(s[j])) {
				while (j < n && code_digit(s[j]))
					j++;
			} else if (depth >= CODE_MAX_DEPTH || !code_expression(&j, structure, s, n, depth + 1)) {
				return 0;
			}
			if (j >= n || s[j] != ']')
				return 0;
			*i = j + 1;
		}
		/* a member: a.b, or optional chaining's a?.b */
		if (*i + 1 < n && s[*i] == '?' && s[*i + 1] == '.')
			(*i)++;
		if (*i >= n || s[*i] != '.')
			return 1;
		*structure = 1;
		(*i)++;
	}
}

/* TypeScript's or Java's type arguments at *i: <T>, <string,Token[]> */
static int code_type_arguments(size_t *i, const char *s, size_t n, int depth)
{
	int structure = 0;

	if (depth >= CODE_MAX_DEPTH)
		return 0;
	do {
		(*i)++;
		if (!code_expression(i, &structure, s, n, depth + 1))
			return 0;
	} while (*i < n && s[*i] == ',');
	if (*i >= n || s[*i] != '>')
		return 0;
	(*i)++;
	return 1;
}

/*
 * snake_case or SCREAMING_SNAKE_CASE of two parts or more, each in one case
 * (private_key_pkcs8_pem, TEST_DATA_BASE64): a variable's name. A random
 * value mixes cases within a part.
 */
static int code_snake(const char *s, size_t n)
{
	size_t i, parts = 1;
	int upper = 0, lower = 0;

	if (!code_identifier(s, n, &code_in_code))
		return 0;
	for (i = 0; i < n; i++) {
		if (s[i] == '_' || s[i] == '$') {
			parts += i > 0 && i + 1 < n && s[i + 1] != '_' && s[i + 1] != '$';
			upper = lower = 0;
		}
		upper |= code_upper(s[i]);
		lower |= code_lower(s[i]);
		if (upper && lower)
			return 0;
	}
	return parts >= 2;
}

int rg_secrets_code_value(const char *s, size_t n)
{
	size_t i = 0, len = n;
	int structure = 0;

	/* a statement's end, or an expression continued on the next line */
	if (n > 0 && s[n - 1] != '\0' && strchr(";,([", s[n - 1])) {
		structure = 1;
		len--;
	}
	if (code_expression(&i, &structure, s, len, 0) && i == len && structure)
		return 1;
	return code_snake(s, n);
}

int rg_secrets_identifier(const char *s, size_t n)
{
	return code_identifier(s, n, &code_in_quotes);
}

/* v1, v2beta: an API's version in a path */
static int code_version(const char *s, size_t n)
{
	size_t i = 1;

	if (n < 2 || s[0] != 'v' || !code_digit(s[1]))
		return 0;
	while (i < n && code_digit(s[i]))
		i++;
	while (i < n && code_lower(s[i]))
		i++;
	return i == n && n <= 8;
}

/* One or two lower-case letters: a short part of a name (OpenSSL's "id-it-revPassphrase") */
static int code_short_part(const char *s, size_t n)
{
	return n <= 2 && code_lower(s[0]) && (n == 1 || code_lower(s[1]));
}

/*
 * Names joined by '#', ':', '/', '.' or '-', each one an identifier
 * (rg_secrets_identifier) or an API's version: "identitytoolkit#VerifyPasswordResponse",
 * "/v1/accounts:signInWithPassword", "base64url.bearer.phx."; parts of one
 * or two lower-case letters between them ("id-smime-aa-timeStampToken"),
 * as long as one part is a name.
 */
int rg_secrets_name(const char *s, size_t n)
{
	size_t i = 0;
	int named = 0;

	while (i < n) {
		size_t start = i;

		while (i < n && !strchr("#:/.-", s[i]))
			i++;
		if (i > start && !code_short_part(s + start, i - start)) {
			if (!code_identifier(s + start, i - start, &code_in_quotes) && !code_version(s + start, i - start))
				return 0;
			named = 1;
		}
		if (i < n && s[i] == '\0')
			return 0;
		i++;
	}
	return named;
}

/*
 * Is a token's random part words and then digits alone
 * (ghp_PersonalAccessToken01245678900000000: documentation's)? 12 letters
 * or more of camelCase words, mostly in lower case, the rest digits: for
 * 36 random letters and digits, a chance below (10/62)^12 even before the
 * words.
 */
int rg_secrets_wordy(const char *s, size_t n)
{
	size_t letters = 0, lower = 0, i;

	while (letters < n && (code_upper(s[letters]) || code_lower(s[letters])))
		lower += code_lower(s[letters++]);
	/* words in lower case mostly: an AWS key id's capitals are no words */
	if (letters < 12 || letters == n || 2 * lower < letters || !code_words(s, letters, &code_in_quotes))
		return 0;
	for (i = letters; i < n; i++)
		if (!code_digit(s[i]))
			return 0;
	return 1;
}

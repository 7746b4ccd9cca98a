// SPDX-License-Identifier: GPL-2.0
/*
 * inifile.c - the strict pass in front of libinih (rules in inifile.h).  The
 * file is read once into memory.  One scan checks each line's bytes and length
 * and finds its kind the way libinih 55 will (same white space, comment and
 * inline-comment rules), recording every section header and key with its line.
 * Sorting those records finds duplicates.  Only then does ini_parse_string()
 * run, through a handler wrapper that checks that libinih delivers exactly the
 * keys the scan found, in order: a disagreement is reported as a bug (-EPROTO)
 * instead of being trusted, and the fuzzer turns it into a crash.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "inifile.h"
#include "xl_err.h"

/* A section header (key == NULL) or a key in section sec, with its line. */
struct item {
	const char *sec, *key;
	size_t seclen, keylen;
	int line;
};

struct scan {
	struct item *items;
	size_t n, cap;
	/* the section being read and the last key in it (continuation lines) */
	const char *sec, *prevkey;
	size_t seclen, prevkeylen;
	char *err;
	size_t errlen;
};

/* libinih decides white space with isspace() too. */
static bool is_sp(char c)
{
	return isspace((unsigned char)c);
}

/*
 * Message for an error in line[0..n) at byte offset col (or no excerpt if line
 * is NULL): the message, the column, and the escaped text around it.
 */
__attribute__((format(printf, 6, 7))) static int fail(struct scan *s, int lineno, const char *line,
						      size_t n, size_t col, const char *fmt, ...)
{
	size_t from = col > 24 ? col - 24 : 0, to = n - col > 16 ? col + 16 : n;
	char excerpt[4 * 40 + 1];
	size_t len;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->err, s->errlen, fmt, ap);
	va_end(ap);
	if (line) {
		len = strlen(s->err);
		xl_escape(excerpt, sizeof(excerpt), line + from, to - from);
		snprintf(s->err + len, s->errlen - len, " at column %zu in %s\"%s\"%s", col + 1,
			 from ? "..." : "", excerpt, to < n ? "..." : "");
	}
	return lineno;
}

/* Length of the UTF-8 sequence at p[0..n) and its code point, or 0 if invalid. */
static size_t utf8_seq(const unsigned char *p, size_t n, unsigned int *cp)
{
	unsigned int c = p[0], min;
	size_t len;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2, min = 0x80, c &= 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3, min = 0x800, c &= 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4, min = 0x10000, c &= 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (p[i] & 0x3f);
	}
	/* overlong forms, surrogates and values past U+10FFFF are not UTF-8 */
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

/* Bytes of line[0..n), which ended with '\n' if lf. */
static int check_bytes(struct scan *s, int lineno, const char *line, size_t n, bool lf)
{
	const unsigned char *p = (const unsigned char *)line;

	for (size_t i = 0, k; i < n; i += k) {
		unsigned int c;

		k = utf8_seq(p + i, n - i, &c);
		if (!k)
			return fail(s, lineno, line, n, i,
				    "invalid UTF-8 byte \\x%02x (the file must be UTF-8)", p[i]);
		if (c == '\r' && i + 1 == n && lf)
			continue;
		if (c == 0)
			return fail(s, lineno, line, n, i, "NUL byte (\\x00)");
		if (c == '\r')
			return fail(s, lineno, line, n, i,
				    "carriage return \\x0d not directly before a line feed");
		if (c < 0x20 && c != '\t')
			return fail(s, lineno, line, n, i, "control byte \\x%02x", c);
		if (c >= 0x7f && c < 0xa0)
			return fail(s, lineno, line, n, i, "control character U+%04X", c);
	}
	if (n > XL_INI_MAX_LINE)
		return fail(s, lineno, NULL, 0, 0,
			    "line is %zu bytes long, more than %d (libinih would split it)", n,
			    XL_INI_MAX_LINE);
	return 0;
}

/* libinih's find_chars_end(): the first of chars, or an inline ';' after a space. */
static const char *find_end(const char *p, const char *e, const char *chars)
{
	bool was_space = false;

	while (p < e && !strchr(chars, *p) && !(was_space && *p == ';')) {
		was_space = is_sp(*p);
		p++;
	}
	return p;
}

static int add_item(struct scan *s, const char *key, size_t keylen, int lineno)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 64;
		struct item *items = realloc(s->items, cap * sizeof(*items));

		if (!items)
			return -ENOMEM;
		s->items = items;
		s->cap = cap;
	}
	s->items[s->n++] = (struct item){
		.sec = s->sec, .seclen = s->seclen, .key = key, .keylen = keylen, .line = lineno
	};
	return 0;
}

/* Kind of line[0..n), decided in libinih's order: comment, continuation, section, key. */
static int check_syntax(struct scan *s, int lineno, const char *line, size_t n)
{
	const char *b = line, *e = line + n, *start, *end;

	if (lineno == 1 && n >= 3 && !memcmp(line, "\xef\xbb\xbf", 3))
		b += 3; /* libinih skips a UTF-8 byte order mark */
	while (e > b && is_sp(e[-1]))
		e--;
	for (start = b; start < e && is_sp(*start); start++)
		;
	if (start == e || *start == ';' || *start == '#')
		return 0;
	if (s->prevkey && start > line)
		return fail(s, lineno, NULL, 0, 0,
			    "indented line would continue the value of '%.*s' "
			    "(continuation lines are not supported; join or unindent it)",
			    (int)s->prevkeylen, s->prevkey);
	if (*start == '[') {
		end = find_end(start + 1, e, "]");
		if (end == e || *end != ']')
			return fail(s, lineno, line, n, start - line, "'[' without ']'");
		if (end - start - 1 > XL_INI_MAX_SECTION)
			return fail(s, lineno, NULL, 0, 0,
				    "section name is %td bytes long, more than %d", end - start - 1,
				    XL_INI_MAX_SECTION);
		s->sec = start + 1;
		s->seclen = end - start - 1;
		s->prevkey = NULL;
		for (end++; end < e && is_sp(*end); end++)
			;
		if (end < e && *end != ';' && *end != '#')
			return fail(s, lineno, line, n, end - line, "text after ']'");
		return add_item(s, NULL, 0, lineno);
	}
	end = find_end(start, e, "=:");
	if (end == e || (*end != '=' && *end != ':'))
		return fail(s, lineno, line, n, start - line,
			    "expected 'key = value', '[section]' or a comment");
	if (end == start)
		return fail(s, lineno, line, n, start - line, "key name missing before '%c'", *end);
	while (is_sp(end[-1]))
		end--;
	s->prevkey = start;
	s->prevkeylen = end - start;
	return add_item(s, start, end - start, lineno);
}

static int cmp_slice(const char *a, size_t alen, const char *b, size_t blen)
{
	int c = memcmp(a, b, alen < blen ? alen : blen);

	return c ? c : (alen > blen) - (alen < blen);
}

/* Sections before keys; then by section, key and line. */
static int cmp_item(const void *pa, const void *pb)
{
	const struct item *a = *(const struct item *const *)pa;
	const struct item *b = *(const struct item *const *)pb;
	int c;

	if (!a->key != !b->key)
		return a->key ? 1 : -1;
	c = cmp_slice(a->sec, a->seclen, b->sec, b->seclen);
	if (!c && a->key)
		c = cmp_slice(a->key, a->keylen, b->key, b->keylen);
	return c ? c : (a->line > b->line) - (a->line < b->line);
}

/* The earliest line that repeats a section, or a key within its section. */
static int check_duplicates(struct scan *s)
{
	const struct item **v, *first = NULL, *dup = NULL;

	if (s->n < 2)
		return 0;
	v = malloc(s->n * sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (size_t i = 0; i < s->n; i++)
		v[i] = &s->items[i];
	qsort(v, s->n, sizeof(*v), cmp_item);
	for (size_t i = 0; i + 1 < s->n; i++) {
		const struct item *a = v[i], *b = v[i + 1];

		if (!a->key != !b->key || cmp_slice(a->sec, a->seclen, b->sec, b->seclen) ||
		    (a->key && cmp_slice(a->key, a->keylen, b->key, b->keylen)))
			continue;
		if (!dup || b->line < dup->line)
			first = a, dup = b;
	}
	free(v);
	if (!dup)
		return 0;
	if (!dup->key)
		return fail(s, dup->line, NULL, 0, 0, "duplicate section [%.*s] (first at line %d)",
			    (int)dup->seclen, dup->sec, first->line);
	return fail(s, dup->line, NULL, 0, 0, "duplicate key '%.*s' in [%.*s] (first at line %d)",
		    (int)dup->keylen, dup->key, (int)dup->seclen, dup->sec, first->line);
}

/* Every line up to the first error; then the duplicates before it. */
static int check_text(struct scan *s, const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len;
	int lineno = 0, rc = 0, dup;

	while (p < end && !rc) {
		const char *nl = memchr(p, '\n', end - p);
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		lineno++;
		rc = check_bytes(s, lineno, p, n, nl != NULL);
		if (!rc)
			rc = check_syntax(s, lineno, p, n);
		p = nl ? nl + 1 : end;
	}
	if (rc < 0)
		return rc;
	/* duplicates found so far all lie before a line error: report them first */
	dup = check_duplicates(s);
	return dup ? dup : rc;
}

struct wrap {
	const struct scan *s;
	size_t next; /* the item libinih should deliver next */
	ini_handler handler;
	void *user;
	int fail_line;
	bool mismatch;
};

static bool slice_is(const char *p, size_t n, const char *str)
{
	return strlen(str) == n && !memcmp(p, str, n);
}

static void skip_sections(struct wrap *w)
{
	while (w->next < w->s->n && !w->s->items[w->next].key)
		w->next++;
}

static int wrap_handler(void *user, const char *section, const char *name, const char *value)
{
	struct wrap *w = user;
	const struct item *it;

	skip_sections(w);
	if (w->next == w->s->n) {
		w->mismatch = true;
		return 0;
	}
	it = &w->s->items[w->next++];
	if (!slice_is(it->sec, it->seclen, section) || !slice_is(it->key, it->keylen, name)) {
		w->mismatch = true;
		return 0;
	}
	if (w->fail_line)
		return 0; /* keep the first failure's message */
	if (!w->handler(w->user, section, name, value)) {
		w->fail_line = it->line;
		return 0;
	}
	return 1;
}

int xl_ini_parse(const char *buf, size_t len, ini_handler handler, void *user, char *err,
		 size_t errlen)
{
	struct scan s = { .sec = "", .err = err, .errlen = errlen };
	struct wrap w = { .s = &s, .handler = handler, .user = user };
	char *text = NULL;
	int rc;

	if (errlen)
		err[0] = 0;
	rc = check_text(&s, buf, len);
	if (rc)
		goto out;
	/* the check rejected NUL bytes, so the text ends at len */
	text = malloc(len + 1);
	if (!text) {
		rc = -ENOMEM;
		goto out;
	}
	memcpy(text, buf, len);
	text[len] = 0;
	rc = ini_parse_string(text, wrap_handler, &w);
	if (rc < 0) {
		rc = -ENOMEM;
		goto out;
	}
	skip_sections(&w);
	if (w.mismatch || w.next != s.n || rc != w.fail_line) {
		snprintf(err, errlen,
			 "internal error: libinih read the text differently than the strict check "
			 "(libinih error line %d, handler error line %d)",
			 rc, w.fail_line);
		rc = -EPROTO;
		goto out;
	}
	rc = w.fail_line;
out:
	free(text);
	free(s.items);
	return rc;
}

int xl_ini_read_file(const char *path, char **bufp, size_t *lenp)
{
	size_t len = 0, cap = 4096, n;
	char *buf, *grown;
	int err = 0;
	FILE *f;

	f = fopen(path, "rb");
	if (!f)
		return -errno;
	buf = malloc(cap);
	if (!buf) {
		fclose(f);
		return -ENOMEM;
	}
	while (!err) {
		if (len + 1 == cap) {
			if (cap > XL_INI_MAX_FILE) {
				err = -EFBIG;
				break;
			}
			grown = realloc(buf, 2 * cap);
			if (!grown) {
				err = -ENOMEM;
				break;
			}
			buf = grown;
			cap *= 2;
		}
		n = fread(buf + len, 1, cap - len - 1, f);
		len += n;
		if (!n) {
			if (ferror(f))
				err = errno ? -errno : -EIO;
			break;
		}
	}
	fclose(f);
	if (!err && len > XL_INI_MAX_FILE)
		err = -EFBIG;
	if (err) {
		free(buf);
		return err;
	}
	buf[len] = 0;
	*bufp = buf;
	*lenp = len;
	return 0;
}

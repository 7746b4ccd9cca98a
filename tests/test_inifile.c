// SPDX-License-Identifier: GPL-2.0
/*
 * test_inifile.c - the strict INI reader (lib/inifile.c) and message escaping:
 * each rejection (duplicate section or key, NUL, control bytes, bad UTF-8,
 * long lines and section names, continuation lines, bad syntax) with its line
 * number, what stays accepted, that its limits match the installed libinih,
 * and that config errors reach stderr as one escaped "FILE:LINE: ..." line.
 */
#define _GNU_SOURCE
#include <stdbool.h>
#include <unistd.h>
#include "test_common.h"
#include "core/config.h"
#include "inifile.h"
#include "xl_err.h"

#define MAX_SEEN 16

/* What a handler saw: the keys in order, and the last value of "k". */
struct seen {
	int n;
	char keys[MAX_SEEN][64];
	char k[256];
	char err[256];
};

static int record(void *user, const char *section, const char *name, const char *value)
{
	struct seen *s = user;

	if (s->n < MAX_SEEN)
		snprintf(s->keys[s->n++], sizeof(s->keys[0]), "%s.%s", section, name);
	if (!strcmp(name, "k"))
		snprintf(s->k, sizeof(s->k), "%s", value);
	if (!strncmp(name, "bad", 3)) {
		snprintf(s->err, sizeof(s->err), "bad key %s", name);
		return 0;
	}
	return 1;
}

static int parse(const char *text, size_t len, struct seen *s)
{
	memset(s, 0, sizeof(*s));
	return xl_ini_parse(text, len, record, s, s->err, sizeof(s->err));
}

#define PARSE(lit, s) parse(lit, sizeof(lit) - 1, s)

static void test_accepted(void)
{
	static const char text[] =
		"\xef\xbb\xbf; a comment with UTF-8: 10 \xc2\xb5s, \xf0\x9f\x9a\x80\n"
		"# another\n"
		"\n"
		"[run] ; comment after a header\r\n"
		"  trials = 3\r\n"
		"flows:\t2\n"
		"  ; an indented comment is still a comment\n"
		"[experiment a]\n"
		"k = x\ty \xc2\xb5\n"
		"[experiment b]\n"
		"k =";
	struct seen s;

	ASSERT_EQ(PARSE(text, &s), 0,
		  "ini: BOM, CRLF, tabs, UTF-8, comments, indented first key accepted");
	ASSERT_EQ(s.n, 4, "ini: every key delivered");
	ASSERT_TRUE(!strcmp(s.keys[0], "run.trials") && !strcmp(s.keys[1], "run.flows") &&
			    !strcmp(s.keys[2], "experiment a.k") &&
			    !strcmp(s.keys[3], "experiment b.k"),
		    "ini: keys delivered in order with their sections");
	ASSERT_EQ(PARSE("[a]\nk = 1\n[b]\nk = 1\n", &s), 0, "ini: same key in two sections");
	ASSERT_EQ(PARSE("k = 1\n[a]\n", &s), 0, "ini: key before any section left to the caller");
	ASSERT_EQ(PARSE("", &s), 0, "ini: empty text");
	ASSERT_EQ(parse("[a]\nk = 1\nk = 2", 10, &s), 0, "ini: only len bytes are read");
	ASSERT_TRUE(!strcmp(s.k, "1"), "ini: value of a buffer without NUL");
}

/* A string literal and its length, NUL bytes included. */
#define S(lit) lit, sizeof(lit) - 1

struct reject {
	const char *name;
	const char *text;
	size_t len;
	int line;
	const char *msg; /* expected in the message */
};

static const struct reject rejects[] = {
	{ "duplicate section", S("[experiment drop]\nk = 1\n[run]\n[experiment drop]\nk = 2\n"), 4,
	  "duplicate section [experiment drop] (first at line 1)" },
	{ "duplicate empty section", S("[run]\n[run]\n"), 2, "duplicate section [run]" },
	{ "duplicate key", S("[run]\ntrials = 3\nflows = 1\ntrials = 4\n"), 4,
	  "duplicate key 'trials' in [run] (first at line 2)" },
	{ "earliest duplicate first", S("[a]\nk = 1\nj = 1\nj = 2\nk = 2\n"), 4,
	  "duplicate key 'j'" },
	{ "duplicate before a bad line", S("[a]\nk = 1\nk = 2\n\x01\n"), 3, "duplicate key 'k'" },
	{ "bad line before a duplicate", S("[a]\n\x01\nk = 1\nk = 2\n"), 2, "control byte \\x01" },
	{ "NUL byte", S("[run]\ntrials = 3\0\n"), 2, "NUL byte (\\x00) at column 11" },
	{ "NUL byte hides nothing", S("[run]\n\0trials = 3\n[run]\n"), 2, "NUL byte" },
	{ "control byte", S("[run]\ntrials = \x01\x33\n"), 2,
	  "control byte \\x01 at column 10 in \"trials = \\x013\"" },
	{ "escape byte", S("[run]\nk = \x1b[31m\n"), 2, "control byte \\x1b" },
	{ "DEL", S("[run]\nk = a\x7f\n"), 2, "control character U+007F" },
	{ "C1 control", S("[run]\nk = a\xc2\x85\n"), 2, "control character U+0085" },
	{ "CR inside a line", S("[run]\nk = a\rb = c\n"), 2, "carriage return \\x0d" },
	{ "CR at the end without LF", S("[run]\nk = a\r"), 2, "carriage return \\x0d" },
	{ "vertical tab", S("[run]\nk = a\v\n"), 2, "control byte \\x0b" },
	{ "invalid UTF-8 byte", S("[run]\nk = \xff\n"), 2, "invalid UTF-8 byte \\xff" },
	{ "overlong UTF-8", S("[run]\nk = \xc0\xaf\n"), 2, "invalid UTF-8 byte \\xc0" },
	{ "UTF-8 surrogate", S("[run]\nk = \xed\xa0\x80\n"), 2, "invalid UTF-8 byte \\xed" },
	{ "UTF-8 beyond U+10FFFF", S("[run]\nk = \xf4\x90\x80\x80\n"), 2, "invalid UTF-8" },
	{ "truncated UTF-8", S("[run]\nk = \xe2\x82\n"), 2, "invalid UTF-8 byte \\xe2" },
	{ "Latin-1 text", S("; caf\xe9\n"), 1, "the file must be UTF-8" },
	{ "continuation line", S("[experiment a]\nsystems = xdp-drop,\n   linux-raw\n"), 3,
	  "would continue the value of 'systems'" },
	{ "indented section after a key", S("[a]\nk = 1\n  [b]\n"), 3, "would continue" },
	{ "text after ]", S("[run] trials = 3\n"), 1, "text after ']' at column 7" },
	{ "[ without ]", S("[run\n"), 1, "'[' without ']'" },
	{ "] behind an inline comment", S("[run ;x]\n"), 1, "'[' without ']'" },
	{ "line without =", S("[run]\ntrials 3\n"), 2, "expected 'key = value'" },
	{ "key without name", S("[run]\n = 3\n"), 2, "key name missing before '='" },
	{ "handler error is the first one", S("[s]\nok = 1\nbad1 = 1\nbad2 = 1\n"), 3,
	  "bad key bad1" },
	{ "handler error line after CRLF and comments", S("[s]\r\n; c\r\n\r\nbad = 1\r\n"), 4,
	  "bad key bad" },
};

static void test_rejected(void)
{
	for (size_t i = 0; i < sizeof(rejects) / sizeof(rejects[0]); i++) {
		const struct reject *r = &rejects[i];
		char name[128];
		struct seen s;
		int rc = parse(r->text, r->len, &s);

		snprintf(name, sizeof(name), "ini: %s: rejected at line %d", r->name, r->line);
		ASSERT_EQ(rc, r->line, name);
		snprintf(name, sizeof(name), "ini: %s: message", r->name);
		XL_CHECK(strstr(s.err, r->msg), name, "'%s' lacks '%s'", s.err, r->msg);
	}
}

/* A line "k = vvv..." of n bytes (plus cr), then "j = 1". */
static size_t long_line(char *buf, size_t n, bool cr)
{
	size_t len = 0;

	len += sprintf(buf, "[s]\nk = ");
	memset(buf + len, 'v', n - 4);
	len += n - 4;
	len += sprintf(buf + len, "%s\nj = 1\n", cr ? "\r" : "");
	return len;
}

static void test_limits(void)
{
	char buf[512], sec[128];
	struct seen s;
	size_t len;

	len = long_line(buf, XL_INI_MAX_LINE, false);
	ASSERT_EQ(parse(buf, len, &s), 0, "limit: line of XL_INI_MAX_LINE bytes accepted");
	ASSERT_EQ(strlen(s.k), XL_INI_MAX_LINE - 4, "limit: libinih reads that line whole");
	ASSERT_EQ(s.n, 2, "limit: and the next line as one key");
	len = long_line(buf, XL_INI_MAX_LINE - 1, true);
	ASSERT_EQ(parse(buf, len, &s), 0, "limit: CRLF line of XL_INI_MAX_LINE bytes accepted");
	ASSERT_EQ(strlen(s.k), XL_INI_MAX_LINE - 5, "limit: libinih reads that CRLF line whole");
	len = long_line(buf, XL_INI_MAX_LINE + 1, false);
	ASSERT_EQ(parse(buf, len, &s), 2, "limit: one byte longer rejected at its line");
	XL_CHECK(strstr(s.err, "199 bytes long, more than 198"), "limit: message gives the sizes",
		 "%s", s.err);
	len = long_line(buf, XL_INI_MAX_LINE, true);
	ASSERT_EQ(parse(buf, len, &s), 2, "limit: the CR of a CRLF line counts");
	/* Why the limit: libinih itself cuts a longer line into pieces. */
	len = long_line(buf, 300, false);
	memset(&s, 0, sizeof(s));
	ini_parse_string(buf, record, &s);
	ASSERT_TRUE(strlen(s.k) < 300 - 4, "limit: libinih cuts a 300-byte line (why we check)");

	snprintf(sec, sizeof(sec), "[%.*s]\nk = 1\n", XL_INI_MAX_SECTION,
		 "experiment 123456789012345678901234567890123456789012345678901234567890");
	ASSERT_EQ(parse(sec, strlen(sec), &s), 0, "limit: section name of 49 bytes accepted");
	ASSERT_EQ(strlen(s.keys[0]), XL_INI_MAX_SECTION + 2, "limit: libinih keeps it whole");
	snprintf(sec, sizeof(sec), "[%.*s]\nk = 1\n", XL_INI_MAX_SECTION + 1,
		 "experiment 123456789012345678901234567890123456789012345678901234567890");
	ASSERT_EQ(parse(sec, strlen(sec), &s), 1, "limit: section name of 50 bytes rejected");
	memset(&s, 0, sizeof(s));
	ini_parse_string(sec, record, &s);
	ASSERT_EQ(strlen(s.keys[0]), XL_INI_MAX_SECTION + 2,
		  "limit: libinih cuts a 50-byte section name (why we check)");
}

static void test_escape(void)
{
	char out[64];

	ASSERT_TRUE(!strcmp(xl_escape(out, sizeof(out), "a\0b\x01\n\xff\\", 7),
			    "a\\x00b\\x01\\x0a\\xff\\"),
		    "escape: NUL, control, newline and non-ASCII bytes as \\xHH");
	ASSERT_TRUE(!strcmp(xl_escape(out, 6, "ab\x01", 3), "ab"),
		    "escape: an escape that does not fit is left out whole");
	ASSERT_TRUE(!strcmp(xl_escape(out, 4, "abcdef", 6), "abc"),
		    "escape: truncated, terminated");
}

/* Run xl_config_load_buf and capture what it printed on stderr. */
static int load_capture(const char *path, const char *text, size_t len, char *out, size_t outlen)
{
	struct xl_run_cfg cfg;
	FILE *t = tmpfile();
	int saved, rc;
	size_t n;

	xl_reset_error();
	fflush(stderr);
	saved = dup(2);
	dup2(fileno(t), 2);
	rc = xl_config_load_buf(path, text, len, &cfg);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	xl_config_free(&cfg);
	rewind(t);
	n = fread(out, 1, outlen - 1, t);
	out[n] = 0;
	fclose(t);
	return rc;
}

static bool printable_lines(const char *s)
{
	for (; *s; s++)
		if ((*s < 0x20 && *s != '\n') || *s >= 0x7f)
			return false;
	return true;
}

static int count_lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static void test_config_messages(void)
{
	static const char dup[] = "[experiment d]\nsystems = xdp-drop\n[run]\n[run]\n";
	static const char ctl[] = "[experiment d]\nsystems = xdp-drop\x01\n";
	static const char nul[] = "[experiment d]\nsystems = xdp-drop\0\n";
	char out[1024];
	int rc;

	rc = load_capture("we\nird.ini", dup, sizeof(dup) - 1, out, sizeof(out));
	ASSERT_TRUE(rc < 0, "config: duplicate section rejected");
	ASSERT_EQ(xl_exit_code(), XL_EXIT_CONFIG, "config: duplicate section is exit 3");
	ASSERT_EQ(count_lines(out), 1, "config: one line on stderr");
	XL_CHECK(!strcmp(out,
			 "xdplab: we\\x0aird.ini:4: duplicate section [run] (first at line 3)\n"),
		 "config: FILE:LINE with the file name escaped", "got '%s'", out);
	rc = load_capture("c.ini", ctl, sizeof(ctl) - 1, out, sizeof(out));
	ASSERT_TRUE(rc < 0 && xl_exit_code() == XL_EXIT_CONFIG, "config: control byte is exit 3");
	XL_CHECK(strstr(out, "xdplab: c.ini:2: control byte \\x01 at column 19"),
		 "config: control byte named at FILE:LINE and column", "got '%s'", out);
	ASSERT_TRUE(printable_lines(out) && count_lines(out) == 1,
		    "config: control byte message is one printable line");
	rc = load_capture("c.ini", nul, sizeof(nul) - 1, out, sizeof(out));
	ASSERT_TRUE(rc < 0 && xl_exit_code() == XL_EXIT_CONFIG, "config: NUL byte is exit 3");
	XL_CHECK(strstr(out, "c.ini:2: NUL byte (\\x00)"), "config: NUL named at FILE:LINE",
		 "got '%s'", out);
	rc = load_capture("c.ini", S("[run]\ntrials = 2\n\xc3\n"), out, sizeof(out));
	XL_CHECK(rc < 0 && strstr(out, "c.ini:3: invalid UTF-8 byte \\xc3") && printable_lines(out),
		 "config: bad UTF-8 named, escaped", "got '%s'", out);
	rc = load_capture("c.ini",
			  S("[run]\ntrials = 2\xc3\xa9\n[experiment d]\nsystems = xdp-drop\n"), out,
			  sizeof(out));
	XL_CHECK(rc < 0 && strstr(out, "c.ini:2: trials must be an integer") &&
			 strstr(out, "'2\\xc3\\xa9'") && printable_lines(out),
		 "config: a value quoted by the handler is escaped too", "got '%s'", out);
	xl_reset_error();
}

static void test_read_file(void)
{
	char path[64], *buf = NULL;
	struct xl_run_cfg cfg;
	size_t len;
	FILE *f;

	snprintf(path, sizeof(path), "/tmp/xdplab-inifile-%d.ini", getpid());
	f = fopen(path, "w");
	fwrite("[experiment d]\nsystems = xdp-drop\0\n", 1, 36, f);
	fclose(f);
	if (ASSERT_OK(xl_ini_read_file(path, &buf, &len), "read: file read")) {
		ASSERT_EQ(len, 36, "read: NUL bytes kept, length exact");
		ASSERT_EQ(buf[len], 0, "read: buffer NUL-terminated");
		free(buf);
	}
	xl_reset_error();
	ASSERT_TRUE(xl_config_load(path, &cfg) < 0 && xl_exit_code() == XL_EXIT_CONFIG,
		    "read: config file with a NUL byte is exit 3");
	xl_config_free(&cfg);
	xl_reset_error();
	ASSERT_EQ(xl_ini_read_file("/nonexistent/x.ini", &buf, &len), -ENOENT, "read: missing");
	ASSERT_EQ(xl_ini_read_file("/tmp", &buf, &len), -EISDIR, "read: directory");
	ASSERT_OK(truncate(path, XL_INI_MAX_FILE), "read: file of 1 MiB made");
	ASSERT_OK(xl_ini_read_file(path, &buf, &len), "read: 1 MiB read");
	ASSERT_EQ(len, XL_INI_MAX_FILE, "read: 1 MiB read whole");
	free(buf);
	ASSERT_OK(truncate(path, XL_INI_MAX_FILE + 1), "read: file of 1 MiB + 1 made");
	ASSERT_EQ(xl_ini_read_file(path, &buf, &len), -EFBIG, "read: larger than 1 MiB");
	unlink(path);
}

int main(void)
{
	RUN_TEST(test_accepted);
	RUN_TEST(test_rejected);
	RUN_TEST(test_limits);
	RUN_TEST(test_escape);
	RUN_TEST(test_config_messages);
	RUN_TEST(test_read_file);
	return xl_test_failed;
}

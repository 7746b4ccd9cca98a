/* SPDX-License-Identifier: GPL-2.0 */
/*
 * inifile.h - strict INI reading in front of Debian's libinih.  libinih does
 * the parsing; this module first checks the whole text once (bytes, line
 * lengths, syntax, duplicate sections and keys) so that libinih never sees
 * input it would silently truncate, split, merge or skip.  The rules:
 *
 *   - bytes: valid UTF-8 only; no NUL, no control characters (C0, DEL, C1)
 *     except tab, and a carriage return only directly before a line feed;
 *   - a line holds at most XL_INI_MAX_LINE bytes before its line feed (a
 *     carriage return counts), a section name at most XL_INI_MAX_SECTION bytes;
 *   - every line is blank, a comment (';' or '#'), "[section]" (optionally
 *     followed by a comment) or "key = value" / "key: value";
 *   - no indented continuation lines (libinih would append them to the
 *     previous key as a second value);
 *   - a section appears once, and a key once per section.
 */
#ifndef XL_INIFILE_H
#define XL_INIFILE_H

#include <stddef.h>
#include <ini.h>

/*
 * Debian 12 builds libinih 55 with INI_MAX_LINE = 200 and no realloc: a longer
 * line is read in 199-byte pieces, each parsed as a line of its own.  A line
 * of 198 bytes plus its '\n' is the longest read whole.  Section names are
 * copied into a 50-byte buffer inside libinih, so longer ones are cut.
 * tests/test_inifile.c checks both limits against the installed library.
 */
#define XL_INI_MAX_LINE 198
#define XL_INI_MAX_SECTION 49
/* A config is a few kilobytes; anything this large is not one. */
#define XL_INI_MAX_FILE (1 << 20)

/*
 * Read a whole file into a malloc'ed, NUL-terminated buffer (NUL bytes inside
 * are kept, xl_ini_parse() rejects them).  Returns 0, or -errno; -EFBIG when
 * the file is larger than XL_INI_MAX_FILE.
 */
int xl_ini_read_file(const char *path, char **buf, size_t *len);

/*
 * Check buf[0..len) strictly, then parse it with libinih, calling handler as
 * ini_parse_string() does.  After the handler's first failure it is not called
 * again, so the message it left in err belongs to the line reported.
 * Returns 0; or the line number (> 0) of the first error, described in err
 * (by the check, or by the handler; empty if the handler wrote nothing);
 * -ENOMEM; or -EPROTO, described in err, if libinih read the text differently
 * than the check did (a bug here, never the file's fault).
 */
int xl_ini_parse(const char *buf, size_t len, ini_handler handler, void *user, char *err,
		 size_t errlen);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xl_err.h - exit codes and error reporting, the same for every xdplab command.
 * Functions follow libbpf conventions (ints return -errno); the place that
 * detects a user-facing error calls xl_fail() once with the exit class and a
 * one-line message, and main() returns xl_exit_code().  The table in xl_err.c
 * is the single source for --help and the README.
 */
#ifndef XL_ERR_H
#define XL_ERR_H

#include <stddef.h>

enum xl_exit {
	XL_EXIT_OK = 0,
	XL_EXIT_FAIL = 1, /* runtime failure not covered below */
	XL_EXIT_USAGE = 2, /* bad command line: unknown option, mode, program, value */
	XL_EXIT_CONFIG = 3, /* bad config file: unreadable, unknown key, bad value */
	XL_EXIT_NOIF = 4, /* interface or namespace does not exist */
	XL_EXIT_MODE = 5, /* device refuses the attach mode (offload unsupported, MTU...) */
	XL_EXIT_BPF = 6, /* BPF object cannot be opened, loaded or verified */
	XL_EXIT_ENV = 7, /* environment: not root, missing tool, too few CPUs, no hugepages */
	XL_EXIT_DPDK = 8, /* DPDK setting or EAL failure */
	XL_EXIT_INVALID = 9, /* run finished but some trials were invalid (--strict) */
	XL_EXIT_REGRESSED = 10, /* compare: a metric regressed beyond its threshold */
	XL_EXIT_INCONCLUSIVE = 11, /* compare: none regressed, some too noisy to decide */
	XL_EXIT_FAULT = 12, /* run stopped by a fault mid-run; completed trials were kept */
	XL_EXIT_INTR = 130, /* interrupted by SIGINT/SIGTERM; everything was cleaned up */
};

#define XL_EXIT_COUNT 14

struct xl_exit_desc {
	int code;
	const char *name;
	const char *what;
};

extern const struct xl_exit_desc xl_exit_table[XL_EXIT_COUNT];

/*
 * Print "xdplab: <msg>" once (the first failure wins) and remember the class.
 * Bytes outside printable ASCII are printed as \xHH (xl_escape), so the
 * message is one line whatever file name or config text it quotes.
 */
__attribute__((format(printf, 2, 3))) int xl_fail(enum xl_exit code, const char *fmt, ...);
int xl_exit_code(void);
/*
 * Copy src[0..len) to dst as printable ASCII: every byte outside 0x20..0x7e
 * (NUL, control bytes, line ends, non-ASCII) becomes "\xHH".  Always
 * NUL-terminates dst (size > 0), never cutting an escape short; returns dst.
 */
char *xl_escape(char *dst, size_t size, const char *src, size_t len);
void xl_reset_error(void);
/* Print the exit-code table (for --help). */
void xl_print_exit_codes(void *file);

__attribute__((format(printf, 1, 2))) void xl_warn(const char *fmt, ...);
__attribute__((format(printf, 1, 2))) void xl_info(const char *fmt, ...);
extern int xl_verbose;
__attribute__((format(printf, 1, 2))) void xl_debug(const char *fmt, ...);

#endif

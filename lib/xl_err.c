// SPDX-License-Identifier: GPL-2.0
/* xl_err.c - one-line errors and the exit-code table shared by all commands. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "xl_err.h"

const struct xl_exit_desc xl_exit_table[XL_EXIT_COUNT] = {
	{ XL_EXIT_OK, "ok", "success" },
	{ XL_EXIT_FAIL, "fail", "runtime failure (see the message)" },
	{ XL_EXIT_USAGE, "usage", "bad command line: unknown option, mode, program or value" },
	{ XL_EXIT_CONFIG, "config",
	  "bad config file: unreadable, unknown section or key, bad value" },
	{ XL_EXIT_NOIF, "no-interface", "interface or network namespace does not exist" },
	{ XL_EXIT_MODE, "mode",
	  "device refuses the XDP attach mode (e.g. no offload support, MTU too large)" },
	{ XL_EXIT_BPF, "bpf", "BPF object cannot be opened, loaded or verified" },
	{ XL_EXIT_ENV, "environment",
	  "not root, missing tool, too few CPUs, bpffs/hugepages unavailable" },
	{ XL_EXIT_DPDK, "dpdk", "DPDK setting invalid or DPDK failed to start" },
	{ XL_EXIT_INVALID, "invalid",
	  "run completed but trials were invalid (only with --strict)" },
	{ XL_EXIT_REGRESSED, "regressed", "compare: a metric regressed beyond its threshold" },
	{ XL_EXIT_INCONCLUSIVE, "inconclusive",
	  "compare: nothing regressed, but some metric was too noisy to decide" },
	{ XL_EXIT_FAULT, "fault",
	  "run stopped by a fault (testbed broken, generator dying); completed trials kept" },
	{ XL_EXIT_INTR, "interrupted", "stopped by SIGINT/SIGTERM after cleaning up" },
};

static int last_code;
int xl_verbose;

char *xl_escape(char *dst, size_t size, const char *src, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;

	if (!size)
		return dst;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = src[i];

		if (c >= 0x20 && c < 0x7f) {
			if (o + 1 >= size)
				break;
			dst[o++] = c;
			continue;
		}
		if (o + 4 >= size)
			break;
		dst[o++] = '\\';
		dst[o++] = 'x';
		dst[o++] = hex[c >> 4];
		dst[o++] = hex[c & 15];
	}
	dst[o] = 0;
	return dst;
}

int xl_fail(enum xl_exit code, const char *fmt, ...)
{
	char msg[1024], esc[4 * sizeof(msg)];
	va_list ap;

	if (last_code)
		return -1;
	last_code = code;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "xdplab: %s\n", xl_escape(esc, sizeof(esc), msg, strlen(msg)));
	return -1;
}

int xl_exit_code(void)
{
	return last_code;
}

void xl_reset_error(void)
{
	last_code = 0;
}

void xl_print_exit_codes(void *file)
{
	FILE *f = file;

	fprintf(f, "Exit codes:\n");
	for (int i = 0; i < XL_EXIT_COUNT; i++)
		fprintf(f, "  %3d  %-13s %s\n", xl_exit_table[i].code, xl_exit_table[i].name,
			xl_exit_table[i].what);
}

static void vlog(const char *tag, const char *fmt, va_list ap)
{
	fprintf(stderr, "xdplab: %s", tag);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void xl_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog("warning: ", fmt, ap);
	va_end(ap);
}

void xl_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog("", fmt, ap);
	va_end(ap);
}

void xl_debug(const char *fmt, ...)
{
	va_list ap;

	if (!xl_verbose)
		return;
	va_start(ap, fmt);
	vlog("debug: ", fmt, ap);
	va_end(ap);
}

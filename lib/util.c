// SPDX-License-Identifier: GPL-2.0
/* util.c - strict number parsing, CPU lists, monotonic time, small file reads, atomic writes, file hashes. */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "util.h"

uint64_t xl_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/*
 * strtod() alone also takes leading white space, hex floats ("0x1p3"), "inf",
 * "infinity" and "nan(...)".  Only plain decimal notation is a number here.
 */
static bool decimal_chars(const char *s, const char *allowed)
{
	return *s && !s[strspn(s, allowed)];
}

int xl_parse_double(const char *s, double min, double max, double *out)
{
	char *end;
	double v;

	if (!s || !decimal_chars(s, "0123456789.eE+-"))
		return -EINVAL;
	errno = 0;
	v = strtod(s, &end);
	if (errno || *end || !isfinite(v) || v < min || v > max)
		return -EINVAL;
	*out = v + 0.0; /* -0 is 0: no "-0" rate in the results */
	return 0;
}

int xl_parse_int(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	if (!s || !decimal_chars(s, "0123456789+-"))
		return -EINVAL;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

int xl_parse_cpu_list(const char *s, int *cpus, int max)
{
	char buf[256], *save = NULL, *tok;
	int n = 0;

	if (!s || strlen(s) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, s);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		long a, b;
		char *dash = strchr(tok, '-');

		if (dash) {
			*dash = 0;
			if (xl_parse_int(tok, 0, 4095, &a) || xl_parse_int(dash + 1, 0, 4095, &b) ||
			    b < a)
				return -EINVAL;
		} else {
			if (xl_parse_int(tok, 0, 4095, &a))
				return -EINVAL;
			b = a;
		}
		for (long c = a; c <= b; c++) {
			if (n >= max)
				return -EINVAL;
			cpus[n++] = c;
		}
	}
	return n ? n : -EINVAL;
}

int xl_atomic_write(const char *path, const char *data, size_t len)
{
	char tmp[4096];
	FILE *f;
	int err = 0;

	snprintf(tmp, sizeof(tmp), "%s.tmp.%d", path, getpid());
	f = fopen(tmp, "w");
	if (!f)
		return -errno;
	if (fwrite(data, 1, len, f) != len)
		err = -EIO;
	/* On disk before it replaces the old file: a crash leaves the old one or this one. */
	if (!err && (fflush(f) || fsync(fileno(f))))
		err = -errno;
	if (fclose(f) && !err)
		err = -errno;
	if (!err && rename(tmp, path))
		err = -errno;
	if (err)
		unlink(tmp);
	return err;
}

int xl_read_long(const char *path, long *v)
{
	char buf[64];
	FILE *f = fopen(path, "r");
	int ok;

	if (!f)
		return -errno;
	ok = fgets(buf, sizeof(buf), f) != NULL;
	fclose(f);
	if (!ok)
		return -EIO;
	*v = strtol(buf, NULL, 0);
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

void xl_sort_doubles(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_double);
}

/* SHA-256 of a file, by coreutils' sha256sum (no crypto library for one hash). */
int xl_sha256_file(const char *path, char *out, size_t len)
{
	char cmd[PATH_MAX + 32], line[160];
	FILE *p;
	int ok = 0;

	if (strchr(path, '\''))
		return -EINVAL;
	snprintf(cmd, sizeof(cmd), "sha256sum -- '%s' 2>/dev/null", path);
	p = popen(cmd, "r");
	if (!p)
		return -errno;
	if (fgets(line, sizeof(line), p) && strlen(line) > 64) {
		line[64] = 0;
		snprintf(out, len, "%s", line);
		ok = 1;
	}
	pclose(p);
	return ok ? 0 : -EIO;
}

int xl_exe_relative(const char *name, char *out, size_t len)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *slash;

	if (n <= 0)
		return -errno;
	exe[n] = 0;
	/* The binary's directory, then its parent (test binaries live in build/tests). */
	for (int up = 0; up < 2; up++) {
		slash = strrchr(exe, '/');
		if (!slash)
			break;
		*slash = 0;
		if ((size_t)snprintf(out, len, "%s/%s", exe, name) < len && !access(out, R_OK))
			return 0;
	}
	return -ENOENT;
}

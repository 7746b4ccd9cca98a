/* SPDX-License-Identifier: GPL-2.0 */
/* util.h - small parsing and time helpers shared by the commands. */
#ifndef XL_UTIL_H
#define XL_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

uint64_t xl_now_ns(void);
/* Read one integer from a file (sysfs, procfs). */
int xl_read_long(const char *path, long *v);
/*
 * Strict number parsing: the whole string in decimal notation (no white space,
 * hex, inf or nan), finite and in range, else -EINVAL.
 */
int xl_parse_double(const char *s, double min, double max, double *out);
int xl_parse_int(const char *s, long min, long max, long *out);
/* "0,2-3" -> cpus; returns count or -EINVAL. */
int xl_parse_cpu_list(const char *s, int *cpus, int max);
/* Sort n doubles ascending (qsort with the one comparison every caller needs). */
void xl_sort_doubles(double *v, size_t n);
/* Write to path via a temporary file and rename, so no half-written file remains. */
/* SHA-256 (hex) of a file, into out (65 bytes or more); 0 or -errno. */
int xl_sha256_file(const char *path, char *out, size_t len);
/*
 * A file shipped beside the binary (the built-in systems' BPF objects): name in
 * the directory of /proc/self/exe or its parent, into out.  0 or -ENOENT.
 */
int xl_exe_relative(const char *name, char *out, size_t len);
int xl_atomic_write(const char *path, const char *data, size_t len);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * catalog.h - the one list of systems.  A system is data: a catalog entry
 * read from a `[system NAME]` section of the shipped systems files
 * (configs/systems.ini, compiled into the binary; a plug-in such as DPDK adds
 * its own) or of the user's config.  An entry names its kind (how it is set up:
 * xdp, stack, none, testpmd, ...), the modes it may run in, where its frames
 * are counted, an XDP object and program where it has one, and any further
 * settings its kind interprets (rodata.VAR, map.NAME.KEY, iptables, sysctl,
 * ...).  The runner, the report (through context.json) and `run --help` all
 * read this list; nothing else names systems.
 */
#ifndef XL_CATALOG_H
#define XL_CATALOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <json-c/json.h>

/* Modes a system can run in (bit mask); the mode is recorded in results.csv. */
enum xl_sys_mode {
	XL_SM_NATIVE = 1 << 0, /* XDP in the driver */
	XL_SM_GENERIC = 1 << 1, /* XDP on the skb path */
	XL_SM_STACK = 1 << 2, /* Linux network stack, no XDP */
	XL_SM_DPDK = 1 << 3, /* DPDK PMD in user space */
	XL_SM_NONE = 1 << 4, /* no system: the sink sits on dut-in (latency floor) */
};
#define XL_SM_COUNT 5

/* Where a system's frames are counted (and where the runner puts the sink). */
enum xl_counts {
	XL_COUNTS_DUT, /* consumed on the DUT (drop): no sink */
	XL_COUNTS_SINK, /* forwarded out of dut-out: sink on the sink port */
	XL_COUNTS_BACK, /* sent back out of dut-in: sink on the generator port */
	XL_COUNTS_IN, /* no system: the sink sits on dut-in itself */
};

struct xl_kind_ops;

struct xl_setting {
	char *key;
	char *value;
};

struct xl_sys_entry {
	char *name;
	char *what;
	char *label; /* short name for tables and plots (the mode is added there) */
	char *kind;
	const struct xl_kind_ops *ops; /* NULL: this build has no such kind */
	unsigned int modes; /* allowed XL_SM_*; the first is the default */
	enum xl_sys_mode default_mode;
	enum xl_counts counts;
	char *obj; /* XDP object file; NULL = the built-in object */
	char *prog; /* program name (built-in name without obj) */
	char *source; /* FILE:LINE of the section */
	bool builtin;
	int nsettings;
	struct xl_setting *settings; /* every other key, for the kind */
};

struct xl_catalog {
	int n;
	struct xl_sys_entry *e;
};

/* A shipped systems file (name for messages, INI text), registered by the core or a plug-in. */
void xl_catalog_register_text(const char *name, const char *text, size_t len);
/* Load every registered shipped file into c; xl_fail(XL_EXIT_CONFIG) on error. */
int xl_catalog_load_builtin(struct xl_catalog *c);
/*
 * One key of a `[system NAME]` section at FILE:LINE.  Returns 0, or -1 with a
 * message in err (the caller prefixes FILE:LINE).  builtin: from a shipped file.
 */
int xl_catalog_set(struct xl_catalog *c, const char *name, const char *key, const char *value,
		   const char *where, bool builtin, char *err, size_t errlen);
/* Line (1-based) of the header "[section]" in an INI text, 0 if absent. */
int xl_ini_section_line(const char *text, const char *section);
/* Check every entry (kind known, counts, modes, settings the kind accepts); xl_fail on error. */
int xl_catalog_finish(struct xl_catalog *c);
const struct xl_sys_entry *xl_catalog_find(const struct xl_catalog *c, const char *name);
/* "name" or "name:mode": 0, -ENOENT (no such system) or -EINVAL (mode not allowed). */
int xl_catalog_parse_spec(const struct xl_catalog *c, const char *spec,
			  const struct xl_sys_entry **e, enum xl_sys_mode *mode);
/* Value of a setting, NULL if absent. */
const char *xl_setting(const struct xl_sys_entry *e, const char *key);
const char *xl_sys_mode_name(enum xl_sys_mode m);
int xl_sys_mode_parse(const char *s, enum xl_sys_mode *m);
const char *xl_counts_name(enum xl_counts c);
/* The catalog for context.json: {name: {kind, what, label, modes, counts, obj, prog, source}}. */
json_object *xl_catalog_json(const struct xl_catalog *c);
/* The table for --help. */
void xl_catalog_print(const struct xl_catalog *c, FILE *f);
void xl_catalog_free(struct xl_catalog *c);

#endif

// SPDX-License-Identifier: GPL-2.0
/*
 * catalog.c - the system catalog (catalog.h): shipped systems files parsed
 * with libinih, `[system NAME]` sections of the user's config added through
 * the same xl_catalog_set(), validation against the registered kinds, and the
 * views of the list for context.json and --help.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "catalog.h"
#include "util.h"
#include "inifile.h"
#include "system.h"
#include "xl_err.h"

#define XL_MAX_TEXTS 8
#define XL_MAX_CATALOG 256

static struct {
	const char *name, *text;
	size_t len;
} texts[XL_MAX_TEXTS];
static int ntexts;

static const char *const mode_names[XL_SM_COUNT] = { "native", "generic", "stack", "dpdk", "none" };
static const char *const counts_names[] = { [XL_COUNTS_DUT] = "dut",
					    [XL_COUNTS_SINK] = "sink",
					    [XL_COUNTS_BACK] = "back",
					    [XL_COUNTS_IN] = "in" };

void xl_catalog_register_text(const char *name, const char *text, size_t len)
{
	if (ntexts < XL_MAX_TEXTS)
		texts[ntexts++] = (typeof(texts[0])){ name, text, len };
}

const char *xl_sys_mode_name(enum xl_sys_mode m)
{
	for (int i = 0; i < XL_SM_COUNT; i++)
		if (m == 1u << i)
			return mode_names[i];
	return "?";
}

int xl_sys_mode_parse(const char *s, enum xl_sys_mode *m)
{
	for (int i = 0; i < XL_SM_COUNT; i++) {
		if (!strcmp(s, mode_names[i])) {
			*m = 1u << i;
			return 0;
		}
	}
	return -EINVAL;
}

const char *xl_counts_name(enum xl_counts c)
{
	return c <= XL_COUNTS_IN ? counts_names[c] : "?";
}

const struct xl_sys_entry *xl_catalog_find(const struct xl_catalog *c, const char *name)
{
	for (int i = 0; i < c->n; i++)
		if (!strcmp(c->e[i].name, name))
			return &c->e[i];
	return NULL;
}

const char *xl_setting(const struct xl_sys_entry *e, const char *key)
{
	for (int i = 0; i < e->nsettings; i++)
		if (!strcmp(e->settings[i].key, key))
			return e->settings[i].value;
	return NULL;
}

static int parse_modes(const char *value, unsigned int *modes, enum xl_sys_mode *first)
{
	char buf[128], *save = NULL, *tok;

	*modes = 0;
	snprintf(buf, sizeof(buf), "%s", value);
	for (tok = strtok_r(buf, ", \t", &save); tok; tok = strtok_r(NULL, ", \t", &save)) {
		enum xl_sys_mode m;

		if (xl_sys_mode_parse(tok, &m))
			return -EINVAL;
		if (!*modes)
			*first = m;
		*modes |= m;
	}
	return *modes ? 0 : -EINVAL;
}

static int set_str(char **field, const char *value, const char *key, char *err, size_t errlen)
{
	if (*field) {
		snprintf(err, errlen, "key '%s' given twice", key);
		return -1;
	}
	*field = strdup(value);
	return *field ? 0 : -1;
}

static struct xl_sys_entry *entry_for(struct xl_catalog *c, const char *name, const char *where,
				      bool builtin, char *err, size_t errlen)
{
	struct xl_sys_entry *e;

	for (int i = 0; i < c->n; i++) {
		if (strcmp(c->e[i].name, name))
			continue;
		if (c->e[i].builtin && !builtin) {
			snprintf(err, errlen, "system '%s' is built in (%s); choose another name",
				 name, c->e[i].source);
			return NULL;
		}
		return &c->e[i];
	}
	if (!*name || strlen(name) > 48 || strpbrk(name, ":, \t\"")) {
		snprintf(err, errlen,
			 "system name must be 1..48 characters without ':', ',', quotes or spaces");
		return NULL;
	}
	if (c->n == XL_MAX_CATALOG) {
		snprintf(err, errlen, "more than %d systems", XL_MAX_CATALOG);
		return NULL;
	}
	if (!c->e)
		c->e = calloc(XL_MAX_CATALOG, sizeof(*c->e));
	if (!c->e)
		return NULL;
	e = &c->e[c->n++];
	e->name = strdup(name);
	e->source = strdup(where);
	e->builtin = builtin;
	e->counts = XL_COUNTS_DUT;
	return e;
}

int xl_catalog_set(struct xl_catalog *c, const char *name, const char *key, const char *value,
		   const char *where, bool builtin, char *err, size_t errlen)
{
	struct xl_sys_entry *e = entry_for(c, name, where, builtin, err, errlen);
	struct xl_setting *s;

	if (!e)
		return -1;
	if (!strcmp(key, "kind"))
		return set_str(&e->kind, value, key, err, errlen);
	if (!strcmp(key, "what"))
		return set_str(&e->what, value, key, err, errlen);
	if (!strcmp(key, "label"))
		return set_str(&e->label, value, key, err, errlen);
	if (!strcmp(key, "obj")) {
		char path[PATH_MAX];

		/* A built-in system's object is one of the build's, found beside the binary. */
		if (builtin && value[0] != '/' && !xl_exe_relative(value, path, sizeof(path)))
			return set_str(&e->obj, path, key, err, errlen);
		return set_str(&e->obj, value, key, err, errlen);
	}
	if (!strcmp(key, "prog"))
		return set_str(&e->prog, value, key, err, errlen);
	if (!strcmp(key, "modes")) {
		if (parse_modes(value, &e->modes, &e->default_mode)) {
			snprintf(err, errlen,
				 "modes: a list of native, generic, stack, dpdk, none; not '%s'",
				 value);
			return -1;
		}
		return 0;
	}
	if (!strcmp(key, "counts")) {
		for (size_t i = 0; i < sizeof(counts_names) / sizeof(counts_names[0]); i++) {
			if (!strcmp(value, counts_names[i])) {
				e->counts = i;
				return 0;
			}
		}
		snprintf(err, errlen, "counts must be dut, sink, back or in, not '%s'", value);
		return -1;
	}
	if (xl_setting(e, key)) {
		snprintf(err, errlen, "key '%s' given twice", key);
		return -1;
	}
	s = realloc(e->settings, (e->nsettings + 1) * sizeof(*s));
	if (!s)
		return -1;
	e->settings = s;
	s[e->nsettings].key = strdup(key);
	s[e->nsettings].value = strdup(value);
	e->nsettings++;
	return 0;
}

struct text_state {
	struct xl_catalog *c;
	const char *name, *text;
	char err[256];
};

int xl_ini_section_line(const char *text, const char *section)
{
	size_t len = strlen(section);
	int line = 1;

	for (const char *p = text; *p; line++) {
		const char *q = p;

		while (*q == ' ' || *q == '\t')
			q++;
		if (*q == '[' && !strncmp(q + 1, section, len) && q[1 + len] == ']')
			return line;
		p = strchr(p, '\n');
		if (!p)
			break;
		p++;
	}
	return 0;
}

static int text_handler(void *user, const char *section, const char *key, const char *value)
{
	struct text_state *ts = user;
	char where[160];

	if (strncmp(section, "system ", 7)) {
		snprintf(ts->err, sizeof(ts->err), "only [system NAME] sections belong here");
		return 0;
	}
	snprintf(where, sizeof(where), "%s:%d", ts->name, xl_ini_section_line(ts->text, section));
	return xl_catalog_set(ts->c, section + 7, key, value, where, true, ts->err,
			      sizeof(ts->err)) == 0;
}

int xl_catalog_load_builtin(struct xl_catalog *c)
{
	for (int i = 0; i < ntexts; i++) {
		char *s = strndup(texts[i].text, texts[i].len);
		struct text_state ts = { .c = c, .name = texts[i].name, .text = s };
		int rc;

		if (!s)
			return -ENOMEM;
		rc = xl_ini_parse(texts[i].text, texts[i].len, text_handler, &ts, ts.err,
				  sizeof(ts.err));
		free(s);
		if (rc)
			return xl_fail(XL_EXIT_CONFIG, "%s:%d: %s", texts[i].name, rc,
				       ts.err[0] ? ts.err : "syntax error");
	}
	return 0;
}

int xl_catalog_finish(struct xl_catalog *c)
{
	for (int i = 0; i < c->n; i++) {
		struct xl_sys_entry *e = &c->e[i];

		if (!e->kind)
			return xl_fail(XL_EXIT_CONFIG, "%s: [system %s] has no kind", e->source,
				       e->name);
		e->ops = xl_kind_find(e->kind);
		if (!e->ops) {
			/* A shipped entry of a plug-in this build lacks stays listed but unusable. */
			if (e->builtin)
				continue;
			return xl_fail(
				XL_EXIT_CONFIG,
				"%s: [system %s]: unknown kind '%s' (xdplab run --help lists "
				"the kinds)",
				e->source, e->name, e->kind);
		}
		if (!e->modes) {
			e->modes = e->ops->modes;
			e->default_mode = e->ops->modes & -e->ops->modes;
		}
		if (e->modes & ~e->ops->modes)
			return xl_fail(XL_EXIT_CONFIG,
				       "%s: [system %s]: a %s system cannot run in the modes given",
				       e->source, e->name, e->kind);
		for (int k = 0; k < e->nsettings; k++)
			if (!xl_kind_accepts(e->ops, e->settings[k].key))
				return xl_fail(XL_EXIT_CONFIG,
					       "%s: [system %s]: unknown key '%s' for kind %s",
					       e->source, e->name, e->settings[k].key, e->kind);
		if (!e->what)
			e->what = strdup(e->kind);
		if (!e->label)
			e->label = strdup(e->name);
	}
	return 0;
}

int xl_catalog_parse_spec(const struct xl_catalog *c, const char *spec,
			  const struct xl_sys_entry **e, enum xl_sys_mode *mode)
{
	char name[64];
	const char *colon = strchr(spec, ':');
	size_t len = colon ? (size_t)(colon - spec) : strlen(spec);

	if (len >= sizeof(name))
		return -ENOENT;
	memcpy(name, spec, len);
	name[len] = 0;
	*e = xl_catalog_find(c, name);
	if (!*e)
		return -ENOENT;
	if (!colon) {
		*mode = (*e)->default_mode;
		return 0;
	}
	if (xl_sys_mode_parse(colon + 1, mode))
		return -EINVAL;
	return ((*e)->modes & *mode) ? 0 : -EINVAL;
}

static json_object *modes_json(unsigned int modes, enum xl_sys_mode first)
{
	json_object *a = json_object_new_array();

	/* The default mode first, as in the systems file. */
	json_object_array_add(a, json_object_new_string(xl_sys_mode_name(first)));
	for (int i = 0; i < XL_SM_COUNT; i++)
		if ((modes & (1u << i)) && (1u << i) != (unsigned int)first)
			json_object_array_add(a, json_object_new_string(mode_names[i]));
	return a;
}

json_object *xl_catalog_json(const struct xl_catalog *c)
{
	json_object *o = json_object_new_object();

	for (int i = 0; i < c->n; i++) {
		const struct xl_sys_entry *e = &c->e[i];
		json_object *j = json_object_new_object(), *set = json_object_new_object();

		if (!e->ops)
			continue; /* not in this build */
		json_object_object_add(j, "kind", json_object_new_string(e->kind));
		json_object_object_add(j, "what", json_object_new_string(e->what));
		json_object_object_add(j, "label", json_object_new_string(e->label));
		json_object_object_add(j, "modes", modes_json(e->modes, e->default_mode));
		json_object_object_add(j, "counts",
				       json_object_new_string(xl_counts_name(e->counts)));
		json_object_object_add(j, "obj", json_object_new_string(e->obj ? e->obj : ""));
		json_object_object_add(j, "prog", json_object_new_string(e->prog ? e->prog : ""));
		json_object_object_add(j, "source", json_object_new_string(e->source));
		for (int k = 0; k < e->nsettings; k++)
			json_object_object_add(set, e->settings[k].key,
					       json_object_new_string(e->settings[k].value));
		json_object_object_add(j, "settings", set);
		json_object_object_add(o, e->name, j);
	}
	return o;
}

void xl_catalog_print(const struct xl_catalog *c, FILE *f)
{
	fprintf(f, "Systems (name[:mode]; the first mode is the default):\n");
	for (int i = 0; i < c->n; i++) {
		const struct xl_sys_entry *e = &c->e[i];
		char modes[64] = "";

		if (!e->ops)
			continue;
		snprintf(modes, sizeof(modes), "%s", xl_sys_mode_name(e->default_mode));
		for (int m = 0; m < XL_SM_COUNT; m++)
			if ((e->modes & (1u << m)) && (1u << m) != (unsigned int)e->default_mode)
				snprintf(modes + strlen(modes), sizeof(modes) - strlen(modes),
					 "|%s", mode_names[m]);
		fprintf(f, "  %-20s %-16s %s\n", e->name, modes, e->what);
	}
}

void xl_catalog_free(struct xl_catalog *c)
{
	for (int i = 0; i < c->n; i++) {
		struct xl_sys_entry *e = &c->e[i];

		free(e->name);
		free(e->what);
		free(e->label);
		free(e->kind);
		free(e->obj);
		free(e->prog);
		free(e->source);
		for (int k = 0; k < e->nsettings; k++) {
			free(e->settings[k].key);
			free(e->settings[k].value);
		}
		free(e->settings);
	}
	free(c->e);
	c->e = NULL;
	c->n = 0;
}

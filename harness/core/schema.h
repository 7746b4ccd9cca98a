/* SPDX-License-Identifier: GPL-2.0 */
/*
 * schema.h - the one definition of every CSV file a run writes: column
 * names in file order, type, unit and meaning.  The writers take their
 * headers from here, context.json carries it ("schema") for the analysis and
 * the checkers, and `xdplab schema --markdown` prints the tables of
 * docs/results-format.md.  Later work appends columns, never renames or
 * removes one.
 */
#ifndef XL_SCHEMA_H
#define XL_SCHEMA_H

#include <stdio.h>
#include <json-c/json.h>

struct xl_column {
	const char *name;
	const char *type; /* string | int | float | bool */
	const char *unit;
	const char *meaning;
};

struct xl_csv_schema {
	const char *file;
	const char *what;
	const struct xl_column *cols; /* terminated by name NULL */
};

extern const struct xl_csv_schema xl_schemas[]; /* terminated by file NULL */

const struct xl_csv_schema *xl_schema_find(const char *file);
/* "a,b,c" of a file's columns (static storage per file). */
const char *xl_schema_header(const char *file);
json_object *xl_schema_json(void);
void xl_schema_markdown(FILE *f);

#endif

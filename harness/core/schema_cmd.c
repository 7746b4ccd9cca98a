// SPDX-License-Identifier: GPL-2.0
/*
 * schema_cmd.c - `xdplab schema [--json|--markdown]`: the column definitions
 * of every file a run writes (schema.c), as context.json carries them or as
 * the tables of docs/results-format.md.
 */
#include <stdio.h>
#include <string.h>
#include "commands.h"
#include "schema.h"
#include "xl_err.h"

int xl_cmd_schema(int argc, char **argv)
{
	json_object *j;

	if (argc == 2 && !strcmp(argv[1], "--markdown")) {
		xl_schema_markdown(stdout);
		return 0;
	}
	if (argc == 2 && !strcmp(argv[1], "--help")) {
		printf("usage: xdplab schema [--json|--markdown]\n");
		return 0;
	}
	if (argc > 2 || (argc == 2 && strcmp(argv[1], "--json")))
		return xl_fail(XL_EXIT_USAGE, "usage: xdplab schema [--json|--markdown]"),
		       XL_EXIT_USAGE;
	j = xl_schema_json();
	printf("%s\n", json_object_to_json_string_ext(j, JSON_C_TO_STRING_PRETTY |
								 JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(j);
	return 0;
}

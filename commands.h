/* SPDX-License-Identifier: GPL-2.0 */
/* commands.h - entry points of the xdplab subcommands, each in its layer (table in xdplab.c). */
#ifndef XL_COMMANDS_H
#define XL_COMMANDS_H

int xl_cmd_load(int argc, char **argv);
int xl_cmd_gen(int argc, char **argv);
int xl_cmd_run(int argc, char **argv);
int xl_cmd_testbed(int argc, char **argv);
int xl_cmd_testbed_check(int argc, char **argv); /* harness/core/preflight_cmd.c */
int xl_cmd_cleanup(int argc, char **argv);
int xl_cmd_schema(int argc, char **argv);
int xl_cmd_ab(int argc, char **argv);
int xl_cmd_compare(int argc, char **argv);
int xl_cmd_baseline(int argc, char **argv);

#endif

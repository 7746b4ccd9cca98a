// placeholder, replaced below
#include "commands.h"
#include "xl_err.h"
int xl_cmd_run(int argc, char **argv) { (void)argc; (void)argv; return xl_fail(XL_EXIT_FAIL, "not yet"), 1; }

/* TEMPORARY STUB (lead): replaced by helper's file on merge */
#ifndef XL_LB_LINUX_H
#define XL_LB_LINUX_H
#include <stdbool.h>
#include "lb_plan.h"
#define XL_LB_NFT_TABLE "xdplab_lb"
int xl_lb_nft_ruleset(const struct xl_lb_plan *p, char **text);
int xl_lb_have_ipvs(void);
int xl_lb_ipvs_cmds(const struct xl_lb_plan *p, bool inverse, char ****cmds, int *n);
void xl_lb_cmds_free(char ***cmds, int n);
#endif

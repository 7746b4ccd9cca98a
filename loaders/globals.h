/* SPDX-License-Identifier: GPL-2.0 */
/*
 * globals.h - set a BPF object's `const volatile` globals by name before it
 * is loaded, for any object (not only skeletons): the variable is found in the
 * object's BTF (the .rodata DATASEC) and written into the map's initial value,
 * so the verifier sees the constant and prunes what it disables.
 */
#ifndef XL_GLOBALS_H
#define XL_GLOBALS_H

#include <bpf/libbpf.h>

/*
 * Set `name` to the integer `value` (decimal, 0x hex, negative allowed).
 * -ENOENT: no such const volatile variable; -ERANGE: does not fit its size;
 * -EINVAL: not an integer, or the variable is not 1, 2, 4 or 8 bytes.
 */
int xl_obj_set_rodata(struct bpf_object *obj, const char *name, const char *value);

#endif

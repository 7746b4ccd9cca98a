/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xl_why.h - the size of the xl_why reason-counter map that the application
 * programs share with user space.  Each program's reasons are an enum in its
 * own header whose last member (..._WHY_MAX) must not exceed XL_WHY_SLOTS.
 */
#ifndef XL_WHY_H
#define XL_WHY_H

#define XL_WHY_SLOTS 32

#endif

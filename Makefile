# SPDX-License-Identifier: GPL-2.0
# xdplab build: BPF objects -> skeletons -> one `xdplab` binary; `make test`
# runs the selftests-style suite.  Quiet by default, V=1 shows the commands.
# `make` and `make test` first install missing Debian packages (`make deps`), then
# build in a second make: the pkg-config flags are read only once the packages exist.

BUILD      ?= build
CLANG      ?= clang
BPFTOOL    ?= bpftool
CC         ?= gcc
ARCH       := $(shell uname -m | sed 's/x86_64/x86/;s/aarch64/arm64/')
MULTIARCH  := $(shell $(CC) -print-multiarch 2>/dev/null)
GIT_COMMIT := $(shell git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)$(shell git diff --quiet HEAD 2>/dev/null || echo -dirty)

ifeq ($(V),1)
Q =
msg =
else
Q = @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
endif

PKGS       := libbpf json-c inih
HAVE_DPDK  := $(if $(wildcard harness/gen_dpdk.c),$(shell pkg-config --exists libdpdk 2>/dev/null && echo 1))

CFLAGS     ?= -O2 -g
CFLAGS     += -Wall -Wextra -Werror -std=gnu11 -Wno-format-truncation \
	      -Ilib -Iloaders -Iharness -Iprogs -I$(BUILD) \
	      -DXL_GIT_COMMIT='"$(GIT_COMMIT)"' \
	      $(shell pkg-config --cflags $(PKGS) 2>/dev/null) $(if $(HAVE_DPDK),-DXL_HAVE_DPDK)
LDLIBS     += $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lpthread -lm

BPF_CFLAGS := -O2 -g -target bpf -D__TARGET_ARCH_$(ARCH) -Wall -Werror \
	      -Iprogs $(if $(MULTIARCH),-I/usr/include/$(MULTIARCH))

BPF_SRCS   := $(wildcard progs/*.bpf.c)
BPF_OBJS   := $(patsubst progs/%.bpf.c,$(BUILD)/%.bpf.o,$(BPF_SRCS))
SKELS      := $(patsubst progs/%.bpf.c,$(BUILD)/%.skel.h,$(BPF_SRCS))

LIB_SRCS   := $(wildcard lib/*.c) $(wildcard loaders/*.c) \
	      $(filter-out harness/gen_dpdk.c harness/dpdk_%.c,$(wildcard harness/*.c))
LIB_SRCS   += $(wildcard harness/apps/*.c)
ifeq ($(HAVE_DPDK),1)
# dpdk_gen_main.c is the separate DPDK generator process, not part of xdplab.
LIB_SRCS   += $(filter-out harness/dpdk_gen_main.c,$(wildcard harness/gen_dpdk.c harness/dpdk_*.c))
DPDK_BINS  := $(BUILD)/xdplab-dpdkgen
endif
LIB_OBJS   := $(patsubst %.c,$(BUILD)/obj/%.o,$(LIB_SRCS))
# XL_HAVE_DPDK changes what gen.c and systems.c compile: rebuild when it flips.
DPDK_STAMP := $(BUILD)/obj/.dpdk-$(if $(HAVE_DPDK),on,off)

TEST_SRCS  := $(wildcard tests/test_*.c)
TEST_BINS  := $(patsubst tests/%.c,$(BUILD)/tests/%,$(TEST_SRCS))

.PHONY: all binaries deps test clean format check-format shellcheck
.DELETE_ON_ERROR:
.SECONDARY: $(SKELS) $(BPF_OBJS)

all: deps
	$(Q)$(MAKE) --no-print-directory binaries

binaries: $(BUILD)/xdplab $(DPDK_BINS) $(BPF_OBJS) $(TEST_BINS)

deps:
	$(Q)./tools/install-deps.sh

$(BUILD)/%.bpf.o: progs/%.bpf.c progs/xdplab.h $(wildcard progs/*.h) | $(BUILD)
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(BUILD)/%.skel.h: $(BUILD)/%.bpf.o
	$(call msg,GEN-SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name $* > $@

$(BUILD)/obj/%.o: %.c $(SKELS) $(wildcard lib/*.h loaders/*.h harness/*.h progs/*.h)
	@mkdir -p $(dir $@)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(if $(filter harness/gen_dpdk.c harness/dpdk_%.c,$<),$(shell pkg-config --cflags libdpdk)) -c $< -o $@

$(BUILD)/xdplab: $(BUILD)/obj/xdplab.o $(LIB_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $^ -o $@ $(LDLIBS) $(if $(HAVE_DPDK),$(shell pkg-config --libs libdpdk))

$(LIB_OBJS) $(BUILD)/obj/xdplab.o $(BUILD)/obj/harness/dpdk_gen_main.o: $(DPDK_STAMP)

$(DPDK_STAMP):
	@mkdir -p $(dir $@)
	@rm -f $(BUILD)/obj/.dpdk-*
	@touch $@

$(BUILD)/xdplab-dpdkgen: $(BUILD)/obj/harness/dpdk_gen_main.o $(BUILD)/obj/harness/pkt.o
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $^ -o $@ $(shell pkg-config --libs libdpdk)

$(BUILD)/tests/%: tests/%.c $(LIB_OBJS) $(SKELS) tests/test_common.h
	@mkdir -p $(dir $@)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -Itests $< $(LIB_OBJS) -o $@ $(LDLIBS) $(if $(HAVE_DPDK),$(shell pkg-config --libs libdpdk))

$(BUILD):
	@mkdir -p $@

test: all
	$(Q)./tests/run_tests.sh

shellcheck:
	$(Q)shellcheck run.sh tests/*.sh tools/*.sh .ci/run

format:
	$(Q)clang-format -i $$(git ls-files '*.c' '*.h')

check-format:
	$(Q)clang-format --dry-run -Werror $$(git ls-files '*.c' '*.h')

clean:
	$(call msg,CLEAN,$(BUILD))
	$(Q)rm -rf $(BUILD)

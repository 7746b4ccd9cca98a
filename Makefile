# SPDX-License-Identifier: GPL-2.0
# xdplab build: BPF objects -> skeletons -> one `xdplab` binary; `make test` runs the
# selftests-style suite.  Quiet by default, V=1 shows the commands.
# `make` never touches apt: `make deps` installs the missing Debian packages (run.sh and
# .ci/run call it first).  The DPDK plug-in (harness/dpdk/) is built when that folder is
# there and libdpdk is installed; without it everything else builds, minus its systems.

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

PKGS       := libbpf json-c inih libpcap
HAVE_DPDK  := $(if $(wildcard harness/dpdk/testpmd.c),$(shell pkg-config --exists libdpdk 2>/dev/null && echo 1))

CFLAGS     ?= -O2 -g
CFLAGS     += -Wall -Wextra -Werror -std=gnu11 -Wno-format-truncation -MMD -MP \
	      -I. -Ilib -Iloaders -Iharness -Iprogs -I$(BUILD) \
	      -DXL_GIT_COMMIT='"$(GIT_COMMIT)"' \
	      $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS     += $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lpthread -lm

BPF_CFLAGS := -O2 -g -target bpf -D__TARGET_ARCH_$(ARCH) -Wall -Werror \
	      -Iprogs $(if $(MULTIARCH),-I/usr/include/$(MULTIARCH))

BPF_SRCS   := $(wildcard progs/*.bpf.c)
BPF_OBJS   := $(patsubst progs/%.bpf.c,$(BUILD)/%.bpf.o,$(BPF_SRCS))
SKELS      := $(patsubst progs/%.bpf.c,$(BUILD)/%.skel.h,$(BPF_SRCS))

# Shipped systems files, compiled in (build/gen/<name>_ini.c defines xl_<name>_ini[]).
EMBED      := configs/systems.ini
HARNESS    := core collect testbed gen systems apps remote
LIB_SRCS   := $(wildcard lib/*.c loaders/*.c $(foreach d,$(HARNESS),harness/$(d)/*.c))
ifeq ($(HAVE_DPDK),1)
# dpdkgen_main.c is the separate DPDK generator process, not part of xdplab.
DPDK_SRCS  := $(filter-out harness/dpdk/dpdkgen_main.c,$(wildcard harness/dpdk/*.c))
LIB_SRCS   += $(DPDK_SRCS)
EMBED      += harness/dpdk/systems.ini
DPDK_BINS  := $(BUILD)/xdplab-dpdkgen
DPDK_LIBS  := $(shell pkg-config --libs libdpdk)
endif
EMBED_SRCS := $(BUILD)/gen/systems_ini.c $(if $(HAVE_DPDK),$(BUILD)/gen/dpdk_systems_ini.c)
LIB_OBJS   := $(patsubst %.c,$(BUILD)/obj/%.o,$(LIB_SRCS)) $(EMBED_SRCS:.c=.o)

TEST_SRCS  := $(wildcard tests/test_*.c) $(if $(HAVE_DPDK),$(wildcard tests/dpdk/test_*.c))
TEST_BINS  := $(patsubst %.c,$(BUILD)/tests/%,$(notdir $(TEST_SRCS)))

.PHONY: all binaries deps test docs clean format check-format shellcheck fuzz fuzz-available
.DELETE_ON_ERROR:
.SECONDARY: $(SKELS) $(BPF_OBJS)

all: binaries
binaries: $(BUILD)/xdplab $(DPDK_BINS) $(BPF_OBJS) $(TEST_BINS)

deps:
	$(Q)./tools/install-deps.sh

$(BUILD)/%.bpf.o: progs/%.bpf.c | $(BUILD)
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -MMD -MP -MF $@.d -c $< -o $@

$(BUILD)/%.skel.h: $(BUILD)/%.bpf.o
	$(call msg,GEN-SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name $* > $@

# A text file as a C array: od prints the bytes, sed makes them initialisers.
define embed
	@mkdir -p $(dir $@)
	$(call msg,EMBED,$@)
	$(Q){ echo '/* generated from $< by the Makefile */'; \
	  echo 'const char xl_$(1)_ini[] = {'; \
	  od -An -v -tx1 $< | sed 's/ *\([0-9a-f][0-9a-f]\)/0x\1,/g'; \
	  echo '0 };'; \
	  echo "const unsigned int xl_$(1)_ini_len = $$(wc -c < $<);"; } > $@
endef
$(BUILD)/gen/systems_ini.c: configs/systems.ini
	$(call embed,systems)
$(BUILD)/gen/dpdk_systems_ini.c: harness/dpdk/systems.ini
	$(call embed,dpdk_systems)
$(BUILD)/gen/%.o: $(BUILD)/gen/%.c
	$(Q)$(CC) -c $< -o $@

$(BUILD)/obj/%.o: %.c $(SKELS)
	@mkdir -p $(dir $@)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(if $(filter harness/dpdk/%,$<),$(shell pkg-config --cflags libdpdk)) -c $< -o $@

$(BUILD)/xdplab: $(BUILD)/obj/xdplab.o $(LIB_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $^ -o $@ $(LDLIBS) $(DPDK_LIBS)

$(BUILD)/xdplab-dpdkgen: $(BUILD)/obj/harness/dpdk/dpdkgen_main.o $(BUILD)/obj/harness/gen/pkt.o
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $^ -o $@ $(DPDK_LIBS)

$(BUILD)/tests/%: $(BUILD)/obj/tests/%.o $(LIB_OBJS)
	@mkdir -p $(dir $@)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $^ -o $@ $(LDLIBS) $(DPDK_LIBS)
$(BUILD)/tests/%: $(BUILD)/obj/tests/dpdk/%.o $(LIB_OBJS)
	@mkdir -p $(dir $@)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $^ -o $@ $(LDLIBS) $(DPDK_LIBS)
$(BUILD)/obj/tests/%.o: CFLAGS += -Itests

$(BUILD):
	@mkdir -p $@

# libFuzzer target over the config reader (tests/fuzz/, run by tests/test_fuzz.sh).
# Only `make fuzz` builds it: clang's fuzzer runtime (libclang-rt-14-dev) is not
# needed by `make`.  Everything the parser links is rebuilt with clang and the
# sanitizers under $(BUILD)/fuzz, so the build objects stay gcc's.
FUZZ_SAN    := -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_CFLAGS := $(filter-out -O2 -Werror -Wno-format-truncation,$(CFLAGS)) -O1 \
	       -Wno-missing-field-initializers -fno-omit-frame-pointer $(FUZZ_SAN)
FUZZ_OBJS   := $(patsubst %.c,$(BUILD)/fuzz/obj/%.o,$(LIB_SRCS)) $(EMBED_SRCS:.c=.o)
FUZZ_BIN    := $(BUILD)/fuzz/fuzz_config

fuzz: $(FUZZ_BIN)

# Exit 0 if clang can link a libFuzzer target here.
fuzz-available:
	@mkdir -p $(BUILD)/fuzz
	@printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n)\n{ return (void)d, (int)(n & 0); }\n' | \
		$(CLANG) -x c - -fsanitize=fuzzer,address,undefined -o $(BUILD)/fuzz/.probe 2>/dev/null; \
		rc=$$?; rm -f $(BUILD)/fuzz/.probe; exit $$rc

$(BUILD)/fuzz/obj/%.o: %.c $(SKELS)
	@mkdir -p $(dir $@)
	$(call msg,FUZZ-CC,$@)
	$(Q)$(CLANG) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link $(if $(filter harness/dpdk/%,$<),$(shell pkg-config --cflags libdpdk)) -c $< -o $@

$(FUZZ_BIN): tests/fuzz/fuzz_config.c $(FUZZ_OBJS)
	$(call msg,FUZZ-LD,$@)
	$(Q)$(CLANG) $(FUZZ_CFLAGS) -fsanitize=fuzzer $(filter %.c %.o,$^) -o $@ -Wl,--as-needed $(LDLIBS) $(DPDK_LIBS)

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

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

# docs/results-format.md carries the schema's tables between markers: regenerate them.
docs: $(BUILD)/xdplab
	$(Q){ sed '/<!-- schema:begin/q' docs/results-format.md; $(BUILD)/xdplab schema --markdown; \
	  sed -n '/<!-- schema:end/,$$p' docs/results-format.md; } > docs/results-format.md.tmp
	$(Q)mv docs/results-format.md.tmp docs/results-format.md

# repoguard: one binary, built with the libraries found through pkg-config.
#   make            build ./repoguard (developer build: warnings are errors)
#   make check      build and run every test (unit, end-to-end, sanitizers)
#   make install    install to $(DESTDIR)$(PREFIX)/bin and the man page
#   make fuzz       build libFuzzer targets (clang); make fuzz-run runs them briefly

MAKEFLAGS += --no-print-directory
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
CC ?= cc
PKG_CONFIG ?= pkg-config
PKGS = libgit2 libpcre2-8 inih

DEPS_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
DEPS_LIBS := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)
INIH_H := $(firstword $(wildcard $(patsubst -I%,%/ini.h,$(filter -I%,$(DEPS_CFLAGS))) /usr/include/ini.h))
INIH_KNOBS := $(shell grep -qs 'extern int ini_max_line' $(INIH_H) && echo -DRG_HAVE_INIH_KNOBS)
# liburing is optional (src/core/worktree-batch.c): without it files are read one by one.
URING := $(shell $(PKG_CONFIG) --exists liburing 2>/dev/null && echo liburing)
ifneq ($(URING),)
DEPS_CFLAGS += -DRG_HAVE_LIBURING $(shell $(PKG_CONFIG) --cflags liburing)
DEPS_LIBS += $(shell $(PKG_CONFIG) --libs liburing)
endif

WARN = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter \
	-Wformat=2 -Wno-format-nonliteral -Wvla -Werror
CFLAGS ?= -O2 -g
ALL_CFLAGS = -std=c99 -pthread -D_GNU_SOURCE -DPCRE2_CODE_UNIT_WIDTH=8 -Iinclude $(INIH_KNOBS) \
	$(DEPS_CFLAGS) $(WARN) $(CFLAGS)
LIBS = $(DEPS_LIBS) -pthread

SRC := $(sort $(wildcard src/*.c src/*/*.c hooks/*.c))
LIB_SRC := $(filter-out src/main.c,$(SRC))
BUILD ?= build
OBJ := $(patsubst %.c,$(BUILD)/%.o,$(SRC)) $(BUILD)/gen/default-rules.o
LIB_OBJ := $(filter-out $(BUILD)/src/main.o,$(OBJ))

all: repoguard

repoguard: $(OBJ)
	$(CC) $(ALL_CFLAGS) -o $@ $(OBJ) $(LIBS) $(LDFLAGS)

$(BUILD)/%.o: %.c $(wildcard include/repoguard/*.h src/*/*.h hooks/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/gen/default-rules.c: rules.ini tools/embed.sh
	@mkdir -p $(dir $@)
	sh tools/embed.sh rules.ini $@ rg_default_rules

$(BUILD)/gen/default-rules.o: $(BUILD)/gen/default-rules.c
	$(CC) $(ALL_CFLAGS) -Wno-missing-variable-declarations -c -o $@ $<

$(BUILD)/librepoguard.a: $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $(LIB_OBJ)

# --- tests -------------------------------------------------------------
UNIT_SRC := $(sort $(wildcard tests/unit/test-*.c))
UNIT_BIN := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/librepoguard.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes -o $@ $< $(BUILD)/librepoguard.a $(LIBS) -lcmocka $(LDFLAGS)

unit: $(UNIT_BIN)

# The README's test command. Runs the suite on the normal build, then each
# fuzz target for CHECK_FUZZ_SECONDS (skipped, saying so, without clang's
# libFuzzer), then the suite under ThreadSanitizer (skipped, saying so, where
# no libgit2 can be built with it), then under AddressSanitizer + UBSan (last,
# so that the run ends with prove's summary).
# The test files run in parallel, one per CPU (PROVE_JOBS): each has a
# throwaway directory of its own and no test is timed, and the two sanitizer
# passes were most of CI's time when they ran one file at a time.
PROVE_JOBS ?= $(shell nproc 2>/dev/null || echo 2)
PROVE = prove -f -j$(PROVE_JOBS)

check: all unit
	BUILD=$(BUILD) REPOGUARD=$(CURDIR)/repoguard $(PROVE) tests/run-unit.t tests/t/*.t
	$(MAKE) fuzz-check
	$(MAKE) tsan-check
	$(MAKE) check-asan

# A sanitizer report exits 99, never 1 (a rule failing), so that no test that
# expects a violation can hide one; full stacks let tests/lsan.supp name the
# one libgit2 leak it suppresses.
SAN = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
check-asan:
	$(MAKE) BUILD=build-asan CFLAGS="-O1 -g $(SAN)" LDFLAGS="$(SAN)" repoguard-asan unit
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=99:fast_unwind_on_malloc=0 \
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp UBSAN_OPTIONS=print_stacktrace=1:exitcode=99 \
	BUILD=build-asan REPOGUARD=$(CURDIR)/repoguard-asan $(PROVE) tests/run-unit.t tests/t/*.t

# the sanitizer builds' binaries (BUILD, CC and the flags come from check-asan, check-tsan)
repoguard-asan repoguard-tsan: $(OBJ)
	$(CC) $(ALL_CFLAGS) -o $@ $(OBJ) $(LIBS) $(LDFLAGS)

# ThreadSanitizer (clang): the suite with a -fsanitize=thread build, linked
# (rpath) against libgit2 built with it too (tools/tsan-libgit2.sh): the
# scans share work between threads, and the threads of ci, pre-push and
# pre-receive read blobs through repositories of their own that share
# libgit2's pack caches. A report exits 99, as under ASan. Built without
# liburing: TSan does not see the files the kernel opens for a ring, so a
# descriptor number closed on one thread and reopened through another's ring
# reads as a race (each thread has a ring of its own).
TSAN_CC ?= clang
TSAN_LIBGIT2 = $(CURDIR)/build-tsan/libgit2
TSAN = -fsanitize=thread
check-tsan:
	TSAN_CC=$(TSAN_CC) sh tools/tsan-libgit2.sh $(TSAN_LIBGIT2)
	$(MAKE) BUILD=build-tsan URING= CC=$(TSAN_CC) CFLAGS="-O1 -g $(TSAN)" \
		LDFLAGS="$(TSAN) -L$(TSAN_LIBGIT2) -Wl,-rpath,$(TSAN_LIBGIT2)" repoguard-tsan unit
	TSAN_OPTIONS=halt_on_error=1:exitcode=99 \
	BUILD=build-tsan REPOGUARD=$(CURDIR)/repoguard-tsan $(PROVE) tests/run-unit.t tests/t/*.t

# make check's TSan step: only where clang builds -fsanitize=thread programs
# that run (the TSan of clang 14 cannot map its shadow memory on kernels with
# more address randomisation, vm.mmap_rnd_bits above 28) and the libgit2
# source can be fetched (tools/tsan-libgit2.sh says why not).
tsan-check:
	@mkdir -p build-tsan; \
	if ! printf 'int main(void) { return 0; }\n' | $(TSAN_CC) -x c $(TSAN) -o build-tsan/probe - >/dev/null 2>&1; then \
		echo "tsan: skipped: $(TSAN_CC) cannot link -fsanitize=thread (install clang)"; \
	elif ! build-tsan/probe >build-tsan/probe.log 2>&1; then \
		echo "tsan: skipped: a -fsanitize=thread program does not run here:"; head -n 3 build-tsan/probe.log; \
	elif ! TSAN_CC=$(TSAN_CC) sh tools/tsan-libgit2.sh $(TSAN_LIBGIT2); then \
		echo "tsan: skipped: no libgit2 built with ThreadSanitizer (above)"; \
	else \
		$(MAKE) check-tsan; \
	fi

# --- fuzzing (clang, libFuzzer) ------------------------------------------
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz-*.c))
FUZZ_BIN := $(patsubst tests/fuzz/%.c,build-fuzz/%,$(FUZZ_SRC))
FUZZ_CC ?= clang
FUZZ_FLAGS = -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all -g -O1
CHECK_FUZZ_SECONDS ?= 10

fuzz:
	$(MAKE) BUILD=build-fuzz CC=$(FUZZ_CC) CFLAGS="$(FUZZ_FLAGS)" build-fuzz/librepoguard.a
	$(MAKE) BUILD=build-fuzz CC=$(FUZZ_CC) CFLAGS="$(FUZZ_FLAGS)" $(FUZZ_BIN)

build-fuzz/fuzz-%: tests/fuzz/fuzz-%.c build-fuzz/librepoguard.a
	$(CC) $(ALL_CFLAGS) -fsanitize=fuzzer -o $@ $< build-fuzz/librepoguard.a $(LIBS)

# A crash, leak or an input slower than 10 s fails the run; the input is
# saved as build-fuzz/crash-NAME-* (add it to tests/unit/ as a regression).
FUZZ_SECONDS ?= 20
fuzz-run: fuzz
	@set -e; for f in $(FUZZ_BIN); do \
		name=$$(basename $$f); mkdir -p build-fuzz/corpus-$$name; \
		cp tests/fuzz/corpus/$$name/* build-fuzz/corpus-$$name/ 2>/dev/null || true; \
		echo "fuzzing $$name for $(FUZZ_SECONDS)s"; \
		$$f -max_total_time=$(FUZZ_SECONDS) -timeout=10 -print_final_stats=1 \
			-artifact_prefix=build-fuzz/crash-$$name- build-fuzz/corpus-$$name 2>build-fuzz/$$name.log \
			|| { tail -n 60 build-fuzz/$$name.log; exit 1; }; \
		grep -E 'number_of_executed_units|peak_rss' build-fuzz/$$name.log | tr '\n' ' '; echo; \
	done

# make check's fuzz step: only where clang can link libFuzzer.
fuzz-check:
	@if printf 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n)\n{ (void)d; (void)n; return 0; }\n' \
		| $(FUZZ_CC) -x c -fsanitize=fuzzer -o /dev/null - >/dev/null 2>&1; then \
		$(MAKE) fuzz-run FUZZ_SECONDS=$(CHECK_FUZZ_SECONDS); \
	else \
		echo "fuzz: skipped: $(FUZZ_CC) with libFuzzer not found (install clang and libclang-rt-dev)"; \
	fi

# --- install -----------------------------------------------------------
install: repoguard
	install -d "$(DESTDIR)$(BINDIR)" "$(DESTDIR)$(MANDIR)/man1"
	install -m 0755 repoguard "$(DESTDIR)$(BINDIR)/repoguard"
	install -m 0644 docs/repoguard.1 "$(DESTDIR)$(MANDIR)/man1/repoguard.1"

clean:
	rm -rf build build-asan build-tsan build-fuzz repoguard repoguard-asan repoguard-tsan

.PHONY: all unit check check-asan check-tsan tsan-check fuzz fuzz-run fuzz-check install clean
.DELETE_ON_ERROR:

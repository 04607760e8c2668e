# vmfault: one Makefile for the engine, the crash extension, the CLI, the tests.
#   make            build build/vmfault.so and build/vmfault-triage
#   make test       unit tests, then the integration tests on the generated vmcores
#   make vmcores    generate the scenario vmcores (cached outside git)
#   make demo       build, generate the seed vmcore, show the diagnosis in crash
#   make install    PREFIX=/usr/local DESTDIR=

CC      ?= gcc
CFLAGS  ?= -O2 -g
WARN    := -std=c99 -Wall -Wextra -Werror -D_GNU_SOURCE
CRASH_INC ?= /usr/include/crash
PREFIX  ?= /usr/local
# crash looks up `extend NAME.so` in /usr/lib64/crash/extensions and /usr/lib/crash/extensions only
EXTDIR  ?= /usr/lib/crash/extensions
DESTDIR ?=
B       := build

ENGINE_SRC := src/paging.c src/walk.c src/compare.c src/oops.c src/catalog.c \
              src/fixwindow.c src/diag.c src/report.c src/evidence.c
ENGINE_OBJ := $(ENGINE_SRC:src/%.c=$(B)/pic/%.o)
ENGINE_HDR := $(wildcard src/*.h)

UNIT_TESTS := $(patsubst tests/unit/%.c,$(B)/%,$(filter-out tests/unit/synth.c,$(wildcard tests/unit/test_*.c)))
UNIT_SUPPORT := $(wildcard tests/unit/synth.c)

.PHONY: all test unit-test sanitize-test integration-test damaged-test memcheck vmcores demo install clean bench fuzz fuzz-smoke samples

all: $(B)/vmfault.so $(B)/vmfault-triage

$(B)/pic/%.o: src/%.c $(ENGINE_HDR)
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CFLAGS) -fPIC -c -o $@ $<

$(B)/libvmfault.a: $(ENGINE_OBJ)
	ar rcs $@ $^

# crash's defs.h is not C99-clean: the glue gets crash's own flags, the engine does not.
$(B)/vmfault.so: extensions/vmfault.c extensions/vmfault_help.h $(B)/libvmfault.a $(ENGINE_HDR)
	@test -f $(CRASH_INC)/defs.h || { echo "vmfault: $(CRASH_INC)/defs.h missing: apt-get install crash"; exit 1; }
	$(CC) $(CFLAGS) -Wall -fPIC -shared -nostartfiles -DX86_64 -D_FILE_OFFSET_BITS=64 \
	    -I$(CRASH_INC) -o $@ extensions/vmfault.c $(B)/libvmfault.a

CLI_SRC := $(wildcard cli/*.c)
# whole-stream compressed dumps (cli/decompress.c)
DECOMPRESS_LIBS := -lz -lbz2 -llzma -llz4 -lzstd
CLI_HDR := $(wildcard cli/*.h)

$(B)/vmfault-triage: $(CLI_SRC) $(CLI_HDR) $(B)/libvmfault.a $(ENGINE_HDR)
	@test -f /usr/include/libkdumpfile/kdumpfile.h || { echo "vmfault: libkdumpfile missing: apt-get install libkdumpfile-dev"; exit 1; }
	$(CC) $(WARN) $(CFLAGS) -Isrc -Icli -o $@ $(CLI_SRC) $(B)/libvmfault.a -lkdumpfile $(DECOMPRESS_LIBS)

# ---- tests ------------------------------------------------------------------
$(B)/test_%: tests/unit/test_%.c $(UNIT_SUPPORT) $(ENGINE_SRC) $(ENGINE_HDR) $(wildcard tests/unit/*.h)
	@mkdir -p $(B)
	$(CC) $(WARN) $(CFLAGS) -Isrc -Itests/unit -o $@ $< $(UNIT_SUPPORT) $(ENGINE_SRC) $(LDLIBS)

$(B)/asan/test_%: tests/unit/test_%.c $(UNIT_SUPPORT) $(ENGINE_SRC) $(ENGINE_HDR) $(wildcard tests/unit/*.h)
	@mkdir -p $(B)/asan
	$(CC) $(WARN) -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer \
	    -Isrc -Itests/unit -o $@ $< $(UNIT_SUPPORT) $(ENGINE_SRC) $(LDLIBS)

# the triage CLI's JSON reader is tested on its own
$(B)/test_jsonread $(B)/asan/test_jsonread: cli/jsonread.c cli/jsonread.h
# ... and its kdump layouts and its decompression
$(B)/test_layout $(B)/asan/test_layout: cli/layout.c cli/layout.h
$(B)/test_decompress $(B)/asan/test_decompress: cli/decompress.c cli/decompress.h cli/files.c
$(B)/test_decompress $(B)/asan/test_decompress: LDLIBS += $(DECOMPRESS_LIBS)
$(B)/test_discover $(B)/asan/test_discover: $(CLI_SRC) $(CLI_HDR)
$(B)/test_discover $(B)/asan/test_discover: LDLIBS += -lkdumpfile $(DECOMPRESS_LIBS)

unit-test: $(UNIT_TESTS)
	@tests/run-unit.sh $(UNIT_TESTS)

sanitize-test: $(UNIT_TESTS:$(B)/%=$(B)/asan/%)
	@tests/run-unit.sh $^

vmcores:
	tests/vmcores/generate.sh

integration-test: all
	tests/integration/run.sh

# vmcores broken on purpose (needs make vmcores): one-line errors or INCONCLUSIVE, never a dead session
damaged-test: all
	python3 tests/damaged/run.py

# libFuzzer on the engine (clang): FUZZ_SECONDS per target; fuzz-smoke is the 10 s run of make test
FUZZ_SECONDS ?= 300
fuzz:
	tests/fuzz/run.sh $(FUZZ_SECONDS)

fuzz-smoke:
	FUZZ_SMOKE=1 tests/fuzz/run.sh

# crash + vmfault.so under valgrind memcheck on one factory dump (slow; not in make test)
memcheck: all
	tests/valgrind/run.sh

# The test command of the README and of .ci/run.
test: all
	@tests/run-all.sh

demo: all
	tests/vmcores/generate.sh seed-pud-5.10
	tests/demo.sh

install: all
	install -d $(DESTDIR)$(EXTDIR) $(DESTDIR)$(PREFIX)/bin \
	    $(DESTDIR)$(PREFIX)/share/man/man8 $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 0755 $(B)/vmfault.so $(DESTDIR)$(EXTDIR)/vmfault.so
	install -m 0755 $(B)/vmfault-triage $(DESTDIR)$(PREFIX)/bin/vmfault-triage
	install -m 0644 docs/vmfault.8 $(DESTDIR)$(PREFIX)/share/man/man8/vmfault.8
	install -m 0644 docs/vmfault-triage.1 $(DESTDIR)$(PREFIX)/share/man/man1/vmfault-triage.1

samples: all
	tests/samples.sh

bench: all
	tests/bench/bench.sh

clean:
	rm -rf $(B)

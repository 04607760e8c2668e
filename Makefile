# vmfault: one Makefile for the engine, the crash extension, the CLI, the tests.
#   make            build build/vmfault.so and build/vmfault-triage
#   make test       unit tests, then the integration tests on the generated vmcores
#   make vmcores    generate the scenario vmcores (cached outside git)
#   make demo       build, generate the seed vmcore, show the diagnosis in crash
#   make install    PREFIX=/usr/local DESTDIR=
#   make deb        build/deb/vmfault_<VMF_VERSION>_amd64.deb (debhelper)

CC      ?= gcc
CFLAGS  ?= -O2 -g
WARN    := -std=c99 -Wall -Wextra -Werror -D_GNU_SOURCE
CRASH_INC ?= /usr/include/crash
PREFIX  ?= /usr/local
# crash looks up `extend NAME.so` in /usr/lib64/crash/extensions and /usr/lib/crash/extensions only
EXTDIR  ?= /usr/lib/crash/extensions
DESTDIR ?=
B       := build

ENGINE_SRC := $(sort $(wildcard src/*.c))
ENGINE_OBJ := $(ENGINE_SRC:src/%.c=$(B)/pic/%.o)
ENGINE_HDR := $(wildcard src/*.h)

# The direct engine's data access (dump, VMCOREINFO, log): its own library, linked with libkdumpfile.
DIRECT_SRC := direct/vmf_vmcoreinfo.c direct/vmf_flat.c direct/vmf_dump.c direct/vmf_log.c
DIRECT_OBJ := $(DIRECT_SRC:direct/%.c=$(B)/direct/%.o)
DIRECT_HDR := $(wildcard direct/*.h)
DIRECT_LIBS := -lkdumpfile -laddrxlat
DIRECT_TESTS := $(patsubst tests/direct/%.c,$(B)/direct/%,$(wildcard tests/direct/test_*.c))

UNIT_TESTS := $(patsubst tests/unit/%.c,$(B)/%,$(filter-out tests/unit/synth.c,$(wildcard tests/unit/test_*.c)))
UNIT_SUPPORT := $(wildcard tests/unit/synth.c)

.PHONY: all deb docs direct direct-test direct-syms-test test unit-test sanitize-test integration-test damaged-test memcheck vmcores demo install clean bench fuzz fuzz-smoke samples

all: $(B)/vmfault.so $(B)/vmfault-triage direct

$(B)/pic/%.o: src/%.c $(ENGINE_HDR)
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CPPFLAGS) $(CFLAGS) -fPIC -c -o $@ $<

$(B)/libvmfault.a: $(ENGINE_OBJ)
	rm -f $@
	ar rcs $@ $^

# The glue builds with the project's warnings; crash's headers are system headers.
GLUE_SRC := extensions/vmfault.c extensions/vmfault_crash.c
$(B)/vmfault.so: $(GLUE_SRC) extensions/vmfault_crash.h extensions/vmfault_help.h $(B)/libvmfault.a $(ENGINE_HDR)
	@test -f $(CRASH_INC)/defs.h || { echo "vmfault: $(CRASH_INC)/defs.h missing: apt-get install crash"; exit 1; }
	$(CC) $(WARN) $(CPPFLAGS) $(CFLAGS) -fPIC -shared -nostartfiles -DX86_64 -D_FILE_OFFSET_BITS=64 \
	    -isystem $(CRASH_INC) -Isrc $(LDFLAGS) -o $@ $(GLUE_SRC) $(B)/libvmfault.a

CLI_SRC := $(wildcard cli/*.c)
# whole-stream compressed dumps (cli/decompress.c)
DECOMPRESS_LIBS := -lz -lbz2 -llzma -llz4 -lzstd
CLI_HDR := $(wildcard cli/*.h)

# the CLI carries the direct engine: the adapter over direct/'s readers, and the engine
$(B)/vmfault-triage: $(CLI_SRC) $(CLI_HDR) $(B)/libvmfdengine.a $(B)/libvmfdsyms.a $(B)/libvmfdirect.a $(B)/libvmfault.a $(ENGINE_HDR)
	@test -f /usr/include/libkdumpfile/kdumpfile.h || { echo "vmfault: libkdumpfile missing: apt-get install libkdumpfile-dev"; exit 1; }
	$(CC) $(WARN) $(CPPFLAGS) $(CFLAGS) -Isrc -Icli -Idirect $(LDFLAGS) -o $@ $(CLI_SRC) $(DENGINE_LIBS) -ldebuginfod $(DECOMPRESS_LIBS)

# ---- the direct engine: a struct vmf_kernel from a dump (direct/vmf_direct*.c) ------------
DENGINE_SRC := $(wildcard direct/vmf_direct*.c)
DENGINE_OBJ := $(DENGINE_SRC:direct/%.c=$(B)/dengine/%.o)
DENGINE_LIBS = $(B)/libvmfdengine.a $(B)/libvmfdsyms.a $(B)/libvmfdirect.a $(B)/libvmfault.a \
	$(DSYMS_LIBS) $(DIRECT_LIBS) -lz

$(B)/dengine/%.o: direct/%.c $(DIRECT_HDR) $(ENGINE_HDR)
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CFLAGS) -Isrc -Idirect -c -o $@ $<

$(B)/libvmfdengine.a: $(DENGINE_OBJ)
	rm -f $@
	ar rcs $@ $^


# ---- documents generated from (or checked against) the code -----------------
# docs/catalog.md's generated part: the signatures and fixes with their sources
$(B)/gen-catalog: docs/gen-catalog.c $(B)/libvmfault.a $(ENGINE_HDR)
	$(CC) $(WARN) $(CFLAGS) -Isrc -o $@ docs/gen-catalog.c $(B)/libvmfault.a

# one object of each JSON writer, every optional part present: docs/check-json.py holds json.md to it
$(B)/json-sample: docs/json-sample.c $(B)/libvmfault.a $(ENGINE_HDR)
	$(CC) $(WARN) $(CFLAGS) -Isrc -o $@ docs/json-sample.c $(B)/libvmfault.a

docs: $(B)/gen-catalog
	docs/splice-catalog.sh $(B)/gen-catalog docs/catalog.md > docs/catalog.md.new && mv docs/catalog.md.new docs/catalog.md

# ---- direct dump access ---------------------------------------------------------
direct: $(B)/libvmfdirect.a $(B)/vmf-dumpinfo

$(B)/direct/%.o: direct/%.c $(DIRECT_HDR)
	@test -f /usr/include/libkdumpfile/kdumpfile.h || { echo "vmfault: libkdumpfile missing: apt-get install libkdumpfile-dev"; exit 1; }
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CFLAGS) -fPIC -c -o $@ $<

$(B)/libvmfdirect.a: $(DIRECT_OBJ)
	ar rcs $@ $^

$(B)/vmf-dumpinfo: direct/vmf-dumpinfo.c $(B)/libvmfdirect.a $(DIRECT_HDR)
	$(CC) $(WARN) $(CFLAGS) -Idirect -o $@ direct/vmf-dumpinfo.c $(B)/libvmfdirect.a $(DIRECT_LIBS)

# ---- tests ------------------------------------------------------------------
$(B)/direct/test_%: tests/direct/test_%.c $(DIRECT_SRC) $(DIRECT_HDR) tests/unit/check.h
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CFLAGS) -Idirect -Itests/unit -o $@ $< $(DIRECT_SRC) $(DIRECT_LIBS)

$(B)/asan/direct/test_%: tests/direct/test_%.c $(DIRECT_SRC) $(DIRECT_HDR) tests/unit/check.h
	@mkdir -p $(dir $@)
	$(CC) $(WARN) -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer \
	    -Idirect -Itests/unit -o $@ $< $(DIRECT_SRC) $(DIRECT_LIBS)

# the direct reader's unit tests (synthetic logs, VMCOREINFO, flattened streams), plain and ASan
direct-test: $(DIRECT_TESTS) $(DIRECT_TESTS:$(B)/direct/%=$(B)/asan/direct/%)
	@tests/run-unit.sh $^

$(B)/test_%: tests/unit/test_%.c $(UNIT_SUPPORT) $(ENGINE_SRC) $(ENGINE_HDR) $(wildcard tests/unit/*.h)
	@mkdir -p $(B)
	$(CC) $(WARN) $(CFLAGS) -Isrc -Itests/unit -o $@ $< $(UNIT_SUPPORT) $(ENGINE_SRC) $(UNIT_CLI_$*) $(UNIT_LIBS_$*)

$(B)/asan/test_%: tests/unit/test_%.c $(UNIT_SUPPORT) $(ENGINE_SRC) $(ENGINE_HDR) $(wildcard tests/unit/*.h)
	@mkdir -p $(B)/asan
	$(CC) $(WARN) -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer \
	    -Isrc -Itests/unit -o $@ $< $(UNIT_SUPPORT) $(ENGINE_SRC) $(UNIT_CLI_$*) $(UNIT_LIBS_$*)

# unit tests of the CLI's parts link the parts they test (UNIT_CLI_<test>) and their libraries
UNIT_CLI_vmlinux_index := cli/vmlinux_index.c
UNIT_CLI_debuginfod := cli/debuginfod.c cli/vmlinux_index.c
UNIT_LIBS_debuginfod := -ldebuginfod
UNIT_CLI_shard := cli/shard.c
UNIT_CLI_extension := cli/extension.c
$(B)/test_vmlinux_index $(B)/asan/test_vmlinux_index: $(UNIT_CLI_vmlinux_index) $(CLI_HDR)
$(B)/test_debuginfod $(B)/asan/test_debuginfod: $(UNIT_CLI_debuginfod) $(CLI_HDR)
$(B)/test_shard $(B)/asan/test_shard: $(UNIT_CLI_shard) $(CLI_HDR)
$(B)/test_extension $(B)/asan/test_extension: $(UNIT_CLI_extension) $(CLI_HDR)

# the triage CLI's JSON reader is tested on its own
$(B)/test_jsonread $(B)/asan/test_jsonread: cli/jsonread.c cli/jsonread.h
# ... and its kdump layouts, its decompression and its discovery of crash directories (they include the .c)
UNIT_LIBS_decompress := $(DECOMPRESS_LIBS)
UNIT_LIBS_discover := -lkdumpfile $(DECOMPRESS_LIBS)
$(B)/test_layout $(B)/asan/test_layout: cli/layout.c cli/layout.h
$(B)/test_decompress $(B)/asan/test_decompress: cli/decompress.c cli/decompress.h cli/files.c
$(B)/test_discover $(B)/asan/test_discover: $(CLI_SRC) $(CLI_HDR)

unit-test: $(UNIT_TESTS)
	@tests/run-unit.sh $(UNIT_TESTS)

sanitize-test: $(UNIT_TESTS:$(B)/%=$(B)/asan/%)
	@tests/run-unit.sh $^

# ---- direct/: symbols, types and code from a vmlinux or the dump alone --------
# (symbol tables, BTF, kallsyms, module symbols, disassembly; each over a read
# callback, vmf_kread.h, so the unit tests run them on synthetic memory)
DSYMS_SRC  := direct/vmf_symtab.c direct/vmf_elfsyms.c direct/vmf_btf.c direct/vmf_kallsyms.c \
              direct/vmf_modsyms.c direct/vmf_disasm.c
DSYMS_HDR  := direct/vmf_kread.h $(DSYMS_SRC:.c=.h)
DSYMS_OBJ  := $(DSYMS_SRC:direct/%.c=$(B)/dsyms/%.o)
DSYMS_LIBS := -lelf -lbpf -lopcodes -lbfd

all: $(B)/libvmfdsyms.a $(B)/direct-probe

$(B)/dsyms/%.o: direct/%.c $(DSYMS_HDR) src/vmf_list.h
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CFLAGS) -Isrc -fPIC -c -o $@ $<

$(B)/libvmfdsyms.a: $(DSYMS_OBJ)
	ar rcs $@ $^

# unit tests of direct/ link the engine too (the code check reads the disassembly)
$(B)/test_direct_%: tests/unit/test_direct_%.c $(DSYMS_SRC) $(DSYMS_HDR) $(ENGINE_SRC) $(ENGINE_HDR) $(wildcard tests/unit/*.h)
	@mkdir -p $(B)
	$(CC) $(WARN) $(CFLAGS) -Isrc -Idirect -Itests/unit -o $@ $< $(DSYMS_SRC) $(ENGINE_SRC) $(DSYMS_LIBS)

$(B)/asan/test_direct_%: tests/unit/test_direct_%.c $(DSYMS_SRC) $(DSYMS_HDR) $(ENGINE_SRC) $(ENGINE_HDR) $(wildcard tests/unit/*.h)
	@mkdir -p $(B)/asan
	$(CC) $(WARN) -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer \
	    -Isrc -Idirect -Itests/unit -o $@ $< $(DSYMS_SRC) $(ENGINE_SRC) $(DSYMS_LIBS)

# real-dump checks of direct/ (tests/direct/syms-check.py; crash and gdb: run it under the heavy lock)
$(B)/direct-probe: tests/direct/probe.c $(B)/libvmfdsyms.a $(B)/libvmfdirect.a $(B)/libvmfault.a $(DSYMS_HDR) $(ENGINE_HDR)
	$(CC) $(WARN) $(CFLAGS) -Isrc -Idirect -o $@ tests/direct/probe.c $(B)/libvmfdsyms.a $(B)/libvmfdirect.a $(B)/libvmfault.a \
	    $(DSYMS_LIBS) $(DIRECT_LIBS)

direct-syms-test: all $(B)/direct-probe
	python3 -u tests/direct/syms-check.py
# ---- end of direct/ symbols, types and code ------------------------------------

# the CLI with the direct engine under ASan+UBSan, for the damaged-dump stage (tests/damaged/run.py)
ASAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
$(B)/asan/vmfault-triage: $(CLI_SRC) $(CLI_HDR) $(DENGINE_SRC) $(DSYMS_SRC) $(DIRECT_SRC) $(ENGINE_SRC) $(DIRECT_HDR) $(ENGINE_HDR)
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(ASAN_FLAGS) -Isrc -Icli -Idirect -o $@ $(CLI_SRC) $(DENGINE_SRC) $(DSYMS_SRC) $(DIRECT_SRC) \
	    $(ENGINE_SRC) $(DSYMS_LIBS) $(DIRECT_LIBS) -ldebuginfod $(DECOMPRESS_LIBS)

vmcores:
	tests/vmcores/generate.sh

integration-test: all
	tests/integration/run.sh

# vmcores broken on purpose (needs make vmcores): one-line errors or INCONCLUSIVE, never a dead session
damaged-test: all $(B)/asan/vmfault-triage
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
test: all $(B)/asan/vmfault-triage
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

# debhelper, from a copy of the tree (debian/make-deb.sh); tests/deb-check.sh installs and lints it
deb:
	debian/make-deb.sh $(B)/deb

samples: all
	tests/samples.sh

bench: all
	tests/bench/bench.sh

clean:
	rm -rf $(B)

/*
 * test_layout.c - the names each kdump implementation gives a crash's files
 * (cli/layout.c), and SUSE's README.txt verdict on its own save.
 */
#include <string.h>
#include "check.h"
#include "../../cli/layout.c"

static struct layout_name_info info;

static const struct layout_name_info *of(const char *name)
{
	layout_classify(name, &info);
	return &info;
}

#define ROLE(name, r, l, k) do { of(name); CHECK(info.role == (r)); CHECK(info.layout == (l)); \
	CHECK_STR(info.key, (k)); } while (0)

static void kdump_tools(void)
{
	ROLE("dump.202611300105", ROLE_DUMP, LAYOUT_KDUMP_TOOLS, "202611300105");
	ROLE("dmesg.202611300105", ROLE_TEXT, LAYOUT_KDUMP_TOOLS, "202611300105");
	/* KDUMP_COMPRESSION's whole-stream suffixes, and zstd's */
	ROLE("dump.202611300105.gz", ROLE_DUMP, LAYOUT_KDUMP_TOOLS, "202611300105");
	ROLE("dump.202611300105.bz2", ROLE_DUMP, LAYOUT_KDUMP_TOOLS, "202611300105");
	ROLE("dump.202611300105.lz4", ROLE_DUMP, LAYOUT_KDUMP_TOOLS, "202611300105");
	ROLE("dump.202611300105.xz", ROLE_DUMP, LAYOUT_KDUMP_TOOLS, "202611300105");
	ROLE("dump.202611300105.zst", ROLE_DUMP, LAYOUT_KDUMP_TOOLS, "202611300105");
	/* the text is never compressed by kdump-tools: a compressed "text" is no text */
	ROLE("dmesg.202611300105.gz", ROLE_OTHER, LAYOUT_KDUMP_TOOLS, "202611300105");
	ROLE("dump-incomplete", ROLE_DUMP_INCOMPLETE, LAYOUT_KDUMP_TOOLS, "");
	ROLE("dump-incomplete.xz", ROLE_DUMP_INCOMPLETE, LAYOUT_KDUMP_TOOLS, "");
	/* makedumpfile failed: cp's copy */
	ROLE("vmcore.202611300105", ROLE_DUMP, LAYOUT_KDUMP_TOOLS, "202611300105");
	/* FTP: <host>-dump.<STAMP>, the host part of the key */
	ROLE("10.0.0.7-dump.202611300105", ROLE_DUMP, LAYOUT_KDUMP_TOOLS, "10.0.0.7-202611300105");
	ROLE("my-host-dmesg.202611300105", ROLE_TEXT, LAYOUT_KDUMP_TOOLS, "my-host-202611300105");
	ROLE("/var/crash/202611300105/dump.202611300105", ROLE_DUMP, LAYOUT_KDUMP_TOOLS, "202611300105");
	ROLE("dump.2026113001x5", ROLE_OTHER, LAYOUT_NONE, "");
	ROLE("dump.", ROLE_OTHER, LAYOUT_NONE, "");
	ROLE("dmesg.", ROLE_OTHER, LAYOUT_NONE, "");
	ROLE("coredump.1", ROLE_OTHER, LAYOUT_NONE, "");
}

static void kexec_tools_and_suse(void)
{
	ROLE("vmcore", ROLE_DUMP, LAYOUT_NONE, "");
	ROLE("vmcore.flat", ROLE_DUMP, LAYOUT_NONE, "");
	ROLE("vmcore.gz", ROLE_DUMP, LAYOUT_NONE, "");
	ROLE("vmcore-incomplete", ROLE_DUMP_INCOMPLETE, LAYOUT_NONE, "");
	ROLE("vmcore-dmesg.txt", ROLE_TEXT, LAYOUT_KEXEC_TOOLS, "");
	ROLE("vmcore-dmesg-incomplete.txt", ROLE_TEXT_INCOMPLETE, LAYOUT_KEXEC_TOOLS, "");
	ROLE("kexec-dmesg.log", ROLE_SIDE, LAYOUT_KEXEC_TOOLS, "");
	ROLE("dmesg", ROLE_TEXT, LAYOUT_SUSE, "");
	ROLE("dmesg.txt", ROLE_TEXT, LAYOUT_SUSE, "");
	ROLE("README.txt", ROLE_README, LAYOUT_SUSE, "");
	ROLE("vmlinux-5.14.21-150400.24.46-default.gz", ROLE_KERNEL, LAYOUT_SUSE, "");
	ROLE("System.map-5.14.21-150400.24.46-default", ROLE_KERNEL, LAYOUT_SUSE, "");
	ROLE("makedumpfile-R.pl", ROLE_SIDE, LAYOUT_SUSE, "");
	ROLE("console.log", ROLE_OTHER, LAYOUT_NONE, "");
	ROLE("vmcore-dmesg.txt.gz", ROLE_OTHER, LAYOUT_NONE, "");
	CHECK_STR(layout_name(LAYOUT_KDUMP_TOOLS), "kdump-tools");
	CHECK(layout_name(LAYOUT_NONE) == NULL);
}

static void readme(void)
{
	char why[200];

	CHECK(layout_readme_incomplete("This file will be overwritten when the dump is finished.\n"
				       "If you see this text the crash dump is likely incomplete.\n\nHost: x\n", why,
				       sizeof(why)) == 1);
	CHECK_STR(why, "README.txt: \"If you see this text the crash dump is likely incomplete.\"");
	CHECK(layout_readme_incomplete("Kernel crashdump\n----\ndmesg status: saved successfully\n"
				       "vmcore status: error while saving, return code: 1\n", why, sizeof(why)) == 1);
	CHECK_STR(why, "README.txt: \"vmcore status: error while saving, return code: 1\"");
	CHECK(layout_readme_incomplete("Kernel crashdump\n----\ndmesg status: saved successfully\n"
				       "vmcore status: saved successfully\n", why, sizeof(why)) == 0);
	/* kdumptool's README (before 2023) has no status line: finished */
	CHECK(layout_readme_incomplete("Kernel crashdump\n----------------\n\nCrash time     : 2020\n", why,
				       sizeof(why)) == 0);
}

int main(void)
{
	kdump_tools();
	kexec_tools_and_suse();
	readme();
	return CHECK_DONE();
}

/*
 * test_discover.c - crash directories as each kdump implementation lays them
 * out, built here with small stand-in files (names decide; nothing is read but
 * SUSE's README.txt), become one input per crash: the dump with the text saved
 * beside it, the layout, the incomplete mark and the notes; lone texts stay
 * inputs of their own; trees give their inputs in name order.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "check.h"
#include "../../cli/files.c"
#include "../../cli/decompress.c"
#include "../../cli/dumpid.c"
#include "../../cli/layout.c"
#include "../../cli/input.c"
#include "../../cli/discover.c"

static char root[] = "/tmp/vmf-test-discover-XXXXXX";

static void put(const char *rel, const char *text)
{
	char path[512], *slash;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	for (slash = strchr(path + strlen(root) + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = 0;
		mkdir(path, 0755);
		*slash = '/';
	}
	f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
}

static struct input_list found;

static size_t discover_rel(const char *rel)
{
	struct discovery d;
	char path[512];

	input_list_free(&found);
	snprintf(path, sizeof(path), "%s/%s", root, rel);
	if (discovery_init(&d, &found, NULL) != 0)
		return 0;
	discover(&d, path);
	discovery_free(&d);
	return found.n;
}

/* the path of an input relative to root, "" for none */
static const char *rel(const char *p)
{
	return p[0] ? p + strlen(root) + 1 : "";
}

static void one_crash_each(void)
{
	put("fedora/127.0.0.1-2026-11-30-01:05:00/vmcore", "x");
	put("fedora/127.0.0.1-2026-11-30-01:05:00/vmcore-dmesg.txt", "x");
	put("fedora/127.0.0.1-2026-11-30-01:05:00/kexec-dmesg.log", "x");
	CHECK(discover_rel("fedora") == 1);
	CHECK_STR(rel(found.v[0].path), "fedora/127.0.0.1-2026-11-30-01:05:00");
	CHECK(found.v[0].kind == K_KDUMP_DIR && found.v[0].saved_by == LAYOUT_KEXEC_TOOLS && !found.v[0].incomplete);
	CHECK_STR(rel(found.v[0].dmesg), "fedora/127.0.0.1-2026-11-30-01:05:00/vmcore-dmesg.txt");

	put("debian/202611300105/dump.202611300105.gz", "x");
	put("debian/202611300105/dmesg.202611300105", "x");
	put("debian/kexec_cmd", "x");
	CHECK(discover_rel("debian") == 1);
	CHECK_STR(rel(found.v[0].dump), "debian/202611300105/dump.202611300105.gz");
	CHECK_STR(rel(found.v[0].dmesg), "debian/202611300105/dmesg.202611300105");
	CHECK(found.v[0].saved_by == LAYOUT_KDUMP_TOOLS && found.v[0].nnotes == 0);

	put("suse/2026-11-30-01:05/vmcore", "x");
	put("suse/2026-11-30-01:05/dmesg", "x");
	put("suse/2026-11-30-01:05/README.txt", "Kernel crashdump\nvmcore status: saved successfully\n");
	put("suse/2026-11-30-01:05/vmlinux-5.14.21-default.gz", "x");
	put("suse/2026-11-30-01:05/System.map-5.14.21-default", "x");
	CHECK(discover_rel("suse") == 1);
	CHECK(found.v[0].saved_by == LAYOUT_SUSE && !found.v[0].incomplete);
	CHECK_STR(rel(found.v[0].dmesg), "suse/2026-11-30-01:05/dmesg");
}

static void unfinished(void)
{
	put("deb-inc/202611300105/dump-incomplete.gz", "x");
	put("deb-inc/202611300105/dmesg.202611300105", "x");
	CHECK(discover_rel("deb-inc") == 1);
	CHECK(found.v[0].incomplete && found.v[0].nnotes == 1);
	CHECK_STR(rel(found.v[0].dmesg), "deb-inc/202611300105/dmesg.202611300105");
	CHECK(found.n && strstr(found.v[0].notes[0], "dump-incomplete.gz: the dump's save did not finish"));

	/* makedumpfile failed, cp saved vmcore.<STAMP>: the whole dump is the crash's, the leftover a note */
	put("deb-cp/202611300105/dump-incomplete", "x");
	put("deb-cp/202611300105/vmcore.202611300105", "x");
	put("deb-cp/202611300105/dmesg.202611300105", "x");
	CHECK(discover_rel("deb-cp") == 1);
	CHECK_STR(rel(found.v[0].dump), "deb-cp/202611300105/vmcore.202611300105");
	CHECK(!found.v[0].incomplete && found.v[0].nnotes == 1 && strstr(found.v[0].notes[0], "dump-incomplete, left by"));

	put("fed-inc/h-2026/vmcore-incomplete", "x");
	put("fed-inc/h-2026/vmcore-dmesg-incomplete.txt", "x");
	CHECK(discover_rel("fed-inc") == 1);
	CHECK(found.v[0].incomplete && found.v[0].nnotes == 2);
	CHECK(found.n && strstr(found.v[0].notes[1], "vmcore-dmesg-incomplete.txt: the text's save did not finish"));

	/* the finished text wins over the unfinished one */
	put("fed-txt/h-2026/vmcore", "x");
	put("fed-txt/h-2026/vmcore-dmesg-incomplete.txt", "x");
	put("fed-txt/h-2026/vmcore-dmesg.txt", "x");
	CHECK(discover_rel("fed-txt") == 1);
	CHECK_STR(rel(found.v[0].dmesg), "fed-txt/h-2026/vmcore-dmesg.txt");

	put("suse-inc/2026-11-30-01:05/vmcore", "x");
	put("suse-inc/2026-11-30-01:05/README.txt", "This file will be overwritten when the dump is finished.\n"
		"If you see this text the crash dump is likely incomplete.\n");
	CHECK(discover_rel("suse-inc") == 1);
	CHECK(found.v[0].incomplete && found.v[0].dmesg[0] == 0);

	put("explicit/dump-incomplete", "x");
	CHECK(discover_rel("explicit/dump-incomplete") == 1);
	CHECK(found.v[0].kind == K_VMCORE && found.v[0].incomplete);
}

static void several_and_lone(void)
{
	/* kdump-tools over FTP: crashes side by side, paired by host and STAMP */
	put("ftp/10.0.0.7-dump.202611300105", "x");
	put("ftp/10.0.0.7-dmesg.202611300105", "x");
	put("ftp/10.0.0.9-dump.202611300212.xz", "x");
	put("ftp/10.0.0.9-dmesg.202611300212", "x");
	put("ftp/10.0.0.5-dmesg.202611290000", "x");
	CHECK(discover_rel("ftp") == 3);
	CHECK_STR(rel(found.v[0].path), "ftp/10.0.0.7-dump.202611300105");
	CHECK_STR(rel(found.v[0].dmesg), "ftp/10.0.0.7-dmesg.202611300105");
	CHECK_STR(rel(found.v[1].path), "ftp/10.0.0.9-dump.202611300212.xz");
	CHECK_STR(rel(found.v[1].dmesg), "ftp/10.0.0.9-dmesg.202611300212");
	CHECK(found.n == 3 && found.v[2].kind == K_TEXT);
	CHECK_STR(rel(found.v[2].path), "ftp/10.0.0.5-dmesg.202611290000");

	/* a text whose dump is gone is a text; the tree is walked in name order */
	put("tree/b/vmcore-dmesg.txt", "x");
	put("tree/a/202611300105/dump.202611300105", "x");
	put("tree/a/202611300105/dmesg.202611300105", "x");
	put("tree/c/notes.bin", "x");
	CHECK(discover_rel("tree") == 2);
	CHECK_STR(rel(found.v[0].path), "tree/a/202611300105");
	CHECK_STR(rel(found.v[1].path), "tree/b/vmcore-dmesg.txt");
	CHECK(found.n == 2 && found.v[1].kind == K_TEXT);
}

int main(void)
{
	char cmd[300];

	if (!mkdtemp(root))
		return 1;
	one_crash_each();
	unfinished();
	several_and_lone();
	input_list_free(&found);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	if (system(cmd) != 0)
		printf("could not remove %s\n", root);
	return CHECK_DONE();
}

/* test_extension.c - cli/extension.c: which vmfault.so vmfault-triage gives crash. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "check.h"
#include "synthelf.h"
#include "../../cli/extension.h"

static char root[256];

static const char *P(const char *rel)
{
	static char buf[4][PATH_MAX];
	static int k;

	k = (k + 1) % 4;
	snprintf(buf[k], sizeof(buf[k]), "%s/%s", root, rel);
	return buf[k];
}

static void test_dirs(void)
{
	const char *d[VMF_EXTENSION_DIRS];
	int n;

	unsetenv("CRASH_EXTENSIONS");
	n = vmf_crash_extension_dirs(d, VMF_EXTENSION_DIRS);
	CHECK(n == 4);
	CHECK_STR(d[0], ".");
	CHECK_STR(d[1], "/usr/lib64/crash/extensions");
	CHECK_STR(d[2], "/usr/lib/crash/extensions");
	CHECK_STR(d[3], "./extensions");
	setenv("CRASH_EXTENSIONS", "/opt/ext", 1);
	n = vmf_crash_extension_dirs(d, VMF_EXTENSION_DIRS);
	CHECK(n == 5);
	CHECK_STR(d[1], "/opt/ext");
	CHECK(vmf_crash_extension_dirs(d, 2) == 2);
	unsetenv("CRASH_EXTENSIONS");
}

static void test_self(void)
{
	char dir[PATH_MAX], me[PATH_MAX + 20];
	struct stat st;

	CHECK(vmf_self_dir(dir, sizeof(dir)) == 0);
	snprintf(me, sizeof(me), "%s/test_extension", dir);
	CHECK(dir[0] == '/' && stat(me, &st) == 0);     /* this binary, built as .../test_extension */
}

static void test_find(void)
{
	struct synth so = { ET_DYN, 0, 0, 0x33, 8192, 0 }, exe = { ET_EXEC, 0, 0, 0x44, 8192, 0 };
	char *a = strdup(P("crash-a")), *b = strdup(P("crash-b"));
	const char *dirs[] = { a, b }, *dot[] = { "." };
	char out[PATH_MAX], why[1500], want[PATH_MAX + 100], cwd[PATH_MAX];

	mkdir(P("bin"), 0755);
	mkdir(P("crash-a"), 0755);
	mkdir(P("crash-b"), 0755);
	write_elf(P("crash-b/vmfault.so"), &so);
	/* not beside the binary: the first of crash's directories that has it */
	CHECK(vmf_find_extension(NULL, P("bin"), dirs, 2, out, sizeof(out), why, sizeof(why)) == 0);
	CHECK_STR(out, P("crash-b/vmfault.so"));
	/* beside the binary first */
	write_elf(P("bin/vmfault.so"), &so);
	CHECK(vmf_find_extension(NULL, P("bin"), dirs, 2, out, sizeof(out), why, sizeof(why)) == 0);
	CHECK_STR(out, P("bin/vmfault.so"));
	/* nowhere: one line naming every place */
	CHECK(vmf_find_extension("other.so", P("bin"), dirs, 2, out, sizeof(out), why, sizeof(why)) == -1);
	snprintf(want, sizeof(want), "other.so not found beside vmfault-triage nor where crash looks (%s, %s, %s): "
		 "make install, or give --extension PATH", P("bin"), P("crash-a"), P("crash-b"));
	CHECK_STR(why, want);
	/* a path is taken as it is, and must be a shared object */
	CHECK(vmf_find_extension(P("crash-a/none.so"), NULL, dirs, 2, out, sizeof(out), why, sizeof(why)) == -1);
	snprintf(want, sizeof(want), "%s: No such file or directory", P("crash-a/none.so"));
	CHECK_STR(why, want);
	write_elf(P("crash-a/exe.so"), &exe);
	CHECK(vmf_find_extension(P("crash-a/exe.so"), NULL, dirs, 2, out, sizeof(out), why, sizeof(why)) == -1);
	snprintf(want, sizeof(want), "%s is not an ELF shared object", P("crash-a/exe.so"));
	CHECK_STR(why, want);
	/* a name found in a relative directory is handed to crash as an absolute path */
	if (!getcwd(cwd, sizeof(cwd)) || chdir(P("crash-b")) != 0)
		abort();
	CHECK(vmf_find_extension(NULL, NULL, dot, 1, out, sizeof(out), why, sizeof(why)) == 0);
	CHECK_STR(out, P("crash-b/vmfault.so"));
	CHECK(vmf_find_extension("./vmfault.so", NULL, dot, 0, out, sizeof(out), why, sizeof(why)) == 0);
	CHECK_STR(out, P("crash-b/vmfault.so"));
	if (chdir(cwd) != 0)
		abort();
	free(a);
	free(b);
}

int main(void)
{
	char cmd[300], real[PATH_MAX];

	snprintf(root, sizeof(root), "/tmp/vmf-ext-XXXXXX");
	if (!mkdtemp(root) || !realpath(root, real))
		return 2;
	snprintf(root, sizeof(root), "%.200s", real);
	test_dirs();
	test_self();
	test_find();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	if (system(cmd) != 0)
		printf("could not remove %s\n", root);
	return CHECK_DONE();
}

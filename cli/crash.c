/*
 * crash.c - run crash -s on a dump with `extend vmfault.so; vmfault -j` and take
 * the one JSON line it prints.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "files.h"
#include "jsonread.h"
#include "crash.h"

#define CRASH_OUTPUT_MAX (32u << 20)

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* crash finds `extend NAME.so` in its extension directories: stamp the file it will load */
const char *crash_extension_file(const char *extension)
{
	static char path[1100];
	static const char *const dirs[] = { "/usr/lib64/crash/extensions", "/usr/lib/crash/extensions" };
	unsigned i;

	if (strchr(extension, '/'))
		return extension;
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dirs[i], extension);
		if (is_regular(path))
			return path;
	}
	return extension;
}

/* ---- the run's temporary directory -------------------------------------------------------- */

/*
 * $TMPDIR/vmfault-triage-PID-XXXXXX, made at the first crash run: each run's
 * command and output files, and the extension's link when its path has white
 * space (crash splits `extend` arguments at white space).  crash_cleanup()
 * removes it, also when a signal stops the batch.
 */
static char run_dir[512];
static char *run_extension;       /* what `extend` is given */

static int make_run_dir(const char *extension)
{
	const char *tmp = getenv("TMPDIR");

	if (run_dir[0])
		return 0;
	if (!tmp || !*tmp || strpbrk(tmp, " \t\n"))
		tmp = "/tmp";
	snprintf(run_dir, sizeof(run_dir), "%s/vmfault-triage-%d-XXXXXX", tmp, (int)getpid());
	if (!mkdtemp(run_dir)) {
		run_dir[0] = 0;
		return -1;
	}
	if (!strpbrk(extension, " \t\n"))
		run_extension = strdup(extension);
	else if (asprintf(&run_extension, "%s/vmfault.so", run_dir) < 0 ||
		 symlink(crash_extension_file(extension), run_extension) != 0) {
		free(run_extension);
		run_extension = NULL;
	}
	return run_extension ? 0 : -1;
}

void crash_cleanup(void)
{
	DIR *d;
	struct dirent *e;
	char path[1024];

	if (!run_dir[0] || !(d = opendir(run_dir)))
		return;
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.' && snprintf(path, sizeof(path), "%s/%s", run_dir, e->d_name) < (int)sizeof(path))
			unlink(path);
	closedir(d);
	rmdir(run_dir);
	run_dir[0] = 0;
	free(run_extension);
	run_extension = NULL;
}

static int write_commands(struct crash_run *run, int explain)
{
	FILE *f;
	int fd;

	run->explainfile[0] = 0;
	if (explain) {
		/* crash's own redirection: the run directory's path has no white space */
		snprintf(run->explainfile, sizeof(run->explainfile), "%s/explain-XXXXXX", run_dir);
		fd = mkstemp(run->explainfile);
		if (fd < 0)
			return -1;
		close(fd);
	}

	snprintf(run->cmdfile, sizeof(run->cmdfile), "%s/commands-XXXXXX", run_dir);
	fd = mkstemp(run->cmdfile);
	if (fd < 0)
		return -1;
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		unlink(run->cmdfile);
		return -1;
	}
	fprintf(f, "extend %s\nvmfault -j\n", run_extension);
	if (explain)
		fprintf(f, "vmfault -v > %s\n", run->explainfile);
	fprintf(f, "quit\n");
	if (fclose(f) != 0) {
		unlink(run->cmdfile);
		if (explain)
			unlink(run->explainfile);
		return -1;
	}
	return 0;
}

int crash_start(struct crash_run *run, const char *vmlinux, const char *dump, const char *extension, int explain)
{
	int fd;

	if (make_run_dir(extension) != 0 || write_commands(run, explain) != 0)
		return -1;
	snprintf(run->outfile, sizeof(run->outfile), "%s/output-XXXXXX", run_dir);
	fd = mkstemp(run->outfile);
	if (fd < 0) {
		unlink(run->cmdfile);
		if (run->explainfile[0])
			unlink(run->explainfile);
		return -1;
	}
	run->started = now();
	run->pid = fork();
	if (run->pid == 0) {
		int null = open("/dev/null", O_RDONLY);
		setpgid(0, 0);
		dup2(null, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		execlp("crash", "crash", "-s", vmlinux, dump, "-i", run->cmdfile, (char *)NULL);
		_exit(127);
	}
	close(fd);
	if (run->pid > 0)
		setpgid(run->pid, run->pid);    /* also here: a kill may come before the child's own call */
	if (run->pid < 0) {
		run->pid = 0;
		unlink(run->cmdfile);
		unlink(run->outfile);
		if (run->explainfile[0])
			unlink(run->explainfile);
		return -1;
	}
	return 0;
}

/*
 * The vmfault -j line among crash's output, checked whole: its verdict and
 * signature.  -1 when there is none; bad then says why a line that looked like
 * it was refused.
 */
static int take_result(struct input *in, char *out, char *bad, size_t blen)
{
	char *line, *save = NULL, verdict[24];
	struct json_value obj;

	bad[0] = 0;
	for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "{\"tool\":\"vmfault\"", 17) != 0)
			continue;
		if (json_check(line, strlen(line), &obj, bad, blen) != 0 ||
		    json_member_string(&obj, "verdict", verdict, sizeof(verdict)) != 0 ||
		    json_member_string(&obj, "signature", in->signature, sizeof(in->signature)) != 0 ||
		    (in->verdict = verdict_from_name(verdict)) == V_NONE || in->verdict == V_ERROR) {
			if (!bad[0])
				snprintf(bad, blen, "no known verdict");
			continue;
		}
		in->report = strdup(line);
		return in->report ? 0 : -1;
	}
	in->verdict = V_NONE;
	in->signature[0] = 0;
	return -1;
}

/* crash's own one-line complaint is the most useful error; its warning of a short dump goes with it */
static void crash_error(struct input *in, char *out, int status, const char *bad)
{
	const char *why = "crash printed no vmfault result";
	int truncated = out && strstr(out, "may be truncated or incomplete");
	char *p = out ? strstr(out, "extend: ") : NULL;

	if (!p && out)
		p = strstr(out, "crash: ");
	if (!p && out)
		p = strstr(out, "vmfault: ");
	if (p) {
		char *e = strchr(p, '\n');
		if (e)
			*e = 0;
		why = p;
	}
	if (!p && bad[0])
		input_fail(in, "crash printed a vmfault -j line that is not whole (%.100s) (exit %d)", bad,
			   WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	else
		input_fail(in, "%.160s (exit %d)%s%s", why, WIFEXITED(status) ? WEXITSTATUS(status) : -1,
			   !strncmp(why, "extend: ", 8) ? ": make install, or give --extension PATH" : "",
			   truncated ? "; crash warned: the dump may be truncated or incomplete" : "");
}

void crash_finish(struct crash_run *run, struct input *in, int status, int timed_out, int timeout_s)
{
	size_t len = 0;
	char why[200], bad[200] = "";
	char *out = read_head(run->outfile, CRASH_OUTPUT_MAX, &len, why, sizeof(why)), *copy;

	unlink(run->cmdfile);
	unlink(run->outfile);
	if (run->explainfile[0]) {
		size_t n;
		in->explain = read_head(run->explainfile, CRASH_OUTPUT_MAX, &n, why, sizeof(why));
		unlink(run->explainfile);
	}
	run->pid = 0;
	in->elapsed = now() - run->started;
	if (timed_out)
		input_fail(in, "crash killed after the %d s timeout", timeout_s);
	else if (out && (copy = strdup(out)) != NULL) {
		/* the search cuts the text into lines: the complaint is looked for in a fresh copy */
		if (take_result(in, copy, bad, sizeof(bad)) != 0)
			crash_error(in, out, status, bad);
		free(copy);
	} else
		crash_error(in, out, status, bad);
	free(out);
}

void crash_abandon(struct crash_run *run)
{
	int status;

	if (run->pid > 0) {
		kill(-run->pid, SIGKILL);
		waitpid(run->pid, &status, 0);
	}
	unlink(run->cmdfile);
	unlink(run->outfile);
	if (run->explainfile[0])
		unlink(run->explainfile);
	run->pid = 0;
}

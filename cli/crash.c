/*
 * crash.c - run crash -s on a dump with `extend vmfault.so; vmfault -j` and take
 * the one JSON line it prints.
 */
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

static int write_commands(struct crash_run *run, const char *extension)
{
	FILE *f;
	int fd;

	snprintf(run->cmdfile, sizeof(run->cmdfile), "/tmp/vmfault-triage-%d-XXXXXX", (int)getpid());
	fd = mkstemp(run->cmdfile);
	if (fd < 0)
		return -1;
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		unlink(run->cmdfile);
		return -1;
	}
	fprintf(f, "extend %s\nvmfault -j\nquit\n", extension);
	if (fclose(f) != 0) {
		unlink(run->cmdfile);
		return -1;
	}
	return 0;
}

int crash_start(struct crash_run *run, const char *vmlinux, const char *dump, const char *extension)
{
	int fd;

	if (write_commands(run, extension) != 0)
		return -1;
	snprintf(run->outfile, sizeof(run->outfile), "/tmp/vmfault-triage-out-%d-XXXXXX", (int)getpid());
	fd = mkstemp(run->outfile);
	if (fd < 0) {
		unlink(run->cmdfile);
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
	if (run->pid < 0) {
		run->pid = 0;
		unlink(run->cmdfile);
		unlink(run->outfile);
		return -1;
	}
	return 0;
}

/* The vmfault -j line among crash's output, checked whole: its verdict and signature. */
static int take_result(struct input *in, char *out)
{
	char *line, *save = NULL, verdict[24];
	struct json_value obj;

	for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "{\"tool\":\"vmfault\"", 17) != 0 ||
		    json_check(line, strlen(line), &obj, NULL, 0) != 0 ||
		    json_member_string(&obj, "verdict", verdict, sizeof(verdict)) != 0 ||
		    json_member_string(&obj, "signature", in->signature, sizeof(in->signature)) != 0)
			continue;
		in->verdict = verdict_from_name(verdict);
		if (in->verdict == V_NONE || in->verdict == V_ERROR)
			continue;
		in->report = strdup(line);
		return in->report ? 0 : -1;
	}
	in->verdict = V_NONE;
	in->signature[0] = 0;
	return -1;
}

/* crash's own one-line complaint is the most useful error */
static void crash_error(struct input *in, char *out, int status)
{
	const char *why = "crash printed no vmfault result";
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
	input_fail(in, "%.160s (exit %d)%s", why, WIFEXITED(status) ? WEXITSTATUS(status) : -1,
		   !strncmp(why, "extend: ", 8) ? ": make install, or give --extension PATH" : "");
}

void crash_finish(struct crash_run *run, struct input *in, int status, int timed_out, int timeout_s)
{
	size_t len = 0;
	char why[200];
	char *out = read_head(run->outfile, CRASH_OUTPUT_MAX, &len, why, sizeof(why)), *copy;

	unlink(run->cmdfile);
	unlink(run->outfile);
	run->pid = 0;
	in->elapsed = now() - run->started;
	if (timed_out)
		input_fail(in, "crash killed after the %d s timeout", timeout_s);
	else if (out && (copy = strdup(out)) != NULL) {
		/* the search cuts the text into lines: the complaint is looked for in a fresh copy */
		if (take_result(in, copy) != 0)
			crash_error(in, out, status);
		free(copy);
	} else
		crash_error(in, out, status);
	free(out);
}

/*
 * vmfault-triage - batch triage of kdump vmcores and console logs.
 *
 * A vmcore is diagnosed by crash itself in batch mode (`extend vmfault.so`,
 * `vmfault -j`), because only crash knows every dump format and kernel layout;
 * a console log, or a dump without its vmlinux, is diagnosed here from the text
 * alone with the same engine, and says so.  One bad input never stops a batch:
 * it becomes a result with verdict ERROR and a one-line reason.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "vmf_oops.h"
#include "vmf_diag.h"

#define MAX_INPUTS 4096
#define MAX_DIRS 16
#define MAX_DEPTH 6

enum kind { K_VMCORE, K_KDUMP_DIR, K_TEXT };
static const char *const kind_names[] = { "vmcore", "kdump-dir", "text" };

struct input {
	char path[1024];          /* as given/found */
	char dump[1100];          /* the vmcore, for K_VMCORE and K_KDUMP_DIR */
	char dmesg[1100];         /* vmcore-dmesg.txt of a kdump dir, or the text file */
	enum kind kind;
	/* result */
	char release[80];
	char vmlinux[1100];
	char verdict[24];
	char signature[48];
	char error[240];
	char *report;             /* the vmfault JSON object, malloc'd */
	int text_only;
	double elapsed;
	/* while running */
	pid_t pid;
	char cmdfile[64];
	char outfile[64];
	double started;
};

static struct input *inputs;
static int ninputs;
static const char *vmlinux_dirs[MAX_DIRS];
static int nvmlinux_dirs;
static const char *extension;
static int timeout_s = 300;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void json_str(FILE *f, const char *s)
{
	if (!s || !*s) {
		fputs("null", f);
		return;
	}
	vmf_json_str(f, s);
}

/* ---- what a path is --------------------------------------------------------- */

static int is_dump_file(const char *path)
{
	unsigned char m[16] = { 0 };
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return 0;
	n = read(fd, m, sizeof(m));
	close(fd);
	if (n < 8)
		return 0;
	return memcmp(m, "KDUMP   ", 8) == 0 || memcmp(m, "DISKDUMP", 8) == 0 ||
	       memcmp(m, "\177ELF", 4) == 0 || memcmp(m, "makedumpfile", 12) == 0;
}

static void add_input(const char *path, enum kind k, const char *dump, const char *dmesg)
{
	struct input *in;

	if (ninputs >= MAX_INPUTS)
		return;
	in = &inputs[ninputs++];
	memset(in, 0, sizeof(*in));
	snprintf(in->path, sizeof(in->path), "%s", path);
	in->kind = k;
	snprintf(in->dump, sizeof(in->dump), "%s", dump ? dump : "");
	snprintf(in->dmesg, sizeof(in->dmesg), "%s", dmesg ? dmesg : "");
}

static void collect(const char *path, int depth, int explicit)
{
	struct stat st;
	char sub[1100];

	if (stat(path, &st) != 0) {
		add_input(path, K_TEXT, NULL, NULL);
		snprintf(inputs[ninputs - 1].error, sizeof(inputs[0].error), "cannot open: %s", strerror(errno));
		return;
	}
	if (S_ISDIR(st.st_mode)) {
		DIR *d;
		struct dirent *e;
		char dump[1100] = "", dmesg[1100] = "";

		snprintf(sub, sizeof(sub), "%s/vmcore", path);
		if (stat(sub, &st) == 0 && S_ISREG(st.st_mode))
			snprintf(dump, sizeof(dump), "%s", sub);
		snprintf(sub, sizeof(sub), "%s/vmcore-dmesg.txt", path);
		if (stat(sub, &st) == 0)
			snprintf(dmesg, sizeof(dmesg), "%s", sub);
		if (dump[0]) {
			add_input(path, K_KDUMP_DIR, dump, dmesg[0] ? dmesg : NULL);
			return;
		}
		if (depth >= MAX_DEPTH || !(d = opendir(path)))
			return;
		while ((e = readdir(d)) != NULL) {
			if (e->d_name[0] == '.')
				continue;
			snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
			collect(sub, depth + 1, 0);
		}
		closedir(d);
		return;
	}
	if (is_dump_file(path) || strstr(path, "vmcore"))
		/* a file named like a dump that is none must still get its ERROR line */
		add_input(path, K_VMCORE, path, NULL);
	else if (explicit || strstr(path, ".txt") || strstr(path, ".log") || strstr(path, "dmesg") ||
		 strstr(path, "console"))
		add_input(path, K_TEXT, NULL, path);
}

/* ---- vmcore: release and vmlinux -------------------------------------------- */

/* VMCOREINFO is stored uncompressed near the start of every dump format crash reads. */
static int dump_release(const char *path, char *rel, size_t len)
{
	FILE *f = fopen(path, "rb");
	static char buf[1 << 20];
	size_t n, i;
	long off;

	if (!f)
		return -1;
	for (off = 0; off < (16L << 20); off += (long)sizeof(buf) - 64) {
		fseek(f, off, SEEK_SET);
		n = fread(buf, 1, sizeof(buf) - 1, f);
		if (n < 12)
			break;
		for (i = 0; i + 10 < n; i++) {
			if (buf[i] == 'O' && memcmp(buf + i, "OSRELEASE=", 10) == 0) {
				size_t j = i + 10, k = 0;
				while (j < n && buf[j] != '\n' && buf[j] && k + 1 < len)
					rel[k++] = buf[j++];
				rel[k] = 0;
				fclose(f);
				return k ? 0 : -1;
			}
		}
	}
	fclose(f);
	return -1;
}

static int exists(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

static int find_vmlinux(const char *rel, const char *dump, char *out, size_t len)
{
	static const char *const pats[] = {
		"%s/vmlinux-%s", "%s/%s/vmlinux", "%s/usr/lib/debug/boot/vmlinux-%s",
		"%s/%s/usr/lib/debug/boot/vmlinux-%s", "%s/usr/lib/debug/lib/modules/%s/vmlinux",
	};
	char dir[1100];
	int i, j;

	for (i = 0; i < nvmlinux_dirs; i++)
		for (j = 0; j < (int)(sizeof(pats) / sizeof(pats[0])); j++) {
			if (j == 3)
				snprintf(out, len, pats[j], vmlinux_dirs[i], rel, rel);
			else
				snprintf(out, len, pats[j], vmlinux_dirs[i], rel);
			if (exists(out))
				return 0;
		}
	snprintf(dir, sizeof(dir), "%s", dump);
	if (strrchr(dir, '/'))
		*strrchr(dir, '/') = 0;
	else
		strcpy(dir, ".");
	snprintf(out, len, "%s/vmlinux", dir);
	if (exists(out))
		return 0;
	snprintf(out, len, "/usr/lib/debug/boot/vmlinux-%s", rel);
	if (exists(out))
		return 0;
	snprintf(out, len, "/usr/lib/debug/lib/modules/%s/vmlinux", rel);
	if (exists(out))
		return 0;
	out[0] = 0;
	return -1;
}

/* ---- text-only diagnosis ---------------------------------------------------- */

static char *slurp(const char *path, size_t max, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;

	if (!f)
		return NULL;
	buf = malloc(max + 1);
	*len = buf ? fread(buf, 1, max, f) : 0;
	if (buf)
		buf[*len] = 0;
	fclose(f);
	return buf;
}

static void diagnose_text(struct input *in, const char *textfile, const char *why_text)
{
	struct vmf_report *r = calloc(1, sizeof(*r));
	size_t len = 0, sz = 0;
	char *text = slurp(textfile, 64 << 20, &len);
	FILE *mem;

	in->text_only = 1;
	if (!r || !text) {
		snprintf(in->error, sizeof(in->error), "cannot read %s", textfile);
		free(r);
		free(text);
		return;
	}
	vmf_report_init(r);
	r->text_only = 1;
	r->ev.have_log = 1;
	snprintf(r->ev.log_source, sizeof(r->ev.log_source), "%s", why_text);
	if (vmf_parse_oops(text, len, &r->ev.oops) != 0) {
		snprintf(in->error, sizeof(in->error), "no oops or panic found in %s", textfile);
		free(r);
		free(text);
		return;
	}
	if (!in->release[0])
		snprintf(in->release, sizeof(in->release), "%s", r->ev.oops.release);
	vmf_parse_release(in->release, &r->ev.kernel.version);
	vmf_facts_from_log(r);
	vmf_evaluate(r);
	mem = open_memstream(&in->report, &sz);
	vmf_report_json(mem, r);
	fclose(mem);
	if (sz && in->report[sz - 1] == '\n')
		in->report[sz - 1] = 0;
	snprintf(in->verdict, sizeof(in->verdict), "%s", vmf_verdict_name(r->verdict));
	snprintf(in->signature, sizeof(in->signature), "%s", r->sig ? r->sig->id : "");
	free(r);
	free(text);
}

/* ---- vmcore through crash --------------------------------------------------- */

static int start_crash(struct input *in)
{
	FILE *f;
	int fd;

	snprintf(in->cmdfile, sizeof(in->cmdfile), "/tmp/vmfault-triage-%d-XXXXXX", (int)getpid());
	fd = mkstemp(in->cmdfile);
	if (fd < 0)
		return -1;
	f = fdopen(fd, "w");
	fprintf(f, "extend %s\nvmfault -j\nquit\n", extension);
	fclose(f);
	snprintf(in->outfile, sizeof(in->outfile), "/tmp/vmfault-triage-out-%d-XXXXXX", (int)getpid());
	fd = mkstemp(in->outfile);
	if (fd < 0) {
		unlink(in->cmdfile);
		return -1;
	}
	in->started = now();
	in->pid = fork();
	if (in->pid == 0) {
		int null = open("/dev/null", O_RDONLY);
		setpgid(0, 0);
		dup2(null, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		execlp("crash", "crash", "-s", in->vmlinux, in->dump, "-i", in->cmdfile, (char *)NULL);
		_exit(127);
	}
	close(fd);
	if (in->pid < 0) {
		unlink(in->cmdfile);
		unlink(in->outfile);
		return -1;
	}
	return 0;
}

static void finish_crash(struct input *in, int status, int timed_out)
{
	size_t len = 0;
	char *out = slurp(in->outfile, 32 << 20, &len), *line, *save = NULL;

	unlink(in->cmdfile);
	unlink(in->outfile);
	in->elapsed = now() - in->started;
	if (timed_out) {
		snprintf(in->error, sizeof(in->error), "crash killed after the %d s timeout", timeout_s);
		free(out);
		return;
	}
	for (line = out ? strtok_r(out, "\n", &save) : NULL; line; line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "{\"tool\":\"vmfault\"", 17) == 0) {
			char *v = strstr(line, "\"verdict\":\""), *s = strstr(line, "\"signature\":\"");
			in->report = strdup(line);
			if (v)
				sscanf(v + 11, "%23[^\"]", in->verdict);
			if (s)
				sscanf(s + 13, "%47[^\"]", in->signature);
			break;
		}
	}
	if (!in->report) {
		/* crash's own one-line complaint is the most useful error */
		const char *why = "crash printed no vmfault result";
		char *p = out ? strstr(out, "crash: ") : NULL;
		if (!p && out)
			p = strstr(out, "vmfault: ");
		if (p) {
			char *e = strchr(p, '\n');
			if (e)
				*e = 0;
			why = p;
		}
		snprintf(in->error, sizeof(in->error), "%s (exit %d)", why,
			 WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	}
	free(out);
}

/* ---- output ----------------------------------------------------------------- */

static void print_json(FILE *f, const struct input *in)
{
	fputs("{\"path\":", f);
	json_str(f, in->path);
	fprintf(f, ",\"kind\":\"%s\",\"kernel\":", kind_names[in->kind]);
	json_str(f, in->release);
	fputs(",\"vmlinux\":", f);
	json_str(f, in->vmlinux);
	fprintf(f, ",\"mode\":\"%s\",\"verdict\":\"%s\",\"signature\":", in->text_only ? "text-only" : "dump",
		in->error[0] ? "ERROR" : in->verdict);
	json_str(f, in->error[0] ? NULL : in->signature);
	fprintf(f, ",\"elapsed_s\":%.3f,\"error\":", in->elapsed);
	json_str(f, in->error);
	fprintf(f, ",\"report\":%s}\n", in->report && !in->error[0] ? in->report : "null");
}

static void usage(void)
{
	fprintf(stderr, "usage: vmfault-triage [-j JOBS] [-t SECONDS] [--vmlinux-dir DIR]... "
			"[--extension PATH] [--json|--table] PATH...\n");
	exit(64);
}

int main(int argc, char **argv)
{
	int jobs = (int)sysconf(_SC_NPROCESSORS_ONLN), json = 0, i, running = 0, next = 0;
	int matched = 0, errors = 0, counts[5] = { 0 };
	static const char *const vnames[] = { "MATCH", "RELATED", "NO MATCH", "INCONCLUSIVE", "ERROR" };
	char *paths[MAX_INPUTS];
	int npaths = 0;
	double t0 = now();

	extension = getenv("VMFAULT_SO");
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-j") && i + 1 < argc)
			jobs = atoi(argv[++i]);
		else if (!strcmp(argv[i], "-t") && i + 1 < argc)
			timeout_s = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--vmlinux-dir") && i + 1 < argc && nvmlinux_dirs < MAX_DIRS)
			vmlinux_dirs[nvmlinux_dirs++] = argv[++i];
		else if (!strcmp(argv[i], "--extension") && i + 1 < argc)
			extension = argv[++i];
		else if (!strcmp(argv[i], "--json"))
			json = 1;
		else if (!strcmp(argv[i], "--table"))
			json = 0;
		else if (argv[i][0] == '-')
			usage();
		else if (npaths < MAX_INPUTS)
			paths[npaths++] = argv[i];
	}
	if (!npaths || jobs < 1 || timeout_s < 1)
		usage();
	if (!extension)
		extension = "vmfault.so";     /* crash finds it by name once installed */
	inputs = calloc(MAX_INPUTS, sizeof(*inputs));
	if (!inputs)
		return 2;
	for (i = 0; i < npaths; i++)
		collect(paths[i], 0, 1);

	/* text inputs and dumps without a vmlinux are decided here; the rest go to crash */
	for (i = 0; i < ninputs; i++) {
		struct input *in = &inputs[i];
		if (in->error[0])
			continue;
		if (in->kind == K_TEXT) {
			diagnose_text(in, in->dmesg, "console log text");
			continue;
		}
		if (dump_release(in->dump, in->release, sizeof(in->release)) != 0) {
			if (in->dmesg[0])
				diagnose_text(in, in->dmesg, "vmcore-dmesg.txt (no VMCOREINFO in the dump)");
			else
				snprintf(in->error, sizeof(in->error), "no VMCOREINFO OSRELEASE in the first 16 MiB: "
					 "not a kernel dump, or truncated");
			continue;
		}
		if (find_vmlinux(in->release, in->dump, in->vmlinux, sizeof(in->vmlinux)) != 0) {
			if (in->dmesg[0])
				diagnose_text(in, in->dmesg, "vmcore-dmesg.txt (no vmlinux)");
			else
				snprintf(in->error, sizeof(in->error), "no vmlinux for %s (give --vmlinux-dir)", in->release);
		}
	}
	/* run crash on up to `jobs` dumps at once */
	for (;;) {
		while (running < jobs && next < ninputs) {
			struct input *in = &inputs[next++];
			if (in->error[0] || in->report || !in->vmlinux[0])
				continue;
			if (start_crash(in) == 0)
				running++;
			else
				snprintf(in->error, sizeof(in->error), "cannot start crash: %s", strerror(errno));
		}
		if (!running)
			break;
		for (i = 0; i < next; i++) {
			struct input *in = &inputs[i];
			int status = 0;
			pid_t p;

			if (in->pid <= 0)
				continue;
			p = waitpid(in->pid, &status, WNOHANG);
			if (p == in->pid) {
				finish_crash(in, status, 0);
				in->pid = 0;
				running--;
			} else if (now() - in->started > timeout_s) {
				kill(-in->pid, SIGKILL);
				waitpid(in->pid, &status, 0);
				finish_crash(in, status, 1);
				in->pid = 0;
				running--;
			}
		}
		if (isatty(2))
			fprintf(stderr, "\rvmfault-triage: %d of %d started, %d running   ", next, ninputs, running);
		usleep(50000);
	}
	if (isatty(2))
		fprintf(stderr, "\n");

	if (!json)
		printf("%-12s %-22s %-26s %s\n", "VERDICT", "SIGNATURE", "KERNEL", "PATH");
	for (i = 0; i < ninputs; i++) {
		struct input *in = &inputs[i];
		const char *v = in->error[0] ? "ERROR" : in->verdict;
		int k;

		for (k = 0; k < 5; k++)
			if (!strcmp(v, vnames[k]))
				counts[k]++;
		matched += !strcmp(v, "MATCH") || !strcmp(v, "RELATED");
		errors += !!in->error[0];
		if (json)
			print_json(stdout, in);
		else
			printf("%-12s %-22s %-26s %s%s%s%s\n", v, in->signature[0] && !in->error[0] ? in->signature : "-",
			       in->release[0] ? in->release : "-", in->path, in->text_only ? "  (text-only)" : "",
			       in->error[0] ? "  error: " : "", in->error);
		free(in->report);
	}
	if (!json)
		printf("\n%d inputs in %.1f s: %d MATCH, %d RELATED, %d NO MATCH, %d INCONCLUSIVE, %d ERROR\n",
		       ninputs, now() - t0, counts[0], counts[1], counts[2], counts[3], counts[4]);
	free(inputs);
	return errors ? 2 : matched ? 1 : 0;
}

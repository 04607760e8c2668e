/*
 * test_debuginfod.c - cli/debuginfod.c against a one-file HTTP server forked here
 * on the loopback address (libdebuginfod asks GET /buildid/HEX/debuginfo), and
 * against a port nobody listens on.  The client's cache is a temporary directory.
 * tests/debuginfod-check.sh runs Debian's debuginfod server over real packages.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"
#include "synthelf.h"
#include "../../cli/debuginfod.h"

static char dir[256];

static const char *hex20(unsigned char b)
{
	static char h[2][41];
	static int k;
	int i;

	k ^= 1;
	for (i = 0; i < 20; i++)
		sprintf(h[k] + 2 * i, "%02x", b);
	return h[k];
}

/* A socket bound on 127.0.0.1 (port chosen by the kernel); listening or not. */
static int loopback_socket(int listening, int *port)
{
	struct sockaddr_in a;
	socklen_t l = sizeof(a);
	int s = socket(AF_INET, SOCK_STREAM, 0);

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof(a)) != 0 || getsockname(s, (struct sockaddr *)&a, &l) != 0 ||
	    (listening && listen(s, 8) != 0))
		abort();
	*port = ntohs(a.sin_port);
	return s;
}

/* Serve `file` as /buildid/<want>/debuginfo, 404 for anything else, until killed. */
static void serve(int s, const char *want, const char *file)
{
	char req[2048], path[200], hdr[200];
	static char body[1 << 16];
	FILE *f = fopen(file, "rb");
	size_t n = f ? fread(body, 1, sizeof(body), f) : 0;
	int c;

	if (f)
		fclose(f);
	snprintf(path, sizeof(path), "GET /buildid/%s/debuginfo ", want);
	while ((c = accept(s, NULL, NULL)) >= 0) {
		ssize_t r = read(c, req, sizeof(req) - 1);
		int hit = r > 0 && (req[r] = 0, !strncmp(req, path, strlen(path)));

		snprintf(hdr, sizeof(hdr), "HTTP/1.1 %s\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n",
			 hit ? "200 OK" : "404 Not Found", hit ? n : 0);
		if (write(c, hdr, strlen(hdr)) < 0 || (hit && write(c, body, n) < 0))
			break;
		close(c);
	}
	_exit(0);
}

static pid_t start_server(const char *want, const char *file, int *port)
{
	int s = loopback_socket(1, port);
	pid_t pid = fork();

	if (pid == 0)
		serve(s, want, file);
	close(s);
	return pid;
}

static void stop_server(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

static void test_urls(void)
{
	unsetenv("DEBUGINFOD_URLS");
	CHECK(vmf_debuginfod_urls(NULL) == NULL);
	setenv("DEBUGINFOD_URLS", " ", 1);
	CHECK(vmf_debuginfod_urls(NULL) == NULL);
	setenv("DEBUGINFOD_URLS", "https://debuginfod.debian.net", 1);
	CHECK_STR(vmf_debuginfod_urls(NULL), "https://debuginfod.debian.net");
	CHECK_STR(vmf_debuginfod_urls("http://127.0.0.1:8002"), "http://127.0.0.1:8002");
	unsetenv("DEBUGINFOD_URLS");
}

static void test_fetch(void)
{
	struct synth kernel = { ET_EXEC, 1, 0, 0x5a, 64 << 10, 0 }, lib = { ET_DYN, 1, 0, 0x6b, 64 << 10, 0 };
	char out[600], why[300], url[80], file[300], want[300];
	int port, s;
	pid_t pid;

	CHECK(vmf_debuginfod_vmlinux(NULL, hex20(0x5a), out, sizeof(out), why, sizeof(why)) == -1);
	CHECK_STR(why, "no debuginfod server (give --debuginfod URL or set DEBUGINFOD_URLS)");
	CHECK(vmf_debuginfod_vmlinux("http://127.0.0.1:1", "not-hex", out, sizeof(out), why, sizeof(why)) == -1);
	CHECK_STR(why, "no build-id to ask debuginfod for");

	/* nobody listens: the reason names the server */
	s = loopback_socket(0, &port);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d", port);
	CHECK(vmf_debuginfod_vmlinux(url, hex20(0x5a), out, sizeof(out), why, sizeof(why)) == -1);
	snprintf(want, sizeof(want), "debuginfod (%s): ", url);
	CHECK(!strncmp(why, want, strlen(want)));
	printf("refused: %s\n", why);
	close(s);
	CHECK(getenv("DEBUGINFOD_URLS") == NULL);       /* --debuginfod does not stay in the environment */

	snprintf(file, sizeof(file), "%s/kernel.elf", dir);
	write_elf(file, &kernel);
	pid = start_server(hex20(0x5a), file, &port);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d", port);
	CHECK(vmf_debuginfod_vmlinux(url, hex20(0x5a), out, sizeof(out), why, sizeof(why)) == 0);
	snprintf(want, sizeof(want), "%s/cache/%s/debuginfo", dir, hex20(0x5a));
	CHECK_STR(out, want);                             /* libdebuginfod's own cache layout */
	CHECK(vmf_debuginfod_vmlinux(url, hex20(0x77), out, sizeof(out), why, sizeof(why)) == -1);
	snprintf(want, sizeof(want), "debuginfod (%s): no server has this build-id", url);
	CHECK_STR(why, want);
	stop_server(pid);

	/* a server that answers with something else than a kernel is not believed */
	write_elf(file, &lib);
	pid = start_server(hex20(0x6b), file, &port);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d", port);
	CHECK(vmf_debuginfod_vmlinux(url, hex20(0x6b), out, sizeof(out), why, sizeof(why)) == -1);
	CHECK(strstr(why, "not a kernel with build-id 6b6b6b6b6b6b6b6b...: not an ELF executable (ET_EXEC)") != NULL);
	stop_server(pid);

	/* and once cached, no server is needed */
	setenv("DEBUGINFOD_URLS", "http://127.0.0.1:1", 1);
	CHECK(vmf_debuginfod_vmlinux(NULL, hex20(0x5a), out, sizeof(out), why, sizeof(why)) == 0);
	unsetenv("DEBUGINFOD_URLS");
	vmf_debuginfod_end();
}

int main(void)
{
	char cache[300], cmd[300];

	snprintf(dir, sizeof(dir), "/tmp/vmf-debuginfod-XXXXXX");
	if (!mkdtemp(dir))
		return 2;
	snprintf(cache, sizeof(cache), "%s/cache", dir);
	setenv("DEBUGINFOD_CACHE_PATH", cache, 1);
	setenv("DEBUGINFOD_TIMEOUT", "10", 1);
	unsetenv("DEBUGINFOD_PROGRESS");
	test_urls();
	test_fetch();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		printf("could not remove %s\n", dir);
	return CHECK_DONE();
}

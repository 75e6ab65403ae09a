/* ocibench-startup: a dynamically linked program that starts like an interpreter (the apps
 * group's start-up workload, docs/apps.md). It links the same shared libraries as Debian 12's
 * python3.11 (libm, libz, libexpat, libc), "imports" kModules small files found along a search
 * path of three directories (a stat per candidate, then open/read/close, checksummed with
 * zlib's crc32), parses a small XML configuration with expat, and only then writes its first
 * line: "ready modules=N bytes=B crc=XXXXXXXX".
 *
 *   ocibench-startup SITE_DIR         the start-up (exit 0; 2 on a missing or short site)
 *   ocibench-startup --make-site DIR  writes the deterministic site tree into DIR (created)
 */
#include <errno.h>
#include <expat.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

enum { kModules = 80, kDirs = 3 };
static const char* const kDirNames[kDirs] = {"lib-dynload", "lib", "site-packages"};

/* Module i lives in directory i % kDirs, so a lookup fails in the directories before it, as
 * Python's does along sys.path. Sizes 1..8 KiB, deterministic. */
static size_t ModuleBytes(int i) { return 1024 + (size_t)((i * 7919) % 7168); }

static int Fail(const char* what, const char* path) {
  fprintf(stderr, "ocibench-startup: %s %s: %s\n", what, path, strerror(errno));
  return 2;
}

static int MakeSite(const char* dir) {
  char p[4096];
  if (mkdir(dir, 0755) != 0 && errno != EEXIST) return Fail("mkdir", dir);
  for (int d = 0; d < kDirs; d++) {
    snprintf(p, sizeof p, "%s/%s", dir, kDirNames[d]);
    if (mkdir(p, 0755) != 0 && errno != EEXIST) return Fail("mkdir", p);
  }
  uint64_t s = 42;
  for (int i = 0; i < kModules; i++) {
    snprintf(p, sizeof p, "%s/%s/mod%02d.py", dir, kDirNames[i % kDirs], i);
    FILE* f = fopen(p, "w");
    if (!f) return Fail("fopen", p);
    const size_t n = ModuleBytes(i);
    for (size_t k = 0; k < n; k++) {
      s = s * 6364136223846793005ULL + 1442695040888963407ULL; /* an LCG: text, not crypto */
      fputc((k % 64 == 63) ? '\n' : "abcdefghij klmnopqrstuvwxyz_=()."[(s >> 33) % 32], f);
    }
    if (fclose(f) != 0) return Fail("write", p);
  }
  snprintf(p, sizeof p, "%s/site.xml", dir);
  FILE* f = fopen(p, "w");
  if (!f) return Fail("fopen", p);
  fputs("<site>\n", f);
  for (int d = 0; d < kDirs; d++) fprintf(f, "  <path dir=\"%s\"/>\n", kDirNames[d]);
  fprintf(f, "  <modules count=\"%d\"/>\n</site>\n", kModules);
  if (fclose(f) != 0) return Fail("write", p);
  return 0;
}

static void XMLCALL OnStart(void* data, const XML_Char* name, const XML_Char** attrs) {
  int* paths = data;
  (void)attrs;
  if (strcmp(name, "path") == 0) (*paths)++;
}

int main(int argc, char** argv) {
  if (argc == 3 && strcmp(argv[1], "--make-site") == 0) return MakeSite(argv[2]);
  if (argc != 2 || argv[1][0] == '-') {
    fprintf(stderr, "usage: ocibench-startup SITE_DIR | --make-site DIR\n");
    return 2;
  }
  const char* site = argv[1];
  char p[4096];
  static char buf[1 << 16];

  /* The configuration first, as site.py reads its .pth files. */
  snprintf(p, sizeof p, "%s/site.xml", site);
  int fd = open(p, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Fail("open", p);
  ssize_t n = read(fd, buf, sizeof buf);
  close(fd);
  if (n < 0) return Fail("read", p);
  XML_Parser x = XML_ParserCreate(NULL);
  int paths = 0;
  XML_SetUserData(x, &paths);
  XML_SetStartElementHandler(x, OnStart);
  if (XML_Parse(x, buf, (int)n, 1) == XML_STATUS_ERROR || paths != kDirs) {
    fprintf(stderr, "ocibench-startup: %s: not the site configuration (%s)\n", p,
            XML_ErrorString(XML_GetErrorCode(x)));
    XML_ParserFree(x);
    return 2;
  }
  XML_ParserFree(x);

  unsigned long crc = crc32(0L, Z_NULL, 0);
  long bytes = 0;
  struct stat st;
  for (int i = 0; i < kModules; i++) {
    int found = 0;
    for (int d = 0; d < kDirs && !found; d++) {
      snprintf(p, sizeof p, "%s/%s/mod%02d.py", site, kDirNames[d], i);
      if (stat(p, &st) != 0) continue; /* not in this directory: the next one */
      fd = open(p, O_RDONLY | O_CLOEXEC);
      if (fd < 0) return Fail("open", p);
      while ((n = read(fd, buf, sizeof buf)) > 0) {
        crc = crc32(crc, (const Bytef*)buf, (uInt)n);
        bytes += n;
      }
      close(fd);
      if (n < 0) return Fail("read", p);
      found = 1;
    }
    if (!found) {
      fprintf(stderr, "ocibench-startup: module mod%02d not found under %s\n", i, site);
      return 2;
    }
  }
  /* libm, as an interpreter's float start-up does; the value depends on the input. */
  const double scale = sqrt((double)bytes);
  printf("ready modules=%d bytes=%ld crc=%08lx scale=%.3f zlib=%s expat=%s\n", kModules, bytes, crc,
         scale, zlibVersion(), XML_ExpatVersion());
  return fflush(stdout) == 0 ? 0 : 2;
}

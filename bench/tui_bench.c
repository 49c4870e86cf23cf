/* The inbox against the targets, on a synthetic cache of each size in
 * TACTFUL_BENCH_POSTS (default "100000 1000000"; `make bench-large` runs 3,000,000) posts in a
 * tenth as many threads: the real ./tactful runs in a pseudo terminal, and the bench times the
 * first painted screen (cold, with the cache file evicted from the system's page cache, and
 * warm), each key until its redraw has been written, the process's peak resident memory, its
 * CPU and reads while idle (TACTFUL_BENCH_IDLE_S seconds, default 60), and `list --json` read
 * by a reader that stops after ten lines. Each cache is generated once into build/bench/ and
 * reused. The model queries the inbox makes are timed on their own too, with their query
 * plans, so a slow figure can be traced to its SQL. */
#include "bench/bench.h"
#include "bench/gen.h"

#include "model/db.h"
#include "model/query.h"
#include "model/thread.h"
#include "tui/thread_fold.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define BENCH_DIR "build/bench"
#define OFFICER "bench-officer"
#define QUIET_MS 4     /* a frame is complete after this long without output */
#define KEY_WAIT_MS 2000

/* A running ./tactful on a pseudo terminal. */
struct child {
    pid_t pid;
    int fd;
    char seen[4096];   /* the latest output, for finding a marker */
    size_t nseen;
};

/* Starts ./tactful on a cols x rows pseudo terminal with the cache at db. */
static int
child_start(struct child *c, const char *db, int cols, int rows)
{
    struct winsize ws = {.ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols};
    memset(c, 0, sizeof *c);
    c->pid = forkpty(&c->fd, NULL, NULL, &ws);
    if (c->pid < 0) {
        perror("forkpty");
        return -1;
    }
    if (c->pid == 0) {
        setenv("TERM", "xterm-256color", 1);
        setenv("LANG", "C.UTF-8", 1);
        setenv("LC_ALL", "C.UTF-8", 1);
        setenv("TACTFUL_DB", db, 1);
        setenv("TACTFUL_CONFIG", BENCH_DIR "/config", 1);
        setenv("TACTFUL_OFFICER", OFFICER, 1);
        setenv("XDG_CONFIG_HOME", BENCH_DIR "/xdg", 1);
        unsetenv("NO_COLOR");
        execl("./tactful", "tactful", (char *)NULL);
        _exit(127);
    }
    return 0;
}

/* Reads whatever output is waiting, remembering its tail. Returns bytes read, 0 at EOF. */
static ssize_t
child_read(struct child *c)
{
    char buf[65536];
    ssize_t n = read(c->fd, buf, sizeof buf);
    if (n <= 0)
        return n;
    for (ssize_t i = 0; i < n; i++) {
        if (c->nseen == sizeof c->seen - 1) {
            memmove(c->seen, c->seen + sizeof c->seen / 2, sizeof c->seen / 2);
            c->nseen -= sizeof c->seen / 2;
        }
        c->seen[c->nseen++] = buf[i];
    }
    c->seen[c->nseen] = '\0';
    return n;
}

/* Waits up to wait_ms for output, then reads until QUIET_MS pass without more (the frame is
 * complete). With marker set, the frame only counts once the output has contained it. Returns
 * the time the frame's last byte arrived, or -1 when no such frame came in time. */
static double
child_frame(struct child *c, int wait_ms, const char *marker)
{
    double last = -1, deadline = bench_now() + wait_ms / 1000.0;
    int found = marker == NULL;
    for (;;) {
        int in_frame = last >= 0 && found;
        int ms = in_frame ? QUIET_MS : (int)((deadline - bench_now()) * 1000);
        if (ms <= 0)
            return -1;
        struct pollfd p = {c->fd, POLLIN, 0};
        int r = poll(&p, 1, ms);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return in_frame ? last : -1;
        if (child_read(c) <= 0)
            return in_frame ? last : -1;
        last = bench_now();
        if (!found && strstr(c->seen, marker))
            found = 1;
    }
}

/* The child's peak resident memory in KiB (VmHWM), or -1. */
static long
child_peak_kib(const struct child *c)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", (int)c->pid);
    FILE *f = fopen(path, "r");
    long kib = -1;
    if (f == NULL)
        return -1;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "VmHWM: %ld kB", &kib) == 1)
            break;
    fclose(f);
    return kib;
}

/* Quits the child and reaps it. */
static void
child_stop(struct child *c)
{
    if (write(c->fd, "q", 1) != 1)
        kill(c->pid, SIGTERM);
    for (int i = 0; i < 200; i++) {
        if (waitpid(c->pid, NULL, WNOHANG) == c->pid) {
            close(c->fd);
            return;
        }
        child_frame(c, 10, NULL);
    }
    kill(c->pid, SIGKILL);
    waitpid(c->pid, NULL, 0);
    close(c->fd);
}

/* Latency figures of one kind of key. */
struct lat {
    double *ms;
    int n, misses;
};

/* Sends key, timing it until its redraw has been written; back, when set, is sent (untimed)
 * after it, to undo its effect before the next one (End, then Home). */
static void
press_one(struct child *c, const char *key, const char *back, struct lat *l)
{
    double t0 = bench_now();
    if (write(c->fd, key, strlen(key)) != (ssize_t)strlen(key))
        return;
    double t1 = child_frame(c, KEY_WAIT_MS, NULL);
    if (t1 < 0)
        l->misses++;
    else
        l->ms[l->n++] = (t1 - t0) * 1000;
    if (back && write(c->fd, back, strlen(back)) == (ssize_t)strlen(back))
        child_frame(c, KEY_WAIT_MS, NULL);
}

/* Sends key count times (each followed by back, if set), timing each. */
static void
press(struct child *c, const char *key, const char *back, int count, struct lat *l)
{
    l->ms = calloc((size_t)count, sizeof *l->ms);
    l->n = 0;
    l->misses = 0;
    for (int i = 0; i < count; i++)
        press_one(c, key, back, l);
}

/* Orders doubles, for percentiles. */
static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Prints the median and worst of l as table rows. */
static void
report(const char *what, struct lat *l)
{
    char m[96];
    if (l->n == 0) {
        snprintf(m, sizeof m, "%s: no redraw seen", what);
        bench_row(m, 0, "ms", "< 16 ms");
        return;
    }
    qsort(l->ms, (size_t)l->n, sizeof *l->ms, cmp_double);
    snprintf(m, sizeof m, "%s, median of %d", what, l->n);
    bench_row(m, l->ms[l->n / 2], "ms", "< 16 ms");
    snprintf(m, sizeof m, "%s, worst%s", what, l->misses ? " (some keys drew nothing)" : "");
    bench_row(m, l->ms[l->n - 1], "ms", "< 16 ms");
    free(l->ms);
}

/* Makes sure the cache for nposts exists, generating it when needed. */
static int
ensure_cache(const char *path, long nposts)
{
    struct stat st;
    if (stat(path, &st) == 0)
        return 0;
    char tmp[512];
    snprintf(tmp, sizeof tmp, "%s.tmp-gen", path);
    unlink(tmp);
    fprintf(stderr, "bench: generating %ld posts into %s (once; reused afterwards)\n", nposts,
            path);
    double t = bench_now();
    if (gen_cache(tmp, nposts) != 0 || rename(tmp, path) != 0) {
        unlink(tmp);
        return -1;
    }
    bench_row("generating the synthetic cache (once)", bench_now() - t, "s", "-");
    return 0;
}

/* The statements a model call ran, caught with SQLite's profile trace. */
struct trace {
    char *sql[64];
    int n;
};

/* Records each statement's SQL, parameters filled in (the profile trace callback). */
static int
on_trace(unsigned type, void *ctx, void *stmt, void *ns)
{
    (void)ns;
    struct trace *tr = ctx;
    if (type != SQLITE_TRACE_PROFILE || tr->n == 64)
        return 0;
    char *sql = sqlite3_expanded_sql(stmt);
    /* Left out: plans of plans, pragmas, and FTS5's own statements on its shadow tables. */
    if (sql && strncmp(sql, "EXPLAIN", 7) != 0 && strncmp(sql, "PRAGMA", 6) != 0 &&
        strstr(sql, "posts_fts_") == NULL) {
        for (int i = 0; i < tr->n; i++)
            if (strcmp(tr->sql[i], sql) == 0) {
                sqlite3_free(sql);
                return 0;
            }
        tr->sql[tr->n++] = sql;
    } else {
        sqlite3_free(sql);
    }
    return 0;
}

/* Prints, under a figure, how SQLite ran each statement traced since the last call: its
 * EXPLAIN QUERY PLAN steps on one comment line, so a full scan shows next to its cost. */
static void
print_plans(struct db *db, struct trace *tr)
{
    struct buf shown = {0}; /* plans already printed for this figure, one a line */
    for (int i = 0; i < tr->n; i++) {
        char *q = sqlite3_mprintf("EXPLAIN QUERY PLAN %s", tr->sql[i]);
        sqlite3_stmt *st = NULL;
        struct buf line = {0};
        if (sqlite3_prepare_v2(db->sql, q, -1, &st, NULL) == SQLITE_OK)
            while (sqlite3_step(st) == SQLITE_ROW)
                buf_printf(&line, "%s%s", line.len ? " / " : "", sqlite3_column_text(st, 3));
        sqlite3_finalize(st);
        sqlite3_free(q);
        if (line.len && (shown.data == NULL || strstr(shown.data, line.data) == NULL)) {
            printf("    # plan: %.200s\n", line.data);
            buf_printf(&shown, "%s\n", line.data);
        }
        buf_free(&line);
        sqlite3_free(tr->sql[i]);
    }
    buf_free(&shown);
    tr->n = 0;
}

/* Times the model calls the inbox makes, as the inbox makes them, each followed by its plan. */
static void
time_queries(const char *path)
{
    char *err = NULL;
    double t = bench_now();
    struct db *db = db_open(path, &err);
    if (db == NULL) {
        fprintf(stderr, "bench: %s\n", err);
        free(err);
        return;
    }
    bench_row("model: open the cache", (bench_now() - t) * 1000, "ms", "-");
    struct trace tr = {0};
    sqlite3_trace_v2(db->sql, SQLITE_TRACE_PROFILE, on_trace, &tr);
    long counts[TRIAGE_NSTATES];
    t = bench_now();
    thread_count_states(db, NULL, counts, &err);
    bench_row("model: counts per state, all threads", (bench_now() - t) * 1000, "ms", "-");
    print_plans(db, &tr);
    struct thread_list page, deep, next;
    t = bench_now();
    thread_list_seek(db, NULL, THREAD_SORT_ACTIVITY, THREAD_SEEK_FIRST, NULL, 21, &page, &err);
    bench_row("model: first page of 21", (bench_now() - t) * 1000, "ms", "-");
    print_plans(db, &tr);
    t = bench_now();
    thread_list_seek(db, NULL, THREAD_SORT_ACTIVITY, THREAD_SEEK_LAST, NULL, 21, &deep, &err);
    bench_row("model: last page of 21 (End)", (bench_now() - t) * 1000, "ms", "-");
    print_plans(db, &tr);
    t = bench_now();
    thread_list_seek(db, NULL, THREAD_SORT_ACTIVITY, THREAD_SEEK_BEFORE, &deep.rows[0], 21,
                     &next, &err);
    bench_row("model: page before the last (PgUp there)", (bench_now() - t) * 1000, "ms", "-");
    print_plans(db, &tr);
    thread_list_free(&next);
    struct query tab = {0};
    query_add(&tab, QK_STATE, "to_reply");
    t = bench_now();
    thread_list_seek(db, &tab, THREAD_SORT_ACTIVITY, THREAD_SEEK_AFTER, &page.rows[20], 21,
                     &next, &err);
    bench_row("model: a page of the to_reply tab", (bench_now() - t) * 1000, "ms", "-");
    print_plans(db, &tr);
    thread_list_free(&next);
    query_free(&tab);
    t = bench_now();
    long pos = 0;
    thread_count_before(db, NULL, THREAD_SORT_ACTIVITY, &deep.rows[0], &pos, &err);
    bench_row("model: position of the last page (on reload)", (bench_now() - t) * 1000, "ms",
              "-");
    print_plans(db, &tr);
    t = bench_now();
    thread_list_seek(db, NULL, THREAD_SORT_PRIORITY, THREAD_SEEK_FIRST, NULL, 21, &next, &err);
    bench_row("model: first page by priority (key o)", (bench_now() - t) * 1000, "ms", "-");
    print_plans(db, &tr);
    thread_list_free(&next);
    t = bench_now();
    thread_list_seek(db, NULL, THREAD_SORT_AGE, THREAD_SEEK_FIRST, NULL, 21, &next, &err);
    bench_row("model: first page by age (key o twice)", (bench_now() - t) * 1000, "ms", "-");
    print_plans(db, &tr);
    thread_list_free(&next);
    /* A word in one post in a thousand, as most searches are, and one in a quarter of them
     * (the generator's words are few, so each is that common). */
    static const char *const searches[][2] = {
        {GEN_RARE_WORD, "a word in 0.1% of posts"},
        {"pothole", "a word in 24% of posts"},
        {GEN_COMMON_WORD, "a word in 80% of posts"},
    };
    for (size_t i = 0; i < sizeof searches / sizeof searches[0]; i++) {
        struct query q;
        char what[96];
        query_parse(searches[i][0], &q, &err);
        t = bench_now();
        thread_list_seek(db, &q, THREAD_SORT_ACTIVITY, THREAD_SEEK_FIRST, NULL, 21, &next, &err);
        snprintf(what, sizeof what, "search first screen, %s", searches[i][1]);
        bench_row(what, (bench_now() - t) * 1000, "ms", "< 50 ms");
        print_plans(db, &tr);
        thread_list_free(&next);
        t = bench_now();
        thread_count_states(db, &q, counts, &err);
        snprintf(what, sizeof what, "  its counts per state (after the screen)");
        bench_row(what, (bench_now() - t) * 1000, "ms", "-");
        print_plans(db, &tr);
        query_free(&q);
    }
    /* The tab's "N new" after a sync (tui/inbox.c count_new): read on every reload. */
    long newest = thread_max_id(db), nnew = 0;
    t = bench_now();
    newest = thread_max_id(db);
    bench_row("model: newest thread id (N new: nothing arrived)", (bench_now() - t) * 1000,
              "ms", "-");
    print_plans(db, &tr);
    t = bench_now();
    thread_count_new(db, NULL, newest - 1000, &nnew, &err);
    bench_row("model: N new, 1,000 threads arrived, all tab", (bench_now() - t) * 1000, "ms",
              "-");
    print_plans(db, &tr);
    struct query reply_tab = {0};
    query_add(&reply_tab, QK_STATE, "to_reply");
    t = bench_now();
    thread_count_new(db, &reply_tab, newest - 1000, &nnew, &err);
    bench_row("model: N new, 1,000 threads arrived, to_reply tab", (bench_now() - t) * 1000,
              "ms", "-");
    print_plans(db, &tr);
    query_free(&reply_tab);
    t = bench_now();
    struct thread *th = thread_get(db, page.rows[0].id, &err);
    bench_row("model: one thread with its posts (Enter)", (bench_now() - t) * 1000, "ms", "-");
    print_plans(db, &tr);
    thread_free(th);
    thread_list_free(&page);
    thread_list_free(&deep);
    sqlite3_trace_v2(db->sql, 0, NULL, NULL);
    db_close(db);
}

/* The thread view's collapsed sub-threads on a thread of n posts (replies ten deep, then back
 * to the root, over and over): building the rows, collapse-all, and restoring the folds
 * after a reload, each in milliseconds; the figures bound what a key costs on a huge thread. */
static void
time_fold(long n)
{
    struct thread_post *posts = calloc((size_t)n, sizeof *posts);
    unsigned char *which = calloc((size_t)n, 1);
    if (posts == NULL || which == NULL) {
        free(posts);
        free(which);
        return;
    }
    for (long i = 0; i < n; i++) {
        posts[i].depth = (int)(i % 11);
        which[i] = i % 2 == 0;
    }
    char what[96];
    double t = bench_now();
    struct tui_fold *f = tui_fold_new(posts, (size_t)n);
    snprintf(what, sizeof what, "tui: %ld-post thread, rows built", n);
    bench_row(what, (bench_now() - t) * 1000, "ms", "-");
    t = bench_now();
    tui_fold_all(f, 1);
    bench_row("  collapse-all", (bench_now() - t) * 1000, "ms", "-");
    t = bench_now();
    tui_fold_load(f, which);
    bench_row("  folds restored after a reload", (bench_now() - t) * 1000, "ms", "-");
    t = bench_now();
    long last = tui_fold_shown(f, n - 1);
    bench_row("  the line standing for the last post", (bench_now() - t) * 1000, "ms", "-");
    (void)last;
    tui_fold_free(f);
    free(posts);
    free(which);
}

/* Drops the cache file and its -wal from the system's page cache, as after a reboot or a
 * night of other work: the next start reads them from the disk. */
static void
evict(const char *path)
{
    char wal[300];
    snprintf(wal, sizeof wal, "%s-wal", path);
    const char *files[] = {path, wal};
    for (int i = 0; i < 2; i++) {
        int fd = open(files[i], O_RDONLY);
        if (fd < 0)
            continue;
        fdatasync(fd);
        posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
        close(fd);
    }
}

/* A process's CPU time in seconds and the bytes it has read (rchar: from files, whether the
 * system's page cache held them or not), from /proc. Returns 0 or -1. */
static int
proc_usage(pid_t pid, double *cpu, long long *read_bytes)
{
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return -1;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    char *p = strrchr(buf, ')'); /* the name may hold spaces */
    unsigned long ut = 0, st = 0;
    if (p == NULL || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut,
                            &st) != 2)
        return -1;
    *cpu = (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
    snprintf(path, sizeof path, "/proc/%d/io", (int)pid);
    if ((f = fopen(path, "r")) == NULL)
        return -1;
    *read_bytes = -1;
    while (fgets(buf, sizeof buf, f))
        if (sscanf(buf, "rchar: %lld", read_bytes) == 1)
            break;
    fclose(f);
    return *read_bytes < 0 ? -1 : 0;
}

/* The inbox left alone for secs seconds on an unchanged cache: its CPU use and the bytes it
 * read meanwhile. */
static void
time_idle(const char *path, int secs)
{
    struct child c;
    char what[96];
    if (child_start(&c, path, 80, 24) != 0)
        return;
    if (child_frame(&c, 10000, OFFICER) < 0) {
        child_stop(&c);
        return;
    }
    double cpu0, cpu1;
    long long rd0, rd1;
    if (proc_usage(c.pid, &cpu0, &rd0) != 0) {
        child_stop(&c);
        return;
    }
    double end = bench_now() + secs;
    while (bench_now() < end)
        child_frame(&c, 1000, NULL); /* drain any redraws */
    if (proc_usage(c.pid, &cpu1, &rd1) == 0) {
        snprintf(what, sizeof what, "idle %d s, unchanged cache: CPU", secs);
        bench_row(what, (cpu1 - cpu0) / secs * 100, "% core", "< 1 % core");
        snprintf(what, sizeof what, "idle %d s, unchanged cache: bytes read", secs);
        bench_row(what, (double)(rd1 - rd0), "bytes", "0 (no rereading)");
    }
    child_stop(&c);
}

/* Runs argv as a child and prints its peak resident memory in KiB to standard error as
 * "peak-kib N". The bench runs itself this way (`tui_bench --measure CMD...`), so the
 * measured process is forked from a small one: a child's peak memory counts what it
 * inherited from its parent before exec. */
static int
measure_run(char **argv)
{
    pid_t pid = fork();
    if (pid == 0) {
        execv(argv[0], argv);
        _exit(127);
    }
    int status;
    struct rusage ru;
    if (pid < 0 || wait4(pid, &status, 0, &ru) != pid)
        return 1;
    fprintf(stderr, "\npeak-kib %ld\n", ru.ru_maxrss);
    return 0;
}

/* `tactful list --json | head`: the time until the listing has ended after its reader took
 * ten lines and went away, and its peak memory. */
static void
time_list_head(const char *path)
{
    int out[2], err[2];
    if (pipe(out) != 0 || pipe(err) != 0)
        return;
    double t0 = bench_now();
    pid_t pid = fork();
    if (pid == 0) {
        dup2(out[1], 1);
        dup2(err[1], 2);
        close(out[0]);
        close(out[1]);
        close(err[0]);
        close(err[1]);
        setenv("TACTFUL_DB", path, 1);
        setenv("TACTFUL_CONFIG", BENCH_DIR "/config", 1);
        setenv("TACTFUL_OFFICER", OFFICER, 1);
        signal(SIGPIPE, SIG_DFL);
        execl("/proc/self/exe", "tui_bench", "--measure", "./tactful", "list", "--json",
              (char *)NULL);
        _exit(127);
    }
    close(out[1]);
    close(err[1]);
    FILE *f = fdopen(out[0], "r");
    char line[4096];
    for (int i = 0; i < 10 && f && fgets(line, sizeof line, f); i++)
        ;
    if (f)
        fclose(f);
    long kib = -1;
    FILE *e = fdopen(err[0], "r");
    while (e && fgets(line, sizeof line, e))
        sscanf(line, "peak-kib %ld", &kib);
    double t = bench_now() - t0;
    if (e)
        fclose(e);
    waitpid(pid, NULL, 0);
    bench_row("`tactful list --json | head`: time", t * 1000, "ms", "< 100 ms (stops early)");
    bench_row("`tactful list --json | head`: peak memory", kib / 1024.0, "MiB", "< 64 MiB");
}

/* Runs the inbox at cols x rows: first screen, keys, memory. With cold set, the cache is
 * first dropped from the system's page cache (the morning's first start). */
static void
time_inbox(const char *path, int cols, int rows, int keys, int cold)
{
    struct child c;
    char what[96];
    if (cold)
        evict(path);
    double t0 = bench_now();
    if (child_start(&c, path, cols, rows) != 0)
        return;
    double t1 = child_frame(&c, 10000, OFFICER);
    snprintf(what, sizeof what, "first screen painted, %dx%d%s", cols, rows,
             cold ? ", cold (cache file evicted)" : "");
    if (t1 < 0) {
        fprintf(stderr, "bench: the inbox never showed; last output:\n%s\n", c.seen);
        child_stop(&c);
        return;
    }
    bench_row(what, (t1 - t0) * 1000, "ms", "< 150 ms");
    if (keys) {
        struct lat l;
        press(&c, "j", NULL, keys, &l);
        report("key j (next thread)", &l);
        press(&c, "\033[6~", NULL, keys, &l);
        report("key PgDn (next page)", &l);
        press(&c, "\033[5~", NULL, keys / 4, &l);
        report("key PgUp (previous page)", &l);
        press(&c, "G", "g", 10, &l);
        report("key G (last of all threads)", &l);
        press_one(&c, "G", NULL, &(struct lat){.ms = (double[1]){0}}); /* start at the end */
        press(&c, "g", "G", 10, &l);
        report("key g (first thread, from the last)", &l);
        press(&c, "\t", NULL, 16, &l);
        report("key Tab (next state tab)", &l);
        press(&c, "\r", "q", 10, &l);
        report("key Enter (open a thread)", &l);
    }
    long kib = child_peak_kib(&c);
    snprintf(what, sizeof what, "peak resident memory, %dx%d", cols, rows);
    bench_row(what, kib / 1024.0, "MiB", "< 64 MiB");
    child_stop(&c);
}

/* Every figure for one cache size. */
static int
bench_size(long nposts, int idle_secs)
{
    char path[256];
    snprintf(path, sizeof path, BENCH_DIR "/cache-v%d-%ld.db", GEN_VERSION, nposts);
    if (ensure_cache(path, nposts) != 0)
        return 1;
    char what[96];
    snprintf(what, sizeof what, "cache: %ld posts in %ld threads", nposts,
             nposts / 10 > 0 ? nposts / 10 : 1);
    bench_row(what, (double)nposts, "posts", "-");
    struct stat st;
    if (stat(path, &st) == 0)
        bench_row("  cache size", (double)st.st_size / (double)nposts, "bytes/post",
                  "<= 900 bytes/post");
    time_queries(path);
    time_inbox(path, 80, 24, 0, 1);
    time_inbox(path, 80, 24, 100, 0);
    time_inbox(path, 200, 60, 50, 0);
    time_list_head(path);
    if (idle_secs > 0)
        time_idle(path, idle_secs);
    return 0;
}

int
main(int argc, char **argv)
{
    if (argc > 2 && strcmp(argv[1], "--measure") == 0)
        return measure_run(argv + 2);
    const char *env = getenv("TACTFUL_BENCH_POSTS");
    const char *sizes = env && *env ? env : "100000 1000000";
    const char *idle = getenv("TACTFUL_BENCH_IDLE_S");
    int idle_secs = idle && *idle ? atoi(idle) : 60;
    mkdir("build", 0700);
    mkdir(BENCH_DIR, 0700);
    mkdir(BENCH_DIR "/xdg", 0700);
    FILE *cfg = fopen(BENCH_DIR "/config", "w");
    if (cfg)
        fclose(cfg);
    int status = 0;
    time_fold(10000);
    char *copy = strdup(sizes), *save = NULL;
    for (char *tok = strtok_r(copy, " ,", &save); tok; tok = strtok_r(NULL, " ,", &save)) {
        long nposts = atol(tok);
        if (nposts < 10) {
            fprintf(stderr, "bench: TACTFUL_BENCH_POSTS sizes must be at least 10\n");
            status = 1;
            continue;
        }
        status |= bench_size(nposts, idle_secs);
    }
    free(copy);
    return status;
}

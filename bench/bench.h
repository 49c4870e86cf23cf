/* Shared helpers for the benchmarks: a monotonic clock and one table row per figure. */
#ifndef TACTFUL_BENCH_H
#define TACTFUL_BENCH_H

#include <stdio.h>
#include <time.h>

/* Seconds on a monotonic clock. */
static inline double
bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Prints one row of the table that bench/run.sh heads: the measure, the figure with its unit,
 * and the target it is held to. */
static inline void
bench_row(const char *measure, double value, const char *unit, const char *target)
{
    char fig[32];
    snprintf(fig, sizeof fig, "%.3g %s", value, unit);
    printf("%-46s %14s  %s\n", measure, fig, target);
    fflush(stdout);
}

#endif

/* Opening the files tactful reads whole and expects to be ordinary files: the configuration,
 * policy, rule and list files, patterns, keymaps. A device (/dev/zero), a FIFO or a folder
 * named where such a file is expected is refused at once instead of hanging tactful. */
#ifndef TACTFUL_FILE_H
#define TACTFUL_FILE_H

#include <stddef.h>
#include <stdio.h>

/* Opens path for reading when it is a regular file of at most cap bytes (or /dev/null, an
 * empty one). A FIFO is opened
 * without waiting for a writer, so it is refused rather than blocking. Returns the stream
 * (close-on-exec), or NULL with errno set: open(2)'s errno, EISDIR for a folder, EINVAL for
 * anything else that is not a regular file, EFBIG for a file over cap. */
FILE *file_open_regular(const char *path, size_t cap);

/* The reason for a file_open_regular failure with errno e, as words that follow
 * "cannot read FILE: ", e.g. "it is a folder, not a file" or "larger than 1 MiB". Newly
 * allocated. */
char *file_problem(int e, size_t cap);

/* The sentence for a failed write to path with errno e: "the disk holding PATH is full: free
 * some space and try again" for ENOSPC and EDQUOT, else "cannot write PATH: reason". Newly
 * allocated. */
char *file_write_error(const char *path, int e);

/* Creates dir and its missing parents, each 0700 (a folder already there is fine). Returns 0,
 * or -1 with errno set. */
int file_mkdir_p(const char *dir);

#endif

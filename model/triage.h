/* Triage: changing a thread's state, tags, assignee, priority, snooze and notes. Every change
 * is written to the audit log with the officer's identity in the same transaction. Each call
 * returns 0 when it changed something, 1 when there was nothing to change, and -1 with *err
 * set on failure (no such thread, a bad value, a cache error). */
#ifndef TACTFUL_TRIAGE_H
#define TACTFUL_TRIAGE_H

#include "model/db.h"

#include <stddef.h>

#define TRIAGE_MAX_TAG 64
#define TRIAGE_MAX_NAME 128
#define TRIAGE_MAX_NOTE 8192

int triage_set_state(struct db *db, const char *officer, long thread, const char *state,
                     char **err);

/* Adds the tags in add and removes those in del. */
int triage_tag(struct db *db, const char *officer, long thread, const char *const *add,
               size_t nadd, const char *const *del, size_t ndel, char **err);

/* Assigns the thread to assignee, or unassigns it when assignee is NULL. */
int triage_assign(struct db *db, const char *officer, long thread, const char *assignee,
                  char **err);

int triage_set_priority(struct db *db, const char *officer, long thread, int priority,
                        char **err);

/* Snoozes until the given RFC 3339 time, or wakes the thread when until is NULL. */
int triage_snooze(struct db *db, const char *officer, long thread, const char *until,
                  char **err);

/* Adds an internal note (never sent anywhere). */
int triage_note(struct db *db, const char *officer, long thread, const char *text, char **err);

/* Checks an officer name for assign: 1 to TRIAGE_MAX_NAME bytes of plain text. Returns 0, or
 * -1 with *err set. */
int triage_name_valid(const char *name, char **err);

/* Checks a tag: 1 to TRIAGE_MAX_TAG bytes, no spaces, commas or control characters. Returns 0,
 * or -1 with *err set. */
int triage_tag_valid(const char *tag, char **err);

#endif

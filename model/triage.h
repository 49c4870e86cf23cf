/* Triage: changing a thread's state, tags, assignee, topic, priority, snooze and notes. Every
 * change is written to the audit log with the officer's identity in the same transaction. Each
 * call returns 0 when it changed something, setting *entry (when entry is not NULL) to the id of
 * the audit entry it wrote, which is what triage_undo takes; 1 when there was nothing to
 * change (*entry untouched); and -1 with *err set on failure (no such thread, a bad value, a
 * cache error). */
#ifndef TACTFUL_TRIAGE_H
#define TACTFUL_TRIAGE_H

#include "model/db.h"

#include <stddef.h>

#define TRIAGE_MAX_TAG 64
#define TRIAGE_MAX_NAME 128
#define TRIAGE_MAX_NOTE 8192
#define TRIAGE_MAX_TOPIC 200

int triage_set_state(struct db *db, const char *officer, long thread, const char *state,
                     long *entry, char **err);

/* Adds the tags in add and removes those in del. */
int triage_tag(struct db *db, const char *officer, long thread, const char *const *add,
               size_t nadd, const char *const *del, size_t ndel, long *entry, char **err);

/* Assigns the thread to assignee, or unassigns it when assignee is NULL. */
int triage_assign(struct db *db, const char *officer, long thread, const char *assignee,
                  long *entry, char **err);

int triage_set_priority(struct db *db, const char *officer, long thread, int priority,
                        long *entry, char **err);

/* Snoozes until the given RFC 3339 time, or wakes the thread when until is NULL. */
int triage_snooze(struct db *db, const char *officer, long thread, const char *until,
                  long *entry, char **err);

/* Sets what the thread is about (the words a template's {topic} is filled with, as in "we
 * passed your comments about {topic}"), or clears it when topic is NULL. Audited as "topic". */
int triage_set_topic(struct db *db, const char *officer, long thread, const char *topic,
                     long *entry, char **err);

/* Checks a topic: 1 to TRIAGE_MAX_TOPIC bytes of text with no control characters and not only
 * spaces. Returns 0, or -1 with *err set. */
int triage_topic_valid(const char *topic, char **err);

/* Adds an internal note (never sent anywhere). */
int triage_note(struct db *db, const char *officer, long thread, const char *text, long *entry,
                char **err);

/* Checks an officer name for assign: 1 to TRIAGE_MAX_NAME bytes of plain text. Returns 0, or
 * -1 with *err set. */
int triage_name_valid(const char *name, char **err);

/* Undoes the changes recorded in audit entries[0..n), last first, in one transaction: a state,
 * assignee, priority or snooze goes back to its old value, added tags are removed and removed
 * ones restored, an added note is deleted. Each is audited as "undo" with details
 * {"entry": N, "action": A, ...} describing what the undo itself changed (from/to, added/
 * removed, or the note's text). Nothing is undone, and -1 returned with *err set, when a
 * thread has changed since (no longer holds the value the entry set), an entry is another
 * officer's, is not a triage change (an undo, say) or does not exist. Returns 0 on success. */
int triage_undo(struct db *db, const char *officer, const long *entries, size_t n, char **err);

/* Checks a tag: 1 to TRIAGE_MAX_TAG bytes, no spaces, commas or control characters. Returns 0,
 * or -1 with *err set. */
int triage_tag_valid(const char *tag, char **err);

#endif

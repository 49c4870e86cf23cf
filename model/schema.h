/* The cache schema as numbered forward migrations. */
#ifndef TACTFUL_SCHEMA_H
#define TACTFUL_SCHEMA_H

/* Returns the SQL that takes the schema from version - 1 to version, or NULL when version is
 * out of range (1..DB_SCHEMA_VERSION). */
const char *schema_migration(int version);

#endif

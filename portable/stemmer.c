/* libstemmer's public calls, linked only into tactful-portable, serving the one stemmer
 * tactful asks for (English, UTF-8). Debian's static libstemmer carries every language's
 * stemmer, about half a megabyte, because its own sb_stemmer_new finds them in a table; this
 * file stands in for that table's object, and the Makefile links only Snowball's runtime and
 * its English stemmer beside it. The environment's first fields (the word and its length) are
 * laid out as Snowball 2.2's runtime lays them out; tests/portable/run.sh proves the stemmer
 * still finds word forms in the portable binary. */
#include <stdlib.h>
#include <string.h>

#include <libstemmer.h>

/* The leading fields of Snowball's environment: the current word and its length. */
struct SN_env {
    sb_symbol *p;
    int c;
    int l;
};

struct SN_env *english_UTF_8_create_env(void);
void english_UTF_8_close_env(struct SN_env *z);
int english_UTF_8_stem(struct SN_env *z);
int SN_set_current(struct SN_env *z, int size, const sb_symbol *s);

/* A stemmer: the English environment it owns. */
struct sb_stemmer {
    struct SN_env *env;
};

/* Lists the one algorithm this build carries. */
const char **
sb_stemmer_list(void)
{
    static const char *list[] = {"english", NULL};
    return list;
}

/* Makes the English UTF-8 stemmer; NULL for any other algorithm or encoding. */
struct sb_stemmer *
sb_stemmer_new(const char *algorithm, const char *charenc)
{
    if (!algorithm || strcmp(algorithm, "english") != 0)
        return NULL;
    if (charenc && strcmp(charenc, "UTF_8") != 0)
        return NULL;
    struct sb_stemmer *s = malloc(sizeof *s);
    if (!s)
        return NULL;
    s->env = english_UTF_8_create_env();
    if (!s->env) {
        free(s);
        return NULL;
    }
    return s;
}

/* Frees a stemmer and its environment. */
void
sb_stemmer_delete(struct sb_stemmer *s)
{
    if (!s)
        return;
    english_UTF_8_close_env(s->env);
    free(s);
}

/* Stems a word; the result lives in the stemmer until its next call. */
const sb_symbol *
sb_stemmer_stem(struct sb_stemmer *s, const sb_symbol *word, int size)
{
    if (SN_set_current(s->env, size, word)) {
        s->env->l = 0;
        return NULL;
    }
    if (english_UTF_8_stem(s->env) < 0)
        return NULL;
    s->env->p[s->env->l] = 0;
    return s->env->p;
}

/* The length of the last stem. */
int
sb_stemmer_length(struct sb_stemmer *s)
{
    return s->env->l;
}

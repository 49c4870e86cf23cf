/* Tests for model/config.c: config files are written into a mkdtemp directory and loaded. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "model/config.h"
#include "model/file.h"
#include "model/xmalloc.h"

#include <errno.h>
#include <ini.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The per-group state: the temporary directory and the config file path in it. */
struct fixture {
    char dir[64];
    char *path;
};

/* Creates the temporary directory for the group. */
static int
group_setup(void **state)
{
    struct fixture *f = xcalloc(1, sizeof(*f));
    snprintf(f->dir, sizeof(f->dir), "%s", "/tmp/tactful-config-test.XXXXXX");
    if (mkdtemp(f->dir) == NULL)
        return -1;
    f->path = xasprintf("%s/config", f->dir);
    *state = f;
    return 0;
}

/* Removes the temporary directory and what the tests left in it. */
static int
group_teardown(void **state)
{
    struct fixture *f = *state;
    unlink(f->path);
    char *sub = xasprintf("%s/subdir", f->dir);
    rmdir(sub);
    free(sub);
    rmdir(f->dir);
    free(f->path);
    free(f);
    return 0;
}

/* Writes text as the config file. */
static void
write_config(const struct fixture *f, const char *text)
{
    FILE *fp = fopen(f->path, "w");
    assert_non_null(fp);
    assert_int_equal(fwrite(text, 1, strlen(text), fp), strlen(text));
    assert_int_equal(fclose(fp), 0);
}

/* Writes text as the config file and loads it, expecting success. */
static struct config *
load_ok(const struct fixture *f, const char *text)
{
    char *err = (char *)"untouched";
    write_config(f, text);
    struct config *cfg = config_load(f->path, 0, &err);
    if (cfg == NULL)
        fail_msg("unexpected errors:\n%s", err);
    assert_null(err);
    return cfg;
}

/* Writes text as the config file, loads it and checks the errors: want holds "LINE: message"
 * lines, each of which must appear as "PATH:LINE: message", in that order and nothing else. */
static void
load_fails(const struct fixture *f, const char *text, const char *want)
{
    char *err = NULL;
    write_config(f, text);
    struct config *cfg = config_load(f->path, 0, &err);
    assert_null(cfg);
    assert_non_null(err);
    struct buf b = {0};
    for (const char *s = want; *s != '\0';) {
        size_t n = strcspn(s, "\n");
        buf_printf(&b, "%s%s:%.*s", b.len ? "\n" : "", f->path, (int)n, s);
        s += n + (s[n] == '\n');
    }
    assert_string_equal(err, b.data);
    buf_free(&b);
    free(err);
}

static const char example[] =
    "[tactful]\n"
    "officer = Sam Patel            ; identity recorded in the audit log\n"
    "signature = ^SP                ; appended to replies\n"
    "policy = /etc/tactful/policy   ; office policy file (guardrails)\n"
    "keymap = ~/.config/tactful/my.keys\n"
    "open_cmd = firefox --new-tab   ; the post's URL is added as the last argument\n"
    "patterns = ~/office-patterns   ; the office's own response patterns\n"
    "\n"
    "[account dept-social]\n"
    "platform = mastodon            ; mastodon | bluesky | wordpress\n"
    "url = https://social.example.gov\n"
    "token_file = ~/.config/tactful/dept-social.token\n"
    "\n"
    "[account blog]\n"
    "platform = wordpress\n"
    "url = https://blog.example.gov\n"
    "user = comms-team\n"
    "token_cmd = pass show tactful/blog\n";

/* The example from the manual loads with every value in place. */
static void
test_full_example(void **state)
{
    setenv("HOME", "/home/sam", 1);
    struct config *cfg = load_ok(*state, example);
    const struct fixture *f = *state;
    assert_string_equal(cfg->path, f->path);
    assert_string_equal(cfg->officer, "Sam Patel");
    assert_string_equal(cfg->signature, "^SP");
    assert_string_equal(cfg->policy, "/etc/tactful/policy");
    assert_string_equal(cfg->keymap, "/home/sam/.config/tactful/my.keys");
    assert_string_equal(cfg->open_cmd, "firefox --new-tab");
    assert_string_equal(cfg->patterns, "/home/sam/office-patterns");
    assert_int_equal(cfg->naccounts, 2);

    const struct config_account *a = &cfg->accounts[0];
    assert_string_equal(a->name, "dept-social");
    assert_string_equal(a->platform, "mastodon");
    assert_string_equal(a->url, "https://social.example.gov");
    assert_null(a->user);
    assert_null(a->token_cmd);
    assert_string_equal(a->token_file, "/home/sam/.config/tactful/dept-social.token");
    assert_null(a->token_env);
    assert_int_equal(a->line, 9);

    a = &cfg->accounts[1];
    assert_string_equal(a->name, "blog");
    assert_string_equal(a->platform, "wordpress");
    assert_string_equal(a->url, "https://blog.example.gov");
    assert_string_equal(a->user, "comms-team");
    assert_string_equal(a->token_cmd, "pass show tactful/blog");
    assert_null(a->token_file);
    assert_null(a->token_env);
    assert_int_equal(a->line, 14);
    config_free(cfg);
}

/* Values that are valid but need care: loopback http, trailing slashes, token_env, bluesky,
 * CRLF line ends, a BOM, indentation, "key: value". */
static void
test_valid_variants(void **state)
{
    setenv("HOME", "/home/sam/", 1);
    struct config *cfg = load_ok(*state,
                                 "\xEF\xBB\xBF[account local]\r\n"
                                 "  platform = mastodon\r\n"
                                 "  url = http://127.0.0.1:3000/\r\n"
                                 "  token_env = TACTFUL_TOKEN_1\r\n"
                                 "[account v6]\n"
                                 "platform=bluesky\n"
                                 "url=http://[::1]:8080/xrpc//\n"
                                 "user=press.example.gov\n"
                                 "token_file=~/t\n"
                                 "[account lh]\n"
                                 "platform: mastodon\n"
                                 "url: http://LOCALHOST\n"
                                 "token_cmd: printf %s a=b;c\n"
                                 "[account sub]\n"
                                 "platform = wordpress\n"
                                 "url = https://example.gov/blog/\n"
                                 "user = web\n"
                                 "token_env = _X\n");
    assert_int_equal(cfg->naccounts, 4);
    assert_string_equal(cfg->accounts[0].url, "http://127.0.0.1:3000");
    assert_string_equal(cfg->accounts[0].token_env, "TACTFUL_TOKEN_1");
    assert_string_equal(cfg->accounts[1].url, "http://[::1]:8080/xrpc");
    assert_string_equal(cfg->accounts[1].user, "press.example.gov");
    assert_string_equal(cfg->accounts[1].token_file, "/home/sam/t");
    assert_string_equal(cfg->accounts[2].url, "http://LOCALHOST");
    assert_string_equal(cfg->accounts[2].token_cmd, "printf %s a=b;c");
    assert_string_equal(cfg->accounts[3].url, "https://example.gov/blog");
    assert_null(cfg->officer);
    config_free(cfg);
}

/* Comments: whole-line ';' and '#', inline ';' after a space, and quoting to keep " ;". */
static void
test_comments_and_quotes(void **state)
{
    struct config *cfg = load_ok(*state,
                                 "; a comment\n"
                                 "# another\n"
                                 "   ; indented comment\n"
                                 "[tactful] ; comment after a header\n"
                                 "officer = Sam;Patel #1\t; comment after a tab\n"
                                 "signature = \"  -- SP ;) \\\"press\\\" C:\\dir\\\\ \" ; kept\n"
                                 "policy = \";starts with a semicolon\"\n");
    assert_string_equal(cfg->officer, "Sam;Patel #1");
    assert_string_equal(cfg->signature, "  -- SP ;) \"press\" C:\\dir\\ ");
    assert_string_equal(cfg->policy, ";starts with a semicolon");
    config_free(cfg);
}

/* A long signature survives whole, up to the 4096-byte limit; one byte more is an error. */
static void
test_long_values(void **state)
{
    char *sig = xmalloc(4098);
    memset(sig, 's', 4097);
    sig[1000] = '\0';
    char *text = xasprintf("[tactful]\nsignature = %s ; note\nofficer = Sam\n", sig);
    struct config *cfg = load_ok(*state, text);
    assert_int_equal(strlen(cfg->signature), 1000);
    assert_string_equal(cfg->signature, sig);
    assert_string_equal(cfg->officer, "Sam");
    config_free(cfg);
    free(text);

    sig[1000] = 's';
    sig[4096] = '\0';
    text = xasprintf("[tactful]\nsignature = %s\n", sig);
    cfg = load_ok(*state, text);
    assert_int_equal(strlen(cfg->signature), 4096);
    config_free(cfg);
    free(text);

    sig[4096] = 's';
    sig[4097] = '\0';
    text = xasprintf("[tactful]\nsignature = %s\nofficer =\n", sig);
    load_fails(*state, text,
               "2: value of signature in [tactful] is 4097 bytes long; the limit is 4096\n"
               "3: officer in [tactful] has an empty value");
    free(text);
    free(sig);

    char *line = xmalloc(9001);
    memset(line, 'x', 9000);
    line[9000] = '\0';
    text = xasprintf("[tactful]\nsignature = %s\nofficer = ok\npolicy =\n", line);
    load_fails(*state, text,
               "2: line is longer than 8192 bytes\n"
               "4: policy in [tactful] has an empty value");
    free(text);
    free(line);
}

/* Problems with sections and lines that are not key = value. */
static void
test_section_errors(void **state)
{
    load_fails(*state, "officer = Sam\n", "1: key 'officer' is outside any section; put it "
                                          "under [tactful] or [account NAME]");
    load_fails(*state, "[tactful]\n[Tactful]\nofficer = x\n[foo bar]\nx = 1\n",
               "2: unknown section [Tactful]; expected [tactful], [colours], [searches] or "
               "[account NAME]\n"
               "4: unknown section [foo bar]; expected [tactful], [colours], [searches] or "
               "[account NAME]");
    load_fails(*state, "[account]\n[account bad/name]\n[accounts x]\n",
               "1: section [account] needs a name: [account NAME]\n"
               "2: invalid account name 'bad/name' in [account bad/name]; use 1 to 64 of the "
               "characters A-Z a-z 0-9 . _ -\n"
               "3: unknown section [accounts x]; expected [tactful], [colours], [searches] or "
               "[account NAME]");
    char *name = xmalloc(66);
    memset(name, 'n', 65);
    name[65] = '\0';
    char *text = xasprintf("[account %s]\n[account %.64s]\n", name, name);
    char *want = xasprintf("1: invalid account name '%s' in [account %s]; use 1 to 64 of the "
                           "characters A-Z a-z 0-9 . _ -\n"
                           "2: [account %.64s] has no platform; add platform = mastodon, "
                           "bluesky or wordpress\n"
                           "2: [account %.64s] has no url; add url = https://...\n"
                           "2: [account %.64s] has no token source; add one of token_cmd, "
                           "token_file or token_env",
                           name, name, name, name, name);
    load_fails(*state, text, want);
    free(text);
    free(want);
    free(name);
    load_fails(*state, "[tactful\nofficer = x\n[tactful] junk\n",
               "1: section header has no closing ']'\n"
               "3: unexpected text after ']' in section header");
    load_fails(*state, "[tactful]\nofficer = a\n[tactful]\nofficer = b\n",
               "3: duplicate section [tactful] (first at line 1)");
    load_fails(*state, "[tactful]\njust some words\n= value\nofficer = a\x1b[2J\n",
               "2: expected 'key = value', [tactful] or [account NAME]\n"
               "3: missing key name before '='\n"
               "4: line contains a control character");
}

/* Problems with keys and values. */
static void
test_key_errors(void **state)
{
    load_fails(*state, "[tactful]\nofficer = a\nname = b\nofficer = c\nSignature = d\n",
               "3: unknown key 'name' in [tactful]; expected one of: officer, signature, policy, "
               "keymap, open_cmd, patterns, inbox_columns, sync_interval, notify, business_hours\n"
               "4: duplicate key 'officer' in [tactful] (first at line 2)\n"
               "5: unknown key 'Signature' in [tactful]; expected one of: officer, signature, "
               "policy, keymap, open_cmd, patterns, inbox_columns, sync_interval, notify, business_hours");
    load_fails(*state,
               "[account blog]\n"
               "platform = wordpress\n"
               "url = https://blog.example.gov\n"
               "user = web\n"
               "token_cmd = pass show x\n"
               "password = hunter2\n",
               "6: unknown key 'password' in [account blog]; expected one of: platform, url, "
               "user, token_cmd, token_file, token_env, ca_file, language, sync_interval");
    load_fails(*state, "[tactful]\nofficer = \"unterminated\nsignature = \"a\" b\n",
               "2: value of officer in [tactful] has no closing '\"'\n"
               "3: unexpected text after the closing '\"' of signature in [tactful]; a comment "
               "there starts with ';'");
    load_fails(*state, "[tactful]\nofficer = ; only a comment\nsignature = \"\"\n",
               "2: officer in [tactful] has an empty value\n"
               "3: signature in [tactful] has an empty value");
    load_fails(*state, "[tactful]\npolicy = ~bob/policy\n",
               "2: policy '~bob/policy' in [tactful]: only a leading ~/ is expanded; write "
               "~/... or a full path");
    unsetenv("HOME");
    load_fails(*state, "[tactful]\npolicy = ~/policy\n",
               "2: policy '~/policy' in [tactful]: cannot expand ~/ because HOME is not set");
    setenv("HOME", "/home/sam", 1);
}

/* Problems specific to account sections. */
static void
test_account_errors(void **state)
{
    load_fails(*state, "[account a]\nplatform = twitter\nurl = https://x.example\n"
                       "token_env = T\n",
               "2: unknown platform 'twitter' in [account a]; expected one of: mastodon, "
               "bluesky, wordpress");
    load_fails(*state,
               "[account a]\nplatform = mastodon\ntoken_env = T\n"
               "url = http://social.example.gov\n",
               "4: url 'http://social.example.gov' in [account a] must use https://: TLS is "
               "required, and http:// is only allowed for 127.0.0.1, [::1] and localhost");
    load_fails(*state,
               "[account a]\nplatform = mastodon\ntoken_env = T\nurl = ftp://x.example\n"
               "[account b]\nplatform = mastodon\ntoken_env = T\nurl = https://\n"
               "[account c]\nplatform = mastodon\ntoken_env = T\nurl = https://u:p@x.example\n"
               "[account d]\nplatform = mastodon\ntoken_env = T\nurl = https://x.example/?a\n"
               "[account e]\nplatform = mastodon\ntoken_env = T\nurl = http://127.0.0.2\n",
               "4: url 'ftp://x.example' in [account a] must start with https://\n"
               "8: url 'https://' in [account b] has no host name\n"
               "12: url in [account c] must not contain a user name or password; use "
               "token_cmd, token_file or token_env for the secret\n"
               "16: url 'https://x.example/?a' in [account d] must be a base URL, without '?' "
               "or '#'\n"
               "20: url 'http://127.0.0.2' in [account e] must use https://: TLS is required, "
               "and http:// is only allowed for 127.0.0.1, [::1] and localhost");
    load_fails(*state,
               "[account wp]\nplatform = wordpress\nurl = https://x.example\ntoken_env = T\n"
               "[account sky]\nplatform = bluesky\nurl = https://bsky.social\ntoken_env = T\n",
               "1: [account wp] has no user; wordpress accounts need user = ... (the WordPress "
               "user name)\n"
               "5: [account sky] has no user; bluesky accounts need user = ... (the Bluesky "
               "handle)");
    load_fails(*state, "[account a]\nplatform = mastodon\nurl = https://x.example\n",
               "1: [account a] has no token source; add one of token_cmd, token_file or "
               "token_env");
    load_fails(*state,
               "[account a]\nplatform = mastodon\nurl = https://x.example\n"
               "token_cmd = pass a\ntoken_env = A\ntoken_file = /t\n",
               "5: token_env conflicts with token_cmd (line 4) in [account a]; set exactly one "
               "of token_cmd, token_file or token_env\n"
               "6: token_file conflicts with token_cmd (line 4) in [account a]; set exactly one "
               "of token_cmd, token_file or token_env");
    load_fails(*state,
               "[account a]\nplatform = mastodon\nurl = https://x.example\ntoken_env = 1ABC\n"
               "[account b]\nplatform = mastodon\nurl = https://x.example\ntoken_env = A-B\n",
               "4: token_env '1ABC' in [account a] is not an environment variable name "
               "(letters, digits and '_', not starting with a digit)\n"
               "8: token_env 'A-B' in [account b] is not an environment variable name "
               "(letters, digits and '_', not starting with a digit)");
    load_fails(*state, "[account a]\ntoken_env = T\n[account b]\n",
               "1: [account a] has no platform; add platform = mastodon, bluesky or wordpress\n"
               "1: [account a] has no url; add url = https://...\n"
               "3: [account b] has no platform; add platform = mastodon, bluesky or wordpress\n"
               "3: [account b] has no url; add url = https://...\n"
               "3: [account b] has no token source; add one of token_cmd, token_file or "
               "token_env");
    /* Found at the end of the section, reported at its header: sorted before line 2. */
    load_fails(*state, "[account a]\nplatform = twitter\ntoken_env = T\n",
               "1: [account a] has no url; add url = https://...\n"
               "2: unknown platform 'twitter' in [account a]; expected one of: mastodon, "
               "bluesky, wordpress");
    load_fails(*state,
               "[account a]\nplatform = mastodon\nurl = https://x.example\ntoken_env = T\n"
               "\n[account a]\nplatform = bluesky\n",
               "6: duplicate account [account a] (first at line 1)");
}

/* Several problems in one file are all reported, sorted, with their real line numbers, even
 * after a line long enough to defeat inih's default 200-byte buffer. */
static void
test_several_errors(void **state)
{
    char *pad = xmalloc(1001);
    memset(pad, 'p', 1000);
    pad[1000] = '\0';
    char *text = xasprintf("; tactful config\n"
                           "[tactful]\n"
                           "officer = Sam\n"
                           "signature = %s\n"
                           "colour = blue\n"
                           "\n"
                           "[account blog]\n"
                           "platform = wordpres\n"
                           "url = http://blog.example.gov\n"
                           "token_cmd = pass show blog\n"
                           "token_file = ~/blog.token\n"
                           "[nonsense]\n"
                           "whatever = 1\n"
                           "[account blog]\n",
                           pad);
    load_fails(*state, text,
               "5: unknown key 'colour' in [tactful]; expected one of: officer, signature, "
               "policy, keymap, open_cmd, patterns, inbox_columns, sync_interval, notify, business_hours\n"
               "8: unknown platform 'wordpres' in [account blog]; expected one of: mastodon, "
               "bluesky, wordpress\n"
               "9: url 'http://blog.example.gov' in [account blog] must use https://: TLS is "
               "required, and http:// is only allowed for 127.0.0.1, [::1] and localhost\n"
               "11: token_file conflicts with token_cmd (line 10) in [account blog]; set "
               "exactly one of token_cmd, token_file or token_env\n"
               "12: unknown section [nonsense]; expected [tactful], [colours], [searches] or "
               "[account NAME]\n"
               "14: duplicate account [account blog] (first at line 7)");
    free(text);
    free(pad);
}

/* A binary or runaway file stops after 100 problems instead of listing them all. */
static void
test_error_cap(void **state)
{
    struct buf b = {0};
    buf_adds(&b, "[tactful]\n");
    for (int i = 0; i < 150; i++)
        buf_adds(&b, "nonsense\n");
    char *err = NULL;
    write_config(*state, b.data);
    assert_null(config_load(((struct fixture *)*state)->path, 0, &err));
    size_t lines = 1;
    for (const char *s = err; *s != '\0'; s++)
        lines += *s == '\n';
    assert_int_equal(lines, 101);
    assert_non_null(strstr(err, ":102: too many errors; stopped reading here"));
    free(err);
    buf_free(&b);
}

/* A missing file is an empty configuration only when allowed; a directory is never fine. */
static void
test_missing_file(void **state)
{
    const struct fixture *f = *state;
    char *missing = xasprintf("%s/nope", f->dir);
    char *err = (char *)"untouched";
    struct config *cfg = config_load(missing, 1, &err);
    assert_non_null(cfg);
    assert_null(err);
    assert_null(cfg->path);
    assert_int_equal(cfg->naccounts, 0);
    assert_null(cfg->officer);
    assert_null(config_account_find(cfg, "blog"));
    config_free(cfg);

    assert_null(config_load(missing, 0, &err));
    char *want = xasprintf("cannot read config %s: No such file or directory; create it as "
                           "described in tactful(5)", missing);
    assert_string_equal(err, want);
    free(want);
    free(err);

    char *sub = xasprintf("%s/subdir", f->dir);
    assert_int_equal(mkdir(sub, 0700), 0);
    assert_null(config_load(sub, 1, &err));
    want = xasprintf("cannot read config %s: it is a folder, not a file; name a readable "
                     "configuration file with --config", sub);
    assert_string_equal(err, want);
    free(want);
    free(err);
    assert_int_equal(rmdir(sub), 0);
    free(sub);
    free(missing);

    /* err may be NULL, on failure and on success. */
    write_config(f, "[tactful]\nofficer =\n");
    assert_null(config_load(f->path, 0, NULL));
    write_config(f, "[tactful]\nofficer = x\n");
    cfg = config_load(f->path, 0, NULL);
    assert_non_null(cfg);
    config_free(cfg);
}

/* inih's process-wide knobs, whatever they were, do not change the result of a load and are
 * back to what they were afterwards. */
static void
test_ini_knobs_restored(void **state)
{
    bool use_stack = ini_use_stack, allow_realloc = ini_allow_realloc;
    bool inline_comments = ini_allow_inline_comments, multiline = ini_allow_multiline;
    int max_line = ini_max_line, initial_alloc = ini_initial_alloc;
    ini_use_stack = false;
    ini_allow_realloc = true;
    ini_allow_inline_comments = true;
    ini_allow_multiline = true;
    ini_max_line = 321;
    ini_initial_alloc = 123;

    char *sig = xmalloc(1001);
    memset(sig, 's', 1000);
    sig[1000] = '\0';
    char *text = xasprintf("[tactful]\nsignature = \"%s ; x\"\n  officer = a\n", sig);
    struct config *cfg = load_ok(*state, text);
    assert_int_equal(strlen(cfg->signature), 1004);
    assert_string_equal(cfg->officer, "a");
    config_free(cfg);
    free(text);
    free(sig);

    assert_false(ini_use_stack);
    assert_true(ini_allow_realloc);
    assert_true(ini_allow_inline_comments);
    assert_true(ini_allow_multiline);
    assert_int_equal(ini_max_line, 321);
    assert_int_equal(ini_initial_alloc, 123);
    ini_use_stack = use_stack;
    ini_allow_realloc = allow_realloc;
    ini_allow_inline_comments = inline_comments;
    ini_allow_multiline = multiline;
    ini_max_line = max_line;
    ini_initial_alloc = initial_alloc;
}

/* config_account_find finds accounts by exact name. */
static void
test_account_find(void **state)
{
    struct config *cfg = load_ok(*state, example);
    const struct config_account *a = config_account_find(cfg, "blog");
    assert_non_null(a);
    assert_ptr_equal(a, &cfg->accounts[1]);
    assert_ptr_equal(config_account_find(cfg, "dept-social"), &cfg->accounts[0]);
    assert_null(config_account_find(cfg, "Blog"));
    assert_null(config_account_find(cfg, "dept"));
    assert_null(config_account_find(cfg, ""));
    assert_null(config_account_find(NULL, "blog"));
    config_free(cfg);
    config_free(NULL);
}

/* config_officer: TACTFUL_OFFICER, then the file, then the login name, then $USER. */
static void
test_officer_precedence(void **state)
{
    struct config *cfg = load_ok(*state, example);
    setenv("TACTFUL_OFFICER", "Env Officer", 1);
    char *o = config_officer(cfg);
    assert_string_equal(o, "Env Officer");
    free(o);

    setenv("TACTFUL_OFFICER", "", 1);
    o = config_officer(cfg);
    assert_string_equal(o, "Sam Patel");
    free(o);

    unsetenv("TACTFUL_OFFICER");
    o = config_officer(cfg);
    assert_string_equal(o, "Sam Patel");
    free(o);

    /* Without either, the login name from the account database, else $USER, else "unknown"
     * (which of them applies depends on where the test runs). */
    const struct passwd *pw = getpwuid(geteuid());
    const char *login = pw != NULL && pw->pw_name[0] != '\0' ? pw->pw_name : NULL;
    struct config empty = {0};
    setenv("USER", "from-user-variable", 1);
    o = config_officer(&empty);
    assert_string_equal(o, login ? login : "from-user-variable");
    free(o);
    unsetenv("USER");
    unsetenv("LOGNAME");
    o = config_officer(NULL);
    assert_string_equal(o, login ? login : "unknown");
    free(o);
    config_free(cfg);
}

/* ca_file (with ~/ expanded) and language are read; a bad language tag is refused. */
static void
test_ca_file_and_language(void **state)
{
    setenv("HOME", "/home/sam", 1);
    struct config *cfg = load_ok(*state, "[account a]\nplatform = bluesky\n"
                                         "url = https://bsky.social\nuser = council.bsky.social\n"
                                         "token_env = T\nca_file = ~/office-proxy.pem\n"
                                         "language = cy-GB\n"
                                         "[account b]\nplatform = mastodon\n"
                                         "url = https://x.example\ntoken_env = T\n");
    assert_string_equal(cfg->accounts[0].ca_file, "/home/sam/office-proxy.pem");
    assert_string_equal(cfg->accounts[0].language, "cy-GB");
    assert_null(cfg->accounts[1].ca_file);
    assert_null(cfg->accounts[1].language);
    config_free(cfg);
    load_fails(*state,
               "[account a]\nplatform = mastodon\nurl = https://x.example\ntoken_env = T\n"
               "language = English\nca_file = ~bob/ca.pem\n",
               "5: language 'English' in [account a] is not a language tag; write a code such "
               "as en, cy or en-GB\n"
               "6: ca_file '~bob/ca.pem' in [account a]: only a leading ~/ is expanded; write "
               "~/... or a full path");
    load_fails(*state,
               "[account a]\nplatform = mastodon\nurl = https://x.example\ntoken_env = T\n"
               "language = en-\n",
               "5: language 'en-' in [account a] is not a language tag; write a code such as "
               "en, cy or en-GB");
}

/* sync_interval: units, bare minutes, 0/off, the per-account override and the default; its
 * bounds and bad forms are refused with the line. notify: the four modes, off by default. */
static void
test_sync_interval_and_notify(void **state)
{
    struct config *cfg = load_ok(*state, "[tactful]\nsync_interval = 90s\nnotify = osc777\n"
                                         "[account a]\nplatform = mastodon\n"
                                         "url = https://x.example\ntoken_env = T\n"
                                         "sync_interval = off\n"
                                         "[account b]\nplatform = mastodon\n"
                                         "url = https://y.example\ntoken_env = T\n"
                                         "[account c]\nplatform = mastodon\n"
                                         "url = https://z.example\ntoken_env = T\n"
                                         "sync_interval = 2h\n");
    assert_int_equal(config_sync_interval(cfg, &cfg->accounts[0]), 0);
    assert_int_equal(config_sync_interval(cfg, &cfg->accounts[1]), 90);
    assert_int_equal(config_sync_interval(cfg, &cfg->accounts[2]), 7200);
    assert_int_equal(config_notify_mode(cfg), CONFIG_NOTIFY_OSC777);
    config_free(cfg);
    cfg = load_ok(*state, "[tactful]\nofficer = a\n");
    assert_int_equal(config_sync_interval(cfg, NULL), 5 * 60);
    assert_int_equal(config_notify_mode(cfg), CONFIG_NOTIFY_OFF);
    config_free(cfg);
    assert_int_equal(config_sync_interval(NULL, NULL), CONFIG_INTERVAL_DEFAULT);
    assert_int_equal(config_notify_mode(NULL), CONFIG_NOTIFY_OFF);

    long sec;
    char *err = NULL;
    assert_int_equal(config_interval_parse("15", &sec, &err), 0);
    assert_int_equal(sec, 15 * 60);
    assert_int_equal(config_interval_parse("0", &sec, &err), 0);
    assert_int_equal(sec, 0);
    assert_int_equal(config_interval_parse("30s", &sec, &err), 0);
    assert_int_equal(sec, 30);
    assert_int_equal(config_interval_parse("24h", &sec, &err), 0);
    const char *bad[] = {"29s", "25h", "5 m", "5min", "-5", "m", "", "9999999", "1.5h"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(config_interval_parse(bad[i], &sec, &err), -1);
        assert_non_null(strstr(err, "write such as 90s, 5m or 1h, or 0 for never"));
        free(err);
        err = NULL;
    }
    load_fails(*state, "[tactful]\nsync_interval = 10s\nnotify = popup\n",
               "2: sync_interval in [tactful]: '10s' is not an interval from 30 seconds to 24 "
               "hours; write such as 90s, 5m or 1h, or 0 for never\n"
               "3: notify 'popup' in [tactful] is not one of off, bell, osc9, osc777");
    load_fails(*state,
               "[account a]\nplatform = mastodon\nurl = https://x.example\ntoken_env = T\n"
               "sync_interval = soon\n",
               "5: sync_interval in [account a]: 'soon' is not an interval from 30 seconds to "
               "24 hours; write such as 90s, 5m or 1h, or 0 for never");
}

/* Files tactful reads whole must be regular and within their cap; a FIFO without a writer,
 * a device or a folder is refused at once. */
static void
test_file_open_regular(void **state)
{
    (void)state;
    char dir[] = "/tmp/tactful-file-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *fifo = xasprintf("%s/fifo", dir), *reg = xasprintf("%s/reg", dir);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    FILE *f = fopen(reg, "w");
    assert_non_null(f);
    fputs("0123456789", f);
    fclose(f);
    errno = 0;
    assert_null(file_open_regular(fifo, 100));
    assert_int_equal(errno, EINVAL);
    assert_null(file_open_regular("/dev/zero", 100));
    assert_int_equal(errno, EINVAL);
    f = file_open_regular("/dev/null", 0); /* an empty file, as in --config /dev/null */
    assert_non_null(f);
    fclose(f);
    assert_null(file_open_regular(dir, 100));
    assert_int_equal(errno, EISDIR);
    assert_null(file_open_regular(reg, 9));
    assert_int_equal(errno, EFBIG);
    char *why = file_problem(EFBIG, 1024 * 1024);
    assert_string_equal(why, "it is larger than 1 MiB");
    free(why);
    f = file_open_regular(reg, 10);
    assert_non_null(f);
    char got[16] = {0};
    assert_int_equal(fread(got, 1, sizeof got, f), 10); /* blocking reads once open */
    fclose(f);
    /* The configuration: refused with a sentence, not read for ever. */
    char *err = NULL;
    assert_null(config_load("/dev/zero", 0, &err));
    assert_non_null(strstr(err, "cannot read config /dev/zero: it is not a regular file"));
    free(err);
    unlink(fifo);
    unlink(reg);
    rmdir(dir);
    free(fifo);
    free(reg);
}

/* The documented keys are the keys the parser accepts: each one listed by config_key_doc,
 * with its help, is known in its section; an unknown one is not, and the list ends. */
static void
test_key_docs_are_the_accepted_keys(void **state)
{
    const struct fixture *f = *state;
    static const enum config_section sections[] = {CONFIG_SECTION_TACTFUL,
                                                   CONFIG_SECTION_ACCOUNT};
    static const char *const headers[] = {"[tactful]\n", "[account a]\n"};
    for (size_t s = 0; s < 2; s++) {
        struct config_key_doc d;
        size_t n = 0;
        for (; config_key_doc(sections[s], n, &d) == 0; n++) {
            assert_non_null(d.name);
            assert_non_null(d.value);
            assert_true(d.help != NULL && strlen(d.help) > 10);
            assert_int_equal(d.help[strlen(d.help) - 1], '\n');
            char *text = xasprintf("%s%s = x\n", headers[s], d.name);
            char *err = NULL;
            write_config(f, text);
            struct config *cfg = config_load(f->path, 0, &err);
            assert_true(err == NULL || strstr(err, "unknown key") == NULL);
            config_free(cfg);
            free(err);
            free(text);
        }
        assert_true(n >= 6);
        char *text = xasprintf("%snot_a_key = x\n", headers[s]);
        char *err = NULL;
        write_config(f, text);
        assert_null(config_load(f->path, 0, &err));
        assert_non_null(strstr(err, "unknown key 'not_a_key'"));
        free(err);
        free(text);
    }
    struct config_key_doc d;
    assert_int_equal(config_key_doc(CONFIG_SECTION_TACTFUL, 0, &d), 0);
    assert_string_equal(d.name, "officer");
    assert_int_equal(config_key_doc(CONFIG_SECTION_TACTFUL, 1000, &d), -1);
}

/* The [searches] section: each a checked query, kept in file order. */
static void
test_searches_section(void **state)
{
    struct config *cfg = load_ok(*state, "[searches]\nmine = assignee:sam.patel\n"
                                         "bins = bin -state:closed\n");
    assert_int_equal(cfg->nsearches, 2);
    assert_string_equal(cfg->searches[0].name, "mine");
    assert_string_equal(cfg->searches[0].query, "assignee:sam.patel");
    assert_string_equal(cfg->searches[1].name, "bins");
    assert_int_equal(cfg->searches[1].line, 3);
    config_free(cfg);
    load_fails(*state, "[searches]\nx = state:nope\ny = a\ny = b\n",
               "2: [searches] x: unknown state 'nope'; states are new, to_reply, waiting, "
               "replied, no_action, escalated and closed\n"
               "4: duplicate key 'y' in [searches] (first at line 3)");
}

/* The [colours] section: descriptions parsed into colours and attributes, mistakes refused
 * with the line and how to write them. */
static void
test_colours_section(void **state)
{
    struct config *cfg = load_ok(*state, "[colours]\ncursor = black on cyan\n"
                                         "unread = bold underline yellow\nbar = on default\n");
    assert_int_equal(cfg->ncolours, 3);
    assert_string_equal(cfg->colours[0].role, "cursor");
    assert_int_equal(cfg->colours[0].fg, 0);
    assert_int_equal(cfg->colours[0].bg, 6);
    assert_int_equal(cfg->colours[0].attrs, 0);
    assert_int_equal(cfg->colours[0].line, 2);
    assert_int_equal(cfg->colours[1].fg, 3);
    assert_int_equal(cfg->colours[1].bg, CONFIG_COLOUR_DEFAULT);
    assert_int_equal(cfg->colours[1].attrs, CONFIG_ATTR_BOLD | CONFIG_ATTR_UNDERLINE);
    assert_int_equal(cfg->colours[2].fg, CONFIG_COLOUR_DEFAULT);
    assert_int_equal(cfg->colours[2].bg, CONFIG_COLOUR_DEFAULT);
    config_free(cfg);
    load_fails(*state, "[colours]\ncursor = black on\ncursor = red\nbar = teal\n"
                       "dim = red bold\n[colours]\n",
               "2: [colours] cursor: 'on' needs a background colour after it\n"
               "4: [colours] bar: 'teal' is not a colour or an attribute; write [bold] "
               "[underline] [reverse] [dim] [COLOUR] [on COLOUR], COLOUR being black, red, "
               "green, yellow, blue, magenta, cyan, white or default\n"
               "5: [colours] dim: put the attribute 'bold' before the colours\n"
               "6: duplicate section [colours] (first at line 1)");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_full_example),
        cmocka_unit_test(test_colours_section),
        cmocka_unit_test(test_searches_section),
        cmocka_unit_test(test_file_open_regular),
        cmocka_unit_test(test_valid_variants),
        cmocka_unit_test(test_comments_and_quotes),
        cmocka_unit_test(test_long_values),
        cmocka_unit_test(test_section_errors),
        cmocka_unit_test(test_key_errors),
        cmocka_unit_test(test_account_errors),
        cmocka_unit_test(test_several_errors),
        cmocka_unit_test(test_error_cap),
        cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_ini_knobs_restored),
        cmocka_unit_test(test_account_find),
        cmocka_unit_test(test_officer_precedence),
        cmocka_unit_test(test_ca_file_and_language),
        cmocka_unit_test(test_sync_interval_and_notify),
        cmocka_unit_test(test_key_docs_are_the_accepted_keys),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}

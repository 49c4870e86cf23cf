/* Regex rules' leads (model/guard_relead.c): which expressions have leads and what they are;
 * and that a rule tried only where its leads stand finds exactly what PCRE2 finds searching
 * the whole text, at text starts and ends, sentence starts, capitals, overlapping leads, and
 * on texts with the characters PCRE2 folds to ASCII letters (the Kelvin sign, the long s). */
#include "guardtest.h"

#include "model/guard_impl.h"

/* Reads the leads of pattern. */
static struct guard_relead
leads_of(const char *pattern, bool case_sensitive)
{
    struct guard_relead l;
    guard_relead_find(pattern, case_sensitive, false, &l);
    return l;
}

/* Asserts that pattern has exactly the leads listed (a NULL-ended list), in any order. */
static void
assert_leads(const char *pattern, bool case_sensitive, const char *const *want)
{
    struct guard_relead l = leads_of(pattern, case_sensitive);
    size_t n = 0;
    while (want[n])
        n++;
    if (l.kind != RELEAD_LITS || l.n != n)
        fail_msg("%s: kind %d with %zu leads, expected %zu", pattern, l.kind, l.n, n);
    for (size_t i = 0; i < n; i++) {
        bool found = false;
        for (size_t j = 0; j < l.n && !found; j++)
            found = strlen(want[i]) == l.leads[j].len &&
                    memcmp(want[i], l.leads[j].text, l.leads[j].len) == 0;
        if (!found)
            fail_msg("%s: no lead '%s'", pattern, want[i]);
    }
}

static void
test_leads_read(void **state)
{
    (void)state;
    assert_leads("\\b(?:send|give|tell\\s+us)\\b", false,
                 (const char *const[]){"send", "give", "tell", NULL});
    assert_leads("(?<![\\w])!{2,}|\\?{2,}|[!?]{3,}", false,
                 (const char *const[]){"!", "?", "!", "?", NULL});
    assert_leads("colou?r", false, (const char *const[]){"colo", NULL});
    assert_leads("\\b(?i:At|From)\\s+no\\.", true, (const char *const[]){"at", "from", NULL});
    assert_leads("\\b(?:WILL|SHALL)\\b", true, (const char *const[]){"WILL", "SHALL", NULL});
    assert_leads("(that is|it's) (a|an)? false", false,
                 (const char *const[]){"that is", "it's", NULL});
    assert_leads("e\\.g\\.", false, (const char *const[]){"e.g.", NULL});
    /* Dashes and curly quotes have no other case: they lead in caseless expressions too. */
    assert_leads("(?:[\u2013\u2014]|(?<!\\w)-)[ \\t]*x", false,
                 (const char *const[]){"\u2013", "\u2014", "-", NULL});
    /* Other characters lead an expression that is not caseless, as they are; a caseless one
     * ends its lead before them (they have other cases). */
    assert_leads("(?:L\u00f4n|T\u0177|Heol)\\s", true,
                 (const char *const[]){"L\u00f4n", "T\u0177", "Heol", NULL});
    assert_leads("(?:L\u00f4n|T\u0177|Heol)\\s", false,
                 (const char *const[]){"l", "t", "heol", NULL});
    assert_leads("(?:ab|(?i:L\u00f4n))c", true, (const char *const[]){"ab", "l", NULL});
    assert_int_equal(leads_of("(?i)(?:^|(?<=[.!?:]\\s)|(?<=\\n))[ \\t]*anyway", false).kind,
                     RELEAD_SENTENCE);
    /* A leading (?m) changes only what ^ and $ match: the leads are read past it (but a
     * sentence start is not taken, ^ matching after more than a newline then). */
    assert_leads("(?m)^send", false, (const char *const[]){"send", NULL});
    assert_leads("(?m)(?:Kind regards|Regards)[,.]?$", true,
                 (const char *const[]){"Kind regards", "Regards", NULL});
    assert_int_equal(leads_of("(?m)(?:^|(?<=[.!?:]\\s)|(?<=\\n))x", false).kind, RELEAD_NONE);
    /* A lookbehind of a class of punctuation leads when what follows does not: a match starts
     * right after one of its characters. */
    assert_leads("(?<=[.!?])[ \\t]+\\p{Lu}", true, (const char *const[]){".", "!", "?", NULL});
    assert_int_equal(leads_of("(?<=[.!?])[ \\t]+x", true).leads[0].after, 1);
    assert_int_equal(leads_of("(?<=[.!?])\\s*Yes", true).leads[0].after, 1);
    assert_leads("(?<=[.!?]) Yes", true, (const char *const[]){" Yes", NULL});
    /* No leads: a class of letters first, an optional start, an alternative without one,
     * options, a reset match start, a sentence start with another alternative beside it. */
    const char *const none[] = {
        "\\b[a-z]+@",       "(?:x)?y",       "s?end",   "send|",         "(?s)^send",
        "(?<=[a-z])\\s+x", "(?<![.!?])\\s+x", "(?<=[.!?]x)\\s+x", "(?<=[^.])\\s+x",
        "send\\Kit",        "\\Qsend\\E",    "(*UCP)send", "(?x) s e n d", "send|\\w+",
        "(?:^|(?<=[.!?:]\\s)|(?<=\\n))x|y", "(?:send|)", "[ ]+x",
    };
    for (size_t i = 0; i < sizeof none / sizeof *none; i++)
        if (leads_of(none[i], false).kind != RELEAD_NONE)
            fail_msg("%s: has leads", none[i]);
    /* A literal every match holds somewhere: the longest run of plain characters at the top
     * level, not read inside escapes' braces, hex digits or properties. */
    static const struct {
        const char *pattern, *req;
    } reqs[] = {
        {"\\b[a-z]+\\s+dot\\s+[a-z]+\\s+at\\b", "dot"},
        {"\\p{Lu}\\p{Ll}+ x", " x"},
        {"\\x41bc\\x{200d}", "bc"},
        {"[a-z]+(?:that|this)\\.?", NULL},
        {"\\d+ ?kg", "kg"},
        {"[a-z]+ dot|[0-9]+ dot", NULL},
    };
    for (size_t i = 0; i < sizeof reqs / sizeof *reqs; i++) {
        struct guard_relead r = leads_of(reqs[i].pattern, false);
        if (reqs[i].req == NULL ? r.has_req
                                : !r.has_req || r.req.len != strlen(reqs[i].req) ||
                                      memcmp(r.req.text, reqs[i].req, r.req.len) != 0)
            fail_msg("%s: required '%.*s', expected '%s'", reqs[i].pattern,
                     r.has_req ? r.req.len : 0, r.req.text, reqs[i].req ? reqs[i].req : "");
    }
    /* A group every match holds somewhere, each of its alternatives with leads. */
    static const struct {
        const char *pattern;
        size_t nanyof;
    } groups[] = {
        {"\\d+\\s+(?:street|road)\\b", 2},
        {"\\d+\\s+(?:street|road)?\\b", 0},
        {"\\d+(?:x|[a-z])", 0},
        {"\\d(?:ab|cd)|x", 0},
        {"\\d(?=ab|cd)", 0},
        {"(nid yw|dyw) (hyn|hwn) (yn wir|'n wir)", 2},
    };
    for (size_t i = 0; i < sizeof groups / sizeof *groups; i++)
        if (leads_of(groups[i].pattern, false).nanyof != groups[i].nanyof)
            fail_msg("%s: %zu leads of a required group, expected %zu", groups[i].pattern,
                     leads_of(groups[i].pattern, false).nanyof, groups[i].nanyof);
    /* An expression compiled to fail closed keeps failing closed: no leads. */
    struct guard_relead l;
    guard_relead_find("\\bsend\\b", false, true, &l);
    assert_int_equal(l.kind, RELEAD_NONE);
}

/* Where PCRE2 finds pattern in text searching all of it, as the rules run it (empty matches
 * left out), in "start-end " form. */
static char *
pcre2_places(const char *pattern, bool case_sensitive, const char *text)
{
    int code;
    PCRE2_SIZE off;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
                                   PCRE2_UTF | PCRE2_UCP | (case_sensitive ? 0 : PCRE2_CASELESS),
                                   &code, &off, NULL);
    assert_non_null(re);
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, NULL);
    struct buf b = {0};
    size_t len = strlen(text), pos = 0;
    while (pos <= len && pcre2_match(re, (PCRE2_SPTR)text, len, pos, 0, md, NULL) >= 0) {
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
        if (ov[1] > ov[0]) {
            buf_printf(&b, "%zu-%zu ", (size_t)ov[0], (size_t)ov[1]);
            pos = ov[1];
        } else {
            pos = ov[1] + 1;
            while (pos < len && ((unsigned char)text[pos] & 0xc0) == 0x80)
                pos++;
        }
    }
    pcre2_match_data_free(md);
    pcre2_code_free(re);
    return buf_take(&b);
}

/* Where rule tone.leadtest finds its matches in text, in the same form. */
static char *
rule_places(const struct guard *g, const char *text)
{
    struct guard_result r = gt_check_all(g, text);
    struct buf b = {0};
    for (size_t i = 0; i < r.n; i++)
        if (strcmp(r.findings[i].rule, "tone.leadtest") == 0)
            buf_printf(&b, "%zu-%zu ", r.findings[i].start, r.findings[i].end);
    guard_result_free(&r);
    return buf_take(&b);
}

static void
test_same_matches_as_pcre2(void **state)
{
    (void)state;
    static const struct {
        const char *pattern;
        bool case_sensitive;
    } rules[] = {
        {"\\b(?:send|give|tell\\s+us)\\b", false},
        {"(?i)(?:^|(?<=[.!?:]\\s)|(?<=\\n))[ \\t]*(?:anyway|moving on)[ \\t]*[.!]+", false},
        {"(?<!well done)!{2,}|\\?{2,}|[!?]{3,}", false},
        {"colou?r", false},
        {"\\bkelvin\\b", false},
        {"\\b(?i:at|from)\\s+number\\s*\\d+", true},
        {"(?:it is|that is) (?:a|an)? ?(?:false|untrue)", false},
        {"\\b(?:WILL|SHALL)\\b", true},
        {"(?:ab|ba)+", false},
        {"\\b[a-z]+\\s+dot\\s+[a-z]+", false},
        {"\\p{Lu}\\p{Ll}+ said", true},
        {"\\x41\\x{42}c", false},
        {"\\d+\\s+(?:street|road)\\b", false},
        {"(?:[\u2013\u2014]|(?<!\\w)-)[ \\t]*\\p{Lu}", false},
        {"\\d\\s+(?:L\u00f4n|T\u0177|Heol)\\b", true},
        {"\\d\\s+(?:L\u00f4n|T\u0177|Heol)\\b", false},
        {"\\d\\s+(?:Caf\u00e9|Heol)\\b", false},
        {"(?:L\u00f4n|T\u0177)\\b", true},
        {"(?<=[.!?])[ \\t]+\\p{Lu}\\p{Ll}{1,14}\\b", true},
        {"(?<=[.!?:])\\s*\\w", false},
        {"(?m)(?:Anyway|Send)[,!.]?[ \\t]*$", true},
        {"(?m)^\\s*(?:anyway|send)\\b", false},
    };
    static const char *const texts[] = {
        "Please send it. Anyway... Moving on!! What?? Really?!? colour color colouur",
        "Send us the form, we will GIVE it back; tell  us more.\nanyway!",
        "A.\xc2\xa0" "anyway. And:\xe2\x80\x83moving on!",
        "\xe2\x84\xaa" "elvin and \xc5\xbf" "end it, KELVIN said",
        "Come at number 4 or from  Number 12. It is a false claim. That is  untrue.",
        "WILL we? we will. SHALL: will",
        "!!!",
        "anyway.",
        "abababa baba ab",
        "Well done!! Send it??",
        "jo dot bloggs, Lu said, Ann said, \xe2\x84\xaa DOT \xc5\xbf, abc ABC",
        "12 Road, 4  STREET, 9 roads \u2013 Jo \u2014Ann a-B - Cy",
        "4 L\u00f4n, 5 L\u00d4N, 6 Lon, 7 T\u0177 8 t\u0177 9 T\u0176 2 Heol, 3 CAF\u00c9 1 Caf\u00e9",
    };
    for (size_t i = 0; i < sizeof rules / sizeof *rules; i++) {
        char *policy = xasprintf("[tone.leadtest]\nkind = regex\nlevel = warning\n"
                                 "message = Found.\ncase = %s\nmatch = %s\n",
                                 rules[i].case_sensitive ? "sensitive" : "insensitive",
                                 rules[i].pattern);
        struct guard *g = gt_shipped(policy, NULL);
        free(policy);
        assert_non_null(g);
        for (size_t j = 0; j < sizeof texts / sizeof *texts; j++) {
            char *want = pcre2_places(rules[i].pattern, rules[i].case_sensitive, texts[j]);
            char *got = rule_places(g, texts[j]);
            if (strcmp(want, got) != 0)
                fail_msg("%s on '%s': found at %s, PCRE2 at %s", rules[i].pattern, texts[j],
                         got, want);
            free(want);
            free(got);
        }
        guard_free(g);
    }
}

/* Expressions of shipped rules rewritten to run quicker (a rule file holds the new form): each
 * finds what the form it replaced found, on texts made to match it in the ways it can. */
static void
test_rewritten_rules_same_matches(void **state)
{
    (void)state;
    static const struct {
        const char *before, *after;
        bool case_sensitive;
        const char *texts[4];
    } rules[] = {
        /* personal-data.email-named: (*SKIP) past a word it cannot go on from. */
        {"(?<![a-z0-9_])\\b[a-z][a-z'-]*+(?:\\s+dot\\s+|[._])[a-z][a-z'-]*+(?:\\s+at\\s+|\\s+@"
          "\\s*|\\s*@\\s+|\\s*[\\[(]\\s*(?:at|@)\\s*[\\])]\\s*)[a-z][\\w-]*+(?:(?:\\s+dot\\s+|\\s?\\.\\s"
          "?)[a-z][\\w-]*+)*?(?:\\s+dot\\s+|\\s\\.\\s?|\\.\\s)(?:com|co|uk|org|net|gov|nhs|ac|sch"
          "|police|me|io|wales|scot|cymru)\\b",
         "(?<![a-z0-9_])\\b[a-z][a-z'-]*+(*SKIP)(?:\\s+dot\\s+|[._])[a-z][a-z'-]*+(?:\\s+at\\"
          "s+|\\s+@\\s*|\\s*@\\s+|\\s*[\\[(]\\s*(?:at|@)\\s*[\\])]\\s*)[a-z][\\w-]*+(?:(?:\\s+dot\\s+|"
          "\\s?\\.\\s?)[a-z][\\w-]*+)*?(?:\\s+dot\\s+|\\s\\.\\s?|\\.\\s)(?:com|co|uk|org|net|gov|nhs"
          "|ac|sch|police|me|io|wales|scot|cymru)\\b",
         false,
         {"mail jo.smith at example dot com or o'neil-x.b @ nhs.uk, a.b.c at d dot co dot uk",
          "j.o'b_x [at] gmail . com; ann_lee(at)mail.org and x.y@z.com. jo dot bo at ex.co.uk",
          "www.northmoor.gov.uk at home, e.g. me.too at x\u212a dot com, \u017fam.b at c.net",
          "jo.smith  at  example.com! mary-ann.o'brien @ex dot org\nsue.d at d . uk"}},
        /* self-id.name: 'My|my' as a group of the two words, for leads. */
        {"\\b(?:I(?:'m|’m|\\s+am)|[Mm]y\\s+name(?:'s|\\s+is))\\s+\\p{Lu}\\p{Ll}+(?:\\s+\\p{Lu}\\p{"
          "Ll}+)?\\s+(?:from|at|in|on|here)\\b",
         "\\b(?:I(?:'m|’m|\\s+am)|(?:My|my)\\s+name(?:'s|\\s+is))\\s+\\p{Lu}\\p{Ll}+(?:\\s+\\p{Lu"
          "}\\p{Ll}+)?\\s+(?:from|at|in|on|here)\\b",
         true,
         {"Hi, my name is Jo Smith from the council. My name's Ann here",
          "I'm Sam Lee at the desk; I am Bob in Leeds. MY NAME IS Al from",
          "myname is Jo from, my  name  is Lu on time, I\u2019m Di here",
          "Emy name is Ed from. Amy name is Jo at home"}},
    };
    for (size_t i = 0; i < sizeof rules / sizeof *rules; i++) {
        size_t found = 0;
        for (size_t j = 0; j < 4; j++) {
            char *before = pcre2_places(rules[i].before, rules[i].case_sensitive,
                                        rules[i].texts[j]);
            char *after = pcre2_places(rules[i].after, rules[i].case_sensitive,
                                       rules[i].texts[j]);
            if (strcmp(before, after) != 0)
                fail_msg("rule %zu on '%s': found at '%s', before at '%s'", i,
                         rules[i].texts[j], after, before);
            found += strlen(before) > 0;
            free(before);
            free(after);
        }
        if (found < 3)
            fail_msg("rule %zu: only %zu of its texts have a match", i, found);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_leads_read),
        cmocka_unit_test(test_same_matches_as_pcre2),
        cmocka_unit_test(test_rewritten_rules_same_matches),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

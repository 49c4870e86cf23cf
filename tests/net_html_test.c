/* HTML to text: Mastodon and WordPress markup as they send it. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "net/html.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Converts html and compares with want. */
static void
check(const char *html, const char *want)
{
    char *got = html_to_text(html, strlen(html));
    if (strcmp(got, want) != 0)
        fail_msg("html_to_text(%s)\n  got: [%s]\n want: [%s]", html, got, want);
    free(got);
}

static void
test_paragraphs_and_breaks(void **state)
{
    (void)state;
    check("<p>First para.</p><p>Second<br>line two<br/>line three</p>",
          "First para.\n\nSecond\nline two\nline three");
    check("<p>one</p>\n\n<p>two</p>\n", "one\n\ntwo");
    check("  plain   text\n with  spaces ", "plain text with spaces");
    check("", "");
    check("<p></p>", "");
    check("<br><br>text", "text");
}

static void
test_mastodon_mentions_and_links(void **state)
{
    (void)state;
    /* A mention and a hashtag as Mastodon renders them. */
    check("<p><span class=\"h-card\"><a href=\"https://gov.example/@dept\" class=\"u-url "
          "mention\">@<span>dept</span></a></span> the bins on <a href=\"https://x.example/tags/"
          "elmstreet\" class=\"mention hashtag\" rel=\"tag\">#<span>ElmStreet</span></a> "
          "again</p>",
          "@dept the bins on #ElmStreet again");
    /* A long link split into invisible and ellipsis spans: the joined text is the URL. */
    check("<p>See <a href=\"https://www.northmoor.gov.uk/bins/collections/2026\" rel=\"nofollow "
          "noopener\" target=\"_blank\"><span class=\"invisible\">https://www.</span><span "
          "class=\"ellipsis\">northmoor.gov.uk/bins/collecti</span><span class=\"invisible\">"
          "ons/2026</span></a> please</p>",
          "See https://www.northmoor.gov.uk/bins/collections/2026 please");
    /* Link text cut short with an ellipsis: the address replaces it. */
    check("<a href=\"https://example.org/a/very/long/path\">example.org/a/very/lo…</a>",
          "https://example.org/a/very/long/path");
    check("<a href=\"https://example.org/x\">example.org/x...</a>", "https://example.org/x");
    check("<a href=\"https://example.org/page\">the consultation page</a>",
          "the consultation page");
    check("<a href=\"javascript:alert(1)\">click…</a>", "click…");
}

static void
test_entities_and_wordpress(void **state)
{
    (void)state;
    check("<p>It&#8217;s &#8220;fine&#8221; &amp; done &lt;3 &hellip; caf&eacute;</p>\n",
          "It\xE2\x80\x99s \xE2\x80\x9C" "fine\xE2\x80\x9D & done <3 \xE2\x80\xA6 caf\xC3\xA9");
    check("a&nbsp;&nbsp;b", "a b");
    check("&#x1F600;", "\xF0\x9F\x98\x80");
}

static void
test_lists_quotes_pre(void **state)
{
    (void)state;
    check("<p>Options:</p><ul><li>one</li><li>two</li></ul><p>end</p>",
          "Options:\n\n- one\n- two\n\nend");
    check("<ol><li>first</li><li>second</li></ol>", "1. first\n2. second");
    check("<blockquote><p>quoted</p></blockquote><p>reply</p>", "quoted\n\nreply");
    check("<p>code:</p><pre>  keep\n   this</pre>", "code:\n\n  keep\n   this");
    check("<p>x <strong>bold</strong> <em>it</em> <del>no</del> <code>c()</code></p>",
          "x bold it no c()");
}

static void
test_hostile_input(void **state)
{
    (void)state;
    check("<script>alert(1)</script><style>p{}</style><p>safe</p>", "safe");
    check("<p>unclosed <b>bold <i>both", "unclosed bold both");
    check("<img src=x alt=\"a chart\"> caption", "[a chart] caption");
    /* The parser drops C0 controls, so no escape sequence survives in HTML content (plain
     * text keeps them: the display sanitizer deals with those). */
    check("<p>\x1b]0;title\x07 hi</p>", "]0;title hi");
    check("no markup \x1b[31m red", "no markup \x1b[31m red");
    /* Deep nesting and huge input are bounded. */
    size_t n = 20000;
    char *deep = malloc(n * 5 + 16);
    char *p = deep;
    for (size_t i = 0; i < n; i++)
        p += sprintf(p, "<div>");
    strcpy(p, "bottom");
    char *got = html_to_text(deep, strlen(deep));
    assert_true(strlen(got) <= HTML_MAX_OUTPUT);
    free(got);
    free(deep);
    size_t big = HTML_MAX_INPUT * 2;
    char *huge = malloc(big + 1);
    for (size_t i = 0; i < big; i += 8)
        memcpy(huge + i, "<p>ab</p", 8);
    huge[big] = '\0';
    got = html_to_text(huge, big);
    assert_true(strlen(got) <= HTML_MAX_OUTPUT);
    assert_true(strlen(got) > 1000);
    free(got);
    free(huge);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_paragraphs_and_breaks),
        cmocka_unit_test(test_mastodon_mentions_and_links),
        cmocka_unit_test(test_entities_and_wordpress),
        cmocka_unit_test(test_lists_quotes_pre),
        cmocka_unit_test(test_hostile_input),
    };
    return cmocka_run_group_tests_name("net_html", tests, NULL, NULL);
}

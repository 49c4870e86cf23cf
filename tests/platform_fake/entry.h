/* The one table entry of the fake platform: what tests/platform_fake_test.c adds to
 * model/platform_list.h (with -DTACTFUL_PLATFORM_EXTRA naming this file). */
PLATFORM(fakebook,
         .label = "Fakebook", .short_name = "fb", .user = "the Fakebook page name",
         .counting = PLATFORM_COUNT_GRAPHEMES, .max_chars = 120,
         .help = "a platform that exists only in the tests")

/* Personal-data scanners: each identifier in its usual and evasive forms, and the near
 * misses that must stay quiet (service lines, public references, product codes, dates). */
#include "guardtest.h"

#include "model/guard_impl.h"

static int
setup(void **state)
{
    *state = gt_shipped("[allow]\ncontact = 01632 960000\ncontact = NM1 1AA\n", NULL);
    return 0;
}

static int
teardown(void **state)
{
    guard_free(*state);
    return 0;
}

static void
test_phone_forms(void **state)
{
    const struct guard *g = *state;
    gt_fires(g, "Call Dave on 07700 900123 today.", "personal-data.phone", "07700 900123");
    gt_fires(g, "Ring 07700900123.", "personal-data.phone", "07700900123");
    gt_fires(g, "His number is 07700.900.123", "personal-data.phone", "07700.900.123");
    gt_fires(g, "Try 07700-900-123 after six.", "personal-data.phone", "07700-900-123");
    gt_fires(g, "Call 0 7 7 0 0 9 0 0 1 2 3 now", "personal-data.phone",
             "0 7 7 0 0 9 0 0 1 2 3");
    gt_fires(g, "Reach her on +44 7700 900123.", "personal-data.phone", "+44 7700 900123");
    gt_fires(g, "Or +44 (0)7700 900123.", "personal-data.phone", "+44 (0)7700 900123");
    gt_fires(g, "Landline 01632 960412, evenings.", "personal-data.phone", "01632 960412");
    gt_fires(g, "Call (01632) 960412.", "personal-data.phone", "(01632) 960412");
    gt_fires(g, "Text 07700\xC2\xA0" "900123 please", "personal-data.phone", NULL);
    gt_fires(g, "Call 07700 900123 2 times", "personal-data.phone", "07700 900123");
}

static void
test_phone_near_misses(void **state)
{
    const struct guard *g = *state;
    /* Service lines are published, not personal. */
    gt_quiet(g, "Call our contact centre on 0300 123 4567.", "personal-data.");
    gt_quiet(g, "The DWP helpline is 0800 328 5644.", "personal-data.");
    gt_quiet(g, "Freephone 0808 157 0192 any time.", "personal-data.");
    /* The office's own number, allowed by the policy, in any format. */
    gt_quiet(g, "Call the switchboard on 01632 960000.", "personal-data.");
    gt_quiet(g, "Call the switchboard on +44 1632 960000.", "personal-data.");
    /* A dash after it is not a number spread out to hide it. */
    gt_quiet(g, "Call our repairs line on 01632 960000 – it's open 24 hours a day.",
             "personal-data.");
    /* Dates, times, money and counts. */
    gt_quiet(g, "The meeting is on 01.12.2025 at 10.30 in room 2.", "personal-data.");
    gt_quiet(g, "Open 09.00-17.00, Monday to Friday.", "personal-data.");
    gt_quiet(g, "Over 1,100 subscribers and 6,500 tonnes of salt.", "personal-data.");
    gt_quiet(g, "Bins 1 2 3 4 5 6 7 8 9 10 are on the list.", "personal-data.");
    gt_quiet(g, "It cost £2,100,000 in 2024 and 2025.", "personal-data.");
    /* Too short or too long for a UK number. */
    gt_quiet(g, "Order 0770 090 from the catalogue.", "personal-data.phone");
    /* Digits inside links and handles are not phone numbers. */
    gt_quiet(g, "See https://www.northmoor.gov.uk/news/07700900123 for more.",
             "personal-data.");
}

static void
test_email(void **state)
{
    const struct guard *g = *state;
    gt_fires(g, "Write to ruth.williams84@gmail.com today.", "personal-data.email",
             "ruth.williams84@gmail.com");
    gt_fires(g, "Try JO_SMITH@Hotmail.CO.UK", "personal-data.email", "JO_SMITH@Hotmail.CO.UK");
    /* Official mailboxes are not personal data. */
    gt_quiet(g, "Email libraries@northmoor.gov.uk or contact@nhs.net.", "personal-data.");
    /* A Mastodon handle is not an e-mail address. */
    gt_quiet(g, "Thanks @dan_p@mstdn.example for the tip.", "personal-data.");
}

static void
test_nino(void **state)
{
    const struct guard *g = *state;
    gt_fires(g, "Her NI number is AB123456C.", "personal-data.nino", "AB123456C");
    gt_fires(g, "Use JT 84 29 17 D for that.", "personal-data.nino", "JT 84 29 17 D");
    gt_fires(g, "Spaced: ab 12.34.56 c", "personal-data.nino", "ab 12.34.56 c");
    /* Prefixes never issued: first letter D, F, I, Q, U, V; second letter D, F, I, O, Q, U,
     * V; the pairs BG, GB, KN, NK, NT, TN and ZZ (QQ is HMRC's example). */
    gt_quiet(g, "The example is QQ 12 34 56 C.", "personal-data.nino");
    gt_quiet(g, "Code GB123456A on the form.", "personal-data.nino");
    gt_quiet(g, "Code AO123456A on the form.", "personal-data.nino");
    gt_quiet(g, "Code ZZ123456A on the form.", "personal-data.nino");
    /* The last letter is A to D. */
    gt_quiet(g, "Product AB123456E is in stock.", "personal-data.nino");
    /* Mixed case is not how anyone writes one. */
    gt_quiet(g, "Product Ab123456C is in stock.", "personal-data.nino");
}

/* The checks behind the scanners, directly. */
static void
test_check_functions(void **state)
{
    (void)state;
    assert_true(guard_luhn_valid("4111111111111111", 16));
    assert_true(guard_luhn_valid("79927398713", 11));
    assert_false(guard_luhn_valid("4111111111111112", 16));
    assert_false(guard_luhn_valid("1234567812345678", 16));
    assert_false(guard_luhn_valid("12a4", 4));
    assert_true(guard_nino_prefix_valid('A', 'B'));
    assert_true(guard_nino_prefix_valid('j', 't'));
    static const char *const bad[] = {"QQ", "DA", "FA", "IA", "UA", "VA", "AD", "AF", "AI",
                                      "AO", "AQ", "AU", "AV", "BG", "GB", "KN", "NK", "NT",
                                      "TN", "ZZ", "A1"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (guard_nino_prefix_valid(bad[i][0], bad[i][1]))
            fail_msg("prefix %s accepted", bad[i]);
    char norm[32];
    assert_int_equal(guard_normalise("HR-2026 / 04417", 15, norm, sizeof norm), 11);
    assert_string_equal(norm, "hr202604417");
    snprintf(norm, sizeof norm, "447700900123");
    guard_canon_phone(norm);
    assert_string_equal(norm, "07700900123");
    snprintf(norm, sizeof norm, "4407700900123");
    guard_canon_phone(norm);
    assert_string_equal(norm, "07700900123");
}

static void
test_card_luhn(void **state)
{
    const struct guard *g = *state;
    gt_fires(g, "Card 4111 1111 1111 1111 was used.", "personal-data.card",
             "4111 1111 1111 1111");
    gt_fires(g, "Card 5500-0000-0000-0004.", "personal-data.card", "5500-0000-0000-0004");
    gt_fires(g, "Amex 378282246310005 ok", "personal-data.card", "378282246310005");
    /* Sixteen digits that fail the Luhn check are not a card. */
    gt_quiet(g, "Tracking 4111 1111 1111 1112 is with the courier.", "personal-data.card");
    gt_quiet(g, "Serial 1234567812345678 on the meter.", "personal-data.");
}

static void
test_nhs_number(void **state)
{
    const struct guard *g = *state;
    gt_fires(g, "Your NHS number 943 476 5919 is on the letter.", "personal-data.nhs",
             "943 476 5919");
    gt_fires(g, "NHS no: 9434765919", "personal-data.nhs", "9434765919");
    /* A wrong check digit, or ten digits with no sign of the NHS. */
    gt_quiet(g, "Your NHS number 943 476 5918 is on the letter.", "personal-data.nhs");
    gt_quiet(g, "Meter reading 9434765919 today.", "personal-data.nhs");
}

static void
test_postcode_and_address(void **state)
{
    const struct guard *g = *state;
    gt_fires(g, "Missed bin at NM4 7QX again.", "personal-data.postcode", "NM4 7QX");
    gt_fires(g, "Missed bin at nm4 7qx again.", "personal-data.postcode", "nm4 7qx");
    gt_fires(g, "Post it to SW1A 1AA please", "personal-data.postcode", "SW1A 1AA");
    gt_fires(g, "Post it to EC1V9HX please", "personal-data.postcode", "EC1V9HX");
    gt_fires(g, "The bin at 14 Fenwick Street was missed.", "personal-data.address",
             "14 Fenwick Street");
    gt_fires(g, "Leak at Flat 12, Ashby Court again.", "personal-data.address",
             "Flat 12, Ashby Court");
    gt_fires(g, "Outside 3a Beck Side Lane now.", "personal-data.address", "3a Beck Side Lane");
    /* Outward codes alone, mixed case, invalid letters, and the office's own address. */
    gt_quiet(g, "Buses serve NM4 and NM7 today.", "personal-data.");
    gt_quiet(g, "Code Nm4 7qX is not a postcode.", "personal-data.postcode");
    gt_quiet(g, "Version QA1 1AA of the form.", "personal-data.postcode");
    /* The office's own or a public building's postcode is not someone's home; a home or a
     * named person's between them still is. */
    gt_quiet(g, "We're at Unit 3, Rowan Court, off Station Road, Harrowgate HW3 2DA.",
             "personal-data.postcode");
    gt_quiet(g, "Drop them at our office at Stainton Wharf, Wharf Road, NM4 2QP, open 9 to 4.",
             "personal-data.postcode");
    gt_quiet(g, "Find us at the Town Hall, NM1 2AB.", "personal-data.postcode");
    gt_fires(g, "The library sent it to your home at NM4 7QT.", "personal-data.postcode",
             "NM4 7QT");
    gt_fires(g, "Our records show Mrs Walsh at 7 Alder Court, NM4 2RT, reported it.",
             "personal-data.postcode", "NM4 2RT");
    gt_quiet(g, "Visit us at the Town Hall, NM1 1AA.", "personal-data.");
    /* A street address written with the office's own postcode is the office's; with another
     * postcode, or the office's on a later line, it is still someone's. */
    gt_quiet(g, "Drop a cheque at our front desk: Riverside House, 1 Market Street, Northmoor "
                "NM1 1AA.", "personal-data.");
    gt_fires(g, "Drop it at 1 Market Street, Northmoor NM4 7QX.", "personal-data.address",
             "1 Market Street");
    gt_fires(g, "He lives at 1 Market Street.\nOur desk: NM1 1AA.", "personal-data.address",
             "1 Market Street");
    /* Streets without a house number, counts and years. */
    gt_quiet(g, "The pothole on Green Street has been filled.", "personal-data.");
    gt_quiet(g, "Over 200 Station Road residents replied.", "personal-data.address");
    gt_quiet(g, "In 2026 Station Road will be resurfaced.", "personal-data.address");
    gt_quiet(g, "We've resurfaced 3 main road junctions.", "personal-data.address");
    gt_quiet(g, "The tip at Unit 4, Hollin Lane is open.", "personal-data.address");
    gt_quiet(g, "The 12 Chapel Street office is closed.", "personal-data.address");
    gt_fires(g, "We sent someone to 7 Kiln Row today.", "personal-data.address", "7 Kiln Row");
    /* A public building's address is not a home's; a home named beside it still is. */
    gt_quiet(g, "The new hub at 12 High Street opens on Monday.", "personal-data.address");
    gt_quiet(g, "It's at Ashton Library, 4 Victoria Street.", "personal-data.address");
    gt_fires(g, "The school bus stops outside her house, 14 Fenwick Street.",
             "personal-data.address", "14 Fenwick Street");
    gt_fires(g, "The clinic sent Jo's letter to Flat 2, 14 Fenwick Street.",
             "personal-data.address", NULL);
}

static void
test_date_of_birth(void **state)
{
    const struct guard *g = *state;
    gt_fires(g, "Record found (DOB 12/03/1944).", "personal-data.dob", "DOB 12/03/1944");
    gt_fires(g, "Her D.O.B. is 3 March 1985.", "personal-data.dob", NULL);
    gt_fires(g, "Born on 14.07.1938 in Leeds.", "personal-data.dob", "Born on 14.07.1938");
    gt_fires(g, "My dad was born in 1944.", "personal-data.dob", "born in 1944");
    /* A year group or an exhibition's title is nobody's birthday. */
    gt_quiet(g, "Children born between 1 September 2022 and 31 August 2023 start in 2027.",
             "personal-data.dob");
    gt_quiet(g, "Children born on or after 1 September 2022 can apply.", "personal-data.dob");
    gt_quiet(g, "Yes: 'Born in 1927' runs at the museum until September.", "personal-data.dob");
    gt_fires(g, "The date of birth you gave, 3rd March 1985, matches.", "personal-data.dob",
             NULL);
    /* Dates that are not birthdays, and birthdays without a date. */
    gt_quiet(g, "The consultation ends on 12/03/2027.", "personal-data.");
    gt_quiet(g, "Bring proof of your date of birth to the library.", "personal-data.");
    gt_quiet(g, "Applications need a date of birth and must arrive by 12/03/2027.",
             "personal-data.dob");
}

static void
test_reference_numbers(void **state)
{
    const struct guard *g = *state;
    gt_fires(g, "We've chased repair ref HR-2026-04417 today.", "personal-data.reference",
             "repair ref HR-2026-04417");
    gt_fires(g, "Thanks, ref: HR-2026-04417.", "personal-data.reference", "ref: HR-2026-04417");
    gt_fires(g, "Council tax account 60041827 is fixed.", "personal-data.reference",
             "account 60041827");
    gt_fires(g, "Your case number is CS/2026/118204.", "personal-data.reference",
             "case number is CS/2026/118204");
    gt_fires(g, "Claim no. 1234 5678 is with the team.", "personal-data.reference",
             "Claim no. 1234 5678");
    /* Public planning references, product codes without a keyword, short numbers. */
    gt_quiet(g, "Planning application 26/01873/FUL is open for comments.", "personal-data.");
    gt_quiet(g, "The part is model RX-2000-B, now on order.", "personal-data.");
    gt_quiet(g, "In case 12 people turn up, book the big room.", "personal-data.");
    gt_quiet(g, "Order 66 was in the film.", "personal-data.");
    gt_quiet(g, "Your claim is being processed.", "personal-data.");
    /* A helpline named after the service is a phone line, not someone's reference. */
    gt_quiet(g, "Free help from Help to Claim: 0800 144 8 444.", "personal-data.");
    gt_quiet(g, "Call the claims line on 0345 600 0000.", "personal-data.");
    gt_fires(g, "Your claim number is 0800 1448 4441 2.", "personal-data.reference", NULL);
    /* A reference given with the planning register it is on is public; planning named on an
     * earlier line, or a reference with no register, is not enough. */
    gt_quiet(g, "Comment at https://www.example.gov.uk/planning (reference NP/26/0312) until May.",
             "personal-data.");
    gt_quiet(g, "The planning application, reference 26/0412/X, is on our site.", "personal-data.");
    gt_fires(g, "See our planning pages.\nYour case reference NP/26/0312 is with us.",
             "personal-data.reference", "case reference NP/26/0312");
    gt_fires(g, "Your case reference NP/26/0312 is with the planning team.",
             "personal-data.reference", "case reference NP/26/0312");
}

static void
test_asking_for_details(void **state)
{
    const struct guard *g = *state;
    gt_fires(g, "Please DM us your bank details.", "personal-data.ask", NULL);
    gt_fires(g, "Send us your National Insurance number.", "personal-data.ask", NULL);
    gt_fires(g, "What's your date of birth?", "personal-data.ask", NULL);
    /* Telling people not to, and ordinary requests by direct message. */
    gt_quiet(g, "Please don't post your account number here.", "personal-data.");
    gt_quiet(g, "We will never ask for your bank details by phone.", "personal-data.");
    gt_quiet(g, "Please send us your postcode by DM (not here!).", "personal-data.");
}

static void
test_echo_from_context(void **state)
{
    const struct guard *g = *state;
    const char *post = "@northmoor Housing repair HR-2026-04417, leak since September.";
    const char *draft = "Thanks Lena, we've chased HR 2026 04417 with the team.";
    struct guard_result r = gt_check_full(g, draft, post, NULL, NULL, NULL);
    const struct guard_finding *f = gt_find(&r, "personal-data.echo");
    if (f == NULL) {
        gt_dump(draft, &r);
        fail_msg("personal-data.echo did not fire");
    }
    assert_string_equal(f->category, "personal-data");
    assert_int_equal(f->severity, GUARD_ERROR);
    assert_int_equal(f->source, GUARD_DRAFT);
    assert_memory_equal(draft + f->start, "HR 2026 04417", 13);
    guard_result_free(&r);
    /* The same draft without the post is not an echo. */
    gt_quiet(g, draft, "personal-data.echo");
    /* A number that is in both but only as part of longer numbers is not an echo. */
    r = gt_check_full(g, "Call 0300 123 4567.", "Ref HR-2026-04417 again", NULL, NULL, NULL);
    assert_null(gt_find(&r, "personal-data.echo"));
    guard_result_free(&r);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_phone_forms),        cmocka_unit_test(test_phone_near_misses),
        cmocka_unit_test(test_email),              cmocka_unit_test(test_nino),
        cmocka_unit_test(test_card_luhn),          cmocka_unit_test(test_nhs_number),
        cmocka_unit_test(test_postcode_and_address), cmocka_unit_test(test_date_of_birth),
        cmocka_unit_test(test_reference_numbers),  cmocka_unit_test(test_asking_for_details),
        cmocka_unit_test(test_echo_from_context), cmocka_unit_test(test_check_functions),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

<?php
// Installs the loopback test site and seeds it; prints a shell-sourceable env file on stdout.
// Run by wordpress-up.sh as: php wp-seed.php   (the DB and /etc/wordpress config must exist)
// Mail is switched off (there is no sendmail); wp_install() would otherwise try to send one.

$_SERVER['HTTP_HOST'] = '127.0.0.1:8080';
$_SERVER['SERVER_NAME'] = '127.0.0.1';
$_SERVER['SERVER_PORT'] = '8080';
$_SERVER['REQUEST_URI'] = '/';
$_SERVER['REQUEST_METHOD'] = 'GET';
define('WP_INSTALLING', true);

// Pluggable: defined before WordPress loads, so its own wp_mail() is never declared.
function wp_mail($to, $subject, $message, $headers = '', $attachments = array()) {
    return true;
}

require '/usr/share/wordpress/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';

function fail($msg) {
    fwrite(STDERR, "wp-seed: $msg\n");
    exit(1);
}

if (is_blog_installed()) {
    fail('site already installed in this database; wordpress-up.sh recreates the database first');
}

$officer_pass = wp_generate_password(20, false);
$res = wp_install('Northmoor Borough Council (test)', 'officer', 'officer@northmoor.test', true, '',
                  $officer_pass);
$officer_id = (int) $res['user_id'];
wp_update_user(array('ID' => $officer_id, 'display_name' => 'Northmoor Council',
                     'first_name' => 'Sam', 'last_name' => 'Patel'));

// Pretty permalinks, so /wp-json/... is the REST API (rules are rebuilt on the next request).
update_option('permalink_structure', '/%postname%/');
delete_option('rewrite_rules');
update_option('comment_moderation', 0);
update_option('comment_previously_approved', 0);
update_option('require_name_email', 1);
update_option('thread_comments', 1);
update_option('thread_comments_depth', 10);
update_option('timezone_string', 'Europe/London');

// A subscriber (a resident with an account): subject to comment flood limits.
$resident_pass = wp_generate_password(20, false);
$resident_id = wp_insert_user(array(
    'user_login' => 'margaret', 'user_pass' => $resident_pass, 'user_email' => 'margaret@example.test',
    'display_name' => 'Margaret Hale', 'role' => 'subscriber'));
if (is_wp_error($resident_id)) fail('resident user: ' . $resident_id->get_error_message());

$app = WP_Application_Passwords::create_new_application_password($officer_id, array('name' => 'tactful'));
if (is_wp_error($app)) fail('application password: ' . $app->get_error_message());
$app_pass = $app[0];
$app2 = WP_Application_Passwords::create_new_application_password($resident_id, array('name' => 'tactful'));
if (is_wp_error($app2)) fail('application password (resident): ' . $app2->get_error_message());

$now = time();
function when($t) {
    return array(get_date_from_gmt(gmdate('Y-m-d H:i:s', $t)), gmdate('Y-m-d H:i:s', $t));
}

list($d, $g) = when($now - 3 * 86400);
$post_id = wp_insert_post(array(
    'post_title' => 'Winter gritting routes',
    'post_name' => 'winter-gritting-routes',
    'post_content' => "<p>From 1 November our gritters treat priority 1 routes whenever road "
        . "temperatures are forecast to fall below 1&nbsp;°C. Tell us about icy roads below.</p>",
    'post_status' => 'publish', 'post_author' => $officer_id, 'comment_status' => 'open',
    'post_date' => $d, 'post_date_gmt' => $g), true);
if (is_wp_error($post_id)) fail('post: ' . $post_id->get_error_message());

list($d, $g) = when($now - 5 * 86400);
$closed_id = wp_insert_post(array(
    'post_title' => 'Bin collections over Christmas',
    'post_name' => 'bin-collections-over-christmas',
    'post_content' => '<p>Collections move by one day in the weeks of 25 December and 1 January.</p>',
    'post_status' => 'publish', 'post_author' => $officer_id, 'comment_status' => 'closed',
    'post_date' => $d, 'post_date_gmt' => $g), true);
if (is_wp_error($closed_id)) fail('closed post: ' . $closed_id->get_error_message());

$officer = get_userdata($officer_id);
$resident = get_userdata($resident_id);
function add_comment($post, $parent, $ago, $author, $content, $approved = 1) {
    global $now;
    list($d, $g) = when($now - $ago);
    $c = array(
        'comment_post_ID' => $post, 'comment_parent' => $parent, 'comment_content' => $content,
        'comment_date' => $d, 'comment_date_gmt' => $g, 'comment_approved' => $approved,
        'comment_type' => 'comment', 'comment_agent' => 'tactful-seed',
        'comment_author_IP' => '127.0.0.1');
    if ($author instanceof WP_User) {
        $c['user_id'] = $author->ID;
        $c['comment_author'] = $author->display_name;
        $c['comment_author_email'] = $author->user_email;
    } else {
        $c['user_id'] = 0;
        $c['comment_author'] = $author[0];
        $c['comment_author_email'] = $author[1];
        $c['comment_author_url'] = isset($author[2]) ? $author[2] : '';
    }
    $id = wp_insert_comment(wp_slash($c));
    if (!$id) fail("comment by " . $c['comment_author'] . " failed");
    return (int) $id;
}

$zoe = array('Zoë Ferrand', 'zoe@example.test');
$dan = array('Dan Price', 'dan@example.test', 'https://dan.example.test/');
$h = 3600;
$c1 = add_comment($post_id, 0, 50 * $h, $resident,
    'Will Mill Lane be gritted before the school run? It was like glass on Tuesday.');
$c2 = add_comment($post_id, $c1, 47 * $h, $officer,
    "Thanks Margaret. Mill Lane is on our priority 1 route, so it is treated before 7am on frost nights.");
$c3 = add_comment($post_id, $c2, 30 * $h, $zoe,
    "Is that the whole lane or only up to the café? Past Brontë Court it was still icy at −3 °C this morning ❄️ — “treated” isn't how it felt!");
$c4 = add_comment($post_id, $c3, 20 * $h, $resident,
    'Same at the top end near the school gates.');
$c5 = add_comment($post_id, 0, 10 * $h, $dan,
    "Where can I find a map of the routes? The link on the roads page is broken.\n\nThanks, Dan");
$held = add_comment($post_id, 0, 2 * $h, array('Rowan Tate', 'rowan@example.test'),
    'This comment waits for moderation (status hold).', 0);
$closed_c = add_comment($closed_id, 0, 4 * 86400, $dan, 'Does the garden waste collection move too?');

$out = array(
    'WP_URL' => 'http://127.0.0.1:8080',
    'WP_API' => 'http://127.0.0.1:8080/wp-json/',
    'WP_USER' => 'officer',
    'WP_USER_ID' => $officer_id,
    'WP_PASSWORD' => $officer_pass,
    'WP_APP_PASSWORD' => $app_pass,
    'WP_POST_ID' => $post_id,
    'WP_POST_TITLE' => 'Winter gritting routes',
    'WP_COMMENT_IDS' => "$c1 $c2 $c3 $c4 $c5",
    'WP_COMMENT_PARENTS' => "$c1:0 $c2:$c1 $c3:$c2 $c4:$c3 $c5:0",
    'WP_TOP_COMMENT_ID' => $c1,
    'WP_OFFICER_COMMENT_ID' => $c2,
    'WP_NONASCII_COMMENT_ID' => $c3,
    'WP_DEEPEST_COMMENT_ID' => $c4,
    'WP_UNANSWERED_COMMENT_ID' => $c5,
    'WP_HELD_COMMENT_ID' => $held,
    'WP_CLOSED_POST_ID' => $closed_id,
    'WP_CLOSED_POST_COMMENT_ID' => $closed_c,
    'WP_SUBSCRIBER_USER' => 'margaret',
    'WP_SUBSCRIBER_PASSWORD' => $resident_pass,
    'WP_SUBSCRIBER_APP_PASSWORD' => $app2[0],
);
echo "# tactful real WordPress test site (tests/real/wordpress-up.sh); source with: . FILE\n";
foreach ($out as $k => $v) {
    echo $k, '=', escapeshellarg((string) $v), "\n";
}

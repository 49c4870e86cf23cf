<?php
// Router for PHP's built-in web server (php -S 127.0.0.1:8080 -t /usr/share/wordpress wp-router.php).
// Existing static files are served as they are, existing .php files run, and every other path
// (pretty permalinks, /wp-json/...) goes to WordPress's index.php, as Apache's rewrite would.
$root = rtrim($_SERVER['DOCUMENT_ROOT'], '/');
$path = rawurldecode(parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH) ?? '/');
if ($path !== '/' && strpos($path, '..') === false) {
    $file = $root . $path;
    if (is_dir($file) && is_file(rtrim($file, '/') . '/index.php')) {
        $file = rtrim($file, '/') . '/index.php';
    }
    if (is_file($file)) {
        if (substr($file, -4) !== '.php') {
            return false; // static file: the built-in server sends it
        }
        $_SERVER['SCRIPT_NAME'] = $_SERVER['PHP_SELF'] = substr($file, strlen($root));
        $_SERVER['SCRIPT_FILENAME'] = $file;
        chdir(dirname($file));
        require $file;
        return true;
    }
}
$_SERVER['SCRIPT_NAME'] = $_SERVER['PHP_SELF'] = '/index.php';
$_SERVER['SCRIPT_FILENAME'] = $root . '/index.php';
chdir($root);
require $root . '/index.php';

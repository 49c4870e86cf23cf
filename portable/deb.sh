#!/bin/sh
# Builds the Debian package from a tree `make install DESTDIR=ROOT PREFIX=/usr` filled: strips
# the binary, compresses the man pages, adds the copyright, changelog and README.Debian, works
# out Depends with dpkg-shlibdeps and writes OUT.deb owned by root.
# Usage: deb.sh VERSION ARCH MAINTAINER ROOT OUT.deb  (run from the top of the source tree)
set -eu
version=$1 arch=$2 maintainer=$3 root=$4 out=$5
doc=$root/usr/share/doc/tactful
umask 022

strip --strip-unneeded --remove-section=.comment --remove-section=.note "$root/usr/bin/tactful"
gzip -9nf "$root"/usr/share/man/man1/tactful.1 "$root"/usr/share/man/man5/tactful.5
install -d "$doc"
install -m 644 portable/README.Debian "$doc/README.Debian"
date=$(git log -1 --format=%aD 2>/dev/null || date -R)
year=$(git log -1 --format=%ad --date=format:%Y 2>/dev/null || date +%Y)
cat >"$doc/copyright" <<COPYRIGHT
tactful: a keyboard-driven terminal inbox for public-sector social media officers.

Copyright (C) $year the tactful authors
Source: the tactful source tarball (make dist) this package was built from.

The shipped rule packs, word lists, response patterns, keymaps and demo workspace in
/usr/share/tactful are part of tactful and are under the same terms as the program.
COPYRIGHT
printf 'tactful (%s) unstable; urgency=medium\n\n  * Package built from the tactful source tree (make deb).\n\n -- %s  %s\n' \
    "$version" "$maintainer" "$date" | gzip -9n >"$doc/changelog.gz"
chmod 644 "$doc/copyright" "$doc/changelog.gz"
find "$root" -type d -exec chmod 755 {} +

# Depends from the libraries the binary links, as Debian's own packages work it out.
work=$(dirname "$root")
mkdir -p "$work/debian"
printf 'Source: tactful\n\nPackage: tactful\nArchitecture: any\n' >"$work/debian/control"
depends=$(cd "$work" && dpkg-shlibdeps -O "$(basename "$root")/usr/bin/tactful" 2>/dev/null |
          sed -n 's/^shlibs:Depends=//p')
[ -n "$depends" ] || { echo "deb.sh: dpkg-shlibdeps found no dependencies" >&2; exit 1; }

rm -rf "$root/DEBIAN"
install -d "$root/DEBIAN"
size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
cat >"$root/DEBIAN/control" <<CONTROL
Package: tactful
Version: $version
Architecture: $arch
Maintainer: $maintainer
Installed-Size: $size
Depends: $depends
Section: net
Priority: optional
Description: keyboard-driven terminal inbox for public-sector social media
 tactful gathers the conversations an office is part of (mentions, replies
 and blog comments from Mastodon, Bluesky and WordPress) into one local
 SQLite cache. Officers triage and answer them from a terminal screen, with
 guardrails that check every reply, approval by a second officer, an
 append-only audit log and offline review bundles.
CONTROL
(cd "$root" && find usr -type f -exec md5sum {} + | sort -k2) >"$root/DEBIAN/md5sums"
chmod 644 "$root/DEBIAN/control" "$root/DEBIAN/md5sums"
dpkg-deb --root-owner-group -Zxz --build "$root" "$out" >/dev/null
echo "$out"

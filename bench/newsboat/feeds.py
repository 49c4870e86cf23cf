#!/usr/bin/env python3
"""Writes RSS 2.0 feeds for timing newsboat's reload beside `tactful import`: FEEDS files of
1,000 items each (a unique guid, an eight-word title, a link, a date a minute apart, a
200-character plain description), seeded, so every run reads the same bytes.
Usage: feeds.py OUTDIR FEEDS"""
import random
import sys
from email.utils import formatdate

WORDS = ("the a new post about today this just great update quick thoughts on weekend coffee "
         "code release bug fix morning project team open source feature rust python linux "
         "shared photo city trip music reading book meeting launch love idea learning small "
         "big fun").split()


def main():
    out, nfeeds = sys.argv[1], int(sys.argv[2])
    rng = random.Random(42)
    per, base = 1000, 1700000000
    for f in range(nfeeds):
        parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>',
                 f'<title>Feed {f}</title><link>http://example.org/u{f}</link>'
                 f'<description>Posts by user {f}</description>']
        for i in range(per):
            title = " ".join(rng.choice(WORDS) for _ in range(8)).capitalize()
            desc, n = [], 0
            while n < 200:
                w = rng.choice(WORDS)
                desc.append(w)
                n += len(w) + 1
            when = formatdate(base + f * per * 60 + i * 60, usegmt=True)
            parts.append(f'<item><guid isPermaLink="false">feed{f}-item{i}</guid>'
                         f'<title>{title}</title><link>http://example.org/u{f}/p/{i}</link>'
                         f'<pubDate>{when}</pubDate><description>{" ".join(desc)[:200]}'
                         '</description></item>')
        parts.append('</channel></rss>\n')
        with open(f"{out}/f{f:04d}.xml", "w", encoding="utf-8") as fh:
            fh.write("\n".join(parts))


if __name__ == "__main__":
    main()

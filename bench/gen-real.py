#!/usr/bin/env python3
"""gen-real.py DIR FILES TOTAL: copy real source files of this machine (C and
C++ headers, Python, Perl, JavaScript; each under 64 KiB) under DIR/src/, at
most FILES files and about TOTAL bytes, picked in an order fixed by a hash of
each path. What is picked depends on the packages installed: the script
prints how many files and bytes it copied.

Real text has keywords on few lines (about 3 %, against a third in
gen-source.py's text), but code of every shape after them: the fixture on
which secrets.generic-password's false positives were found and counted."""
import hashlib
import os
import shutil
import sys

ROOTS = ("/usr/include", "/usr/lib/python3", "/usr/lib/python3.11", "/usr/lib/python3.12",
         "/usr/lib/python3.13", "/usr/share/perl", "/usr/share/perl5", "/usr/lib/node_modules")
EXTS = (".h", ".hpp", ".c", ".py", ".pm", ".js", ".ts")


def candidates():
    for root in ROOTS:
        for d, _, names in os.walk(root):
            for n in names:
                p = os.path.join(d, n)
                if n.endswith(EXTS) and os.path.isfile(p) and not os.path.islink(p):
                    size = os.path.getsize(p)
                    if 0 < size < 1 << 16:
                        yield p, size


def main():
    root, nfiles, total = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    picked = sorted(set(candidates()), key=lambda c: hashlib.sha1(c[0].encode()).hexdigest())
    n = got = 0
    for path, size in picked:
        if n == nfiles or got >= total:
            break
        dest = os.path.join(root, "src", path.lstrip("/"))
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        shutil.copyfile(path, dest)
        n += 1
        got += size
    print("copied %d files, %d bytes" % (n, got), file=sys.stderr)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""gen-source.py DIR FILES BYTES [SEED]: FILES files of about BYTES bytes of
JavaScript-like source text under DIR/src/modNNN/, deterministic for a seed.

The vocabulary includes the words secret rules key on (key, token, password,
secret, api, auth): about a third of the lines hold one, so the prefilter's
candidates are verified often; no line holds an actual secret."""
import os
import random
import sys

WORDS = ("user id name value result data config token key password secret index count item "
         "list map request response handler client server session auth cache buffer stream file "
         "path error status options params query body header payload message event state props "
         "context router store api url timeout retry limit offset page size total length width "
         "height color style theme layout render").split()


def ident(r):
    w = r.sample(WORDS, r.randint(1, 3))
    s = r.random()
    if s < .4:
        return "_".join(w)
    if s < .8:
        return w[0] + "".join(x.capitalize() for x in w[1:])
    return "".join(x.capitalize() for x in w)


def expr(r):
    x = r.random()
    if x < .3:
        return ident(r)
    if x < .5:
        return str(r.randint(0, 100000))
    if x < .7:
        return '"%s"' % " ".join(r.choice(WORDS) for _ in range(r.randint(1, 5)))
    if x < .85:
        return "%s(%s)" % (ident(r), ", ".join(ident(r) for _ in range(r.randint(0, 3))))
    return "%s.%s" % (ident(r), ident(r))


def line(r):
    pad = "    " * r.randint(0, 3)
    x = r.random()
    if x < .25:
        return "%sconst %s = %s;" % (pad, ident(r), expr(r))
    if x < .40:
        return "%s%s(%s);" % (pad, ident(r), ", ".join(expr(r) for _ in range(r.randint(0, 3))))
    if x < .50:
        return "%s// %s" % (pad, " ".join(r.choice(WORDS) for _ in range(r.randint(3, 12))))
    if x < .58:
        return "%sif (%s %s %s) {" % (pad, ident(r), r.choice(["==", "!=", "<", ">="]), expr(r))
    if x < .66:
        return "%sreturn %s;" % (pad, expr(r))
    if x < .72:
        return ""
    if x < .80:
        return "%s}" % pad
    if x < .90:
        return "%s%s: %s," % (pad, ident(r), expr(r))
    return "%simport { %s } from './%s';" % (pad, ", ".join(ident(r) for _ in range(r.randint(1, 4))), ident(r))


def main():
    root, nfiles, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    r = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 7)
    for i in range(nfiles):
        d = os.path.join(root, "src", "mod%03d" % (i // 100))
        os.makedirs(d, exist_ok=True)
        out, n = [], 0
        while n < size:
            s = line(r) + "\n"
            out.append(s)
            n += len(s)
        with open(os.path.join(d, "file%05d.js" % i), "w") as f:
            f.write("".join(out))


if __name__ == "__main__":
    main()

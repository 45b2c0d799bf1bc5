#!/usr/bin/env python3
"""random-dag.py SEED N: a git fast-import stream of N commits on refs/heads/x
forming a random history: short branches, merges of far-apart commits, a few
new roots, and committer dates that disagree with the topology by up to
~80 minutes (clock skew). Marks are :1..:N, so --export-marks lists them."""
import random
import sys

seed, n = int(sys.argv[1]), int(sys.argv[2])
rng = random.Random(seed)
out = []
for i in range(1, n + 1):
    when = 1700000000 + i * 60 + rng.randint(-5000, 5000)
    out.append("commit refs/heads/x\nmark :%d\ncommitter C <c@e> %d +0000\ndata %d\n%d\n"
               % (i, when, len(str(i)), i))
    if i > 3 and rng.random() < 0.01:
        pass  # a new root
    elif i > 3 and rng.random() < 0.15:
        out.append("from :%d\nmerge :%d\n" % (rng.randint(max(1, i - 50), i - 1), rng.randint(1, i - 1)))
    elif i > 1:
        out.append("from :%d\n" % rng.randint(max(1, i - 5), i - 1))
    out.append("M 100644 inline f\ndata %d\n%d\n\n" % (len(str(i)) + 1, i))
sys.stdout.write("".join(out))

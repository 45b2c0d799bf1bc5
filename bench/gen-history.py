#!/usr/bin/env python3
"""gen-history.py: write a git fast-import stream of a large, realistic history.

Usage: gen-history.py [--commits N] [--files N] [--seed N] | git fast-import --quiet

The history has a modest tree (about --files source files in nested folders),
N commits that each edit a few files, feature branches merged back with merge
commits, and the incidents `repoguard audit --history` is meant to find:
node_modules/ committed, updated, removed on a side branch and merged; a root
.vite/ and a nested frontend/node_modules/.vite; a committed .env; a few large
binary blobs; a release branch that still carries node_modules at its tip.
Deterministic for a given seed; about 10 s for 30,000 commits.
"""
import argparse
import random
import sys

out = sys.stdout.buffer
WORDS = ("const let return import export function value state props data "
         "render async await promise error result index config module default "
         "user tenant route page component effect memo callback ref").split()


def blob(mark, data):
    out.write(b"blob\nmark :%d\ndata %d\n" % (mark, len(data)))
    out.write(data)
    out.write(b"\n")


def text(rng, lines):
    return ("\n".join(" ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 10)))
                      for _ in range(lines)) + "\n").encode()


class Gen:
    def __init__(self, args):
        self.rng = random.Random(args.seed)
        self.mark = 0
        self.when = 1600000000
        self.commits = args.commits
        self.nfiles = args.files
        self.files = {}          # path -> content (current main line)
        self.main_mark = None

    def next_mark(self):
        self.mark += 1
        return self.mark

    def commit(self, ref, msg, parents, changes, author="Dev One <dev1@example.com>"):
        """changes: list of ('M', path, bytes) or ('D', path)."""
        marks = []
        for ch in changes:
            if ch[0] == "M":
                m = self.next_mark()
                blob(m, ch[2])
                marks.append(m)
            else:
                marks.append(None)
        cm = self.next_mark()
        self.when += self.rng.randint(60, 3600)
        out.write(b"commit %s\nmark :%d\n" % (ref.encode(), cm))
        out.write(b"author %s %d +0000\n" % (author.encode(), self.when))
        out.write(b"committer %s %d +0000\n" % (author.encode(), self.when))
        m = msg.encode()
        out.write(b"data %d\n%s\n" % (len(m), m))
        if parents:
            out.write(b"from :%d\n" % parents[0])
            for p in parents[1:]:
                out.write(b"merge :%d\n" % p)
        for ch, bm in zip(changes, marks):
            if ch[0] == "M":
                out.write(b"M 100644 :%d %s\n" % (bm, ch[1].encode()))
            else:
                out.write(b"D %s\n" % ch[1].encode())
        out.write(b"\n")
        return cm

    def src_path(self, i):
        return "src/mod%02d/sub%d/file%04d.js" % (i % 40, (i // 40) % 5, i)

    def edits(self, n):
        ch = []
        for _ in range(n):
            p = self.rng.choice(list(self.files)) if self.files else self.src_path(0)
            lines = self.files.get(p, b"").split(b"\n")
            k = self.rng.randrange(len(lines))
            lines[k] = text(self.rng, 1).rstrip(b"\n")
            data = b"\n".join(lines)
            self.files[p] = data
            ch.append(("M", p, data))
        return ch

    def node_modules(self, prefix, npkg, version):
        ch = []
        for k in range(npkg):
            pkg = "%spkg-%03d" % (prefix, k)
            for f in ("package.json", "index.js", "lib/util.js", "README.md"):
                data = (b"// %s %s v%d\n" % (pkg.encode(), f.encode(), version)) + text(self.rng, 8)
                ch.append(("M", "%s/%s" % (pkg, f), data))
        return ch

    def run(self):
        rng = self.rng
        init = []
        for i in range(self.nfiles):
            p = self.src_path(i)
            self.files[p] = text(rng, rng.randint(20, 80))
            init.append(("M", p, self.files[p]))
        init.append(("M", "README.md", b"bench repository\n"))
        head = self.commit("refs/heads/main", "initial import", [], init)
        n = self.commits
        nm_on = False
        for c in range(1, n):
            frac = c / n
            ch = self.edits(rng.randint(1, 3))
            msg = "change %d" % c
            if abs(frac - 0.20) < 0.5 / n:
                ch += self.node_modules("node_modules/", 300, 1)
                msg = "add dependencies"
                nm_on = True
            elif abs(frac - 0.30) < 0.5 / n:
                ch += self.node_modules("node_modules/", 150, 2)
                msg = "update dependencies"
            elif abs(frac - 0.35) < 0.5 / n:
                ch += [("M", ".env", b"DATABASE_URL=postgres://app:secret@db/app\n")]
            elif abs(frac - 0.36) < 0.5 / n:
                ch += [("D", ".env")]
            elif abs(frac - 0.40) < 0.5 / n:
                ch += [("M", ".vite/deps/_metadata.json", text(rng, 50)),
                       ("M", "frontend/node_modules/.vite/deps/chunk.js", text(rng, 200))]
            elif abs(frac - 0.45) < 0.5 / n:
                for k in range(3):
                    data = rng.randbytes(6 * 1024 * 1024 + k)
                    ch.append(("M", "assets/video%d.bin" % k, data))
            elif abs(frac - 0.50) < 0.5 / n:
                # keep a release branch that still carries node_modules at its tip
                self.commit("refs/heads/release/1.x", "release 1.x", [head], self.edits(1))
            head = self.commit("refs/heads/main", msg, [head], ch)
            if nm_on and abs(frac - 0.60) < 0.5 / n:
                # remove node_modules on a side branch, then merge it
                side = self.commit("refs/heads/cleanup", "remove node_modules",
                                   [head], [("D", "node_modules")] + self.edits(1))
                head = self.commit("refs/heads/main", "Merge branch 'cleanup'", [head, side],
                                   [("D", "node_modules")])
                nm_on = False
            if c % 50 == 0:
                # a short feature branch merged back
                b = head
                for _ in range(3):
                    b = self.commit("refs/heads/feature", "feature work", [b], self.edits(1),
                                    author="Dev Two <dev2@example.com>")
                head = self.commit("refs/heads/main", "Merge branch 'feature'", [head, b],
                                   self.edits(1))
        out.write(b"reset refs/heads/feature\nfrom 0000000000000000000000000000000000000000\n\n")
        out.write(b"done\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--commits", type=int, default=30000)
    ap.add_argument("--files", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=7)
    Gen(ap.parse_args()).run()


if __name__ == "__main__":
    main()

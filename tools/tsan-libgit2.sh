#!/bin/sh
# tools/tsan-libgit2.sh DIR: build the installed libgit2 again, from Debian's
# source package, with ThreadSanitizer, into DIR (libgit2.so*), for make
# check-tsan. Does nothing when DIR already holds that version.
#
# Why: ThreadSanitizer only sees the memory accesses and atomics of code it
# instrumented. With Debian's libgit2 it reports races inside libgit2 that
# are not there: a pack's delta-base cache frees an entry on one thread
# (under the cache's lock) that another thread copied before dropping its
# reference with an atomic decrement, which TSan cannot see. Built with
# -fsanitize=thread, libgit2's atomics order those accesses and the reports
# go (docs/audit.md, stop 20).
#
# The source comes through apt-get source, with deb-src entries made from the
# machine's deb entries in a scratch directory: /etc/apt is not changed.
# Needs clang (with its TSan runtime), cmake, dpkg-dev, apt and the Debian
# mirror. Exits 1, saying why, when any of it is missing.
set -eu
dir=${1:?usage: tools/tsan-libgit2.sh DIR}
cc=${TSAN_CC:-clang}

fail() {
	echo "tsan-libgit2: $*" >&2
	exit 1
}

ver=$(dpkg-query -W -f='${Version}' libgit2-dev 2>/dev/null) || fail "libgit2-dev is not installed (dpkg-query)"
[ "$(cat "$dir/version" 2>/dev/null)" = "$ver" ] && [ -f "$dir/libgit2.so" ] && exit 0
for t in cmake apt-get dpkg-source "$cc"; do
	command -v "$t" >/dev/null 2>&1 || fail "$t not found"
done

rm -rf "$dir" && mkdir -p "$dir/src" "$dir/apt/parts" "$dir/apt/lists/partial"
dir=$(cd "$dir" && pwd)
for f in /etc/apt/sources.list.d/*.sources; do
	[ -f "$f" ] && sed 's/^Types:.*/Types: deb-src/' "$f" >"$dir/apt/parts/$(basename "$f")"
done
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
	[ -f "$f" ] && sed -n 's/^deb[[:space:]]/deb-src /p' "$f" >>"$dir/apt/parts/src.list"
done
apt="-o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts=$dir/apt/parts -o Dir::State::Lists=$dir/apt/lists -o APT::Sandbox::User=root -o Acquire::http::Timeout=30 -o Acquire::Retries=1"
# shellcheck disable=SC2086 # $apt is a list of options
apt-get -q $apt update >"$dir/apt.log" 2>&1 || fail "apt-get update of deb-src entries failed: see $dir/apt.log"
# the installed version, else another one of the same upstream release (a
# mirror may serve a security update's binaries but not its source)
# shellcheck disable=SC2086
vers=$(apt-cache $apt showsrc libgit2 2>/dev/null | sed -n 's/^Version: //p' | grep -Fx -v "$ver" |
	grep -F "${ver%%-*}" || true)
got='' tried=''
for v in "$ver" $vers; do
	tried="$tried${tried:+, }$v"
	# shellcheck disable=SC2086
	if (cd "$dir/src" && apt-get -q $apt source "libgit2=$v") >>"$dir/apt.log" 2>&1; then
		got=$v
		break
	fi
done
[ -n "$got" ] || fail "apt-get source libgit2 failed for $tried: see $dir/apt.log"
srcdir=$(find "$dir/src" -mindepth 1 -maxdepth 1 -type d -name 'libgit2-*' | head -n 1)
[ -n "$srcdir" ] || fail "no libgit2 source in $dir/src"

mkdir -p "$dir/build"
(cd "$dir/build" &&
	CC=$cc CFLAGS="-O1 -g -fsanitize=thread" LDFLAGS=-fsanitize=thread cmake "$srcdir" \
		-DCMAKE_BUILD_TYPE=None -DBUILD_TESTS=OFF -DBUILD_CLI=OFF -DUSE_HTTPS=OFF -DUSE_SSH=OFF \
		-DUSE_NTLMCLIENT=OFF -DUSE_GSSAPI=OFF -DREGEX_BACKEND=pcre2 -DUSE_HTTP_PARSER=system &&
	make -j"$(nproc)") >"$dir/build.log" 2>&1 || fail "building $srcdir failed: see $dir/build.log"
cp -P "$dir"/build/libgit2.so* "$dir/"
rm -rf "$dir/build" "$dir/src" "$dir/apt"
echo "$ver" >"$dir/version"
echo "tsan-libgit2: built libgit2 $got (installed: $ver) with ThreadSanitizer into $dir"

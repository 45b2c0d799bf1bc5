#!/bin/sh
# install.sh: install repoguard's dependencies, build it, install the binary,
# and install its git hooks into a repository.
#
#   ./install.sh [--prefix DIR] [--no-hooks] [--deps-only] [--server] [REPO]
#
# On Debian/Ubuntu, missing packages are installed with apt-get (as root, or
# through sudo). Elsewhere it names the packages to install. Hooks are
# installed into REPO, or into the repository the current directory is in
# (unless that is this source tree); they use the built-in default rules
# until the repository has a .repoguard.ini of its own.
set -eu

prefix=/usr/local
hooks=yes
deps_only=no
server=
repo=
src=$(cd "$(dirname "$0")" && pwd)

# usage [ERROR]: --help prints the usage on stdout (exit 0); an error, on stderr (exit 2)
usage() {
	if [ $# -eq 0 ]; then
		sed -n '2,12s/^# \{0,1\}//p' "$0"
		exit 0
	fi
	echo "install.sh: $1" >&2
	sed -n '2,12s/^# \{0,1\}//p' "$0" >&2
	exit 2
}

set_repo() {
	[ -z "$repo" ] || usage "one REPO only (got '$repo' and '$1')"
	repo=$1
}

while [ $# -gt 0 ]; do
	case $1 in
	--prefix) [ $# -ge 2 ] || usage "--prefix needs a directory"; prefix=$2; shift 2 ;;
	--prefix=*) prefix=${1#--prefix=}; shift ;;
	--no-hooks) hooks=no; shift ;;
	--deps-only) deps_only=yes; shift ;;
	--server) server=--server; shift ;;
	-h|--help) usage ;;
	--) shift; [ $# -le 1 ] || usage "one REPO only"; [ $# -eq 0 ] || set_repo "$1"; break ;;
	-*) usage "unknown option $1" ;;
	*) set_repo "$1"; shift ;;
	esac
done
[ -n "$prefix" ] || usage "--prefix needs a directory"

# Build and test dependencies, as Debian names them.
# Build: the first six, and liburing-dev (optional: staged files read in
# batches with io_uring; without it, one by one). Test (make check): cmocka,
# clang (libFuzzer), python3 with jsonschema and yaml (SARIF and CI template
# checks), git-secrets (comparison), git-filter-repo (the audit's printed
# remedy is run), pre-commit (the framework's hooks, .pre-commit-hooks.yaml).
DEB_PKGS="build-essential pkg-config git libgit2-dev libpcre2-dev libinih-dev liburing-dev libcmocka-dev clang python3 python3-jsonschema python3-yaml git-secrets git-filter-repo pre-commit"

missing_debs() {
	out=
	for p in $DEB_PKGS; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || out="$out $p"
	done
	echo "$out"
}

have_libs() {
	command -v pkg-config >/dev/null 2>&1 &&
		pkg-config --exists 'libgit2 >= 1.5' libpcre2-8 inih
}

install_deps() {
	if command -v apt-get >/dev/null 2>&1 && command -v dpkg-query >/dev/null 2>&1; then
		need=$(missing_debs)
		[ -n "$need" ] || return 0
		echo "install.sh: installing:$need"
		if [ "$(id -u)" = 0 ]; then sudo=; elif command -v sudo >/dev/null 2>&1; then sudo=sudo; else
			echo "install.sh: need root to install:$need" >&2; exit 1; fi
		$sudo apt-get update -qq
		DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $need >/dev/null
	elif ! have_libs; then
		cat >&2 <<MSG
install.sh: libgit2 (>= 1.5), pcre2 and inih development files are needed.
  Fedora/RHEL:  dnf install libgit2-devel pcre2-devel inih-devel libcmocka-devel pkgconf
  Arch:         pacman -S libgit2 pcre2 libinih cmocka pkgconf
  macOS:        brew install libgit2 pcre2 inih cmocka pkg-config
  Alpine:       apk add libgit2-dev pcre2-dev inih-dev cmocka-dev pkgconf
MSG
		exit 1
	fi
}

# make runs in the source tree and the hooks need an absolute binary path:
# a relative DIR is taken from the current directory.
case $prefix in
/*) ;;
*) prefix=$(pwd)/$prefix ;;
esac

install_deps
[ "$deps_only" = yes ] && exit 0

make -C "$src" -j"$(nproc 2>/dev/null || echo 2)" repoguard
make -C "$src" install PREFIX="$prefix"
bin=${DESTDIR:-}$prefix/bin/repoguard
echo "install.sh: installed $bin"

[ "$hooks" = yes ] || exit 0
if [ -z "$repo" ]; then
	top=$(git rev-parse --show-toplevel 2>/dev/null || true)
	if [ -z "$top" ] || [ "$(cd "$top" && pwd -P)" = "$(cd "$src" && pwd -P)" ]; then
		echo "install.sh: not in a project repository; run 'repoguard install' in one to add the hooks"
		exit 0
	fi
	repo=$top
fi
"$bin" install $server --binary "$prefix/bin/repoguard" -- "$repo"

# bench/lib.sh: what the benchmark scripts share. Source it after setting
# ROOT (the source tree) and WORK (the cache folder, bench/work).

# bench_need CMD PACKAGE: stop with the package to install when CMD is missing.
bench_need() {
	command -v "$1" >/dev/null 2>&1 || { echo "bench: '$1' is missing (apt-get install $2)" >&2; exit 2; }
}

# bench_args "$@": the options every benchmark takes (RUNS and REGEN keep
# the script's defaults unless given).
bench_args() {
	while [ $# -gt 0 ]; do
		case "$1" in
		--runs) RUNS=$2; shift 2 ;;
		--regen) REGEN=1; shift ;;
		*) echo "usage: $0 [--runs N] [--regen]" >&2; exit 2 ;;
		esac
	done
}

# The binary under test, built when missing.
RG="$ROOT/repoguard"
[ -x "$RG" ] || make -C "$ROOT" repoguard >/dev/null

# A neutral git environment: no user or system configuration changes what is
# measured, and commits made by the generators are reproducible.
export GIT_CONFIG_NOSYSTEM=1 HOME="$WORK/home" LC_ALL=C NO_COLOR=1
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.com
export GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.com
export GIT_AUTHOR_DATE="2026-01-01T00:00:00Z" GIT_COMMITTER_DATE="2026-01-01T00:00:00Z"
unset GIT_DIR GIT_INDEX_FILE GIT_WORK_TREE REPOGUARD_CONFIG REPOGUARD_SKIP 2>/dev/null || true
mkdir -p "$HOME"

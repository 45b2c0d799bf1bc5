#!/bin/sh
# embed.sh IN OUT SYMBOL: turn a text file into a C string constant.
set -eu
in=$1 out=$2 sym=$3
{
	printf '/* generated from %s by tools/embed.sh: do not edit */\n' "$in"
	printf 'const char %s[] = {\n' "$sym"
	od -An -v -tx1 "$in" | sed -e 's/ *$//' -e 's/^ *//' -e 's/  */, 0x/g' -e 's/^/0x/' -e 's/$/,/'
	printf '0x00 };\n'
} > "$out.tmp"
mv "$out.tmp" "$out"

#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks po/POTFILES.in against the sources.

Every file that marks a string for translation must be listed, or its
strings never reach the translators; every listed file must exist, or
xgettext fails. Prints one line per problem and exits 1 when there is any.

Usage: check-potfiles.py SOURCE_ROOT
"""
import pathlib
import re
import sys

# _(), N_(), C_(), NC_(), Q_() and the gettext calls that take plural or
# domain arguments. \b keeps identifiers ending in an underscore out.
C_MARKERS = re.compile(
    r"\b(?:_|N_|C_|NC_|Q_)\s*\(|"
    r"\b(?:g_dngettext|g_dpgettext2?|g_dgettext|dngettext|ngettext|dgettext)\s*\("
)
C_COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*", re.S)
UI_MARKER = re.compile(r'translatable\s*=\s*"(?:yes|true|1)"')
SCHEMA_MARKER = re.compile(r"<(?:summary|description)\b")
# Merged files (*.in): AppStream metainfo and desktop entries.
METAINFO_MARKER = re.compile(r"<(?:name|summary|description|caption)\b")
DESKTOP_MARKER = re.compile(r"^(?:Name|GenericName|Comment|Keywords)=", re.M)


def marks_strings(path: pathlib.Path) -> bool:
    name = path.name
    text = path.read_text(encoding="utf-8", errors="replace")
    if name.endswith((".c", ".h")):
        return bool(C_MARKERS.search(C_COMMENT.sub("", text)))
    if name.endswith(".ui"):
        return bool(UI_MARKER.search(text))
    if name.endswith(".gschema.xml"):
        return bool(SCHEMA_MARKER.search(text))
    if name.endswith((".metainfo.xml.in", ".appdata.xml.in")):
        return bool(METAINFO_MARKER.search(text))
    if name.endswith((".desktop", ".desktop.in")):
        return bool(DESKTOP_MARKER.search(text))
    return False


def candidates(root: pathlib.Path):
    for pattern in ("*.c", "*.h"):
        yield from (root / "src").rglob(pattern)
    for pattern in ("*.ui", "*.gschema.xml", "*.in"):
        yield from (root / "data").rglob(pattern)
    # The desktop entry sits at the repository root, as the brief places it.
    yield from root.glob("*.desktop")


def listed(potfiles: pathlib.Path):
    entries = []
    for line in potfiles.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            entries.append(line)
    return entries


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    root = pathlib.Path(sys.argv[1]).resolve()
    entries = listed(root / "po" / "POTFILES.in")
    problems = []

    for entry in entries:
        if not (root / entry).is_file():
            problems.append(f"{entry}: listed in po/POTFILES.in but does not exist")

    seen = set(entries)
    needed = sorted({p.relative_to(root).as_posix() for p in candidates(root) if marks_strings(p)})
    for path in needed:
        if path not in seen:
            problems.append(f"{path}: marks strings for translation but is missing from po/POTFILES.in")

    for problem in problems:
        print(problem)
    print(f"{len(needed)} files mark strings, {len(entries)} listed, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

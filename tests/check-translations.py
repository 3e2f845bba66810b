#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks that every translation in po/LINGUAS is complete for the sources.

Extracts a fresh template from the files in po/POTFILES.in (as the meson
`backups-pot` target does), merges each language's .po with it and runs
`msgfmt --check --statistics` on the result. Fails when any message is
untranslated or fuzzy, and prints those messages, so a string added to the
sources without a translation fails here and names what to translate
(then: `meson compile -C build backups-update-po`, translate, commit).

Usage: check-translations.py SOURCE_ROOT
"""
import pathlib
import re
import subprocess
import sys
import tempfile

# The keywords and flags of meson's i18n 'glib' preset.
XGETTEXT_ARGS = [
    "--from-code=UTF-8",
    "--add-comments",
    "--keyword=_",
    "--keyword=N_",
    "--keyword=C_:1c,2",
    "--keyword=NC_:1c,2",
    "--keyword=g_dcgettext:2",
    "--keyword=g_dngettext:2,3",
    "--keyword=g_dpgettext2:2c,3",
    "--flag=N_:1:pass-c-format",
    "--flag=C_:2:pass-c-format",
    "--flag=NC_:2:pass-c-format",
    "--flag=g_dngettext:2:pass-c-format",
    "--flag=g_strdup_printf:1:c-format",
    "--flag=g_string_printf:2:c-format",
    "--flag=g_string_append_printf:2:c-format",
    "--flag=g_error_new:3:c-format",
    "--flag=g_set_error:4:c-format",
    "--flag=g_printerr:1:c-format",
    "--flag=g_print:1:c-format",
]

STATISTICS = re.compile(
    r"(?P<translated>\d+) translated messages?"
    r"(?:, (?P<fuzzy>\d+) fuzzy translations?)?"
    r"(?:, (?P<untranslated>\d+) untranslated messages?)?"
)


def run(args, **kwargs):
    return subprocess.run(args, capture_output=True, text=True, **kwargs)


def msgids(po: pathlib.Path, selector: str):
    """The msgids msgattrib selects (--untranslated or --only-fuzzy)."""
    out = run(["msgattrib", selector, "--no-obsolete", "--no-wrap", "--no-location", str(po)])
    # A msgid goes on over the quoted lines that follow it.
    ids = re.findall(r'^msgid ((?:".*"\n)+)', out.stdout, re.M)
    joined = ("".join(re.findall(r'"(.*)"', i)) for i in ids)
    return [i for i in joined if i]


def check_language(root: pathlib.Path, pot: pathlib.Path, lang: str, work: pathlib.Path):
    po = root / "po" / f"{lang}.po"
    if not po.is_file():
        return [f"po/{lang}.po: listed in po/LINGUAS but does not exist"]

    problems = []
    # The committed file on its own: syntax, headers, c-format agreement.
    own = run(["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)])
    if own.returncode != 0:
        problems.append(f"po/{lang}.po: msgfmt --check failed:\n{own.stderr.strip()}")

    # Against the sources: a message missing from the .po comes out of the
    # merge untranslated. No fuzzy matching, so a changed string is
    # reported as untranslated instead of being guessed.
    merged = work / f"{lang}.po"
    merge = run(["msgmerge", "--quiet", "--no-fuzzy-matching", "-o", str(merged), str(po), str(pot)])
    if merge.returncode != 0:
        return problems + [f"po/{lang}.po: msgmerge failed:\n{merge.stderr.strip()}"]

    stats = run(["msgfmt", "--check", "--statistics", "-o", str(work / f"{lang}.mo"), str(merged)])
    print(f"{lang}: {stats.stderr.strip()}")
    if stats.returncode != 0:
        problems.append(f"po/{lang}.po merged with the sources: msgfmt --check failed:\n{stats.stderr.strip()}")
    match = STATISTICS.search(stats.stderr)
    if match is None:
        return problems + [f"po/{lang}.po: could not read msgfmt's statistics: {stats.stderr.strip()}"]

    fuzzy = int(match.group("fuzzy") or 0)
    untranslated = int(match.group("untranslated") or 0)
    if untranslated:
        problems.append(f"po/{lang}.po: {untranslated} untranslated messages:")
        problems += [f'  msgid "{m}"' for m in msgids(merged, "--untranslated")]
    if fuzzy:
        problems.append(f"po/{lang}.po: {fuzzy} fuzzy messages:")
        problems += [f'  msgid "{m}"' for m in msgids(merged, "--only-fuzzy")]
    return problems


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    root = pathlib.Path(sys.argv[1]).resolve()
    linguas = []
    for line in (root / "po" / "LINGUAS").read_text(encoding="utf-8").splitlines():
        linguas += [word for word in line.split("#", 1)[0].split()]
    if not linguas:
        print("po/LINGUAS lists no language")
        return 1

    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        work = pathlib.Path(tmp)
        pot = work / "backups.pot"
        extract = run(
            ["xgettext", *XGETTEXT_ARGS, "--package-name=backups", "--directory", str(root),
             "--files-from", str(root / "po" / "POTFILES.in"), "-o", str(pot)]
        )
        if extract.returncode != 0 or not pot.is_file():
            print(f"xgettext failed:\n{extract.stderr.strip()}")
            return 1
        for lang in linguas:
            problems += check_language(root, pot, lang, work)

    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Installs the build into a temporary DESTDIR and checks what lands there.

The installed file set must equal tests/install-files.txt exactly (nothing
missing, nothing unexpected), and the installed files must fit together:
the desktop entry and metainfo validate and name the installed program,
icon and desktop file; the schema compiles with --strict; the catalogues
hold translations.

Usage: check-install.py MESON BUILD_DIR EXPECTED_LIST BINDIR LIBEXECDIR DATADIR LOCALEDIR
(the directories absolute, as configured)
"""
import gettext
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET


def run(args):
    return subprocess.run(args, capture_output=True, text=True)


def expected_files(listing: pathlib.Path, dirs: dict):
    files = set()
    for line in listing.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        for name, value in dirs.items():
            line = line.replace(f"@{name}@", value)
        files.add(line)
    return files


def installed_files(destdir: pathlib.Path):
    files = set()
    for path in destdir.rglob("*"):
        if path.is_file() or path.is_symlink():
            files.add("/" + path.relative_to(destdir).as_posix())
    return files


def desktop_entry(path: pathlib.Path):
    entry = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        key, sep, value = line.partition("=")
        if sep and "[" not in key:
            entry[key.strip()] = value.strip()
    return entry


def check_contents(root: pathlib.Path, dirs: dict, problems: list):
    """`root` is DESTDIR joined with the configured directories' parent."""
    bindir = root / dirs["bindir"].lstrip("/")
    libexecdir = root / dirs["libexecdir"].lstrip("/")
    datadir = root / dirs["datadir"].lstrip("/")
    localedir = root / dirs["localedir"].lstrip("/")

    for program in (bindir / "backups", bindir / "backupsctl", libexecdir / "backups-demo-server"):
        if not os.access(program, os.X_OK):
            problems.append(f"{program.name} is not installed as an executable")

    desktop = datadir / "applications" / "org.example.Backups.desktop"
    if desktop.is_file():
        if shutil.which("desktop-file-validate"):
            result = run(["desktop-file-validate", str(desktop)])
            if result.returncode != 0:
                problems.append(f"installed desktop file does not validate:\n{result.stdout}{result.stderr}")
        entry = desktop_entry(desktop)
        exec_program = entry.get("Exec", "").split(" ")[0]
        if not (bindir / exec_program).is_file():
            problems.append(f"desktop file runs “{exec_program}”, which is not installed in the bindir")
        icon = entry.get("Icon", "")
        for variant in (f"scalable/apps/{icon}.svg", f"symbolic/apps/{icon}-symbolic.svg"):
            if not (datadir / "icons" / "hicolor" / variant).is_file():
                problems.append(f"desktop file names icon “{icon}”, but hicolor/{variant} is not installed")
        if not re.search(r"^Name\[de\]=", desktop.read_text(encoding="utf-8"), re.M):
            problems.append("installed desktop file has no German name")

    metainfo = datadir / "metainfo" / "org.example.Backups.metainfo.xml"
    if metainfo.is_file():
        if shutil.which("appstreamcli"):
            result = run(["appstreamcli", "validate", "--no-net", str(metainfo)])
            if result.returncode != 0:
                problems.append(f"installed metainfo does not validate:\n{result.stdout}{result.stderr}")
        component = ET.parse(metainfo).getroot()
        for launchable in component.iter("launchable"):
            if not (datadir / "applications" / launchable.text).is_file():
                problems.append(f"metainfo launches “{launchable.text}”, which is not installed")
        for binary in component.iter("binary"):
            if not (bindir / binary.text).is_file():
                problems.append(f"metainfo provides binary “{binary.text}”, which is not installed")

    schemas = datadir / "glib-2.0" / "schemas"
    if schemas.is_dir():
        result = run(["glib-compile-schemas", "--strict", "--dry-run", str(schemas)])
        if result.returncode != 0:
            problems.append(f"installed schemas do not compile:\n{result.stderr}")

    for mo in localedir.rglob("*.mo"):
        with mo.open("rb") as f:
            catalogue = gettext.GNUTranslations(f)
        # The header is one entry; a catalogue with nothing else is empty.
        if len(catalogue._catalog) < 2:
            problems.append(f"{mo.relative_to(root)} holds no translations")


def main() -> int:
    if len(sys.argv) != 8:
        print(__doc__.strip().splitlines()[-2], file=sys.stderr)
        return 2
    meson, build_dir, listing, bindir, libexecdir, datadir, localedir = sys.argv[1:]
    dirs = {"bindir": bindir, "libexecdir": libexecdir, "datadir": datadir, "localedir": localedir}
    problems = []

    with tempfile.TemporaryDirectory() as tmp:
        destdir = pathlib.Path(tmp)
        result = run([meson, "install", "-C", build_dir, "--no-rebuild", "--quiet", "--destdir", tmp])
        if result.returncode != 0:
            print(f"meson install failed:\n{result.stdout}{result.stderr}")
            return 1

        expected = expected_files(pathlib.Path(listing), dirs)
        installed = installed_files(destdir)
        for path in sorted(expected - installed):
            problems.append(f"missing: {path}")
        for path in sorted(installed - expected):
            problems.append(f"unexpected: {path} (add it to tests/install-files.txt if it belongs)")
        check_contents(destdir, dirs, problems)
        print(f"{len(installed)} files installed, {len(expected)} expected")

    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

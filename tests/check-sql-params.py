#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Static check: every SQL statement in src/ is a constant, values are bound.

It finds every sqlite3_prepare*() and sqlite3_exec() call, and every call of
a function that passes one of its parameters on to them (a wrapper such as
the store's backups_store_prepare () or backups_store_exec ()), and follows
the SQL argument back to where it was made:

  - string literals, macros made of literals, G_STRINGIFY (...), and
    file-scope constants made of those are fine; so is an expression that
    calls function-like macros (an X-macro table such as
    BACKUPS_SCHEDULE_FIELDS) when the C preprocessor, given the #defines of
    its file and of the project headers that file includes, turns it into
    literals only;
  - a parameter makes the function a wrapper: its callers are checked;
  - a local variable is fine when every value it is given is fine, a
    g_strconcat ()/g_strjoin () of fine parts included;
  - a struct member (spec->table, migrations[i].sql) is fine when every
    file-scope initializer gives that member a fine value;
  - anything formatted (g_strdup_printf, g_string_printf,
    g_string_append_printf, sqlite3_mprintf, snprintf, ...) or appended from
    a value fails, unless the function says, in a comment,

        sql-check: allow VARIABLE: why this is not a value

    for a builder that only adds identifiers from constant tables or "?"
    placeholders. Each allowance is listed when the check passes; one that
    no longer matches anything fails the check.

  check-sql-params.py SRC_DIR          check the tree (exit 1 on a finding)
  check-sql-params.py --self-test SRC  prove the check catches injected bad
                                       statements and passes the tree
"""

import os
import re
import subprocess
import sys
import tempfile

SINKS = {
    "sqlite3_prepare": 1,
    "sqlite3_prepare_v2": 1,
    "sqlite3_prepare_v3": 1,
    "sqlite3_prepare16": 1,
    "sqlite3_prepare16_v2": 1,
    "sqlite3_prepare16_v3": 1,
    "sqlite3_exec": 1,
}

# Calls that format text: never fine for SQL without an allowance.
FORMATTERS = {
    "g_strdup_printf", "g_strdup_vprintf", "g_string_printf", "g_string_vprintf",
    "g_string_append_printf", "g_string_append_vprintf", "sqlite3_mprintf",
    "sqlite3_vmprintf", "sqlite3_snprintf", "sqlite3_str_appendf", "snprintf",
    "sprintf", "vsnprintf", "g_snprintf", "g_vsnprintf", "asprintf", "g_strdup_value_contents",
}
# Calls whose result is the concatenation of their arguments.
CONCATENATORS = {"g_strconcat", "g_strjoin", "g_strdup", "g_strndup"}
# GString calls that add their second argument.
GSTRING_APPENDERS = {"g_string_append", "g_string_prepend", "g_string_append_len",
                     "g_string_insert", "g_string_assign", "g_string_new",
                     "g_string_new_len", "g_string_overwrite"}
GSTRING_CHAR_APPENDERS = {"g_string_append_c", "g_string_prepend_c", "g_string_insert_c"}

IDENT = r"[A-Za-z_]\w*"
ALLOW_RE = re.compile(r"sql-check:\s*allow\s+(" + IDENT + r")\s*[:\u2014-]\s*(\S.*)")


class Finding(Exception):
    pass


def blank_comments(text):
    """Comments become spaces (newlines kept); returns (code, comments)."""
    out = []
    comments = []
    i = 0
    n = len(text)
    while i < n:
        c = text[i]
        if text.startswith("/*", i):
            end = text.find("*/", i + 2)
            end = n if end < 0 else end + 2
            comments.append((text.count("\n", 0, i) + 1, text[i:end]))
            out.append(re.sub(r"[^\n]", " ", text[i:end]))
            i = end
        elif text.startswith("//", i):
            end = text.find("\n", i)
            end = n if end < 0 else end
            comments.append((text.count("\n", 0, i) + 1, text[i:end]))
            out.append(" " * (end - i))
            i = end
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            out.append(text[i:j + 1])
            i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out), comments


def blank_strings(code):
    """String and char literals keep their quotes, lose their contents."""
    out = []
    i = 0
    n = len(code)
    while i < n:
        c = code[i]
        if c in "\"'":
            j = i + 1
            while j < n and code[j] != c:
                j += 2 if code[j] == "\\" else 1
            out.append(c + "_" * (j - i - 1) + (c if j < n else ""))
            i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def matching(blank, start, open_char, close_char):
    depth = 0
    for k in range(start, len(blank)):
        if blank[k] == open_char:
            depth += 1
        elif blank[k] == close_char:
            depth -= 1
            if depth == 0:
                return k
    raise Finding("unbalanced %s at offset %d" % (open_char, start))


def split_top(code, blank, start, end):
    """Top-level comma-separated pieces of code[start:end]."""
    parts = []
    depth = 0
    last = start
    for k in range(start, end):
        ch = blank[k]
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append((last, k))
            last = k + 1
    if code[last:end].strip():
        parts.append((last, end))
    return [(a, b, code[a:b].strip()) for a, b in parts]


class Function:
    def __init__(self, name, params, body_start, body_end, source):
        self.name = name
        self.params = params  # names, in order
        self.body_start = body_start
        self.body_end = body_end
        self.source = source
        self.allowances = {}  # variable -> (line, reason)
        self.used_allowances = set()


class Source:
    def __init__(self, path, text):
        self.path = path
        self.text = text
        self.code, self.comments = blank_comments(text)
        self.blank = blank_strings(self.code)
        self.macros = {}
        self.constants = {}  # file-scope name -> initializer text
        self.initializers = []  # (type text, initializer text) at file scope
        self.structs = {}  # struct type name -> field names
        self.functions = {}
        self._parse()

    def line(self, offset):
        return self.text.count("\n", 0, offset) + 1

    def _parse(self):
        for m in re.finditer(r"^[ \t]*#[ \t]*define[ \t]+(" + IDENT + r")(\([^)]*\))?[ \t]*((?:.*\\\n)*.*)$",
                             self.code, re.M):
            self.macros[m.group(1)] = (m.group(2), m.group(3).replace("\\\n", " ").strip())

        depth = 0
        statement_start = 0
        k = 0
        blank = self.blank
        while k < len(blank):
            ch = blank[k]
            if ch == "#" and (k == 0 or blank[k - 1] == "\n") and depth == 0:
                # A preprocessor line (with continuations).
                while k < len(blank) and not (blank[k] == "\n" and blank[k - 1] != "\\"):
                    k += 1
                statement_start = k + 1
            elif ch == "{" and depth == 0:
                head = self.code[statement_start:k]
                m = re.search(r"(" + IDENT + r")\s*\(([^;{}]*)\)\s*$", blank[statement_start:k])
                end = matching(blank, k, "{", "}")
                if m and not re.search(r"=\s*$", head) and m.group(1) not in ("if", "while", "for", "switch"):
                    params_start = statement_start + m.start(2)
                    params_end = statement_start + m.end(2)
                    params = []
                    for _, _, piece in split_top(self.code, blank, params_start, params_end):
                        pointer = re.search(r"\(\s*\*\s*(" + IDENT + r")\s*\)", piece)
                        if pointer:
                            params.append(pointer.group(1))
                        else:
                            names = re.findall(IDENT, re.sub(r"\[.*?\]", "", piece))
                            params.append(names[-1] if names else "")
                    self.functions[m.group(1)] = Function(m.group(1), params, k, end, self)
                    statement_start = end + 1
                    k = end
                else:
                    # A struct definition or an initializer: continue to its ';'.
                    struct = re.search(r"(?:typedef\s+)?struct\s*(" + IDENT + r")?\s*$", head)
                    if struct:
                        fields = []
                        for decl in blank[k + 1:end].split(";"):
                            names = re.findall(IDENT, re.sub(r"\[.*?\]", "", decl))
                            if names:
                                fields.append(names[-1])
                        after = re.match(r"\s*(" + IDENT + r")?", blank[end + 1:])
                        for type_name in (struct.group(1), after.group(1) if after else None):
                            if type_name:
                                self.structs[type_name] = fields
                        if struct.group(1) is None and head.lstrip().startswith("static") or \
                                not head.lstrip().startswith("typedef"):
                            # An anonymous struct declared with its variable.
                            self.structs.setdefault("<anon@%d>" % k, fields)
                            self._anonymous = fields
                    k = end
            elif ch == ";" and depth == 0:
                self._statement(statement_start, k)
                statement_start = k + 1
            elif ch in "([":
                depth += 1
            elif ch in ")]":
                depth -= 1
            k += 1

        for line, comment in self.comments:
            # One line of prose, without the comment's own markup.
            comment = " ".join(re.sub(r"^\s*(?:/\*+|\*+/?|//)?", "", part).strip()
                               for part in comment.replace("*/", "").split("\n"))
            for m in ALLOW_RE.finditer(comment):
                offset = len("\n".join(self.text.split("\n")[:line - 1]))
                owner = [f for f in self.functions.values() if f.body_start <= offset <= f.body_end]
                if not owner:
                    raise Finding("%s:%d: an allowance outside any function" % (self.path, line))
                owner[0].allowances[m.group(1)] = (line, m.group(2).strip(" */"))

    def _statement(self, start, end):
        code = self.code[start:end]
        blank = self.blank[start:end]
        eq = re.search(r"(?<![=!<>])=(?!=)", blank)
        if not eq:
            return
        decl = blank[:eq.start()]
        names = re.findall(IDENT, re.sub(r"\[.*?\]", "", decl))
        if not names:
            return
        name = names[-1]
        value = code[eq.end():].strip()
        if re.search(r"\bchar\b", decl) and "(" not in decl:
            self.constants[name] = value
        struct_type = None
        for type_name in self.structs:
            if re.search(r"\b" + re.escape(type_name) + r"\b", decl):
                struct_type = type_name
        if struct_type is None and "}" in blank[:eq.start()]:
            struct_type = [t for t in self.structs if t.startswith("<anon@")][-1:] or [None]
            struct_type = struct_type[0]
        if struct_type is not None and value.startswith("{"):
            self.initializers.append((struct_type, start + eq.end() + (len(code[eq.end():]) - len(code[eq.end():].lstrip())), end))


class Checker:
    def __init__(self, sources):
        self.sources = sources
        self.wrappers = {name: {index} for name, index in SINKS.items()}
        self.callers = {}  # wrapper -> number of call sites
        self.findings = []
        self.calls_checked = 0

    # Classification -------------------------------------------------------

    def classify(self, expr, func, source, seen=None):
        """Returns a set of parameter indexes the SQL flows from; raises
        Finding when it is not a constant."""
        seen = set() if seen is None else seen
        expr = expr.strip()
        while True:
            stripped = re.sub(r"^\(\s*(?:const\s+)?(?:unsigned\s+)?char\s*\*\s*\)\s*", "", expr)
            if stripped.startswith("(") and stripped.endswith(")") and \
                    matching(blank_strings(stripped), 0, "(", ")") == len(stripped) - 1:
                stripped = stripped[1:-1].strip()
            if stripped == expr:
                break
            expr = stripped

        if self.is_literal(expr, source):
            return set()

        m = re.fullmatch(IDENT, expr)
        if m:
            return self.classify_name(expr, func, source, seen)

        m = re.fullmatch(r"(" + IDENT + r")\s*(?:->|\.)\s*str", expr)
        if m:
            return self.classify_gstring(m.group(1), func, source, seen)

        m = re.fullmatch(r"(?:" + IDENT + r")(?:\s*\[[^\]]*\])?\s*(?:->|\.)\s*(" + IDENT + r")(?:\s*\[[^\]]*\])?",
                         expr)
        if m:
            return self.classify_member(m.group(1), source, seen)

        m = re.fullmatch(r"(" + IDENT + r")\s*\((.*)\)", expr, re.S)
        if m:
            return self.classify_call(m.group(1), m.group(2), func, source, seen, expr)

        raise Finding("cannot tell where “%s” comes from" % expr)

    def is_literal(self, expr, source, depth=0):
        """String literals, NULL, numbers, literal macros, G_STRINGIFY (...)."""
        if depth > 8:
            return False
        code, _ = blank_comments(expr)
        blank = blank_strings(code)
        rest = re.sub(r"\"_*\"", " ", blank)
        rest = re.sub(r"\bG_STRINGIFY\s*\([^()]*\)", " ", rest)
        rest = re.sub(r"\b(?:N_|_|C_)\s*\(\s*\)", " ", rest)
        tokens = re.findall(r"\S+", rest)
        if not tokens and blank.strip():
            return True
        if re.search(IDENT + r"\s*\(", rest) and self.preprocesses_to_literal(expr, source):
            return True
        for token in tokens:
            if re.fullmatch(r"[0-9]+", token) or token == "NULL":
                continue
            if re.fullmatch(r"[A-Z][A-Z0-9_]*", token):
                macro = self.find_macro(token, source)
                if macro is not None and macro[0] is None and self.is_literal(macro[1], source, depth + 1):
                    continue
            return False
        return True

    def preprocesses_to_literal(self, expr, source):
        """Whether cpp, with the #defines of `source` and of the project
        headers it includes, expands `expr` to string literals only."""
        defines = []
        seen = set()
        pending = [source]
        while pending:
            current = pending.pop()
            if current.path in seen:
                continue
            seen.add(current.path)
            defines += [m.group(0) for m in re.finditer(
                r"^[ \t]*#[ \t]*define[ \t]+(?:.*\\\n)*.*$", current.code, re.M)]
            for name in re.findall(r'^[ \t]*#[ \t]*include[ \t]+"([^"]+)"', current.code, re.M):
                pending += [other for other in self.sources
                            if os.path.basename(other.path) == os.path.basename(name)]
        program = "\n".join(defines) + "\n__SQL_CHECK__ " + expr.replace("\n", " ") + "\n"
        try:
            result = subprocess.run(["cpp", "-P", "-w"], input=program, capture_output=True,
                                    text=True, check=True)
        except (OSError, subprocess.CalledProcessError):
            return False
        expanded = result.stdout.split("__SQL_CHECK__", 1)
        if len(expanded) != 2:
            return False
        code, _ = blank_comments(expanded[1])
        rest = re.sub(r"\"_*\"", " ", blank_strings(code))
        return not rest.strip() and bool(expanded[1].strip())

    def find_macro(self, name, source):
        if name in source.macros:
            return source.macros[name]
        for other in self.sources:
            if name in other.macros:
                return other.macros[name]
        return None

    def classify_name(self, name, func, source, seen):
        if func is not None and name in func.params:
            return {func.params.index(name)}
        if func is not None:
            values = self.assignments(name, func)
            if values:
                params = set()
                for value in values:
                    params |= self.classify_value(name, value, func, source, seen)
                return params
        if name in source.constants and name not in seen:
            seen.add(name)
            return self.classify(source.constants[name], None, source, seen)
        for other in self.sources:
            if name in other.constants and name not in seen:
                seen.add(name)
                return self.classify(other.constants[name], None, other, seen)
        raise Finding("cannot tell where “%s” comes from" % name)

    def assignments(self, name, func):
        source = func.source
        body = source.blank[func.body_start:func.body_end]
        values = []
        for m in re.finditer(r"(?<![\w.>])" + re.escape(name) + r"\s*=(?!=)", body):
            start = func.body_start + m.end()
            end = start
            depth = 0
            while end < func.body_end:
                ch = source.blank[end]
                if ch in "([{":
                    depth += 1
                elif ch in ")]}":
                    if depth == 0:
                        break
                    depth -= 1
                elif ch in ";," and depth == 0:
                    break
                end += 1
            values.append(source.code[start:end].strip())
        return values

    def classify_value(self, name, value, func, source, seen):
        m = re.match(r"(" + IDENT + r")\s*\(", value)
        if m and m.group(1) in FORMATTERS:
            return self.allowed(name, func, "is formatted with %s ()" % m.group(1))
        return self.classify(value, func, source, seen)

    def allowed(self, name, func, what):
        if func is not None and name in func.allowances:
            func.used_allowances.add(name)
            return set()
        raise Finding("“%s” %s" % (name, what))

    def classify_call(self, callee, args_text, func, source, seen, expr):
        if callee in FORMATTERS:
            raise Finding("the SQL is formatted with %s ()" % callee)
        if callee in CONCATENATORS:
            code, _ = blank_comments(args_text)
            blank = blank_strings(code)
            params = set()
            for _, _, arg in split_top(code, blank, 0, len(code)):
                if callee == "g_strndup" and arg is split_top(code, blank, 0, len(code))[-1][2]:
                    continue
                try:
                    params |= self.classify(arg, func, source, seen)
                except Finding as finding:
                    raise Finding("%s () joins a value into the SQL: %s" % (callee, finding))
            return params
        raise Finding("the SQL comes from %s ()" % callee)

    def classify_gstring(self, name, func, source, seen):
        if func is None:
            raise Finding("a GString “%s” outside a function" % name)
        body_code = source.code[func.body_start:func.body_end]
        body_blank = source.blank[func.body_start:func.body_end]
        params = set()
        found = False
        for m in re.finditer(r"\b(" + IDENT + r")\s*\(", body_blank):
            callee = m.group(1)
            if not callee.startswith("g_string_") and callee not in FORMATTERS:
                continue
            open_at = m.end() - 1
            close_at = matching(body_blank, open_at, "(", ")")
            args = split_top(body_code, body_blank, open_at + 1, close_at)
            if not args:
                continue
            if callee in ("g_string_new", "g_string_new_len"):
                before = body_blank[:m.start()]
                if not re.search(r"\b" + re.escape(name) + r"\s*=\s*$", before):
                    continue
                value = args[0][2]
            elif args[0][2] != name:
                continue
            elif callee in FORMATTERS:
                found = True
                params |= self.allowed(name, func, "is built with %s ()" % callee)
                continue
            elif callee in GSTRING_CHAR_APPENDERS:
                found = True
                if not re.fullmatch(r"'(?:[^'\\]|\\.)'", args[-1][2]):
                    params |= self.allowed(name, func, "gets a character from a value")
                continue
            elif callee in GSTRING_APPENDERS:
                value = args[-1][2] if callee != "g_string_append_len" else args[1][2]
                if callee in ("g_string_insert", "g_string_overwrite"):
                    value = args[2][2]
            else:
                continue
            found = True
            if value == "NULL":
                continue
            try:
                params |= self.classify(value, func, source, seen)
            except Finding as finding:
                params |= self.allowed(name, func, "gets a value appended: %s" % finding)
        if not found:
            raise Finding("cannot tell how the GString “%s” is built" % name)
        return params

    def classify_member(self, field, source, seen):
        values = []
        for type_name, start, end in source.initializers:
            fields = source.structs.get(type_name, [])
            if field not in fields:
                continue
            values.extend(self.member_values(source, start, end, fields.index(field), field))
        if not values:
            raise Finding("cannot tell where the member “%s” comes from" % field)
        params = set()
        for value in values:
            try:
                params |= self.classify(value, None, source, seen)
            except Finding as finding:
                raise Finding("member “%s” is given %s" % (field, finding))
        if params:
            raise Finding("member “%s” comes from a parameter" % field)
        return params

    def member_values(self, source, start, end, index, field):
        """The values `field` (at `index`) gets in the initializer at
        [start, end): one struct, or an array of them."""
        code = source.code
        blank = source.blank
        open_at = blank.index("{", start)
        close_at = matching(blank, open_at, "{", "}")
        items = split_top(code, blank, open_at + 1, close_at)
        if items and items[0][2].startswith("{"):
            structs = [(a + code[a:b].index("{"), b) for a, b, _ in items]
        else:
            structs = [(open_at, close_at + 1)]
        values = []
        for a, b in structs:
            inner_close = matching(blank, a, "{", "}")
            members = split_top(code, blank, a + 1, inner_close)
            designated = [m for m in members if re.match(r"\." + re.escape(field) + r"\s*=", m[2])]
            if designated:
                values.append(designated[0][2].split("=", 1)[1])
            elif index < len(members) and not members[index][2].startswith("."):
                values.append(members[index][2])
        return values

    # Driver ----------------------------------------------------------------

    def calls_in(self, func):
        source = func.source
        body = source.blank[func.body_start:func.body_end]
        for m in re.finditer(r"\b(" + IDENT + r")\s*\(", body):
            name = m.group(1)
            if name not in self.wrappers:
                continue
            open_at = func.body_start + m.end() - 1
            close_at = matching(source.blank, open_at, "(", ")")
            args = split_top(source.code, source.blank, open_at + 1, close_at)
            for index in sorted(self.wrappers[name]):
                if index < len(args):
                    yield name, args[index][2], open_at

    def run(self):
        # Wrappers first: functions that pass a parameter on as SQL.
        changed = True
        while changed:
            changed = False
            for source in self.sources:
                for func in source.functions.values():
                    for _, sql, _ in self.calls_in(func):
                        try:
                            params = self.classify(sql, func, source)
                        except Finding:
                            continue
                        known = self.wrappers.setdefault(func.name, set())
                        if not params <= known:
                            known |= params
                            changed = True

        for source in self.sources:
            for func in source.functions.values():
                for callee, sql, offset in self.calls_in(func):
                    self.calls_checked += 1
                    self.callers[callee] = self.callers.get(callee, 0) + 1
                    try:
                        self.classify(sql, func, source)
                    except Finding as finding:
                        self.findings.append("%s:%d: in %s (), the SQL given to %s () is not a "
                                             "constant: %s" % (source.path, source.line(offset),
                                                               func.name, callee, finding))
                for name, (line, reason) in func.allowances.items():
                    if name not in func.used_allowances:
                        self.findings.append("%s:%d: the allowance for “%s” in %s () matches no "
                                             "SQL builder" % (source.path, line, name, func.name))
        # A parameter that becomes SQL is checked where the function is
        # called; with no call in the tree, nothing shows it is constant.
        for source in self.sources:
            for func in source.functions.values():
                if func.name in SINKS or not self.wrappers.get(func.name):
                    continue
                if not self.callers.get(func.name):
                    names = ", ".join("“%s”" % func.params[i] for i in sorted(self.wrappers[func.name]))
                    self.findings.append("%s:%d: %s () makes SQL of its parameter %s, and no call "
                                         "in the tree shows what it is given"
                                         % (source.path, source.line(func.body_start), func.name,
                                            names))
        return not self.findings

    def allowances(self):
        for source in self.sources:
            for func in source.functions.values():
                for name, (line, reason) in sorted(func.allowances.items()):
                    yield "%s:%d: %s () builds “%s”: %s" % (source.path, line, func.name, name,
                                                            reason)


def load_tree(root):
    sources = []
    for directory, _, names in sorted(os.walk(root)):
        for name in sorted(names):
            if name.endswith((".c", ".h")):
                path = os.path.join(directory, name)
                with open(path, encoding="utf-8") as handle:
                    sources.append(Source(os.path.relpath(path, os.path.dirname(root)), handle.read()))
    return sources


def check(sources, quiet=False):
    checker = Checker(sources)
    ok = checker.run()
    if not quiet:
        for finding in checker.findings:
            print("FAIL: " + finding)
        wrappers = sorted(name for name in checker.wrappers
                          if name not in SINKS and checker.wrappers[name])
        print("%d SQL call sites checked in %d files; wrappers: %s" %
              (checker.calls_checked, len(sources), ", ".join(wrappers) or "none"))
        for line in checker.allowances():
            print("allowed: " + line)
        print("OK: every SQL statement is a constant; values are bound" if ok else
              "%d findings" % len(checker.findings))
    return ok, checker


# Self-test --------------------------------------------------------------------

BAD_SNIPPETS = {
    "printf into prepare": r'''
static void
find (sqlite3 *db, const char *name)
{
  sqlite3_stmt    *stmt = NULL;
  g_autofree char *sql = g_strdup_printf ("SELECT id FROM orgs WHERE name = '%s'", name);

  sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
}
''',
    "GString printf into exec": r'''
static void
drop (sqlite3 *db, gint64 id)
{
  g_autoptr (GString) sql = g_string_new ("DELETE FROM orgs WHERE id = ");

  g_string_append_printf (sql, "%" G_GINT64_FORMAT, id);
  sqlite3_exec (db, sql->str, NULL, NULL, NULL);
}
''',
    "sqlite3_mprintf": r'''
static void
rename (sqlite3 *db, const char *name)
{
  char *sql = sqlite3_mprintf ("UPDATE orgs SET name = %Q", name);

  sqlite3_exec (db, sql, NULL, NULL, NULL);
  sqlite3_free (sql);
}
''',
    "concatenated value": r'''
static void
find (sqlite3 *db, const char *name)
{
  sqlite3_stmt    *stmt = NULL;
  g_autofree char *sql = g_strconcat ("SELECT id FROM orgs WHERE name = '", name, "'", NULL);

  sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
}
''',
    "value appended to a GString": r'''
static void
find (sqlite3 *db, const char *name)
{
  sqlite3_stmt *stmt = NULL;
  GString      *sql = g_string_new ("SELECT id FROM orgs WHERE name = '");

  g_string_append (sql, name);
  g_string_append (sql, "'");
  sqlite3_prepare_v2 (db, sql->str, -1, &stmt, NULL);
}
''',
    "wrapper called with a formatted value": r'''
static gboolean
run_sql (sqlite3 *db, const char *sql)
{
  return sqlite3_exec (db, sql, NULL, NULL, NULL) == SQLITE_OK;
}

static void
forget (sqlite3 *db, const char *name)
{
  g_autofree char *statement = g_strdup_printf ("DELETE FROM orgs WHERE name = '%s'", name);

  run_sql (db, statement);
}
''',
    "value passed down to a fragment wrapper": r'''
static void
lookup (sqlite3 *db, const char *where)
{
  sqlite3_stmt    *stmt = NULL;
  g_autofree char *sql = g_strconcat ("SELECT id FROM orgs ", where, NULL);

  sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
}

static void
by_name (sqlite3 *db, GtkEditable *entry)
{
  g_autofree char *where
    = g_strconcat ("WHERE name = '", gtk_editable_get_text (entry), "'", NULL);

  lookup (db, "WHERE id = 1");
  lookup (db, where);
}
''',
    "SQL from a call": r'''
static void
find (sqlite3 *db, GSettings *settings)
{
  sqlite3_stmt *stmt = NULL;

  sqlite3_prepare_v2 (db, g_settings_get_string (settings, "query"), -1, &stmt, NULL);
}
''',
    "member given a value": r'''
typedef struct
{
  const char *sql;
} Query;

static void
run (sqlite3 *db, const Query *query)
{
  sqlite3_exec (db, query->sql, NULL, NULL, NULL);
}

static void
use (sqlite3 *db, const char *name)
{
  Query query = { name };
  run (db, &query);
}
''',
    "a table macro that expands to a value": r'''
#define TABLE(X) X (name) X (id)
#define COLUMN(c) c ", "

static void
pick (sqlite3 *db, const char *name)
{
  sqlite3_exec (db, "SELECT " TABLE (COLUMN) "NULL FROM orgs", NULL, NULL, NULL);
}
''',
    "stale allowance": r'''
static void
begin (sqlite3 *db)
{
  /* sql-check: allow sql: nothing is built here any more */
  sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
}
''',
}

GOOD_SNIPPETS = {
    "literals, macros, constants and an allowed placeholder list": r'''
#define COLUMNS "id, " \
  "name "
#define TABLE(X) X ("id") X ("name")
#define COLUMN(c) c ", "
#define TABLE_COLUMNS TABLE (COLUMN) "NULL "
static const char count_sql[] = "SELECT COUNT (*) FROM orgs WHERE id > " G_STRINGIFY (10);

static gboolean
run_sql (sqlite3 *db, const char *sql)
{
  return sqlite3_exec (db, sql, NULL, NULL, NULL) == SQLITE_OK;
}

static void
many (sqlite3 *db, guint n)
{
  sqlite3_stmt *stmt = NULL;
  g_autoptr (GString) sql = g_string_new ("SELECT " COLUMNS "FROM orgs WHERE id IN (");

  /* sql-check: allow sql: n "?" placeholders, every id is bound */
  for (guint i = 0; i < n; i++)
    g_string_append_printf (sql, "%s?", i ? ", " : "");
  g_string_append (sql, ")");
  sqlite3_prepare_v2 (db, sql->str, -1, &stmt, NULL);
  sqlite3_prepare_v2 (db, count_sql, -1, &stmt, NULL);
  sqlite3_prepare_v2 (db, "SELECT " TABLE_COLUMNS "FROM orgs", -1, &stmt, NULL);
  run_sql (db, "COMMIT");
}
''',
}


def self_test(src):
    failures = []

    def expect(name, sources, should_pass):
        ok, checker = check(sources, quiet=True)
        print("%s: %s -> %s" % ("ok" if ok == should_pass else "WRONG", name,
                                "passes" if ok else checker.findings[0]))
        if ok != should_pass:
            failures.append(name)

    tree = load_tree(src)
    expect("the tree as it is", tree, True)

    for name, snippet in BAD_SNIPPETS.items():
        expect("injected: " + name, [Source("snippet.c", snippet)], False)
    for name, snippet in GOOD_SNIPPETS.items():
        expect(name, [Source("snippet.c", snippet)], True)

    # A bad statement injected into the real store, next to good ones.
    store = [s for s in tree if s.path.endswith("backups-store-accounts.c")]
    if not store:
        failures.append("no backups-store-accounts.c under %s" % src)
    else:
        good = 'stmt = backups_store_prepare (self->db, "SELECT id, name FROM orgs WHERE name = ?", error);'
        bad = ('g_autofree char *bad = g_strdup_printf ("SELECT id, name FROM orgs WHERE name = \'%s\'", '
               'name);\n  stmt = backups_store_prepare (self->db, bad, error);')
        if good not in store[0].text:
            failures.append("the statement to replace is gone from backups-store-accounts.c")
        else:
            injected = [s if s is not store[0] else Source(s.path, s.text.replace(good, bad))
                        for s in tree]
            expect("injected into backups_store_find_org ()", injected, False)

    if failures:
        print("self-test FAILED: " + ", ".join(failures))
        return 1
    print("self-test passed: %d bad statements caught, good ones pass" % (len(BAD_SNIPPETS) + 1))
    return 0


def main(argv):
    if len(argv) == 3 and argv[1] == "--self-test":
        return self_test(argv[2])
    if len(argv) != 2:
        print(__doc__)
        return 2
    ok, _ = check(load_tree(argv[1]))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))

#!/usr/bin/env python3
"""tether's layering, checked: each src/ folder includes only the tether folders its CMake
target declares in target_link_libraries, and no target declares one that does not exist.

It reads CMakeLists.txt files and #include "folder/..." lines as text; it is not a build.
A folder is the directory of a src/**/CMakeLists.txt with add_library(tether_x ...) (with
its subfolders that have no target of their own, e.g. src/net/detail); an executable of the
top CMakeLists.txt owns the sources it lists (src/main.cpp). A folder may include itself;
<...> includes and quoted ones that name no src/ folder are not tether's. An include belongs
to the folder its path starts with, whether or not the file is in the source tree (the
generated core/version.hpp is in the build tree and is core's). Declarations are direct:
a target that uses tether_core declares it, even if another of its dependencies brings it.

Usage: check_layering.py [--root DIR]   (DIR: the project's top; default: this script's ../)
Exit 0 with one summary line when all is declared; 1 with one line per violation.
"""

import argparse
import os
import re
import sys
from dataclasses import dataclass, field

# Headers in a folder that has no target of its own, shared by the targets in the folders
# below it: the folders of those targets may include them, and so may a folder whose target
# declares at least one of them; what the header includes must be declared by each of them.
# Each is an allowance, with its reason; a header that gets a library of its own leaves this list.
SHARED_HEADERS = {
    "providers/provider.hpp": "the interface every provider implements and the daemon drives: "
                              "header-only, above the provider folders, with no library of its own",
}

SOURCE_SUFFIXES = (".cpp", ".hpp")
INCLUDE = re.compile(r'^\s*#\s*include\s*"([^"]+)"')
COMMAND = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)[ \t]*\(")
TETHER_NAME = re.compile(r"\btether(?:_\w+)?\b")
LINK_KEYWORDS = {"PUBLIC", "PRIVATE", "INTERFACE", "LINK_PUBLIC", "LINK_PRIVATE", "LINK_INTERFACE_LIBRARIES"}


@dataclass
class Target:
    name: str
    where: str  # "src/daemon/CMakeLists.txt:4"
    folder: str | None = None  # "daemon", "providers/claude"; None for a target that owns listed files
    files: set[str] = field(default_factory=set)  # for the others: "src/main.cpp"
    deps: dict[str, str] = field(default_factory=dict)  # declared tether target -> where


def _skip(text, i):
    """The offset just after the comment or the quoted argument that starts at i; None when
    neither starts there."""
    if text[i] == "#":
        end = text.find("\n", i)
        return len(text) if end < 0 else end
    if text[i] == '"':
        end = i + 1
        while end < len(text) and text[end] != '"':
            end += 2 if text[end] == "\\" else 1
        return end + 1
    return None


def _arguments(text, i):
    """The arguments of the command whose '(' ends just before i, and the offset after its ')'."""
    args, token, depth = [], None, 1
    while i < len(text):
        c, after = text[i], _skip(text, i)
        if after is not None:
            if c == '"':
                token = (token or "") + text[i + 1:after - 1]
            i = after
        elif c.isspace() or c in "()":
            if token is not None:
                args.append(token)
                token = None
            depth += {"(": 1, ")": -1}.get(c, 0)
            i += 1
            if depth == 0:
                return args, i
        else:
            token = (token or "") + c
            i += 1
    return args, i


def cmake_commands(text):
    """Each command call in a CMake file: (lowercased name, arguments, line)."""
    commands, i = [], 0
    while i < len(text):
        after = _skip(text, i)
        m = COMMAND.match(text, i) if after is None else None
        if after is not None:
            i = after
        elif m and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")):
            args, i = _arguments(text, m.end())
            commands.append((m.group(1).lower(), args, text.count("\n", 0, m.start()) + 1))
        else:
            i += 1
    return commands


def _cmake_files(root):
    yield "CMakeLists.txt"
    for dirpath, dirnames, filenames in os.walk(os.path.join(root, "src")):
        dirnames.sort()
        if "CMakeLists.txt" in filenames:
            yield os.path.relpath(os.path.join(dirpath, "CMakeLists.txt"), root).replace(os.sep, "/")


def load_targets(root, problems):
    """The targets of the top CMakeLists.txt and of src/**/CMakeLists.txt, by name."""
    targets, links = {}, []
    for path in _cmake_files(root):
        full = os.path.join(root, path)
        if not os.path.isfile(full):
            continue
        with open(full, encoding="utf-8") as f:
            commands = cmake_commands(f.read())
        here = os.path.dirname(path)  # "" for the top, "src/daemon" below
        for name, args, line in commands:
            where = f"{path}:{line}"
            if name in ("add_library", "add_executable") and args and not {"IMPORTED", "ALIAS"} & set(args):
                target = Target(args[0], where)
                if name == "add_library" and here.startswith("src/"):
                    target.folder = here[len("src/"):]
                else:
                    target.files = {os.path.normpath(os.path.join(here, a)).replace(os.sep, "/")
                                    for a in args[1:] if a.endswith(SOURCE_SUFFIXES)}
                targets.setdefault(target.name, target)
            elif name == "target_link_libraries" and args:
                links.append((args[0], args[1:], where))
    for owner, items, where in links:
        if owner not in targets:
            continue
        for item in items:
            if item in LINK_KEYWORDS:
                continue
            names = TETHER_NAME.findall(item) if item.startswith("$<") else [item]
            for dep in names:
                if dep in targets:
                    targets[owner].deps.setdefault(dep, where)
                elif TETHER_NAME.fullmatch(dep):
                    problems.append((where, f"{where}: {owner} declares {dep}, which is not a target"))
    folders = {}
    for target in targets.values():
        if target.folder is None:
            continue
        if target.folder in folders:
            first = folders[target.folder]
            problems.append((target.where, f"{target.where}: {target.name} is a second library in "
                                           f"src/{target.folder} ({first.name} is the first)"))
            continue
        folders[target.folder] = target
    return targets, folders


def folder_of(path, folders):
    """The target folder a path inside src/ belongs to: the longest folder it starts with."""
    parts = path.split("/")[:-1]
    for n in range(len(parts), 0, -1):
        if "/".join(parts[:n]) in folders:
            return "/".join(parts[:n])
    return None


def source_files(root):
    for dirpath, dirnames, filenames in os.walk(os.path.join(root, "src")):
        dirnames.sort()
        for name in sorted(filenames):
            if name.endswith(SOURCE_SUFFIXES):
                yield os.path.relpath(os.path.join(dirpath, name), root).replace(os.sep, "/")


def tether_includes(root, path, src_dirs):
    """(line, included path) for each #include "folder/..." naming a src/ folder."""
    with open(os.path.join(root, path), encoding="utf-8", errors="replace") as f:
        for number, text in enumerate(f, 1):
            m = INCLUDE.match(text)
            if m and "/" in m.group(1) and m.group(1).split("/")[0] in src_dirs:
                yield number, m.group(1)


def may_include(target, folder, folders):
    return folder == target.folder or folders[folder].name in target.deps


def check(root):
    """The violations as (where, message), and the summary's counts."""
    problems = []
    targets, folders = load_targets(root, problems)
    sharers = {header: [t for f, t in sorted(folders.items()) if f.startswith(os.path.dirname(header) + "/")]
               for header in SHARED_HEADERS}
    sharers = {header: owners for header, owners in sharers.items() if owners}
    src = os.path.join(root, "src")
    src_dirs = {d for d in os.listdir(src) if os.path.isdir(os.path.join(src, d))}
    owned_files = {f: t for t in targets.values() for f in t.files}
    files = includes = 0
    for path in source_files(root):
        inside = path[len("src/"):]
        folder = folder_of(inside, folders)
        if path in owned_files:
            owners = [owned_files[path]]
        elif inside in sharers:
            owners = sharers[inside]
        elif folder is not None:
            owners = [folders[folder]]
        else:
            problems.append((path, f"{path}: belongs to no tether target"))
            continue
        files += 1
        for line, included in tether_includes(root, path, src_dirs):
            includes += 1
            at = f"{path}:{line}"
            for owner in owners:
                if included in sharers:
                    if owner in sharers[included] or any(s.name in owner.deps for s in sharers[included]):
                        continue
                    names = ", ".join(s.name for s in sharers[included])
                    problems.append((at, f'{at}: includes "{included}" but {owner.name} declares none of {names}'))
                    continue
                folder = folder_of(included, folders)
                if folder is None:
                    problems.append((at, f'{at}: includes "{included}", which belongs to no tether target'))
                elif not may_include(owner, folder, folders):
                    problems.append((at, f'{at}: includes "{included}" but {owner.name} '
                                         f"does not declare {folders[folder].name}"))
    return problems, len(targets), files, includes


def _sort_key(problem):
    where = problem[0].rsplit(":", 1)
    return (where[0], int(where[1])) if len(where) == 2 and where[1].isdigit() else (problem[0], 0)


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."),
                        help="the project's top folder (with CMakeLists.txt and src/)")
    args = parser.parse_args(argv)
    if not os.path.isfile(os.path.join(args.root, "CMakeLists.txt")) or not os.path.isdir(os.path.join(args.root, "src")):
        parser.error(f"{args.root} has no CMakeLists.txt and src/")
    problems, targets, files, includes = check(args.root)
    for _, message in sorted(problems, key=_sort_key):
        print(message)
    if problems:
        print(f"layering: {len(problems)} violation{'s' if len(problems) != 1 else ''}")
        return 1
    print(f"layering: {targets} targets, {files} files, {includes} includes of tether folders, all declared")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

#!/usr/bin/env python3
"""What a wasm module holds: bytes per section, per library and per function.

Reads a module linked with names kept (em++ --profiling-funcs; Emscripten writes them
demangled, llvm-cxxfilt is tried for any still mangled) and groups functions by where they come from. Which of Grove's libraries defines a
function is read from the wasm build tree's archives (llvm-nm on the LTO bitcode); the rest by
name (nlohmann/json, libc++ templates, libc).
Usage: scripts/wasm_size.py grove-core.wasm --tree build/wasm [--top N]
"""
import argparse, collections, re, shutil, subprocess, sys


def leb(data, pos):
    result = shift = 0
    while True:
        b = data[pos]; pos += 1
        result |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            return result, pos


SECTION_NAMES = {1: "type", 2: "import", 3: "function", 4: "table", 5: "memory", 6: "global", 7: "export",
                 8: "start", 9: "element", 10: "code", 11: "data", 12: "data count"}


def parse(data):
    if data[:4] != b"\0asm":
        sys.exit("not a wasm module")
    pos, sections, imports_fn, bodies, names = 8, [], 0, [], {}
    while pos < len(data):
        sid = data[pos]; pos += 1
        size, pos = leb(data, pos)
        start, end = pos, pos + size
        label = SECTION_NAMES.get(sid, str(sid))
        if sid == 0:
            nlen, p = leb(data, pos)
            label = "custom:" + data[p:p + nlen].decode()
            if label == "custom:name":
                p += nlen
                while p < end:
                    sub = data[p]; p += 1
                    slen, p = leb(data, p)
                    if sub == 1:
                        q = p
                        count, q = leb(data, q)
                        for _ in range(count):
                            idx, q = leb(data, q)
                            l, q = leb(data, q)
                            names[idx] = data[q:q + l].decode(errors="replace"); q += l
                    p += slen
        elif sid == 2:  # imports: count the functions, which come first in the index space
            p = pos
            count, p = leb(data, p)
            for _ in range(count):
                for _ in range(2):
                    l, p = leb(data, p); p += l
                kind = data[p]; p += 1
                if kind == 0:
                    _, p = leb(data, p); imports_fn += 1
                elif kind == 1:
                    p += 1; flags, p = leb(data, p); _, p = leb(data, p)
                    if flags & 1: _, p = leb(data, p)
                elif kind == 2:
                    flags, p = leb(data, p); _, p = leb(data, p)
                    if flags & 1: _, p = leb(data, p)
                elif kind == 3:
                    p += 2
        elif sid == 10:
            p = pos
            count, p = leb(data, p)
            for i in range(count):
                bsize, q = leb(data, p)
                bodies.append((imports_fn + i, q - p + bsize))
                p = q + bsize
        sections.append((label, size))
        pos = end
    return sections, [(names.get(i, f"func{i}"), s) for i, s in bodies]


def owners(tree):
    """Mangled name -> library, from the strong (and, apart, weak) definitions in the archives."""
    nm = shutil.which("llvm-nm-14") or shutil.which("llvm-nm")
    libs = [("ImGui", ["libimgui.a"]), ("Grove shared (domain, wire, sync)", ["shared/libgrove_shared.a"]),
            ("Grove widget (UI, platform)", ["widget/libgrove_widget_app.a", "widget/CMakeFiles/grove-core.dir"])]
    strong, weak = {}, collections.defaultdict(set)
    if not (tree and nm):
        return strong, weak
    import glob, os
    for label, paths in libs:
        files = []
        for p in paths:
            full = os.path.join(tree, p)
            files += glob.glob(os.path.join(full, "**", "*.o"), recursive=True) if os.path.isdir(full) else [full]
        files = [f for f in files if os.path.exists(f)]
        if not files:
            continue
        out = subprocess.run([nm, "--defined-only", "--demangle"] + files, capture_output=True, text=True).stdout
        for line in out.splitlines():
            parts = line.split(" ", 2)
            if len(parts) == 3 and len(parts[1]) == 1:
                kind, name = parts[1], parts[2]
                if kind in "TtDdBbRr":
                    strong.setdefault(name, label)
                elif kind in "WwVv":
                    weak[name].add(label)
    return strong, weak


GROUPS = [
    ("ImGui", re.compile(r"^(ImGui|Im[A-Z]|ImGui_Impl|stb|STB|ImFont|ImDraw|ImVec|ImStr|ImHash|ImFormat|ImText|ImTriangle|ImBezier|ImParse|ImQsort|ImFile)")),
    ("nlohmann/json", re.compile(r"nlohmann")),
    ("Grove shared (domain, wire, sync)", re.compile(r"^grove::(?!ui::|web::|app::)|^grove::client")),
    ("Grove widget (UI, platform)", re.compile(r"^grove::(ui|web|app)::|^Grove|^grove_|WidgetApp")),
    ("libc++ (strings, containers, streams, locale)", re.compile(r"^std::|^void std::|__cxx|__1::|operator new|operator delete")),
    ("libc / emmalloc / compiler-rt", re.compile(r"^(emmalloc|dlmalloc|malloc|free|memcpy|memset|memmove|strlen|str|__|vfprintf|printf|sn?printf|fmt_|pop_arg|out|pad|frexp|scalbn|qsort|sift|trinkle|shl|shr|cycle|pntz|wcrtomb|atoi|strto)")),
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("wasm")
    ap.add_argument("--top", type=int, default=40)
    ap.add_argument("--tree", help="the wasm build tree whose archives say which library defines what")
    a = ap.parse_args()
    data = open(a.wasm, "rb").read()
    sections, funcs = parse(data)
    cxxfilt = shutil.which("llvm-cxxfilt-14") or shutil.which("c++filt")
    raw = [n for n, _ in funcs]
    if cxxfilt:
        out = subprocess.run([cxxfilt], input="\n".join(raw), capture_output=True, text=True).stdout.split("\n")
        demangled = out[:len(raw)] if len(out) >= len(raw) else raw
    else:
        demangled = raw
    print(f"# {a.wasm}: {len(data):,} bytes, {len(funcs):,} functions")
    print("\n## Sections (bytes)")
    for label, size in sorted(sections, key=lambda s: -s[1]):
        print(f"{size:>10,}  {label}")
    strong, weak = owners(a.tree)
    groups = collections.Counter(); counts = collections.Counter()
    for name, (_, size) in zip(demangled, funcs):
        mangled = name   # Emscripten's name section holds demangled names, and nm was asked for them
        g = strong.get(mangled)
        if g is None and "nlohmann" in name:
            g = "nlohmann/json"
        if g is None and len(weak.get(mangled, ())) == 1 and name.startswith(("std::", "void std::")):
            g = next(iter(weak[mangled])) + ", std templates"
        if g is None and len(weak.get(mangled, ())) == 1:
            g = next(iter(weak[mangled]))
        if g is None:
            g = next((g for g, rx in GROUPS if rx.search(name)), "other")
        groups[g] += size; counts[g] += 1
    total = sum(s for _, s in funcs)
    print(f"\n## Code by origin ({total:,} bytes of function bodies)")
    for g, size in groups.most_common():
        print(f"{size:>10,}  {100 * size / total:5.1f} %  {counts[g]:>5} functions  {g}")
    print(f"\n## Largest {a.top} functions")
    for name, (_, size) in sorted(zip(demangled, funcs), key=lambda x: -x[1][1])[:a.top]:
        print(f"{size:>10,}  {name[:150]}")


if __name__ == "__main__":
    main()

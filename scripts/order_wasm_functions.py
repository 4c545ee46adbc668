#!/usr/bin/env python3
"""Reorder a wasm module's function definitions so that gzip and brotli find more repeats.

The linker lays functions out by object file and symbol order, so the many near-identical
template instances (nlohmann::json's, libc++'s containers, ImGui's helpers) end up far apart,
often beyond deflate's 32 KB window. Putting alike functions next to each other makes their
bodies repeat within the window. Two rules, in this order:

  1. The functions called from the most places come first, as many as still get a one-byte index
     in the call instruction (indices below 128, counting the imported functions), so the most
     frequent calls stay as short as binaryen's --reorder-functions would make them.
  2. The rest sorted by a similarity key: the function's name without template arguments or
     parameters (all instances of one template together), then its wasm signature, then the
     full name.

Needs the module linked with function names (em++ --profiling-funcs); writes it back without
names, or with them (--keep-names) for a later step that needs them (scripts/split_wasm.py). Behaviour is unchanged: calls name their target, the table (function pointers), the
exports and the imports keep their meaning; only function indices move.
Usage: scripts/order_wasm_functions.py in.wasm -o out.wasm [--keep-names] [--bin-dir DIR_OF_BINARYEN_TOOLS]
"""
import argparse, collections, os, re, subprocess, sys, tempfile

FUNC_START = re.compile(r"^ \(func \$(\S+)")
TOP_LEVEL = re.compile(r"^ \(|^\)")
CALL = re.compile(r"\((?:call|return_call) \$([^\s)]+)")
ONE_BYTE_INDICES = 128


def unescape(name):
    """wasm-dis writes characters outside the identifier set as \\hh."""
    return re.sub(r"\\([0-9a-fA-F]{2})", lambda m: chr(int(m.group(1), 16)), name)


def base_name(name):
    """`ns::vector<int>::push_back(int const&)` -> `ns::vector::push_back`."""
    text = unescape(name)
    out, angle = [], 0
    i = 0
    while i < len(text):
        c = text[i]
        if text.startswith("(anonymous namespace)", i) and angle == 0:
            out.append("(anonymous namespace)")
            i += len("(anonymous namespace)")
            continue
        if c == "<":
            angle += 1
        elif c == ">" and angle > 0:
            angle -= 1
        elif c == "(" and angle == 0:
            break
        elif angle == 0:
            out.append(c)
        i += 1
    return "".join(out)


def signature(first_line):
    """The params and results of a function's header line, without parameter names."""
    return " ".join(re.findall(r"\((?:param|result)(?: \$\S+)? (\w+)\)", first_line))


def order(functions, imported):
    """functions: list of (name, lines). Returns them in the new order."""
    calls = collections.Counter()
    for _, lines in functions:
        for line in lines:
            for target in CALL.findall(line):
                calls[target] += 1
    slots = max(0, ONE_BYTE_INDICES - imported)
    by_calls = sorted(functions, key=lambda f: (-calls[f[0]], f[0]))
    hot = [f for f in by_calls[:slots] if calls[f[0]] > 1]
    hot_names = {f[0] for f in hot}
    rest = [f for f in functions if f[0] not in hot_names]
    rest.sort(key=lambda f: (base_name(f[0]), signature(f[1][0]), f[0]))
    return hot + rest


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("input")
    parser.add_argument("-o", "--output", required=True)
    parser.add_argument("--bin-dir", default="", help="directory of wasm-dis and wasm-as (default: PATH)")
    parser.add_argument("--features", default="--mvp-features --enable-mutable-globals",
                        help="binaryen feature flags of the module")
    parser.add_argument("--keep-names", action="store_true", help="write the name section back too")
    args = parser.parse_args()
    tool = lambda name: os.path.join(args.bin_dir, name) if args.bin_dir else name
    features = args.features.split()

    with tempfile.TemporaryDirectory() as tmp:
        text_in = os.path.join(tmp, "in.wat")
        subprocess.run([tool("wasm-dis"), args.input, "-o", text_in] + features, check=True)
        with open(text_in, encoding="utf-8") as f:
            lines = f.read().split("\n")

        head, functions, tail = [], [], []
        current = None
        for line in lines:
            match = FUNC_START.match(line)
            if match:
                if tail:
                    sys.exit("order_wasm_functions: function definitions are not contiguous")
                current = (match.group(1), [line])
                functions.append(current)
            elif current is not None and TOP_LEVEL.match(line):
                current = None
                tail.append(line)
            elif current is not None:
                current[1].append(line)
            elif functions:
                tail.append(line)
            else:
                head.append(line)
        if not functions:
            sys.exit("order_wasm_functions: no function definitions found")
        named = sum(1 for name, _ in functions if not re.fullmatch(r"\d+", name))
        if named * 2 < len(functions):
            sys.exit("order_wasm_functions: the module has no function names (link with --profiling-funcs)")
        imported = sum(1 for line in head if re.match(r"^ \(import \S+ \S+ \(func ", line))

        ordered = order(functions, imported)
        text_out = os.path.join(tmp, "out.wat")
        with open(text_out, "w", encoding="utf-8") as f:
            f.write("\n".join(head + [l for _, body in ordered for l in body] + tail))
        # Without -g, wasm-as writes no name section.
        names = ["-g"] if args.keep_names else []
        subprocess.run([tool("wasm-as"), text_out, "-o", args.output] + names + features, check=True)
    print(f"order_wasm_functions: {len(functions)} functions reordered, {imported} imported")


if __name__ == "__main__":
    main()

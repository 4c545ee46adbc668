#!/usr/bin/env python3
"""Split the widget's wasm into the module a learner's first view needs and a deferred one.

The primary module keeps the functions named in the keep list (widget/split_keep.txt: what the
first view, typing and posting ran when it was profiled, see scripts/wasm_split_keep.sh); every
other function moves to the deferred module, which the loader (host-page/grove.js) fetches and
instantiates once the widget is up. A function of the deferred module called before then goes
through Emscripten's placeholder, which loads the deferred module on the spot
(docs/BENCHMARKS.md "Split module, applied").

Input: the finished module with function names (the build's post-link wasm-opt with -g, then
scripts/order_wasm_functions.py --keep-names). The names are only for matching the list: the
module is split without them, so that binaryen exports and imports the moved functions under
short numbers (`%123`) instead of their C++ names. A name in the list that the module no longer
has is counted and skipped (the code changed since the profile: regenerate the list); a function
the list does not name goes to the deferred module.
With --profile-names, it prints instead the names of the functions that instrumented runs of
the module (wasm-split --instrument, then its __write_profile) called, one per line: what
scripts/wasm_split_keep.sh turns into the keep list.
Usage: scripts/split_wasm.py named.wasm --keep LIST -o1 primary.wasm -o2 deferred.wasm
                             [--bin-dir DIR_OF_BINARYEN_TOOLS] [--features "..."]
       scripts/split_wasm.py named.wasm --profile-names PROFILE [PROFILE ...] [--bin-dir ...]
       scripts/split_wasm.py named.wasm --names-in-module LIST    (the list's names it still has)
"""
import argparse, importlib.util, os, re, subprocess, sys, tempfile


def load_wasm_size():
    spec = importlib.util.spec_from_file_location(
        "wasm_size", os.path.join(os.path.dirname(os.path.abspath(__file__)), "wasm_size.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def read_list(path):
    """The names of a keep list: one a line; empty lines and # comments skipped."""
    with open(path, encoding="utf-8") as f:
        return {line.rstrip("\n") for line in f if line.strip() and not line.startswith("#")}


def profile_names(tool, features, module, profiles):
    """The names of the functions any of the profiles says ran, sorted; wasm-split prints them
    escaped (\\28 for "(")."""
    names = set()
    for profile in profiles:
        run = subprocess.run([tool("wasm-split"), module, "--profile", profile, "-o1", os.devnull, "-o2", os.devnull,
                              "-v"] + features, check=True, capture_output=True, text=True)
        for line in (run.stdout + run.stderr).splitlines():
            if line.startswith("Keeping functions: "):
                for name in line[len("Keeping functions: "):].split(", "):
                    names.add(re.sub(r"\\([0-9a-f]{2})", lambda m: chr(int(m.group(1), 16)), name))
    return sorted(names)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("input")
    parser.add_argument("--keep", help="file of function names, one per line")
    parser.add_argument("-o1", dest="primary")
    parser.add_argument("-o2", dest="deferred")
    parser.add_argument("--profile-names", nargs="+", metavar="PROFILE",
                        help="print the names of the functions these profiles say ran, and stop")
    parser.add_argument("--names-in-module", metavar="LIST",
                        help="print the names of LIST that the module has, and stop")
    parser.add_argument("--bin-dir", default="", help="directory of wasm-opt and wasm-split (default: PATH)")
    parser.add_argument("--features", default="--mvp-features --enable-mutable-globals",
                        help="binaryen feature flags of the module")
    args = parser.parse_args()
    tool = lambda name: os.path.join(args.bin_dir, name) if args.bin_dir else name
    features = args.features.split()
    if args.names_in_module:
        have = {name for name, _ in load_wasm_size().parse(open(args.input, "rb").read())[1]}
        sys.stdout.write("".join(name + "\n" for name in sorted(read_list(args.names_in_module) & have)))
        return
    if args.profile_names:
        sys.stdout.write("".join(name + "\n" for name in profile_names(tool, features, args.input, args.profile_names)))
        return
    if not (args.keep and args.primary and args.deferred):
        parser.error("--keep, -o1 and -o2 are needed to split")

    keep = read_list(args.keep)
    if not keep:
        sys.exit(f"split_wasm: {args.keep} names no function")
    with open(args.input, "rb") as f:
        _, functions = load_wasm_size().parse(f.read())
    names = [name for name, _ in functions]
    if sum(1 for n in names if not n.startswith("func")) * 2 < len(names):
        sys.exit("split_wasm: the module has no function names (keep them: wasm-opt -g, order_wasm_functions.py --keep-names)")
    # binaryen calls the i-th defined function of a module without names "i".
    indices = [str(i) for i, name in enumerate(names) if name in keep]
    kept_bytes = sum(size for name, size in functions if name in keep)
    missing = len(keep - set(names))

    with tempfile.TemporaryDirectory() as tmp:
        plain = os.path.join(tmp, "plain.wasm")
        listed = os.path.join(tmp, "keep.txt")
        with open(listed, "w") as f:
            f.write("\n".join(indices) + "\n")
        subprocess.run([tool("wasm-opt"), args.input, "--strip-debug", "-o", plain] + features, check=True)
        subprocess.run([tool("wasm-split"), plain, "--keep-funcs", "@" + listed, "--export-prefix=%",
                        "-o1", args.primary, "-o2", args.deferred] + features,
                       check=True, stdout=subprocess.DEVNULL)
    total_bytes = sum(size for _, size in functions)
    print(f"split_wasm: {len(indices)} of {len(functions)} functions in the primary module "
          f"({kept_bytes * 100 // max(total_bytes, 1)} % of the code), the rest deferred; "
          f"{missing} of the list's {len(keep)} names are not in the module")
    if missing * 4 > len(keep):
        print(f"split_wasm: warning: {args.keep} is out of date (scripts/wasm_split_keep.sh writes it again)")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Seeds tests/fuzz/corpus/fuzz_<dialect> with the JSON examples of the
dialect's spec (every balanced {...} block of the spec text, one file each).
Run by hand when a spec changes: python3 tests/fuzz/seed_from_specs.py SPECDIR
The hand-written multi-frame seeds (seed-*) are kept as they are."""
import hashlib, json, pathlib, sys

SPECS = {"000": "cable", "001": "chats", "002": "social", "003": "rooms", "004": "gateway"}

def blocks(text):
    depth, start = 0, None
    for i, c in enumerate(text):
        if c == "{":
            if depth == 0:
                start = i
            depth += 1
        elif c == "}" and depth:
            depth -= 1
            if depth == 0:
                yield text[start:i + 1]

def main():
    spec_dir = pathlib.Path(sys.argv[1])
    out_root = pathlib.Path(__file__).resolve().parent / "corpus"
    for spec in sorted(spec_dir.iterdir()):
        dialect = SPECS.get(spec.name[:3])
        if not dialect:
            continue
        out = out_root / f"fuzz_{dialect}"
        out.mkdir(parents=True, exist_ok=True)
        seen = 0
        for block in blocks(spec.read_text()):
            try:  # compact what parses; keep the rest as written (still a fine seed)
                block = json.dumps(json.loads(block), separators=(",", ":"))
            except ValueError:
                pass
            data = block.encode()
            if len(data) > 4000:
                continue
            (out / ("spec-" + hashlib.sha1(data).hexdigest()[:16])).write_bytes(data)
            seen += 1
        print(f"{spec.name}: {seen} seeds for fuzz_{dialect}")

if __name__ == "__main__":
    main()

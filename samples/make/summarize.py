#!/usr/bin/env python3
"""Print a short summary of a <stem>.ajp13.json file (used when writing the scenario READMEs)."""
import collections
import json
import sys

NAMES = {"2": "FORWARD_REQUEST", "3": "SEND_BODY_CHUNK", "4": "SEND_HEADERS", "5": "END_RESPONSE",
         "6": "GET_BODY_CHUNK", "9": "CPONG", "10": "CPING"}
rows = json.load(open(sys.argv[1]))
codes = collections.Counter()
streams = collections.defaultdict(list)
for r in rows:
    for p in r["pdus"]:
        code = p.get("ajp13.code")
        name = NAMES.get(code, "body" if code is None and p.get("ajp13.magic") == "12:34" else f"code {code}")
        if code == "5":
            name += f" reuse={p.get('ajp13.reusep')}"
        if code == "4":
            name += f" {p.get('ajp13.rstatus')}"
        codes[name] += 1
        streams[r["stream"]].append(name)
print("PDUs by type:")
for k, v in sorted(codes.items()):
    print(f"  {v:5d} {k}")
print(f"AJP TCP streams: {len(streams)}")
for s, names in sorted(streams.items()):
    short = collections.Counter(names)
    print(f"  stream {s}: " + ", ".join(f"{k} x{v}" for k, v in short.items()))

#!/usr/bin/env python3
"""Trim `tshark -T json --no-duplicate-keys` output to what the golden tests compare.

Input (stdin): tshark -r CAPTURE -2 -o tcp.reassemble_out_of_order:TRUE -d tcp.port==PORT,ajp13
               -T json --no-duplicate-keys -Y ajp13
Output (stdout): a JSON array, one object per frame that carries at least one AJP13 PDU:
  {"frame": N, "stream": S, "tcp_len": L, "src_port": P, "dst_port": P,
   "pdus": [ {"ajp13.code": "...", ...}, ... ]}   # one object per PDU, in tshark's order
Every ajp13.* field tshark shows is kept verbatim (strings, lists for repeated fields such as
ajp13.req_attribute), except the body bytes: ajp13.data is replaced by "ajp13.data_chars": N, the
length of tshark's rendering of the data (tshark renders bodies as text, so N is not necessarily a byte
count), to keep the files small. Expert infos are kept as "_ws.expert.message" lists.
"""
import json
import sys


def flatten(obj, out):
    """Collect leaf fields of one PDU; sub-trees (ajp13.data_tree, _ws.expert) are merged in."""
    for key, value in obj.items():
        if isinstance(value, dict):
            flatten(value, out)
        elif key == "ajp13.data":
            out["ajp13.data_chars"] = len(value) if isinstance(value, str) else value
        elif key.startswith("ajp13.") or key == "_ws.expert.message":
            if key in out:
                prev = out[key] if isinstance(out[key], list) else [out[key]]
                out[key] = prev + (value if isinstance(value, list) else [value])
            else:
                out[key] = value


def first(layer, key):
    value = layer.get(key)
    if isinstance(value, list):
        value = value[0]
    return int(value) if value is not None else None


def main():
    frames = json.load(sys.stdin)
    result = []
    for fr in frames:
        layers = fr["_source"]["layers"]
        ajp = layers.get("ajp13")
        if ajp is None:
            continue
        pdus = ajp if isinstance(ajp, list) else [ajp]
        tcp = layers["tcp"]
        row = {
            "frame": first(layers["frame"], "frame.number"),
            "stream": first(tcp, "tcp.stream"),
            "tcp_len": first(tcp, "tcp.len"),
            "src_port": first(tcp, "tcp.srcport"),
            "dst_port": first(tcp, "tcp.dstport"),
            "pdus": [],
        }
        for pdu in pdus:
            flat = {}
            flatten(pdu, flat)
            row["pdus"].append(flat)
        result.append(row)
    json.dump(result, sys.stdout, indent=1, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()

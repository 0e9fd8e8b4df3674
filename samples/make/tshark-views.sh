#!/bin/bash
# tshark-views.sh CAPTURE [AJP_PORT]: write tshark's view of CAPTURE beside it, for golden tests.
#   <stem>.ajp13.json   per frame carrying AJP13: frame number, tcp.stream, tcp.len and every ajp13.*
#                       field tshark decoded (trimmed by trim-tshark-json.py)
#   <stem>.conv-tcp.txt tshark -q -z conv,tcp
#   <stem>.tcp-len.tsv  frame.number, tcp.stream, tcp.len for every frame
# where <stem> is CAPTURE without its extension (capture.pcap -> capture.*).
set -euo pipefail
f=$1
port=${2:-18009}
here=$(cd "$(dirname "$0")" && pwd)
stem=${f%.*}
tshark -r "$f" -2 -o tcp.reassemble_out_of_order:TRUE -d "tcp.port==$port,ajp13" \
    -T json --no-duplicate-keys -Y ajp13 \
    | python3 "$here/trim-tshark-json.py" > "$stem.ajp13.json"
tshark -r "$f" -q -z conv,tcp > "$stem.conv-tcp.txt"
tshark -r "$f" -T fields -e frame.number -e tcp.stream -e tcp.len > "$stem.tcp-len.tsv"

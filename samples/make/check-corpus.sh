#!/bin/bash
# check-corpus.sh: sanity checks on the committed corpus (no root needed, only tshark/python3):
# every scenario folder has its files, every capture opens in tshark, sizes are within limits, and
# the committed tshark views are exactly what the committed command produces from the captures.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
samples=$(cd "$here/.." && pwd)
fail=0
total=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for dir in "$samples"/*/; do
    s=$(basename "$dir")
    case $s in make|mcmp) continue ;; esac
    for f in README.md capture.pcap capture.ajp13.json capture.conv-tcp.txt capture.tcp-len.tsv \
             error_log access_log catalina.out client.log run.log httpd.conf server-connector.xml; do
        [ -e "$dir/$f" ] || { echo "$s: missing $f"; fail=1; }
    done
    if grep -q JkWorkersFile "$dir/httpd.conf" 2>/dev/null; then
        for f in mod_jk.log mod_jk-info.log workers.properties; do
            [ -e "$dir/$f" ] || { echo "$s: missing $f"; fail=1; }
        done
    fi
    for cap in "$dir"/capture*.pcap "$dir"/capture*.pcapng; do
        [ -e "$cap" ] || continue
        size=$(stat -c %s "$cap")
        total=$((total + size))
        [ "$size" -le 3200000 ] || { echo "$s: $(basename "$cap") is $size bytes (> ~3 MB)"; fail=1; }
        frames=$(tshark -r "$cap" -T fields -e frame.number 2>/dev/null | wc -l)
        [ "$frames" -gt 0 ] || { echo "$s: $(basename "$cap") does not open in tshark"; fail=1; }
        case $cap in *.pcapng) continue ;; esac
        cp "$cap" "$tmp/"
        (cd "$tmp" && bash "$here/tshark-views.sh" "$(basename "$cap")" 18009 2>/dev/null)
        stem=$(basename "${cap%.*}")
        for v in ajp13.json conv-tcp.txt tcp-len.tsv; do
            cmp -s "$tmp/$stem.$v" "$dir/$stem.$v" || { echo "$s: $stem.$v differs from a fresh tshark run"; fail=1; }
        done
        echo "$s: $(basename "$cap") $frames frames, $size bytes, views reproduced"
        rm -f "$tmp"/*
    done
done
corpus=$(du -sb "$samples" | cut -f1)
echo "captures: $total bytes; samples/: $corpus bytes"
[ "$corpus" -le 30000000 ] || { echo "corpus larger than 30 MB"; fail=1; }
exit $fail

# baseline: healthy traffic through mod_jk (/app/) and mod_proxy_ajp (/pa/), no faults.
scenario_begin baseline

write_workers <<EOF2
worker.list=node1
worker.node1.type=ajp13
worker.node1.host=$AJP_HOST
worker.node1.port=$AJP_PORT
worker.node1.ping_mode=A
worker.node1.ping_timeout=2000
EOF2

httpd_prepare "info proxy:debug proxy_ajp:debug" "$(jk_snippet "JkMount /app/* node1
JkMount /app node1")
ProxyPass /pa/ ajp://$AJP_HOST:$AJP_PORT/app/ ping=2"

tomcat_prepare "    <Connector protocol=\"AJP/1.3\" address=\"$AJP_HOST\" port=\"$AJP_PORT\"
               secretRequired=\"false\" redirectPort=\"8443\" maxThreads=\"20\" />"

tomcat_start
capture_start capture.pcap lo
capture_start capture-any.pcap any
httpd_start

U=http://127.0.0.1:$FRONT_PORT
head -c 20000 /dev/urandom | base64 -w 76 > "$RUN/body-20k.txt"
head -c 30000 /dev/urandom > "$RUN/body-30k.bin"

req get-echo "$U/app/echo?x=1"
req head-echo -I "$U/app/echo"
req get-200k "$U/app/big?size=200000"
req post-20k-cl --data-binary @"$RUN/body-20k.txt" -H 'Content-Type: text/plain' "$U/app/upload"
req post-30k-chunked -H 'Transfer-Encoding: chunked' -H 'Content-Type: application/octet-stream' \
    --data-binary @"$RUN/body-30k.bin" "$U/app/upload-chunked"
req get-flush-stream "$U/app/stream?flush=5&gap=100"
# keep-alive on the client side: four requests on one client connection
req keepalive-4 "$U/app/ka1" -o /dev/null "$U/app/ka2?size=10000" -o /dev/null "$U/app/ka3" \
    -o /dev/null "$U/app/ka4"
sleep 2
# mod_proxy_ajp on another path (ping=2 -> CPing before each request)
req pa-get-echo "$U/pa/echo?via=proxy_ajp"
req pa-head -I "$U/pa/echo"
req pa-get-100k "$U/pa/big?size=100000"
req pa-post-20k-cl --data-binary @"$RUN/body-20k.txt" -H 'Content-Type: text/plain' "$U/pa/upload"
req pa-post-30k-chunked -H 'Transfer-Encoding: chunked' --data-binary @"$RUN/body-30k.bin" "$U/pa/upload-chunked"
req pa-flush-stream "$U/pa/stream?flush=3&gap=100"
sleep 1
# back to mod_jk: pooled connection reused after a pause (CPing before the request, ping_mode=A)
req get-after-pause "$U/app/echo?after=pause"
pids=()
for i in 1 2 3; do req "get-parallel-$i" "$U/app/p$i?ms=300" & pids+=($!); done
wait "${pids[@]}"
sleep 1

httpd_stop
capture_stop_all
tomcat_stop
scenario_collect pcapng

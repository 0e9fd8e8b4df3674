# client-abort: the client abandons a large download and an upload mid-way, through mod_jk and
# through mod_proxy_ajp; then normal requests reuse the pools (ping_mode=A / ping= CPings).
scenario_begin client-abort

write_workers <<EOF2
worker.list=node1
worker.node1.type=ajp13
worker.node1.host=$AJP_HOST
worker.node1.port=$AJP_PORT
worker.node1.ping_mode=A
worker.node1.ping_timeout=2000
EOF2

# The download is produced slowly by the servlet (pace=50: 8 KB every 50 ms), so the response is
# still streaming when the client gives up and the capture stays small.
httpd_prepare "info proxy:debug proxy_ajp:debug" "$(jk_snippet "JkMount /app/* node1")
ProxyPass /pa/ ajp://$AJP_HOST:$AJP_PORT/app/ ping=2"
tomcat_prepare "$(ajp_connector)"

tomcat_start
capture_start capture.pcap lo
httpd_start
U=http://127.0.0.1:$FRONT_PORT
head -c 2000000 /dev/urandom > "$RUN/upload-2m.bin"

req jk-warmup "$U/app/echo?warmup=1"
log "fault: client aborts a 30 MB download (produced at ~160 KB/s) after 2 s"
REQ_MAX_TIME=2 req jk-download-abort "$U/app/big?size=30000000&pace=50"
sleep 2
req_n 3 1 jk-after-download "$U/app/echo?after=download-abort"
log "fault: client aborts a 2 MB upload after 2 s (sending 50 KB/s)"
REQ_MAX_TIME=2 req jk-upload-abort --limit-rate 50k -H 'Content-Type: application/octet-stream' \
    --data-binary @"$RUN/upload-2m.bin" "$U/app/upload"
sleep 2
req_n 3 1 jk-after-upload "$U/app/echo?after=upload-abort"

req pa-warmup "$U/pa/echo?warmup=1"
log "fault: client aborts a 30 MB download via mod_proxy_ajp after 2 s"
REQ_MAX_TIME=2 req pa-download-abort "$U/pa/big?size=30000000&pace=50"
sleep 2
req_n 3 1 pa-after-download "$U/pa/echo?after=download-abort"
log "fault: client aborts a 2 MB upload via mod_proxy_ajp after 2 s"
REQ_MAX_TIME=2 req pa-upload-abort --limit-rate 50k -H 'Content-Type: application/octet-stream' \
    --data-binary @"$RUN/upload-2m.bin" "$U/pa/upload"
sleep 2
req_n 3 1 pa-after-upload "$U/pa/echo?after=upload-abort"
sleep 1

httpd_stop
capture_stop_all
tomcat_stop
scenario_collect

# ghostcat-probe: raw AJP FORWARD_REQUESTs with javax/jakarta.servlet.include.* request attributes
# (CVE-2020-1938 "Ghostcat") sent straight to Tomcat's AJP port, bypassing httpd; plus an HTTP
# request to the AJP port, the other thing scanners do. httpd + mod_jk run beside it (one normal
# request) to show that the web server sees none of it.
scenario_begin ghostcat-probe

write_workers <<EOF2
worker.list=node1
worker.node1.type=ajp13
worker.node1.host=$AJP_HOST
worker.node1.port=$AJP_PORT
EOF2
httpd_prepare "info" "$(jk_snippet "JkMount /app/* node1")"
tomcat_prepare "$(ajp_connector)"

tomcat_start
capture_start capture.pcap lo
httpd_start
U=http://127.0.0.1:$FRONT_PORT

req normal-via-httpd "$U/app/echo?normal=1"
for p in cping plain javax jakarta javax http; do
    log "probe: $p straight to $AJP_HOST:$AJP_PORT"
    timeout 10 python3 "$MAKE_DIR/ghostcat-probe.py" "$AJP_HOST" "$AJP_PORT" "$p" >> "$RUN/client.log" 2>&1 || true
    sleep 1
done
req normal-via-httpd-after "$U/app/echo?normal=2"
sleep 1

httpd_stop
capture_stop_all
tomcat_stop
scenario_collect

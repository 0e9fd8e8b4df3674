# backend-restart: Tomcat restarted (SIGTERM, then started again) while mod_jk holds several pooled
# connections and a steady trickle of requests keeps coming.
scenario_begin backend-restart

write_workers <<EOF2
worker.list=node1
worker.node1.type=ajp13
worker.node1.host=$AJP_HOST
worker.node1.port=$AJP_PORT
worker.node1.ping_mode=A
worker.node1.ping_timeout=2000
EOF2

httpd_prepare "info" "$(jk_snippet "JkMount /app/* node1")"
tomcat_prepare "$(ajp_connector)"

tomcat_start
capture_start capture.pcap lo
httpd_start
U=http://127.0.0.1:$FRONT_PORT

log "filling the pool: 5 concurrent 1 s requests"
req_burst 5 fill "$U/app/fill?ms=1000"
req_n 2 0.5 before "$U/app/echo?phase=before"
log "trickle: 40 requests, one every 0.4 s, while Tomcat restarts"
( req_n 40 0.4 trickle "$U/app/echo?phase=trickle" ) &
trickle_pid=$!
sleep 2
log "fault: Tomcat restart (SIGTERM + start)"
tomcat_stop
tomcat_start
log "Tomcat is back"
wait "$trickle_pid"
req_burst 5 after "$U/app/after?ms=200"
sleep 1

httpd_stop
capture_stop_all
tomcat_stop
scenario_collect

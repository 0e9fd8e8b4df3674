# proxy-ajp-faults: mod_proxy_ajp with ping= (CPing before each request) against a stopped backend,
# then a slow one (timeout=) and a busy one (Tomcat maxThreads=1: CPing not answered in time).
scenario_begin proxy-ajp-faults

httpd_prepare "info proxy:debug proxy_ajp:debug" "ProxyPass /pa/ ajp://$AJP_HOST:$AJP_PORT/app/ ping=1 timeout=3 retry=3"
tomcat_prepare "$(ajp_connector | sed 's/maxThreads="20"/maxThreads="1"/')"

capture_start capture.pcap lo
httpd_start
U=http://127.0.0.1:$FRONT_PORT

log "phase 1: Tomcat not running"
req_n 3 1 down "$U/pa/echo?phase=down"
sleep 3
req down-after-retry "$U/pa/echo?phase=down-after-retry"
sleep 4
log "phase 2: Tomcat started (maxThreads=1)"
tomcat_start
req_n 2 0.5 up "$U/pa/echo?phase=up"
log "phase 3: slow request (5 s) against timeout=3"
req slow "$U/pa/slow?ms=5000"
sleep 3
req up-again "$U/pa/echo?phase=up-again"
log "phase 4: the only Tomcat thread busy for 2.9 s (< timeout=3) while another request arrives"
req busy "$U/pa/busy?ms=2900" &
busy_pid=$!
sleep 0.5
req while-busy "$U/pa/echo?phase=while-busy"
wait "$busy_pid"
sleep 1
req after-busy "$U/pa/echo?phase=after-busy"
sleep 1

httpd_stop
capture_stop_all
tomcat_stop
scenario_collect

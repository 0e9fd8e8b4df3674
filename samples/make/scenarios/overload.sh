# overload: Tomcat maxThreads=2, a 3 s servlet, a bounded burst of 10 concurrent requests through
# mod_jk (ping_mode=A, ping_timeout=1000) and then 6 through mod_proxy_ajp (ping=1).
scenario_begin overload

write_workers <<EOF2
worker.list=node1
worker.node1.type=ajp13
worker.node1.host=$AJP_HOST
worker.node1.port=$AJP_PORT
worker.node1.ping_mode=A
worker.node1.ping_timeout=1000
EOF2

httpd_prepare "info proxy:debug proxy_ajp:debug" "$(jk_snippet "JkMount /app/* node1")
ProxyPass /pa/ ajp://$AJP_HOST:$AJP_PORT/app/ ping=1"
tomcat_prepare "$(ajp_connector | sed 's/maxThreads="20"/maxThreads="2"/')"

tomcat_start
capture_start capture.pcap lo
httpd_start
U=http://127.0.0.1:$FRONT_PORT

req_n 2 0.5 before "$U/app/echo?phase=before"
log "fault: burst of 10 concurrent 3 s requests through mod_jk (Tomcat maxThreads=2)"
req_burst 10 jk-burst "$U/app/slow?ms=3000"
sleep 2
req_n 2 0.5 jk-after "$U/app/echo?phase=after"
log "fault: burst of 6 concurrent 3 s requests through mod_proxy_ajp"
req_burst 6 pa-burst "$U/pa/slow?ms=3000"
sleep 2
req_n 2 0.5 pa-after "$U/pa/echo?phase=after"
sleep 1

httpd_stop
capture_stop_all
tomcat_stop
scenario_collect

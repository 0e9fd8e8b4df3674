# reply-timeout: servlet slower than reply_timeout (mod_jk lb member) / timeout= (mod_proxy_ajp).
scenario_begin reply-timeout

write_workers <<EOF2
worker.list=lb
worker.lb.type=lb
worker.lb.balance_workers=node1
worker.lb.max_reply_timeouts=2
worker.node1.type=ajp13
worker.node1.host=$AJP_HOST
worker.node1.port=$AJP_PORT
worker.node1.reply_timeout=1000
EOF2

httpd_prepare "info proxy:debug proxy_ajp:debug" "$(jk_snippet "JkMount /app/* lb")
ProxyPass /pa/ ajp://$AJP_HOST:$AJP_PORT/app/ timeout=1"
tomcat_prepare "$(ajp_connector)"

tomcat_start
capture_start capture.pcap lo
httpd_start
U=http://127.0.0.1:$FRONT_PORT

req jk-fast-1 "$U/app/echo?ms=100"
log "fault: requests of 3 s against reply_timeout=1000 ms"
req jk-slow-1 "$U/app/slow?ms=3000"
req jk-fast-2 "$U/app/echo?ms=100"
req jk-slow-2 "$U/app/slow?ms=3000"
req jk-slow-3 "$U/app/slow?ms=3000"
req jk-fast-3 "$U/app/echo?ms=100"
req jk-slow-4 "$U/app/slow?ms=3000"
req jk-fast-4 "$U/app/echo?ms=100"
sleep 3
req jk-fast-5 "$U/app/echo?ms=100"
log "mod_proxy_ajp: timeout=1 against 3 s requests"
req pa-fast-1 "$U/pa/echo?ms=100"
req pa-slow-1 "$U/pa/slow?ms=3000"
req pa-fast-2 "$U/pa/echo?ms=100"
req pa-slow-2 "$U/pa/slow?ms=3000"
req pa-fast-3 "$U/pa/echo?ms=100"
sleep 3

httpd_stop
capture_stop_all
tomcat_stop
scenario_collect

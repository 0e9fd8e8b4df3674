# backend-down: Tomcat stopped while mod_jk (lb worker, one member) keeps sending requests, then
# started again: connection refusals, lb member in error, forced recovery, recovery.
scenario_begin backend-down

write_workers <<EOF2
worker.list=lb
worker.maintain=5
worker.lb.type=lb
worker.lb.balance_workers=node1
worker.lb.recover_time=5
worker.node1.type=ajp13
worker.node1.host=$AJP_HOST
worker.node1.port=$AJP_PORT
EOF2

httpd_prepare "info" "$(jk_snippet "JkMount /app/* lb")"
tomcat_prepare "$(ajp_connector)"

tomcat_start
capture_start capture.pcap lo
httpd_start
U=http://127.0.0.1:$FRONT_PORT

req_n 3 0.5 before "$U/app/echo?phase=up"
sleep 1
log "fault: stopping Tomcat"
tomcat_stop
sleep 1
req_n 4 1 down "$U/app/echo?phase=down"
log "waiting past recover_time (5 s) with Tomcat still down"
sleep 6
req_n 2 1 still-down "$U/app/echo?phase=still-down"
log "fault ends: starting Tomcat again"
tomcat_start
sleep 1
req_n 4 1 after "$U/app/echo?phase=recovered"
sleep 6
req_n 2 1 later "$U/app/echo?phase=later"
sleep 1

httpd_stop
capture_stop_all
tomcat_stop
scenario_collect

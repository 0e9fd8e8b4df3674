# packet-size: (1) request headers (a ~10 KB cookie) larger than the default 8 KB packet, with
# default sizes everywhere and with mod_jk max_packet_size=65536 only; (2) Tomcat packetSize=65536
# with mod_jk / mod_proxy_ajp left at 8192.
scenario_begin packet-size

write_workers <<EOF2
worker.list=node1,big
worker.node1.type=ajp13
worker.node1.host=$AJP_HOST
worker.node1.port=$AJP_PORT
worker.big.type=ajp13
worker.big.host=$AJP_HOST
worker.big.port=$AJP_PORT
worker.big.max_packet_size=65536
EOF2

httpd_prepare "info proxy:debug proxy_ajp:debug" "LimitRequestFieldSize 65536
$(jk_snippet "JkMount /app/* node1
JkMount /app/big/* big")
ProxyPass /pa/ ajp://$AJP_HOST:$AJP_PORT/app/"

CONNECTOR_DEFAULT=$(ajp_connector)
CONNECTOR_BIG=$(ajp_connector 'packetSize="65536"')
tomcat_prepare "$CONNECTOR_DEFAULT"
printf '<!-- phase 1 -->\n%s\n<!-- phase 2 -->\n%s\n' "$CONNECTOR_DEFAULT" "$CONNECTOR_BIG" > "$RUN/server-connector.xml"

tomcat_start
capture_start capture.pcap lo
httpd_start
U=http://127.0.0.1:$FRONT_PORT
COOKIE="big=$(head -c 7500 /dev/urandom | base64 -w0)"   # ~10 000 bytes

log "phase 1: Tomcat packetSize default (8192)"
req jk-small "$U/app/echo?phase=1"
req_n 2 0.5 jk-bigcookie -H "Cookie: $COOKIE" "$U/app/echo?cookie=10k"
req_n 2 0.5 jkbig-bigcookie -H "Cookie: $COOKIE" "$U/app/big/echo?cookie=10k"
req jkbig-small "$U/app/big/echo?small=1"
req_n 2 0.5 pa-bigcookie -H "Cookie: $COOKIE" "$U/pa/echo?cookie=10k"
req pa-small "$U/pa/echo?small=1"
sleep 1

log "phase 2: restart Tomcat with packetSize=65536 (web server side unchanged)"
tomcat_stop
sed -i 's/maxThreads="20" \/>/maxThreads="20" packetSize="65536" \/>/' "$TC/conf/server.xml"
tomcat_start
sleep 1
req_n 2 0.5 jk-download "$U/app/echo?size=100000"
req_n 2 0.5 jkbig-download "$U/app/big/echo?size=100000"
req_n 2 0.5 pa-download "$U/pa/echo?size=100000"
req jk-small-after "$U/app/echo?phase=2"
sleep 1

httpd_stop
capture_stop_all
tomcat_stop
scenario_collect

# firewall-idle-drop: Tomcat in its own network namespace behind a veth pair; inside that namespace
# a stateful firewall (iptables conntrack) whose established-connection timeout is 20 s and which
# drops packets that no longer belong to a known connection (nf_conntrack_tcp_loose=0 + DROP of
# ctstate INVALID). Pooled AJP connections that stay idle longer than 20 s are then silently
# dropped, exactly like a firewall/NAT/LB that expired its state; new connections work.
scenario_begin firewall-idle-drop

NS=ajs-tc
WEB_IF=ajs-web
TC_IF=ajs-tc0
WEB_IP=10.231.0.1
TC_IP=10.231.0.2
CT_TIMEOUT=20
IDLE=30

log "netns: $NS ($TC_IP) <-> root ($WEB_IP) via veth $WEB_IF/$TC_IF"
ip link del "$WEB_IF" 2>/dev/null || true   # leftovers of an interrupted run
# Sockets of an earlier run whose FINs the firewall swallowed linger in FIN-WAIT-1 for minutes and
# would retransmit into this run's capture: destroy them (ss -K) before and after.
ss -K dst "$TC_IP" > /dev/null 2>&1 || true
ip netns del "$NS" 2>/dev/null || true
ip netns add "$NS"
STARTED_NETNS+=("$NS")
ip link add "$WEB_IF" type veth peer name "$TC_IF"
STARTED_LINKS+=("$WEB_IF")
ip link set "$TC_IF" netns "$NS"
ip addr add "$WEB_IP/30" dev "$WEB_IF"
ip link set "$WEB_IF" up
ip netns exec "$NS" ip addr add "$TC_IP/30" dev "$TC_IF"
ip netns exec "$NS" ip link set "$TC_IF" up
ip netns exec "$NS" ip link set lo up
ip netns exec "$NS" iptables -A INPUT -p tcp --dport "$AJP_PORT" -m conntrack --ctstate INVALID -j DROP
ip netns exec "$NS" iptables -A OUTPUT -p tcp --sport "$AJP_PORT" -m conntrack --ctstate INVALID -j DROP
ip netns exec "$NS" sysctl -q -w net.netfilter.nf_conntrack_tcp_timeout_established=$CT_TIMEOUT \
    net.netfilter.nf_conntrack_tcp_loose=0
{
    echo "# firewall inside netns $NS (iptables-save; conntrack sysctls below)"
    ip netns exec "$NS" iptables-save | grep -v '^#'
    ip netns exec "$NS" sysctl net.netfilter.nf_conntrack_tcp_timeout_established net.netfilter.nf_conntrack_tcp_loose
} > "$RUN/firewall.txt"

AJP_HOST=$TC_IP
TC_NETNS=$NS
write_workers <<EOF2
worker.list=node1
worker.node1.type=ajp13
worker.node1.host=$TC_IP
worker.node1.port=$AJP_PORT
worker.node1.ping_mode=A
worker.node1.ping_timeout=2000
EOF2
httpd_prepare "info proxy:debug proxy_ajp:debug" "$(jk_snippet "JkMount /app/* node1")
ProxyPass /pa/ ajp://$TC_IP:$AJP_PORT/app/ ping=2"
tomcat_prepare "$(ajp_connector)"

tomcat_start
capture_start capture.pcap "$WEB_IF"
capture_start capture-any.pcap any
httpd_start
U=http://127.0.0.1:$FRONT_PORT

log "filling both pools: 3 concurrent requests each, then sequential ones"
req_burst 3 jk-fill "$U/app/fill?ms=300"
req_n 2 0.5 jk-before "$U/app/echo?phase=before"
req_burst 3 pa-fill "$U/pa/fill?ms=300"
req_n 2 0.5 pa-before "$U/pa/echo?phase=before"
ip netns exec "$NS" cat /proc/net/nf_conntrack 2>/dev/null | grep -c "dport=$AJP_PORT" > "$RUN/conntrack-count-before.txt" || true
log "idle for $IDLE s (firewall state expires after $CT_TIMEOUT s)"
sleep "$IDLE"
ip netns exec "$NS" ss -tn "sport = :$AJP_PORT" > "$RUN/tomcat-sockets-after-idle.txt" || true
log "after idle: requests through mod_jk, then mod_proxy_ajp"
req_n 3 1 jk-after-idle "$U/app/echo?phase=after-idle"
req_n 3 1 pa-after-idle "$U/pa/echo?phase=after-idle"
sleep 2

httpd_stop
capture_stop_all
tomcat_stop
scenario_collect pcapng
cp "$RUN/firewall.txt" "$RUN/tomcat-sockets-after-idle.txt" "$OUT/"
# Deleting one end removes the pair; the namespace itself is deleted by the EXIT trap.
ip link del "$WEB_IF"
ss -K dst "$TC_IP" > /dev/null 2>&1 || true

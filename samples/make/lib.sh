# shellcheck shell=bash
# Shared functions for the sample-corpus generator. Sourced by make-all.sh; every scenario script in
# scenarios/ is sourced after it and uses only these functions plus curl/python3.
#
# Layout of one run (WORK defaults to /tmp/ajp-samples):
#   $WORK/<scenario>/httpd/   private httpd ServerRoot (httpd.conf, logs/, run/)
#   $WORK/<scenario>/tomcat/  private CATALINA_BASE (conf/server.xml, logs/, webapps/app)
#   $WORK/<scenario>/*.pcap   raw captures before they are copied into samples/<scenario>/
# Nothing outside $WORK and samples/ is written; /etc/apache2 and /etc/tomcat10 are only read.

FRONT_PORT=18080
AJP_PORT=18009
AJP_HOST=127.0.0.1
CATALINA_HOME=/usr/share/tomcat10
APACHE_MODULES=/usr/lib/apache2/modules

# PIDs and namespaces this script started; the EXIT trap in make-all.sh stops exactly these.
STARTED_PIDS=()
STARTED_NETNS=()
STARTED_LINKS=()

log() { printf '%s %s\n' "$(date -u +%H:%M:%S.%3N)" "$*" | tee -a "$RUN/run.log" >&2; }

# --- scenario workspace ---------------------------------------------------------------------------

scenario_begin() {
    SCEN=$1
    RUN=$WORK/$SCEN
    OUT=$SAMPLES/$SCEN
    HD=$RUN/httpd
    TC=$RUN/tomcat
    TC_NETNS=""          # set by scenarios that run Tomcat inside a network namespace
    TC_STARTS=0
    CAPTURES=()
    rm -rf "$RUN"
    mkdir -p "$RUN" "$OUT" "$HD/logs" "$HD/run" "$HD/htdocs" "$TC"
    chmod 755 "$WORK" "$RUN" "$HD" "$HD/htdocs"
    chown www-data "$HD/run"
    : > "$RUN/client.log"
    log "=== scenario $SCEN"
    # Outputs of a previous run are replaced; the hand-written README.md is kept.
    find "$OUT" -maxdepth 1 -type f ! -name README.md -delete
}

# --- Tomcat ----------------------------------------------------------------------------------------

# tomcat_prepare CONNECTOR_XML: private CATALINA_BASE with our server.xml, the given <Connector>
# element(s) and the probe webapp deployed as /app.
tomcat_prepare() {
    local connector=$1
    mkdir -p "$TC/conf" "$TC/logs" "$TC/webapps/app/WEB-INF/classes" "$TC/work" "$TC/temp"
    cp /etc/tomcat10/web.xml /etc/tomcat10/catalina.properties "$TC/conf/"
    cp "$BUILD/Probe.class" "$TC/webapps/app/WEB-INF/classes/"
    cp "$MAKE_DIR/webapp/web.xml" "$TC/webapps/app/WEB-INF/web.xml"
    # Upstream Tomcat's default console format (OneLineFormatter), so catalina.out looks like a
    # stock installation's.
    cat > "$TC/conf/logging.properties" <<'EOF'
handlers = java.util.logging.ConsoleHandler
.handlers = java.util.logging.ConsoleHandler
java.util.logging.ConsoleHandler.level = FINE
java.util.logging.ConsoleHandler.formatter = org.apache.juli.OneLineFormatter
java.util.logging.ConsoleHandler.encoding = UTF-8
EOF
    printf '%s\n' "$connector" > "$RUN/server-connector.xml"
    cat > "$TC/conf/server.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<!-- ajp-inspect sample corpus: private CATALINA_BASE, shutdown port disabled (stopped by PID). -->
<Server port="-1" shutdown="SHUTDOWN">
  <Listener className="org.apache.catalina.startup.VersionLoggerListener" />
  <Service name="Catalina">
$connector
    <Engine name="Catalina" defaultHost="localhost">
      <Host name="localhost" appBase="webapps" unpackWARs="false" autoDeploy="false">
        <Valve className="org.apache.catalina.valves.AccessLogValve" directory="logs"
               prefix="localhost_access_log" suffix=".txt" rotatable="false"
               pattern="%h %l %u %t &quot;%r&quot; %s %b %D" />
      </Host>
    </Engine>
  </Service>
</Server>
EOF
}

tomcat_start() {
    log "tomcat: start"
    local nsexec=()
    [ -n "$TC_NETNS" ] && nsexec=(ip netns exec "$TC_NETNS")
    # catalina.sh run execs java, so $! is the JVM's PID.
    CATALINA_HOME=$CATALINA_HOME CATALINA_BASE=$TC CATALINA_TMPDIR=$TC/temp \
        JAVA_OPTS="-Xms64m -Xmx256m -XX:+UseSerialGC -Djava.security.egd=file:/dev/urandom" \
        "${nsexec[@]}" "$CATALINA_HOME/bin/catalina.sh" run >> "$TC/logs/catalina.out" 2>&1 &
    TC_PID=$!
    STARTED_PIDS+=("$TC_PID")
    # Tomcat binds the AJP port at init (bindOnInit), before the webapp is deployed: wait for the
    # port AND for this start's "Server startup in" line.
    TC_STARTS=$(( ${TC_STARTS:-0} + 1 ))
    wait_listen "$AJP_PORT" 60 "$TC_NETNS" || { log "tomcat did not open $AJP_PORT"; return 1; }
    local i
    for i in $(seq 1 600); do
        [ "$(grep -c 'Server startup in' "$TC/logs/catalina.out")" -ge "$TC_STARTS" ] && break
        sleep 0.1
    done
    log "tomcat: started, listening on $AJP_PORT (pid $TC_PID)"
}

tomcat_stop() {
    [ -n "${TC_PID:-}" ] || return 0
    log "tomcat: stop (SIGTERM pid $TC_PID)"
    stop_pid "$TC_PID" 30
    TC_PID=""
}

# --- httpd -----------------------------------------------------------------------------------------

# httpd_prepare LOGLEVEL SNIPPET: private httpd.conf (event MPM, ONE child process so mod_jk and
# mod_proxy have a single connection pool, which makes pooled-connection stories deterministic).
httpd_prepare() {
    local loglevel=$1 snippet=$2
    printf '%s\n' "$snippet" > "$RUN/httpd-snippet.conf"
    # mod_jk only where it is configured: loaded without JkLogFile it would write to
    # /var/log/apache2/mod_jk.log, outside our private tree.
    local jk_load=""
    case $snippet in *JkWorkersFile*) jk_load="LoadModule jk_module $APACHE_MODULES/mod_jk.so" ;; esac
    cat > "$HD/httpd.conf" <<EOF
# ajp-inspect sample corpus: private httpd config (apache2 -f), nothing from /etc/apache2 is used.
ServerRoot $HD
DefaultRuntimeDir $HD/run
PidFile $HD/run/httpd.pid
Mutex file:$HD/run default
ServerName localhost
Listen 127.0.0.1:$FRONT_PORT
User www-data
Group www-data
LoadModule mpm_event_module $APACHE_MODULES/mod_mpm_event.so
LoadModule authz_core_module $APACHE_MODULES/mod_authz_core.so
$jk_load
LoadModule proxy_module $APACHE_MODULES/mod_proxy.so
LoadModule proxy_ajp_module $APACHE_MODULES/mod_proxy_ajp.so
ServerLimit 1
StartServers 1
ThreadsPerChild 25
MaxRequestWorkers 25
MinSpareThreads 1
MaxSpareThreads 25
KeepAlive On
Timeout 60
ErrorLog $HD/logs/error_log
LogLevel $loglevel
LogFormat "%h %l %u %t \"%r\" %>s %b %D \"%{User-Agent}i\"" timed
CustomLog $HD/logs/access_log timed
DocumentRoot $HD/htdocs
<Directory />
    Require all granted
</Directory>
$snippet
EOF
}

# jk_snippet WORKER_MOUNT...: the usual mod_jk block; JkLogStampFormat left at its default.
jk_snippet() {
    cat <<EOF
JkWorkersFile $HD/workers.properties
JkShmFile $HD/run/jk.shm
JkLogFile $HD/logs/mod_jk.log
JkLogLevel debug
$*
EOF
}

write_workers() {
    cat > "$HD/workers.properties"
    cp "$HD/workers.properties" "$RUN/workers.properties"
}

httpd_start() {
    log "httpd: start"
    apache2 -f "$HD/httpd.conf" -k start || return 1
    local i
    for i in $(seq 1 50); do
        [ -s "$HD/run/httpd.pid" ] && break
        sleep 0.1
    done
    HTTPD_PID=$(cat "$HD/run/httpd.pid")
    STARTED_PIDS+=("$HTTPD_PID")
    wait_listen "$FRONT_PORT" 10 "" || return 1
    log "httpd: listening on $FRONT_PORT (pid $HTTPD_PID)"
}

httpd_stop() {
    [ -n "${HTTPD_PID:-}" ] || return 0
    log "httpd: stop (SIGTERM pid $HTTPD_PID)"
    stop_pid "$HTTPD_PID" 20
    HTTPD_PID=""
}

# --- processes, ports ------------------------------------------------------------------------------

stop_pid() {
    local pid=$1 secs=$2 i
    kill -TERM "$pid" 2>/dev/null || return 0
    for i in $(seq 1 $((secs * 10))); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        log "pid $pid still alive after ${secs}s, SIGKILL"
        kill -KILL "$pid" 2>/dev/null
    fi
    wait "$pid" 2>/dev/null || true
}

# wait_listen PORT SECONDS NETNS: poll with ss (never connects, so captures stay clean).
wait_listen() {
    local port=$1 secs=$2 ns=$3 i nsexec=()
    [ -n "$ns" ] && nsexec=(ip netns exec "$ns")
    for i in $(seq 1 $((secs * 10))); do
        if "${nsexec[@]}" ss -Hltn "sport = :$port" | grep -q LISTEN; then
            return 0
        fi
        sleep 0.1
    done
    return 1
}

# --- captures --------------------------------------------------------------------------------------

# capture_start NAME IFACE [NETNS]: tcpdump -s 0 on the AJP and front-end ports; -U so that a
# SIGINT'ed tcpdump has written every packet.
capture_start() {
    local name=$1 iface=$2 ns=${3:-} nsexec=()
    [ -n "$ns" ] && nsexec=(ip netns exec "$ns")
    "${nsexec[@]}" tcpdump -i "$iface" -s 0 -U -Z root -w "$RUN/$name" \
        "tcp port $AJP_PORT or tcp port $FRONT_PORT" 2>> "$RUN/tcpdump.log" &
    local pid=$!
    STARTED_PIDS+=("$pid")
    CAPTURES+=("$name:$pid")
    sleep 1  # tcpdump needs a moment before it really captures
    log "capture: $name on $iface (pid $pid)"
}

capture_stop_all() {
    sleep 1
    local c
    for c in "${CAPTURES[@]}"; do
        log "capture: stop ${c%%:*}"
        kill -INT "${c##*:}" 2>/dev/null || log "tcpdump for ${c%%:*} had already exited"
        wait "${c##*:}" 2>/dev/null || true
    done
}

# --- client traffic --------------------------------------------------------------------------------

# req LABEL CURL_ARGS...: one bounded curl call; result line into client.log.
req() {
    local label=$1
    shift
    local res
    res=$(curl -sS -o /dev/null --max-time "${REQ_MAX_TIME:-30}" \
        -w '%{http_code} bytes=%{size_download} up=%{size_upload} time=%{time_total}' "$@" 2>&1) || true
    local shown=() a
    for a in "$@"; do  # long arguments (10 KB cookies) are shortened in the log
        if [ ${#a} -gt 100 ]; then shown+=("${a:0:60}...(${#a} chars)"); else shown+=("$a"); fi
    done
    printf '%s %-28s %s -> %s\n' "$(date -u +%H:%M:%S.%3N)" "$label" "${shown[*]}" "${res//$'\n'/ }" >> "$RUN/client.log"
}

# --- collecting ------------------------------------------------------------------------------------

scenario_collect() {
    local extra_formats=${1:-}
    log "collect into $OUT"
    local c name
    for c in "${CAPTURES[@]}"; do
        name=${c%%:*}
        cp "$RUN/$name" "$OUT/$name"
    done
    if [ -n "$extra_formats" ] && [ -f "$OUT/capture.pcap" ]; then
        editcap -F pcapng "$OUT/capture.pcap" "$OUT/capture.pcapng"
    fi
    for c in "${CAPTURES[@]}"; do
        (cd "$OUT" && bash "$MAKE_DIR/tshark-views.sh" "${c%%:*}" "$AJP_PORT")
    done
    [ -f "$HD/logs/mod_jk.log" ] && cp "$HD/logs/mod_jk.log" "$OUT/mod_jk.log" && derive_info_log
    [ -f "$HD/logs/error_log" ] && cp "$HD/logs/error_log" "$OUT/error_log"
    [ -f "$HD/logs/access_log" ] && cp "$HD/logs/access_log" "$OUT/access_log"
    [ -f "$TC/logs/catalina.out" ] && cp "$TC/logs/catalina.out" "$OUT/catalina.out"
    [ -f "$TC/logs/localhost_access_log.txt" ] && cp "$TC/logs/localhost_access_log.txt" "$OUT/tomcat_access_log.txt"
    [ -f "$RUN/workers.properties" ] && cp "$RUN/workers.properties" "$OUT/"
    [ -f "$RUN/httpd-snippet.conf" ] && cp "$RUN/httpd-snippet.conf" "$OUT/"
    [ -f "$HD/httpd.conf" ] && sed "s#$WORK#\$WORK#g" "$HD/httpd.conf" > "$OUT/httpd.conf"
    [ -f "$RUN/server-connector.xml" ] && cp "$RUN/server-connector.xml" "$OUT/"
    cp "$RUN/client.log" "$OUT/client.log"
    cp "$RUN/run.log" "$OUT/run.log"
    ls -l "$OUT" >&2
}

# mod_jk-info.log = the debug run's lines whose level is info or above. mod_jk decides per message
# (jk_log() returns early when the message's level is below the configured one), so keeping the
# [info]/[warn]/[error]/[emerg] lines of a JkLogLevel debug run gives what JkLogLevel info would have
# written for the same run. Two JkLogFile directives cannot coexist in one server, hence this.
derive_info_log() {
    grep -E '^\[[^]]*\] \[[0-9]+:[0-9]+\] \[(info|warn|error|emerg)\]' "$OUT/mod_jk.log" > "$OUT/mod_jk-info.log" || true
}

# ajp_connector [EXTRA_ATTRIBUTES]: the AJP <Connector> used by most scenarios.
ajp_connector() {
    printf '    <Connector protocol="AJP/1.3" address="%s" port="%s"\n               secretRequired="false" redirectPort="8443" maxThreads="20"%s />' \
        "$AJP_HOST" "$AJP_PORT" "${1:+ $1}"
}

# req_n COUNT GAP LABEL CURL_ARGS...: COUNT sequential requests, GAP seconds apart.
req_n() {
    local count=$1 gap=$2 label=$3 i
    shift 3
    for i in $(seq 1 "$count"); do
        req "$label-$i" "$@"
        [ "$i" -lt "$count" ] && sleep "$gap"
    done
    return 0
}

# req_burst COUNT LABEL CURL_ARGS...: COUNT concurrent requests, waits for all of them.
req_burst() {
    local count=$1 label=$2 i pids=()
    shift 2
    for i in $(seq 1 "$count"); do
        req "$label-$i" "$@" &
        pids+=($!)
    done
    wait "${pids[@]}"
}

# secret-mismatch: Tomcat requires an AJP secret; mod_jk workers without it, with a wrong one and
# with the right one; mod_proxy_ajp likewise.
scenario_begin secret-mismatch

write_workers <<EOF2
worker.list=nosecret,wrongsecret,goodsecret
worker.nosecret.type=ajp13
worker.nosecret.host=$AJP_HOST
worker.nosecret.port=$AJP_PORT
worker.wrongsecret.type=ajp13
worker.wrongsecret.host=$AJP_HOST
worker.wrongsecret.port=$AJP_PORT
worker.wrongsecret.secret=not-the-tomcat-secret
worker.goodsecret.type=ajp13
worker.goodsecret.host=$AJP_HOST
worker.goodsecret.port=$AJP_PORT
worker.goodsecret.secret=s3cr3t-of-tomcat
EOF2

httpd_prepare "info proxy:debug proxy_ajp:debug" "$(jk_snippet "JkMount /app/nosecret/* nosecret
JkMount /app/wrongsecret/* wrongsecret
JkMount /app/goodsecret/* goodsecret")
ProxyPass /pa-nosecret/ ajp://$AJP_HOST:$AJP_PORT/app/pa-nosecret/
ProxyPass /pa-wrongsecret/ ajp://$AJP_HOST:$AJP_PORT/app/pa-wrongsecret/ secret=not-the-tomcat-secret
ProxyPass /pa-goodsecret/ ajp://$AJP_HOST:$AJP_PORT/app/pa-goodsecret/ secret=s3cr3t-of-tomcat"
# (three distinct worker URLs: with one shared URL httpd ignores the later secret= parameters,
# "AH01146: Ignoring parameter 'secret=…' … because of worker sharing", printed at startup only)

tomcat_prepare "    <Connector protocol=\"AJP/1.3\" address=\"$AJP_HOST\" port=\"$AJP_PORT\"
               secretRequired=\"true\" secret=\"s3cr3t-of-tomcat\" redirectPort=\"8443\" maxThreads=\"20\" />"

tomcat_start
capture_start capture.pcap lo
httpd_start
U=http://127.0.0.1:$FRONT_PORT

req_n 3 0.5 jk-nosecret "$U/app/nosecret/echo"
req_n 3 0.5 jk-wrongsecret "$U/app/wrongsecret/echo"
req_n 3 0.5 jk-goodsecret "$U/app/goodsecret/echo"
req_n 2 0.5 jk-nosecret-post --data-binary 'a=1&b=2' "$U/app/nosecret/form"
req_n 3 0.5 pa-nosecret "$U/pa-nosecret/echo"
req_n 3 0.5 pa-wrongsecret "$U/pa-wrongsecret/echo"
req_n 3 0.5 pa-goodsecret "$U/pa-goodsecret/echo"
sleep 1

httpd_stop
capture_stop_all
tomcat_stop
scenario_collect

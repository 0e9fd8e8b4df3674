#!/bin/bash
# Regenerate the ajp-inspect sample corpus: bash samples/make/make-all.sh [scenario...]
# (SAMPLES_OUT=/some/dir to write the folders there instead of into samples/)
# Run as root on Debian 12. Installs the packages it needs, builds private httpd / Tomcat
# configurations under $WORK (default /tmp/ajp-samples), runs each scenario and copies the outputs
# into samples/<scenario>/. Every server it starts is stopped by PID on exit. Takes a few minutes.
set -uo pipefail

MAKE_DIR=$(cd "$(dirname "$0")" && pwd)
# SAMPLES_OUT: write the scenario folders elsewhere (e.g. to compare a fresh run with the committed one).
SAMPLES=${SAMPLES_OUT:-$(cd "$MAKE_DIR/.." && pwd)}
WORK=${WORK:-/tmp/ajp-samples}
BUILD=$WORK/build
ALL_SCENARIOS=(baseline backend-down client-abort secret-mismatch reply-timeout packet-size
    ghostcat-probe proxy-ajp-faults backend-restart overload firewall-idle-drop)

[ "$(id -u)" = 0 ] || { echo "make-all.sh: run as root (tcpdump, ip netns, iptables)" >&2; exit 2; }

# shellcheck source=lib.sh
. "$MAKE_DIR/lib.sh"

cleanup() {
    local rc=$? pid ns link
    set +e  # a failing kill/ip in here must not cut the cleanup short
    for pid in "${STARTED_PIDS[@]}"; do
        if kill -0 "$pid" 2>/dev/null; then
            echo "cleanup: stopping pid $pid" >&2
            kill -TERM "$pid" 2>/dev/null
            sleep 1
            kill -KILL "$pid" 2>/dev/null
        fi
    done
    for link in "${STARTED_LINKS[@]}"; do
        ip link del "$link" 2>/dev/null
    done
    for ns in "${STARTED_NETNS[@]}"; do
        ip netns del "$ns" 2>/dev/null
    done
    exit "$rc"  # keep the status of whatever ended the (sub)shell
}
trap cleanup EXIT

install_packages() {
    local pkgs=(apache2 libapache2-mod-jk tomcat10 tcpdump tshark iproute2 iptables curl python3
        default-jdk-headless)
    if ! dpkg -s "${pkgs[@]}" >/dev/null 2>&1; then
        apt-get update
        DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${pkgs[@]}"
    fi
    # The packages' own services are not used (and on a systemd machine might hold the ports we
    # do not use anyway): our servers run from private configs on 18080/18009.
}

build_webapp() {
    mkdir -p "$BUILD"
    javac -d "$BUILD" -cp "$CATALINA_HOME/lib/servlet-api.jar" "$MAKE_DIR/webapp/Probe.java"
}

versions() {
    {
        echo '$ apache2 -v'; apache2 -v
        echo '$ dpkg-query -W apache2 libapache2-mod-jk tomcat10 tcpdump tshark iproute2 iptables curl'
        dpkg-query -W apache2 libapache2-mod-jk tomcat10 tcpdump tshark iproute2 iptables curl
        echo '$ tshark --version | head -1'; tshark --version | head -1
        echo '$ tcpdump --version'; tcpdump --version 2>&1
        echo '$ java -version'; java -version 2>&1
        echo '$ uname -r'; uname -r
    } > "$SAMPLES/versions.txt"
}

install_packages
mkdir -p "$WORK" "$SAMPLES"
build_webapp || exit 2
versions

scenarios=("$@")
[ ${#scenarios[@]} -eq 0 ] && scenarios=("${ALL_SCENARIOS[@]}")
failed=()
for s in "${scenarios[@]}"; do
    if [ ! -f "$MAKE_DIR/scenarios/$s.sh" ]; then
        echo "unknown scenario $s" >&2; failed+=("$s"); continue
    fi
    # Each scenario runs in a subshell: its servers are stopped by its own EXIT trap. The status is
    # read afterwards, not with `|| …`, because bash ignores set -e inside a tested subshell.
    (
        STARTED_PIDS=(); STARTED_NETNS=(); STARTED_LINKS=()
        trap cleanup EXIT
        set -e
        # shellcheck source=/dev/null
        . "$MAKE_DIR/scenarios/$s.sh"
    )
    rc=$?
    [ "$rc" -eq 0 ] || failed+=("$s")
done
du -sh "$SAMPLES"/*/ >&2
if [ ${#failed[@]} -gt 0 ]; then
    echo "FAILED: ${failed[*]}" >&2
    exit 1
fi

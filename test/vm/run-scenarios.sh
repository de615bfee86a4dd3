#!/bin/sh
# Runs INSIDE the test VM (as root, in the checkout): starts snmptrapd and
# snmpd (AgentX master on a unix socket, SNMP on loopback UDP) in a temp
# directory, then the scenario driver, one long-lived node process.
#
# Usage: run-scenarios.sh [SCENARIO_FILE]   (default test/vm/scenarios.js)
# The driver gets, in its environment:
#   VM_SNMPD_TARGET     127.0.0.1:<port>, what snmpget/snmpwalk take as agent
#   VM_AGENTX_SOCKET    the master's AgentX socket, in snmpd syntax (unix:/…)
#   VM_TRAP_LOG         snmptrapd's log: one record per notification,
#                       TRAP<tab>%b<tab>%V<tab>%v<tab>END (numeric OIDs, -Ox)
#   VM_TRAP_TARGET      127.0.0.1:<port> of snmptrapd
#   VM_SCENARIO_DIR     a scratch directory (logs of the daemons are here; a
#                       driver that writes agent.log here has it kept)
#   VM_RESULTS          where results go (the host reads them after the run)
# Exit status: the driver's.
set -eu

scenario=${1:-test/vm/scenarios.js}
dir=$(mktemp -d /tmp/vm-scenarios.XXXXXX)
mkdir -p "$dir/snmpd" "$dir/snmptrapd" "$dir/client"
snmpd_port=16161
trap_port=16162
agentx=unix:$dir/agentx.sock
# The VM has a network stack of its own: fixed loopback ports are free.

cat >"$dir/snmptrapd/snmptrapd.conf" <<CONF
disableAuthorization yes
dontLogTCPWrappersConnects yes
CONF
cat >"$dir/snmpd/snmpd.conf" <<CONF
master agentx
agentXSocket $agentx
agentXPerms 0660 0770
agentXTimeout 2
agentXRetries 1
rocommunity public 127.0.0.1
rwcommunity private 127.0.0.1
dontLogTCPWrappersConnects yes
trap2sink 127.0.0.1:$trap_port public
# Net-SNMP answers at most 100 values per GetBulk by default: the driver's
# side-by-side walks (13 to 51 columns, 80 ifStackTable rows) would take a
# process start per few rows. 500 lets most walks take one request.
maxGetbulkResponses 500
CONF
: >"$dir/client/snmp.conf"

snmptrapd_pid=''
snmpd_pid=''
stop_daemons() {
  for pid in $snmpd_pid $snmptrapd_pid; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in $snmpd_pid $snmptrapd_pid; do
    wait "$pid" 2>/dev/null || true
  done
  snmpd_pid=''
  snmptrapd_pid=''
}
trap stop_daemons EXIT

# Polls TEST every 0.1 s, at most 300 times; gives up early if PID died.
wait_for() { # WHAT PID TEST...
  what=$1 pid=$2
  shift 2
  tries=0
  until "$@"; do
    tries=$((tries + 1))
    if [ "$tries" -gt 300 ] || ! kill -0 "$pid" 2>/dev/null; then
      echo "run-scenarios: gave up waiting for $what" >&2
      cat "$dir"/snmptrapd/*.log "$dir"/snmptrapd/stdout "$dir"/snmpd/*.log "$dir"/snmpd/stdout >&2 2>/dev/null || true
      exit 1
    fi
    sleep 0.1
  done
}

# Real tabs: the same record format as the project's snmptrapd test helper.
trap_format="$(printf 'TRAP\t%%b\t%%V\t%%v\tEND')
"
# snmptrapd first: snmpd sends coldStart to it as it starts.
SNMPCONFPATH=$dir/snmptrapd SNMP_PERSISTENT_DIR=$dir/snmptrapd \
  snmptrapd -f -C -c "$dir/snmptrapd/snmptrapd.conf" -m '' -On -Ox -Lf "$dir/snmptrapd/snmptrapd.log" \
  -F "$trap_format" -p "$dir/snmptrapd/snmptrapd.pid" "udp:127.0.0.1:$trap_port" \
  >"$dir/snmptrapd/stdout" 2>&1 &
snmptrapd_pid=$!
# snmptrapd logs its version once its socket is open; a coldStart sent earlier is lost.
wait_for 'snmptrapd to listen' "$snmptrapd_pid" grep -qs 'NET-SNMP version' "$dir/snmptrapd/snmptrapd.log"
SNMPCONFPATH=$dir/snmpd SNMP_PERSISTENT_DIR=$dir/snmpd \
  snmpd -f -C -c "$dir/snmpd/snmpd.conf" -m '' -Lf "$dir/snmpd/snmpd.log" -p "$dir/snmpd/snmpd.pid" \
  "udp:127.0.0.1:$snmpd_port" >"$dir/snmpd/stdout" 2>&1 &
snmpd_pid=$!

wait_for "snmpd to open $agentx" "$snmpd_pid" test -S "$dir/agentx.sock"

set +e
VM_SNMPD_TARGET=127.0.0.1:$snmpd_port VM_AGENTX_SOCKET=$agentx \
  VM_TRAP_LOG=$dir/snmptrapd/snmptrapd.log VM_TRAP_TARGET=127.0.0.1:$trap_port \
  VM_SCENARIO_DIR=$dir SNMPCONFPATH=$dir/client SNMP_PERSISTENT_DIR=$dir/client \
  node "$scenario"
rc=$?
set -e
stop_daemons
if [ -n "${VM_RESULTS:-}" ]; then
  # Small files only: the results share is slow. The agent's log (JSON lines)
  # and the kernel's are there for diagnosis.
  cp "$dir/snmpd/snmpd.log" "$VM_RESULTS/snmpd.log" 2>/dev/null || true
  cp "$dir/snmptrapd/snmptrapd.log" "$VM_RESULTS/snmptrapd.log" 2>/dev/null || true
  cp "$dir/agent.log" "$VM_RESULTS/agent.log" 2>/dev/null || true
  dmesg >"$VM_RESULTS/dmesg.log" 2>/dev/null || true
fi
exit "$rc"

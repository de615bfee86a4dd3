#!/bin/bash
# Host side of the real-kernel tests: boots the VM and runs the scenarios in
# it (run-scenarios.sh), whose output streams here. One command, exit status 0
# when every scenario passed.
# Usage: test-vm.sh [SCENARIO_FILE]
# Environment: VM_RESULTS_DIR keeps the results there (scenarios.json, the
#   agent's JSON log, snmpd's and snmptrapd's logs, dmesg); without it they go
#   to a temp directory that is removed after a pass and kept after a failure.
#   VM_ROUNDS and VM_AGENT_LOG_LEVEL are passed to the driver (scenarios.js);
#   VM_TIMEOUT (default 570 s), and run-in-vm.sh's own knobs.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
if [ -n "${VM_RESULTS_DIR:-}" ]; then
  mkdir -p "$VM_RESULTS_DIR"
  results=$(cd "$VM_RESULTS_DIR" && pwd)
  keep=1
else
  results=$(mktemp -d "${TMPDIR:-/tmp}/bonding-agentx-test-vm.XXXXXX")
  keep=''
fi
rc=1
cleanup() {
  if [ -n "$keep" ]; then
    :
  elif [ "$rc" = 0 ]; then
    rm -rf "$results"
  else
    echo "test-vm: results kept in $results" >&2
  fi
}
trap cleanup EXIT
cd "$repo"
# The VM starts with an empty environment: the driver's knobs are passed on.
forward=()
for name in VM_ROUNDS VM_AGENT_LOG_LEVEL; do
  if [ -n "${!name:-}" ]; then forward+=("$name=${!name}"); fi
done
set +e
"$here/run-in-vm.sh" --timeout "${VM_TIMEOUT:-570}" --results "$results" -- \
  env "${forward[@]}" test/vm/run-scenarios.sh "${1:-test/vm/scenarios.js}"
rc=$?
set -e
if [ -n "$keep" ]; then
  echo "test-vm: results in $results" >&2
fi
if [ "$rc" != 0 ] && [ -f "$results/snmpd.log" ]; then
  echo "--- snmpd.log" >&2
  cat "$results/snmpd.log" >&2
fi
exit "$rc"

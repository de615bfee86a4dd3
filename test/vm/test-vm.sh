#!/bin/bash
# Host side of the real-kernel tests: boots the VM and runs the scenarios in
# it (run-scenarios.sh), then prints the results. One command, exit status 0
# when every scenario passed.
# Usage: test-vm.sh [SCENARIO_FILE]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
results=$(mktemp -d "${TMPDIR:-/tmp}/bonding-agentx-test-vm.XXXXXX")
trap 'rm -rf "$results"' EXIT
cd "$repo"
set +e
"$here/run-in-vm.sh" --timeout "${VM_TIMEOUT:-540}" --results "$results" -- \
  test/vm/run-scenarios.sh "${1:-test/vm/scenarios.js}"
rc=$?
set -e
if [ -f "$results/scenarios.json" ]; then
  echo "--- scenarios.json"
  cat "$results/scenarios.json"
fi
if [ "$rc" != 0 ] && [ -f "$results/snmpd.log" ]; then
  echo "--- snmpd.log" >&2
  cat "$results/snmpd.log" >&2
fi
exit "$rc"

#!/bin/bash
# Host side of the package test: boots the real-kernel VM with the host's
# Debian root and systemd as PID 1 (run-in-vm.sh --systemd; Debian's
# snmpd.service left enabled), installs the Debian package in it with apt and
# checks it (package-systemd.js), purges it, then follows the README's npm
# route on the same system (npm-route.sh; the npm install itself runs here).
# One command, exit status 0 when every check passed.
# Usage: test-vm-systemd.sh [DEB]   (default: the newest build/bonding-agentx_*_all.deb;
#                                    `npm run test:vm:systemd` builds it first)
# Environment: VM_RESULTS_DIR keeps the results there (package-systemd.json,
#   and the VM's journal after a failure); without it they go to a temp
#   directory that is removed after a pass and kept after a failure.
#   VM_TIMEOUT (default 570 s), and run-in-vm.sh's own knobs.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
cd "$repo"
deb=${1:-$(ls -t build/bonding-agentx_*_all.deb 2>/dev/null | head -n1 || true)}
if [ -z "$deb" ] || [ ! -f "$deb" ]; then
  echo "test-vm-systemd: no package; build it first (npm run package:deb)" >&2
  exit 2
fi
deb=$(cd "$(dirname "$deb")" && pwd)/$(basename "$deb")
# The package depends on nodejs (>= 20): dpkg must know one (Debian 12's own
# is 18; NodeSource's, or Debian 13's, will do).
node_deb=$(dpkg-query -W -f='${Version}' nodejs 2>/dev/null || true)
if [ -z "$node_deb" ] || ! dpkg --compare-versions "$node_deb" ge 20; then
  echo "test-vm-systemd: the package needs the Debian package nodejs (>= 20); this root has '${node_deb:-none}'" >&2
  exit 2
fi
for need in systemctl systemd-analyze apt-get; do
  command -v "$need" >/dev/null || {
    echo "test-vm-systemd: $need missing: the VM boots this host's root (apt-get install --no-install-recommends systemd)" >&2
    exit 2
  }
done
if [ -n "${VM_RESULTS_DIR:-}" ]; then
  mkdir -p "$VM_RESULTS_DIR"
  results=$(cd "$VM_RESULTS_DIR" && pwd)
  keep=1
else
  results=$(mktemp -d "${TMPDIR:-/tmp}/bonding-agentx-test-vm-systemd.XXXXXX")
  keep=''
fi
# The npm route's service runs as its own system user from the npm prefix on
# this share: mktemp's 0700 would refuse it the way in (status 203/EXEC).
chmod a+rx "$results"
rc=1
cleanup() {
  if [ -n "$keep" ]; then
    echo "test-vm-systemd: results in $results" >&2
  elif [ "$rc" = 0 ]; then
    rm -rf "$results"
  else
    echo "test-vm-systemd: results kept in $results" >&2
  fi
}
trap cleanup EXIT
echo "test-vm-systemd: $deb" >&2
# The README's npm route starts with `npm install -g "$(npm pack | tail -1)"`:
# here, into a prefix on the results share (the VM has no network), where
# the VM finds it as /vm-results/npm-prefix; the VM does the rest (npm-route.sh).
tgz=$(npm pack --silent --pack-destination "$results" | tail -n1)
npm install -g --prefix "$results/npm-prefix" --prefer-offline --no-audit --no-fund "$results/$tgz" >/dev/null
npm_bin=$(npm prefix -g --prefix "$results/npm-prefix")/bin/bonding-agentx
[ -x "$npm_bin" ] || { echo "test-vm-systemd: npm install -g left no $npm_bin" >&2; exit 1; }
set +e
"$here/run-in-vm.sh" --systemd --keep-unit snmpd.service --timeout "${VM_TIMEOUT:-570}" --results "$results" -- \
  node test/vm/package-systemd.js "$deb" "/vm-results/npm-prefix/bin/bonding-agentx"
rc=$?
set -e
exit "$rc"

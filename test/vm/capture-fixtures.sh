#!/bin/bash
# Captures real-kernel fixture trees (sysfs, procfs as root and as nobody,
# `ip -d -j link`) from Debian's packaged kernel booted in a VM.
#
# Usage: capture-fixtures.sh [--force] [DEST]
#   DEST     default: test/fixtures/kernel-<version>-capture
#   --force  replace DEST if it exists
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
force=''
if [ "${1:-}" = --force ]; then force=1; shift; fi

mapfile -t built < <("$here/build-initramfs.sh" "${VM_IMAGE_DIR:-${TMPDIR:-/tmp}/bonding-agentx-vm}")
kver=$(basename "${built[1]}" .cpio)
kver=${kver#initramfs-}
dest=${1:-$repo/test/fixtures/kernel-$kver-capture}
if [ -e "$dest" ] && [ -n "$(ls -A "$dest" 2>/dev/null)" ]; then
  if [ -z "$force" ]; then
    echo "capture-fixtures: $dest exists; pass --force to replace it" >&2
    exit 2
  fi
fi

results=$(mktemp -d "${TMPDIR:-/tmp}/bonding-agentx-capture.XXXXXX")
trap 'rm -rf "$results"' EXIT
cd "$repo"
# Captured on the VM's tmpfs and carried out as one tar: thousands of small
# files written one by one over 9p take minutes under emulation.
"$here/run-in-vm.sh" --timeout "${VM_TIMEOUT:-300}" --results "$results" -- \
  sh -c 'node test/vm/capture-fixtures.js /tmp/capture && tar -C /tmp/capture -cf /vm-results/capture.tar .'
rm -rf "$dest"
mkdir -p "$dest"
tar -C "$dest" -xf "$results/capture.tar"
echo "capture-fixtures: wrote $dest" >&2

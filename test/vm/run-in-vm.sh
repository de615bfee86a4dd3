#!/bin/bash
# Runs a command as root inside a throwaway VM that boots Debian's packaged
# kernel (which has the bonding driver) on the host's own root filesystem,
# shared read-only with a tmpfs overlay. The command runs in the same
# directory as here, with $VM_RESULTS pointing at a writable share.
#
# Usage: run-in-vm.sh [--timeout SECONDS] [--results DIR] [--mem MB] [--smp N]
#                     [--quiet] [--systemd [--keep-unit UNIT]...] [--] COMMAND [ARG...]
#   --results DIR  host directory shared as $VM_RESULTS (default: a temp dir,
#                  removed afterwards)
#   --quiet        do not stream the command's output while it runs
#   --systemd      boot the root's systemd as PID 1 and run the command from a
#                  unit once the boot is done (init-systemd.sh); the units the
#                  host enabled are masked for that boot, except each UNIT
#                  given with --keep-unit
# Environment: VM_ACCEL (default tcg), VM_CACHE (9p cache of the root: loose),
#   VM_APPEND (extra kernel arguments), VM_CPU (QEMU CPU model),
#   VM_KERNEL_VERSION, VM_IMAGE_DIR (where the initramfs is cached).
# Exit status: the command's own, or 124 on timeout, 125 when the VM failed
# before reporting one (the console log is printed then).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
timeout=600
results=''
mem=1024
smp=2
quiet=''
systemd=''
keep_units=()
while [ $# -gt 0 ]; do
  case "$1" in
    --timeout) timeout=$2; shift 2 ;;
    --results) results=$2; shift 2 ;;
    --mem) mem=$2; shift 2 ;;
    --smp) smp=$2; shift 2 ;;
    --quiet) quiet=1; shift ;;
    --systemd) systemd=1; shift ;;
    --keep-unit) keep_units+=("$2"); shift 2 ;;
    --) shift; break ;;
    -*) echo "run-in-vm: unknown option $1" >&2; exit 2 ;;
    *) break ;;
  esac
done
if [ $# -eq 0 ]; then
  echo "usage: run-in-vm.sh [options] [--] COMMAND [ARG...]" >&2
  exit 2
fi
command -v qemu-system-x86_64 >/dev/null || {
  echo "run-in-vm: qemu-system-x86_64 missing (apt-get install --no-install-recommends qemu-system-x86)" >&2
  exit 2
}

mapfile -t built < <("$here/build-initramfs.sh" "${VM_IMAGE_DIR:-${TMPDIR:-/tmp}/bonding-agentx-vm}")
kernel=${built[0]}
initrd=${built[1]}

work=$(mktemp -d "${TMPDIR:-/tmp}/bonding-agentx-vm-run.XXXXXX")
own_results=''
if [ -z "$results" ]; then
  results=$work/results
  own_results=1
fi
mkdir -p "$results"
results=$(cd "$results" && pwd)
rm -f "$results/exit-code" "$results/output.log" "$results/run.sh" "$results/systemd-keep"
if [ -n "$systemd" ] && ((${#keep_units[@]})); then
  printf '%s\n' "${keep_units[@]}" >"$results/systemd-keep"
fi
# /vm-init keeps this directory visible even where the VM mounts its own /tmp.
printf '%s\n' "$PWD" >"$results/workdir"
console=$work/console.log

# The command line is carried verbatim, each word quoted for sh.
{
  echo 'set -e'
  printf 'cd %q\n' "$PWD"
  echo 'set +e'
  printf 'exec'
  printf ' %q' "$@"
  printf '\n'
} >"$results/run.sh"
# %q may emit bash-only $'..' quoting; the VM runs the script with /bin/sh.
if grep -q "\$'" "$results/run.sh"; then
  echo "run-in-vm: arguments need bash quoting; pass them in a script instead" >&2
  exit 2
fi

qemu_pid=''
tail_pid=''
cleanup() {
  if [ -n "$qemu_pid" ] && kill -0 "$qemu_pid" 2>/dev/null; then
    kill "$qemu_pid" 2>/dev/null || true
    sleep 1
    kill -9 "$qemu_pid" 2>/dev/null || true
  fi
  if [ -n "$tail_pid" ]; then
    kill "$tail_pid" 2>/dev/null || true
    wait "$tail_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
  if [ -n "$own_results" ]; then rm -rf "$results"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start=$(date +%s.%N)
qemu-system-x86_64 \
  -accel "${VM_ACCEL:-tcg}" ${VM_CPU:+-cpu "$VM_CPU"} -m "$mem" -smp "$smp" \
  -nographic -no-reboot -monitor none -serial "file:$console" \
  -nodefaults -nic none \
  -kernel "$kernel" -initrd "$initrd" \
  -append "console=ttyS0 loglevel=4 panic=-1 vm.cache=${VM_CACHE:-loose}${systemd:+ vm.init=systemd} ${VM_APPEND:-}" \
  -virtfs "local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap" \
  -virtfs "local,path=$results,mount_tag=results,security_model=none" \
  </dev/null >"$work/qemu.out" 2>&1 &
qemu_pid=$!

if [ -z "$quiet" ]; then
  : >"$results/output.log"
  tail -n +1 -f --pid="$qemu_pid" "$results/output.log" &
  tail_pid=$!
fi

timed_out=''
deadline=$(( $(date +%s) + timeout ))
while kill -0 "$qemu_pid" 2>/dev/null; do
  if [ "$(date +%s)" -ge "$deadline" ]; then
    timed_out=1
    kill "$qemu_pid" 2>/dev/null || true
    break
  fi
  sleep 0.5
done
wait "$qemu_pid" 2>/dev/null || true
qemu_pid=''
if [ -n "$tail_pid" ]; then
  wait "$tail_pid" 2>/dev/null || true
  tail_pid=''
fi
elapsed=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')

rc=125
if [ -n "$timed_out" ]; then
  rc=124
  echo "run-in-vm: timed out after ${timeout}s" >&2
elif [ -s "$results/exit-code" ]; then
  rc=$(cat "$results/exit-code")
fi
if [ "$rc" != 0 ]; then
  echo "run-in-vm: exit status $rc; VM console:" >&2
  cat "$console" >&2 || true
  cat "$work/qemu.out" >&2 || true
  if [ -n "$quiet" ] && [ -f "$results/output.log" ]; then
    echo "run-in-vm: command output:" >&2
    cat "$results/output.log" >&2
  fi
fi
boot=$(grep -o 'vm-init: starting run.sh at uptime [0-9.]*' "$console" | awk '{print $NF}' || true)
echo "run-in-vm: VM wall time ${elapsed}s, run.sh started at guest uptime ${boot:-?}s" >&2
exit "$rc"

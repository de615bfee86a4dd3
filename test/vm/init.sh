#!/bin/sh
# /init of the test VM (busybox sh). Boots into the host's own root, shared
# read-only over 9p with a tmpfs overlay on top, and runs the script the host
# left in the results share. Kernel command line knobs:
#   vm.cache=loose|none|mmap   9p cache mode of the host root (default loose)
#   vm.msize=N                 9p message size (default 512000)
#   vm.init=systemd            boot the root's systemd instead (init-systemd.sh)
/bin/busybox --install -s /bin
export PATH=/bin

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
# The archive has no /dev/console node, so the kernel gave us no stdio.
exec </dev/console >/dev/console 2>&1

fail() {
  echo "vm-init: $*" >/dev/console
  poweroff -f
}

cache=loose
msize=512000
init_mode=chroot
for arg in $(cat /proc/cmdline); do
  case "$arg" in
    vm.cache=*) cache=${arg#vm.cache=} ;;
    vm.msize=*) msize=${arg#vm.msize=} ;;
    vm.init=*) init_mode=${arg#vm.init=} ;;
  esac
done

while read -r mod params; do
  insmod "/lib/modules/$mod" $params || fail "insmod $mod failed"
done </modules.order

ip link set lo up || fail "cannot bring lo up"

opts="trans=virtio,version=9p2000.L,msize=$msize"
mount -t 9p -o "$opts,cache=$cache,ro" hostroot /mnt/host || fail "cannot mount hostroot"
# No caching on the results share: the host reads it while the VM still runs.
mount -t 9p -o "$opts,cache=none" results /mnt/results || fail "cannot mount results"
mount -t tmpfs -o mode=755 rw /mnt/rw
mkdir -p /mnt/rw/upper /mnt/rw/work
mount -t overlay overlay -o lowerdir=/mnt/host,upperdir=/mnt/rw/upper,workdir=/mnt/rw/work /newroot \
  || fail "cannot mount the overlay root"

# The host's /proc, /sys, /dev, /tmp and /run are the host's, not ours.
mount -t proc proc /newroot/proc
mount -t sysfs sysfs /newroot/sys
mount -t devtmpfs devtmpfs /newroot/dev
mkdir -p /newroot/dev/pts /newroot/dev/shm
mount -t devpts devpts /newroot/dev/pts
mount -t tmpfs -o mode=1777 tmpfs /newroot/dev/shm
# A checkout under /tmp (a CI clone, say) must stay visible under our own
# /tmp: set its overlay view aside, then put it back at the same path.
workdir=$(cat /mnt/results/workdir 2>/dev/null || true)
case "$workdir" in
  /tmp/?*)
    mkdir -p /mnt/workdir
    mount --bind "/newroot$workdir" /mnt/workdir || fail "cannot bind $workdir"
    ;;
  *) workdir='' ;;
esac
mount -t tmpfs -o mode=1777 tmpfs /newroot/tmp
if [ -n "$workdir" ]; then
  mkdir -p "/newroot$workdir"
  mount --move /mnt/workdir "/newroot$workdir" || fail "cannot keep $workdir"
fi
mount -t tmpfs -o mode=755 tmpfs /newroot/run
mkdir -p /newroot/vm-results
mount --move /mnt/results /newroot/vm-results

[ -f /newroot/vm-results/run.sh ] || fail "no run.sh in the results share"
if [ "$init_mode" = systemd ]; then
  . /init-systemd.sh
fi
echo "vm-init: starting run.sh at uptime $(cut -d' ' -f1 /proc/uptime)" >/dev/console
env -i HOME=/root TERM=dumb LANG=C.UTF-8 VM_RESULTS=/vm-results \
  PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  chroot /newroot /bin/sh /vm-results/run.sh >/newroot/vm-results/output.log 2>&1 </dev/null
rc=$?
echo "vm-init: run.sh exited $rc at uptime $(cut -d' ' -f1 /proc/uptime)" >/dev/console
echo "$rc" >/newroot/vm-results/exit-code
sync
umount /newroot/vm-results
poweroff -f

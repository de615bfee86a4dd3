#!/bin/sh
# Sourced by the VM's /init (init.sh) when the kernel command line has
# vm.init=systemd: instead of chrooting into the prepared root and running
# run.sh under busybox, it hands the machine to the root's own systemd, so
# that Debian's units run as on a server. init.sh has already mounted the
# overlay root at /newroot (with /proc, /sys, /dev, /tmp, /run and the results
# share at /vm-results); nothing here returns.
#
# Everything it adds lives in /run (a tmpfs of this boot), none of it in the
# root file system:
#   /run/systemd/system/vm-run.service   runs /vm-results/run.sh once the boot
#       is done (After=multi-user.target), its output in /vm-results/output.log,
#       then writes /vm-results/exit-code and powers the VM off at once
#   /run/systemd/system/<unit> -> /dev/null   masks every unit the host enabled
#       in /etc/systemd/system/*.wants (its databases, timers, gettys: a slow
#       boot under emulation, and apt timers that would take dpkg's lock),
#       except those named in /vm-results/systemd-keep (one per line)
#   /run/tmpfiles.d/tmp.conf   keeps /tmp's contents at boot (Debian's
#       tmp.conf empties it, and a checkout under /tmp is mounted there)
#   /run/systemd/system-generators/<name> -> /dev/null   masks every generator
#   /run/vm-overlay/rw/upper, /run/vm-overlay/lower   the root's overlay
#       layers, read-only: every change made since boot, and the host's files

units=/newroot/run/systemd/system
mkdir -p "$units/multi-user.target.wants" /newroot/run/tmpfiles.d

keep=" $(tr '\n' ' ' </newroot/vm-results/systemd-keep 2>/dev/null) "
masked=''
mask() {
  case "$keep" in *" $1 "*) return 0 ;; esac
  [ -e "$units/$1" ] || [ -L "$units/$1" ] && return 0
  ln -s /dev/null "$units/$1"
  masked="$masked $1"
}
for link in /newroot/etc/systemd/system/*.wants/*; do
  [ -L "$link" ] || [ -e "$link" ] || continue
  mask "${link##*/}"
done
# SysV scripts started in the multi-user runlevels that have no native unit
# (systemd-sysv-generator makes units of them).
for link in /newroot/etc/rc[2345].d/S*; do
  [ -L "$link" ] || continue
  name=${link##*/}
  name=${name#S[0-9][0-9]}
  [ -e "/newroot/lib/systemd/system/$name.service" ] || [ -e "/newroot/etc/systemd/system/$name.service" ] \
    || mask "$name.service"
done
# Consoles: the serial line is a log file here, nobody logs in.
mask serial-getty@ttyS0.service
mask getty@tty1.service
mask console-getty.service
echo "vm-init: masked for this boot:$masked" >/dev/console

echo 'd /tmp 1777 root root -' >/newroot/run/tmpfiles.d/tmp.conf

# Generators: systemd runs every one at boot and at each daemon-reload, a
# process start each, seconds under emulation, and what they make here (units
# from /etc/fstab, /etc/init.d, crypttab, the kernel command line) is not
# needed: the root is mounted already, the host's SysV services are masked.
mkdir -p /newroot/run/systemd/system-generators
generators=''
for gen in /newroot/lib/systemd/system-generators/* /newroot/usr/lib/systemd/system-generators/*; do
  [ -e "$gen" ] || continue
  name=${gen##*/}
  [ -e "/newroot/run/systemd/system-generators/$name" ] && continue
  ln -s /dev/null "/newroot/run/systemd/system-generators/$name"
  generators="$generators $name"
done
echo "vm-init: generators masked for this boot:$generators" >/dev/console

cat >/newroot/run/vm-run.sh <<'SCRIPT'
#!/bin/sh
echo "vm-init: starting run.sh at uptime $(cut -d' ' -f1 /proc/uptime)" >/dev/console
/bin/sh /vm-results/run.sh >/vm-results/output.log 2>&1 </dev/null
rc=$?
echo "vm-init: run.sh exited $rc at uptime $(cut -d' ' -f1 /proc/uptime)" >/dev/console
echo "$rc" >/vm-results/exit-code
sync
# At once: everything worth keeping is on the results share, synced.
systemctl --force --force poweroff
SCRIPT
chmod 755 /newroot/run/vm-run.sh

cat >"$units/vm-run.service" <<'UNIT'
[Unit]
Description=Test VM: run.sh from the results share, then power off
After=multi-user.target

[Service]
Type=exec
ExecStart=/run/vm-run.sh
Environment=HOME=/root TERM=dumb LANG=C.UTF-8 VM_RESULTS=/vm-results
Environment=PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
TimeoutStartSec=infinity
UNIT
ln -s ../vm-run.service "$units/multi-user.target.wants/vm-run.service"

# Both layers of the root, read-only, for a test that wants to know what
# changed on it (lib/overlay-snapshot.js).
mkdir -p /newroot/run/vm-overlay/rw /newroot/run/vm-overlay/lower
mount --bind /mnt/rw /newroot/run/vm-overlay/rw && mount -o remount,bind,ro /newroot/run/vm-overlay/rw
mount --bind /mnt/host /newroot/run/vm-overlay/lower

# The initramfs's own /proc, /sys and /dev: the new root has its own mounts.
umount -l /proc /sys /dev 2>/dev/null
echo "vm-init: switching to systemd at uptime $(cut -d' ' -f1 /newroot/proc/uptime)"
exec switch_root /newroot /lib/systemd/systemd
fail "switch_root failed"

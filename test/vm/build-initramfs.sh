#!/bin/bash
# Builds a tiny initramfs for the real-kernel test VM: busybox plus the few
# modules needed to boot the host's root over 9p and to create bonds over veth.
#
# Usage: build-initramfs.sh [OUTPUT_DIR]
#   OUTPUT_DIR  where to put initramfs-<kver>.cpio (default: $TMPDIR/bonding-agentx-vm)
# Environment:
#   VM_KERNEL_VERSION  kernel to use (default: the newest /boot/vmlinuz-* with modules)
#   VM_REBUILD=1       rebuild even if a cached image exists
#   VM_NO_VMLINUX=1    boot the compressed bzImage rather than the extracted ELF
# Prints the kernel image path and the initramfs path, one per line.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
out_dir=${1:-${TMPDIR:-/tmp}/bonding-agentx-vm}

find_kernel_version() {
  local v best=''
  # The VM runs Debian's packaged kernel, not the host's: pick one that has
  # both an image and its modules installed.
  for img in /boot/vmlinuz-*; do
    [ -e "$img" ] || continue
    v=${img#/boot/vmlinuz-}
    [ -d "/lib/modules/$v/kernel" ] || continue
    if [ -z "$best" ] || [ "$(printf '%s\n%s\n' "$best" "$v" | sort -V | tail -n1)" = "$v" ]; then
      best=$v
    fi
  done
  if [ -z "$best" ]; then
    echo "build-initramfs: no /boot/vmlinuz-* with /lib/modules/<version>/kernel; install linux-image-amd64" >&2
    exit 2
  fi
  echo "$best"
}

kver=${VM_KERNEL_VERSION:-$(find_kernel_version)}
kernel=/boot/vmlinuz-$kver
moddir=/lib/modules/$kver
image=$out_dir/initramfs-$kver.cpio

# Wanted modules, in the order we want them loaded; their dependencies are
# pulled in from modules.dep and loaded first.
wanted=(virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci
  netfs fscache 9pnet 9pnet_virtio 9p overlay tls bonding veth)

busybox_bin=$(command -v busybox || true)
for need in "$kernel" "$moddir/modules.dep" "$busybox_bin"; do
  if [ -z "$need" ] || [ ! -e "$need" ]; then
    echo "build-initramfs: missing ${need:-busybox} (apt-get install linux-image-amd64 busybox-static)" >&2
    exit 2
  fi
done
if ! file -L "$busybox_bin" 2>/dev/null | grep -q 'statically linked'; then
  # Without `file`, trust ldd's verdict instead.
  if ldd "$busybox_bin" >/dev/null 2>&1; then
    echo "build-initramfs: $busybox_bin is dynamically linked; install busybox-static" >&2
    exit 2
  fi
fi

# Boots are much faster from the uncompressed kernel: under emulation the
# xz-compressed bzImage takes seconds to unpack itself. QEMU can boot the
# plain ELF directly when the kernel has the PVH entry point.
extract_vmlinux() {
  local bz=$1 dest=$2 magic tool off
  grep -q '^CONFIG_PVH=y' "/boot/config-$kver" 2>/dev/null || return 1
  for magic in '\xfd\x37\x7a\x58\x5a\x00:xz' '\x1f\x8b\x08:gzip' '\x28\xb5\x2f\xfd:zstd'; do
    tool=${magic##*:}
    command -v "$tool" >/dev/null || continue
    off=$(LC_ALL=C grep -obUaP "${magic%:*}" "$bz" | head -n1 | cut -d: -f1) || true
    [ -n "$off" ] || continue
    case "$tool" in
      xz) tail -c +$((off + 1)) "$bz" | xz -dcq --single-stream >"$dest.tmp" 2>/dev/null || true ;;
      gzip) tail -c +$((off + 1)) "$bz" | gzip -dcq >"$dest.tmp" 2>/dev/null || true ;;
      zstd) tail -c +$((off + 1)) "$bz" | zstd -dcq >"$dest.tmp" 2>/dev/null || true ;;
    esac
    if [ "$(head -c4 "$dest.tmp" 2>/dev/null | od -A n -t x1 | tr -d ' ')" = 7f454c46 ]; then
      mv "$dest.tmp" "$dest"
      return 0
    fi
  done
  rm -f "$dest.tmp"
  return 1
}

vmlinux=$out_dir/vmlinux-$kver
if [ -n "${VM_NO_VMLINUX:-}" ]; then
  :
elif [ -z "${VM_REBUILD:-}" ] && [ -s "$vmlinux" ] && [ "$vmlinux" -nt "$kernel" ]; then
  kernel=$vmlinux
else
  mkdir -p "$out_dir"
  if extract_vmlinux "$kernel" "$vmlinux"; then kernel=$vmlinux; fi
fi

if [ -z "${VM_REBUILD:-}" ] && [ -s "$image" ] && [ "$image" -nt "$here/build-initramfs.sh" ] \
  && [ "$image" -nt "$here/init.sh" ] && [ "$image" -nt "$here/init-systemd.sh" ] \
  && [ "$image" -nt "$moddir/modules.dep" ]; then
  printf '%s\n%s\n' "$kernel" "$image"
  exit 0
fi

mkdir -p "$out_dir"
stage=$(mktemp -d "$out_dir/stage.XXXXXX")
trap 'rm -rf "$stage"' EXIT

# Resolves a module name to its path relative to $moddir via modules.dep,
# accepting - and _ interchangeably as modprobe does.
module_path() {
  local name=${1//-/_} line path base
  while IFS= read -r line; do
    path=${line%%:*}
    base=${path##*/}
    base=${base%%.ko*}
    if [ "${base//-/_}" = "$name" ]; then
      echo "$path"
      return 0
    fi
  done <"$moddir/modules.dep"
  return 1
}

module_is_builtin() {
  local name=${1//-/_}
  [ -e "$moddir/modules.builtin" ] && sed 's/-/_/g' "$moddir/modules.builtin" | grep -q "/$name\.ko"
}

# Depth-first over modules.dep so every module follows its dependencies.
declare -A seen=()
order=()
add_module_path() {
  local path=$1 line deps dep
  [ -n "${seen[$path]:-}" ] && return 0
  seen[$path]=1
  line=$(grep -m1 "^$path:" "$moddir/modules.dep")
  deps=${line#*:}
  for dep in $deps; do
    add_module_path "$dep"
  done
  order+=("$path")
}
for m in "${wanted[@]}"; do
  if p=$(module_path "$m"); then
    add_module_path "$p"
  elif module_is_builtin "$m"; then
    :
  else
    echo "build-initramfs: module $m not found for kernel $kver" >&2
    exit 2
  fi
done

mkdir -p "$stage"/{bin,dev,proc,sys,tmp,mnt/host,mnt/results,mnt/rw,newroot,lib/modules}
cp "$busybox_bin" "$stage/bin/busybox"
ln -s busybox "$stage/bin/sh"
: >"$stage/modules.order"
for path in "${order[@]}"; do
  base=${path##*/}
  case "$base" in
    *.ko.xz) xz -dc "$moddir/$path" >"$stage/lib/modules/${base%.xz}" ;;
    *.ko.zst) zstd -qdc "$moddir/$path" >"$stage/lib/modules/${base%.zst}" ;;
    *.ko.gz) gzip -dc "$moddir/$path" >"$stage/lib/modules/${base%.gz}" ;;
    *.ko) cp "$moddir/$path" "$stage/lib/modules/$base" ;;
    *) echo "build-initramfs: unknown module format $path" >&2; exit 2 ;;
  esac
  name=${base%%.ko*}
  params=''
  # Without max_bonds=0 the driver creates a bond0 of its own at load time.
  [ "$name" = bonding ] && params='max_bonds=0'
  echo "$name.ko $params" >>"$stage/modules.order"
done
cp "$here/init.sh" "$stage/init"
cp "$here/init-systemd.sh" "$stage/init-systemd.sh"
chmod 755 "$stage/init" "$stage/bin/busybox"

# An uncompressed archive: it is small, and the emulated CPU is slow at
# decompressing.
(cd "$stage" && find . -print0 | LC_ALL=C sort -z | cpio --null -o -H newc --quiet) >"$image.tmp"
mv "$image.tmp" "$image"
printf '%s\n%s\n' "$kernel" "$image"

#!/usr/bin/env bash
# fexit_guest.sh - run the fexit recorder's tests (build/tests/test_actions and
# tests/test_actions.sh) on a stock Debian kernel in a QEMU guest, for hosts
# whose kernel refuses BPF tracing programs (the lab VM: EPERM).  The guest
# boots Debian's linux-image (fetched with `apt-get download`, unpacked, never
# installed) with a busybox initramfs that mounts the host's root read-only
# over 9p and runs the tests from this checkout; its console is printed.
# Software emulation (TCG) by default: the counts are real, the timings are
# not.  Needs qemu-system-x86 and busybox-static (Debian); run it under
# `flock /run/xdplab-dev.lock` like any traffic test.  Leaves nothing but
# its work directory (WORK, default /var/tmp/xdplab-fexit-guest).
# Usage: tests/vm/fexit_guest.sh [KERNEL_PACKAGE]   (default: what linux-image-amd64 depends on)
set -eu
REPO=$(cd "$(dirname "$0")/../.." && pwd)
WORK=${WORK:-/var/tmp/xdplab-fexit-guest}
ACCEL=${ACCEL:-tcg}
for tool in qemu-system-x86_64 busybox apt-get dpkg-deb; do
	command -v "$tool" >/dev/null || {
		echo "fexit_guest: $tool missing (apt-get install qemu-system-x86 busybox-static)" >&2
		exit 7
	}
done
[ -x "$REPO/build/tests/test_actions" ] || { echo "fexit_guest: run make first" >&2; exit 7; }

pkg=${1:-$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-/ {print $2; exit}')}
mkdir -p "$WORK"
cd "$WORK"
if [ ! -d "k-$pkg" ]; then
	apt-get download -qq "$pkg"
	dpkg-deb -x "$pkg"_*.deb "k-$pkg"
fi
kver=$(ls "k-$pkg/lib/modules")
mods="k-$pkg/lib/modules/$kver/kernel"

# initramfs: busybox, the modules for 9p over virtio and veth (in load order), /init.
rm -rf initrd && mkdir -p initrd/bin initrd/mods
cp "$(command -v busybox)" initrd/bin/busybox
order=""
for m in drivers/virtio/virtio_ring drivers/virtio/virtio drivers/virtio/virtio_pci_modern_dev \
	drivers/virtio/virtio_pci_legacy_dev drivers/virtio/virtio_pci fs/netfs/netfs \
	fs/fscache/fscache net/9p/9pnet net/9p/9pnet_virtio fs/9p/9p drivers/net/veth; do
	[ -f "$mods/$m.ko" ] || continue # built in, or not in this kernel
	cp "$mods/$m.ko" initrd/mods/
	order="$order $(basename "$m")"
done
cat >initrd/init <<EOF
#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin
mkdir -p /proc /sys /dev /newroot
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev
for m in $order; do insmod /mods/\$m.ko || echo "insmod \$m failed"; done
mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=262144 hostroot /newroot || poweroff -f
mount --bind /newroot$WORK /newroot/mnt
for d in proc sys dev; do mount --move /\$d /newroot/\$d; done
exec switch_root /newroot /bin/sh /mnt/guest.sh
EOF
chmod +x initrd/init
(cd initrd && find . | busybox cpio -o -H newc 2>/dev/null | gzip >../initrd.gz)

cat >guest.sh <<EOF
#!/bin/sh
mount -t tmpfs tmp /tmp; mount -t tmpfs run /run; mount -t tmpfs vartmp /var/tmp
mount -t bpf bpf /sys/fs/bpf 2>/dev/null
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/tmp
cd "$REPO" || exit 1
echo "== guest kernel \$(uname -r)"
build/tests/test_actions
tests/test_actions.sh
echo "== guest done"
echo o >/proc/sysrq-trigger
EOF

rm -f console.log
timeout 2400 nice -n 19 qemu-system-x86_64 -accel "$ACCEL" -cpu max -smp 1 -m 2048 \
	-kernel "k-$pkg/boot/vmlinuz-$kver" -initrd initrd.gz \
	-append "console=ttyS0 panic=-1 quiet" \
	-fsdev local,id=hr,path=/,security_model=none,readonly=on,multidevs=remap \
	-device virtio-9p-pci,fsdev=hr,mount_tag=hostroot \
	-display none -no-reboot -serial file:console.log -monitor none
grep -v '^\[' console.log
grep -q '^== guest done' console.log

#!/usr/bin/env bash
# Builds the ShadowVM test guest from Debian packages only: the Debian cloud kernel (linux-image-*-cloud-amd64,
# unpacked with dpkg -x, never installed), busybox-static and cpio. The result is cached under
#   ${SHADOWVM_GUEST_CACHE:-~/.cache/shadowvm/guest}/<key>/{vmlinuz,initrd.gz}
# where <key> hashes every input (this script, init and CGI files, the kernel package, the busybox binary),
# and the initramfs is reproducible (sorted entries, fixed mtimes and owners, gzip -n): the same inputs give
# the same bytes. On success the last two lines of stdout are "kernel=<path>" and "initrd=<path>".
# Options (environment): SHADOWVM_KERNEL_DEB=<path to a linux-image-*-cloud-amd64 .deb> skips the download.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="${SHADOWVM_GUEST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/shadowvm/guest}"
log() { echo "guest-build: $*" >&2; }

missing=()
for t in dpkg dpkg-deb cpio gzip sha256sum find sort; do command -v "$t" >/dev/null || missing+=("$t"); done
busybox=""
for b in /bin/busybox /usr/bin/busybox; do
  if [ -x "$b" ] && ! ldd "$b" >/dev/null 2>&1; then busybox="$b"; break; fi
done
[ -n "$busybox" ] || missing+=("busybox-static (a statically linked /bin/busybox)")
if [ ${#missing[@]} -gt 0 ]; then
  log "missing tools: ${missing[*]} (Debian: apt-get install busybox-static cpio; or run scripts/install-deps.sh as root)"
  exit 3
fi
mkdir -p "$cache/debs"

deb="${SHADOWVM_KERNEL_DEB:-}"
if [ -z "$deb" ]; then
  deb="$(ls -1 "$cache"/debs/linux-image-*-cloud-amd64_*.deb 2>/dev/null | LC_ALL=C sort | tail -n 1 || true)"
fi
if [ -z "$deb" ]; then
  command -v apt-get >/dev/null || { log "no cached kernel package and no apt-get to fetch one; set SHADOWVM_KERNEL_DEB"; exit 3; }
  pkg="$(apt-cache depends linux-image-cloud-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/{print $2; exit}')"
  [ -n "$pkg" ] || { log "apt-cache does not know linux-image-cloud-amd64 (run apt-get update?)"; exit 3; }
  log "downloading $pkg into $cache/debs"
  tmp="$(mktemp -d "$cache/debs/.dl.XXXXXX")"
  chmod 755 "$tmp"
  (cd "$tmp" && apt-get download -q "$pkg" >&2 2>/dev/null) || { rm -rf "$tmp"; log "apt-get download $pkg failed"; exit 3; }
  mv "$tmp"/*.deb "$cache/debs/"
  rm -rf "$tmp"
  deb="$(ls -1 "$cache"/debs/"$pkg"_*.deb | LC_ALL=C sort | tail -n 1)"
fi
[ -f "$deb" ] || { log "kernel package not found: $deb"; exit 3; }

key="$( { cat "$here/build.sh" "$here/init" "$here"/*.cgi; sha256sum "$deb" | cut -d' ' -f1; sha256sum "$busybox" | cut -d' ' -f1; } \
        | sha256sum | cut -c1-16)"
out="$cache/$key"
if [ -f "$out/vmlinuz" ] && [ -f "$out/initrd.gz" ]; then
  log "cached: $out"
  echo "kernel=$out/vmlinuz"; echo "initrd=$out/initrd.gz"
  exit 0
fi

work="$(mktemp -d "$cache/.build.XXXXXX")"
trap 'rm -rf "$work"' EXIT
log "unpacking $(basename "$deb")"
dpkg -x "$deb" "$work/k"
vmlinuz="$(ls -1 "$work"/k/boot/vmlinuz-* | head -n 1)"
kver="${vmlinuz##*/vmlinuz-}"
mods="$work/k/lib/modules/$kver/kernel"
root="$work/root"
mkdir -p "$root"/{bin,dev,proc,sys,run,tmp,etc,lib/modules,www/cgi-bin}
cp "$busybox" "$root/bin/busybox"
for f in drivers/virtio/virtio.ko drivers/virtio/virtio_ring.ko drivers/virtio/virtio_pci_modern_dev.ko \
         drivers/virtio/virtio_pci_legacy_dev.ko drivers/virtio/virtio_pci.ko net/core/failover.ko \
         drivers/net/net_failover.ko drivers/net/virtio_net.ko; do
  src="$mods/$f"
  [ -f "$src" ] || { [ -f "$src.xz" ] && xz -dc "$src.xz" > "$root/lib/modules/$(basename "$f")" && continue; log "module $f missing in $kver"; exit 3; }
  cp "$src" "$root/lib/modules/"
done
cp "$here/init" "$root/init"
for c in "$here"/*.cgi; do n="$(basename "$c" .cgi)"; cp "$c" "$root/www/cgi-bin/$n"; done
echo "ShadowVM test guest ($kver)" > "$root/www/index.html"
chmod 755 "$root/init" "$root"/www/cgi-bin/* "$root/bin/busybox"
find "$root" -exec touch -h -d @0 {} +
mkdir -p "$out.tmp"
(cd "$root" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --reproducible --quiet) | gzip -n -6 > "$out.tmp/initrd.gz"
cp "$vmlinuz" "$out.tmp/vmlinuz"
rm -rf "$out"; mv "$out.tmp" "$out"
log "built $out (kernel $kver, initrd $(stat -c %s "$out/initrd.gz") bytes)"
echo "kernel=$out/vmlinuz"; echo "initrd=$out/initrd.gz"

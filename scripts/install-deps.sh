#!/usr/bin/env bash
# Installs the Debian packages that ShadowVM's root-only parts need (testbed namespaces, nftables, QEMU
# guests, the guest image build). Safe to run repeatedly; does nothing that is already done.
# Without root it only reports what is missing: the tests that need those parts then skip with a reason.
set -euo pipefail
pkgs=(iproute2 nftables qemu-system-x86 busybox-static cpio procps iperf3 haproxy curl)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# The QEMU guest image (testbed/guest/build.sh) fetches the Debian cloud kernel with apt-get download,
# which needs package lists that know it.
refresh_lists() {
  if [ "$(id -u)" -eq 0 ] && ! apt-cache show linux-image-cloud-amd64 >/dev/null 2>&1; then
    echo "install-deps: refreshing package lists (the guest image needs linux-image-cloud-amd64)"
    apt-get update -qq
  fi
}
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all packages present (${pkgs[*]})"
  refresh_lists
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: not root; missing packages: ${missing[*]} (root-only tests will skip and say why)"
  exit 0
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done"

# Shared helpers of the testbed scripts (sourced, not run). Everything a script creates is named with
# the prefix ($SVTB_PREFIX, default "svtb-") and recorded in the state directory, so down.sh can remove
# exactly that, also after a crash.
# shellcheck shell=bash

SVTB_PREFIX="${SVTB_PREFIX:-svtb-}"
SVTB_STATE_ROOT="${SVTB_STATE_ROOT:-/run/shadowvm-testbed}"

die() { echo "testbed: $*" >&2; exit 1; }
log() { [ -n "${SVTB_QUIET:-}" ] || echo "testbed: $*" >&2; }

# The prefix must be short (interface names are the topology's link names, namespace names carry the
# prefix) and safe to use in a glob.
check_prefix() {
  [[ "$SVTB_PREFIX" =~ ^[a-z][a-z0-9]{0,7}-$ ]] \
    || die "invalid --prefix '$SVTB_PREFIX' (expected: 1-8 lowercase letters/digits starting with a letter, then '-')"
}

state_dir() { echo "$SVTB_STATE_ROOT/${SVTB_PREFIX%-}"; }

ns_spine() { echo "${SVTB_PREFIX}spine"; }
ns_tor() { echo "${SVTB_PREFIX}tor-$1"; }
ns_host() { echo "${SVTB_PREFIX}h-$1"; }

# Our namespaces that exist now, from the kernel (not from the state file: that may be incomplete).
our_namespaces() {
  ip netns list 2>/dev/null | awk '{print $1}' | grep -E "^${SVTB_PREFIX//-/\\-}" || true
}

# Says which tools or kernel features are missing; returns non-zero when the testbed cannot be built.
check_tools() {
  local missing=() warn=()
  [ "$(id -u)" -eq 0 ] || missing+=("root (network namespaces need CAP_NET_ADMIN)")
  command -v ip >/dev/null 2>&1 || missing+=("ip (Debian package iproute2)")
  command -v tc >/dev/null 2>&1 || missing+=("tc (Debian package iproute2)")
  command -v nft >/dev/null 2>&1 || warn+=("nft (Debian package nftables; the redirect data plane needs it, the testbed does not)")
  command -v iperf3 >/dev/null 2>&1 || warn+=("iperf3 (Debian package iperf3; load.sh needs it)")
  if [ ${#missing[@]} -eq 0 ]; then
    local probe="${SVTB_PREFIX}probe$$"
    if ip netns add "$probe" 2>/dev/null; then
      ip -n "$probe" link add br0 type bridge 2>/dev/null || missing+=("Linux bridge support (kernel module bridge)")
      ip -n "$probe" link add v0 type veth peer name v1 2>/dev/null || missing+=("veth support (kernel module veth)")
      if ip -n "$probe" link show v0 >/dev/null 2>&1; then
        tc -n "$probe" qdisc add dev v0 root tbf rate 1mbit burst 16kb latency 50ms 2>/dev/null \
          || missing+=("tbf qdisc (kernel module sch_tbf)")
      fi
      ip netns del "$probe"
    else
      missing+=("network namespaces (ip netns add failed)")
    fi
  fi
  for w in "${warn[@]}"; do echo "testbed: note: missing $w" >&2; done
  if [ ${#missing[@]} -gt 0 ]; then
    for m in "${missing[@]}"; do echo "testbed: missing: $m" >&2; done
    return 1
  fi
}

#!/usr/bin/env bash
# Background traffic with iperf3: loads the uplink of --from-rack by sending TCP from its first host to
# the first host of --to-rack (default: the next rack, r1 after the last) for --seconds. --stop ends a running load.
# The processes run inside the testbed's namespaces, so down.sh stops them too.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib/common.sh
source "$here/lib/common.sh"

from="" to="" seconds=30 streams=2 stop="" port=5201
while [ $# -gt 0 ]; do
  case "$1" in
    --from-rack) from="${2:-}"; shift 2 ;;
    --to-rack) to="${2:-}"; shift 2 ;;
    --seconds) seconds="${2:-}"; shift 2 ;;
    --streams) streams="${2:-}"; shift 2 ;;
    --stop) stop=1; shift ;;
    --prefix) SVTB_PREFIX="${2:-}"; shift 2 ;;
    -h|--help) echo "usage: testbed/load.sh --from-rack rN [--to-rack rM] [--seconds S] [--streams N] | --stop"; exit 0 ;;
    *) die "unknown argument: $1" ;;
  esac
done
check_prefix
dir="$(state_dir)"
[ -f "$dir/state.json" ] || die "not up (no $dir/state.json)"
if [ -n "$stop" ]; then
  for f in "$dir"/load-*.pid; do
    [ -f "$f" ] || continue
    kill "$(cat "$f")" 2>/dev/null || true
    rm -f "$f"
  done
  log "load stopped"
  exit 0
fi
command -v iperf3 >/dev/null 2>&1 || die "missing: iperf3 (Debian package iperf3; scripts/install-deps.sh installs it)"
[[ "$seconds" =~ ^[0-9]+$ ]] && [ "$seconds" -ge 1 ] && [ "$seconds" -le 86400 ] || die "invalid --seconds: '$seconds' (expected: 1-86400)"
[[ "$streams" =~ ^[0-9]+$ ]] && [ "$streams" -ge 1 ] && [ "$streams" -le 32 ] || die "invalid --streams: '$streams' (expected: 1-32)"
[[ "$from" =~ ^r([0-9]+)$ ]] || die "invalid --from-rack: '$from' (expected: r1, r2, ...)"
fnum="${BASH_REMATCH[1]}"
if [ -z "$to" ]; then
  # the next rack, wrapping around to r1 from the last one
  to="r$((fnum + 1))"
  ip netns list | awk '{print $1}' | grep -qx "$(ns_host "${to}h1")" || to="r1"
fi
[[ "$to" =~ ^r([0-9]+)$ ]] || die "invalid --to-rack: '$to' (expected: r1, r2, ...)"
tnum="${BASH_REMATCH[1]}"
[ "$fnum" != "$tnum" ] || die "--to-rack must differ from --from-rack ($from): the load has to cross the uplink"
src="$(ns_host "${from}h1")"
dst="$(ns_host "${to}h1")"
ip netns list | awk '{print $1}' | grep -qx "$src" || die "no host ${from}h1 in this testbed (namespace $src)"
ip netns list | awk '{print $1}' | grep -qx "$dst" || die "no host ${to}h1 in this testbed (namespace $dst)"
dst_addr="10.77.$tnum.11"
ip netns exec "$dst" iperf3 -s -p "$port" -1 >/dev/null 2>&1 &
echo $! >"$dir/load-server.pid"
# wait (bounded) until the server listens
for _ in $(seq 1 50); do
  ip netns exec "$dst" ss -ltn "sport = :$port" 2>/dev/null | grep -q LISTEN && break
  sleep 0.1
done
ip netns exec "$src" iperf3 -c "$dst_addr" -p "$port" -t "$seconds" -P "$streams" >"$dir/load.log" 2>&1 &
echo $! >"$dir/load-client.pid"
log "load: ${from}h1 -> ${to}h1 ($dst_addr) for ${seconds}s, $streams streams, through ${from}-spine"

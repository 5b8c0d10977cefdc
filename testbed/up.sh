#!/usr/bin/env bash
# Builds a small leaf-spine datacenter out of network namespaces (see docs/testbed.md):
#   <prefix>h-<host>   one namespace per host, interface "<host>-<rack>" with 10.77.<rack#>.<10+host#>/24
#   <prefix>tor-<rack> one per rack: Linux bridge "tor" with the host ports and the uplink "<rack>-spine"
#   <prefix>spine      routes between racks; its end of each uplink "<rack>-spine" is 10.77.<rack#>.1/24
# Each uplink gets a tbf qdisc at --uplink-mbit in both directions, so it has a real capacity and a
# real queue. Writes the topology YAML (core schema, link names as above) and the status JSON.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib/common.sh
source "$here/lib/common.sh"

usage() {
  cat <<USAGE
usage: testbed/up.sh --racks R --hosts-per-rack H [--uplink-mbit M] [--queue-ms Q] [--prefix P-]
                     [--topology-out FILE]
  --racks R            racks (ToR switches), 1-50
  --hosts-per-rack H   hosts per rack, 1-50
  --uplink-mbit M      capacity of each rack uplink (tbf rate), 1-10000 Mbit/s (default 10)
  --queue-ms Q         tbf queue length in ms of the uplink rate (default 50): the most delay it adds
  --prefix P-          name prefix of everything created (default svtb-)
  --topology-out FILE  where to write the topology YAML (default <state dir>/topology.yaml)
USAGE
}

racks="" hosts="" mbit=10 queue_ms=50 topo_out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --racks) racks="${2:-}"; shift 2 ;;
    --hosts-per-rack) hosts="${2:-}"; shift 2 ;;
    --uplink-mbit) mbit="${2:-}"; shift 2 ;;
    --queue-ms) queue_ms="${2:-}"; shift 2 ;;
    --prefix) SVTB_PREFIX="${2:-}"; shift 2 ;;
    --topology-out) topo_out="${2:-}"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done
check_prefix
int_in() { [[ "$2" =~ ^[0-9]+$ ]] && [ "$2" -ge "$3" ] && [ "$2" -le "$4" ] || die "invalid $1: '$2' (expected: $3-$4)"; }
[ -n "$racks" ] || { usage >&2; die "missing --racks"; }
[ -n "$hosts" ] || { usage >&2; die "missing --hosts-per-rack"; }
int_in --racks "$racks" 1 50
int_in --hosts-per-rack "$hosts" 1 50
int_in --uplink-mbit "$mbit" 1 10000
int_in --queue-ms "$queue_ms" 1 1000
check_tools || die "cannot build the testbed (see above)"

dir="$(state_dir)"
if [ -f "$dir/state.json" ] || [ -n "$(our_namespaces)" ]; then
  die "a testbed with prefix $SVTB_PREFIX is already up (run testbed/down.sh --prefix $SVTB_PREFIX first)"
fi
mkdir -p "$dir"
: >"$dir/created.list"
topo_out="${topo_out:-$dir/topology.yaml}"
mkdir -p "$(dirname "$topo_out")"
topo_out="$(cd "$(dirname "$topo_out")" && pwd)/$(basename "$topo_out")"

# On any failure, undo what was built so far.
trap 'rc=$?; if [ $rc -ne 0 ]; then echo "testbed: up failed, removing what was created" >&2; "$here/down.sh" --prefix "$SVTB_PREFIX" >/dev/null 2>&1 || true; fi' EXIT

newns() {
  ip netns add "$1"
  echo "netns $1" >>"$dir/created.list"
  ip -n "$1" link set lo up
}
# tbf: rate M, a burst of at least 16 KiB (one GSO segment plus headroom), queue of Q ms at rate.
burst_bytes=$(( mbit * 1000000 / 8 / 100 ))  # 10 ms at rate
[ "$burst_bytes" -ge 16384 ] || burst_bytes=16384
shape() { tc -n "$1" qdisc replace dev "$2" root tbf rate "${mbit}mbit" burst "$burst_bytes" latency "${queue_ms}ms"; }

spine="$(ns_spine)"
newns "$spine"
ip netns exec "$spine" sysctl -qw net.ipv4.ip_forward=1
hosts_json="" uplinks_json="" yaml_racks=""
for r in $(seq 1 "$racks"); do
  rack="r$r"
  tor="$(ns_tor "$rack")"
  newns "$tor"
  ip -n "$tor" link add tor type bridge
  ip -n "$tor" link set tor up
  up_if="${rack}-spine"
  ip link add "$up_if" netns "$tor" type veth peer name "$up_if" netns "$spine"
  ip -n "$tor" link set "$up_if" master tor
  ip -n "$tor" link set "$up_if" up
  ip -n "$spine" addr add "10.77.$r.1/24" dev "$up_if"
  ip -n "$spine" link set "$up_if" up
  shape "$tor" "$up_if"     # rack -> spine
  shape "$spine" "$up_if"   # spine -> rack
  uplinks_json+="${uplinks_json:+,}{\"rack\":\"$rack\",\"mbit\":$mbit}"
  yaml_racks+="      - name: $rack
        uplinkGbps: $(awk -v m="$mbit" 'BEGIN { printf "%g", m / 1000 }')
        hosts:
"
  for h in $(seq 1 "$hosts"); do
    host="${rack}h$h"
    ns="$(ns_host "$host")"
    addr="10.77.$r.$((10 + h))"
    link="${host}-${rack}"
    newns "$ns"
    ip link add "$link" netns "$ns" type veth peer name "$link" netns "$tor"
    ip -n "$tor" link set "$link" master tor
    ip -n "$tor" link set "$link" up
    ip -n "$ns" addr add "$addr/24" dev "$link"
    ip -n "$ns" link set "$link" up
    ip -n "$ns" route add default via "10.77.$r.1"
    hosts_json+="${hosts_json:+,}{\"name\":\"$host\",\"rack\":\"$rack\",\"netns\":\"$ns\",\"address\":\"$addr\"}"
    yaml_racks+="          - {name: $host, cores: 1, memoryMib: 1024, nicGbps: 10}
"
  done
done

cat >"$topo_out" <<YAML
# Written by testbed/up.sh (prefix $SVTB_PREFIX): exactly what it built. Links: <host>-<rack>, <rack>-spine.
datacenter: testbed
pods:
  - name: p1
    racks:
$yaml_racks
YAML
echo "topology $topo_out" >>"$dir/created.list"
printf '{"topology":"%s","hosts":[%s],"uplinks":[%s]}\n' "$topo_out" "$hosts_json" "$uplinks_json" >"$dir/state.json"
log "up: $racks racks x $hosts hosts, uplinks ${mbit} Mbit/s (queue ${queue_ms} ms); topology $topo_out"
echo "$dir/state.json"

#!/usr/bin/env bash
# Shows the testbed of a prefix. With --json prints the status JSON written by up.sh:
#   {"topology":"..","hosts":[{"name":..,"rack":..,"netns":..,"address":..}],"uplinks":[{"rack":..,"mbit":n}]}
# Exit 1 when it is not up, or when namespaces of it have gone missing.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib/common.sh
source "$here/lib/common.sh"

json=""
while [ $# -gt 0 ]; do
  case "$1" in
    --json) json=1; shift ;;
    --prefix) SVTB_PREFIX="${2:-}"; shift 2 ;;
    -h|--help) echo "usage: testbed/status.sh [--json] [--prefix P-]"; exit 0 ;;
    *) die "unknown argument: $1" ;;
  esac
done
check_prefix
dir="$(state_dir)"
[ -f "$dir/state.json" ] || die "not up (no $dir/state.json; start it with testbed/up.sh)"
missing=""
for ns in $(awk '$1 == "netns" {print $2}' "$dir/created.list"); do
  ip netns list 2>/dev/null | awk '{print $1}' | grep -qx "$ns" || missing+=" $ns"
done
[ -z "$missing" ] || die "partially up: namespaces missing:$missing (run testbed/down.sh --prefix $SVTB_PREFIX)"
if [ -n "$json" ]; then
  cat "$dir/state.json"
else
  echo "testbed $SVTB_PREFIX: $(grep -c '^netns ' "$dir/created.list") namespaces, state $dir/state.json"
  grep '^topology ' "$dir/created.list" | sed 's/^topology /topology: /'
  for ns in $(awk '$1 == "netns" {print $2}' "$dir/created.list"); do
    case "$ns" in
      *tor-*) r="${ns##*tor-}"; echo "uplink $r-spine: $(tc -n "$ns" qdisc show dev "$r-spine" | head -1)" ;;
    esac
  done
fi

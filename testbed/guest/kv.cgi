#!/bin/sh
# GET /cgi-bin/kv?KEY=VALUE sets KEY, /cgi-bin/kv?KEY reads it, /cgi-bin/kv lists every pair.
# KEY: [A-Za-z0-9_-]{1,32}; VALUE: [A-Za-z0-9_.-]{0,64}. Anything else is answered with "error=...".
echo "Content-Type: text/plain"; echo
q="$QUERY_STRING"
if [ -z "$q" ]; then
  for f in /run/kv/*; do [ -f "$f" ] && echo "${f#/run/kv/}=$(cat "$f")"; done
  exit 0
fi
k="${q%%=*}"
case "$k" in ''|*[!A-Za-z0-9_-]*) echo "error=bad key"; exit 0 ;; esac
if [ ${#k} -gt 32 ]; then echo "error=key longer than 32"; exit 0; fi
if [ "$k" != "$q" ]; then
  v="${q#*=}"
  case "$v" in *[!A-Za-z0-9_.-]*) echo "error=bad value"; exit 0 ;; esac
  if [ ${#v} -gt 64 ]; then echo "error=value longer than 64"; exit 0; fi
  echo "$v" > "/run/kv/$k"
fi
if [ -f "/run/kv/$k" ]; then echo "$k=$(cat "/run/kv/$k")"; else echo "error=no such key"; fi

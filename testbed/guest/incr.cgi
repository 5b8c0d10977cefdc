#!/bin/sh
# GET /cgi-bin/incr: adds one to the hit counter and prints the new value as "hits=<n>".
# busybox-static has no flock applet: mkdir is the lock (atomic on tmpfs).
t=0
until mkdir /run/hits.lock 2>/dev/null; do t=$((t+1)); [ $t -gt 200 ] && rmdir /run/hits.lock 2>/dev/null; sleep 0.01; done
n=$(($(cat /run/hits)+1)); echo $n > /run/hits
rmdir /run/hits.lock
echo "Content-Type: text/plain"; echo
echo "hits=$n"

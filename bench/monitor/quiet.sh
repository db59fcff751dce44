# Sourced by the monitor benchmark scripts: waits until the machine is quiet enough to
# measure (1-minute load average below 0.7, polled every 30 s for up to 10 minutes), and
# says so either way; the load is recorded in the results.
wait_for_quiet() {
  local tries=0 load
  while :; do
    load=$(cut -d' ' -f1 /proc/loadavg)
    if awk -v l="$load" 'BEGIN { exit !(l < 0.7) }'; then
      echo "load average $load: measuring" >&2
      return 0
    fi
    if [ "$tries" -ge 20 ]; then
      echo "load average still $load after 10 minutes: measuring anyway (the results record it)" >&2
      return 0
    fi
    echo "load average $load: waiting for < 0.7 ($tries/20)" >&2
    tries=$((tries + 1))
    sleep 30
  done
}

# Sourced by `bin/bench pipeline [--quick]` (uses its step, wait_for, stop_pid, pids, $quick, $jar,
# $cli_jar, $run, $results): the whole pipeline as users run it.
#
#   1. split: broker, simulator, metering and relay, each its own JVM (the streammeter command);
#   2. local: `streammeter local` as one JVM (broker, metering, relay) in front of the same
#      simulator JVM, so direct is the same upstream for both.
# For each: burst for the first window right after ready, a stated warm-up, then burst, paced and
# paced-heavy, each direct, through nginx (when installed) and through the stack. A JFR profile of
# the split pipeline under burst closes the full run. Figures: $results/pipeline.md.

broker_port=19092
sim_port=18090
relay_port=18080
metering_port=18081
nginx_port=18070
topic_prefix="bench."
java_bin="$(command -v java)"
pipeline_table="$results/pipeline.md"

for port in $broker_port $((broker_port + 1)) $sim_port $relay_port $metering_port $nginx_port; do
  port_free "$port" || { echo "bench: port $port on 127.0.0.1 is in use" >&2; exit 1; }
done
rm -rf "$run" "$results"
mkdir -p "$run" "$results"

# Every relay setting the harness passes, in one place. The harness reads /proc, HTTP and
# metering's /metrics, never the relay's, so the relay's /metrics is left without a token (a relay
# must say which it wants).
relay_settings=(
  --metrics.auth=none
  --listen.host=127.0.0.1
  --listen.port="$relay_port"
  --upstream.name=simulator
  --upstream.base-url="http://127.0.0.1:$sim_port/v1"
  --upstream.max-connections=1000
  --key-id.pepper=benchmark-pepper-not-a-secret
  --kafka.topic-prefix="$topic_prefix"
  --relay.instance-id=relay-bench
  --spool.dir="$run/relay-spool"
)
metering_settings=(
  --topic-prefix="$topic_prefix"
  --state-dir="$run/metering-state"
  --query-host=127.0.0.1
  --query-port="$metering_port"
  --auth.mode=none
  --application-id=bench-metering
)

await_http() {
  local url=$1 limit=$2 pid=$3
  for _ in $(seq 1 $((limit * 2))); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$url" 2>/dev/null)" = 200 ] && return 0
    kill -0 "$pid" 2>/dev/null || { echo "bench: process $pid died; its log ($4):" >&2
                                    tail -20 "$4" >&2; exit 1; }
    sleep 0.5
  done
  echo "bench: $url not 200 after $limit s" >&2
  exit 1
}

{
  echo "## Machine"
  echo
  echo "| | |"
  echo "|---|---|"
  echo "| cores (nproc) | $(nproc) |"
  echo "| CPU | $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//') |"
  echo "| JDK | $(java -version 2>&1 | head -2 | tail -1) |"
  echo "| load average before the run | $(cut -d' ' -f1-3 /proc/loadavg) |"
  echo "| other JVMs before the run | $(pgrep -c java || true) |"
  echo "| mode | $($quick && echo quick || echo full) |"
  echo "| date | $(date -u +%Y-%m-%dT%H:%MZ) |"
  echo
} > "$results/machine.md"

# --- the simulator (upstream of both stacks) and, when installed, nginx in front of it -------
step "starting the simulator"
"$java_bin" -Xmx512m -jar "$cli_jar" simulator --port "$sim_port" --event-loops 2 \
  > "$run/simulator.log" 2>&1 &
sim_pid=$!
pids+=("$sim_pid")
wait_for "$run/simulator.log" "simulator listening" 60 "$sim_pid"

nginx_url=""
if command -v nginx > /dev/null; then
  mkdir -p "$run/nginx"
  cat > "$run/nginx/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $run/nginx/nginx.pid;
error_log $run/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $run/nginx;
  proxy_temp_path $run/nginx;
  upstream sim { server 127.0.0.1:$sim_port; keepalive 512; }
  server {
    listen 127.0.0.1:$nginx_port;
    location / {
      proxy_pass http://sim;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_buffering off;
    }
  }
}
CONF
  nginx -c "$run/nginx/nginx.conf" -p "$run/nginx" > "$run/nginx.log" 2>&1 &
  nginx_pid=$!
  pids+=("$nginx_pid")
  sleep 1
  if kill -0 "$nginx_pid" 2>/dev/null; then
    nginx_url="http://127.0.0.1:$nginx_port"
  else
    step "nginx did not start (see $run/nginx.log); measuring without it"
  fi
else
  step "nginx is not installed: no nginx column"
fi

pipeline_run() {
  local name=$1 pid_spec=$2
  timeout $($quick && echo 240 || echo 600) \
    "$java_bin" $log4j -Xmx1g -cp "$jar" io.streammeter.bench.load.PipelineMain \
    --run "$name" --quick "$quick" \
    --direct "http://127.0.0.1:$sim_port" --relay "http://127.0.0.1:$relay_port" \
    ${nginx_url:+--nginx "$nginx_url"} \
    --pids "$pid_spec,simulator=$sim_pid" \
    --metering-metrics "http://127.0.0.1:$metering_port/metrics" \
    --bootstrap "127.0.0.1:$broker_port" --group "$3" ${4:+--metering-token-file "$4"} \
    --table "$pipeline_table" > "$run/pipeline-$name.out" 2> "$run/pipeline-$name.log" \
    || { tail -30 "$run/pipeline-$name.log" >&2; exit 1; }
}

# --- 1. split: each process its own JVM ------------------------------------------------------
step "split: starting the broker, metering and the relay, each its own JVM"
"$java_bin" -Xmx1g -jar "$cli_jar" broker --data-dir="$run/kafka" --port="$broker_port" \
  --topic-prefix="$topic_prefix" > "$run/broker.log" 2>&1 &
broker_pid=$!
pids+=("$broker_pid")
wait_for "$run/broker.log" "broker ready" 120 "$broker_pid"

"$java_bin" -Xmx1g -jar "$cli_jar" metering --bootstrap="127.0.0.1:$broker_port" \
  "${metering_settings[@]}" > "$run/metering.log" 2>&1 &
metering_pid=$!
pids+=("$metering_pid")
await_http "http://127.0.0.1:$metering_port/readyz" 120 "$metering_pid" "$run/metering.log"

"$java_bin" -Xmx1g -jar "$cli_jar" relay --bootstrap="127.0.0.1:$broker_port" \
  "${relay_settings[@]}" > "$run/relay.log" 2>&1 &
relay_pid=$!
pids+=("$relay_pid")
await_http "http://127.0.0.1:$relay_port/readyz" 120 "$relay_pid" "$run/relay.log"

step "split: measuring (first window after ready, warm-up, burst, paced, paced-heavy)"
pipeline_run split "relay=$relay_pid,broker=$broker_pid,metering=$metering_pid" bench-metering

if ! $quick; then
  step "split: JFR profile of relay, broker and metering under burst"
  for p in relay broker metering; do
    eval "jcmd \"\$${p}_pid\" JFR.start name=pipeline settings=profile \
      filename=\"$results/pipeline-$p.jfr\"" > /dev/null
  done
  timeout 120 "$java_bin" $log4j -Xmx1g -cp "$jar" io.streammeter.bench.load.LoadMain \
    --direct "http://127.0.0.1:$sim_port" --relay "http://127.0.0.1:$relay_port" \
    --sides relay --scenarios burst --warmup 1s --window 10s --out "$results" \
    --name pipeline-profile-load > /dev/null 2> "$run/pipeline-profile-load.log"
  : > "$results/pipeline-profile.md"
  for p in relay broker metering; do
    eval "jcmd \"\$${p}_pid\" JFR.stop name=pipeline" > /dev/null
    "$java_bin" -cp "$jar" io.streammeter.bench.infra.JfrSummary "$results/pipeline-$p.jfr" \
      "$p, split pipeline under burst" >> "$results/pipeline-profile.md"
  done
fi

stop_pid "$relay_pid"
stop_pid "$metering_pid"
stop_pid "$broker_pid"

# --- 2. streammeter local: one JVM -----------------------------------------------------------
step "local: starting streammeter local (one JVM) in front of the same simulator"
"$java_bin" -Xmx1g -Dstreammeter.home="$root" -jar "$cli_jar" local --data-dir "$run/local" \
  --upstream "http://127.0.0.1:$sim_port/v1" --relay-port "$relay_port" \
  --api-port "$metering_port" --kafka-port "$broker_port" > "$run/local.log" 2>&1 &
local_pid=$!
pids+=("$local_pid")
wait_for "$run/local.log" "streammeter is up" 180 "$local_pid"

step "local: measuring"
# local's metering group: the default application id (the default topic prefix).
# Its /metrics needs the admin token local keeps in its data directory.
pipeline_run local "stack=$local_pid" streammeter-metering "$run/local/admin-token"
stop_pid "$local_pid"

{
  cat "$results/machine.md"
  echo "## The whole pipeline$($quick && echo ' (quick mode: short windows)')"
  echo
  echo "Warm-up: $($quick && echo '4 s' || echo '20 s') of burst through the stack and 3 s direct"
  echo "after the first window; windows of $($quick && echo 4 || echo 12) s per side. CPU from"
  echo "/proc utime+stime of each process over each side, divided by the chunks that side"
  echo "relayed (35 per stream). Pipeline = relay + broker + metering (split) or the one"
  echo "'streammeter local' JVM (stack). End-to-spend: metering's rolling p50/p99, highest"
  echo "sampled during the side, and the side's mean from count and sum. Lag: records the metering"
  echo "group had not consumed, highest sampled / at the end of the side."
  echo
  cat "$pipeline_table"
  echo
  cat "$results/pipeline-profile.md" 2>/dev/null || true
} > "$results/pipeline-summary.md"
cat "$results/pipeline-summary.md"
step "done: $results/pipeline-summary.md"

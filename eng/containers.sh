#!/usr/bin/env bash
# Builds the MarketIntel images offline and runs the Compose stack with podman (docs/deploy.md, "Offline pipeline").
#
#   eng/containers.sh install   apt packages and a private podman configuration (idempotent)
#   eng/containers.sh images    Debian base images, loopback registry, the three service images and a Redis image
#   eng/containers.sh up        the Compose stack on loopback (api on 127.0.0.1:$MARKETINTEL_API_PORT)
#   eng/containers.sh smoke     non-root images without secrets, /health, both workers consuming the queue and
#                               answering /health and /alive, then one research job to "succeeded"
#   eng/containers.sh down      the stack, its volumes, the podman socket and the registry
#   eng/containers.sh compose … docker-compose with this stack's project, files and socket
#   eng/containers.sh kill-worker  SIGKILL to the worker running a job; the job must still succeed
#   eng/containers.sh stop-worker  SIGTERM to it: it must exit within the grace period and the job still succeed
#   eng/containers.sh all       images up smoke down
#
# Everything it writes lives under artifacts/containers (git-ignored). Podman reads its settings from there too
# (CONTAINERS_CONF, CONTAINERS_REGISTRIES_CONF), so the machine's own container configuration is left alone, and its
# API socket is private: /var/run/docker.sock stays absent, which the AppHost's "auto" Redis mode relies on.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

state=$root/artifacts/containers
registry_port=${MARKETINTEL_REGISTRY_PORT:-5599}
registry=localhost:$registry_port
api_port=${MARKETINTEL_API_PORT:-5580}
project=${MARKETINTEL_COMPOSE_PROJECT:-marketintel-ci}
suite=bookworm
mirror=${MARKETINTEL_DEBIAN_MIRROR:-http://deb.debian.org/debian}
# The runtime of the installed SDK goes into the base: the images run what the tests ran.
dotnet_root=$(dirname "$(readlink -f "$(command -v dotnet)")")
runtime_version=$(dotnet --list-runtimes | awk '$1 == "Microsoft.AspNetCore.App" { v = $2 } END { print v }')
base_image=$registry/marketintel-aspnet:$runtime_version
redis_image=$registry/marketintel-redis:$suite

export CONTAINERS_CONF=$state/containers.conf
export CONTAINERS_REGISTRIES_CONF=$state/registries.conf
export DOCKER_HOST=unix://$state/podman.sock
mkdir -p "$state"

log() { printf '[containers %s] %s\n' "$(date -u +%H:%M:%S)" "$*"; }

install() {
  local packages=(mmdebstrap docker-registry podman runc conmon containernetworking-plugins
    golang-github-containernetworking-plugin-dnsname uidmap catatonit skopeo docker-compose curl jq)
  local missing=()
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if ((${#missing[@]})); then
    log "apt-get install ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
  # The package starts its own registry on :5000 where a service manager exists; ours runs on its own port.
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet docker-registry 2>/dev/null; then
    systemctl stop docker-registry || true
  fi
  # crun rejects this kind of host's hybrid cgroups, and podman's default nofile limit is above what root may set
  # without CAP_SYS_RESOURCE here (CONTAINERS.md).
  local nofile
  nofile=$(ulimit -Hn)
  cat >"$CONTAINERS_CONF" <<EOF
[containers]
default_ulimits = ["nofile=$nofile:$nofile", "nproc=32768:32768"]
[engine]
runtime = "runc"
EOF
  cat >"$CONTAINERS_REGISTRIES_CONF" <<EOF
[[registry]]
location = "$registry"
insecure = true
EOF
}

registry_up() {
  if curl -fs "http://$registry/v2/" >/dev/null 2>&1; then
    return
  fi
  mkdir -p "$state/registry"
  cat >"$state/registry.yml" <<EOF
version: 0.1
log: { level: warn }
storage: { filesystem: { rootdirectory: $state/registry }, delete: { enabled: true } }
http: { addr: 127.0.0.1:$registry_port }
EOF
  setsid docker-registry serve "$state/registry.yml" >"$state/registry.log" 2>&1 </dev/null &
  echo $! >"$state/registry.pid"
  for _ in $(seq 50); do
    curl -fs "http://$registry/v2/" >/dev/null 2>&1 && return
    sleep 0.2
  done
  log "registry did not start"; cat "$state/registry.log"; return 1
}

in_registry() { skopeo inspect --tls-verify=false "docker://$1" >/dev/null 2>&1; }

# A root file system of Debian packages, with the non-root user the official .NET images have (app, 1654) and /data
# owned by the uid the official Redis image uses (999), so a named volume mounted there is writable either way.
debian_rootfs() {
  local out=$1 include=$2
  shift 2
  mmdebstrap --quiet --variant=essential --include="$include" \
    --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
    --dpkgopt='path-exclude=/usr/share/locale/*' \
    --customize-hook='echo "app:x:1654:1654:app:/home/app:/usr/sbin/nologin" >>"$1/etc/passwd"' \
    --customize-hook='echo "app:x:1654:" >>"$1/etc/group"' \
    --customize-hook='mkdir -p "$1/home/app" "$1/data" && chown 1654:1654 "$1/home/app" && chown 999:999 "$1/data"' \
    --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/* "$1"/var/log/*' \
    "$@" "$suite" "$out" "$mirror"
}

base_images() {
  local runtime_libs=libc6,libgcc-s1,libstdc++6,libssl3,zlib1g,ca-certificates,tzdata
  if ! in_registry "$base_image"; then
    log "base image $base_image (Debian $suite + ASP.NET Core $runtime_version)"
    local netcore
    netcore=$(dotnet --list-runtimes | awk '$1 == "Microsoft.NETCore.App" { v = $2 } END { print v }')
    debian_rootfs "$state/aspnet.tar" "$runtime_libs" \
      --customize-hook="mkdir -p \"\$1/usr/share/dotnet/shared\" && cp -a $dotnet_root/dotnet $dotnet_root/host \"\$1/usr/share/dotnet/\"" \
      --customize-hook="cd $dotnet_root && cp -a --parents shared/Microsoft.NETCore.App/$netcore shared/Microsoft.AspNetCore.App/$runtime_version \"\$1/usr/share/dotnet/\"" \
      --customize-hook='ln -s /usr/share/dotnet/dotnet "$1/usr/bin/dotnet"'
    # The environment the official aspnet image sets; InvariantGlobalization (Directory.Build.props) makes ICU optional.
    podman import --quiet \
      --change 'ENV APP_UID=1654' --change 'ENV ASPNETCORE_HTTP_PORTS=8080' \
      --change 'ENV DOTNET_RUNNING_IN_CONTAINER=true' --change 'ENV DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=true' \
      --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      "$state/aspnet.tar" "$base_image" >/dev/null
    podman push --quiet --tls-verify=false "$base_image"
    rm -f "$state/aspnet.tar"
  fi
  if ! in_registry "$redis_image"; then
    log "Redis image $redis_image (Debian $suite redis-server)"
    debian_rootfs "$state/redis.tar" "$runtime_libs,redis-server"
    podman import --quiet --change 'USER 999:999' --change 'WORKDIR /data' --change 'EXPOSE 6379' \
      --change 'CMD ["redis-server", "--dir", "/data", "--appendonly", "yes"]' \
      "$state/redis.tar" "$redis_image" >/dev/null
    podman push --quiet --tls-verify=false "$redis_image"
    rm -f "$state/redis.tar"
  fi
}

service_images() {
  log "service images on $base_image"
  local p
  for p in Api Worker ModelEmulator; do
    # Its own build and intermediate folders: eng/test.sh runs this while other tests use the projects' bin folders.
    dotnet publish "src/MarketIntel.$p/MarketIntel.$p.csproj" -c Release -nologo -v quiet -t:PublishContainer \
      --artifacts-path "$state/build" \
      -p:ContainerBaseImage="$base_image" -p:ContainerRegistry="$registry" -p:ContainerImageTag=latest
  done
}

images() {
  install
  registry_up
  base_images
  service_images
  local name
  for name in marketintel-api marketintel-worker marketintel-model-emulator; do
    podman pull --quiet --tls-verify=false "$registry/$name:latest" >/dev/null
  done
  podman pull --quiet --tls-verify=false "$redis_image" >/dev/null
}

socket_up() {
  if [[ -S $state/podman.sock ]] && curl -fs --unix-socket "$state/podman.sock" http://d/_ping >/dev/null 2>&1; then
    return
  fi
  rm -f "$state/podman.sock"
  setsid podman system service --time=0 "unix://$state/podman.sock" >"$state/podman-service.log" 2>&1 </dev/null &
  echo $! >"$state/podman-service.pid"
  for _ in $(seq 50); do
    curl -fs --unix-socket "$state/podman.sock" http://d/_ping >/dev/null 2>&1 && return
    sleep 0.2
  done
  log "podman service did not start"; cat "$state/podman-service.log"; return 1
}

# The test stack's settings: a little emulator latency (a research job takes seconds) so that a worker can be killed in
# the middle of one, and a short claim threshold so another worker takes the job over quickly. Its secrets are generated
# per run, written to a git-ignored env file that compose reads, never into an image.
compose_env() {
  if [[ ! -f $state/compose.env ]]; then
    umask 077
    cat >"$state/compose.env" <<EOF
MARKETINTEL_IMAGE_PREFIX=$registry/
MARKETINTEL_TAG=latest
REDIS_IMAGE=$redis_image
MARKETINTEL_API_PORT=$api_port
REDIS_PASSWORD=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
MARKETINTEL_ADMIN_API_KEY=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
EMULATOR_LATENCY_SCALE=${EMULATOR_LATENCY_SCALE:-0.05}
WORKER_CLAIM_IDLE_AFTER=${WORKER_CLAIM_IDLE_AFTER:-00:00:30}
EOF
  fi
}

compose() {
  socket_up
  compose_env
  docker-compose --project-name "$project" --project-directory deploy/compose --env-file "$state/compose.env" \
    -f deploy/compose/compose.yaml "$@"
}

up() {
  install
  log "compose up (api on 127.0.0.1:$api_port)"
  compose up -d --quiet-pull --no-build 2>&1 | grep -v -E '^(Creating|Starting)' || true
  compose ps
  for _ in $(seq 300); do
    if curl -fs "http://127.0.0.1:$api_port/health" >/dev/null 2>&1; then
      log "api healthy"
      return
    fi
    sleep 0.2
  done
  log "api did not become healthy"; compose logs --tail 50; return 1
}

container_ids() { compose ps -q "$1"; }

redis_cli() {
  local password
  password=$(sed -n 's/^REDIS_PASSWORD=//p' "$state/compose.env")
  redis_container=${redis_container:-$(container_ids redis)}
  podman exec -e REDISCLI_AUTH="$password" "$redis_container" redis-cli "$@"
}

# Submits a research job for sample $1 (src/MarketIntel.Pipeline/Samples); prints its id. A suffix on the business name
# keeps every stage out of the stage cache, so the job really runs on a worker.
submit() {
  jq --arg run "$(head -c 4 /dev/urandom | od -An -tx1 | tr -d ' \n')" \
    '{kind: "research", profile: (.profile | .business_name += " " + $run)}' "src/MarketIntel.Pipeline/Samples/$1.json" \
    | curl -fs "http://127.0.0.1:$api_port/api/jobs" -H 'content-type: application/json' --data @- | jq -r .id
}

job_json() { curl -fs "http://127.0.0.1:$api_port/api/jobs/$1"; }

# Waits until job $1 reaches a final status; prints it.
wait_final() {
  local s
  for _ in $(seq 600); do
    s=$(job_json "$1" | jq -r .status)
    case $s in succeeded | failed | cancelled) echo "$s"; return ;; esac
    sleep 0.5
  done
  echo timeout
}

# Every worker container has started consuming the job queue (each logs it once it has joined the consumer group):
# either can take the next job.
workers_consuming() {
  local id n=0 consuming=0
  for id in $(container_ids worker); do
    n=$((n + 1))
    if podman logs "$id" 2>&1 | grep -q "consuming mi:jobs"; then consuming=$((consuming + 1)); fi
  done
  log "worker containers: $n, consuming the queue: $consuming"
  ((n >= 2 && consuming == n))
}

# Every worker container answers the orchestrator's probes on its unpublished port 8080 (reached at its address on the
# stack's network).
workers_probed() {
  local id ip path
  for id in $(container_ids worker); do
    ip=$(podman inspect "$id" --format '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}')
    for path in /health /alive; do
      if [[ $(curl -fs -m 5 "http://$ip:8080$path") != Healthy ]]; then
        log "worker ${id:0:12} ($ip): $path is not healthy"
        return 1
      fi
    done
  done
  log "worker containers answer /health and /alive"
}

# The service images run as a non-root user and carry no secret in their configuration.
check_images() {
  local name config bad=0
  for name in marketintel-api marketintel-worker marketintel-model-emulator; do
    config=$(podman image inspect "$registry/$name:latest" --format '{{.Config.User}} {{json .Config.Env}}')
    log "$name: user ${config%% *}"
    if [[ ${config%% *} =~ ^(|0|root)(:.*)?$ ]]; then log "$name runs as root"; bad=1; fi
    if grep -q -i -E 'apikey|apitoken|password|connectionstrings' <<<"$config"; then log "$name carries a secret setting"; bad=1; fi
  done
  ((bad == 0))
}

smoke() {
  check_images
  curl -fs "http://127.0.0.1:$api_port/health" >/dev/null
  local ok=false
  for _ in $(seq 60); do
    if workers_consuming; then ok=true; break; fi
    sleep 1
  done
  $ok || return 1
  workers_probed || return 1
  local started job final
  started=$(date +%s%N)
  job=$(submit wealth-executive-coaching)
  final=$(wait_final "$job")
  log "job $job: $final in $((($(date +%s%N) - started) / 1000000)) ms"
  [[ $final == succeeded ]]
}

# Runs a research job and interrupts the worker container that holds its lease: `kill` sends SIGKILL; `stop` sends
# SIGTERM, and the worker must hand the job back and exit by itself within the 45 s grace period. Either way the job
# must still succeed, taken over by a worker. The interrupted replica is started again afterwards.
interrupt_worker() {
  local how=$1 job owner="" container final since
  # Resolves the Redis container once in this shell; the calls below run in subshells, which could not keep it.
  redis_cli PING >/dev/null
  job=$(submit health-menopause-nutrition)
  for _ in $(seq 100); do
    owner=$(redis_cli GET "mi:job:$job:lease")
    [[ -n $owner ]] && break
  done
  if [[ -z $owner ]]; then
    log "job $job has no lease (status $(job_json "$job" | jq -r .status))"; return 1
  fi
  container=${owner%%-*}
  since=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  log "job $job runs on $owner; $how container $container"
  if [[ $how == kill ]]; then
    podman kill "$container" >/dev/null
  else
    podman stop --time 45 "$container" >/dev/null
    local exit_code
    exit_code=$(podman inspect --format '{{.State.ExitCode}}' "$container")
    log "container $container exited with $exit_code"
    # 137 would mean the grace period ran out and podman had to SIGKILL it.
    [[ $exit_code == 0 ]] || return 1
  fi
  # Still unfinished after the interruption: the worker really left work behind.
  local after
  after=$(job_json "$job" | jq -r .status)
  log "job $job after the interruption: $after"
  if [[ $after == succeeded || $after == failed ]]; then
    return 1
  fi
  final=$(wait_final "$job")
  log "job $job: $final; attempts per stage $(job_json "$job" | jq -c '[.stages[] | .attempts | length]')"
  # The job went through the takeover path: a worker claimed its abandoned queue entry. After a kill that may also be
  # the killed replica, brought back by its restart policy as a new process.
  local id claimed=""
  for id in $(container_ids worker); do
    if podman logs --since "$since" "$id" 2>&1 | grep -q "abandoned by another worker"; then claimed+=" ${id:0:12}"; fi
  done
  log "claimed by:${claimed:- nobody}"
  compose up -d --no-recreate --no-build worker 2>&1 | grep -v -E '^(Creating|Starting)' || true
  [[ $final == succeeded && -n $claimed ]]
}

kill_worker() { interrupt_worker kill; }
stop_worker() { interrupt_worker stop; }

down() {
  if [[ -S $state/podman.sock ]]; then
    compose down --volumes --timeout 45 2>&1 | grep -v -E '^(Stopping|Removing)' || true
  fi
  local pidfile
  for pidfile in "$state/podman-service.pid" "$state/registry.pid"; do
    if [[ -f $pidfile ]]; then
      kill "$(cat "$pidfile")" 2>/dev/null || true
      rm -f "$pidfile"
    fi
  done
  rm -f "$state/podman.sock" "$state/compose.env"
}

if (($# == 0)); then
  set -- all
fi
case $1 in
  all) trap down EXIT; images; up; smoke ;;
  install | images | check-images | up | smoke | down | kill-worker | stop-worker)
    for step in "$@"; do "${step//-/_}"; done ;;
  compose) shift; compose "$@" ;;
  *) echo "usage: $0 [all | install | images | check-images | up | smoke | kill-worker | stop-worker | down | compose ARGS...]" >&2; exit 2 ;;
esac

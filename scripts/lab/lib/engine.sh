# shellcheck shell=bash
# Sourced by scripts/lab/lab.sh: the lab's own containerd and Docker engine, and its offline image.

# ------------------------------------------------------------ containerd ----

# Remember which hard-coded host directories do not exist yet, so stop can
# remove them again (only if empty, and only those).
record_host_dirs() {
  local d
  for d in "${HOST_DIRS[@]}"; do
    [[ -e "$d" ]] || grep -qxF "$d" "$DIRS_FILE" 2>/dev/null || echo "$d" >>"$DIRS_FILE"
  done
}

remove_host_dirs() {
  local d
  [[ -s "$DIRS_FILE" ]] || return 0
  # deepest first; rmdir only removes empty directories
  sort -r "$DIRS_FILE" | while read -r d; do rmdir "$d" 2>/dev/null || true; done
  rm -f "$DIRS_FILE"
}

# Our own containerd: dockerd would otherwise share a system containerd at
# /run/containerd/containerd.sock whenever one happens to be running.
start_containerd() {
  record_host_dirs
  mkdir -p "$CTD_ROOT" "$CTD_STATE"
  cat >"$CTD_CONFIG" <<EOF
# Written by scripts/lab/lab.sh: a containerd private to the lab.
version = 2
root = "$CTD_ROOT"
state = "$CTD_STATE"
# CRI would start a streaming server and CNI handling; Docker needs neither.
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$CTD_SOCK"
[ttrpc]
  address = "$CTD_SOCK.ttrpc"
[debug]
  address = ""
[metrics]
  address = ""
[plugins."io.containerd.internal.v1.opt"]
  path = "$CTD_ROOT/opt"
EOF
  log "starting containerd"
  # setsid: detach from the caller's terminal so Ctrl-C there can't kill it.
  # (In a non-interactive script setsid does not fork, so $! is containerd.)
  setsid containerd --config "$CTD_CONFIG" </dev/null >>"$CTD_LOG" 2>&1 &
  local pid=$!
  echo "$pid" >"$CTD_PIDFILE"
  local tries=150
  until [[ -S "$CTD_SOCK" ]]; do
    pid_running "$pid" || { tail -n 20 "$CTD_LOG" >&2; die "containerd exited during startup (log: $CTD_LOG)"; }
    ((tries-- > 0)) || { tail -n 20 "$CTD_LOG" >&2; die "containerd did not create $CTD_SOCK within 15s (log: $CTD_LOG)"; }
    sleep 0.1
  done
  lab_pid "$CTD_PIDFILE" >/dev/null || die "containerd pid $pid does not look like the lab's containerd"
}

# ---------------------------------------------------------------- docker ----

docker_answers() {
  [[ -S "$DOCKER_SOCK" ]] && timeout 10 docker -H "unix://$DOCKER_SOCK" version --format '{{.Server.Version}}' >/dev/null 2>&1
}

start_dockerd() {
  mkdir -p "$DOCKER_DATA" "$DOCKER_EXEC"
  # Claimed before the engine starts: an engine that was killed re-creates
  # the bridge of its saved lab network as soon as it comes up.
  claim_link "$DOCKER_NET_IF"
  # An explicit config file, so /etc/docker/daemon.json can't leak in; the
  # engine's identity key goes to .lab instead of /etc/docker/key.json.
  printf '{"deprecated-key-path": %s}\n' "$(json_str "$DOCKER_KEY")" >"$DOCKER_CONFIG_FILE"
  log "starting dockerd"
  # --iptables/--ip-masq/--ip-forward=false: leave the host's firewall and
  # sysctls alone; lab traffic stays on br-lab. --bridge=none: no docker0.
  setsid dockerd \
    --data-root "$DOCKER_DATA" \
    --exec-root "$DOCKER_EXEC" \
    -H "unix://$DOCKER_SOCK" \
    --pidfile "$DOCKER_PIDFILE" \
    --config-file "$DOCKER_CONFIG_FILE" \
    --containerd "$CTD_SOCK" \
    --containerd-namespace "$CTD_NAMESPACE" \
    --containerd-plugins-namespace "$CTD_NAMESPACE-plugins" \
    --iptables=false --ip-masq=false --ip-forward=false \
    --bridge=none --userland-proxy=false \
    </dev/null >>"$DOCKER_LOG" 2>&1 &
  local pid=$! tries=600
  until docker_answers; do
    pid_running "$pid" || { tail -n 30 "$DOCKER_LOG" >&2; die "dockerd exited during startup (log: $DOCKER_LOG)"; }
    ((tries-- > 0)) || { tail -n 30 "$DOCKER_LOG" >&2; die "dockerd did not answer on $DOCKER_SOCK within 60s (log: $DOCKER_LOG)"; }
    sleep 0.1
  done
}

# No registry is reachable: build the image offline from Debian's static
# busybox. /www is the (empty) document root for the httpd listeners.
ensure_image() {
  dk image inspect "$IMAGE" >/dev/null 2>&1 && return 0
  log "building image $IMAGE from /bin/busybox (busybox-static)"
  local rootfs="$LAB_DIR/rootfs"
  rm -rf "$rootfs"
  mkdir -p "$rootfs/bin" "$rootfs/www" "$rootfs/tmp"
  cp /bin/busybox "$rootfs/bin/busybox"
  ln -s busybox "$rootfs/bin/sh"
  ln -s busybox "$rootfs/bin/sleep"
  echo "microseg lab" >"$rootfs/www/index.html"
  tar -C "$rootfs" -c . | dk import -c 'CMD ["sh"]' - "$IMAGE" >/dev/null
  rm -rf "$rootfs"
}


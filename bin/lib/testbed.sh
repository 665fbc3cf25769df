# Shared by bin/demo and bin/bench-apply: a throwaway systemd host booted with systemd-nspawn from
# this machine's own OS (TESTBED.md), and a busybox tarball image. Source it; needs root.

# tb_boot NAME JAR_DIR WORK_DIR: boots the host; sets TB_SUPERVISOR and TB_LEADER. Extra nspawn
# options (such as a --bind over /var/lib/machines) come from the array TB_EXTRA, if set.
tb_boot() {
  local name=$1 jar_dir=$2 work=$3
  mkdir -p "$work/nix" # a nix store of its own: builds there touch nothing outside
  systemd-nspawn --register=no --keep-unit --directory=/ --volatile=yes --boot --private-network \
    --machine="$name" --bind-ro=/etc/alternatives --bind-ro=/etc/java-17-openjdk --bind-ro=/etc/ssl \
    --bind-ro="$(dirname "${BASH_SOURCE[0]}")/testbed.preset:/etc/systemd/system-preset/99-berth-testbed.preset" \
    --bind-ro="$jar_dir:/opt/berth" --bind="$work:/opt/e2e" --bind="$work/nix:/nix" ${TB_EXTRA[@]+"${TB_EXTRA[@]}"} systemd.firstboot=off \
    < /dev/null > "$work/console.log" 2>&1 &
  TB_SUPERVISOR=$!
  TB_LEADER=""
  local state
  for _ in $(seq 450); do
    TB_LEADER=$(awk '{print $1}' "/proc/$TB_SUPERVISOR/task/$TB_SUPERVISOR/children" 2>/dev/null || true)
    if [[ -n "$TB_LEADER" ]]; then
      state=$(nsenter -t "$TB_LEADER" -a systemctl is-system-running 2>/dev/null || true)
      [[ "$state" == running || "$state" == degraded ]] && return 0
    fi
    sleep 0.2
  done
  echo "the testbed host did not boot; its console said:" >&2
  cat "$work/console.log" >&2
  return 1
}

# tb_offline_nix: nix in the testbed builds offline (no substituters), without sandbox or build users.
tb_offline_nix() {
  tb mkdir -p /etc/nix
  printf 'sandbox = false\nsubstituters =\nbuild-users-group =\n' | tb tee /etc/nix/nix.conf > /dev/null
}

# tb: runs a command in the testbed host.
tb() { nsenter -t "$TB_LEADER" -a "$@"; }

# tb_stop: powers the host off (SIGTERM to the process we started), SIGKILL after 60 s.
tb_stop() {
  [[ -n "${TB_SUPERVISOR:-}" ]] || return 0
  if kill -0 "$TB_SUPERVISOR" 2>/dev/null; then
    kill -TERM "$TB_SUPERVISOR"
    for _ in $(seq 60); do kill -0 "$TB_SUPERVISOR" 2>/dev/null || break; sleep 1; done
    kill -0 "$TB_SUPERVISOR" 2>/dev/null && kill -KILL "$TB_SUPERVISOR"
  fi
  TB_SUPERVISOR=""
}

# busybox_image DIR: writes DIR/busybox.tar (busybox-static in a tiny tree); prints its sha256.
busybox_image() {
  local dir=$1 tree=$1/busybox-tree
  mkdir -p "$tree"/{bin,sbin,etc,usr,var,proc,sys,dev,run,tmp}
  cp /bin/busybox "$tree/bin/"
  ln -sf /bin/busybox "$tree/sbin/init"
  ln -sf /bin/busybox "$tree/bin/sh"
  echo ID=busybox > "$tree/etc/os-release"
  printf '::sysinit:/bin/busybox echo booted\n::respawn:/bin/busybox sleep 3600\n' > "$tree/etc/inittab"
  tar -C "$tree" -cf "$dir/busybox.tar" .
  sha256sum "$dir/busybox.tar" | cut -d' ' -f1
}

#!/usr/bin/env bash
# Installs the berth agent on a Debian-like host with systemd: the jar, the unit, a configuration.
# Run it again to upgrade (it changes only what differs); --uninstall removes what it installed.
set -euo pipefail

readonly LIB_DIR=/usr/lib/berth
readonly JAR=$LIB_DIR/berth.jar
readonly RECORD=$LIB_DIR/installed-config.sha256
readonly UNIT=/etc/systemd/system/berth-agent.service
readonly CONFIG_DIR=/etc/berth
readonly CONFIG=$CONFIG_DIR/agent.yaml
readonly COMPLETION=/usr/share/bash-completion/completions/berth
readonly SERVICE=berth-agent.service
readonly JAVA=/usr/bin/java
readonly JAVA_PACKAGES=(openjdk-17-jre-headless openjdk-21-jre-headless default-jre-headless)

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
jar_source=$here/../agent/target/berth.jar
config_source=$here/agent.yaml
unit_source=$here/berth-agent.service
action=install
install_java=no
start=yes

usage() {
  cat <<EOF
Usage: install.sh [--jar FILE] [--config FILE] [--install-java] [--no-start]
       install.sh --uninstall
       install.sh --help

Installs the berth agent on this host (as root; Debian-like, with systemd):
  $JAR            the agent (--jar FILE; default: the one the build made,
                                       agent/target/berth.jar)
  $UNIT   the systemd unit (drop-ins in $UNIT.d/ are yours)
  $CONFIG                  the configuration, only when there is none: an existing
                                       one is never overwritten (--config FILE to install
                                       yours instead of the sample)
  $COMPLETION
                                       berth's bash completion (berth completion bash)
Then enables and starts berth-agent, unless the configuration is still the unedited sample or
--no-start is given. Running it again changes only what differs and restarts the agent only when
its jar or unit changed.

  --install-java   install a Java runtime (17 or newer) with apt-get when /usr/bin/java is missing
                   or too old; without it, install.sh stops and says what to install
  --no-start       install, but neither enable nor start the agent
  --uninstall      stop and disable the agent; remove the jar, the unit, and the configuration
                   if it is still the one install.sh wrote. Never removed: /var/lib/berth (the
                   inventory of berth's containers, the Git cache), /var/lib/machines, the
                   containers' units and settings: the containers keep running.
EOF
}

say() { printf 'install.sh: %s\n' "$*"; }
die() {
  printf 'install.sh: %s\n' "$*" >&2
  exit 1
}

# Runs one step ($2...) and, when it fails, stops the script with one line: the step ($1) and the
# tool's own words. Explicit, because bash ignores set -e in a function called as "place ... &&".
step() {
  local what=$1 output
  shift
  output=$("$@" 2>&1) || die "$what failed: ${output//$'\n'/; }"
}

# The bash completion script of the installed jar, written to $1.
completion_script() { "$JAVA" -jar "$JAR" completion bash >"$1"; }

# The record of the configuration as install.sh wrote it, for --uninstall.
record_config() { sha256sum "$CONFIG" >"$RECORD"; }

# The major version of the Java at $JAVA, or nothing when there is none.
java_major() {
  [[ -x $JAVA ]] || return 0
  "$JAVA" -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p'
}

require_java() {
  local major
  major=$(java_major)
  if [[ -n $major && $major -ge 17 ]]; then
    return 0
  fi
  local found=${major:+Java $major at $JAVA}
  found=${found:-no $JAVA}
  if [[ $install_java != yes ]]; then
    die "berth needs Java 17 or newer at $JAVA, found $found;" \
      "install it (apt-get install ${JAVA_PACKAGES[0]}) or run install.sh --install-java"
  fi
  command -v apt-get >/dev/null || die "found $found and no apt-get to install Java 17 with"
  say "installing a Java runtime with apt-get ($found)"
  apt-get update -qq || die "apt-get update failed; install Java 17 or newer by hand"
  local package
  for package in "${JAVA_PACKAGES[@]}"; do
    if apt-cache show "$package" >/dev/null 2>&1; then
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$package" ||
        die "apt-get install $package failed; install Java 17 or newer by hand"
      break
    fi
  done
  major=$(java_major)
  [[ -n $major && $major -ge 17 ]] ||
    die "after apt-get, $JAVA is ${major:+Java }${major:-missing}; berth needs Java 17 or newer"
}

# Copies $1 to $2 with mode $3 when they differ; says whether it did.
place() {
  local source=$1 target=$2 mode=$3
  if [[ -f $target ]] && cmp -s "$source" "$target"; then
    say "unchanged $target"
    return 1
  fi
  step "installing $target" install -D -m "$mode" "$source" "$target"
  say "installed $target"
}

do_install() {
  [[ -f $jar_source ]] || die "no jar at $jar_source: build it (mvn -B package) or pass --jar FILE"
  [[ -f $unit_source ]] || die "no unit at $unit_source: run install.sh from helm-free-deploy/"
  [[ -f $config_source ]] || die "no configuration at $config_source"
  require_java

  local changed=no
  place "$jar_source" "$JAR" 0644 && changed=yes
  place "$unit_source" "$UNIT" 0644 && changed=yes
  local completion
  completion=$(mktemp)
  step "generating the bash completion" completion_script "$completion"
  place "$completion" "$COMPLETION" 0644 || true
  rm -f "$completion"
  if [[ -e $CONFIG ]]; then
    if cmp -s "$config_source" "$CONFIG"; then
      say "unchanged $CONFIG"
    else
      say "kept $CONFIG (it exists and is not overwritten)"
    fi
  else
    step "creating $CONFIG_DIR" install -d -m 0755 "$CONFIG_DIR"
    step "installing $CONFIG" install -m 0644 "$config_source" "$CONFIG"
    step "recording $CONFIG in $RECORD" record_config
    say "installed $CONFIG"
  fi
  step "systemctl daemon-reload" systemctl daemon-reload

  if cmp -s "$here/agent.yaml" "$CONFIG"; then
    say "$CONFIG is the sample: point it at your repository (README: Point it at a repository)," \
      "then: systemctl enable --now berth-agent"
    return 0
  fi
  if [[ $start != yes ]]; then
    say "not started (--no-start): systemctl enable --now berth-agent"
    return 0
  fi
  step "systemctl enable $SERVICE" systemctl enable --quiet "$SERVICE"
  if systemctl is-active --quiet "$SERVICE"; then
    if [[ $changed == yes ]]; then
      say "restarting berth-agent (jar or unit changed)"
      systemctl restart "$SERVICE" ||
        die "berth-agent did not restart; see: journalctl -u berth-agent -n 50"
    else
      say "berth-agent is running and up to date"
    fi
  else
    # Type=notify: this returns once the agent's first pass has ended.
    say "starting berth-agent"
    systemctl start "$SERVICE" ||
      die "berth-agent did not start; see: journalctl -u berth-agent -n 50"
  fi
  systemctl --no-pager --lines=0 status "$SERVICE" | sed -n '1,4p'
}

do_uninstall() {
  if systemctl cat "$SERVICE" >/dev/null 2>&1; then
    systemctl disable --now --quiet "$SERVICE" || true
    say "stopped and disabled berth-agent"
  fi
  if [[ -e $UNIT ]]; then
    step "removing $UNIT" rm -f "$UNIT"
    say "removed $UNIT"
  fi
  if [[ -e $COMPLETION ]]; then
    step "removing $COMPLETION" rm -f "$COMPLETION"
    say "removed $COMPLETION"
  fi
  if [[ -d $UNIT.d ]]; then
    say "kept $UNIT.d/ (your drop-ins)"
  fi
  if [[ -f $CONFIG ]]; then
    if [[ -f $RECORD ]] && sha256sum --check --status "$RECORD" 2>/dev/null; then
      step "removing $CONFIG" rm -f "$CONFIG"
      say "removed $CONFIG (as install.sh wrote it)"
    else
      say "kept $CONFIG (edited since install.sh wrote it, or not written by it)"
    fi
  fi
  rmdir "$CONFIG_DIR" 2>/dev/null || true
  if [[ -e $LIB_DIR ]]; then
    step "removing $JAR" rm -f "$JAR" "$RECORD"
    rmdir "$LIB_DIR" 2>/dev/null || say "kept $LIB_DIR (it holds files install.sh did not put there)"
    say "removed $JAR"
  fi
  step "systemctl daemon-reload" systemctl daemon-reload
  systemctl reset-failed "$SERVICE" 2>/dev/null || true
  say "kept /var/lib/berth and /var/lib/machines: the containers keep running;" \
    "berth's inventory of them stays for a reinstall"
}

main() {
  while (($#)); do
    case $1 in
      --jar)
        [[ $# -ge 2 ]] || die "--jar needs a file"
        jar_source=$2
        shift 2
        ;;
      --config)
        [[ $# -ge 2 ]] || die "--config needs a file"
        config_source=$2
        shift 2
        ;;
      --install-java) install_java=yes && shift ;;
      --no-start) start=no && shift ;;
      --uninstall) action=uninstall && shift ;;
      -h | --help)
        usage
        exit 0
        ;;
      *) die "unknown option $1 (see install.sh --help)" ;;
    esac
  done

  [[ $(id -u) -eq 0 ]] || die "run as root: the agent is a system service"
  [[ -d /run/systemd/system ]] ||
    die "systemd is not running on this host (no /run/systemd/system)"
  case $action in
    install) do_install ;;
    uninstall) do_uninstall ;;
  esac
}

# Run, not sourced: a test sources the script to call one step (place) on a path of its own.
if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  main "$@"
fi

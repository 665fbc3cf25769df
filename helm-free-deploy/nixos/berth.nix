# A NixOS module that runs the berth agent, the NixOS counterpart of ../berth-agent.service:
# the same sd_notify readiness and watchdog, JVM options and hardening.
#
#   # configuration.nix
#   imports = [ ./berth.nix ];
#   services.berth = {
#     enable = true;
#     jar = ./berth.jar;                       # agent/target/berth.jar from the build
#     settings.source.url = "https://git.example.org/fleet/manifests.git";
#     settings.source.auth.tokenFile = "/run/credentials/berth-agent.service/git-token";
#     credentials.git-token = "/run/keys/berth-git-token";
#   };
#
# NixOS builds /etc/systemd/system read-only from the store; berth sees that and keeps each
# container's drop-in and its machines.target.wants link in /etc/systemd/system.control, which
# systemd reads too. /etc/systemd/nspawn, /etc/systemd/network and /var/lib/machines stay writable.
{ config, lib, pkgs, ... }:

let
  cfg = config.services.berth;
  yaml = pkgs.formats.yaml { };
  agentConfig = yaml.generate "berth-agent.yaml" (
    lib.recursiveUpdate {
      apiVersion = "berth.dev/v1alpha1";
      kind = "AgentConfig";
      stateDir = "/var/lib/berth";
    } cfg.settings
  );
in
{
  options.services.berth = {
    enable = lib.mkEnableOption "the berth GitOps agent for systemd-nspawn containers";

    jar = lib.mkOption {
      type = lib.types.path;
      example = lib.literalExpression "./berth.jar";
      description = "berth.jar as the build makes it (agent/target/berth.jar).";
    };

    jre = lib.mkOption {
      type = lib.types.package;
      default = pkgs.jre_headless;
      defaultText = lib.literalExpression "pkgs.jre_headless";
      description = "The Java runtime, 17 or newer.";
    };

    javaOptions = lib.mkOption {
      type = lib.types.listOf lib.types.str;
      # As in berth-agent.service: about 110 MiB resident with 100 containers (README, Performance).
      default = [
        "-XX:+UseSerialGC"
        "-Xms32m"
        "-Xmx128m"
        "-XX:MaxMetaspaceSize=96m"
        "-XX:ReservedCodeCacheSize=48m"
        "-XX:TieredStopAtLevel=1"
        "-Xss512k"
      ];
      description = "Options for the JVM that runs the agent.";
    };

    settings = lib.mkOption {
      type = yaml.type;
      default = { };
      example = lib.literalExpression ''
        {
          host.labels.role = "web";
          source = { url = "https://git.example.org/fleet/manifests.git"; ref.branch = "main"; path = "hosts"; };
          sync = { prune = true; selfHeal = true; maxRemovals = 5; };
          http.listen = "127.0.0.1:9480";
        }
      '';
      description = ''
        The AgentConfig (crd-schemas/berth.dev_agentconfigs.yaml; sample: ../agent.yaml), written
        to /etc/berth/agent.yaml. apiVersion, kind and stateDir are filled in.
      '';
    };

    credentials = lib.mkOption {
      type = lib.types.attrsOf lib.types.str;
      default = { };
      example = { git-token = "/run/keys/berth-git-token"; webhook-secret = "/run/keys/berth-webhook"; };
      description = ''
        Keys and tokens handed to the agent with LoadCredential=, by name: refer to them in
        settings as /run/credentials/berth-agent.service/NAME. They stay out of the Nix store.
      '';
    };

    watchdogSec = lib.mkOption {
      type = lib.types.str;
      default = "2min";
      description = "WatchdogSec=: how soon systemd restarts an agent that stopped pinging.";
    };

    stallLimit = lib.mkOption {
      type = lib.types.str;
      default = "45m";
      description = ''
        berth agent --stall-limit: a pass that shows no progress for this long stops the watchdog
        pings, so that systemd restarts the agent. Longer than the longest single step (an image
        download may take 30 min).
      '';
    };
  };

  config = lib.mkIf cfg.enable {
    environment.etc."berth/agent.yaml".source = agentConfig;

    systemd.services.berth-agent = {
      description = "berth GitOps agent for systemd-nspawn containers";
      wantedBy = [ "multi-user.target" ];
      after = [ "network-online.target" "dbus.service" "systemd-machined.service" ];
      restartTriggers = [ agentConfig cfg.jar ];
      # nsenter runs containers' activation and health commands.
      path = [ pkgs.util-linux ];
      serviceConfig = {
        Type = "notify";
        NotifyAccess = "main";
        WatchdogSec = cfg.watchdogSec;
        WatchdogSignal = "SIGKILL";
        ExecStart = lib.escapeShellArgs (
          [ "${cfg.jre}/bin/java" ]
          ++ cfg.javaOptions
          ++ [ "-jar" "${cfg.jar}" "agent" "--config" "/etc/berth/agent.yaml" "--stall-limit" cfg.stallLimit ]
        );
        Restart = "on-failure";
        RestartSec = "5s";
        StateDirectory = "berth";
        StateDirectoryMode = "0700";
        # /run/berth: the control API's unix socket (http.socket), which the CLI talks to.
        RuntimeDirectory = "berth";
        RuntimeDirectoryMode = "0755";
        LoadCredential = lib.mapAttrsToList (name: file: "${name}:${file}") cfg.credentials;
        # The hardening of berth-agent.service: the agent runs as root, talks to systemd over
        # D-Bus, writes /etc/systemd and /var/lib/machines, and enters containers with nsenter.
        PrivateTmp = true;
        ProtectHome = true;
        ProtectClock = true;
        ProtectKernelModules = true;
        ProtectKernelLogs = true;
        RestrictRealtime = true;
        LockPersonality = true;
        SystemCallArchitectures = "native";
      };
    };
  };
}

# The RFC's nginx container: a NixOS system that serves port 80.
{ pkgs ? import <nixpkgs> { } }:
(import <nixpkgs/nixos/lib/eval-config.nix> {
  modules = [
    ({ ... }: {
      boot.isContainer = true;
      networking.useNetworkd = true;
      services.nginx.enable = true;
      networking.firewall.allowedTCPPorts = [ 80 ];
      system.stateVersion = "24.05";
    })
  ];
}).config.system.build.toplevel

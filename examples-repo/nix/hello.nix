# A NixOS container's system (RFC 0108): evaluated with <nixpkgs/nixos/lib/eval-config.nix>,
# boot.isContainer = true. berth builds it on the host and boots <toplevel>/init.
{ pkgs ? import <nixpkgs> { } }:
(import <nixpkgs/nixos/lib/eval-config.nix> {
  modules = [
    ({ pkgs, ... }: {
      boot.isContainer = true;
      networking.useNetworkd = true;
      environment.systemPackages = [ pkgs.hello ];
      system.stateVersion = "24.05";
    })
  ];
}).config.system.build.toplevel

{ config, lib, pkgs, ... }:

{ boot.isContainer = true;
  networking.hostName = lib.mkDefault "demo";
  networking.useDHCP = false;
  services.openssh.enable = true;
}

# A stand-in NixOS toplevel for berth's tests and demo: no NixOS channel can be downloaded there, so
# this is what real nix builds offline. `init` records its generation in /booted and waits for its
# kill signal (SIGRTMIN+3 is 37; busybox sh knows it only by number); `bin/switch-to-configuration`
# records the generation it activated in /activated and exits activationExit. busybox from the host is its only tool
# (build with sandbox = false).
{ gen, system ? builtins.currentSystem, activationExit ? 0 }:
derivation {
  inherit system;
  name = "berth-e2e-system-${gen}";
  builder = "/bin/busybox";
  args = [ "sh" "-c" ''
    B=/bin/busybox
    $B mkdir -p $out/bin
    $B cp /bin/busybox $out/bin/busybox
    {
      echo "#!$out/bin/busybox sh"
      echo "echo ${gen} > /booted"
      echo "trap 'exit 0' 37 15"
      echo "while true; do $out/bin/busybox sleep 1 & wait; done"
    } > $out/init
    {
      echo "#!$out/bin/busybox sh"
      echo "echo ${gen} > /activated"
      echo "exit ${toString activationExit}"
    } > $out/bin/switch-to-configuration
    $B chmod +x $out/init $out/bin/switch-to-configuration
  '' ];
}

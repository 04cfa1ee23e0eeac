# The profile sbx loads when no seccomp option is given. Everything is
# allowed except the kernel attack surface ordinary programs never need,
# and mounting: in a user namespace of its own (unshare -U) the command
# would hold every capability there, and the filesystems it could then
# mount are a large part of the kernel's attack surface.
description Deny kernel attack surface ordinary programs never need (sbx's default)

default allow

include surface.inc
errno EPERM  @mount

# The profile sbx loads when no seccomp option is given. Everything is
# allowed except the kernel attack surface ordinary programs never need.
# Mounting: in a user namespace of its own (unshare -U) the command holds
# every capability there, and the filesystems it could then mount are a
# large part of the kernel's attack surface. So mount(2) is decided by its
# flags: changes to mounts that exist (bind, read-only remount of a bind,
# propagation, move) go on to the kernel, a superblock remount is refused,
# and a new mount goes to sbx's supervisor, which mounts only proc, tmpfs,
# devpts and mqueue itself, with the caller's namespaces and credentials
# (man sbx, NESTED SANDBOXES). The new mount API answers ENOSYS.
description Deny kernel attack surface ordinary programs never need (sbx's default)

default allow

include surface.inc
mount by-flags
errno ENOSYS @mount-api

# No filtering. sbx itself loads nothing for "none" (no filter, no cost);
# the compiled program allows everything, for bwrap's --seccomp.
description No syscall filter
default allow

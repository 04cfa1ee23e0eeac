# The profile sbx loads when no seccomp option is given. Everything is
# allowed except the kernel attack surface ordinary programs never need.
# Denials return an errno, so programs degrade instead of dying.
description Deny kernel attack surface ordinary programs never need (sbx's default)

default allow

errno EPERM  @mount @module @reboot @swap @clock @keyring @debug @raw-io
errno EPERM  @cpu-emulation @io-uring @obsolete @privileged

# Terminal injection (CVE-2017-5226 class): push input into the terminal,
# or paste the console selection. Compared on the low 32 bits, as the kernel
# reads the request.
errno EPERM  ioctl if arg1 =32 0x5412     # TIOCSTI
errno EPERM  ioctl if arg1 =32 0x541c     # TIOCLINUX

# personality: the execution-domain flags that weaken the process. Plain
# PER_LINUX / PER_LINUX32 and ADDR_NO_RANDOMIZE (setarch -R, gdb) pass.
# Note: the query value 0xffffffff has every bit set and is refused too.
errno EPERM  personality if arg0 & 0x0400000   # READ_IMPLIES_EXEC
errno EPERM  personality if arg0 & 0x0100000   # MMAP_PAGE_ZERO
errno EPERM  personality if arg0 & 0x0200000   # ADDR_COMPAT_LAYOUT
errno EPERM  personality if arg0 & 0x0800000   # ADDR_LIMIT_32BIT
errno EPERM  personality if arg0 & 0x8000000   # ADDR_LIMIT_3GB
errno EPERM  personality if arg0 & 0x0020000   # UNAME26

# clone3 passes flags in memory where no filter can see them: ENOSYS makes
# libc fall back to clone, whose flags a filter can check.
errno ENOSYS clone3

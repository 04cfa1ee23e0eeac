# An allowlist for command-line tools and compilers: sh, coreutils,
# python3, gcc, make, git. Anything not listed answers ENOSYS, so programs
# treat it as a kernel without that syscall.
description Allowlist for command-line tools and compilers (sh, coreutils, python3, gcc, make, git)

default errno ENOSYS

# files
allow read write readv writev pread64 pwrite64 preadv pwritev preadv2 pwritev2
allow open openat openat2 close close_range creat lseek _llseek dup dup2 dup3
allow stat fstat lstat newfstatat statx statfs fstatfs fstatat64 stat64 fstat64 lstat64 statfs64 fstatfs64
allow access faccessat faccessat2 readlink readlinkat getdents getdents64
allow mkdir mkdirat rmdir unlink unlinkat rename renameat renameat2 link linkat symlink symlinkat
allow chmod fchmod fchmodat chown fchown fchownat lchown utime utimes utimensat futimesat
allow truncate ftruncate fallocate fsync fdatasync sync syncfs sync_file_range
allow fcntl fcntl64 flock pipe pipe2 sendfile sendfile64 copy_file_range splice tee
allow chdir fchdir getcwd umask fadvise64 fadvise64_64 readahead
allow getxattr lgetxattr fgetxattr listxattr llistxattr flistxattr
allow inotify_init inotify_init1 inotify_add_watch inotify_rm_watch
allow memfd_create mknod mknodat
# memory
allow brk mmap mmap2 munmap mremap mprotect madvise msync mincore mlock munlock membarrier
# processes and threads
allow clone fork vfork execve execveat exit exit_group wait4 waitid kill tkill tgkill
allow getpid getppid gettid getuid geteuid getgid getegid getresuid getresgid getgroups
allow getpgid getpgrp getsid setsid setpgid getpriority setpriority sched_yield
allow sched_getaffinity sched_setaffinity sched_getparam sched_getscheduler sched_get_priority_max sched_get_priority_min
allow set_tid_address set_robust_list get_robust_list rseq futex futex_waitv arch_prctl prctl
allow getrlimit setrlimit prlimit64 ugetrlimit getrusage times uname sysinfo
allow capget capset setuid setgid setreuid setregid setresuid setresgid setgroups setfsuid setfsgid
allow getcpu sched_setparam sched_setscheduler ioprio_get ioprio_set
# personality: only the harmless values (query, PER_LINUX, PER_LINUX32, setarch -R).
allow personality if arg0 =32 0xffffffff
allow personality if arg0 =32 0x0
allow personality if arg0 =32 0x8
allow personality if arg0 =32 0x40000
# signals
allow rt_sigaction rt_sigprocmask rt_sigreturn rt_sigsuspend rt_sigpending rt_sigtimedwait rt_sigqueueinfo sigaltstack
allow signalfd signalfd4 eventfd eventfd2 timerfd_create timerfd_settime timerfd_gettime
allow alarm pause nanosleep clock_nanosleep clock_gettime clock_getres gettimeofday time
# polling
allow select pselect6 poll ppoll epoll_create epoll_create1 epoll_ctl epoll_wait epoll_pwait epoll_pwait2
allow getrandom
# local sockets only (git, python's subprocess helpers)
allow socketpair
allow socket if arg0 == 1      # AF_UNIX
allow connect bind listen accept accept4 sendto recvfrom sendmsg recvmsg shutdown getsockname getpeername getsockopt setsockopt

# ioctl: terminal queries and fd flags only (no TIOCSTI, no TIOCLINUX).
allow ioctl if arg1 =32 0x5401   # TCGETS
allow ioctl if arg1 =32 0x5402   # TCSETS
allow ioctl if arg1 =32 0x5403   # TCSETSW
allow ioctl if arg1 =32 0x5404   # TCSETSF
allow ioctl if arg1 =32 0x540f   # TIOCGPGRP
allow ioctl if arg1 =32 0x5410   # TIOCSPGRP
allow ioctl if arg1 =32 0x5413   # TIOCGWINSZ
allow ioctl if arg1 =32 0x5414   # TIOCSWINSZ
allow ioctl if arg1 =32 0x541b   # FIONREAD
allow ioctl if arg1 =32 0x5421   # FIONBIO
allow ioctl if arg1 =32 0x5450   # FIONCLEX
allow ioctl if arg1 =32 0x5451   # FIOCLEX

# clone3 hides its flags from filters: ENOSYS sends libc back to clone.
errno ENOSYS clone3
# Denied with EPERM (not ENOSYS) so programs do not look for a fallback.
errno EPERM @mount @umount @mount-api @module @reboot @swap @keyring @privileged @io-uring

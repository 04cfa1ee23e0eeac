# fish completion for sbx(1). Keep the options in step with `sbx --help`:
# tests/check-docs.sh checks that every option is here.

# What each argument of an option is, one line per argument:
# file (a path), dir (a directory), var (an environment variable name),
# cap (a capability name), profile (a seccomp profile name or file),
# none (a file descriptor, a number, a label or free text: not completed).
function __sbx_arg_kinds
    switch $argv[1]
        case --bind --bind-try --dev-bind --dev-bind-try --ro-bind --ro-bind-try --symlink
            printf '%s\n' file file
        case --remount-ro --lock-file
            echo file
        case --proc --dev --tmpfs --mqueue --dir --chdir --overlay-src --tmp-overlay --ro-overlay
            echo dir
        case --overlay
            printf '%s\n' dir dir dir
        case --uid-map --gid-map
            printf '%s\n' none none none
        case --chmod --bind-fd --ro-bind-fd --file --bind-data --ro-bind-data
            printf '%s\n' none file
        case --seccomp-profile
            echo profile
        case --setenv
            printf '%s\n' var none
        case --unsetenv
            echo var
        case --cap-add --cap-drop
            echo cap
        case --args --uid --gid --hostname --perms --size --argv0 --auto-map-size \
            --userns --userns2 --pidns --seccomp --add-seccomp-fd --exec-label --file-label \
            --info-fd --json-status-fd --sync-fd --block-fd --userns-block-fd
            echo none
    end
end

# Where the cursor is, from the words before it:
#   "options"       where an option (or the command) goes
#   "arg KIND"      on an argument of an option
#   "command"       where the command goes, after "--"
#   "cmdargs N"     on an argument of the command, which is word N (sbx = 1)
function __sbx_state
    set -l words (commandline -opc)
    set -l n (count $words)
    set -l i 2
    while test $i -le $n
        set -l w $words[$i]
        if test "$w" = --
            set i (math $i + 1)
            if test $i -le $n
                echo cmdargs $i
            else
                echo command
            end
            return
        end
        set -l kinds (__sbx_arg_kinds $w)
        set -l k (count $kinds)
        if test $k -gt 0
            if test (math $i + $k) -gt $n
                echo arg $kinds[(math $n - $i + 1)]
                return
            end
            set i (math $i + 1 + $k)
        else if string match -q -- '-*' $w
            set i (math $i + 1)
        else
            echo cmdargs $i
            return
        end
    end
    echo options
end

function __sbx_is
    set -l state (string split ' ' -- (__sbx_state))
    test "$state[1]" = "$argv[1]"; and begin
        test (count $argv) -lt 2; or test "$state[2]" = "$argv[2]"
    end
end

# Complete the command's own arguments as its completion would.
function __sbx_complete_command_args
    set -l state (string split ' ' -- (__sbx_state))
    set -l words (commandline -opc)
    set -l sub (string escape -- $words[$state[2]..-1]) (commandline -ct)
    complete -C (string join ' ' -- $sub)
end

complete -c sbx -f

# Option and command position.
complete -c sbx -n '__sbx_is options; or __sbx_is command' -a '(__fish_complete_command)'

# General
complete -c sbx -n '__sbx_is options' -l help -d 'Print help and exit'
complete -c sbx -n '__sbx_is options' -l version -d 'Print version and exit'
complete -c sbx -n '__sbx_is options' -l args -d 'Parse NUL-separated arguments from FD'
complete -c sbx -n '__sbx_is options' -l level-prefix -d 'Prefix diagnostics with a syslog level like <3>'

# Namespaces
complete -c sbx -n '__sbx_is options' -l unshare-all -d 'Unshare every namespace (user-try ipc pid net uts cgroup-try)'
complete -c sbx -n '__sbx_is options' -l share-net -d 'Keep the host network namespace'
complete -c sbx -n '__sbx_is options' -l unshare-user -d 'Create a new user namespace'
complete -c sbx -n '__sbx_is options' -l unshare-user-try -d 'Create a new user namespace if possible'
complete -c sbx -n '__sbx_is options' -l unshare-ipc -d 'Create a new IPC namespace'
complete -c sbx -n '__sbx_is options' -l unshare-pid -d 'Create a new PID namespace'
complete -c sbx -n '__sbx_is options' -l unshare-net -d 'Create a new network namespace'
complete -c sbx -n '__sbx_is options' -l unshare-uts -d 'Create a new UTS namespace'
complete -c sbx -n '__sbx_is options' -l unshare-cgroup -d 'Create a new cgroup namespace'
complete -c sbx -n '__sbx_is options' -l unshare-cgroup-try -d 'Create a new cgroup namespace if possible'
complete -c sbx -n '__sbx_is options' -l userns -d 'Use this user namespace FD (not with --unshare-user)'
complete -c sbx -n '__sbx_is options' -l userns2 -d 'After setup switch to this user namespace FD'
complete -c sbx -n '__sbx_is options' -l pidns -d 'Use this PID namespace FD (as parent with --unshare-pid)'
complete -c sbx -n '__sbx_is options' -l disable-userns -d 'Forbid new user namespaces inside the sandbox'
complete -c sbx -n '__sbx_is options' -l assert-userns-disabled -d 'Fail unless new user namespaces are already forbidden'
complete -c sbx -n '__sbx_is options' -l uid -d 'User id inside the sandbox (needs a user namespace)'
complete -c sbx -n '__sbx_is options' -l uid-map -d 'Map COUNT uids from IN onto OUT (repeatable; newuidmap)'
complete -c sbx -n '__sbx_is options' -l gid-map -d 'Map COUNT gids from IN onto OUT (repeatable; newgidmap)'
complete -c sbx -n '__sbx_is options' -l auto-map -d 'Map 65536 ids: you as 0 (or --uid), the rest a free slice of your subuids'
complete -c sbx -n '__sbx_is options' -l auto-map-size -d 'As --auto-map, with COUNT ids'
complete -c sbx -n '__sbx_is options' -l gid -d 'Group id inside the sandbox (needs a user namespace)'
complete -c sbx -n '__sbx_is options' -l hostname -d 'Hostname inside the sandbox (needs --unshare-uts)'

# Filesystem
complete -c sbx -n '__sbx_is options' -l bind -d 'Bind mount SRC on DEST'
complete -c sbx -n '__sbx_is options' -l bind-try -d 'As --bind, ignoring a missing SRC'
complete -c sbx -n '__sbx_is options' -l dev-bind -d 'Bind mount SRC on DEST, allowing devices'
complete -c sbx -n '__sbx_is options' -l dev-bind-try -d 'As --dev-bind, ignoring a missing SRC'
complete -c sbx -n '__sbx_is options' -l ro-bind -d 'Bind mount SRC read-only on DEST (no later host mounts)'
complete -c sbx -n '__sbx_is options' -l ro-bind-try -d 'As --ro-bind, ignoring a missing SRC'
complete -c sbx -n '__sbx_is options' -l bind-fd -d 'Bind mount the directory or O_PATH fd FD on DEST'
complete -c sbx -n '__sbx_is options' -l ro-bind-fd -d 'As --bind-fd, read-only'
complete -c sbx -n '__sbx_is options' -l remount-ro -d 'Remount the mount at DEST read-only'
complete -c sbx -n '__sbx_is options' -l overlay-src -d 'Add a lower layer for the next overlay option'
complete -c sbx -n '__sbx_is options' -l overlay -d 'Mount an overlay with upper dir RWSRC on DEST'
complete -c sbx -n '__sbx_is options' -l tmp-overlay -d 'Mount an overlay with an invisible tmpfs upper on DEST'
complete -c sbx -n '__sbx_is options' -l ro-overlay -d 'Mount a read-only overlay on DEST'
complete -c sbx -n '__sbx_is options' -l proc -d 'Mount a new procfs on DEST (/proc/keys and the like hidden)'
complete -c sbx -n '__sbx_is options' -l dev -d 'Mount a new minimal /dev on DEST'
complete -c sbx -n '__sbx_is options' -l tmpfs -d 'Mount a new tmpfs on DEST'
complete -c sbx -n '__sbx_is options' -l mqueue -d 'Mount a new mqueue on DEST'
complete -c sbx -n '__sbx_is options' -l dir -d 'Create directory DEST'
complete -c sbx -n '__sbx_is options' -l file -d 'Copy the data of FD to a new file DEST'
complete -c sbx -n '__sbx_is options' -l bind-data -d 'Copy the data of FD to a file bind mounted on DEST'
complete -c sbx -n '__sbx_is options' -l ro-bind-data -d 'As --bind-data, read-only'
complete -c sbx -n '__sbx_is options' -l symlink -d 'Create symlink DEST pointing to SRC'
complete -c sbx -n '__sbx_is options' -l chmod -d 'Change the mode of PATH'
complete -c sbx -n '__sbx_is options' -l perms -d 'Mode of what the next option creates'
complete -c sbx -n '__sbx_is options' -l size -d 'Size in bytes of the next --tmpfs'
complete -c sbx -n '__sbx_is options' -l lock-file -d 'Hold a lock on DEST while the sandbox runs'

# Process
complete -c sbx -n '__sbx_is options' -l chdir -d 'Change to DIR inside the sandbox'
complete -c sbx -n '__sbx_is options' -l setenv -d 'Set an environment variable'
complete -c sbx -n '__sbx_is options' -l unsetenv -d 'Unset an environment variable'
complete -c sbx -n '__sbx_is options' -l clearenv -d 'Unset every environment variable but PWD'
complete -c sbx -n '__sbx_is options' -l argv0 -d 'Set argv[0] of the command'
complete -c sbx -n '__sbx_is options' -l new-session -d 'Create a new terminal session (setsid)'
complete -c sbx -n '__sbx_is options' -l die-with-parent -d 'Kill the sandbox when the parent of sbx dies'
complete -c sbx -n '__sbx_is options' -l as-pid-1 -d 'Run the command as PID 1 (needs --unshare-pid)'
complete -c sbx -n '__sbx_is options' -l cap-add -d 'Keep a capability (or ALL)'
complete -c sbx -n '__sbx_is options' -l cap-drop -d 'Drop a capability (or ALL)'
complete -c sbx -n '__sbx_is options' -l close-fds -d 'Close all fds but 0-2 and the --sync-fd one (sbx extension)'

# Security
complete -c sbx -n '__sbx_is options' -l seccomp -d 'Load the seccomp BPF program in FD'
complete -c sbx -n '__sbx_is options' -l add-seccomp-fd -d 'Load the seccomp BPF program in FD (repeatable)'
complete -c sbx -n '__sbx_is options' -l seccomp-profile -d 'Load a built-in or compiled seccomp profile (sbx extension)'
complete -c sbx -n '__sbx_is options' -l seccomp-list -d 'List the built-in seccomp profiles and exit (sbx extension)'
complete -c sbx -n '__sbx_is options' -l seccomp-log -d 'Log seccomp denials to the audit log (sbx extension)'
complete -c sbx -n '__sbx_is options' -l exec-label -d 'SELinux label of the command'
complete -c sbx -n '__sbx_is options' -l file-label -d 'SELinux label of files sbx creates'
complete -c sbx -n '__sbx_is options' -l not-a-security-boundary -d 'Accepted for bwrap 0.12; sbx forgives no setup failure'
complete -c sbx -n '__sbx_is options' -a --debug-opt=force-openat-fallback -d 'Resolve paths in the new root by the userspace walk'

# Status and synchronisation
complete -c sbx -n '__sbx_is options' -l info-fd -d 'Write the child pid and namespaces as JSON to FD'
complete -c sbx -n '__sbx_is options' -l json-status-fd -d 'Write JSON status lines (start, exit code) to FD'
complete -c sbx -n '__sbx_is options' -l sync-fd -d 'Keep FD open while the sandbox runs'
complete -c sbx -n '__sbx_is options' -l block-fd -d 'Wait for data on FD before running the command'
complete -c sbx -n '__sbx_is options' -l userns-block-fd -d 'Wait for data on FD before using the user namespace'

# Option arguments.
complete -c sbx -n '__sbx_is arg file' -F
complete -c sbx -n '__sbx_is arg dir' -a '(__fish_complete_directories (commandline -ct) "")'
complete -c sbx -n '__sbx_is arg var' -a '(set -xn)' -d 'Environment variable'
# A seccomp profile: sbx takes an argument with a "/" as a compiled file,
# anything else as the name of a built-in profile (sbx --seccomp-list).
complete -c sbx -n '__sbx_is arg profile; and not string match -q -- "*/*" (commandline -ct)' -a 'default nested strict none' -d 'Built-in profile'
complete -c sbx -n '__sbx_is arg profile; and not string match -q -- "*/*" (commandline -ct)' -a '(__fish_complete_directories (commandline -ct) "")'
complete -c sbx -n '__sbx_is arg profile; and string match -q -- "*/*" (commandline -ct)' -F
complete -c sbx -n '__sbx_is arg cap' -a 'ALL CAP_CHOWN CAP_DAC_OVERRIDE CAP_DAC_READ_SEARCH CAP_FOWNER
    CAP_FSETID CAP_KILL CAP_SETGID CAP_SETUID CAP_SETPCAP CAP_LINUX_IMMUTABLE
    CAP_NET_BIND_SERVICE CAP_NET_BROADCAST CAP_NET_ADMIN CAP_NET_RAW
    CAP_IPC_LOCK CAP_IPC_OWNER CAP_SYS_MODULE CAP_SYS_RAWIO CAP_SYS_CHROOT
    CAP_SYS_PTRACE CAP_SYS_PACCT CAP_SYS_ADMIN CAP_SYS_BOOT CAP_SYS_NICE
    CAP_SYS_RESOURCE CAP_SYS_TIME CAP_SYS_TTY_CONFIG CAP_MKNOD CAP_LEASE
    CAP_AUDIT_WRITE CAP_AUDIT_CONTROL CAP_SETFCAP CAP_MAC_OVERRIDE
    CAP_MAC_ADMIN CAP_SYSLOG CAP_WAKE_ALARM CAP_BLOCK_SUSPEND CAP_AUDIT_READ
    CAP_PERFMON CAP_BPF CAP_CHECKPOINT_RESTORE' -d Capability

# The command's arguments.
complete -c sbx -n '__sbx_is cmdargs' -a '(__sbx_complete_command_args)'

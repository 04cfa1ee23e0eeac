#!/usr/bin/python3
# Job control through a terminal: an interactive bash in a pseudo-terminal
# runs the sandbox as a job, and keys are typed at it as a person would.
#
#   jobctl.py SBX [SANDBOX-OPTIONS...]
#
# With PROBE in the environment (tests/escape/probe), a scenario with a
# command that cannot stop runs too.
# Each scenario prints "ok - NAME" or "not ok - NAME: what was on the
# screen"; the exit status is the number that failed. No scenario waits for
# longer than its own timeout: a hang is a failure, never a pass.
import os
import pty
import re
import select
import signal
import sys
import time

SBX, OPTS = sys.argv[1], sys.argv[2:]
PROBE = os.environ.get("PROBE")
PROMPT = "PROMPT$ "


class Term:
    def __init__(self, argv, env):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.execve(argv[0], argv, env)
        self.buf = ""

    def send(self, text):
        os.write(self.fd, text.encode())

    def expect(self, pattern, timeout=10.0):
        """Read until pattern (a regex) shows; the text up to it, or None."""
        deadline = time.monotonic() + timeout
        rx = re.compile(pattern)
        while True:
            m = rx.search(self.buf)
            if m:
                seen, self.buf = self.buf[: m.end()], self.buf[m.end():]
                return seen
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            r, _, _ = select.select([self.fd], [], [], left)
            if r:
                try:
                    data = os.read(self.fd, 4096)
                except OSError:
                    return None
                if not data:
                    return None
                self.buf += data.decode(errors="replace").replace("\r", "")

    def close(self):
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(self.pid, 0)
        os.close(self.fd)


def q(words):
    return " ".join("'" + w.replace("'", "'\\''") + "'" for w in words)


SB = q([SBX] + OPTS)
failed = 0


def running(tag):
    """Whether a process of ours has tag in its command line."""
    for pid in os.listdir("/proc"):
        try:
            with open("/proc/%s/cmdline" % pid, "rb") as f:
                if tag.encode() in f.read():
                    with open("/proc/%s/stat" % pid) as f:
                        if f.read().rsplit(")", 1)[1].split()[0] != "Z":
                            return True
        except OSError:
            pass
    return False


def scenario(name, steps, gone=None):
    """steps: (text to type, regex to expect) pairs, in order. gone: a
    string in the sandbox's command line; its processes must be gone within
    ten seconds of the terminal's shell being killed."""
    global failed
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "TERM": "dumb",
           "HOME": os.environ.get("HOME", "/"), "PS1": PROMPT, "LC_ALL": "C"}
    t = Term(["/bin/bash", "--norc", "--noprofile", "-i"], env)
    ok = t.expect(re.escape(PROMPT)) is not None
    why = "no first prompt"
    for text, pattern in steps:
        if not ok:
            break
        # A control key must not come before the job it is for is on the
        # terminal (the shell forks it after the echo waited for), and
        # must not be typed twice (a second one would reach whoever holds
        # the terminal next): a pause first, then one key.
        if text in ("\x03", "\x1a"):
            time.sleep(1.0)
        if text:
            t.send(text)
        seen = t.expect(pattern, 20.0)
        if seen is None:
            ok = False
            why = "typed %r, waited for /%s/" % (text, pattern)
    screen = t.buf[-400:]
    t.close()
    if ok and gone:
        deadline = time.monotonic() + 10
        while running(gone) and time.monotonic() < deadline:
            time.sleep(0.1)
        if running(gone):
            ok, why = False, "the sandbox outlived the terminal's shell"
    if ok:
        print("ok - " + name)
    else:
        print("not ok - %s: %s; screen: %r" % (name, why, screen))
        failed += 1


P = re.escape(PROMPT)
# The command reads nothing: Ctrl-C reaches it through sbx.
scenario("ctrl-c", [
    (SB + " sh -c 'echo start''ed; exec sleep 60'\n", r"\nstarted\n"),
    ("\x03", P),
    ("echo rc=$?\n", r"rc=130\n" + P),
])
# Ctrl-Z stops the job; fg continues it; then Ctrl-C ends it.
scenario("ctrl-z-fg", [
    (SB + " sh -c 'echo start''ed; sleep 60; echo never'\n", r"\nstarted\n"),
    ("\x1a", r"Stopped.*\n" + P),
    ("jobs -l\n", r"Stopped.*\n" + P),
    ("fg\n", r"never'\n"),
    ("\x03", P),
    ("echo rc=$?\n", r"rc=130\n" + P),
])
# Ctrl-Z while the command cannot stop: its child is caught between
# vfork() and exec() (PROBE --vfork-hold makes it so), and only the child
# stops. The job stops all the same, goes on after fg, and Ctrl-C ends it.
if PROBE:
    scenario("ctrl-z-vfork", [
        (SB + " --ro-bind " + q([PROBE, "/probe", "/probe", "--vfork-hold"]) + "\n", r"\nheld\n"),
        ("\x1a", r"Stopped.*\n" + P),
        ("fg\n", r"vfork-hold'\n"),
        ("\x03", P),
        ("echo rc=$?\n", r"rc=130\n" + P),
    ])
# The shell dies (SIGKILL: it cannot pass on a hangup) with the job
# stopped: the kernel hangs up the orphaned job, and the sandbox goes too.
TAG = "61.%d" % os.getpid()
scenario("stopped-orphaned", [
    (SB + " sh -c 'echo start''ed; exec sleep " + TAG + "'\n", r"\nstarted\n"),
    ("\x1a", r"Stopped.*\n" + P),
], gone="sleep\0" + TAG)
# A command that reads the terminal gets it (it asked by reading from the
# background), and the shell has it back afterwards.
scenario("reads-terminal", [
    (SB + " sh -c 'read line; echo got-$line'\n", r"echo got-\$line'\n"),
    ("hello\n", r"got-hello\n" + P),
    ("echo back-$((40+2))\n", r"back-42\n" + P),
])
# Ctrl-Z while the command holds the terminal, fg gives it back to it.
scenario("reads-terminal-ctrl-z", [
    (SB + " sh -c 'read a; echo first-$a; read b; echo second-$b'\n", r"second-\$b'\n"),
    ("one\n", r"first-one\n"),
    ("\x1a", r"Stopped.*\n" + P),
    ("echo outside\n", r"outside\n" + P),
    ("fg\n", r"\n"),
    ("two\n", r"second-two\n" + P),
])
# An interactive shell inside: its own job control works, and exit hands
# the terminal back.
scenario("shell-inside", [
    (SB + " env PS1='inner$ ' /bin/bash --norc --noprofile -i\n", r"inner\$ "),
    ("echo in-$((1+1))\n", r"in-2\n.*inner\$ "),
    ("echo start''ed; sleep 60\n", r"\nstarted\n"),
    ("\x03", r"inner\$ "),
    ("echo start''ed; sleep 61\n", r"\nstarted\n"),
    ("\x1a", r"Stopped.*\n.*inner\$ "),
    # killed, then let bash notice before exit (else "There are stopped jobs")
    ("kill -9 %1; sleep 1; jobs; echo list''ed\n", r"\nlisted\n.*inner\$ "),
    ("exit 7\n", P),
    ("echo rc=$?\n", r"rc=7\n" + P),
])
# In a pipeline with a reader of the terminal: the other side keeps it.
scenario("pipeline", [
    (SB + " sh -c 'echo from-sandbox; sleep 60' | (read x; echo piped-$x; read y </dev/tty; echo typed-$y)\n",
     r"piped-from-sandbox\n"),
    ("later\n", r"typed-later\n"),
    ("\x03", P),
    ("echo done\n", r"done\n" + P),
])
# The terminal is handed back by sbx itself: a shell without job control
# (which would not take it back) reads the terminal after sbx is gone.
scenario("handed-back", [
    ("sh -c " + q([SB + " sh -c 'read a; echo in-$a'; read b; echo after-$b"]) + "\n",
     r"after-\$b'?\n"),
    ("one\n", r"in-one\n"),
    ("two\n", r"after-two\n" + P),
])
sys.exit(failed)

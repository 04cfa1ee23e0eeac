# The default profile with the mount family allowed: for a sandbox that
# builds sandboxes (bwrap or sbx inside sbx, a container build), which
# mount in user namespaces of their own. sbx picks it in place of default
# when the command keeps CAP_SYS_ADMIN (--cap-add), as a capability to
# mount under a filter that refuses every mount would mean nothing.
description The default profile, mounting allowed (sandboxes inside the sandbox)

default allow

include surface.inc

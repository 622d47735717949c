"""Parser processes die with the process that forked them.

``nlp.pipe(n_process=N)`` forks N workers that wait on a queue for texts. When their parent
is killed with SIGKILL (``kill -9``, the OOM killer, a pre-empted job) it cannot tell them to
stop, and they waited forever, each holding a loaded model: the kill tests of ``quotetrace
batch`` found such orphans still sleeping an hour later. On Linux every child forked from
here asks the kernel (``prctl(PR_SET_PDEATHSIG, SIGKILL)``) to be killed when its parent
dies. Elsewhere nothing changes.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys

__all__ = ["children_die_with_parent"]

_PR_SET_PDEATHSIG = 1
_registered = False
_forking_parent = 0  # set just before each fork, in the parent


def _remember_parent() -> None:
    global _forking_parent
    _forking_parent = os.getpid()


def _ask_to_die_with_parent() -> None:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if os.getppid() != _forking_parent:  # the parent died before the request was in place
        os._exit(1)


def children_die_with_parent() -> None:
    """From now on, every process this one forks is killed when this one dies (Linux)."""
    global _registered
    if _registered or not sys.platform.startswith("linux"):
        return
    os.register_at_fork(before=_remember_parent, after_in_child=_ask_to_die_with_parent)
    _registered = True

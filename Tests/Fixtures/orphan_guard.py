# SPDX-License-Identifier: Apache-2.0
"""Ends a fixture server whose test process has gone.

The tests stop their servers by PID, but a test process that crashes or is
killed cannot; its children are then re-parented. Watching the parent PID
catches that without relying on the parent's cooperation.
"""

import os
import threading
import time


def exit_when_orphaned(interval=0.5):
    parent = os.getppid()

    def watch():
        while os.getppid() == parent:
            time.sleep(interval)
        os._exit(0)

    threading.Thread(target=watch, daemon=True, name="orphan-guard").start()

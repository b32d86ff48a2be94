"""Cold start of a kernel as Jupyter's own client sees it: from KernelManager.start_kernel
(which spawns the process) to the first kernel_info_reply, RUNS times. Prints JSON:

    python3 cold_start.py KERNEL_NAME RUNS   ->   {"seconds": [...]}

Used by bench/kernel.ts for Evalbook and, for comparison, ipykernel.
"""
import json
import sys
import time

from jupyter_client.manager import KernelManager


def one_start(name: str) -> float:
    km = KernelManager(kernel_name=name)
    started = time.monotonic()
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    try:
        kc.kernel_info(reply=True, timeout=60)
        return time.monotonic() - started
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def main() -> None:
    name, runs = sys.argv[1], int(sys.argv[2])
    print(json.dumps({"seconds": [one_start(name) for _ in range(runs)]}))


if __name__ == "__main__":
    main()

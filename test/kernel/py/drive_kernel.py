"""Drives an installed kernelspec with Jupyter's own client (jupyter_client) and prints what
happened as one JSON object. Run by test/kernel/jupyter-client.test.ts:

    python3 drive_kernel.py KERNEL_NAME

The kernelspec is found through JUPYTER_PATH / JUPYTER_DATA_DIR, as Jupyter finds any kernel.
"""
import json
import sys
import time

from jupyter_client.manager import KernelManager


def shell_reply(kc, msg_id, timeout=30):
    """The shell reply whose parent is msg_id (other replies are skipped)."""
    deadline = time.monotonic() + timeout
    while True:
        msg = kc.get_shell_msg(timeout=max(0.0, deadline - time.monotonic()))
        if msg["parent_header"].get("msg_id") == msg_id:
            return msg


def main() -> None:
    name = sys.argv[1]
    report = {}
    started = time.monotonic()
    km = KernelManager(kernel_name=name)
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    try:
        info = kc.kernel_info(reply=True, timeout=30)
        report["first_kernel_info_s"] = time.monotonic() - started
        kc.wait_for_ready(timeout=30)
        content = info["content"]
        report["kernel_info"] = {
            "status": content["status"],
            "protocol_version": content["protocol_version"],
            "implementation": content["implementation"],
            "language": content["language_info"]["name"],
            "file_extension": content["language_info"]["file_extension"],
            "mimetype": content["language_info"]["mimetype"],
        }

        outputs = []
        reply = kc.execute_interactive(
            "print hello\ndisplay shown\nresult 42",
            output_hook=lambda msg: outputs.append(msg),
            timeout=30,
        )
        report["execute"] = {
            "status": reply["content"]["status"],
            "execution_count": reply["content"]["execution_count"],
            "msg_types": [m["header"]["msg_type"] for m in outputs],
            "result": [
                m["content"]["data"]["text/plain"]
                for m in outputs
                if m["header"]["msg_type"] == "execute_result"
            ],
            "statuses": [
                m["content"]["execution_state"]
                for m in outputs
                if m["header"]["msg_type"] == "status"
            ],
        }

        failed = kc.execute_interactive("fail not better", output_hook=lambda msg: None, timeout=30)
        report["error"] = {
            key: failed["content"].get(key) for key in ("status", "ename", "evalue", "traceback")
        }

        report["complete"] = kc.complete("pr", 2, reply=True, timeout=30)["content"]
        report["is_complete"] = shell_reply(kc, kc.is_complete("set a\n  b"))["content"]
        report["inspect"] = kc.inspect("sleep", 2, reply=True, timeout=30)["content"]
        report["comm_info"] = kc.comm_info(reply=True, timeout=30)["content"]
        report["history"] = kc.history(
            hist_access_type="tail", n=2, output=False, raw=True, reply=True, timeout=30
        )["content"]

        ts_outputs = []
        ts_reply = kc.execute_interactive(
            "%%ts\nconst x: number = 40 + 2; x",
            output_hook=lambda msg: ts_outputs.append(msg),
            timeout=60,
        )
        report["ts"] = {
            "status": ts_reply["content"]["status"],
            "result": [
                m["content"]["data"]["text/plain"]
                for m in ts_outputs
                if m["header"]["msg_type"] == "execute_result"
            ],
        }

        # Interrupt a synchronous loop with KernelManager.interrupt_kernel (the kernelspec's
        # interrupt_mode decides between a signal and an interrupt_request).
        msg_id = kc.execute("set kept yes\nspin")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            msg = kc.get_iopub_msg(timeout=30)
            if (
                msg["parent_header"].get("msg_id") == msg_id
                and msg["header"]["msg_type"] == "execute_input"
            ):
                break
        time.sleep(0.2)
        interrupted_at = time.monotonic()
        km.interrupt_kernel()
        interrupt_reply = shell_reply(kc, msg_id, timeout=10)
        report["interrupt"] = {
            "seconds": time.monotonic() - interrupted_at,
            "status": interrupt_reply["content"]["status"],
            "ename": interrupt_reply["content"].get("ename"),
        }
        kept_outputs = []
        kc.execute_interactive(
            "get kept", output_hook=lambda msg: kept_outputs.append(msg), timeout=30
        )
        report["after_interrupt"] = [
            m["content"]["data"]["text/plain"]
            for m in kept_outputs
            if m["header"]["msg_type"] == "execute_result"
        ]

        restart_started = time.monotonic()
        km.restart_kernel(now=False)
        kc.wait_for_ready(timeout=30)
        report["restart_seconds"] = time.monotonic() - restart_started
        after_restart = kc.execute_interactive("result fresh", output_hook=lambda msg: None, timeout=30)
        report["after_restart_count"] = after_restart["content"]["execution_count"]
        report["alive_after_restart"] = km.is_alive()
    finally:
        kc.stop_channels()
        shutdown_started = time.monotonic()
        km.shutdown_kernel(now=False)
        report["shutdown_seconds"] = time.monotonic() - shutdown_started
        report["alive_after_shutdown"] = km.is_alive()
        print(json.dumps(report))


if __name__ == "__main__":
    main()

"""The grader's client notices a kernel that died during a cell within ``ALIVE_POLL_SECONDS``, not nbclient's
one second (a student's ``os._exit`` or the memory cap used to cost up to a second of every such run)."""

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor

import nbformat

from autograder.core.config import Limits
from autograder.run.execute import ALIVE_POLL_SECONDS, _CappedClient


class _DeadKernelClient:
    """A kernel client whose kernel has died."""

    async def is_alive(self) -> bool:
        return False


def test_a_dead_kernel_is_noticed_within_the_poll_interval():
    assert ALIVE_POLL_SECONDS <= 0.1
    client = _CappedClient(nbformat.v4.new_notebook(), Limits())
    client.kc = _DeadKernelClient()

    async def watch() -> tuple[float, bool]:
        client.task_poll_for_reply = asyncio.ensure_future(asyncio.sleep(30))  # a cell waiting for its reply
        began = time.perf_counter()
        await client._async_poll_kernel_alive()
        await asyncio.sleep(0)
        return time.perf_counter() - began, client.task_poll_for_reply.cancelled()

    with ThreadPoolExecutor(1) as thread:  # a loop of its own, whatever an earlier test left in this thread
        seconds, cancelled = thread.submit(asyncio.run, watch()).result()
    assert cancelled  # the cell's wait ends: nbclient then raises DeadKernelError
    assert seconds < 0.5, f"the dead kernel was noticed after {seconds:.2f} s"

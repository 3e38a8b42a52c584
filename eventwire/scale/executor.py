"""The local executor: articles coded by a pool of worker processes, results in input order.

Each worker builds one ``Pipeline`` (spaCy, the classifier, the tables) when it starts
and codes chunks of articles with it; what comes back is plain records (articles,
events, place mentions), never spaCy objects. Reading stays in the calling process, and
only a few chunks per worker are in flight, so a corpus streams through in constant
memory. With one worker, or an input of a single chunk (where starting workers would
cost more than it saves), everything runs in the calling process; the output is the
same either way (``tests/test_executor.py`` checks it).

Workers die with the process that started them, even when it is killed outright
(``kill -9`` leaves no chance to shut the pool down): on Linux the kernel sends
each one SIGKILL when its parent goes (``PR_SET_PDEATHSIG``), and everywhere a
watch thread ends a worker whose parent has changed.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from itertools import chain, islice

from eventwire.coding.pipeline import Pipeline
from eventwire.records.errors import InputError
from eventwire.records.model import Article, ArticleResult

Item = Article | InputError
Result = ArticleResult | InputError
CHUNK_SIZE = 16
"""Articles a worker codes together (one ``nlp.pipe``, one classifier pass)."""
IN_FLIGHT_PER_WORKER = 2


def default_workers() -> int:
    """The number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class Settings:
    """What a worker needs to build its pipeline."""

    use_model: bool = True
    threshold: float = 0.5
    prefilter: bool = True

    def pipeline(self) -> Pipeline:
        return Pipeline(use_model=self.use_model, threshold=self.threshold,
                        prefilter=self.prefilter)


_worker_pipeline: Pipeline | None = None


PR_SET_PDEATHSIG = 1
PARENT_POLL_SECONDS = 1.0


def _die_with_parent(parent: int) -> None:
    """End this worker when ``parent`` ends: a kernel signal on Linux, a watch thread anywhere."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass  # the watch thread still does it
    if os.getppid() != parent:  # the parent went before the signal was asked for
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_POLL_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _start_worker(settings: Settings, parent: int | None = None) -> None:
    """Load the models once per worker process, which ends when its parent does."""
    global _worker_pipeline
    if parent is not None:
        _die_with_parent(parent)
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    _worker_pipeline = settings.pipeline()


def _code_chunk(chunk: list[Item]) -> tuple[list[Result], Counter[str]]:
    assert _worker_pipeline is not None, "worker started without its pipeline"
    before = Counter(_worker_pipeline.counts)
    results = list(_worker_pipeline.run(chunk, batch_size=len(chunk)))
    return results, _worker_pipeline.counts - before


class Executor:
    """Codes a stream of articles with ``workers`` processes; ``counts`` adds up the cascade's
    counts of every worker."""

    def __init__(self, settings: Settings | None = None, workers: int | None = None) -> None:
        self.settings = settings or Settings()
        self.workers = max(1, workers if workers is not None else default_workers())
        self.counts: Counter[str] = Counter()
        self._local: Pipeline | None = None

    def start(self) -> None:
        """Load the models in this process now, so a missing model fails before any work."""
        if self._local is None:
            self._local = self.settings.pipeline()

    def run(self, items: Iterable[Item], chunk_size: int = CHUNK_SIZE) -> Iterator[Result]:
        """Results in input order, whatever the number of workers."""
        chunks = _chunks(items, chunk_size)
        first = next(chunks, None)
        if first is None:
            return
        second = next(chunks, None) if self.workers > 1 else None
        if second is None:
            yield from self._run_here(chain([first], chunks))
            return
        context = multiprocessing.get_context("spawn")  # onnxruntime's threads do not fork
        with ProcessPoolExecutor(self.workers, mp_context=context, initializer=_start_worker,
                                 initargs=(self.settings, os.getpid())) as pool:
            pending: deque[Future[tuple[list[Result], Counter[str]]]] = deque()
            for chunk in chain([first, second], chunks):
                pending.append(pool.submit(_code_chunk, chunk))
                if len(pending) >= self.workers * IN_FLIGHT_PER_WORKER:
                    yield from self._collect(pending.popleft())
            while pending:
                yield from self._collect(pending.popleft())

    def _collect(self, future: Future[tuple[list[Result], Counter[str]]]) -> Iterator[Result]:
        results, counts = future.result()
        self.counts.update(counts)
        yield from results

    def _run_here(self, chunks: Iterable[list[Item]]) -> Iterator[Result]:
        self.start()
        pipeline = self._local
        assert pipeline is not None
        for chunk in chunks:
            before = Counter(pipeline.counts)
            yield from pipeline.run(chunk, batch_size=len(chunk))
            self.counts.update(pipeline.counts - before)


def _chunks(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, max(1, size))):
        yield chunk

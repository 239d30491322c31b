"""The GIL is released during long calls (train, sample, nll, ...) and re-taken for callbacks; a handle
in use by a call cannot be closed under it (ctest label `python`)."""
import math
import sys
import threading
import time
import unittest

import scorekit

SPEC = {"data": "moons", "sde": "vp", "model": {"name": "mlp", "hidden": 64, "depth": 2, "time_dim": 8},
        "objective": "dsm", "train": {"batch": 256, "seed": 3}}


class Ticker(threading.Thread):
    """Counts, sleeping 1 ms between counts: it needs the GIL for a moment per count, so it advances
    only while no other thread holds the GIL."""

    def __init__(self):
        super().__init__(daemon=True)
        self.ticks = 0
        self.stop = threading.Event()
        self.started = threading.Event()

    def run(self):
        while not self.stop.is_set():
            self.ticks += 1
            self.started.set()
            time.sleep(0.001)


class GilReleased(unittest.TestCase):
    def ticks_during(self, call, seconds=1.0):
        """How often the ticker counted while `call()` ran again and again for `seconds`. With a switch
        interval of 100 s the interpreter never takes the GIL away from a thread that runs Python or
        holds it in C, so the ticker can advance only inside calls that release it."""
        ticker = Ticker()
        previous = sys.getswitchinterval()
        ticker.start()
        self.assertTrue(ticker.started.wait(30))
        sys.setswitchinterval(100.0)
        try:
            before = ticker.ticks
            start = time.perf_counter()
            calls = 0
            while time.perf_counter() - start < seconds:
                call()
                calls += 1
            after = ticker.ticks
        finally:
            sys.setswitchinterval(previous)
            ticker.stop.set()
            ticker.join()
        return after - before, calls

    def test_a_second_thread_runs_while_training(self):
        seen = []
        with scorekit.Trainer(SPEC) as tr:
            ticks, calls = self.ticks_during(lambda: tr.train(20, progress=lambda p: seen.append(p.step)))
            self.assertGreaterEqual(ticks, 5, "the ticker did not run while training")
            # The callback ran on every step: the director re-took the GIL each time.
            self.assertEqual(seen, list(range(1, 20 * calls + 1)))
            self.assertTrue(math.isfinite(tr.last_loss))

    def test_a_second_thread_runs_while_sampling_and_computing_nll(self):
        with scorekit.Trainer(SPEC) as tr, tr.model() as m, scorekit.Sampler({"name": "em", "steps": 100}) as s:
            ticks, _ = self.ticks_during(lambda: s.run(m, 512, seed=1))
            self.assertGreaterEqual(ticks, 5, "the ticker did not run while sampling")
            if scorekit.HAVE_NLL:
                x = s.run(m, 64, seed=2)
                ticks, _ = self.ticks_during(lambda: m.nll(x))
                self.assertGreaterEqual(ticks, 5, "the ticker did not run during nll")


class CloseWhileInUse(unittest.TestCase):
    def test_close_from_the_callback_raises_and_the_handle_survives(self):
        with scorekit.Trainer(SPEC) as tr:
            with self.assertRaises(scorekit.Error) as e:
                tr.train(5, progress=lambda p: tr.close())
            self.assertEqual(e.exception.status, scorekit.ERR_STATE)
            self.assertIn("in use", e.exception.message)
            self.assertFalse(tr.closed)
            tr.train(2)
            self.assertEqual(tr.step_count, 3)
        self.assertTrue(tr.closed)

    def test_close_from_another_thread_raises_while_training(self):
        errors = []
        go, tried = threading.Event(), threading.Event()

        def closer(handle):
            go.wait(30)
            try:
                handle.close()
            except scorekit.Error as err:
                errors.append(err)
            tried.set()

        def on_progress(p):
            if p.done == 1:
                go.set()
                tried.wait(30)  # waiting releases the GIL: the closer tries while train() runs

        with scorekit.Trainer(SPEC) as tr:
            t = threading.Thread(target=closer, args=(tr,))
            t.start()
            tr.train(3, progress=on_progress)
            t.join(30)
            self.assertEqual([e.status for e in errors], [scorekit.ERR_STATE])
            self.assertEqual(tr.step_count, 3)
        self.assertTrue(tr.closed)


if __name__ == "__main__":
    unittest.main()

"""Progress line on stderr: finished/total, failures, elapsed time and ETA."""

import sys
import time


def _fmt_seconds(s):
    if s != s or s == float("inf"):
        return "?"
    s = int(round(s))
    return f"{s // 3600}h{s % 3600 // 60:02d}m" if s >= 3600 else (
        f"{s // 60}m{s % 60:02d}s" if s >= 60 else f"{s}s")


class Progress:
    """Finished/total with an ETA from the units computed so far.

    Units reused from the store count as finished but not in the rate, so a resumed sweep's
    ETA is not fooled by instant cache hits. On a terminal the line is redrawn in place;
    otherwise (logs, CI) a line is written at most every ``interval`` seconds plus the last.

    Parameters
    ----------
    total : int
        Number of units in the sweep.
    label : str
        Prefix of the line.
    stream : file, optional
        Default ``sys.stderr``.
    enabled : bool
        ``False`` prints nothing.
    interval : float, optional
        Seconds between lines; default 0.2 on a terminal, 10 otherwise.
    """

    def __init__(self, total, label="sweep", stream=None, enabled=True, interval=None):
        self.total, self.label, self.enabled = int(total), label, enabled
        self.stream = sys.stderr if stream is None else stream
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.interval = (0.2 if self.tty else 10.0) if interval is None else interval
        self.done = self.reused = self.failed = 0
        self.t0 = time.perf_counter()
        self._last = -float("inf")

    def eta(self):
        """Estimated seconds left (``inf`` before the first computed unit)."""
        computed = self.done - self.reused
        left = self.total - self.done
        if left == 0:
            return 0.0
        if computed == 0:
            return float("inf")
        return (time.perf_counter() - self.t0) / computed * left

    def line(self):
        elapsed = time.perf_counter() - self.t0
        pct = 100.0 * self.done / self.total if self.total else 100.0
        extra = "".join([f", {self.reused} reused" if self.reused else "",
                         f", {self.failed} FAILED" if self.failed else ""])
        return (f"{self.label}: {self.done}/{self.total} ({pct:.0f}%){extra}, "
                f"{_fmt_seconds(elapsed)} elapsed, ETA {_fmt_seconds(self.eta())}")

    def update(self, reused=False, failed=False):
        """Count one finished unit and redraw if due."""
        self.done += 1
        self.reused += bool(reused)
        self.failed += bool(failed)
        now = time.perf_counter()
        if now - self._last >= self.interval or self.done == self.total:
            self._last = now
            self._write()

    def _write(self, end=""):
        if not self.enabled:
            return
        if self.tty:
            print("\r" + self.line().ljust(78), end=end, file=self.stream, flush=True)
        else:
            print(self.line(), file=self.stream, flush=True)

    def close(self):
        """Write the final line (and end the redrawn line on a terminal)."""
        if self.enabled and self.tty:
            self._write(end="\n")
        elif self.enabled and self._last == -float("inf"):
            self._write()

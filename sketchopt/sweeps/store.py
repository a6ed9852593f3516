"""On-disk result store: one npz file per finished work unit, checked before reuse.

Key = sha256 of (function module + qualname, unit parameters including the seed, package
version). Each file holds the result arrays plus a ``__manifest__`` entry (JSON) repeating the
key, the parameters and a sha256 of every array; a file whose manifest is missing or does not
match (truncated write, flipped bytes, a stale copy) is deleted and the unit recomputed.
"""

import hashlib
import json
import os
import tempfile
import zipfile
from pathlib import Path

import numpy as np

MANIFEST = "__manifest__"
_JSON = "__json__"


def default_cache_dir():
    """``$SKETCHOPT_CACHE/sweeps``, else ``~/.cache/sketchopt/sweeps``."""
    root = os.environ.get("SKETCHOPT_CACHE") or os.path.join(
        os.path.expanduser("~"), ".cache", "sketchopt")
    return Path(root) / "sweeps"


def fn_name(fn):
    """``module:qualname`` of a module-level function (the part of the key naming it)."""
    mod, qual = getattr(fn, "__module__", None), getattr(fn, "__qualname__", None)
    if not mod or not qual or "<lambda>" in qual or "<locals>" in qual:
        raise ValueError(f"fn must be a module-level function (picklable by name), got {fn!r}")
    return f"{mod}:{qual}"


def canonical(obj):
    """Plain JSON-able form of unit parameters (numpy scalars and arrays become Python)."""
    if isinstance(obj, dict):
        return {str(k): canonical(v) for k, v in sorted(obj.items(), key=lambda kv: str(kv[0]))}
    if isinstance(obj, (list, tuple)):
        return [canonical(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return canonical(obj.tolist())
    if isinstance(obj, np.generic):
        return obj.item()
    if obj is None or isinstance(obj, (bool, int, float, str)):
        return obj
    raise ValueError(f"unit parameters must be JSON-like (numbers, strings, lists, dicts), "
                     f"got {type(obj).__name__}: {obj!r}")


def unit_key(fn, params, version=None):
    """Hex key of one unit: hash of the function name, its parameters and the version."""
    if version is None:
        from sketchopt import __version__ as version
    blob = json.dumps({"fn": fn_name(fn), "params": canonical(params), "version": version},
                      sort_keys=True, allow_nan=True)
    return hashlib.sha256(blob.encode()).hexdigest()[:32]


def normalize(result):
    """The form a result has after a store round trip, so fresh and reused results compare
    equal: a dict of arrays stays a dict of arrays, anything else goes through JSON."""
    if isinstance(result, dict) and result and all(isinstance(k, str) for k in result) \
            and not any(isinstance(v, (dict, str)) for v in result.values()):
        out = {k: np.asarray(v) for k, v in result.items()}
        bad = [k for k, v in out.items() if v.dtype == object]
        if not bad and MANIFEST not in out and _JSON not in out:
            return out
    try:
        return json.loads(json.dumps(canonical(result), allow_nan=True))
    except ValueError as exc:
        raise ValueError(f"a unit result must be a dict of numeric arrays or JSON-like data: "
                         f"{exc}") from None


def _digest(a):
    h = hashlib.sha256(f"{a.dtype.str}|{a.shape}|".encode())
    h.update(np.ascontiguousarray(a).tobytes())
    return h.hexdigest()


class ResultStore:
    """Finished units on disk, one npz per unit under ``root/<function>/<key>.npz``.

    Parameters
    ----------
    root : str or Path, optional
        Cache directory; default :func:`default_cache_dir` (``$SKETCHOPT_CACHE/sweeps``).
    version : str, optional
        Version string in the key; default ``sketchopt.__version__``. Bump it (or clear the
        store) when a unit function changes its output for the same parameters.

    Attributes
    ----------
    corrupt : list of Path
        Files found unreadable or inconsistent (and deleted) since the store was created.
    """

    def __init__(self, root=None, version=None):
        self.root = Path(root) if root is not None else default_cache_dir()
        if version is None:
            from sketchopt import __version__ as version
        self.version = str(version)
        self.corrupt = []

    def __repr__(self):
        return f"ResultStore({str(self.root)!r}, version={self.version!r})"

    def path(self, fn, params):
        """File of one unit (it may not exist)."""
        name = fn_name(fn).replace(":", ".")
        return self.root / name / f"{unit_key(fn, params, self.version)}.npz"

    def get(self, fn, params):
        """``(True, result)`` for a finished, intact unit; ``(False, None)`` otherwise.

        A file that is partial, corrupt or belongs to other parameters is deleted.
        """
        path = self.path(fn, params)
        if not path.exists():
            return False, None
        try:
            return True, self._read(path, fn, params)
        except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
            self.corrupt.append(path)
            path.unlink(missing_ok=True)
            return False, None

    def _read(self, path, fn, params):
        with np.load(path, allow_pickle=False) as data:
            arrays = {k: data[k] for k in data.files}
        manifest = json.loads(str(arrays.pop(MANIFEST)))
        expect = {"key": unit_key(fn, params, self.version), "fn": fn_name(fn),
                  "version": self.version}
        for k, v in expect.items():
            if manifest.get(k) != v:
                raise ValueError(f"manifest {k} mismatch")
        if sorted(manifest["checksums"]) != sorted(arrays):
            raise ValueError("array set differs from the manifest")
        for k, a in arrays.items():
            if _digest(a) != manifest["checksums"][k]:
                raise ValueError(f"checksum mismatch for {k}")
        if manifest["kind"] == "json":
            return json.loads(str(arrays[_JSON]))
        return arrays

    def put(self, fn, params, result):
        """Write a unit's result atomically (temporary file, then ``os.replace``).

        No fsync: after an OS crash a renamed file may lack its data, but the checksums
        catch that and the unit is recomputed, which is cheaper than syncing every unit.
        """
        result = normalize(result)
        if isinstance(result, dict) and all(isinstance(v, np.ndarray) for v in result.values()):
            arrays, kind = dict(result), "arrays"
        else:
            arrays, kind = {_JSON: np.array(json.dumps(result, allow_nan=True))}, "json"
        manifest = {"key": unit_key(fn, params, self.version), "fn": fn_name(fn),
                    "version": self.version, "params": canonical(params), "kind": kind,
                    "checksums": {k: _digest(a) for k, a in arrays.items()}}
        path = self.path(fn, params)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.stem, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                np.savez(fh, **arrays, **{MANIFEST: np.array(json.dumps(manifest))})
            os.replace(tmp, path)  # readers see the old file or the whole new one
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return path

    def clear(self, fn=None):
        """Delete every stored unit (of ``fn`` only, if given); returns the number removed."""
        base = self.root if fn is None else self.root / fn_name(fn).replace(":", ".")
        n = 0
        for p in base.rglob("*.npz") if base.exists() else ():
            p.unlink(missing_ok=True)
            n += 1
        return n

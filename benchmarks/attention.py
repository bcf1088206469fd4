"""Benchmark the attention maths: `python -m benchmarks.attention` (or `python course.py bench`).

1. numpy `self_attention` vs PyTorch CPU `scaled_dot_product_attention`, projections included in
   both, float32, d = 64, n = 128 … 4096: the ratio of median times (numpy / torch).
2. `truncated_attention` vs full band-masked `self_attention`, window 32, n = 1k … 64k frames:
   time and peak traced memory, showing L² vs L·w growth. Full attention is skipped where its
   scores alone would need more than 4 GB.

Ratios are measured in one run, so a shared, noisy machine slows both sides alike.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
import tracemalloc
from functools import partial

import numpy as np

from helpers.attention import band_mask, self_attention, truncated_attention

D = 64
WINDOW = 32
FULL_LIMIT_BYTES = 4e9
FULL_BYTES_PER_ENTRY = (
    6  # float32 scores (4) + the mask and its negation (1 + 1), per query-key pair
)


def median_time(fn, repeats: int) -> float:
    fn()  # warm-up
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def peak_memory(fn) -> int:
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def bench_vs_torch(rng) -> None:
    try:
        import torch
        import torch.nn.functional as F
    except ImportError:
        print(
            "PyTorch not installed: skipping numpy vs torch (pip install torch==2.13.0 for the CPU "
            "build).\n"
        )
        return
    print(
        f"numpy self_attention vs torch scaled_dot_product_attention (float32, d = {D}, "
        "projections included; "
        f"torch threads = {torch.get_num_threads()})"
    )
    print(f"{'n':>6} {'numpy ms':>10} {'torch ms':>10} {'numpy/torch':>12}")
    for n in (128, 256, 512, 1024, 2048, 4096):
        X = rng.normal(size=(n, D)).astype(np.float32)
        W_q, W_k, W_v = (rng.normal(size=(D, D)).astype(np.float32) / 8 for _ in range(3))
        tX, tq, tk, tv = (torch.from_numpy(a) for a in (X, W_q, W_k, W_v))

        def run_torch(tX=tX, tq=tq, tk=tk, tv=tv):
            with torch.no_grad():
                return F.scaled_dot_product_attention(
                    (tX @ tq)[None], (tX @ tk)[None], (tX @ tv)[None]
                )

        repeats = 30 if n <= 512 else 10
        # Interleave the two so drifting load on the shared machine hits both alike.
        t_np, t_torch = [], []
        for _ in range(3):
            t_np.append(median_time(partial(self_attention, X, W_q, W_k, W_v), repeats))
            t_torch.append(median_time(run_torch, repeats))
        a, b = min(t_np), min(t_torch)
        print(f"{n:>6} {a * 1e3:>10.2f} {b * 1e3:>10.2f} {a / b:>11.2f}×")
    print()


def bench_truncated(rng) -> None:
    print(
        f"truncated_attention vs full band-masked self_attention (float32, d = {D}, window = "
        f"{WINDOW})"
    )
    print(
        f"{'n':>6} {'trunc ms':>9} {'trunc MB':>9} {'full ms':>9} {'full MB':>9} {'time ×':>7} "
        f"{'memory ×':>9}"
    )
    W_q, W_k, W_v = (rng.normal(size=(D, D)).astype(np.float32) / 8 for _ in range(3))
    for n in (1024, 2048, 4096, 8192, 16384, 32768, 65536):
        X = rng.normal(size=(n, D)).astype(np.float32)
        trunc = partial(truncated_attention, X, W_q, W_k, W_v, window=WINDOW)
        t_tr = median_time(trunc, 5 if n <= 16384 else 3)
        m_tr = peak_memory(trunc)
        line = f"{n:>6} {t_tr * 1e3:>9.1f} {m_tr / 1e6:>9.1f}"
        if FULL_BYTES_PER_ENTRY * n * n > FULL_LIMIT_BYTES:
            print(
                line
                + f"   full skipped: it would need about {FULL_BYTES_PER_ENTRY * n * n / 1e9:.0f} "
                "GB "
                f"({n}×{n} float32 scores + boolean masks) > 4 GB"
            )
            continue
        full = partial(self_attention, X, W_q, W_k, W_v, mask=band_mask(n, WINDOW))
        t_full = median_time(full, 3 if n <= 4096 else 1)
        m_full = peak_memory(full)
        print(
            line + f" {t_full * 1e3:>9.1f} {m_full / 1e6:>9.1f} {t_full / t_tr:>6.1f}× "
            f"{m_full / m_tr:>8.1f}×"
        )
    print(
        "(MB = peak memory traced by tracemalloc during the call, inputs excluded; "
        "full grows as n², truncated as n·window)"
    )


def main() -> int:
    blas_env = {
        k: os.environ[k] for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE") if k in os.environ
    }
    print(
        f"numpy {np.__version__}, {os.cpu_count()} cores; OpenBLAS variables: "
        f"{blas_env or 'none set'} (left as found)\n"
    )
    rng = np.random.default_rng(0)
    bench_vs_torch(rng)
    bench_truncated(rng)
    return 0


if __name__ == "__main__":
    sys.exit(main())

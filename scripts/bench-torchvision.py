#!/usr/bin/env python3
"""The reference for `npm run bench:train`'s loss figure: torchvision.ops.sigmoid_focal_loss (gamma = 2,
alpha = 0.25), forward + backward of its sum on 10^6 logits x ~ N(0, 3^2) with 1 % positives, on the CPU with
every core; median of `repeats` runs after 2 warm-ups. Prints one JSON line. Needs Debian's python3-torchvision
(apt-get install python3-torchvision); scripts/bench.ts runs it when /usr/bin/python3 can import torchvision.
Not part of `npm test`.

    /usr/bin/python3 scripts/bench-torchvision.py [repeats]
"""
import json
import os
import statistics
import sys
import time

import torch
from torchvision.ops import sigmoid_focal_loss


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    torch.set_num_threads(os.cpu_count() or 1)
    gen = torch.Generator().manual_seed(1)
    n = 10**6
    x = (torch.randn(n, generator=gen) * 3).requires_grad_(True)
    t = (torch.rand(n, generator=gen) < 0.01).float()
    ms = []
    for i in range(2 + repeats):
        x.grad = None
        t0 = time.perf_counter()
        sigmoid_focal_loss(x, t, alpha=0.25, gamma=2, reduction="sum").backward()
        dt = (time.perf_counter() - t0) * 1000
        if i >= 2:
            ms.append(dt)
    print(
        json.dumps(
            {
                "torch": torch.__version__,
                "torchvision": __import__("torchvision").__version__,
                "threads": torch.get_num_threads(),
                "loss_fwd_bwd_ms_1e6": statistics.median(ms),
                "method": f"sigmoid_focal_loss(x, t, alpha=0.25, gamma=2, reduction='sum').backward() on 10^6 "
                f"logits, median of {repeats} after 2 warm-ups",
            }
        )
    )


if __name__ == "__main__":
    main()

"""Writes public.json (next to this file): GroupNorm (+ optional ReLU) forward and backward, from PyTorch.

Run: /usr/bin/python3 tests/golden/data/groupnorm/public.py   (needs torch; Debian's python3-torch; prints the case names)

Every case is computed in float64 by torch.nn.functional.group_norm (eps 1e-5, PyTorch's default) on NCHW and
written in NHWC, the layout of lib/detector/groupNorm.ts. Gradients are torch.autograd's for the loss
sum(dy * y), so dx, dscale and dshift are the vector-Jacobian products with the given dy.
"""
import json
import os

import torch

torch.manual_seed(20171007)

# (name, B, H, W, C, groups, relu, offset, spread): x = offset + spread * N(0, 1)
CASES = [
    ('small-c2-per-group', 2, 4, 4, 8, 4, True, 0.0, 1.0),
    ('no-relu', 2, 3, 5, 6, 3, False, 0.5, 2.0),
    ('one-group', 1, 4, 2, 4, 1, True, -0.3, 1.0),
    ('group-per-channel', 2, 3, 3, 4, 4, False, 0.0, 0.1),
    ('large-mean-small-spread', 2, 4, 4, 4, 2, False, 1000.0, 0.01),
    ('backbone-like', 2, 8, 8, 16, 8, True, 0.2, 3.0),
]


def case(name, B, H, W, C, G, relu, offset, spread):
    # Inputs rounded to float32 values, so the tests feed exactly these numbers to a float32 implementation.
    f32 = lambda t: t.float().double()
    x = f32(offset + spread * torch.randn(B, H, W, C, dtype=torch.float64)).requires_grad_()
    scale = f32(1 + 0.5 * torch.randn(C, dtype=torch.float64)).requires_grad_()
    shift = f32(0.3 * torch.randn(C, dtype=torch.float64)).requires_grad_()
    dy = f32(torch.randn(B, H, W, C, dtype=torch.float64))
    z = torch.nn.functional.group_norm(x.permute(0, 3, 1, 2), G, scale, shift, eps=1e-5).permute(0, 2, 3, 1)
    y = torch.relu(z) if relu else z
    (y * dy).sum().backward()
    flat = lambda t: [float(v) for v in t.detach().reshape(-1)]
    return {
        'name': name,
        'shape': [B, H, W, C],
        'groups': G,
        'relu': relu,
        'x': flat(x),
        'scale': flat(scale),
        'shift': flat(shift),
        'dy': flat(dy),
        'y': flat(y),
        'dx': flat(x.grad),
        'dscale': flat(scale.grad),
        'dshift': flat(shift.grad),
    }


out = {
    'about': (
        'Golden values for GroupNorm followed (relu: true) or not by ReLU, from torch.nn.functional.group_norm '
        + f'(PyTorch {torch.__version__}, float64, eps 1e-5) and torch.autograd, written by public.py next to this '
        + 'file. Tensors are flat, NHWC (x, y, dy, dx: shape [B, H, W, C]; scale, shift, dscale, dshift: [C]); '
        + 'groups are consecutive channels, as in PyTorch. dx, dscale, dshift are the gradients of sum(dy * y). '
        + 'The inputs (x, scale, shift, dy) are float32 values, so a float32 implementation sees exactly these '
        + 'numbers. Tolerance: |got - want| <= 1e-4 + 1e-4*|want| for y, and 1e-4*max|want| + 1e-4*|want| for '
        + 'the gradients (sums over a group). In large-mean-small-spread (x = 1000 + 0.01 N(0, 1)) a one-pass '
        + 'variance E[x^2] - mu^2 in float32 would lose every digit.'
    ),
    'cases': [case(*c) for c in CASES],
}
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'public.json'), 'w') as f:
    json.dump(out, f)
print(' '.join(c['name'] for c in out['cases']))

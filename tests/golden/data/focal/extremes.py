"""Writes extremes.json (next to this file): hard-target focal-loss and FL* cases at large logits.

Run: python3 tests/golden/data/focal/extremes.py   (needs mpmath; prints nothing, rewrites the json)

Every value is computed in mpmath at 60 significant digits and rounded to float64. The loss is the closed form;
the gradient is mpmath.diff of that closed form (high-precision numerical differentiation, independent of any
derivative written by hand), and is checked here against the closed-form derivative
    d/dx_t [a_t CE (1-p)^g] = -a_t (1-p)^g [(1-p) + g p CE],  p = sigmoid(x_t), CE = softplus(-x_t)
    d/dx_t [a_t softplus(-(g x_t + b))/g] = -a_t sigmoid(-(g x_t + b))
to 40 digits before anything is written.
"""
import json
import os

import mpmath as mp

mp.mp.dps = 60

LOGITS = [-1e4, -1e3, -100, -17, -3, -0.5, 0, 0.5, 3, 17, 100, 1e3, 1e4]


def sp(z):
    """softplus(z) = log(1 + e^z), exact for any real z at the working precision."""
    z = mp.mpf(z)
    return z + mp.log1p(mp.exp(-z)) if z > 0 else mp.log1p(mp.exp(z))


def sigmoid(z):
    z = mp.mpf(z)
    return 1 / (1 + mp.exp(-z)) if z >= 0 else mp.exp(z) / (1 + mp.exp(z))


def alpha_t(t, alpha):
    return mp.mpf(1) if alpha is None else (mp.mpf(alpha) if t == 1 else 1 - mp.mpf(alpha))


def focal(x, t, alpha, gamma):
    xt = x if t == 1 else -x
    return alpha_t(t, alpha) * sp(-xt) * mp.exp(-mp.mpf(gamma) * sp(xt))


def focal_grad_closed(x, t, alpha, gamma):
    s = 1 if t == 1 else -1
    xt = s * mp.mpf(x)
    p, q, ce = sigmoid(xt), sigmoid(-xt), sp(-xt)
    return -s * alpha_t(t, alpha) * mp.exp(-mp.mpf(gamma) * sp(xt)) * (q + gamma * p * ce)


def star(x, t, alpha, gamma, beta):
    xt = x if t == 1 else -x
    return alpha_t(t, alpha) * sp(-(mp.mpf(gamma) * xt + beta)) / gamma


def star_grad_closed(x, t, alpha, gamma, beta):
    s = 1 if t == 1 else -1
    xt = s * mp.mpf(x)
    return -s * alpha_t(t, alpha) * sigmoid(-(mp.mpf(gamma) * xt + beta))


def diff(f, x):
    return mp.diff(f, mp.mpf(x))


def check(a, b, what):
    if abs(a - b) > mp.mpf(10) ** -40 * (1 + abs(b)):
        raise SystemExit(f"{what}: mpmath.diff {a} differs from the closed form {b}")


def make_case(name, fn, alpha, gamma, reduction, logits, targets, beta=None):
    losses, grads = [], []
    for x, t in zip(logits, targets):
        if fn == "sigmoid_focal_loss":
            f = lambda z: focal(z, t, alpha, gamma)
            closed = focal_grad_closed(x, t, alpha, gamma)
        else:
            f = lambda z: star(z, t, alpha, gamma, beta)
            closed = star_grad_closed(x, t, alpha, gamma, beta)
        g = diff(f, x)
        check(g, closed, f"{name} x={x} t={t}")
        losses.append(f(x))
        grads.append(g)
    n = len(logits)
    if reduction == "sum":
        loss = float(mp.fsum(losses))
    elif reduction == "mean":
        loss = float(mp.fsum(losses) / n)
        grads = [g / n for g in grads]
    else:
        loss = [float(v) for v in losses]
    case = {"name": name, "fn": fn, "alpha": alpha, "gamma": gamma}
    if beta is not None:
        case["beta"] = beta
    case.update(
        {
            "reduction": reduction,
            "logits": logits,
            "targets": targets,
            "loss": loss,
            "grad": [float(g) + 0.0 for g in grads],
        }
    )
    return case


def main():
    both = LOGITS + LOGITS
    tboth = [1] * len(LOGITS) + [0] * len(LOGITS)
    cases = []
    for alpha in [0.01, 0.25, 0.99]:
        for gamma in [0, 0.5, 2, 5]:
            cases.append(make_case(f"ext-g{gamma}-a{alpha}", "sigmoid_focal_loss", alpha, gamma, "none", both, tboth))
    cases.append(make_case("ext-g2-aNone", "sigmoid_focal_loss", None, 2, "none", both, tboth))
    for alpha, gamma, reduction in [(0.99, 2, "sum"), (0.01, 5, "sum"), (0.99, 0.5, "mean"), (0.25, 2, "mean")]:
        cases.append(
            make_case(f"ext-g{gamma}-a{alpha}-{reduction}", "sigmoid_focal_loss", alpha, gamma, reduction, both, tboth)
        )
    for alpha, gamma, beta, reduction in [
        (0.25, 2, 1, "none"),
        (0.25, 4, 0, "none"),
        (0.99, 0.5, 1, "none"),
        (0.01, 5, 0, "none"),
        (0.99, 2, 1, "sum"),
        (0.01, 5, 1, "mean"),
    ]:
        cases.append(
            make_case(
                f"ext-star-g{gamma}-b{beta}-a{alpha}-{reduction}",
                "sigmoid_focal_loss_star",
                alpha,
                gamma,
                reduction,
                both,
                tboth,
                beta=beta,
            )
        )
    about = (
        "Golden values for the hard-target focal loss and FL* at extreme logits (|x| up to 1e4, far past float32's "
        "exp range), on both targets, alpha in {0.01, 0.25, 0.99, null}, gamma in {0, 0.5, 2, 5} (FL*: gamma in "
        "{0.5, 2, 4, 5}, beta in {0, 1}), reductions none/sum/mean. Same semantics and schema as public.json: "
        "sigmoid_focal_loss = alpha_t * CE * (1-p_t)^gamma with CE = softplus(-x_t), (1-p_t)^gamma = "
        "exp(-gamma*softplus(x_t)), x_t = x for t = 1 and -x for t = 0, alpha_t = alpha for t = 1 and 1-alpha for "
        "t = 0; sigmoid_focal_loss_star = alpha_t * softplus(-(gamma*x_t + beta))/gamma. How each value was "
        "obtained: computed by extremes.py (next to this file) with Python mpmath at 60 significant digits and "
        "rounded to float64; loss from the closed form above (softplus as z + log1p(e^-z) or log1p(e^z), exact at "
        "any z); grad by mpmath.diff of the loss (high-precision numerical differentiation), checked to 40 digits "
        "against the closed forms d/dx_t FL = -alpha_t (1-p)^gamma [(1-p) + gamma*p*CE] and d/dx_t FL* = "
        "-alpha_t sigmoid(-(gamma*x_t + beta)), times dx_t/dx = +-1. For |x| >= 100 these agree with the float64 "
        "limits: e.g. t = 1, x = -1e4: CE = 1e4 + log1p(e^-1e4) = 1e4, (1-p)^gamma = 1 - O(e^-1e4), FL = "
        "alpha*1e4, grad = -alpha*(1 + gamma*p*CE) = -alpha since p*CE = 1e4*e^-1e4. grad is d(reduced loss)/"
        "d(logits); for reduction none, of the sum. Compare in float32 with |got-want| <= 1e-6 + 1e-4*|want|."
    )
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "extremes.json")
    with open(out, "w") as fh:
        json.dump({"about": about, "cases": cases}, fh, indent=1)
        fh.write("\n")


if __name__ == "__main__":
    main()

"""Train lesson 11's small transformer; write data/transformer.npz and data/transformer_seeds.json.

    python data/make_transformer.py          # from the repository root; about a minute per seed

It needs PyTorch (CPU): `pip install torch==2.13.0`. Each seed trains from scratch with one CPU
thread, deterministically (torch.manual_seed and a numpy Generator, both from the seed). The
weights of SHIPPED_SEED go to the npz; every seed's head scores, losses and knockout losses go to
the JSON, so that the lesson's claims can be checked on every seed, not only the shipped one.
`--seeds`, `--steps`, `--positional` and `--out-dir` change the run (see --help).

The model (its numpy twin is helpers/transformer.py, which must stay in step with it):
- one token per character of helpers.transformer.VOCAB; a row of W_E is the token's vector aⁱ, to
  which the positional vector eⁱ is added: learned by default (a sinusoidal eⁱ from
  helpers.positional with --positional sinusoidal; measured here, it gave only blurred
  previous-token heads, weight spread over a^{i}…a^{i−3}, in every seed tried);
- N_LAYERS layers, each = multi-head causal self-attention (separate W_q, W_k, W_v, W_o, no
  biases), then a fully-connected layer (ReLU), each sublayer followed by residual + LayerNorm:
  post-LN, as in Vaswani et al. 2017 and the lecture's figure;
- a final linear unembedding W_U, b_U: one logit per character.
Training data: helpers.transformer.training_ids (text that repeats itself, generated, no files).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, sys.path[0] is data/; the repository's own helpers must win over an installed
# copy.
if sys.path[:1] != [str(ROOT)]:
    sys.path.insert(0, str(ROOT))

from helpers import transformer as T  # noqa: E402
from helpers.positional import sinusoidal_encoding  # noqa: E402

N_LAYERS, N_HEADS, D_MODEL, D_FF, MAX_LEN = 2, 4, 64, 256, 64
STEPS, BATCH, LR, WARMUP = 2000, 32, 2e-3, 200
SEEDS = (0, 1, 2)
SHIPPED_SEED = 0


class Block(nn.Module):
    """One layer: causal multi-head self-attention, then the fully-connected layer (post-LN)."""

    def __init__(self, d_model: int, n_heads: int, d_ff: int):
        super().__init__()
        self.n_heads, self.d_k = n_heads, d_model // n_heads
        # Rows are tokens, X @ W (the lecture's q = W^q a, transposed): the npz's layout as it is.
        std = d_model**-0.5
        self.W_q, self.W_k, self.W_v, self.W_o = (
            nn.Parameter(torch.randn(d_model, d_model) * std) for _ in range(4)
        )
        self.ln1 = nn.LayerNorm(d_model)
        self.W_1 = nn.Parameter(torch.randn(d_model, d_ff) * std)
        self.b_1 = nn.Parameter(torch.zeros(d_ff))
        self.W_2 = nn.Parameter(torch.randn(d_ff, d_model) * d_ff**-0.5)
        self.b_2 = nn.Parameter(torch.zeros(d_model))
        self.ln2 = nn.LayerNorm(d_model)

    def forward(self, X: torch.Tensor, knockout_head: int | None = None):
        """X (b, n, d_model) → (X (b, n, d_model), alpha_prime (b, n_heads, n, n))."""
        b, n, _ = X.shape  # batch, tokens, d_model

        def heads(M):  # (b, n, d_model) → (b, n_heads, n, d_k): head h takes columns h·d_k …
            return M.view(b, n, self.n_heads, self.d_k).transpose(1, 2)

        Q, K, V = heads(X @ self.W_q), heads(X @ self.W_k), heads(X @ self.W_v)
        alpha = Q @ K.transpose(-1, -2) / self.d_k**0.5  # (b, h, n, n): queries × keys
        mask = torch.ones(n, n, dtype=torch.bool).tril()  # True where a query may attend
        alpha_prime = alpha.masked_fill(~mask, float("-inf")).softmax(dim=-1)
        B = alpha_prime @ V  # (b, h, n, d_k): b^{i,h}
        if knockout_head is not None:
            B = B.clone()
            B[:, knockout_head] = 0
        B = B.transpose(1, 2).reshape(b, n, -1) @ self.W_o  # concatenate the heads, mix by W_o
        X = self.ln1(X + B)
        X = self.ln2(X + torch.relu(X @ self.W_1 + self.b_1) @ self.W_2 + self.b_2)
        return X, alpha_prime


class Transformer(nn.Module):
    """Token + positional vectors, N_LAYERS Blocks, a linear unembedding."""

    def __init__(
        self,
        *,
        d_model=D_MODEL,
        n_heads=N_HEADS,
        n_layers=N_LAYERS,
        d_ff=D_FF,
        max_len=MAX_LEN,
        positional="learned",
    ):
        super().__init__()
        if positional not in ("learned", "sinusoidal"):
            raise ValueError(f"positional must be 'learned' or 'sinusoidal'; got {positional!r}")
        self.max_len, self.positional = max_len, positional
        vocab = len(T.VOCAB)
        self.W_E = nn.Parameter(torch.randn(vocab, d_model))
        if positional == "learned":
            self.e = nn.Parameter(torch.randn(max_len, d_model))
        else:
            e = sinusoidal_encoding(max_len, d_model).astype(np.float32)
            self.register_buffer("e", torch.from_numpy(e))
        self.layers = nn.ModuleList(Block(d_model, n_heads, d_ff) for _ in range(n_layers))
        self.W_U = nn.Parameter(torch.randn(d_model, vocab) * d_model**-0.5)
        self.b_U = nn.Parameter(torch.zeros(vocab))

    def forward(self, ids: torch.Tensor, knockout=None, *, with_alpha: bool = True):
        """ids (b, n) → (logits (b, n, vocab), alpha_prime (b, n_layers, n_heads, n, n) or None).

        knockout: None or (layer, head) counted from 1, as in helpers.transformer.run.
        """
        X = self.W_E[ids] + self.e[: ids.shape[1]]  # (b, n, d_model): aⁱ + eⁱ
        alpha_primes = []
        for index, block in enumerate(self.layers):
            head = knockout[1] - 1 if knockout is not None and knockout[0] - 1 == index else None
            X, alpha_prime = block(X, head)
            alpha_primes.append(alpha_prime)
        logits = X @ self.W_U + self.b_U
        # Stacking every α′ copies them all: training asks for the logits alone.
        return logits, torch.stack(alpha_primes, dim=1) if with_alpha else None


# The npz's names (helpers.transformer.LAYER_KEYS) → the torch parameter names in one Block.
_BLOCK_NAMES = {
    "W_q": "W_q", "W_k": "W_k", "W_v": "W_v", "W_o": "W_o",
    "ln1.gain": "ln1.weight", "ln1.bias": "ln1.bias",
    "mlp.W_1": "W_1", "mlp.b_1": "b_1", "mlp.W_2": "W_2", "mlp.b_2": "b_2",
    "ln2.gain": "ln2.weight", "ln2.bias": "ln2.bias",
}  # fmt: skip


def _name_map(model: Transformer) -> dict[str, str]:
    names = {"embed.W_E": "W_E", "unembed.W_U": "W_U", "unembed.b_U": "b_U"}
    if model.positional == "learned":
        names["embed.e"] = "e"
    for index in range(len(model.layers)):
        names.update(
            {f"layer{index + 1}.{k}": f"layers.{index}.{v}" for k, v in _BLOCK_NAMES.items()}
        )
    return names


def to_arrays(model: Transformer) -> dict[str, np.ndarray]:
    """The model as the npz's flat, named float32 arrays plus its config entries."""
    params = dict(model.named_parameters())
    arrays = {k: params[v].detach().numpy().astype(np.float32) for k, v in _name_map(model).items()}
    block = model.layers[0]
    arrays.update({
        "config.n_layers": np.array(len(model.layers)),
        "config.n_heads": np.array(block.n_heads),
        "config.d_model": np.array(block.W_q.shape[0]),
        "config.d_ff": np.array(block.W_1.shape[1]),
        "config.max_len": np.array(model.max_len),
        "config.vocab": np.array(T.VOCAB),
        "config.positional": np.array(model.positional),
    })  # fmt: skip
    return arrays


def from_arrays(arrays) -> Transformer:
    """A torch Transformer holding the npz's weights (tests/test_transformer.py uses it)."""
    cfg = T.model_from_arrays(arrays)["config"]  # validates names, shapes and config
    model = Transformer(
        d_model=cfg["d_model"],
        n_heads=cfg["n_heads"],
        n_layers=cfg["n_layers"],
        d_ff=cfg["d_ff"],
        max_len=cfg["max_len"],
        positional=cfg["positional"],
    )
    params = dict(model.named_parameters())
    with torch.no_grad():
        for k, v in _name_map(model).items():
            params[v].copy_(torch.from_numpy(np.asarray(arrays[k], dtype=np.float32)))
    return model


def train(seed: int, steps: int = STEPS, *, positional: str = "learned", log_every: int = 0):
    """Train one model from scratch. Returns (model, mean training loss of the last 100 steps)."""
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    model = Transformer(positional=positional)
    opt = torch.optim.Adam(model.parameters(), lr=LR)
    # A linear warm-up: post-LN transformers diverge under the full learning rate from step 1.
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / WARMUP))
    recent = []
    for step in range(steps):
        ids = torch.from_numpy(T.training_ids(rng, BATCH, MAX_LEN + 1))
        logits, _ = model(ids[:, :-1], with_alpha=False)  # position i predicts character i + 1
        loss = nn.functional.cross_entropy(
            logits.reshape(-1, logits.shape[-1]), ids[:, 1:].reshape(-1)
        )
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        recent = (recent + [loss.item()])[-100:]
        if log_every and (step + 1) % log_every == 0:
            print(f"  seed {seed}, step {step + 1}: loss {np.mean(recent):.3f}", flush=True)
    return model, float(np.mean(recent))


def evaluate(model: Transformer) -> dict:
    """Head scores, named heads and knockout losses, measured by helpers.transformer (numpy)."""
    np_model = T.model_from_arrays(to_arrays(model))
    scores = T.head_scores(np_model)
    knock = T.knockout_losses(np_model)

    def table(a):
        return np.round(a, 4).tolist()

    texts = []
    for text in T.EXAMPLE_TEXTS:
        nll = T.token_losses(np_model, text)  # (n − 1,): the first half, then the second
        half = (nll.size + 1) // 2
        texts.append(
            {
                "text": text,
                "first_half_loss": round(float(nll[:half].mean()), 4),
                "second_half_loss": round(float(nll[half:].mean()), 4),
            }
        )

    return {
        "previous_token_score": table(scores["previous_token"]),
        "two_back_score": table(scores["two_back"]),
        "induction_score": table(scores["induction"]),
        "named_heads": {k: [list(h) for h in v] for k, v in T.named_heads(scores).items()},
        "repeat_loss": round(knock["intact"], 4),
        "knockout_repeat_loss": table(knock["knockout"]),
        "example_texts": texts,
    }


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=list(SEEDS))
    parser.add_argument("--steps", type=int, default=STEPS)
    parser.add_argument("--positional", choices=["learned", "sinusoidal"], default="learned")
    parser.add_argument("--out-dir", type=Path, default=ROOT / "data")
    args = parser.parse_args(argv)
    torch.set_num_threads(1)  # deterministic, and polite on a shared machine
    npz_path, json_path = args.out_dir / "transformer.npz", args.out_dir / "transformer_seeds.json"
    report = {
        "what": "lesson 11's transformer, one entry per seed trained by data/make_transformer.py. "
                "Score and loss tables: rows = layers 1, 2, …, columns = heads 1, 2, … "
                "(helpers.transformer.head_scores and knockout_losses); named heads are "
                "[layer, head] counted from 1, named with the thresholds below.",
        "thresholds": {"previous_token": T.PREVIOUS_TOKEN_THRESHOLD,
                       "two_back": T.PREVIOUS_TOKEN_THRESHOLD,
                       "induction": T.INDUCTION_THRESHOLD},
        "config": {"n_layers": N_LAYERS, "n_heads": N_HEADS, "d_model": D_MODEL, "d_ff": D_FF,
                   "max_len": MAX_LEN, "vocab": T.VOCAB, "positional": args.positional,
                   "steps": args.steps, "batch": BATCH, "lr": LR, "warmup": WARMUP},
        "shipped_seed": SHIPPED_SEED if SHIPPED_SEED in args.seeds else args.seeds[0],
        "seeds": [],
    }  # fmt: skip
    total = time.perf_counter()
    for seed in args.seeds:
        start, start_cpu = time.perf_counter(), time.process_time()
        model, train_loss = train(seed, args.steps, positional=args.positional, log_every=500)
        seconds = time.perf_counter() - start
        # CPU seconds are what a run costs on a quiet core; wall seconds grow with the
        # machine's load.
        entry = {
            "seed": seed,
            "train_loss": round(train_loss, 4),
            "train_seconds": round(seconds, 1),
            "train_cpu_seconds": round(time.process_time() - start_cpu, 1),
        }
        entry.update(evaluate(model))
        report["seeds"].append(entry)
        print(
            f"seed {seed}: {seconds:.0f} s ({entry['train_cpu_seconds']:.0f} s CPU), train loss "
            f"{train_loss:.3f}, repeat loss "
            f"{entry['repeat_loss']:.3f}, named heads {entry['named_heads']}",
            flush=True,
        )
        if seed == report["shipped_seed"]:
            np.savez(npz_path, **to_arrays(model))
    report["total_seconds"] = round(time.perf_counter() - total, 1)
    report["total_cpu_seconds"] = round(time.process_time(), 1)
    json_path.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    print(
        f"wrote {npz_path} ({npz_path.stat().st_size / 1e6:.2f} MB) and {json_path} "
        f"in {report['total_seconds']:.0f} s"
    )


if __name__ == "__main__":
    main()

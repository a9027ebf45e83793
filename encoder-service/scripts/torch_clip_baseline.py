#!/usr/bin/python3
"""PyTorch eager baseline for the encoder benchmark: CLIP ViT-B/32 as a Python user runs it.

Builds the architecture of devkit's VitB32ClipFixture with the same sizes and operations, random
weights (the speed of a forward pass does not depend on the values):
  vision: 32x32 patch convolution of a 224x224 image -> 49 patches + class token, positions,
          pre-LN, 12 pre-LN layers (width 768, 12 heads, MLP 3072, QuickGELU), post-LN on the class
          token, projection to 512;
  text:   49,408-token embedding, positions (up to 77), 12 causal pre-LN layers (width 512,
          8 heads, MLP 2048, QuickGELU), final LN, pooling at the end token, projection to 512.
The layers are written like OpenAI's CLIP (nn.MultiheadAttention, nn.Linear, nn.LayerNorm).

Times images/s and texts/s at batch 1, 8 and 32 in inference mode with the given number of
threads, texts at the given token length (the same as the Java side feeds), and prints one
`RESULT <name> <value>` line per figure, like EncoderBenchmark.

  /usr/bin/python3 encoder-service/scripts/torch_clip_baseline.py [--threads 2] [--tokens 12]
Needs Debian's python3-torch.
"""
import argparse
import time

import torch
from torch import nn

BATCHES = (1, 8, 32)


class QuickGELU(nn.Module):
    def forward(self, x):
        return x * torch.sigmoid(1.702 * x)


class Block(nn.Module):
    def __init__(self, width, heads):
        super().__init__()
        self.ln_1 = nn.LayerNorm(width)
        self.attn = nn.MultiheadAttention(width, heads)
        self.ln_2 = nn.LayerNorm(width)
        self.mlp = nn.Sequential(nn.Linear(width, 4 * width), QuickGELU(), nn.Linear(4 * width, width))

    def forward(self, x, mask=None):  # x: [sequence, batch, width], as in OpenAI's CLIP
        h = self.ln_1(x)
        x = x + self.attn(h, h, h, need_weights=False, attn_mask=mask)[0]
        return x + self.mlp(self.ln_2(x))


class Vision(nn.Module):
    def __init__(self, width=768, layers=12, heads=12, patch=32, size=224, embed=512):
        super().__init__()
        tokens = (size // patch) ** 2 + 1
        self.conv1 = nn.Conv2d(3, width, kernel_size=patch, stride=patch, bias=False)
        self.class_embedding = nn.Parameter(torch.randn(width) * 0.02)
        self.positional_embedding = nn.Parameter(torch.randn(tokens, width) * 0.02)
        self.ln_pre = nn.LayerNorm(width)
        self.blocks = nn.ModuleList(Block(width, heads) for _ in range(layers))
        self.ln_post = nn.LayerNorm(width)
        self.proj = nn.Parameter(torch.randn(width, embed) * 0.02)

    def forward(self, pixels):
        x = self.conv1(pixels).flatten(2).transpose(1, 2)  # [B, 49, width]
        cls = self.class_embedding.expand(x.shape[0], 1, -1)
        x = torch.cat([cls, x], dim=1) + self.positional_embedding
        x = self.ln_pre(x).transpose(0, 1)
        for block in self.blocks:
            x = block(x)
        return self.ln_post(x[0]) @ self.proj


class Text(nn.Module):
    def __init__(self, width=512, layers=12, heads=8, vocab=49408, context=77, embed=512):
        super().__init__()
        self.token_embedding = nn.Embedding(vocab, width)
        self.positional_embedding = nn.Parameter(torch.randn(context, width) * 0.01)
        self.blocks = nn.ModuleList(Block(width, heads) for _ in range(layers))
        self.ln_final = nn.LayerNorm(width)
        self.text_projection = nn.Parameter(torch.randn(width, embed) * 0.02)
        self.register_buffer("mask", torch.full((context, context), float("-inf")).triu(1))

    def forward(self, ids):
        length = ids.shape[1]
        x = (self.token_embedding(ids) + self.positional_embedding[:length]).transpose(0, 1)
        for block in self.blocks:
            x = block(x, self.mask[:length, :length])
        x = self.ln_final(x.transpose(0, 1))
        return x[torch.arange(x.shape[0]), ids.argmax(dim=-1)] @ self.text_projection


def rate(model, make_input, batch, seconds):
    inputs = make_input(batch)
    for _ in range(2):
        model(inputs)
    runs = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds or runs < 3:
        model(inputs)
        runs += 1
    return runs * batch / (time.perf_counter() - start)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--tokens", type=int, default=12, help="token length of the text rows")
    parser.add_argument("--seconds", type=float, default=5.0, help="timed run per figure")
    args = parser.parse_args()
    torch.manual_seed(32)
    torch.set_num_threads(args.threads)
    vision, text = Vision().eval(), Text().eval()

    def pixels(batch):
        return torch.randn(batch, 3, 224, 224)

    def ids(batch):
        # start token, random ids, end token (the largest id, where the pooling reads)
        row = torch.randint(1, 49000, (batch, args.tokens))
        row[:, 0], row[:, -1] = 49406, 49407
        return row

    print(f"PyTorch {torch.__version__} eager, {torch.get_num_threads()} threads, "
          f"texts of {args.tokens} tokens")
    with torch.inference_mode():
        for batch in BATCHES:
            images = rate(vision, pixels, batch, args.seconds)
            texts = rate(text, ids, batch, args.seconds)
            print(f"batch {batch:2d}: {images:7.1f} images/s {texts:7.1f} texts/s", flush=True)
            print(f"RESULT torch.images.b{batch} {images:.2f}")
            print(f"RESULT torch.texts.b{batch} {texts:.2f}", flush=True)


if __name__ == "__main__":
    main()

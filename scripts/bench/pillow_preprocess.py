#!/usr/bin/python3
"""Pillow baseline for the preprocessing benchmark: CLIP's image preprocessing as a Python user runs
it (what transformers' CLIPImageProcessor does with Pillow): decode, convert to RGB, bicubic resize
of the shorter side to 224, centre crop 224x224, scale to [0, 1], normalise with CLIP's mean and
std, channels first. For each file: ms/image, best of three ~1 s passes; then the mean over the
files, as `RESULT preprocess.pillow.ms <mean>` (the Java side prints the same for the same files).

  /usr/bin/python3 scripts/bench/pillow_preprocess.py testdata/images/*
Needs Debian's python3-pil and python3-numpy.
"""
import io
import sys
import time

import numpy as np
from PIL import Image

SIZE = 224
MEAN = np.array([0.48145466, 0.4578275, 0.40821073], dtype=np.float32)
STD = np.array([0.26862954, 0.26130258, 0.27577711], dtype=np.float32)


def preprocess(data):
    image = Image.open(io.BytesIO(data)).convert("RGB")
    w, h = image.size
    scale = SIZE / min(w, h)
    image = image.resize((max(SIZE, round(w * scale)), max(SIZE, round(h * scale))), Image.BICUBIC)
    w, h = image.size
    left, top = (w - SIZE) // 2, (h - SIZE) // 2
    image = image.crop((left, top, left + SIZE, top + SIZE))
    pixels = np.asarray(image, dtype=np.float32) / 255.0
    return ((pixels - MEAN) / STD).transpose(2, 0, 1)


def main(files):
    total = 0.0
    for path in sorted(files):
        with open(path, "rb") as f:
            data = f.read()
        best = float("inf")
        for _ in range(3):
            n, start = 0, time.perf_counter()
            while time.perf_counter() - start < 1.0 or n < 2:
                preprocess(data)
                n += 1
            best = min(best, (time.perf_counter() - start) * 1000 / n)
        print(f"preprocess {path.split('/')[-1]:24s} {best:8.2f} ms/image", flush=True)
        total += best
    print(f"RESULT preprocess.pillow.ms {total / len(files):.3f}")


if __name__ == "__main__":
    main(sys.argv[1:])

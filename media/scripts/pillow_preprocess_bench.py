#!/usr/bin/env python3
"""Pillow's side of media's PreprocessBenchmark: the same CLIP preprocessing on the same files.

Reads "group<TAB>path" lines (from a file, or stdin with "-"), then for each group decodes,
EXIF-transposes, converts to RGB, resizes the short side to 224 with bicubic, centre-crops
224x224 and normalises to planar float32, as transformers' CLIPImageProcessor does, and prints
"group<TAB>files<TAB>ms_per_image". The bytes are read once, before timing, as the Java side does.
"""
import io
import sys
import time
from collections import OrderedDict

import numpy as np
from PIL import Image, ImageOps

SIZE = 224
MEAN = np.array([0.48145466, 0.4578275, 0.40821073], dtype=np.float32)
STD = np.array([0.26862954, 0.26130258, 0.27577711], dtype=np.float32)


def preprocess(data):
    image = Image.open(io.BytesIO(data))
    image = ImageOps.exif_transpose(image).convert("RGB")
    width, height = image.size
    if width <= height:
        size = (SIZE, SIZE * height // width)
    else:
        size = (SIZE * width // height, SIZE)
    image = image.resize(size, Image.BICUBIC)
    left = (size[0] - SIZE) // 2
    top = (size[1] - SIZE) // 2
    image = image.crop((left, top, left + SIZE, top + SIZE))
    pixels = (np.asarray(image, dtype=np.float32) * np.float32(1 / 255) - MEAN) / STD
    return pixels.transpose(2, 0, 1).copy()


def time_group(blobs, min_seconds):
    for data in blobs:  # warm-up: first-use costs (imports, plugin lookup) are not per image
        preprocess(data)
    done = 0
    start = time.perf_counter()
    while True:
        for data in blobs:
            preprocess(data)
        done += len(blobs)
        elapsed = time.perf_counter() - start
        if elapsed >= min_seconds:
            return elapsed * 1000 / done


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: pillow_preprocess_bench.py LIST|- [min_seconds_per_group]")
    lines = sys.stdin if sys.argv[1] == "-" else open(sys.argv[1], encoding="utf-8")
    min_seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 2.0
    groups = OrderedDict()
    for line in lines:
        line = line.rstrip("\n")
        if line:
            group, path = line.split("\t", 1)
            with open(path, "rb") as f:
                groups.setdefault(group, []).append(f.read())
    for group, blobs in groups.items():
        print("%s\t%d\t%.3f" % (group, len(blobs), time_group(blobs, min_seconds)), flush=True)


if __name__ == "__main__":
    main()

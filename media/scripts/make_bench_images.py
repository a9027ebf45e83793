#!/usr/bin/env python3
"""Writes the extra images of media's PreprocessBenchmark into a folder, made with Pillow from the
shared photographs (testdata/images): a 12-megapixel JPEG (4000x3000, quality 90, 4:2:0), a CMYK
JPEG (Adobe, as Photoshop writes them) and a lossy WebP (quality 80). Generated, not committed.
"""
import os
import sys

from PIL import Image


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: make_bench_images.py PHOTOGRAPHS_DIR OUTPUT_DIR")
    photos, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    coffee = Image.open(os.path.join(photos, "coffee.png")).convert("RGB")
    astronaut = Image.open(os.path.join(photos, "astronaut.png")).convert("RGB")
    astronaut.resize((4000, 3000), Image.BICUBIC).save(
        os.path.join(out, "12mp.jpg"), quality=90, subsampling=2)
    coffee.convert("CMYK").save(os.path.join(out, "cmyk.jpg"), quality=90)
    coffee.save(os.path.join(out, "coffee.webp"), quality=80)


if __name__ == "__main__":
    main()

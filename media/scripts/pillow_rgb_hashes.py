#!/usr/bin/env python3
"""Pillow's decoded pixels of each image, as hashes: the golden file of media's PillowGoldenTest.

For every file given (or every file in a folder given), prints
"name<TAB>sha256 of the file<TAB>width<TAB>height<TAB>sha256 of the RGB bytes", where the RGB bytes
are what ImageOps.exif_transpose(image).convert("RGB").tobytes() gives: the decoding that the
platform's models were trained on. The file's own hash lets the test tell a changed input from a
changed decoder. Run with Debian's Pillow (python3-pil), whose libjpeg-turbo and libwebp are the
libraries media binds.
"""
import hashlib
import io
import os
import sys

import PIL
from PIL import Image, ImageOps, features


def rgb_of(data):
    image = Image.open(io.BytesIO(data))
    return ImageOps.exif_transpose(image).convert("RGB")


def paths_of(args):
    """The files given, and the files of each folder given, in name order."""
    paths = []
    for arg in args:
        if os.path.isdir(arg):
            paths += sorted(os.path.join(arg, n) for n in os.listdir(arg))
        else:
            paths.append(arg)
    return paths


def main():
    paths = paths_of(sys.argv[1:])
    print("# Pillow %s, libjpeg-turbo %s, libwebp %s"
          % (PIL.__version__, features.version("jpg"), features.version("webp")))
    for path in paths:
        with open(path, "rb") as f:
            data = f.read()
        rgb = rgb_of(data)
        print("%s\t%s\t%d\t%d\t%s" % (os.path.basename(path), hashlib.sha256(data).hexdigest(),
                                      rgb.width, rgb.height,
                                      hashlib.sha256(rgb.tobytes()).hexdigest()))


if __name__ == "__main__":
    main()

"""Rewrites jars in place with their entries stored, not deflated: xz then compresses the classes
across files, which makes the device bundle about half the size."""
import sys, zipfile, os
for src in sys.argv[1:]:
    tmp = src + '.tmp'
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(tmp, 'w', zipfile.ZIP_STORED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            item.compress_type = zipfile.ZIP_STORED
            zout.writestr(item, data)
    os.replace(tmp, src)

"""Full parse and write with pydicom: dcmread then save_as for every file of a list, in one process.

Usage: pydicom_parse_write.py LISTFILE OUTPUT_FOLDER
dcmread reads the whole file, pixel data included; save_as writes it back as read (write_like_original).
Prints one result line (DRAW-BENCH-RESULT {json}) with the time spent in the loop, excluding start-up and import.
"""
import json
import os
import sys
import time

import pydicom


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        files = [line.rstrip("\n") for line in f if line.strip()]
    out = sys.argv[2]
    checksum = 0
    start = time.perf_counter()
    for path in files:
        ds = pydicom.dcmread(path)
        checksum += len(ds.SOPInstanceUID)
        ds.save_as(os.path.join(out, os.path.basename(path)), write_like_original=True)
    elapsed = time.perf_counter() - start
    if checksum == 0:
        sys.exit("no SOP Instance UID read")
    print("DRAW-BENCH-RESULT " + json.dumps({"items": len(files), "workSeconds": elapsed}))


if __name__ == "__main__":
    main()

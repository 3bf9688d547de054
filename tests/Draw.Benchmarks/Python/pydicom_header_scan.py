"""Header scan with pydicom: dcmread(stop_before_pixels=True) over every file of a list, in one process.

Usage: pydicom_header_scan.py LISTFILE
Prints one result line (DRAW-BENCH-RESULT {json}) with the time spent in the loop, excluding start-up and import.
"""
import json
import sys
import time

import pydicom


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        files = [line.rstrip("\n") for line in f if line.strip()]
    checksum = 0
    start = time.perf_counter()
    for path in files:
        ds = pydicom.dcmread(path, stop_before_pixels=True)
        checksum += len(ds.SOPInstanceUID)
    elapsed = time.perf_counter() - start
    if checksum == 0:
        sys.exit("no SOP Instance UID read")
    print("DRAW-BENCH-RESULT " + json.dumps({"items": len(files), "workSeconds": elapsed}))


if __name__ == "__main__":
    main()

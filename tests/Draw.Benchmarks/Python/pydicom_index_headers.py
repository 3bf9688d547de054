"""Header indexing with pydicom: dcmread(stop_before_pixels=True) over every file of a list, collecting the fields
DRAW's index keeps for each instance (patient, study, series, instance), grouped by series in a dict.

Usage: pydicom_index_headers.py LISTFILE [PASSES]
Prints one result line (DRAW-BENCH-RESULT {json}) with the wall and CPU time spent in the loop, excluding start-up
and import;
with PASSES > 1 the loop runs that many times and only the last pass is timed.
"""
import json
import sys
import time

import pydicom

FIELDS = ["PatientID", "PatientName", "PatientBirthDate", "PatientSex", "StudyInstanceUID", "StudyDate", "StudyTime",
          "StudyID", "AccessionNumber", "StudyDescription", "SeriesInstanceUID", "Modality", "SeriesDescription",
          "ProtocolName", "BodyPartExamined", "SeriesDate", "SeriesNumber", "FrameOfReferenceUID", "SOPInstanceUID",
          "SOPClassUID", "InstanceNumber", "ImageType"]


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        files = [line.rstrip("\n") for line in f if line.strip()]
    passes = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    for _ in range(passes):
        series = {}
        start = time.perf_counter()
        cpu = time.process_time()
        for path in files:
            ds = pydicom.dcmread(path, stop_before_pixels=True)
            header = {name: str(ds.get(name, "")) for name in FIELDS}
            series.setdefault(header["SeriesInstanceUID"], []).append((path, header))
        elapsed = time.perf_counter() - start
        cpu = time.process_time() - cpu
    if not series:
        sys.exit("nothing read")
    print("DRAW-BENCH-RESULT " + json.dumps({"items": len(files), "workSeconds": elapsed, "cpuSeconds": cpu}))


if __name__ == "__main__":
    main()

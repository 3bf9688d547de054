"""De-identification with pydicom, as a site script would do it: for every file of a list, dcmread, blank or
replace the main identifying attributes of the PS3.15 basic profile, remove private elements, shift dates,
remap every instance UID through one dictionary (consistent across the files), and save_as under the new SOP
Instance UID.

Usage: pydicom_deidentify.py LISTFILE OUTPUT_FOLDER [PASSES]
Prints one result line (DRAW-BENCH-RESULT {json}) with the time spent in the loop, excluding start-up and import;
with PASSES > 1 the whole list is de-identified that many times, each pass into a new folder (the previous
one removed, outside the timing), and only the last is timed.
"""
import datetime
import json
import os
import shutil
import sys
import time
import uuid

import pydicom
from pydicom.tag import Tag

# Replaced with a pseudonym (D / Z in the basic profile).
REPLACE = {"PatientName": "DRAW-PSEUDO", "PatientID": "DRAW-PSEUDO"}
# Emptied (Z) or removed (X).
EMPTY = ["AccessionNumber", "StudyID", "ReferringPhysicianName", "PatientBirthDate", "StudyTime", "SeriesTime",
         "AcquisitionTime", "ContentTime"]
REMOVE = ["InstitutionName", "InstitutionAddress", "InstitutionalDepartmentName", "StationName", "OperatorsName",
          "PerformingPhysicianName", "PhysiciansOfRecord", "NameOfPhysiciansReadingStudy", "OtherPatientIDs",
          "OtherPatientNames", "PatientAddress", "PatientTelephoneNumbers", "PatientBirthName", "PatientMotherBirthName",
          "MilitaryRank", "EthnicGroup", "AdditionalPatientHistory", "PatientComments", "DeviceSerialNumber",
          "RequestAttributesSequence", "StudyDescription", "SeriesDescription", "ProtocolName", "ImageComments",
          "RequestingPhysician", "ReferencedPatientSequence", "ReferencedStudySequence"]
DATES = ["StudyDate", "SeriesDate", "AcquisitionDate", "ContentDate"]
# Instance UIDs (U in the profile): remapped; class and transfer syntax UIDs are kept.
KEEP_UIDS = {Tag("SOPClassUID"), Tag("ReferencedSOPClassUID"), Tag("TransferSyntaxUID"), Tag("MediaStorageSOPClassUID"),
             Tag("ImplementationClassUID"), Tag("CodingSchemeUID"), Tag("ContextGroupExtensionCreatorUID")}
SHIFT = datetime.timedelta(days=-1234)


def new_uid(uids, old):
    if old not in uids:
        uids[old] = "2.25." + str(uuid.uuid4().int)
    return uids[old]


def deidentify(ds, uids):
    ds.remove_private_tags()
    for keyword, value in REPLACE.items():
        if keyword in ds:
            setattr(ds, keyword, value)
    for keyword in EMPTY:
        if keyword in ds:
            setattr(ds, keyword, "")
    for keyword in REMOVE:
        if keyword in ds:
            delattr(ds, keyword)
    for keyword in DATES:
        value = ds.get(keyword)
        if value:
            shifted = datetime.datetime.strptime(str(value)[:8], "%Y%m%d") + SHIFT
            setattr(ds, keyword, shifted.strftime("%Y%m%d"))

    def remap(dataset, element):
        if element.VR == "UI" and element.tag not in KEEP_UIDS and element.value:
            if element.VM > 1:
                element.value = [new_uid(uids, str(v)) for v in element.value]
            else:
                element.value = new_uid(uids, str(element.value))

    ds.walk(remap)
    ds.PatientIdentityRemoved = "YES"
    ds.DeidentificationMethod = "pydicom script, PS3.15 basic profile (main attributes)"
    ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        files = [line.rstrip("\n") for line in f if line.strip()]
    uids = {}
    passes = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    for n in range(passes):
        out = sys.argv[2] if passes == 1 else os.path.join(sys.argv[2], "pass-%d" % n)
        os.makedirs(out, exist_ok=True)
        start = time.perf_counter()
        for path in files:
            ds = pydicom.dcmread(path)
            deidentify(ds, uids)
            ds.save_as(os.path.join(out, ds.SOPInstanceUID + ".dcm"), write_like_original=True)
        elapsed = time.perf_counter() - start
        if n < passes - 1:
            shutil.rmtree(out)
    print("DRAW-BENCH-RESULT " + json.dumps({"items": len(files), "workSeconds": elapsed}))


if __name__ == "__main__":
    main()

"""Helpers for testing code that uses rekog_versions, without AWS.

Stubber helpers build botocore ``Stubber`` expectations from this library's request
objects, and factories make realistic ARNs and descriptions (Stubber validates response
shapes, so short fake ARNs are refused).

>>> project_arn("cats")
'arn:aws:rekognition:us-east-1:111122223333:project/cats/1700000000000'
>>> version_arn("cats", "v1")
'arn:aws:rekognition:us-east-1:111122223333:project/cats/version/v1/1700000000001'

Importing this module does not import boto3.
"""

from __future__ import annotations

from rekog_versions.testing._emulator import LocalRekognition
from rekog_versions.testing._faults import Faults
from rekog_versions.testing._stubs import (
    ACCOUNT,
    REGION,
    project_arn,
    project_description,
    stub_create_project_version,
    stub_describe_project_versions,
    stub_describe_projects,
    version_arn,
    version_description,
)
from rekog_versions.testing._switches import FakeClock, fake_clock, set_testing

__all__ = [
    "ACCOUNT",
    "REGION",
    "FakeClock",
    "Faults",
    "LocalRekognition",
    "fake_clock",
    "project_arn",
    "project_description",
    "set_testing",
    "stub_create_project_version",
    "stub_describe_project_versions",
    "stub_describe_projects",
    "version_arn",
    "version_description",
]

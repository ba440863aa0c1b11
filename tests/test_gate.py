"""compare(), QualityGate and the gate command, on evaluation summaries of both shapes."""

from __future__ import annotations

import io
import json
from typing import TYPE_CHECKING, Any

import pytest

from emulated import moto_s3
from rekog_versions import ProjectVersion, ProjectVersionsClient, QualityGate
from rekog_versions.cli import main
from rekog_versions.gate import compare_summaries
from rekog_versions.results import EvaluationSummary
from rekog_versions.testing import (
    project_arn,
    stub_describe_project_versions,
    version_arn,
    version_description,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

    from botocore.stub import Stubber

PROJECT = project_arn("cats")
BUCKET = "out-bucket"
TEST_MANIFEST = {"Bucket": "data", "Name": "test.manifest"}


def _summary(f1: float, labels: dict[str, float], *, flat: bool) -> dict[str, Any]:
    """An evaluation summary file, in one of its two documented shapes."""
    metrics = {"Precision": round(f1 + 0.02, 3), "Recall": round(f1 - 0.02, 3), "F1Score": f1}
    return {
        "Version": 1,
        "EvaluationDetails": {"Labels": sorted(labels), "NumberOfTestingImages": 50},
        "AggregatedEvaluationResults": metrics if flat else {"Metrics": metrics},
        "LabelEvaluationResults": [
            {
                "Label": label,
                "NumberOfTestingImages": 10,
                "Metrics": {
                    "Threshold": 0.5,
                    "Precision": score,
                    "Recall": score,
                    "F1Score": score,
                },
            }
            for label, score in labels.items()
        ],
    }


class Versions:
    """Trained versions of one project: descriptions, and summary files in moto's S3."""

    def __init__(self, s3: Any) -> None:
        self.s3 = s3
        self.descriptions: dict[str, dict[str, Any]] = {}

    def add(
        self,
        name: str,
        f1: float,
        labels: dict[str, float],
        *,
        flat: bool = False,
        created: int = 0,
        testing: dict[str, Any] | None = None,
        status: str = "TRAINING_COMPLETED",
    ) -> str:
        arn = version_arn("cats", name, timestamp=1_800_000_000_000 + created)
        key = f"results/{name}/EvaluationResultSummary.json"
        description = version_description(arn, status=status, f1_score=f1)
        description["CreationTimestamp"] = 1_800_000_000 + created / 1000
        description["TestingDataResult"] = (
            testing
            if testing is not None
            else {"Input": {"Assets": [{"GroundTruthManifest": {"S3Object": TEST_MANIFEST}}]}}
        )
        if status == "TRAINING_COMPLETED":
            self.s3.put_object(
                Bucket=BUCKET, Key=key, Body=json.dumps(_summary(f1, labels, flat=flat)).encode()
            )
            description["EvaluationResult"] = {
                "F1Score": f1,
                "Summary": {"S3Object": {"Bucket": BUCKET, "Name": key}},
            }
        self.descriptions[name] = description
        return arn

    def version(self, name: str) -> ProjectVersion:
        return ProjectVersion.from_boto(self.descriptions[name])


@pytest.fixture
def versions(monkeypatch: pytest.MonkeyPatch) -> Iterator[Versions]:
    with moto_s3(monkeypatch, BUCKET) as s3:
        yield Versions(s3)


def _evaluation(versions: Versions, name: str) -> EvaluationSummary:
    return ProjectVersionsClient(object(), s3_client=versions.s3).evaluation(  # type: ignore[arg-type]
        versions.version(name)
    )


# -- compare ---------------------------------------------------------------------------


def test_compare_side_by_side_across_both_shapes(versions: Versions) -> None:
    """Aggregate and per-label deltas; labels on one side only are listed."""
    versions.add("v1", 0.80, {"cat": 0.9, "dog": 0.7, "fox": 0.5}, flat=True)
    versions.add("v2", 0.85, {"cat": 0.95, "dog": 0.6, "owl": 0.8})
    client = ProjectVersionsClient(object(), s3_client=versions.s3)  # type: ignore[arg-type]
    comparison = client.compare(versions.version("v2"), versions.version("v1"))
    assert comparison.comparable
    assert ((0.85, 0.80), 0.05) == (
        comparison.aggregate.f1_score,
        pytest.approx(comparison.aggregate.f1_delta),
    )
    assert (50, 50) == comparison.aggregate.testing_images
    assert ["cat", "dog"] == [item.label for item in comparison.per_label]
    assert [0.05, -0.1] == [pytest.approx(item.f1_delta) for item in comparison.per_label]
    assert (("owl",), ("fox",)) == (comparison.only_in_candidate, comparison.only_in_baseline)
    data = comparison.to_dict()
    assert {"candidate": 0.85, "baseline": 0.8, "delta": pytest.approx(0.05)} == data["aggregate"][
        "f1_score"
    ]
    json.dumps(data)  # JSON-ready


@pytest.mark.parametrize(
    ("testing", "reason"),
    [
        (
            {
                "Input": {
                    "Assets": [
                        {
                            "GroundTruthManifest": {
                                "S3Object": {"Bucket": "data", "Name": "other.manifest"}
                            }
                        }
                    ]
                }
            },
            "different test manifests: s3://data/other.manifest (candidate)",
        ),
        ({"Input": {"AutoCreate": True}}, "split automatically from the training data"),
        ({}, "no test manifest for at least one"),
    ],
)
def test_compare_says_when_figures_are_not_comparable(
    versions: Versions, testing: dict[str, Any], reason: str
) -> None:
    """A comparison says why two versions' figures are not comparable."""
    versions.add("v1", 0.8, {"cat": 0.8})
    versions.add("v2", 0.9, {"cat": 0.9}, testing=testing)
    v1, v2 = versions.version("v1"), versions.version("v2")
    comparison = compare_summaries(v2, _evaluation(versions, "v2"), v1, _evaluation(versions, "v1"))
    assert not comparison.comparable
    assert reason in (comparison.not_comparable or "")


# -- QualityGate -----------------------------------------------------------------------


def test_gate_names_every_failed_condition(versions: Versions) -> None:
    """The gate names every condition that failed, not only the first."""
    versions.add("v1", 0.90, {"cat": 0.9})
    versions.add("v2", 0.82, {"cat": 0.95, "dog": 0.6})
    v1, v2 = versions.version("v1"), versions.version("v2")
    summary = _evaluation(versions, "v2")
    comparison = compare_summaries(v2, summary, v1, _evaluation(versions, "v1"))
    result = QualityGate(min_f1=0.85, min_label_f1=0.7, max_f1_drop=0.05).check(
        v2, summary, comparison
    )
    assert not result.passed
    assert [
        "aggregate F1 0.820 is below the minimum 0.85",
        "label 'dog': F1 0.600 is below the minimum 0.7",
        "aggregate F1 fell by 0.080 from the baseline's 0.900 (at most 0.05)",
    ] == list(result.failures)
    assert QualityGate(min_f1=0.8, max_f1_drop=0.1).check(v2, summary, comparison).passed


def test_gate_with_unknown_scores_fails_rather_than_passes(versions: Versions) -> None:
    """Unknown F1 scores fail the gate's conditions instead of passing them."""
    versions.add("v1", 0.9, {"cat": 0.9})
    version = versions.version("v1")
    summary = _evaluation(versions, "v1")
    blank = EvaluationSummary(
        version=1,
        project_version_arn=None,
        evaluated_at=None,
        labels=(),
        training_images=None,
        testing_images=None,
        aggregate=summary.aggregate.__class__(
            precision=None,
            recall=None,
            f1_score=None,
            average_precision=None,
            average_recall=None,
            confusion_matrix=(),
        ),
        per_label=(
            summary.per_label[0].__class__(
                label="cat",
                testing_images=None,
                threshold=None,
                precision=None,
                recall=None,
                f1_score=None,
            ),
        ),
    )
    unknown = ProjectVersion.from_boto(
        version_description(version.arn, status="TRAINING_COMPLETED")
    )
    result = QualityGate(min_f1=0.5, min_label_f1=0.5).check(unknown, blank)
    assert [
        "aggregate F1 unknown is below the minimum 0.5",
        "label 'cat': F1 unknown is below the minimum 0.5",
    ] == list(result.failures)


@pytest.mark.parametrize("bad", [1.5, -0.1, float("nan"), "0.5", True])
def test_gate_bounds_are_fractions(bad: Any) -> None:
    """A gate bound outside 0 to 1, or not a number, is a ValueError."""
    with pytest.raises(ValueError, match="min_f1 must be between 0 and 1"):
        QualityGate(min_f1=bad)


def test_gate_drop_needs_a_comparison(versions: Versions) -> None:
    """max_f1_drop without a comparison is a ValueError."""
    versions.add("v1", 0.9, {"cat": 0.9})
    with pytest.raises(ValueError, match="max_f1_drop compares with a baseline"):
        QualityGate(max_f1_drop=0.1).check(versions.version("v1"), _evaluation(versions, "v1"))


def test_markdown_is_a_table_and_escapes_labels(versions: Versions) -> None:
    """The Markdown verdict is a table whose labels are escaped."""
    versions.add("v1", 0.9, {"a|b": 0.9, "c*d": 0.8})
    versions.add("v2", 0.7, {"a|b": 0.7})
    v1, v2 = versions.version("v1"), versions.version("v2")
    summary = _evaluation(versions, "v2")
    comparison = compare_summaries(v2, summary, v1, _evaluation(versions, "v1"))
    text = QualityGate(min_f1=0.8).check(v2, summary, comparison).to_markdown()
    lines = text.splitlines()
    assert lines[0].startswith("### Quality gate ❌ failed: `v2`")
    assert "- aggregate F1 0.700 is below the minimum 0.8" in lines
    assert "- labels only the baseline has: c\\*d" in lines
    header = lines.index(
        "| label | images | threshold | precision | recall | F1 | baseline F1 | Δ F1 |"
    )
    assert "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |" == lines[header + 1]
    assert "| a\\|b | 10 | 0.500 | 0.700 | 0.700 | 0.700 | 0.900 | -0.200 |" == lines[header + 2]
    assert lines[-1].startswith("| (all labels) | 50 |  |")
    assert all(line.count("|") - line.count("\\|") == 9 for line in lines[header:])


@pytest.mark.parametrize(
    "label", ["cat\n| injected | row |", "cat\r\n## heading", "tab\there", "nul\x00"]
)
def test_markdown_keeps_a_label_with_a_line_break_in_its_cell(
    versions: Versions, label: str
) -> None:
    """A label with a line break or a control character stays in its cell, shown escaped."""
    versions.add("v1", 0.7, {label: 0.7, "dog": 0.9})
    v1 = versions.version("v1")
    text = QualityGate(min_label_f1=0.8).check(v1, _evaluation(versions, "v1")).to_markdown()
    lines = text.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("| label |"))
    assert 2 + 3 == len(lines) - header  # header, rule, two labels, the aggregate
    assert all(line.startswith("| ") for line in lines[header:])
    assert not any(line.startswith(("## ", "| injected")) for line in lines)
    assert not any(char in text for char in "\r\t\x00")


# -- the gate command ------------------------------------------------------------------


def _gate(rekognition: Any, versions: Versions, *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(
        ["gate", *argv, "--project-arn", PROJECT],
        rekognition=rekognition,
        s3=versions.s3,
        stdout=out,
        stderr=err,
    )
    return code, out.getvalue(), err.getvalue()


def _stub_one(stubber: Stubber, versions: Versions, name: str) -> None:
    stub_describe_project_versions(stubber, PROJECT, [name], [versions.descriptions[name]])


def test_gate_command_passes_and_fails(
    rekognition: tuple[Any, Stubber], versions: Versions
) -> None:
    """gate exits 0 when every condition holds and 7 naming each that fails."""
    client, stubber = rekognition
    candidate = versions.add("v2", 0.82, {"cat": 0.9, "dog": 0.6})
    _stub_one(stubber, versions, "v2")
    code, out, err = _gate(client, versions, candidate, "--min-f1", "0.8")
    assert (0, True) == (code, json.loads(out)["passed"]), err
    _stub_one(stubber, versions, "v2")
    code, out, _ = _gate(client, versions, candidate, "--min-label-f1", "0.7", "--output", "text")
    assert 7 == code
    assert out.startswith(
        f"FAILED: {candidate}\n  - label 'dog': F1 0.600 is below the minimum 0.7"
    )


@pytest.mark.parametrize(
    ("status", "code", "said"),
    [
        ("TRAINING_FAILED", 3, "its training failed"),
        ("TRAINING_IN_PROGRESS", 75, "it is still training (TRAINING_IN_PROGRESS)"),
        ("DELETING", 6, "the version is being deleted"),
    ],
    ids=["failed", "training", "deleting"],
)
def test_a_version_without_results_cannot_be_judged(
    rekognition: tuple[Any, Stubber], versions: Versions, status: str, code: int, said: str
) -> None:
    """gate and evaluation of an untrained version exit with its code, saying why (not 1)."""
    client, stubber = rekognition
    candidate = versions.add("v2", 0.82, {"cat": 0.9}, status=status)
    _stub_one(stubber, versions, "v2")
    exit_code, out, err = _gate(client, versions, candidate, "--min-f1", "0.8")
    assert (code, "") == (exit_code, out)
    assert f"gate: cannot judge {candidate}: {said}" in err
    _stub_one(stubber, versions, "v2")
    printed, errors = io.StringIO(), io.StringIO()
    exit_code = main(
        ["evaluation", candidate, "--project-arn", PROJECT],
        rekognition=client,
        s3=versions.s3,
        stdout=printed,
        stderr=errors,
    )
    assert (code, "") == (exit_code, printed.getvalue())
    assert f"evaluation: cannot judge {candidate}: {said}" in errors.getvalue()


def test_gate_against_the_latest_trained_version(
    rekognition: tuple[Any, Stubber], versions: Versions
) -> None:
    """latest: the newest other version whose training succeeded (not a failed one)."""
    client, stubber = rekognition
    versions.add("v1", 0.95, {"cat": 0.95}, created=1)
    versions.add("v2", 0.90, {"cat": 0.90}, created=2)
    versions.add("v3", 0.10, {}, created=3, status="TRAINING_FAILED")
    candidate = versions.add("v4", 0.84, {"cat": 0.84}, created=4)
    _stub_one(stubber, versions, "v4")
    stubber.add_response(
        "describe_project_versions",
        {"ProjectVersionDescriptions": list(versions.descriptions.values())},
        {"ProjectArn": PROJECT},
    )
    code, out, err = _gate(
        client,
        versions,
        candidate,
        "--baseline",
        "latest",
        "--max-f1-drop",
        "0.05",
        "--output",
        "markdown",
    )
    assert 7 == code
    assert f"baseline: {versions.version('v2').arn}" in err
    assert "- aggregate F1 fell by 0.060 from the baseline's 0.900 (at most 0.05)" in out
    assert "| (all labels) | 50 |  | 0.860 | 0.820 | 0.840 | 0.900 | -0.060 |" in out


def test_gate_latest_without_another_trained_version(
    rekognition: tuple[Any, Stubber], versions: Versions
) -> None:
    """gate --baseline latest on a first version says nothing was compared."""
    client, stubber = rekognition
    candidate = versions.add("v1", 0.9, {"cat": 0.9})
    _stub_one(stubber, versions, "v1")
    stubber.add_response(
        "describe_project_versions",
        {"ProjectVersionDescriptions": [versions.descriptions["v1"]]},
        {"ProjectArn": PROJECT},
    )
    argv = ["--baseline", "latest", "--min-f1", "0.5", "--max-f1-drop", "0.01"]
    code, out, err = _gate(client, versions, candidate, *argv, "--output", "text")
    assert 0 == code, err  # the project's first trained version: judged on its own
    assert (
        "--baseline latest: no other version of the project finished training, so nothing "
        "was compared and --max-f1-drop was not checked"
    ) in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ([], "give at least one of --min-f1, --min-label-f1, --max-f1-drop"),
        (["--max-f1-drop", "0.1"], "--max-f1-drop compares with a baseline: give --baseline"),
        (["--min-f1", "1.5"], "expected a number from 0 to 1, got '1.5'"),
        (["--min-f1", "high"], "expected a number from 0 to 1, got 'high'"),
        (["--min-f1", "0.5", "--min-f1", "0.6"], "--min-f1 was given twice"),
    ],
)
def test_gate_command_bad_input_exits_2(
    rekognition: tuple[Any, Stubber],
    versions: Versions,
    argv: list[str],
    message: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """gate refuses bad conditions with exit 2 before any call."""
    client, _ = rekognition  # nothing is called: the Stubber has no answers
    code, out, err = _gate(client, versions, version_arn("cats", "v1"), *argv)
    assert (2, "") == (code, out)
    assert message in err + capsys.readouterr().err  # argparse's own errors go to sys.stderr


def test_markdown_output_is_for_gate_only() -> None:
    """--output markdown with another command exits 2."""
    out, err = io.StringIO(), io.StringIO()
    code = main(
        ["describe", version_arn("cats", "v1"), "--output", "markdown"], stdout=out, stderr=err
    )
    assert (2, "") == (code, out.getvalue())
    assert "--output markdown is for gate, not describe" in err.getvalue()

"""The pipeline recipes of the docs (examples/pipeline/), run against the emulator.

The Step Functions definition runs through a small interpreter of the states it uses
(Task with lambda:invoke, Choice, Wait, Succeed, Fail), with the state passed between
states as JSON only, as Step Functions passes it; the Lambda handler, the Airflow
callable and the cron script are the files the docs include.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from emulated import BUCKET, World
from manifest_lines import classification
from rekog_versions import TrainingFailedError

if TYPE_CHECKING:
    from collections.abc import Callable
    from types import ModuleType

BASH = shutil.which("bash") or "/bin/bash"
RECIPES = Path(__file__).resolve().parent.parent / "examples" / "pipeline"


def _load(name: str) -> ModuleType:
    """The recipe module, loaded afresh (its client reads the environment when used)."""
    spec = importlib.util.spec_from_file_location(f"recipe_{name}", RECIPES / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def emulated_env(world: World, monkeypatch: pytest.MonkeyPatch) -> World:
    """boto3 clients built from the environment reach the emulator (and moto's S3)."""
    monkeypatch.setenv("AWS_ENDPOINT_URL_REKOGNITION", world.local.endpoint_url)
    return world


def _path(data: Any, path: str) -> Any:
    assert path.startswith("$")
    for part in filter(None, path[1:].split(".")):
        data = data[part]
    return data


def _resolve(template: Any, data: Any) -> Any:
    if not isinstance(template, dict):
        return template
    return {
        key.removesuffix(".$"): _path(data, value) if key.endswith(".$") else _resolve(value, data)
        for key, value in template.items()
    }


def run_state_machine(
    definition: dict[str, Any],
    execution_input: dict[str, Any],
    invoke: Callable[[dict[str, Any]], dict[str, Any]],
) -> tuple[str, dict[str, Any], list[Any]]:
    """Run the definition; return the end (SUCCEEDED or the Fail state's Error), the
    last state, and what each Wait state was asked to wait."""
    name, data, waits = definition["StartAt"], execution_input, []
    for _ in range(500):
        state = definition["States"][name]
        data = json.loads(json.dumps(data))  # only JSON passes between states
        kind = state["Type"]
        if kind == "Succeed":
            return "SUCCEEDED", data, waits
        if kind == "Fail":
            return state["Error"], data, waits
        if kind == "Task":
            assert "arn:aws:states:::lambda:invoke" == state["Resource"]
            parameters = _resolve(state["Parameters"], data)
            assert "${TrainFunction}" == parameters["FunctionName"]
            result = _resolve(state["ResultSelector"], {"Payload": invoke(parameters["Payload"])})
            data[state["ResultPath"].removeprefix("$.")] = result
        elif kind == "Choice":
            chosen = [
                rule["Next"]
                for rule in state["Choices"]
                if _path(data, rule["Variable"]) == rule["StringEquals"]
            ]
            name = chosen[0] if chosen else state["Default"]
            continue
        elif kind == "Wait":
            waits.append(_path(data, state["SecondsPath"]))
            time.sleep(0.1)  # the emulator trains in 0.3 s: no need to wait the seconds asked
        name = state["Next"]
    pytest.fail("the state machine did not end")


def _request(world: World, manifest: str = "train.manifest") -> dict[str, Any]:
    project = world.rekognition().create_project(ProjectName="sfn")["ProjectArn"]
    return {
        "ProjectArn": project,
        "OutputConfig": {"S3Bucket": BUCKET, "S3KeyPrefix": "out/"},
        "TrainingData": {
            "Assets": [{"GroundTruthManifest": {"S3Object": {"Bucket": BUCKET, "Name": manifest}}}]
        },
        "TestingData": {"AutoCreate": True},
    }


#: A manifest whose training fails: every image has the same label.
ONE_LABEL = [classification(f"img{i}.jpg", "cat") for i in range(20)]


def _definition() -> dict[str, Any]:
    return json.loads((RECIPES / "state_machine.json").read_text())


def test_step_functions_loop_trains_to_success(emulated_env: World) -> None:
    """The Lambda and state machine recipe trains a version to success."""
    handler = _load("lambda_handler").handler
    end, data, waits = run_state_machine(
        _definition(), {"request": _request(emulated_env)}, lambda payload: handler(payload, None)
    )
    assert ("SUCCEEDED", "TRAINING_COMPLETED") == (end, data["poll"]["status"])
    assert "/version/v-" in data["version"]["arn"]  # named from its inputs
    assert waits
    assert all(isinstance(seconds, int) and seconds >= 1 for seconds in waits)


def test_step_functions_loop_ends_in_fail_with_the_reason(emulated_env: World) -> None:
    """The recipe's state machine fails with the training's reason."""
    emulated_env.put_manifest("one-label.manifest", ONE_LABEL)
    handler = _load("lambda_handler").handler
    end, data, _ = run_state_machine(
        _definition(),
        {"request": _request(emulated_env, "one-label.manifest")},
        lambda payload: handler(payload, None),
    )
    assert ("TrainingFailed", "failed", "TRAINING_FAILED") == (
        end,
        data["poll"]["outcome"],
        data["poll"]["status"],
    )
    assert "ERROR_MANIFEST_TOO_FEW_LABELS" in data["poll"]["status_message"]


def test_a_rerun_create_step_meets_the_same_version(emulated_env: World) -> None:
    """A Lambda retry of the create step: if_exists='reuse' and the automatic name."""
    handler = _load("lambda_handler").handler
    event = {"action": "create", "request": _request(emulated_env)}
    first = handler(event, None)["arn"]
    assert first == handler(event, None)["arn"]
    assert 1 == emulated_env.local.calls["CreateProjectVersion"] - 1  # the second one met it
    with pytest.raises(ValueError, match="unknown action 'train'"):
        handler({"action": "train"}, None)


def test_airflow_sensor_callable(emulated_env: World) -> None:
    """The Airflow sensor pokes False while training, then True."""
    emulated_env.local.training_seconds = 2  # the first poke comes before the end
    sensor = _load("airflow_sensor")
    lambda_handler = _load("lambda_handler").handler
    arn = lambda_handler({"action": "create", "request": _request(emulated_env)}, None)["arn"]
    pokes = [sensor.training_done(arn)]
    while not pokes[-1] and len(pokes) < 100:
        time.sleep(0.1)
        pokes.append(sensor.training_done(arn))
    assert (False, True) == (pokes[0], pokes[-1])


def test_airflow_sensor_fails_the_task_on_a_failed_training(emulated_env: World) -> None:
    """The Airflow sensor raises TrainingFailedError on a failed training."""
    emulated_env.put_manifest("one-label.manifest", ONE_LABEL)
    sensor = _load("airflow_sensor")
    request = _request(emulated_env, "one-label.manifest")
    arn = _load("lambda_handler").handler({"action": "create", "request": request}, None)["arn"]
    with pytest.raises(TrainingFailedError, match="ERROR_MANIFEST_TOO_FEW_LABELS"):  # noqa: PT012 - pokes until the end
        for _ in range(100):
            sensor.training_done(arn)
            time.sleep(0.05)


def test_cron_script_exits_75_then_0(emulated_env: World) -> None:
    """poll_once.sh, as cron runs it: the command on PATH, its exit codes passed on."""
    emulated_env.local.training_seconds = 4  # longer than a start of the command
    arn = _load("lambda_handler").handler(
        {"action": "create", "request": _request(emulated_env)}, None
    )["arn"]
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }

    def run() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [BASH, str(RECIPES / "poll_once.sh"), arn],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    first = run()
    assert 75 == first.returncode, first.stderr
    assert "TRAINING_IN_PROGRESS (in_progress)" in first.stdout
    assert "still training: this job will look again" in first.stdout
    done = run()
    deadline = time.monotonic() + 30
    while done.returncode == 75 and time.monotonic() < deadline:
        time.sleep(0.5)
        done = run()
    assert 0 == done.returncode, done.stderr
    assert "trained: run the quality gate next" in done.stdout

"""Follow a training from Apache Airflow without holding a worker slot for hours.

The callable of a ``PythonSensor`` in ``reschedule`` mode: each poke is one look (one
``DescribeProjectVersions``), and the slot is freed between pokes::

    from airflow.sensors.python import PythonSensor

    wait_for_training = PythonSensor(
        task_id="wait_for_training",
        python_callable=training_done,
        op_kwargs={"arn": "{{ ti.xcom_pull(task_ids='create_version') }}"},
        mode="reschedule",
        poke_interval=60,
        timeout=24 * 3600,
    )

A cron job or any other scheduler calls ``training_done`` the same way.
"""

from __future__ import annotations

from rekog_versions import ProjectVersionsClient

CLIENT = ProjectVersionsClient()


def training_done(arn: str) -> bool:
    """True once the training completed; False while it goes on.

    Raises:
        TrainingFailedError: The training failed (the message is the service's reason),
            which fails the Airflow task instead of poking until the timeout.
        UnexpectedStatusError: The version is in a status where no training happens.
    """
    result = CLIENT.poll(arn)
    result.raise_for_outcome()
    return result.done

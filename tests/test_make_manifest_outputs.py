"""make-manifest's outputs: nothing the user had is lost, and nothing is left behind.

A missing source, an empty result, a failed upload, a full disk, SIGTERM, and outputs
that are links, FIFOs or devices.
"""

from __future__ import annotations

import io
import json
import os
import resource
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from datasets_made import IMAGES, cli

from emulated import moto_s3
from rekog_versions.cli import main
from rekog_versions.datasets import LabeledImage, make_manifest

OLD = b"the manifest that was there before\n"
SCRIPT = Path(sys.executable).parent / "rekog-versions"


def labeled(count: int, label: str) -> list[LabeledImage]:
    """``count`` images of ``label``, in S3."""
    return [
        LabeledImage(source_ref=f"s3://bkt/{label}/{index}.jpg", labels=(label,))
        for index in range(count)
    ]


def left_behind(folder: Path) -> list[str]:
    """The files a run may leave beside its outputs, which none must."""
    return sorted(p.name for p in folder.iterdir() if p.name.endswith((".partial", ".previous")))


def csv_dataset(path: Path, rows: int) -> Path:
    """A CSV of ``rows`` images in S3, two labels taking turns."""
    path.write_text("".join(f"s3://bkt/{i}.jpg,{('cat', 'dog')[i % 2]}\n" for i in range(rows)))
    return path


# -- a source that is not there, an empty result (items 14, 15) ----------------------


def test_a_mistyped_local_source_writes_nothing(tmp_path: Path) -> None:
    """A VOC folder that does not exist is exit 2 naming it; the manifest is as it was."""
    manifest = tmp_path / "m.manifest"
    manifest.write_bytes(OLD)
    code, _, err = cli(
        "make-manifest", "voc", str(tmp_path / "Anotations"), "--images-uri", IMAGES,
        "--manifest", str(manifest),
    )  # fmt: skip
    assert 2 == code
    assert "no such folder" in err
    assert "Anotations" in err
    assert OLD == manifest.read_bytes()


def test_a_mistyped_s3_prefix_writes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    """An S3 prefix that lists no objects is exit 2 naming it; the S3 manifest stays."""
    with moto_s3(monkeypatch, "bkt") as s3:
        s3.put_object(Bucket="bkt", Key="data/cat/1.jpg", Body=b"x")
        s3.put_object(Bucket="bkt", Key="m.manifest", Body=OLD)
        code, _, err = main_with_s3(
            s3, "make-manifest", "folders", "s3://bkt/dta/", "--manifest", "s3://bkt/m.manifest"
        )
        assert 2 == code
        assert "s3://bkt/dta/ lists no objects" in err
        assert OLD == s3.get_object(Bucket="bkt", Key="m.manifest")["Body"].read()


def main_with_s3(s3: Any, *argv: str) -> tuple[int, str, str]:
    """Run the command line with ``s3`` as its S3 client."""
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), s3=s3, stdin=io.StringIO(), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_a_run_that_skips_every_image_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every image skipped: no empty manifest over the old one, locally or on S3."""
    source = tmp_path / "relative.csv"
    source.write_text("a.jpg,cat\nb.jpg,dog\n")  # relative paths and no --images-uri
    manifest = tmp_path / "m.manifest"
    manifest.write_bytes(OLD)
    code, _, err = cli("make-manifest", "csv", str(source), "--manifest", str(manifest))
    assert 2 == code
    assert "every image was skipped, so nothing was written" in err
    assert "a.jpg" in err  # the first reasons, to act on
    assert OLD == manifest.read_bytes()
    with moto_s3(monkeypatch, "bkt") as s3:
        s3.put_object(Bucket="bkt", Key="m.manifest", Body=OLD)
        code, _, _ = main_with_s3(
            s3, "make-manifest", "csv", str(source), "--manifest", "s3://bkt/m.manifest"
        )
        assert 2 == code
        assert OLD == s3.get_object(Bucket="bkt", Key="m.manifest")["Body"].read()
    assert [] == left_behind(tmp_path)


# -- both outputs or neither (item 16) ------------------------------------------------


def test_a_failed_upload_leaves_the_local_manifest_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The training manifest to a bucket that is not there: the local test manifest stays."""
    testing = tmp_path / "test.manifest"
    testing.write_bytes(OLD)
    with moto_s3(monkeypatch, "bkt") as s3, pytest.raises(Exception, match="NoSuchBucket"):
        make_manifest(
            labeled(6, "cat") + labeled(6, "dog"),
            "s3://no-such-bucket/train.manifest",
            test_output=testing,
            s3_client=s3,
        )
    assert OLD == testing.read_bytes()
    assert [] == left_behind(tmp_path)


def test_a_failed_second_upload_puts_the_first_back(monkeypatch: pytest.MonkeyPatch) -> None:
    """Both on S3, the testing one fails: the training object holds its old body again."""
    with moto_s3(monkeypatch, "bkt") as s3:
        s3.put_object(Bucket="bkt", Key="train.manifest", Body=OLD)
        with pytest.raises(Exception, match="NoSuchBucket"):
            make_manifest(
                labeled(6, "cat") + labeled(6, "dog"),
                "s3://bkt/train.manifest",
                test_output="s3://no-such-bucket/test.manifest",
                s3_client=s3,
            )
        assert OLD == s3.get_object(Bucket="bkt", Key="train.manifest")["Body"].read()
        with pytest.raises(Exception, match="NoSuchBucket"):
            make_manifest(
                labeled(6, "cat") + labeled(6, "dog"),
                "s3://bkt/new.manifest",
                test_output="s3://no-such-bucket/test.manifest",
                s3_client=s3,
            )
        listed = s3.list_objects_v2(Bucket="bkt").get("Contents", [])
        assert ["train.manifest"] == [item["Key"] for item in listed]  # new.manifest removed


def test_a_failed_upload_after_a_local_one_is_undone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The local training manifest is replaced only when the S3 testing one is written."""
    training = tmp_path / "train.manifest"
    training.write_bytes(OLD)
    with moto_s3(monkeypatch, "bkt") as s3, pytest.raises(Exception, match="NoSuchBucket"):
        make_manifest(
            labeled(6, "cat") + labeled(6, "dog"),
            training,
            test_output="s3://no-such-bucket/test.manifest",
            s3_client=s3,
        )
    assert OLD == training.read_bytes()
    assert [] == left_behind(tmp_path)


# -- a full disk (item 17) --------------------------------------------------------------


def _small_files() -> None:
    """In the child: files of at most 4 KB; writing more fails (EFBIG), as a full disk."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))


@pytest.mark.skipif(not SCRIPT.exists(), reason="the console script is not installed")
def test_a_full_disk_removes_what_it_wrote_and_is_not_bad_input(tmp_path: Path) -> None:
    """A write that fails for want of room: exit 1 naming the manifest, nothing left."""
    source = csv_dataset(tmp_path / "d.csv", 400)
    manifest = tmp_path / "m.manifest"
    manifest.write_bytes(OLD)
    done = subprocess.run(
        [str(SCRIPT), "make-manifest", "csv", str(source), "--manifest", str(manifest)],
        capture_output=True,
        text=True,
        check=False,
        preexec_fn=_small_files,
        timeout=120,
    )
    assert 1 == done.returncode, done.stderr
    assert "could not write" in done.stderr
    assert "File too large" in done.stderr
    assert str(manifest) in done.stderr
    assert ".partial" not in done.stderr
    assert OLD == manifest.read_bytes()
    assert [] == left_behind(tmp_path)


# -- SIGTERM (item 18) -----------------------------------------------------------------


@pytest.mark.skipif(not SCRIPT.exists(), reason="the console script is not installed")
def test_sigterm_removes_what_it_was_writing(tmp_path: Path) -> None:
    """SIGTERM while the lines are written: exit 143, the file aside removed, old kept."""
    source = csv_dataset(tmp_path / "d.csv", 300_000)
    manifest = tmp_path / "m.manifest"
    manifest.write_bytes(OLD)
    process = subprocess.Popen(
        [str(SCRIPT), "make-manifest", "csv", str(source), "--manifest", str(manifest)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while not left_behind(tmp_path) and process.poll() is None:  # until it writes
        assert time.monotonic() < deadline
        time.sleep(0.005)
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=60)
    assert 143 == process.returncode, err
    assert "terminated" in err
    assert "Traceback" not in err
    assert OLD == manifest.read_bytes()
    assert [] == left_behind(tmp_path)


# -- links, FIFOs and devices (item 19) -------------------------------------------------


def test_a_link_is_written_through(tmp_path: Path) -> None:
    """--manifest that is a link: the file it points to is replaced, the link kept."""
    real = tmp_path / "store" / "m.manifest"
    real.parent.mkdir()
    real.write_bytes(OLD)
    link = tmp_path / "m.manifest"
    link.symlink_to(real)
    make_manifest(labeled(3, "cat") + labeled(3, "dog"), link)
    assert link.is_symlink()
    assert 6 == len(real.read_text().splitlines())
    assert [] == left_behind(real.parent)


def test_a_fifo_is_written_into_and_kept(tmp_path: Path) -> None:
    """--manifest that is a FIFO: its reader gets the lines; it stays a FIFO."""
    fifo = tmp_path / "m.fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    make_manifest(labeled(3, "cat") + labeled(3, "dog"), fifo)
    reader.join(timeout=30)
    assert fifo.is_fifo()
    lines = received[0].decode().splitlines()
    assert ["s3://bkt/cat/0.jpg"] == [json.loads(line)["source-ref"] for line in lines[:1]]
    assert 6 == len(lines)
    assert [] == left_behind(tmp_path)


def test_a_device_is_written_into(tmp_path: Path) -> None:
    """--manifest that is a character device (a null device) is written into, not replaced."""
    device = tmp_path / "null"  # the system's own /dev/null is never put at risk here
    try:
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
        device.open("wb").close()  # a file system mounted nodev refuses to open it
    except PermissionError:
        pytest.skip("making and opening a device node here needs CAP_MKNOD and no nodev")
    report = make_manifest(labeled(3, "cat") + labeled(3, "dog"), device)
    assert 6 == report.training_images
    assert device.is_char_device()
    assert [] == left_behind(tmp_path)


@pytest.mark.skipif(not SCRIPT.exists(), reason="the console script is not installed")
def test_a_process_substitution_gets_the_lines(tmp_path: Path) -> None:
    """--manifest /dev/fd/N (bash's >(...)) is a pipe written into: no made-up file."""
    source = csv_dataset(tmp_path / "d.csv", 6)
    read, write = os.pipe()
    done = subprocess.run(
        [str(SCRIPT), "make-manifest", "csv", str(source), "--manifest", f"/dev/fd/{write}"],
        capture_output=True,
        text=True,
        check=False,
        pass_fds=(write,),
        timeout=120,
    )
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        written = pipe.read()
    assert ".partial" not in done.stderr
    assert 6 == len(written.splitlines())
    assert 0 == done.returncode, done.stderr
    assert json.loads(done.stdout)["validation"] is None  # a pipe cannot be read back


def test_no_message_names_the_file_aside(tmp_path: Path) -> None:
    """A manifest that cannot be made is named as given, never by a .partial file."""
    (tmp_path / "file").write_text("not a folder")
    code, _, err = cli(
        "make-manifest", "csv", str(csv_dataset(tmp_path / "d.csv", 6)),
        "--manifest", str(tmp_path / "file" / "m.manifest"),
    )  # fmt: skip
    assert 2 == code
    assert str(tmp_path / "file" / "m.manifest") in err
    assert ".partial" not in err

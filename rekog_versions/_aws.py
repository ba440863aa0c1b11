"""The boundary with boto3 and botocore: building clients and translating their errors.

Every client the library builds, boto3's and aiobotocore's, for Rekognition and S3, gets
its region, its endpoint and its botocore settings from :func:`client_settings`, and
boto3's are built by :func:`boto3_client`: how a client is made is written here once.

Everything here imports botocore lazily, inside the functions, so that
``import rekog_versions`` does not import it.
"""

from __future__ import annotations

import re
import sys
from typing import TYPE_CHECKING, Any, Final, cast

from rekog_versions.errors import (
    ERROR_CLASSES,
    ClientSideError,
    ConfigurationError,
    CredentialsError,
    MalformedResponseError,
    NetworkError,
    Problem,
    RekogVersionsError,
    RequestValidationError,
    ServiceError,
)

if TYPE_CHECKING:
    from types import TracebackType

    import boto3
    from botocore.config import Config

__all__ = [
    "boto3_client",
    "boto3_session",
    "check_kind",
    "client_settings",
    "default_config",
    "map_errors",
    "service_error",
    "translate",
]

#: The retry settings of clients this library builds: botocore sends each request once,
#: and the library's one retry layer (``_retry.py``) decides every retry. Both are set
#: explicitly, since botocore's defaults changed inside the supported range (legacy mode
#: and 5 attempts before 1.44.0, standard mode and 3 attempts from 1.44.0 on).
RETRY_MODE: Final = "standard"
TOTAL_MAX_ATTEMPTS: Final = 1
CONNECT_TIMEOUT: Final = 10
READ_TIMEOUT: Final = 60


def default_config(
    user_config: Config | None = None,
    *,
    base: Config | None = None,
    library_retries: bool = True,
) -> Config:
    """The botocore Config of clients this library builds, merged with the user's.

    ``base`` gives the result its class: aiobotocore's ``AioConfig``, whose ``merge``
    keeps its own options (a plain Config's ``merge`` would drop them). Without
    ``library_retries``, botocore keeps its own retries, for the single calls that no
    retry layer of the library runs.
    """
    from botocore.config import Config  # noqa: PLC0415 - botocore only when calling AWS

    from rekog_versions._version import VERSION  # noqa: PLC0415

    config = Config(
        connect_timeout=CONNECT_TIMEOUT,
        read_timeout=READ_TIMEOUT,
        user_agent_extra=f"rekog-versions/{VERSION}",
    )
    if library_retries:
        retries = Config(retries={"mode": RETRY_MODE, "total_max_attempts": TOTAL_MAX_ATTEMPTS})
        config = config.merge(retries)
    if base is not None:
        config = base.merge(config)
    return config if user_config is None else config.merge(user_config)


def client_settings(  # noqa: PLR0913 - every setting of a client, keyword-only
    service: str,
    *,
    region_name: str | None = None,
    beside: Any = None,  # noqa: ANN401 - a boto3 or aiobotocore client
    config: Config | None = None,
    base: Config | None = None,
    endpoint_url: str | None = None,
    library_retries: bool = True,
) -> dict[str, Any]:
    """The keyword arguments that make a library's client of ``service``.

    Args:
        service: ``rekognition`` or ``s3``.
        region_name: The region (else the session's). An S3 client for result files
            otherwise takes the region of the Rekognition client it works ``beside``.
        beside: The Rekognition client an S3 client works beside, if any.
        config: The user's botocore settings, merged into the library's.
        base: The class of the config (aiobotocore's ``AioConfig``).
        endpoint_url: Where to send the calls, instead of AWS's endpoint.
        library_retries: Whether the library's retry layer runs the calls (see
            :func:`default_config`).
    """
    if service == "s3" and region_name is None and beside is not None:
        region_name = cast("str | None", beside.meta.region_name)
    settings: dict[str, Any] = {
        "region_name": region_name,
        "config": default_config(config, base=base, library_retries=library_retries),
    }
    if endpoint_url is not None:
        settings["endpoint_url"] = endpoint_url
    return settings


def boto3_session(
    *,
    profile_name: str | None = None,
    region_name: str | None = None,
    aws_access_key_id: str | None = None,
    aws_secret_access_key: str | None = None,
) -> boto3.Session:
    """A boto3 session; what fails while making it (an unknown profile) is mapped."""
    import boto3  # noqa: PLC0415 - boto3 only when AWS is called

    with map_errors("reading the AWS configuration"):
        return boto3.Session(
            profile_name=profile_name,
            region_name=region_name,
            aws_access_key_id=aws_access_key_id,
            aws_secret_access_key=aws_secret_access_key,
        )


def boto3_client(
    service: str,
    *,
    session: boto3.Session | None = None,
    **settings: Any,  # noqa: ANN401 - client_settings' keywords
) -> Any:  # noqa: ANN401 - the service's client
    """A boto3 client of ``service`` made with :func:`client_settings`, from ``session``.

    What fails while building it (no region, an unknown profile) is mapped.
    """
    with map_errors(f"building a {service} client"):
        made: Any = session if session is not None else boto3_session()
        return made.client(service, **client_settings(service, **settings))


def check_kind(client: object, *, awaited: bool, owner: str) -> None:
    """Refuse, at once, a client of the other kind than ``owner`` drives.

    An aiobotocore client's calls return coroutines that a blocking client never awaits
    (each answer looked malformed, retried for a minute), and a boto3 client's calls
    would block an event loop. Only botocore clients are judged (aiobotocore's are
    botocore clients whose ``_make_api_call`` is a coroutine); a fake of the user's is not.
    """
    botocore_client = sys.modules.get("botocore.client")  # imported by any such client
    if botocore_client is None or not isinstance(client, botocore_client.BaseClient):
        return
    import inspect  # noqa: PLC0415 - only when a client is given

    send: object = getattr(client, "_make_api_call", None)  # how the two kinds differ
    if inspect.iscoroutinefunction(send) is awaited:
        return
    if awaited:
        raise TypeError(
            f"{owner} takes aiobotocore clients; a boto3 client's calls would block the "
            "event loop: use ProjectVersionsClient, or create the client with aiobotocore"
        )
    raise TypeError(
        f"{owner} takes boto3 clients; this one is aiobotocore's (asyncio): "
        "use AsyncProjectVersionsClient"
    )


def service_error(  # noqa: PLR0913 - the attributes of a service error
    code: str,
    message: str,
    *,
    operation: str | None,
    request_id: str | None = None,
    http_status: int | None = None,
    attempts: int | None = None,
) -> ServiceError:
    """The typed error for an AWS error code: its class from the table, or ServiceError."""
    cls = ERROR_CLASSES.get(code, ServiceError)
    return cls(
        message,
        code=code,
        request_id=request_id,
        http_status=http_status,
        operation=operation,
        attempts=attempts,
    )


_PARAMETER: Final = re.compile(
    r"(?:parameter (?P<param>[^,\s]+)"
    r"|Missing required parameter in (?P<parent>\S+): \"(?P<missing>[^\"]+)\""
    r"|Unknown parameter in (?P<uparent>\S+): \"(?P<unknown>[^\"]+)\")"
)


def _problems_from_report(report: str) -> list[Problem]:
    problems: list[Problem] = []
    for line in report.splitlines():
        text = line.strip()
        if not text or text.startswith("Parameter validation failed"):
            continue
        match = _PARAMETER.search(text)
        path = ""
        if match is not None:
            if match["param"]:
                path = match["param"]
            elif match["missing"]:
                parent = match["parent"]
                path = match["missing"] if parent == "input" else f"{parent}.{match['missing']}"
            elif match["unknown"]:
                parent = match["uparent"]
                path = match["unknown"] if parent == "input" else f"{parent}.{match['unknown']}"
        problems.append(Problem(path, f"botocore: {text}"))
    return problems or [Problem("", f"botocore: {report.strip()}")]


def translate(error: BaseException, operation: str) -> RekogVersionsError | None:  # noqa: PLR0911 - one return per kind of error
    """The library's exception for a botocore one; ``None`` if it is not botocore's.

    The caller raises the result ``from error``, so the original stays as ``__cause__``.
    """
    from botocore import exceptions as bx  # noqa: PLC0415
    from botocore.parsers import ResponseParserError  # noqa: PLC0415

    if isinstance(error, bx.ClientError):
        response = cast("dict[str, Any]", error.response)
        details = cast("dict[str, Any]", response.get("Error") or {})
        metadata = cast("dict[str, Any]", response.get("ResponseMetadata") or {})
        retries = metadata.get("RetryAttempts")
        status = metadata.get("HTTPStatusCode")
        return service_error(
            str(details.get("Code") or "Unknown"),
            str(details.get("Message") or ""),
            operation=error.operation_name or operation,
            request_id=metadata.get("RequestId") or None,
            http_status=status if isinstance(status, int) else None,
            attempts=retries + 1 if isinstance(retries, int) else None,
        )
    if isinstance(error, bx.ParamValidationError):
        report = str(cast("dict[str, Any]", error.kwargs).get("report", error))
        return RequestValidationError(
            _problems_from_report(report), subject=f"{operation} request (botocore)"
        )
    if isinstance(error, bx.NoCredentialsError | bx.PartialCredentialsError):
        return CredentialsError(
            f"{operation}: {error}. Configure credentials (environment, shared config, "
            "an instance or task role) or pass a client or session built with them"
        )
    if isinstance(error, bx.CredentialRetrievalError):
        return CredentialsError(f"{operation}: {error}")
    if isinstance(error, bx.NoRegionError):
        return ConfigurationError(
            f"{operation}: {error}: pass region_name=, set AWS_REGION (or AWS_DEFAULT_REGION), "
            "or pass a client built for a region"
        )
    if isinstance(error, bx.ProfileNotFound):
        return ConfigurationError(f"{operation}: {error}")
    if isinstance(error, bx.EndpointConnectionError):
        # Nothing listens there, or the name does not resolve: say so at once.
        return NetworkError(f"{operation}: {error}", retryable=False)
    if isinstance(error, bx.ConnectionError | bx.HTTPClientError | bx.IncompleteReadError):
        # A dropped connection, or a body shorter than its Content-Length: try again.
        return NetworkError(f"{operation}: {error}", retryable=True)
    if isinstance(error, UnicodeDecodeError):
        # botocore decodes the body before parsing it, and lets this one through.
        return MalformedResponseError(f"{operation}: the answer is not UTF-8 text: {error}")
    if isinstance(error, ResponseParserError):
        return MalformedResponseError(f"{operation}: the response could not be parsed: {error}")
    if isinstance(error, bx.BotoCoreError):
        return ClientSideError(f"{operation}: {error}")
    return None


class map_errors:  # noqa: N801 - used as a function: ``with map_errors("Op"):``
    """Raise the library's exception for anything botocore raises inside the block.

    The one place foreign errors become the library's, as httpx's
    ``map_httpcore_exceptions`` does; the original is chained as ``__cause__``. A class,
    not a generator: it wraps every call, and a generator's context manager costs more.
    """

    __slots__ = ("operation",)

    def __init__(self, operation: str) -> None:
        """Name the operation the block runs, for the messages."""
        self.operation = operation

    def __enter__(self) -> None:
        """Run the block."""

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Let the library's errors and those it does not know pass; translate the rest."""
        if not isinstance(error, Exception) or isinstance(error, RekogVersionsError):
            return
        translated = translate(error, self.operation)
        if translated is not None:
            raise translated from error

"""
Hearth's Python bootstrap: the first and only code the server starts inside a Python
environment. It runs Init once (imports the handler's module) and then one Invoke per
message from the server, over the private channel the server opened on fd 3.

The channel is Node's IPC pipe in its JSON mode: one JSON object per line, each way.
Messages are those of src/common/protocol.ts (ready / init-error / invoke / result).

Standard library only, and nothing imported that Init does not need: this file is on
the cold-start path. Behaviour follows Lambda's Python runtime (awslambdaric): handler
lookup, error shapes and log format.
"""

import os
import sys
import time

_started = time.perf_counter()

# The channel belongs to Hearth, not to the function: hide its variables from the
# function's code (os.environ.pop also unsets them for child processes) and keep the
# descriptor from being inherited by programs the function runs.
_CHANNEL_FD = int(os.environ.pop("NODE_CHANNEL_FD", "3"))
os.environ.pop("NODE_CHANNEL_SERIALIZATION_MODE", None)
# Set by the launcher only to keep Python's locale coercion out of the environment.
os.environ.pop("PYTHONCOERCECLOCALE", None)
os.set_inheritable(_CHANNEL_FD, False)

import decimal  # noqa: E402
import importlib  # noqa: E402
import io  # noqa: E402
import json  # noqa: E402
import logging  # noqa: E402
import resource  # noqa: E402
import traceback  # noqa: E402

# Options from the launcher, then an argv as a plain script would have it.
for _arg in sys.argv[1:]:
    if _arg.startswith("--memory-limit-mb="):
        # No OS memory cap on this node (no cgroup): cap the data segment instead, so a
        # runaway function gets MemoryError rather than taking the machine's memory.
        _limit = int(_arg.split("=", 1)[1]) * 1024 * 1024
        try:
            resource.setrlimit(resource.RLIMIT_DATA, (_limit, _limit))
        except (ValueError, OSError):
            pass
sys.argv = sys.argv[:1]

TASK_ROOT = os.environ.get("LAMBDA_TASK_ROOT") or os.getcwd()
HANDLER = os.environ.get("_HANDLER", "")
PY_VERSION = "python%d.%d" % sys.version_info[:2]

# Lambda's module search path: the code first, then layers' /opt/python. The runtime's
# own folder is not on it: `import bootstrap` must not find this file.
_runtime_dir = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if p and os.path.abspath(p) != _runtime_dir]
sys.path[0:0] = [TASK_ROOT, "/opt/python/lib/%s/site-packages" % PY_VERSION, "/opt/python"]

# ---------------------------------------------------------------------------
# The channel.


def _send(message):
    # ASCII JSON: lone surrogates in function output cannot break the line framing or
    # the encoding.
    data = (json.dumps(message, ensure_ascii=True, separators=(",", ":")) + "\n").encode("ascii")
    view = memoryview(data)
    while view:
        written = os.write(_CHANNEL_FD, view)
        view = view[written:]


def _messages():
    """Yields each message from the server; returns when the server closes the channel."""
    pending = bytearray()
    while True:
        chunk = os.read(_CHANNEL_FD, 1 << 18)
        if not chunk:
            return
        pending += chunk
        if b"\n" in chunk:
            *lines, rest = pending.split(b"\n")
            pending = bytearray(rest)
            for line in lines:
                if line.strip():
                    yield json.loads(line)


# ---------------------------------------------------------------------------
# Log capture. Output is framed per request, as Lambda does, so it is collected here and
# shipped with the result: the server gets it in order with the response. `print` goes
# out as written; the logging module in Lambda's format.
_log_buffer = []


def _take_logs():
    # Two single-step list operations: a thread appending meanwhile loses nothing (its
    # text stays for the next request).
    taken = _log_buffer[:]
    del _log_buffer[: len(taken)]
    return "".join(taken)


class _CapturedBytes(io.RawIOBase):
    """`sys.stdout.buffer`: bytes written to it are captured as text too."""

    def __init__(self, fd):
        self._fd = fd

    def writable(self):
        return True

    def write(self, b):
        _log_buffer.append(bytes(b).decode("utf-8", "replace"))
        return len(b)

    def fileno(self):
        return self._fd


class _Captured(io.TextIOBase):
    """Stands in for sys.stdout / sys.stderr: every write goes to the request's log."""

    encoding = "utf-8"
    errors = "strict"
    line_buffering = False

    def __init__(self, fd, name):
        self._fd = fd
        self.name = name
        self.buffer = _CapturedBytes(fd)

    def writable(self):
        return True

    def write(self, s):
        if not isinstance(s, str):
            raise TypeError("write() argument must be str, not %s" % type(s).__name__)
        _log_buffer.append(s)
        return len(s)

    def fileno(self):
        # Code that writes to the descriptor itself (subprocess, faulthandler) reaches
        # the real pipe; the server collects that output too.
        return self._fd


sys.stdout = _Captured(1, "<stdout>")
sys.stderr = _Captured(2, "<stderr>")

_request_id = None


class _LambdaLogHandler(logging.Handler):
    def emit(self, record):
        try:
            _log_buffer.append(self.format(record))
        except Exception:
            self.handleError(record)


class _RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.aws_request_id = _request_id or ""
        return True


def _setup_logging():
    logging.Formatter.converter = time.gmtime
    handler = _LambdaLogHandler()
    handler.setFormatter(
        logging.Formatter(
            "[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s\n",
            "%Y-%m-%dT%H:%M:%S",
        )
    )
    handler.addFilter(_RequestIdFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    level = (os.environ.get("AWS_LAMBDA_LOG_LEVEL") or "").upper()
    if level in ("TRACE", "DEBUG", "INFO", "WARN", "WARNING", "ERROR", "FATAL", "CRITICAL"):
        root.setLevel({"TRACE": "DEBUG", "WARN": "WARNING", "FATAL": "CRITICAL"}.get(level, level))


_setup_logging()

# ---------------------------------------------------------------------------
# Errors, shaped as Lambda's Python runtime shapes them.


class FaultException(Exception):
    def __init__(self, error_type, msg, trace=None):
        super().__init__(msg)
        self.error_type, self.msg, self.trace = error_type, msg, trace


def _make_error(message, error_type, stack_trace, request_id=None):
    return {"errorMessage": message or "", "errorType": error_type or "", "requestId": request_id or "", "stackTrace": stack_trace or []}


def _user_frames(tb):
    """The traceback from the first frame outside this file, as Lambda reports it."""
    frames = [(f.filename, f.lineno, f.name, f.line) for f in traceback.extract_tb(tb)]
    for i, frame in enumerate(frames):
        if not frame[0].endswith("/bootstrap.py"):
            return frames[i:]
    return frames


def _fault_result(exc, request_id=None):
    if isinstance(exc, FaultException):
        return _make_error(exc.msg, exc.error_type, exc.trace, request_id)
    return _make_error(
        str(exc), type(exc).__name__, traceback.format_list(_user_frames(exc.__traceback__)), request_id
    )


def _log_error(error):
    """`[ERROR] Type: message` and the trace, as Lambda's Python runtime prints them.

    Lambda joins these lines with \\r (and indents with no-break spaces) so CloudWatch
    keeps them in one event; Hearth's log is plain text, so they are ordinary lines.
    """
    head = "[ERROR]"
    if error["errorType"]:
        head += " " + error["errorType"] + (":" if error["errorMessage"] else "")
    if error["errorMessage"]:
        head += " " + error["errorMessage"]
    lines = [head, "Traceback (most recent call last):"]
    for element in error["stackTrace"]:
        lines.extend(element.splitlines() or [""])
    _log_buffer.append("\n".join(lines) + "\n")


# ---------------------------------------------------------------------------
# JSON in and out, as Lambda marshals it.


class _Encoder(json.JSONEncoder):
    def default(self, o):
        if isinstance(o, decimal.Decimal):
            if o.is_nan():
                return float("nan")
            return int(o) if o == o.to_integral_value() else float(o)
        return super().default(o)


# Lambda's python3.12 and later runtimes send non-ASCII characters as they are.
_encoder = _Encoder(ensure_ascii=sys.version_info < (3, 12))


def _to_json(value):
    return _encoder.encode(value)


def _marshal_response(response):
    if isinstance(response, (bytes, bytearray)):
        return bytes(response).decode("utf-8", "replace")
    try:
        return _to_json(response)
    except Exception as e:
        raise FaultException("Runtime.MarshalError", "Unable to marshal response: %s" % e) from None


def _unmarshal_request(payload):
    try:
        return json.loads(payload)
    except Exception as e:
        raise FaultException("Runtime.UnmarshalError", "Unable to unmarshal input: %s" % e) from None


# ---------------------------------------------------------------------------
# The context object.


def _repr(self):
    fields = ",".join("%s=%s" % (k, getattr(self, k, None)) for k in self._fields)
    return "%s([%s])" % (type(self).__name__, fields)


class _Record(object):
    __slots__ = []
    __repr__ = _repr

    @property
    def _fields(self):
        return self.__slots__


class CognitoIdentity(_Record):
    __slots__ = ["cognito_identity_id", "cognito_identity_pool_id"]


class Client(_Record):
    __slots__ = ["installation_id", "app_title", "app_version_name", "app_version_code", "app_package_name"]


class ClientContext(_Record):
    __slots__ = ["custom", "env", "client"]


def _obj_from_dict(cls, d):
    if d is None:
        return None
    obj = cls()
    for field in cls.__slots__:
        setattr(obj, field, d.get(field) if isinstance(d, dict) else None)
    return obj


def _parse_header(text, name):
    try:
        return json.loads(text)
    except Exception as e:
        raise FaultException(
            "Runtime.LambdaContextUnmarshalError", "Unable to parse %s JSON: %s" % (name, e)
        ) from None


class LambdaContext(object):
    def __init__(self, request_id, client_context, cognito_identity, deadline_ms, invoked_function_arn):
        self.aws_request_id = request_id
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
        # A string, as in Lambda's Python runtime (it comes from the environment).
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.invoked_function_arn = invoked_function_arn
        self.client_context = _obj_from_dict(ClientContext, client_context)
        if self.client_context is not None:
            self.client_context.client = _obj_from_dict(Client, self.client_context.client)
        self.identity = _obj_from_dict(CognitoIdentity, {})
        if isinstance(cognito_identity, dict):
            self.identity.cognito_identity_id = cognito_identity.get("cognitoIdentityId")
            self.identity.cognito_identity_pool_id = cognito_identity.get("cognitoIdentityPoolId")
        self._deadline_ms = deadline_ms

    def get_remaining_time_in_millis(self):
        remaining = self._deadline_ms - int(time.time() * 1000)
        return remaining if remaining > 0 else 0

    def log(self, msg):
        _log_buffer.append(str(msg))

    __repr__ = _repr
    _fields = (
        "aws_request_id", "log_group_name", "log_stream_name", "function_name", "memory_limit_in_mb",
        "function_version", "invoked_function_arn", "client_context", "identity",
    )  # fmt: skip


# ---------------------------------------------------------------------------
# Init: import the handler's module once.


def _load_handler(spec):
    try:
        modname, fname = spec.rsplit(".", 1)
    except ValueError as e:
        raise FaultException("Runtime.MalformedHandlerName", "Bad handler '%s': %s" % (spec, e)) from None
    try:
        if modname.split(".")[0] in sys.builtin_module_names:
            raise FaultException(
                "Runtime.BuiltInModuleConflict", "Cannot use built-in module %s as a handler module" % modname
            )
        module = importlib.import_module(modname.replace("/", "."))
    except ImportError as e:
        raise FaultException(
            "Runtime.ImportModuleError", "Unable to import module '%s': %s" % (modname, e)
        ) from None
    except SyntaxError as e:
        trace = ['  File "%s" Line %s\n    %s' % (e.filename, e.lineno, e.text)]
        raise FaultException(
            "Runtime.UserCodeSyntaxError", "Syntax error in module '%s': %s" % (modname, e), trace
        ) from None
    try:
        return getattr(module, fname)
    except AttributeError:
        raise FaultException(
            "Runtime.HandlerNotFound", "Handler '%s' missing on module '%s'" % (fname, modname)
        ) from None


def _max_rss_kb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


# ---------------------------------------------------------------------------
# Invoke.


def _invoke(handler, msg):
    global _request_id
    request_id = msg["id"]
    _request_id = request_id
    if msg.get("traceId"):
        os.environ["_X_AMZN_TRACE_ID"] = msg["traceId"]
    else:
        os.environ.pop("_X_AMZN_TRACE_ID", None)

    error = None
    body = None
    try:
        client_context = _parse_header(msg["clientContext"], "Client Context") if msg.get("clientContext") else None
        identity = _parse_header(msg["cognitoIdentity"], "Cognito Identity") if msg.get("cognitoIdentity") else None
        context = LambdaContext(
            request_id, client_context, identity, msg["deadlineMs"], msg.get("invokedFunctionArn")
        )
        event = _unmarshal_request(msg["payload"])
        body = _marshal_response(handler(event, context))
    except Exception as e:
        error = _fault_result(e, request_id)
    if error is not None:
        _log_error(error)
        body = _to_json(error)
    _send(
        {
            "t": "result",
            "id": request_id,
            "ok": error is None,
            "body": body,
            "logs": _take_logs(),
            "maxRssKb": _max_rss_kb(),
        }
    )


def _main():
    try:
        handler = _load_handler(HANDLER)
    except Exception as e:
        error = _fault_result(e)
        _log_error(error)
        _send({"t": "init-error", "error": error, "logs": _take_logs()})
        return
    _send({"t": "ready", "initMs": (time.perf_counter() - _started) * 1000, "logs": _take_logs()})
    for msg in _messages():
        if msg.get("t") == "invoke":
            _invoke(handler, msg)


try:
    _main()
except BaseException:
    # sys.exit() in a handler, or a failure of the bootstrap itself: the process ends and
    # the server reports Runtime.ExitError. What was captured goes to the real pipes so
    # the server can still show it.
    sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
    _pending = _take_logs()
    if _pending:
        os.write(2, _pending.encode("utf-8", "replace"))
    raise

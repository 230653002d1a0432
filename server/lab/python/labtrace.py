"""Runs a student's Python program and reports every socket call it makes, as it makes it.

    python3 labtrace.py PROGRAM.py [ARGS...]

Loaded before the program, it replaces ``socket.socket`` with a subclass whose calls report
themselves, then runs the program as ``__main__``. Anything that makes sockets through the
``socket`` module shows through: ``socket.create_connection``, ``socketserver``, ``accept()``.
Each report is one JSON object per line on file descriptor 3: the call, its endpoints, the exact
bytes it sent or returned, its exception, the time (the system's real-time clock, as tcpdump
stamps packets) and the line of the program that made it. Calls after which the kernel's TCP
state matters (connected, accepted, shut down, closed, end of stream) wait until the lab has read
the kernel's socket table: it answers with one byte on file descriptor 4.

Before the program starts it is limited (the limits in ``LABTRACE_LIMITS``: CPU seconds, memory,
open files, file size, processes) and an audit hook refuses what a socket program has no need
for: starting processes (``fork``, ``subprocess``, ``os.system``, ``exec``), ``ctypes``, and
opening files outside the program's own folder other than Python's own library for reading.
It is a fence for a teaching lab, not a security boundary: the run's private network namespace,
the unprivileged user and the run's time limit are what keep a program in.

A program may also report its own steps (values it computed, for the page to show beside its
calls): ``import socketlab`` and ``socketlab.step(key, values, data)``. Outside the lab there is
no ``socketlab`` module, so such a program falls back to printing.

What it cannot see: sockets made without the ``socket`` module (``_socket`` directly, ``os``
file descriptors, C extensions), and ``makefile()`` reads and writes, which go to the kernel
through the socket's own methods as one ``recv_into`` or ``send`` each.
"""
import base64
import errno
import json
import os
import resource
import runpy
import socket as socket_module
import sys
import threading
import time
import traceback
import types

REPORT_FD = 3
ACK_FD = 4

_program = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else ''
_lock = threading.Lock()
_report = os.fdopen(REPORT_FD, 'w', buffering=1, encoding='utf-8') if _program else None
_ack = os.fdopen(ACK_FD, 'rb', buffering=0) if _program else None
_BaseSocket = socket_module.socket


def _now_us():
    return time.time_ns() / 1000


def _line():
    """The line of the program that made the call: the innermost frame in the program's file."""
    frame = sys._getframe(2)
    while frame is not None:
        if frame.f_code.co_filename == _program:
            return frame.f_lineno
        frame = frame.f_back
    return None


_pending_output = {'stdout': [], 'stderr': []}


def _take_output(stream):
    """What the program printed on ``stream`` and not yet reported, as one report (or None)."""
    parts = _pending_output[stream]
    if not parts:
        return None
    _pending_output[stream] = []
    return json.dumps({'ev': 'output', 'stream': stream, 't': parts[0][0], 'text': ''.join(p[1] for p in parts),
                       'wait': False}, separators=(',', ':'))


def _send(message, wait=False):
    if _report is None:
        return
    message['wait'] = wait
    text = json.dumps(message, separators=(',', ':'))
    with _lock:
        try:
            # What was printed before this call is reported before it.
            for stream in ('stdout', 'stderr'):
                pending = _take_output(stream)
                if pending:
                    _report.write(pending + '\n')
            _report.write(text + '\n')
        except (BrokenPipeError, ValueError):
            return
        if wait:
            try:
                _ack.read(1)
            except OSError:
                pass


def _endpoint(address):
    """``('127.0.0.1', 9000)`` → ``127.0.0.1:9000``; IPv6 in brackets."""
    if not isinstance(address, tuple) or len(address) < 2:
        return None
    host, port = address[0], address[1]
    return f'[{host}]:{port}' if ':' in str(host) else f'{host}:{port}'


def _errno_name(error):
    number = getattr(error, 'errno', None)
    if isinstance(number, int) and number in errno.errorcode:
        return errno.errorcode[number]
    if isinstance(error, socket_module.timeout):
        return 'ETIMEDOUT'
    return type(error).__name__


class LabSocket(_BaseSocket):
    """``socket.socket`` that reports each call (see the top of this file)."""

    def _lab_tcp(self):
        return self.type == socket_module.SOCK_STREAM and self.family in (socket_module.AF_INET, socket_module.AF_INET6)

    def _lab_udp(self):
        return self.type == socket_module.SOCK_DGRAM and self.family in (socket_module.AF_INET, socket_module.AF_INET6)

    def _lab_watched(self):
        return self._lab_tcp() or self._lab_udp()

    def _lab_ends(self):
        """Local and remote endpoints; once connected they are kept, for calls after the peer is gone."""
        ends = dict(getattr(self, '_lab_known', {}))
        for key, call in (('local', _BaseSocket.getsockname), ('remote', _BaseSocket.getpeername)):
            try:
                found = _endpoint(call(self))
            except OSError:
                continue
            if found and not found.endswith(':0'):
                ends[key] = found
        if 'remote' in ends:
            self._lab_known = dict(ends)
        return ends

    def _lab_socket(self, op, line, at=None, wait=False, **extra):
        message = {'ev': 'socket', 'op': op, 't': at if at is not None else _now_us(), 'line': line,
                   'transport': 'tcp' if self._lab_tcp() else 'udp'}
        message.update(self._lab_ends())
        message.update({k: v for k, v in extra.items() if v is not None})
        _send(message, wait)

    def _lab_error(self, error, line, **extra):
        self._lab_socket('error', line, code=_errno_name(error), message=str(error), **extra)

    def _lab_app(self, op, data, line, at, peer=None):
        message = {'ev': 'app', 'op': op, 't': at, 'line': line, 'size': len(data),
                   'data': base64.b64encode(bytes(data)).decode('ascii'),
                   'transport': 'tcp' if self._lab_tcp() else 'udp'}
        message.update(self._lab_ends())
        if peer:
            message['peer'] = peer
        _send(message, wait=op == 'read' and len(data) == 0 and self._lab_tcp())

    def bind(self, address):
        line = _line()
        try:
            super().bind(address)
        except OSError as error:
            if self._lab_watched():
                self._lab_error(error, line)
            raise
        if self._lab_watched():
            self._lab_socket('bind', line)

    def listen(self, *args):
        line = _line()
        super().listen(*args)
        if self._lab_tcp():
            self._lab_socket('listen', line, wait=True)

    def accept(self):
        line = _line()
        try:
            conn, address = super().accept()
        except OSError as error:
            if self._lab_tcp():
                self._lab_error(error, line)
            raise
        if self._lab_tcp() and isinstance(conn, LabSocket):
            conn._lab_socket('accept', line, wait=True)
        return conn, address

    def connect(self, address):
        line = _line()
        if not self._lab_tcp():
            super().connect(address)
            if self._lab_udp():
                self._lab_socket('connect', line)
            return
        # Bound first, as connect() would do itself, so the call's local port is known before the SYN.
        try:
            local = _BaseSocket.getsockname(self)
            if local[1] == 0:
                super().bind((address[0], 0))
        except (OSError, IndexError, TypeError):
            pass
        self._lab_socket('connect', line, remote=_endpoint(address))
        try:
            super().connect(address)
        except OSError as error:
            self._lab_error(error, line, remote=_endpoint(address))
            raise
        self._lab_socket('connected', line, wait=True)

    def connect_ex(self, address):
        try:
            self.connect(address)
        except OSError as error:
            return error.errno or errno.EIO
        return 0

    def _lab_write(self, call, data, *args):
        line = _line()
        at = _now_us()
        try:
            result = call(data, *args)
        except OSError as error:
            if self._lab_watched():
                self._lab_error(error, line)
            raise
        if self._lab_watched():
            sent = memoryview(data).cast('B')
            if isinstance(result, int):
                sent = sent[:result]
            self._lab_app('write', sent, line, at)
        return result

    def send(self, data, *args):
        return self._lab_write(super().send, data, *args)

    def sendall(self, data, *args):
        return self._lab_write(super().sendall, data, *args)

    def sendto(self, data, *args):
        line = _line()
        at = _now_us()
        try:
            result = super().sendto(data, *args)
        except OSError as error:
            if self._lab_watched():
                self._lab_error(error, line)
            raise
        if self._lab_watched():
            address = args[-1]
            self._lab_app('write', memoryview(data).cast('B')[:result], line, at, peer=_endpoint(address))
        return result

    def _lab_read(self, call, *args):
        line = _line()
        try:
            result = call(*args)
        except OSError as error:
            if self._lab_watched():
                self._lab_error(error, line)
            raise
        return line, _now_us(), result

    def recv(self, *args):
        line, at, data = self._lab_read(super().recv, *args)
        if self._lab_watched():
            self._lab_app('read', data, line, at)
        return data

    def recv_into(self, buffer, nbytes=0, *args):
        line, at, count = self._lab_read(super().recv_into, buffer, nbytes, *args)
        if self._lab_watched():
            self._lab_app('read', memoryview(buffer).cast('B')[:count], line, at)
        return count

    def recvfrom(self, *args):
        line, at, result = self._lab_read(super().recvfrom, *args)
        if self._lab_watched():
            data, address = result
            self._lab_app('read', data, line, at, peer=_endpoint(address))
        return result

    def shutdown(self, how):
        line = _line()
        ends = self._lab_ends() if self._lab_tcp() else {}
        at = _now_us()
        try:
            super().shutdown(how)
        except OSError as error:
            if self._lab_tcp():
                self._lab_error(error, line)
            raise
        if self._lab_tcp() and how in (socket_module.SHUT_WR, socket_module.SHUT_RDWR):
            self._lab_socket('end', line, at=at, wait=True, **ends)

    def close(self):
        if self._closed or not self._lab_watched():
            return super().close()
        line = _line()
        ends = self._lab_ends()
        reset = False
        try:
            linger = _BaseSocket.getsockopt(self, socket_module.SOL_SOCKET, socket_module.SO_LINGER, 8)
            on, seconds = int.from_bytes(linger[:4], sys.byteorder), int.from_bytes(linger[4:], sys.byteorder)
            reset = self._lab_tcp() and on != 0 and seconds == 0
        except OSError:
            pass
        at = _now_us()
        super().close()
        # Closing a listening socket, or a socket that never connected, is a plain close.
        op = 'reset' if reset and 'remote' in ends else 'destroy' if 'remote' in ends else 'close'
        message = {'ev': 'socket', 'op': op, 't': at, 'line': line, 'transport': 'tcp' if self._lab_tcp() else 'udp'}
        message.update(ends)
        _send(message, wait=self._lab_tcp())


_REFUSED_EVENTS = ('os.system', 'os.exec', 'os.posix_spawn', 'os.fork', 'os.forkpty', 'os.spawn', 'pty.spawn',
                   'subprocess.Popen', 'ctypes.dlopen', 'ctypes.dlsym', 'ctypes.cdata', 'os.kill', 'os.killpg')


def _apply_limits():
    """The limits the lab asks for (``LABTRACE_LIMITS``: a JSON object of RLIMIT_* names to values)."""
    try:
        wanted = json.loads(os.environ.get('LABTRACE_LIMITS', '{}'))
    except ValueError:
        wanted = {}
    for name, value in wanted.items():
        limit = getattr(resource, name, None)
        if limit is None or not isinstance(value, int):
            continue
        try:
            resource.setrlimit(limit, (value, value))
        except (ValueError, OSError):
            pass


def _install_fence(folder):
    """Refuses processes, ctypes, and files outside ``folder`` (Python's library may be read)."""
    readable = tuple(os.path.realpath(p) + os.sep for p in {sys.prefix, sys.base_prefix, sys.exec_prefix, folder}
                     | {os.path.dirname(os.__file__)})
    writable = os.path.realpath(folder) + os.sep
    devices = ('/dev/null', '/dev/urandom', '/dev/random', '/dev/zero')

    def fence(event, args):
        if event in _REFUSED_EVENTS:
            raise PermissionError(f'{event} is not allowed in the lab: a socket program runs on its own')
        if event != 'open' or not args or isinstance(args[0], int):
            return
        path = os.path.realpath(os.fsdecode(args[0]))
        mode = args[1] if len(args) > 1 and isinstance(args[1], str) else 'r'
        if path in devices:
            return
        if any(c in mode for c in 'wax+'):
            if not path.startswith(writable):
                raise PermissionError(f'writing {path} is not allowed in the lab: only files in the program\'s folder')
        elif not path.startswith(readable):
            raise PermissionError(f'reading {path} is not allowed in the lab: only files in the program\'s folder')

    sys.addaudithook(fence)


def step(key, values=None, data=None):
    """A step of the run, reported by the program itself (``import socketlab; socketlab.step(...)``):
    ``key`` names its words in the experiment's texts, ``values`` fill them (text, numbers, booleans),
    ``data`` is any JSON the page shows with the step (a table of hash rounds)."""
    message = {'ev': 'note', 't': _now_us(), 'key': str(key), 'line': _line()}
    if values is not None:
        message['values'] = values
    if data is not None:
        message['data'] = data
    _send(message)


def _install_step_module():
    """``socketlab``: the module a program imports to report its steps (outside the lab: absent)."""
    module = types.ModuleType('socketlab')
    module.step = step
    sys.modules['socketlab'] = module


def _report_exception(error):
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename == _program]
    _send({'ev': 'exception', 't': _now_us(), 'type': type(error).__name__, 'message': str(error),
           'line': frames[-1].lineno if frames else getattr(error, 'lineno', None)})


class _ReportedOutput:
    """``sys.stdout`` / ``sys.stderr``: what the program prints, reported in order with its calls."""

    def __init__(self, stream, name):
        self._stream = stream
        self._name = name
        self.encoding = 'utf-8'
        self.errors = 'replace'

    def write(self, text):
        if not isinstance(text, str):
            raise TypeError(f'write() argument must be str, not {type(text).__name__}')
        if text:
            with _lock:
                _pending_output[self._name].append((_now_us(), text))
            # print() writes each argument, separator and end apart: reported a whole line at a time.
            if '\n' in text:
                self.flush()
        return len(text)

    def writelines(self, lines):
        for line in lines:
            self.write(line)

    def flush(self):
        if _report is None:
            return
        with _lock:
            pending = _take_output(self._name)
            if pending:
                try:
                    _report.write(pending + '\n')
                except (BrokenPipeError, ValueError):
                    pass

    def isatty(self):
        return False

    def fileno(self):
        return self._stream.fileno()

    def __getattr__(self, name):
        return getattr(self._stream, name)


def main():
    if not _program:
        print('usage: labtrace.py PROGRAM.py [ARGS...]', file=sys.stderr)
        return 2
    _apply_limits()
    _install_fence(os.path.dirname(_program))
    socket_module.socket = LabSocket
    _install_step_module()
    sys.stdout = _ReportedOutput(sys.stdout, 'stdout')
    sys.stderr = _ReportedOutput(sys.stderr, 'stderr')
    sys.argv = sys.argv[1:]
    sys.path[0] = os.path.dirname(_program)
    try:
        return _run()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()


def _run():
    try:
        runpy.run_path(_program, run_name='__main__')
    except SystemExit as done:
        code = done.code
        if code is None or isinstance(code, int):
            return code or 0
        print(code, file=sys.stderr)  # sys.exit('message'), as Python shows it
        return 1
    except BaseException as error:  # the program's own error: shown as Python shows it, then reported
        shown = traceback.TracebackException.from_exception(error)
        # The runner's own frames (this file, runpy) are not the program's.
        shown.stack = traceback.StackSummary.from_list([f for f in shown.stack if f.filename == _program])
        sys.stderr.write(''.join(shown.format()))
        sys.stderr.flush()
        _report_exception(error)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())

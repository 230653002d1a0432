"""The server checks that a client is legitimate: it sends a fresh random challenge, and only a
client holding the same key can answer it correctly. The key itself never crosses the wire."""
import hashlib
import hmac
import os
import socket
import struct
import time

try:
    from socketlab import step      # in the lab: the verdict is shown on the page
except ImportError:
    def step(key, values=None, data=None):
        print(key, values or '')

# This run's settings (the lab writes them here before it runs the program).
HOST = '127.0.0.1'
PORT = 9000
KEY = 'egg'                 # the shared secret (the course: b'egg')
SCHEME = 'hmac-md5'         # 'hmac-md5', 'hmac-sha256', or 'md5-hex': md5(key + challenge) as hex text
COMPARE = 'compare_digest'  # 'compare_digest': constant time; '==': stops at the first differing byte
FRAMED = False              # False: one recv(1024) per message, as the course; True: a 4-byte length first
DELAY = 0.0                 # seconds the server is busy before it reads the answer
CONNECTIONS = 1             # clients served, one after another

secret_key = KEY.encode()


def send_msg(conn, data):
    if FRAMED:
        conn.sendall(struct.pack('!I', len(data)) + data)   # length first: the reader knows where it ends
    else:
        conn.sendall(data)


def recv_exactly(conn, size):
    data = b''
    while len(data) < size:
        chunk = conn.recv(size - len(data))
        if not chunk:
            break
        data += chunk
    return data


def recv_msg(conn):
    if FRAMED:
        header = recv_exactly(conn, 4)
        return recv_exactly(conn, struct.unpack('!I', header)[0]) if len(header) == 4 else b''
    return conn.recv(1024)          # the course: whatever has arrived, up to 1024 bytes


def expected_answer(challenge):
    if SCHEME == 'md5-hex':
        md5 = hashlib.md5(secret_key)
        md5.update(challenge)
        return md5.hexdigest().encode()        # 32 hex characters
    if SCHEME == 'hmac-sha256':
        return hmac.new(secret_key, challenge, hashlib.sha256).digest()   # 32 raw bytes
    # HMAC-MD5: what hmac.new(key, msg) meant before Python 3.8 (16 raw bytes)
    return hmac.new(secret_key, challenge, hashlib.md5).digest()


def conn_link(conn):
    challenge = os.urandom(32)                  # fresh for every connection: an old answer is worthless
    step('auth.challenge', {'bytes': len(challenge)}, {'challenge': challenge.hex()})
    send_msg(conn, challenge)
    if DELAY:
        time.sleep(DELAY)
    answer = recv_msg(conn)
    expected = expected_answer(challenge)
    started = time.perf_counter_ns()
    if COMPARE == '==':
        legitimate = answer == expected
    else:
        legitimate = hmac.compare_digest(answer, expected)
    took = time.perf_counter_ns() - started
    differ = [i for i in range(max(len(answer), len(expected)))
              if i >= len(answer) or i >= len(expected) or answer[i] != expected[i]]
    step('auth.verdict', {'result': 'accepted' if legitimate else 'rejected', 'received': len(answer),
                          'expected': len(expected), 'compare': COMPARE, 'compareNs': took},
         {'received': answer.hex(), 'expected': expected.hex(), 'challenge': challenge.hex(),
          'differingBytes': len(differ), 'firstDifference': differ[0] if differ else None})
    return legitimate


sk = socket.socket(socket.AF_INET6 if ':' in HOST else socket.AF_INET, socket.SOCK_STREAM)
sk.bind((HOST, PORT))
sk.listen()
for _ in range(CONNECTIONS):
    conn, addr = sk.accept()
    if conn_link(conn):
        send_msg(conn, b'welcome')
        message = recv_msg(conn)                # the client's next message, if any
        if message:
            send_msg(conn, message.upper())
    else:
        send_msg(conn, b'denied')
    conn.close()
sk.close()

"""A server that signs messages and accepts any message whose signature checks out. The student
gets one signed message; only the server knows the key. With SIGN = 'md5' the signature is
md5(key + message): anyone can extend a signed message without the key (length extension).
With SIGN = 'hmac' it is HMAC-MD5, and the same forgery fails."""
import hashlib
import hmac
import socket
import struct

try:
    from socketlab import step
except ImportError:
    def step(key, values=None, data=None):
        print(key, values or '')

# This run's settings (the lab writes them here before it runs the program).
HOST = '127.0.0.1'
PORT = 9000
KEY = 'egg'                           # only the server knows it
SIGN = 'md5'                          # 'md5': md5(key + message); 'hmac': hmac.new(key, message, 'md5')
MESSAGE = 'user=student&role=guest'   # the one message it signs for the student

secret_key = KEY.encode()


def sign(message):
    if SIGN == 'hmac':
        return hmac.new(secret_key, message, hashlib.md5).hexdigest().encode()
    return hashlib.md5(secret_key + message).hexdigest().encode()


def send_msg(conn, data):
    conn.sendall(struct.pack('!I', len(data)) + data)   # each message with its length first


def recv_exactly(conn, size):
    data = b''
    while len(data) < size:
        chunk = conn.recv(size - len(data))
        if not chunk:
            break
        data += chunk
    return data


def recv_msg(conn):
    header = recv_exactly(conn, 4)
    return recv_exactly(conn, struct.unpack('!I', header)[0]) if len(header) == 4 else b''


sk = socket.socket(socket.AF_INET6 if ':' in HOST else socket.AF_INET, socket.SOCK_STREAM)
sk.bind((HOST, PORT))
sk.listen()
conn, addr = sk.accept()
message = MESSAGE.encode()
send_msg(conn, message)
send_msg(conn, sign(message))
while True:
    submitted = recv_msg(conn)            # a message the client wants accepted...
    tag = recv_msg(conn)                  # ...and its signature
    if not submitted:
        break
    if hmac.compare_digest(sign(submitted), tag):
        fields = dict(part.split(b'=', 1) for part in submitted.split(b'&') if b'=' in part)
        role = fields.get(b'role', b'').decode('latin-1')
        step('auth.signed.verdict', {'result': 'accepted', 'role': role}, {'message': submitted.hex(), 'tag': tag.decode()})
        send_msg(conn, b'accepted, role=' + fields.get(b'role', b''))
    else:
        step('auth.signed.verdict', {'result': 'rejected', 'role': ''}, {'message': submitted.hex(), 'tag': tag.decode('latin-1')})
        send_msg(conn, b'rejected')
conn.close()
sk.close()

import socket
import struct
import time

# This run's settings (the lab writes them here before it runs the program).
HOST = '127.0.0.1'
PORT = 9000
WARMUP = 0             # ping-pong rounds before the messages
READ_DELAY = 0.0       # seconds to wait before the first read (data waits in the kernel)
RECV_SIZE = 1024       # at most this many bytes per recv()
RCVBUF = 0             # more than 0: the receive buffer's size (SO_RCVBUF)
FRAMING = 'none'       # 'none', 'length' (4-byte length first), 'delimiter' (b'\n' after), 'fixed'
FIXED_SIZE = 0         # 'fixed': every message is FIXED_SIZE bytes, padded with zero bytes
SHOW = 20              # print at most this many messages

family = socket.AF_INET6 if ':' in HOST else socket.AF_INET
sk = socket.socket(family, socket.SOCK_STREAM)
sk.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
if RCVBUF > 0:
    sk.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, RCVBUF)  # the accepted socket inherits it
sk.bind((HOST, PORT))
sk.listen()
print('listening on', PORT)

conn, addr = sk.accept()
for _ in range(WARMUP):
    conn.recv(1024)                # b'ping'
    conn.sendall(b'pong')

if READ_DELAY > 0:
    time.sleep(READ_DELAY)         # read nothing yet: what arrives waits in the receive buffer

count = 0


def got(message):
    global count
    count += 1
    if count <= SHOW:
        print('message', count, message)


def cut(buffer):
    """Takes every whole message off the front of buffer; returns what is left."""
    while True:
        if FRAMING == 'length':
            if len(buffer) < 4:
                return buffer
            (n,) = struct.unpack('!I', buffer[:4])  # the length the sender put first
            if len(buffer) < 4 + n:
                return buffer                       # the rest of the message has not come yet
            got(buffer[4:4 + n])
            buffer = buffer[4 + n:]
        elif FRAMING == 'delimiter':
            if b'\n' not in buffer:
                return buffer
            message, buffer = buffer.split(b'\n', 1)
            got(message)
        else:  # 'fixed'
            if len(buffer) < FIXED_SIZE:
                return buffer
            got(buffer[:FIXED_SIZE].rstrip(b'\0'))
            buffer = buffer[FIXED_SIZE:]


buffer = b''
while True:
    data = conn.recv(RECV_SIZE)    # whatever has arrived, at most RECV_SIZE bytes
    if not data:                   # b'': the client closed
        break
    if FRAMING == 'none':
        got(data)                  # no framing: each recv() is taken for one message
    else:
        buffer = cut(buffer + data)
if buffer:
    print(len(buffer), 'bytes left over: not a whole message')
print(count, 'messages')
conn.close()
sk.close()

import socket
import struct
import time

# This run's settings (the lab writes them here before it runs the program).
HOST = '127.0.0.1'
PORT = 9000
CLOSER = 'client'      # who closes first: 'client' or 'server'
CLOSE = 'end'          # 'end': close(); 'end-after-pause': the second side waits; 'reset': RST
PAUSE = 0.2            # seconds the second side waits before it closes

family = socket.AF_INET6 if ':' in HOST else socket.AF_INET
sk = socket.socket(family, socket.SOCK_STREAM)
sk.bind((HOST, PORT))
sk.listen()
print('listening on', PORT)

conn, addr = sk.accept()           # returns once the three-way handshake is done
print('connection from', addr[:2])
data = conn.recv(1024)             # the client's message
conn.sendall(data.upper())         # the reply

if CLOSER == 'server':
    if CLOSE == 'reset':
        # SO_LINGER on with 0 seconds: close() sends RST instead of FIN.
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
        conn.close()
    else:
        conn.shutdown(socket.SHUT_WR)  # FIN: nothing more to send
        while conn.recv(1024):         # read on until the client's FIN: b''
            pass
        conn.close()
else:
    try:
        rest = conn.recv(1024)         # b'': the client's FIN arrived
    except ConnectionResetError:
        print('the client reset the connection')
    else:
        if CLOSE == 'end-after-pause':
            time.sleep(PAUSE)
        conn.close()                   # our FIN
sk.close()

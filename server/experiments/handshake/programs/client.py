import socket
import struct
import time

# This run's settings (the lab writes them here before it runs the program).
HOST = '127.0.0.1'
PORT = 9000
MESSAGE = 'hello'
CLOSER = 'client'      # who closes first: 'client' or 'server'
CLOSE = 'end'          # 'end': close(); 'end-after-pause': the second side waits; 'reset': RST
PAUSE = 0.2            # seconds the second side waits before it closes

family = socket.AF_INET6 if ':' in HOST else socket.AF_INET
sk = socket.socket(family, socket.SOCK_STREAM)
sk.connect((HOST, PORT))           # SYN, SYN-ACK, ACK: returns once connected
sk.sendall(MESSAGE.encode())
reply = sk.recv(1024)
print('reply:', reply)

if CLOSER == 'client':
    if CLOSE == 'reset':
        # SO_LINGER on with 0 seconds: close() sends RST instead of FIN.
        sk.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
        sk.close()
    else:
        sk.shutdown(socket.SHUT_WR)    # FIN: nothing more to send
        while sk.recv(1024):           # read on until the server's FIN: b''
            pass
        sk.close()
else:
    try:
        rest = sk.recv(1024)           # b'': the server's FIN arrived
    except ConnectionResetError:
        print('the server reset the connection')
    else:
        if CLOSE == 'end-after-pause':
            time.sleep(PAUSE)
        sk.close()                     # our FIN

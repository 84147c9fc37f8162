#!/usr/bin/python3
"""Writes stored.rar: a RAR 4.x archive (RAR 2.9 format, as WinRAR 3-4 wrote) with two files
stored uncompressed (method 0x30), made by hand because Debian's `rar` is non-free.

Layout per "RAR 4.x technote" (rarlab technote.txt):
  marker block   52 61 72 21 1A 07 00
  archive header HEAD_CRC HEAD_TYPE=0x73 HEAD_FLAGS=0 HEAD_SIZE=13 RESERVED1(2) RESERVED2(4)
  file header    HEAD_CRC HEAD_TYPE=0x74 HEAD_FLAGS HEAD_SIZE PACK_SIZE UNP_SIZE HOST_OS FILE_CRC
                 FTIME UNP_VER METHOD NAME_SIZE ATTR FILE_NAME, then the stored data
  end block      HEAD_CRC HEAD_TYPE=0x7B HEAD_FLAGS=0x4000 HEAD_SIZE=7
HEAD_CRC is the low 16 bits of the CRC-32 of the header from HEAD_TYPE on. A name flagged
FHD_UNICODE (0x0200) without a NUL separator is UTF-8 (as libarchive reads it).
Run: python3 make_rar4.py  (writes stored.rar beside it)
"""
import os
import struct
import zlib

def block(head_type, flags, body):
    header = struct.pack("<BHH", head_type, flags, 7 + len(body)) + body
    return struct.pack("<H", zlib.crc32(header) & 0xFFFF) + header

def file_block(name, data):
    encoded = name.encode("utf-8")
    flags = 0x8000 | (0x0200 if not name.isascii() else 0)
    dos_time = ((2024 - 1980) << 25) | (3 << 21) | (15 << 16) | (9 << 11) | (30 << 5)
    body = struct.pack("<IIBIIBBHI", len(data), len(data), 2, zlib.crc32(data), dos_time,
                       29, 0x30, len(encoded), 0x20) + encoded
    return block(0x74, flags, body) + data

archive = b"Rar!\x1a\x07\x00"
archive += block(0x73, 0, struct.pack("<HI", 0, 0))
archive += file_block("readme.txt", b"stored in a handmade RAR4 archive\n")
archive += file_block("征文.txt", "一所一人一事".encode("utf-8"))
archive += block(0x7B, 0x4000, b"")
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "stored.rar"), "wb") as out:
    out.write(archive)

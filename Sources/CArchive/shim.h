#ifndef TUIBAO_CARCHIVE_SHIM_H
#define TUIBAO_CARCHIVE_SHIM_H

// libarchive's read API, imported as is. Its entry-type constants (AE_IFREG …) are plain
// integer macros that Swift imports; nothing here needs a wrapper.
#include <archive.h>
#include <archive_entry.h>

// zlib, for the deflated parts of OOXML documents (ZipFile.swift). inflateInit2 is a macro
// that Swift cannot call; this wrapper opens a raw deflate stream (no zlib header), as ZIP has.
#include <zlib.h>

static inline int tuibao_inflate_init_raw(z_stream *stream) {
    return inflateInit2(stream, -MAX_WBITS);
}

#endif

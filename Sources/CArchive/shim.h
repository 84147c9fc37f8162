#ifndef TUIBAO_CARCHIVE_SHIM_H
#define TUIBAO_CARCHIVE_SHIM_H

// libarchive's read API, imported as is. Its entry-type constants (AE_IFREG …) are plain
// integer macros that Swift imports; nothing here needs a wrapper.
#include <archive.h>
#include <archive_entry.h>

#endif

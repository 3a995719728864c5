// SPDX-License-Identifier: Apache-2.0
#ifndef TOKEN_PROXY_CALLOCATOR_H
#define TOKEN_PROXY_CALLOCATOR_H

#include <stddef.h>

/// Fixes glibc's two thresholds, which it otherwise moves as the process runs: allocations of
/// at least `map_from` bytes get mappings of their own, unmapped when freed, and a heap keeps up
/// to `keep_free` bytes of free space at its top before it gives pages back (<malloc.h>, which
/// Swift's Glibc module leaves out). Returns 1 when both were set.
int tp_allocator_fix_thresholds(size_t map_from, size_t keep_free);

#endif

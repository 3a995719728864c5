// SPDX-License-Identifier: Apache-2.0
#include "CAllocator.h"

#include <malloc.h>

int tp_allocator_fix_thresholds(size_t map_from, size_t keep_free) {
    return mallopt(M_MMAP_THRESHOLD, (int)map_from) == 1 && mallopt(M_TRIM_THRESHOLD, (int)keep_free) == 1;
}

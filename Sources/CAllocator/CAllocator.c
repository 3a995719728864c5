// SPDX-License-Identifier: Apache-2.0
#include "CAllocator.h"

#include <malloc.h>

int tp_allocator_map_from(size_t bytes) {
    // Setting the threshold explicitly also stops glibc from raising it each time a mapped block is
    // freed, which otherwise moves large buffers onto the heap, where freeing them rarely shrinks it.
    return mallopt(M_MMAP_THRESHOLD, (int)bytes);
}

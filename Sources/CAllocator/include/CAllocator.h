// SPDX-License-Identifier: Apache-2.0
#ifndef TOKEN_PROXY_CALLOCATOR_H
#define TOKEN_PROXY_CALLOCATOR_H

#include <stddef.h>

/// Serves every allocation of at least `bytes` with its own mapping, returned to the system when
/// freed, and turns off glibc's moving of that threshold. Returns 1 on success.
int tp_allocator_map_from(size_t bytes);

#endif

// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/allocator.h"

#include <cstdlib>
#include <cstring>
#include <mutex>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace wb {

void configureAllocator()
{
#if defined(__GLIBC__)
    static std::once_flag once;
    std::call_once(once, [] {
        if (const char* v = std::getenv("LMWB_MALLOC"); v && std::strcmp(v, "system") == 0)
            return;
        // Setting either value turns glibc's moving threshold off; both are
        // set. 32 MiB is the largest mmap threshold glibc accepts on 64-bit
        // (HEAP_MAX_SIZE / 2); a larger block still gets its own mapping.
        mallopt(M_MMAP_THRESHOLD, 32 << 20);
        // Free memory at the top of a heap stays until 1 GiB of it is free
        // (releaseFreeMemory() returns it when a run ends).
        mallopt(M_TRIM_THRESHOLD, 1 << 30);
    });
#endif
}

void releaseFreeMemory()
{
#if defined(__GLIBC__)
    malloc_trim(0);
#endif
}

} // namespace wb

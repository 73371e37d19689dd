// SPDX-License-Identifier: GPL-3.0-or-later
// The C library's allocator, set for training. LibTorch's CPU tensors come
// straight from malloc (posix_memalign), with no caching allocator. glibc
// serves every block above its mmap threshold (128 KiB at first, raised
// when such a block is freed) with a fresh mmap and gives it back on free,
// and trims freed heap memory beyond twice that threshold, so most of each
// step's activations and gradients were new pages: about 150,000 page
// faults in 20 steps of tiny-gpt, half of its step time on one thread
// (docs/benchmarks.md, "A third machine: page faults"). No LibTorch.
#pragma once

namespace wb {

// Keeps blocks up to 32 MiB (glibc's largest mmap threshold) in the heap and
// freed memory in the process, so that a step reuses the pages of the last
// one. Once per process; later calls do nothing. LMWB_MALLOC=system keeps
// glibc's defaults (for comparison). Does nothing outside glibc.
void configureAllocator();

// Gives the heap's free pages back to the system (after a run ends, so that
// a GUI left open does not hold a finished run's peak memory).
void releaseFreeMemory();

} // namespace wb

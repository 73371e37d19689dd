// SPDX-License-Identifier: GPL-3.0-or-later
// Both thread pools under one control: LibTorch's intra-op (OpenMP) pool and
// OpenBLAS's own pthread pool. Left alone both take every core and fight; on
// 2 cores a small GPT trained 1.65x faster with OpenBLAS held to one thread.
#pragma once

#include <string>

namespace wb {

// Sets LibTorch's intra-op threads to `threads` (0 = all cores) and pins
// OpenBLAS to one thread (LibTorch parallelises around its calls already;
// the variable LMWB_BLAS_THREADS overrides that for benchmarks).
void configureThreads(int threads);

int hardwareThreads();

// Lowers the calling thread's CPU priority to nice `nice` (Linux: nice is
// per thread, and the OpenMP workers this thread starts later inherit it).
// A training job under a GUI runs so: with every core computing, the GUI
// thread still gets the CPU when it wakes. False where it could not.
bool lowerThisThreadPriority(int nice);

// How many distinct threads run the engine's own parallel loops with the
// current intra-op setting: at::parallel_for over that many items. 1 in a
// build without OpenMP (-DLMWB_OPENMP=OFF), where ATen's inline loops never
// fork.
int parallelLoopThreads();

// OpenBLAS's own pool (no effect with another BLAS).
void setBlasThreads(int n);
int configuredBlasThreads();

// "OpenBLAS 0.3.21 ... (pthread)" when OpenBLAS is the loaded BLAS, else a
// note that another BLAS (probably the slow reference one) is in use.
std::string blasDescription();

} // namespace wb

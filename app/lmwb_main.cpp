// SPDX-License-Identifier: GPL-3.0-or-later
// lmwb: the LM Workbench command line (no Qt).
#include "cli/commands.h"
#include "core/allocator.h"
#include "core/blas_kernels.h"

int main(int argc, char** argv)
{
    wb::useBestBlasKernels(argv); // may start the program again, before anything else happened
    wb::configureAllocator();     // pages reused from step to step (core/allocator.h)
    return wb::cli::run(argc, argv);
}

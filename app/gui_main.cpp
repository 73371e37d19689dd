// SPDX-License-Identifier: GPL-3.0-or-later
// lm-workbench: the desktop GUI.
#include "core/allocator.h"
#include "core/blas_kernels.h"
#include "gui_app.h"

int main(int argc, char** argv)
{
    wb::useBestBlasKernels(argv); // may start the program again, before anything else happened
    wb::configureAllocator();     // pages reused from step to step (core/allocator.h)
    return wb::ui::runGui(argc, argv);
}

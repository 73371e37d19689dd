// SPDX-License-Identifier: GPL-3.0-or-later
// lmwb: the LM Workbench command line (no Qt).
#include "cli/commands.h"

int main(int argc, char** argv)
{
    return wb::cli::run(argc, argv);
}

// SPDX-License-Identifier: GPL-3.0-or-later
// lm-workbench: the desktop GUI.
#include "gui_app.h"

int main(int argc, char** argv)
{
    return wb::ui::runGui(argc, argv);
}

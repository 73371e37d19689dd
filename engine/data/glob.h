// SPDX-License-Identifier: GPL-3.0-or-later
// Path globs for folder imports: `*` and `?` match within one path segment,
// `[abc]` a character class, `**` any run of segments (`**/` also none), so
// `**/*.py` matches `a.py` and `src/pkg/a.py`. Paths use '/'.
#pragma once

#include <string_view>

namespace wb {

bool globMatch(std::string_view pattern, std::string_view path);

} // namespace wb

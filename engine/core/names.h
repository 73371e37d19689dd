// SPDX-License-Identifier: GPL-3.0-or-later
// Names are names, never paths: the one rule for every name a user gives
// (corpus, tokenizer, generated corpus, sweep), shared by every command and
// the GUI. Files are named by ids and random tags, never by user text, so
// the rule is there for clear lists and messages, and so that a name copied
// into a message, a path or a shell line never surprises anyone.
#pragma once

#include <optional>
#include <string>

namespace wb {

inline constexpr std::size_t kMaxNameBytes = 100;

// What is wrong with `name` as a name, or nothing: blank, longer than
// kMaxNameBytes bytes, not UTF-8, a control character, '/', '\', ':',
// "..", or space at either end.
std::optional<std::string> nameProblem(const std::string& name);

// `text` with every byte that is not valid UTF-8, and every control
// character, written as \xNN: a file name or a name shown as its bytes.
std::string printable(const std::string& text);
// Whether `text` is strict UTF-8 (RFC 3629).
bool isUtf8(const std::string& text);

// InputError "<what> '<name>': <problem>" when the name breaks the rule;
// `what` is in the user's words ("corpus name", "tokenizer name").
void checkName(const std::string& what, const std::string& name);

} // namespace wb

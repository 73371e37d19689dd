// SPDX-License-Identifier: GPL-3.0-or-later
// Command-line parsing for lmwb: positional words and --options, checked
// against what each command accepts so a typo is an error (exit 2), not a
// silently ignored flag.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace wb::cli {

class Args {
public:
    // `flags` take no value; everything else starting with -- takes one.
    Args(int argc, char** argv, const std::set<std::string>& flags);

    const std::vector<std::string>& positional() const { return m_positional; }
    bool has(const std::string& name) const;
    std::optional<std::string> value(const std::string& name) const;
    std::vector<std::string> values(const std::string& name) const;

    // InputError naming the first option not in `allowed` (globals always allowed).
    void allowOnly(const std::string& command, const std::set<std::string>& allowed) const;

    std::string require(const std::string& name, const std::string& command) const;
    long long integer(const std::string& name, long long def, long long lo, long long hi) const;
    double number(const std::string& name, double def, double lo, double hi) const;

private:
    std::vector<std::string> m_positional;
    std::multimap<std::string, std::string> m_options;
    std::string m_missingValue; // an option given last without its value
};

} // namespace wb::cli
